"""Generate a realistic, deterministic corpus of treaty documents for the benchmarks.

    python benchmarks/generate.py 1000            # -> benchmarks/corpus-1000/
    python benchmarks/generate.py 100 --out /tmp/c --seed 7

The entities are real: states (only those that existed on the generated signing date, named by
the aliases valid on that date), persons and cities with their aliases, all taken from the
knowledge base (`treatykg.kb.load_kb()`); about half of the signatories are names the knowledge
base does not know, as in real documents. The layouts follow data/seeds and data/dev:

* UNTS pages: party block, title paragraph "TITLE. Signed at PLACE, on DATE", "Official texts: …",
  "Registered by … on DATE", often the French block, "No. NNNN. TITLE …", preamble,
  plenipotentiaries "The President of X : NAME, Minister of …;", articles, a "Came into force"
  footnote, "DONE at …", signature blocks "(Signed) NAME";
* exchanges of notes (numbered notes with a dateline, "Sir,", "I have the honour to be, etc.");
* joint declarations ("No. NNNN. JOINT DECLARATION BY THE GOVERNMENT OF …");
* news articles (a "Title:/Date:/Page:" header or a "CITY, Month D (Agency) —" dateline);
* encyclopedia articles with infobox lines ("- Date Signed: 1955-05-15", "Signed 14 August 1945
  (1945-08-14)");
* Chinese texts: a Baike-style entry (《…条约》, 1950年2月14日, infobox lines) and a Xinhua dispatch.

Each instrument is described by one to five documents, 2.2 on average (a primary text, then news,
encyclopedia or Chinese pieces), so resolution has real merging to do. Document i depends only on
(seed, i): the first 100 documents of corpus-1000 are corpus-100, which makes "+1 document" measurable.
Average size is about 4 KB (seeds 2-8 KB).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from treatykg.kb import KBEntry, KnowledgeBase, load_kb

HERE = Path(__file__).resolve().parent
DEFAULT_SEED = 1950
NEW_INSTRUMENT = 0.45  # the chance that a document starts a new instrument: 2.2 documents per instrument

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre"]
NUMBERS = {5: "five", 10: "ten", 15: "fifteen", 20: "twenty", 25: "twenty-five", 30: "thirty"}
LANGUAGES = ["English", "French", "Russian", "Chinese", "Spanish", "Arabic", "German", "Japanese", "Hindi",
             "Polish", "Czech", "Hungarian", "Romanian", "Mongolian", "Vietnamese", "Indonesian", "Korean"]
LANGUES = {"English": "anglais", "French": "français", "Russian": "russe", "Chinese": "chinois",
           "Spanish": "espagnol", "Arabic": "arabe", "German": "allemand", "Japanese": "japonais",
           "Hindi": "hindi", "Polish": "polonais", "Czech": "tchèque", "Hungarian": "hongrois",
           "Romanian": "roumain", "Mongolian": "mongol", "Vietnamese": "vietnamien",
           "Indonesian": "indonésien", "Korean": "coréen"}
ZH_LANGUAGES = {"English": "英文", "French": "法文", "Russian": "俄文", "Chinese": "中文",
                "Spanish": "西班牙文", "Arabic": "阿拉伯文", "German": "德文", "Japanese": "日文",
                "Hindi": "印地文", "Mongolian": "蒙古文", "Korean": "朝鲜文"}

# (English subject, French subject, Chinese subject, instrument kinds it suits)
SUBJECTS = [
    ("Friendship and Co-operation", "d'amitié et de coopération", "友好合作", ("Treaty",)),
    ("Friendship, Alliance and Mutual Assistance", "d'amitié, d'alliance et d'assistance mutuelle",
     "友好同盟互助", ("Treaty",)),
    ("Peace and Friendship", "de paix et d'amitié", "和平友好", ("Treaty",)),
    ("Non-Aggression", "de non-agression", "互不侵犯", ("Treaty",)),
    ("Commerce and Navigation", "de commerce et de navigation", "通商航海", ("Treaty",)),
    ("Trade and Payments", "sur le commerce et les paiements", "贸易和支付", ("Agreement", "Protocol")),
    ("Cultural Co-operation", "de coopération culturelle", "文化合作", ("Agreement", "Convention")),
    ("Economic and Technical Co-operation", "de coopération économique et technique", "经济技术合作",
     ("Agreement", "Protocol")),
    ("Air Transport", "relatif aux transports aériens", "航空运输", ("Agreement",)),
    ("Scientific and Technical Co-operation", "de coopération scientifique et technique", "科学技术合作",
     ("Agreement", "Convention")),
    ("the Avoidance of Double Taxation", "tendant à éviter la double imposition", "避免双重征税",
     ("Convention",)),
    ("Consular Relations", "consulaire", "领事", ("Convention",)),
    ("Maritime Transport", "sur les transports maritimes", "海运", ("Agreement",)),
    ("Postal and Telecommunications Services", "sur les services postaux et de télécommunications", "邮电",
     ("Agreement", "Protocol")),
    ("Mutual Legal Assistance in Civil Matters", "d'entraide judiciaire en matière civile", "民事司法协助",
     ("Convention", "Treaty")),
    ("Frontier Questions", "relatif aux questions frontalières", "边界问题",
     ("Agreement", "Protocol", "Treaty")),
    ("Economic Assistance", "d'assistance économique", "经济援助", ("Agreement",)),
    ("the Exemption from Visas", "relatif à la suppression des visas", "互免签证", ("Agreement",)),
    ("Co-operation in the Peaceful Uses of Atomic Energy", "de coopération dans l'utilisation pacifique de "
     "l'énergie atomique", "和平利用原子能合作", ("Agreement",)),
    ("Fisheries in the North-West Pacific", "sur les pêcheries du Pacifique Nord-Ouest", "西北太平洋渔业",
     ("Convention", "Agreement")),
]
KIND_WORDS = {"Treaty": ("Treaty", "Traité", "条约"), "Agreement": ("Agreement", "Accord", "协定"),
              "Convention": ("Convention", "Convention", "公约"),
              "Protocol": ("Protocol", "Protocole", "议定书")}

AUTHORITIES = ["The President of {s}", "The Government of {s}", "The Head of State of {s}",
               "The Presidium of the Supreme Soviet of {s}", "The Council of Ministers of {s}"]
OFFICES = ["Minister of Foreign Affairs", "Ambassador Extraordinary and Plenipotentiary", "Prime Minister",
           "Chairman of the Council of "
           "Ministers", "Deputy Minister of Foreign Affairs", "Minister of Foreign Trade",
           "Minister of Finance", "Secretary of State for Foreign Affairs"]
ZH_OFFICES = ["外交部长", "国务院总理", "特命全权大使", "外交部副部长", "对外贸易部长"]
GIVEN = ["Ahmed", "Boris", "Carlos", "Dmitri", "Erik", "Fernando", "Gustav", "Hassan", "Ivan", "Jan", "Karel",
         "Luis", "Mikhail", "Nikolai", "Omar", "Pavel", "Rashid", "Stefan", "Tadeusz", "Viktor", "Walter",
         "Yusuf", "Zoltan", "Andrzej", "Bohumil", "Emil", "Georgi", "Henri", "Istvan", "Josef", "Kurt",
         "Lajos", "Miguel", "Nguyen", "Pedro", "Raul", "Sergei", "Tomas", "Ulrich", "Vasile"]
FAMILY = ["Petrov", "Novak", "Horvath", "Kowalski", "Ionescu", "Dimitrov", "Garcia", "Hansen", "Lindqvist",
          "Rahman", "Haddad", "Suzuki", "Tanaka", "Kim", "Tran", "Santos", "Moreau", "Schmidt", "Rossi",
          "Jovanovic", "Nagy", "Popescu", "Ivanov", "Kuznetsov", "Sokolov", "Hussain", "Mendes", "Okafor",
          "Mensah", "Karimov", "Bauer", "Fischer", "Lambert", "Dubois", "Costa", "Ferreira", "Halim", "Sato"]
ZH_FAMILY = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
ZH_GIVEN = ["建国", "志刚", "文华", "国平", "德明", "树声", "云龙", "光远", "海涛", "振华", "立新", "继先"]
AGENCIES = ["AP", "Reuters", "TASS", "AFP", "UPI", "Xinhua"]
PUBLISHERS = ["Oxford University Press", "Routledge", "Praeger", "Cambridge University Press"]
KIND_PHRASES = {"ExchangeOfNotes": "exchange of notes", "JointDeclaration": "joint declaration"}
PREAMBLES = [
    "Desiring to develop and strengthen the friendly relations between the two countries,",
    "Being determined to contribute to the maintenance of peace and security in {region} and throughout "
    "the world,",
    "Guided by the purposes and principles of the Charter of the United Nations,",
    "Recognizing the importance of {subj_lower} for the prosperity of their peoples,",
    "Convinced that the development of co-operation between {a} and {b} is in accordance with the "
    "fundamental interests of their peoples,",
    "Considering the traditional ties of friendship which unite the peoples of the two States,",
    "Wishing to place their relations on a firm and lasting basis,",
]
ARTICLES = [
    "The Contracting Parties shall develop and strengthen their relations in the field of {subj_lower} on "
    "the basis of equal rights, mutual benefit and non-intervention in each other's domestic affairs.",
    "The Government of {a} and the Government of {b} shall encourage contacts between the competent "
    "organizations of the two countries and shall exchange information on questions of mutual interest.",
    "Each Contracting Party shall accord to the nationals, vessels and goods of the other Party treatment "
    "no less favourable than that accorded to those of any third State.",
    "The two Parties shall consult each other on all important international questions affecting the "
    "common interests of {a} and {b}, with a view to strengthening peace in {region}.",
    "A mixed commission composed of representatives of both Parties shall meet alternately in {city_a} and "
    "{city_b} at least once a year to review the execution of this {kind}.",
    "Neither Contracting Party shall conclude any alliance or take part in any coalition directed against "
    "the other Party.",
    "Payments between the two countries shall be made in freely convertible currency, in accordance with "
    "the foreign exchange regulations in force in each country.",
    "The competent authorities of the Contracting Parties shall settle by mutual agreement any "
    "difficulties or doubts arising as to the interpretation or application of this {kind}.",
    "The provisions of this {kind} shall not affect the rights and obligations of either Party arising "
    "from other international agreements to which it is a party, including the Charter of the United "
    "Nations.",
    "The two Parties shall promote the exchange of delegations of scientists, teachers, artists and "
    "sportsmen, and shall facilitate the study of the language and culture of each country in the other.",
    "Disputes concerning the interpretation or application of this {kind} which cannot be settled by "
    "negotiation shall be referred, at the request of either Party, to an arbitral tribunal.",
    "The designated airlines of each Party shall enjoy fair and equal opportunity to operate the agreed "
    "services on the routes specified in the annex between {city_a} and {city_b}.",
]
ARTICLE_DETAILS = [
    "To this end the Parties shall, within three months of the entry into force of this {kind}, designate "
    "the authorities responsible for its execution and shall inform each other of the designation through "
    "the diplomatic channel.",
    "The detailed conditions of such co-operation, including the financial arrangements and the number of "
    "persons concerned, shall be laid down in separate agreements or in programmes concluded for periods "
    "of two or three years.",
    "The expenses arising from the exchanges provided for in this article shall be borne by the sending "
    "Party, except for the costs of accommodation and travel within the territory of the receiving Party, "
    "which shall be borne by that Party.",
    "The provisions of the preceding paragraph shall also apply to juridical persons and to associations "
    "constituted in accordance with the laws of either Contracting Party and having their seat in its "
    "territory.",
    "Nothing in this article shall be construed as limiting the right of either Party to take measures "
    "necessary for the protection of its essential security interests or of public health.",
    "Each Party shall, at the request of the other, furnish such information and assistance as may be "
    "necessary for the proper application of this article, subject to its own legislation.",
]
NEWS_QUOTES = [
    "\"This {kind_lower} is a milestone in the history of our two nations,\" {p1} told reporters after the "
    "ceremony. \"It will serve the cause of peace in {region}.\"",
    "Speaking at a reception in the evening, {p2} said that the {kind_lower} reflected \"the sincere "
    "desire of our peoples to live in peace and friendship\" and expressed the hope that it would be "
    "followed by further agreements.",
    "{p1} said the negotiations had been conducted \"in a spirit of mutual understanding\", while {p2} "
    "praised the work of the experts of both delegations.",
]
NEWS_BACKGROUND = [
    "Diplomats in {city} described the talks as frank and friendly, and said that the two delegations had "
    "met daily since the beginning of the month.",
    "Observers noted that {a} had been seeking closer ties with {b} for several years, and that trade "
    "between the two countries had doubled since {year0}.",
    "The negotiations, which opened in {city} on {earlier}, were at times difficult, according to "
    "officials familiar with them, but agreement was reached on all outstanding points.",
    "A spokesman for the Ministry of Foreign Affairs said the {kind_lower} would open a new chapter in the "
    "relations between the two peoples.",
    "Newspapers in both capitals welcomed the {kind_lower} in front-page editorials on the following "
    "morning.",
    "The ceremony was attended by members of the diplomatic corps and by representatives of the press, "
    "radio and newsreels.",
    "Western diplomats in {city} were cautious in their comments. One of them said that much would depend "
    "on how the provisions were carried out, and that similar undertakings in {region} had not always been "
    "honoured.",
    "The {kind_lower} is the latest of a series of agreements concluded by {a} in recent months, which "
    "have included arrangements on trade, shipping and the exchange of students with several countries of "
    "{region}.",
    "Economists expect the volume of goods exchanged between the two countries to rise considerably, with "
    "machinery, textiles and raw materials making up the bulk of the trade.",
    "The opposition press criticized the government for not submitting the draft to parliament before the "
    "signature, and called for a full debate before ratification.",
    "Under the {kind_lower}, the two governments undertake to consult each other regularly on questions of "
    "common interest and to settle any disputes by peaceful means.",
]
WIKI_PARAGRAPHS = [
    "The {kind_lower} was negotiated over several months against the background of the Cold War. "
    "Historians have described it as an important step in the foreign policy of {a} during the {decade}s.",
    "The text consists of a preamble and {n_articles} articles. It provides for regular consultations "
    "between the two governments and for the establishment of a joint commission.",
    "In the following years both governments cited the {kind_lower} as a model for their relations with "
    "neighbouring countries, although critics argued that its provisions were rarely applied in practice.",
    "The {kind_lower} was ratified by {a} and by {b}, and the instruments of ratification were exchanged "
    "in {city_b}.",
]


@dataclass(frozen=True)
class StateView:
    """A state as documents of a given date name it."""

    entry: KBEntry
    name: str          # formal English name ("Union of Soviet Socialist Republics")
    short: str         # a short name valid on the date ("USSR", "China" after 1949-10-01)
    adjective: str     # "Soviet"; falls back to the short name
    zh: str
    fr: str


@dataclass(frozen=True)
class PersonView:
    name: str          # as written in running text ("Chou En-lai")
    zh: str            # Chinese form (a KB label, or a generated name)
    known: bool


@dataclass
class Instrument:
    """The facts behind the documents that describe one instrument."""

    index: int
    kind: str  # Treaty, Agreement, Convention, Protocol, ExchangeOfNotes, JointDeclaration
    subject: tuple
    parties: list[StateView]
    signed: dt.date
    city: KBEntry
    signers: list[tuple[PersonView, StateView, str, str]]  # person, state, authority, office
    languages: list[str]
    number: int
    registered_by: StateView
    registered_on: dt.date
    in_force: dt.date
    years: int
    extra: dict = field(default_factory=dict)

    @property
    def a(self) -> StateView:
        return self.parties[0]

    @property
    def b(self) -> StateView:
        return self.parties[1]


# --------------------------------------------------------------------------------------------- entities

class Entities:
    """Knowledge-base entities grouped for the generator."""

    def __init__(self, kb: KnowledgeBase) -> None:
        entries = sorted(kb.entries.values(), key=lambda e: e.id)
        self.states = [e for e in entries if e.kind == "State"]
        self.persons = [e for e in entries if e.kind == "Person"]
        self.cities = [e for e in entries if e.kind in ("City", "Port") and e.labels.get("zh")]

    def states_on(self, day: str) -> list[KBEntry]:
        return [e for e in self.states if e.existed_on(day)]


def _latin(name: str) -> bool:
    return all(c.isascii() or c in "éèüöōŏ" for c in name)


def state_view(entry: KBEntry, day: str, rng: random.Random) -> StateView:
    names = [a.name for a in entry.aliases if a.valid_on(day) and a.name.isascii()
             and not a.name.startswith("the ") and len(a.name) <= 40 and a.name not in entry.labels.values()]
    # English short names: a part of the English label ("China", "Bolivia"), an acronym ("USSR"), or the
    # first alias (KB files list the English forms first; "Bolivie" is the French one)
    fitting = [n for n in names if n in entry.label or n.replace(".", "").isupper()] + names[:1]
    short = rng.choice(fitting) if fitting else entry.label
    adjectives = [a.name for a in entry.adjectives
                  if a.valid_on(day) and a.name[:1].isupper() and a.name.isascii()]
    return StateView(entry, entry.label, short, adjectives[0] if adjectives else short,
                     entry.labels.get("zh", entry.label), entry.labels.get("fr", entry.label))


def person_view(entities: Entities, rng: random.Random) -> PersonView:
    if rng.random() < 0.45:
        entry = rng.choice(entities.persons)
        latin = [a.name for a in entry.aliases if _latin(a.name) and " " in a.name]
        return PersonView(rng.choice([entry.label, *latin[:2]]), entry.labels.get("zh", entry.label), True)
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    if rng.random() < 0.3:
        given = f"{given[0]}. {rng.choice(GIVEN)[0]}."
    zh = rng.choice(ZH_FAMILY) + rng.choice(ZH_GIVEN)
    return PersonView(f"{given} {family}", zh, False)


def city_names(entry: KBEntry) -> tuple[str, str, str]:
    """English (sometimes the period alias, e.g. Peking), French, Chinese."""
    return entry.label, entry.labels.get("fr", entry.label), entry.labels.get("zh", entry.label)


# --------------------------------------------------------------------------------------------- dates

def en_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def us_date(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def fr_date(day: dt.date) -> str:
    return f"{'1er' if day.day == 1 else day.day} {MOIS[day.month - 1]} {day.year}"


def zh_date(day: dt.date, year: bool = True) -> str:
    return (f"{day.year}年" if year else "") + f"{day.month}月{day.day}日"


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days))


# --------------------------------------------------------------------------------------------- instruments

def make_instrument(index: int, seed: int, entities: Entities) -> Instrument:
    rng = random.Random(f"{seed}:instrument:{index}")
    signed = random_day(rng, dt.date(1946, 1, 1), dt.date(1989, 12, 31))
    day = signed.isoformat()
    pool = entities.states_on(day)
    count = 2 if rng.random() < 0.85 else rng.randint(3, 6)
    parties = [state_view(e, day, rng) for e in rng.sample(pool, count)]
    kinds = ["Treaty", "Agreement", "Convention", "Protocol", "ExchangeOfNotes", "JointDeclaration"]
    kind = rng.choices(kinds, [30, 30, 10, 6, 12, 12])[0]
    base = kind if kind in KIND_WORDS else "Agreement"
    subject = rng.choice([s for s in SUBJECTS if base in s[3]] or SUBJECTS)
    signers = []
    for state in parties:
        authorities = AUTHORITIES if "Soviet" in state.name else AUTHORITIES[:3]
        named = _the(state.name) if rng.random() < 0.7 else _the(state.short)
        authority = rng.choice(authorities).format(s=named)
        signers.append((person_view(entities, rng), state, authority, rng.choice(OFFICES)))
    registered_on = signed + dt.timedelta(days=rng.randint(60, 900))
    return Instrument(
        index=index, kind=kind, subject=subject, parties=parties, signed=signed,
        city=rng.choice(entities.cities), signers=signers, languages=rng.sample(LANGUAGES, 2),
        number=rng.randint(1000, 14999),
        registered_by=rng.choice(parties), registered_on=registered_on,
        in_force=signed + dt.timedelta(days=rng.choice([0, rng.randint(20, 400)])),
        years=rng.choice([5, 10, 15, 20, 25, 30]),
        extra={"other_city": rng.choice(entities.cities), "region": rng.choice(
            ["Europe", "the Far East", "Asia", "the Middle East", "Africa", "Latin America", "the Pacific"])},
    )


def title(ins: Instrument, style: str = "full") -> str:
    government = "the Government of " if ins.kind == "Agreement" else ""
    if len(ins.parties) == 2:
        names = " and ".join(government + _the(p.name if style == "full" else p.short) for p in ins.parties)
    else:
        names = ", ".join(_the(p.short) for p in ins.parties[:-1]) + " and " + _the(ins.parties[-1].short)
    if ins.kind == "ExchangeOfNotes":
        return f"Exchange of notes constituting an agreement between {names} concerning {ins.subject[0]}"
    if ins.kind == "JointDeclaration":
        return "Joint Declaration by the Government of " + " and the Government of ".join(
            _the(p.name) for p in ins.parties)
    word = KIND_WORDS[ins.kind][0]
    connector = "of" if ins.kind == "Treaty" and not ins.subject[0].startswith("the ") else "on"
    return f"{word} {connector} {ins.subject[0]} between {names}"


def short_title(ins: Instrument) -> str:
    """What a newspaper calls it: 'the Soviet-Finnish Treaty of Friendship and Co-operation'."""
    if ins.kind == "JointDeclaration":
        return f"{ins.a.adjective}-{ins.b.adjective} Joint Declaration"
    word = KIND_WORDS.get(ins.kind, KIND_WORDS["Agreement"])[0]
    return f"{ins.a.adjective}-{ins.b.adjective} {word} on {ins.subject[0]}" if ins.kind != "Treaty" else \
        f"{ins.a.adjective}-{ins.b.adjective} Treaty of {ins.subject[0]}"


def zh_title(ins: Instrument) -> str:
    word = KIND_WORDS.get(ins.kind, ("", "", "协定"))[2] if ins.kind in KIND_WORDS else (
        "联合声明" if ins.kind == "JointDeclaration" else "换文")
    return "《" + "和".join(p.zh for p in ins.parties[:2]) + ins.subject[2] + word + "》"


def fill(template: str, ins: Instrument, **more: str) -> str:
    other = ins.extra["other_city"]
    values = {"a": _the(ins.a.name), "b": _the(ins.b.name), "region": ins.extra["region"],
              "kind": KIND_WORDS.get(ins.kind, ("Agreement",))[0],
              "subj_lower": ins.subject[0].removeprefix("the ").lower(),
        "city_a": ins.city.label, "city_b": other.label, "city": ins.city.label,
        "kind_lower": KIND_WORDS.get(ins.kind, ("agreement",))[0].lower(), "year0": str(ins.signed.year - 5),
        "decade": str(ins.signed.year // 10 * 10), "earlier": en_date(ins.signed - dt.timedelta(days=21)),
        "n_articles": str(ins.extra.get("n_articles", 8))}
    values.update(more)
    return template.format(**values)


# --------------------------------------------------------------------------------------------- layouts

def unts_page(ins: Instrument, rng: random.Random) -> str:
    t = title(ins)
    city_en, city_fr, _ = city_names(ins.city)
    kind_word = KIND_WORDS.get(ins.kind, KIND_WORDS["Agreement"])[0]
    parts = ["\nand\n".join(p.name.upper() for p in ins.parties) if len(ins.parties) == 2
             else ", ".join(p.name.upper() for p in ins.parties), "",
             f"{t}. Signed at {city_en}, on {en_date(ins.signed)}", "",
             f"Official texts: {ins.languages[0]} and {ins.languages[1]}.", "",
             f"Registered by {_the(ins.registered_by.name)} on {en_date(ins.registered_on)}.", ""]
    if rng.random() < 0.5:
        fr_kind = KIND_WORDS.get(ins.kind, KIND_WORDS["Agreement"])[1]
        block = ["**" + ins.a.fr.upper() + "**", "", "et", ""] + [p.fr.upper() for p in ins.parties[1:]]
        parts += ["\n".join(block),
                  "", f"{fr_kind} {ins.subject[1]}. Signé à {city_fr}, le {fr_date(ins.signed)}", "",
                  f"Textes officiels {LANGUES[ins.languages[0]]} et {LANGUES[ins.languages[1]]}.", "",
                  f"Enregistré par {ins.registered_by.fr} le {fr_date(ins.registered_on)}.", "",
                  "[TRANSLATION — TRADUCTION]", ""]
    parts += [f"No. {ins.number}. {kind_word.upper()}¹ {t.upper().split(' ', 1)[1]}. "
              f"SIGNED AT {city_en.upper()}, ON {en_date(ins.signed).upper()}", ""]
    authorities = [s[2] for s in ins.signers]
    parts += [", ".join(authorities[:-1]) + " and " + authorities[-1].replace("The ", "the ", 1) + ",", ""]
    for line in rng.sample(PREAMBLES, rng.randint(2, 4)):
        parts += [fill(line, ins), ""]
    parts += [f"Have resolved to conclude the present {kind_word} and have appointed as their "
              "plenipotentiaries :", ""]
    for person, state, authority, office in ins.signers:
        parts += [f"{authority} : {person.name}, {office} of {_the(state.short)};", ""]
    parts += ["who, having exchanged their full powers, found in good and due form, have agreed as "
              "follows :", ""]
    n_articles = rng.randint(6, 12)
    ins.extra["n_articles"] = n_articles
    bodies = rng.sample(ARTICLES, min(n_articles - 1, len(ARTICLES)))
    for number, body in enumerate(bodies, 1):
        parts += [f"Article {number}", "", fill(body, ins), ""]
        if rng.random() < 0.6:
            parts += [fill(rng.choice(ARTICLE_DETAILS), ins), ""]
        if number == 1:
            parts += [f"¹ Came into force on {en_date(ins.in_force)}, upon the exchange of the instruments "
                      "of "
                      f"ratification at {ins.extra['other_city'].label}, in accordance with article "
                      f"{len(bodies) + 1}.", ""]
    parts += [f"Article {len(bodies) + 1}", "",
              f"This {kind_word} shall be ratified and shall come into force on the day of the exchange of "
              "the "
              f"instruments of ratification, which shall take place at {ins.extra['other_city'].label}.", "",
              f"This {kind_word} shall remain in force for {NUMBERS[ins.years]} years. If neither of the "
              "Contracting Parties gives notice one year before the expiration of the said period that it "
              "wishes "
              f"to denounce the {kind_word}, it shall remain in force for a further five years.", "",
              f"DONE at {city_en}, on {en_date(ins.signed)}, in two copies, each in the {ins.languages[0]} "
              "and "
              f"{ins.languages[1]} languages, both texts being equally authentic.", ""]
    for person, state, _, _ in ins.signers:
        parts += [f"For the Government\nof {_the(state.name)} :\n(Signed) {person.name.upper()}\n[L.S.]", ""]
    return "\n".join(parts)


def exchange_of_notes(ins: Instrument, rng: random.Random) -> str:
    t = title(ins)
    city_en = ins.city.label
    (p1, s1, _, o1), (p2, s2, _, o2) = ins.signers[0], ins.signers[1]
    body = ("I have the honour to refer to the negotiations which have taken place between representatives "
            "of "
            f"the Government of {_the(s1.name)} and the Government of {_the(s2.name)} concerning "
            f"{ins.subject[0]}, and to "
            "propose, on behalf of my Government, the following arrangements :")
    points = [fill(a, ins) for a in rng.sample(ARTICLES, rng.randint(3, 6))]
    enumerated = "\n\n".join(f"{i}. {p}" for i, p in enumerate(points, 1))
    closing = (f"If the foregoing proposals are acceptable to the Government of {_the(s2.name)}, I have the "
               "honour to propose that this note and your reply to that effect shall constitute an "
               "agreement between the two "
               f"Governments which shall enter into force on {en_date(ins.in_force)}.")
    parts = [f"No. {ins.number}. {t.upper()}. {city_en.upper()}, {en_date(ins.signed).upper()}", "",
             f"Official texts: {ins.languages[0]} and {ins.languages[1]}.", "",
             f"Registered by {_the(ins.registered_by.name)} on {en_date(ins.registered_on)}.", "",
             "I", "", f"{city_en}, {en_date(ins.signed)}", "", "Sir,", "", body, "", enumerated, "",
             closing, "",
             "I have the honour to be, etc.", "", p1.name.upper(), "",
             f"Mr. {p2.name}\n{o2}\nof {_the(s2.name)}", "",
             "II", "", f"{city_en}, {en_date(ins.signed)}", "", "Sir,", "",
             "I have the honour to acknowledge receipt of your note of today's date, which reads as follows "
             ":", "",
             "[See note I]", "",
             f"I have the honour to confirm that the Government of {_the(s2.name)} agrees to the foregoing "
             "and that your "
             "note and this reply shall constitute an agreement between our two Governments.", "",
             "Accept, Sir, the assurances of my highest consideration.", "", p2.name.upper(), "",
             f"Mr. {p1.name}\n{o1}\nof {_the(s1.name)}"]
    return "\n".join(parts)


def joint_declaration(ins: Instrument, rng: random.Random) -> str:
    city_en = ins.city.label
    govs = " AND THE GOVERNMENT OF ".join(_the(p.name).upper() for p in ins.parties)
    parts = [f"No. {ins.number}. JOINT DECLARATION¹ BY THE GOVERNMENT OF {govs}. "
             f"SIGNED AT {city_en.upper()}, ON {en_date(ins.signed).upper()}", "",
             f"The Government of {_the(ins.a.name)} and the Government of {_the(ins.b.name)} note the "
             "complete identity of their "
             "views with regard both to the co-operation developing between the two States and to "
             "international "
             "affairs.", ""]
    for template in rng.sample(NEWS_BACKGROUND[3:] + PREAMBLES, 6):
        parts += [fill(template, ins, kind_lower="declaration").rstrip(",.") + ".", ""]
    parts += [f"The two Governments declare that the friendly relations which have developed between the "
              f"{ins.a.short} and the {ins.b.short} provide a basis for continued close co-operation in "
              "accordance "
              "with the principles of equal rights, mutual benefit and mutual respect for State "
              "sovereignty.", "",
              f"¹ Came into force on {en_date(ins.signed)} by signature.", ""]
    for template in rng.sample(ARTICLES, 5):
        parts += [fill(template, ins, kind="Declaration"), ""]
    parts += [f"For the Government of {_the(ins.a.name)} :\n{ins.signers[0][0].name}", "",
              f"For the Government of {_the(ins.b.name)} :\n{ins.signers[1][0].name}", "",
              f"{city_en}, {en_date(ins.signed)}."]
    return "\n".join(parts)


def news_article(ins: Instrument, rng: random.Random, published: dt.date) -> str:
    city_en = ins.city.label
    st = short_title(ins)
    (p1, s1, _, o1), (p2, s2, _, o2) = ins.signers[0], ins.signers[1]
    lead = (f"The {st} was signed here today by {p1.name}, {o1} of {_the(s1.short)}, and {p2.name}, {o2} of "
            f"{_the(s2.short)}.")
    if published.year - ins.signed.year > 5:  # a retrospective piece
        lead = (f"On {en_date(ins.signed)}, {p1.name} and {p2.name} signed the \"{title(ins, 'short')}\" in "
                f"{city_en}, a {KIND_PHRASES.get(ins.kind, ins.kind.lower())} that would shape the "
                f"relations between {_the(s1.short)} and {_the(s2.short)} for decades.")
    if rng.random() < 0.5:
        head = [f"Title: {st} signed in {city_en}", "Author:", f"Date: {published.isoformat()}",
                f"Page: {rng.randint(1, 12)}", ""]
        first = lead
    else:
        head = []
        dateline = f"{city_en.upper()}, {MONTHS[ins.signed.month - 1]} {ins.signed.day}"
        first = f"{dateline} ({rng.choice(AGENCIES)}) — {lead}"
    paragraphs = [first,
                  f"The {ins.kind.lower() if ins.kind in KIND_WORDS else 'agreement'} will come into force "
                  "on "
                  f"{en_date(ins.in_force)} and will remain in force for {NUMBERS[ins.years]} years. It "
                  f"was concluded after talks in {city_en} between delegations of the {s1.short} and the "
                  f"{s2.short}."]
    paragraphs += [fill(t, ins) for t in rng.sample(NEWS_BACKGROUND, rng.randint(6, 10))]
    paragraphs.insert(2, fill(rng.choice(NEWS_QUOTES), ins, p1=p1.name, p2=p2.name))
    if len(ins.parties) > 2:
        paragraphs.append("The other signatories were " + ", ".join(
            f"{p.name} for {_the(s.short)}" for p, s, _, _ in ins.signers[2:]) + ".")
    return "\n".join(head) + ("\n" if head else "") + "\n\n".join(paragraphs) + "\n"


def encyclopedia_article(ins: Instrument, rng: random.Random) -> str:
    name = short_title(ins)
    city_en = ins.city.label
    kind = "Bilateral treaty" if len(ins.parties) == 2 else "Multilateral treaty"
    if rng.random() < 0.5:
        box = [f"= {name} =", "", name, f"- Type: {kind}", f"- Date Signed: {ins.signed.isoformat()}",
               f"- Location Signed: {city_en}", f"- Date Effective: {ins.in_force.isoformat()}",
               "- Parties: " + ", ".join(p.short for p in ins.parties),
               "- Languages: " + ", ".join(ins.languages), ""]
    else:
        box = [name, "", title(ins, "short"), f"Signed {en_date(ins.signed)} ({ins.signed.isoformat()})",
               f"Location {city_en}", f"Effective {en_date(ins.in_force)}",
               f"Expiry {en_date(_years_after(ins.in_force, ins.years))}",
               "Parties " + ", ".join(p.short for p in ins.parties), ""]
    (p1, s1, _, _), (p2, s2, _, _) = ins.signers[0], ins.signers[1]
    ins.extra.setdefault("n_articles", rng.randint(5, 12))
    paragraphs = [
        f"The {name} (officially the {title(ins)}) was a {kind.lower()} signed by {_the(s1.name)} and "
        f"{_the(s2.name)} in {city_en} on {en_date(ins.signed)}. It was signed by {p1.name} and "
        f"{p2.name}.[1]",
        f"It entered into force on {en_date(ins.in_force)} and was registered with the Secretariat of the "
        "United "
        f"Nations under No. {ins.number}.[2]"]
    paragraphs += ["== Background =="]
    paragraphs += [fill(t, ins) for t in rng.sample(WIKI_PARAGRAPHS, rng.randint(2, 4))]
    paragraphs += ["== Provisions =="] + [f"Article {i}: " + fill(t, ins) for i, t in
                                          enumerate(rng.sample(ARTICLES, rng.randint(2, 4)), 1)]
    refs = ["See also [ edit ]", "", "References [ edit ]", "",
            f"  1. ^ {rng.choice(FAMILY)}, {rng.choice(GIVEN)} ({ins.signed.year + rng.randint(5, 40)}). "
            f"The Foreign Policy of {_the(s1.short)}, "
            f"{ins.signed.year // 10 * 10}-{ins.signed.year // 10 * 10 + 9}. "
            f"{rng.choice(PUBLISHERS)}. "
            f"p. {rng.randint(10, 400)}.",
            f"  2. ^ United Nations, Treaty Series, Vol. {ins.number // 20}, p. {rng.randint(3, 400)}."]
    return "\n".join(box) + "\n" + "\n\n".join(paragraphs) + "\n\n" + "\n".join(refs) + "\n"


def chinese_baike(ins: Instrument, rng: random.Random) -> str:
    zt = zh_title(ins)
    (p1, s1, _, _), (p2, s2, _, _) = ins.signers[0], ins.signers[1]
    office1, office2 = rng.choice(ZH_OFFICES), rng.choice(ZH_OFFICES)
    city_zh = ins.city.labels.get("zh", ins.city.label)
    lines = [f"{zt},是{s1.zh}与{s2.zh}于{ins.signed.year}年签署的条约。"
             f"主要规定了缔约双方在{ins.subject[2]}方面的合作。", "",
             f"{zt}于{zh_date(ins.signed)}由{s1.zh}{office1}{p1.zh}与{s2.zh}{office2}{p2.zh}在{city_zh}签订。"
             f"双方于{zh_date(ins.in_force)}互换批准书,本条约自{zh_date(ins.in_force)}起生效,"
             f"有效期{ins.years}年。", "",
             "中文名", "", zt.strip("《》"), "", "签订时间", "", zh_date(ins.signed), "", "签订地点", "",
             city_zh, "",
             "生效时间", "", zh_date(ins.in_force), "", "签署国", "", f"{s1.zh}和{s2.zh}", "",
             "相关领导人", "", f"{p1.zh},{p2.zh}", "", "条约全文", "",
             f"{s1.zh}和{s2.zh},为了巩固和发展两国之间的友好合作关系,决定缔结本条约,并各派全权代表如下:", "",
             f"{s1.zh}特派{office1}{p1.zh};", "", f"{s2.zh}特派{office2}{p2.zh}。", "",
             "双方全权代表互相校阅全权证书,认为妥善后,议定下列各条:", ""]
    articles = ["缔约双方将在互相尊重主权和领土完整、互不侵犯、互不干涉内政、平等互利、和平共处的原则基础上,"
                "发展两国间持久的友好关系。",
                "缔约双方将本着睦邻友好的精神,按照平等互利的原则,为进一步发展两国之间的经济关系和文化关系而努力。",
                "缔约双方对有关两国共同利益的一切重大国际问题,将继续进行彼此磋商。",
                "本条约不影响缔约各方同第三国关系的立场。",
                "缔约双方将促进两国科学、教育、文化、卫生、体育等方面的交流与合作,并为两国人民的往来提供便利。",
                "缔约双方同意设立混合委员会,每年轮流在两国首都举行会议,检查本条约的执行情况并提出建议。",
                "缔约任何一方如在本条约期满前一年未以书面通知缔约另一方要求终止本条约,则本条约将继续有效五年,并依照此规定顺延。",
                f"本条约须经批准,自在{ins.extra['other_city'].labels.get('zh', '')}交换批准书之日起生效。"
                f"本条约以{ZH_LANGUAGES.get(ins.languages[0], '中文')}和"
                f"{ZH_LANGUAGES.get(ins.languages[1], '俄文')}写成,两种文本具有同等效力。"]
    numerals = "一二三四五六七八九十"
    for i, article in enumerate(articles):
        lines += [f"第{numerals[i]}条 {article}", ""]
    return "\n".join(lines)


def chinese_news(ins: Instrument, rng: random.Random, published: dt.date) -> str:
    zt = zh_title(ins)
    (p1, s1, _, _), (p2, s2, _, _) = ins.signers[0], ins.signers[1]
    city_zh = ins.city.labels.get("zh", ins.city.label)
    lines = [f"新华社{city_zh}{zh_date(published, year=False)}电 {s1.zh}{rng.choice(ZH_OFFICES)}{p1.zh}和"
             f"{s2.zh}{rng.choice(ZH_OFFICES)}{p2.zh}{zh_date(ins.signed, year=False)}"
             f"在{city_zh}签订了{zt}。",
             f"{zt}规定,缔约双方将在平等互利的基础上发展{ins.subject[2]}方面的关系。条约有效期为{ins.years}年。双方代表在签字仪式上发表讲话,认为这一条约的签订是两国关系史上的一个里程碑。",
             f"{ins.signed.year}年以来,两国在政治、经济、文化等方面的交流发展很快。{zt}以法律形式确认了两国关系的各项原则,为两国关系的全面发展奠定了政治基础。",
             f"出席签字仪式的有两国政府的有关官员和外交使团的代表。签字仪式后,{p1.zh}举行宴会,庆祝{zt}的签订。"]
    return "\n\n".join(lines) + "\n"


_ARTICLE = re.compile(r"(?:Union|United|Republic|Kingdom|People|Democratic|Federal|Socialist|State|"
                      r"Commonwealth|Islamic|Hashemite|Grand|Swiss|Oriental|Lebanese|Syrian|Somali|Federative|Argentine|Khmer|"
                      r"Czechoslovak|Dominican|Hellenic|French|Italian|Portuguese|Lao|Yemen|Byelorussian|"
                      r"Ukrainian|German|Allied|Dutch|British|Mongolian|Empire)\b")


def _years_after(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years) if (day.month, day.day) != (2, 29) else day


def _the(name: str) -> str:
    """'the Union of Soviet Socialist Republics', but 'Japan', 'France'."""
    return f"the {name}" if _ARTICLE.match(name) else name


# --------------------------------------------------------------------------------------------- documents

PRIMARY = {"ExchangeOfNotes": "notes", "JointDeclaration": "joint-declaration"}
SECONDARY = [("news", 36), ("encyclopedia", 26), ("zh-baike", 14), ("zh-news", 12), ("unts", 12)]


def plan(count: int, seed: int) -> list[tuple[int, bool]]:
    """For each document: the instrument it describes and whether it is that instrument's primary text."""
    result, instrument = [], -1
    for index in range(count):
        first = index == 0 or random.Random(f"{seed}:split:{index}").random() < NEW_INSTRUMENT
        instrument += first
        result.append((instrument, first))
    return result


def document(index: int, seed: int, entities: Entities,
             planned: tuple[int, bool] | None = None) -> tuple[str, str, dict]:
    """The file name, text and metadata entry of document `index`."""
    instrument_index, first = planned or plan(index + 1, seed)[index]
    ins = make_instrument(instrument_index, seed, entities)
    rng = random.Random(f"{seed}:document:{index}")
    if first:
        layout = PRIMARY.get(ins.kind, "unts")
    else:
        layout = rng.choices([name for name, _ in SECONDARY], [w for _, w in SECONDARY])[0]
    published = None
    if layout == "unts":
        text, kind, langs = unts_page(ins, rng), "treaty-text", ["en", "fr"]
    elif layout == "notes":
        text, kind, langs = exchange_of_notes(ins, rng), "treaty-text", ["en"]
    elif layout == "joint-declaration":
        text, kind, langs = joint_declaration(ins, rng), "treaty-text", ["en"]
    elif layout == "news":
        published = ins.signed + dt.timedelta(days=rng.choice([1, 1, 2, 365 * rng.randint(10, 50)]))
        text, kind, langs = news_article(ins, rng, published), "news", ["en"]
    elif layout == "encyclopedia":
        text, kind, langs = encyclopedia_article(ins, rng), "encyclopedia", ["en"]
    elif layout == "zh-baike":
        text, kind, langs = chinese_baike(ins, rng), "encyclopedia", ["zh"]
    else:
        published = ins.signed + dt.timedelta(days=1)
        text, kind, langs = chinese_news(ins, rng, published), "news", ["zh"]
    text = re.sub(r"(?<=\.)\.(?=\s|$)", "", text)  # "D.R.V.." at a sentence end
    stem = f"{index:05d}_{layout}-{ins.signed.year}-{instrument_index:05d}"
    meta = {"file": f"{stem}.txt", "id": stem, "title": title(ins), "kind": kind, "languages": langs,
            "published": published.isoformat() if published else None}
    return f"{stem}.txt", text, meta


def generate(count: int, out: Path | None = None, *, seed: int = DEFAULT_SEED,
             kb: KnowledgeBase | None = None) -> Path:
    """Write `count` documents and a metadata.json into out (benchmarks/corpus-<count> by default).

    An existing folder holding exactly the documents this call would write is left as it is.
    """
    out = Path(out) if out is not None else HERE / f"corpus-{count}"
    stamp = out / ".generated.json"
    wanted = {"count": count, "seed": seed, "generator": _fingerprint()}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return out
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    entities = Entities(kb or load_kb())
    metadata = []
    for index, planned in enumerate(plan(count, seed)):
        name, text, meta = document(index, seed, entities, planned)
        (out / name).write_text(text, encoding="utf-8")
        metadata.append(meta)
    (out / "metadata.json").write_text(json.dumps({"documents": metadata}, ensure_ascii=False, indent=1),
                                       encoding="utf-8")
    stamp.write_text(json.dumps(wanted))
    return out


def _fingerprint() -> str:
    import hashlib
    return hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("counts", type=int, nargs="+", help="how many documents (one corpus per count)")
    parser.add_argument("--out", type=Path, help="output folder (only with one count)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if args.out and len(args.counts) > 1:
        parser.error("--out takes one count")
    kb = load_kb()
    for count in args.counts:
        folder = generate(count, args.out, seed=args.seed, kb=kb)
        sizes = [p.stat().st_size for p in folder.glob("*.txt")]
        print(f"{folder}: {len(sizes)} documents, {sum(sizes) / 1e6:.2f} MB, "
              f"mean {sum(sizes) / len(sizes) / 1e3:.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
