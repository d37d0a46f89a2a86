"""Mentions of instruments: treaty titles in running text, headings, quotes and 《》 brackets.

A title is the instrument keyword (Treaty, Agreement, Exchange of Notes, Joint Declaration,
Communiqué, Convention, Protocol, Pact, Traité, 条约, 协定 …) with the capitalised words before
it ("North Atlantic Treaty", "Sino-Soviet Treaty") and the capitalised tail after it ("of
Friendship, Alliance and Mutual Assistance"), cut before "between", "signed", "concluded" and
before another coordinated instrument. A subject after the parties ("Agreement between X and Y on
Air Services") belongs to the title, which is named without its parties ("Agreement on Air
Services"). A keyword written in lower case, or one whose title has no name of its own ("the said
Treaty", "This Treaty"), is an anaphor that points back to an instrument named before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import scan
from .dates import MONTHS
from .names import clean_label

MONTH_NAMES = frozenset(m for m in MONTHS if len(m) > 3)

_KEYWORDS = [
    ("ExchangeOfNotes", r"exchange\s+of\s+(?:notes|letters)|échange\s+de\s+(?:notes|lettres)|обмен\w*\s+нотами"),
    ("JointDeclaration", r"joint\s+(?:declaration|statement)|déclaration\s+commune|совместн\w+\s+декларац\w+"),
    ("Communique", r"(?:joint\s+)?communiqu[eé]|коммюнике"),
    ("Agreement", r"(?:armistice\s+)?agreements?|accords?|armistice|соглашени\w+"),
    ("Convention", r"conventions?|конвенци\w+"),
    ("Protocol", r"protocoles?|protocols?|протокол\w*"),
    ("Treaty", r"treat(?:y|ies)|pact|traités?|declaration|déclaration|договор\w*|декларац\w+|пакт\w*"),
]
KEYWORD_RE = re.compile("|".join(f"(?P<{kind}>\\b(?:{body})\\b)" for kind, body in _KEYWORDS), re.IGNORECASE)
# The words a keyword opens with, so that KEYWORD_RE is tried only where one begins.
_KEYWORD_STARTS = scan.WordStarts([
    "exchange", "échange", "обмен", "joint", "déclaration", "совместн", "communiqu", "коммюнике", "armistice",
    "agreement", "accord", "соглашени", "convention", "конвенци", "protocol", "протокол", "treat", "pact", "traité",
    "declaration", "договор", "декларац", "пакт"], ignore_case=True)
_CJK_TITLE_RE = re.compile(r"《(?P<title>[^《》\n]{2,60}?(?:条约|條約|协定|協定|公约|公約|宣言|公报|公報|议定书|議定書|声明|聲明|换文|換文))》")
_CJK_KINDS = (("换文", "ExchangeOfNotes"), ("換文", "ExchangeOfNotes"), ("联合声明", "JointDeclaration"),
              ("宣言", "JointDeclaration"), ("公报", "Communique"), ("公報", "Communique"), ("协定", "Agreement"),
              ("協定", "Agreement"), ("议定书", "Protocol"), ("議定書", "Protocol"), ("公约", "Convention"),
              ("公約", "Convention"))
_CONNECTORS = {"of", "on", "and", "the", "for", "in", "with", "to", "concerning", "regarding", "relating", "at",
               "between", "from", "against", "constituting", "by", "de", "du", "des", "et", "la", "le", "les", "sur",
               "concernant", "relatif", "à", "entre", "d", "l", "a", "an"}
_OPENERS = {"о", "об", "по", "относительно", "между", "of", "on", "concerning", "regarding", "relating", "for", "with", "between", "to", "de", "du", "des",
            "against", "constituting", "respecting", "portant", "pour", "relative",
            "sur", "concernant", "relatif", "d", "entre", "by"}
_STOPS = {"между", "подписан", "подписанный", "подписанного", "подписано", "заключен", "заключенный", "который",
          "которое", "был", "была", "были", "сроком", "between", "signed", "concluded", "done", "entre", "signé", "signés", "conclu", "conclus", "fait",
          "which", "that", "who", "as", "was", "were", "is", "are", "had", "has", "have"}
_PRONOUNS = {"I", "We", "It", "He", "She", "They", "This", "That", "These", "Those", "Which", "Who", "In", "On",
             "At", "By", "As", "If", "When", "While", "Being", "Sir", "The"}
_DETERMINERS = {"the", "this", "that", "said", "aforesaid", "present", "a", "an", "new", "such", "any", "each", "both",
                "other", "in", "on", "of", "by", "under", "with", "its", "their", "our", "his", "her", "above-mentioned",
                "same", "former", "latter", "le", "la", "les", "du", "des", "ce", "cet", "cette", "présent",
                "and", "or", "to", "for", "from", "see", "conclusion", "signing", "outdated", "old",
                "настоящий", "настоящего", "настоящим", "настоящее", "настоящая", "данный", "указанный", "этот"}
_RUSSIAN_VERB = re.compile(r"^[а-яё]{2,}(?:ться|тся|ть|ет|ит|ут|ют|ат|ят|ал|ил|ыл|ала|ила|али|или|ало|ило)$")
_RUSSIAN_STOPS = {"между", "подписан", "подписанный", "подписано", "заключен", "заключенный", "который", "которое",
                  "был", "была", "были", "было", "сроком", "от", "в", "во", "на", "с", "что", "это", "года", "год"}
_FRENCH_STOPS = {"ont", "a", "est", "sont", "qui", "que", "dont", "ces", "ce", "fins", "désigné", "désignés", "nommé",
                 "signé", "signés", "fait", "conclu", "conclus", "pour", "dans", "par", "avec", "été", "sera", "seront",
                 "entre", "au", "aux", "lequel", "lesquels", "ci-après", "afin", "il", "elle", "ils",
                 "devra", "devront", "doit", "doivent", "pourra", "pourront", "peut", "peuvent", "entrera",
                 "entreront", "restera", "resteront", "demeurera", "demeureront", "était", "étaient", "fut",
                 "furent", "avait", "avaient", "être", "ratifié", "ratifiée", "ratifiés", "signée", "signées",
                 "conclue", "conclues"}
_WORD_RE = re.compile(r",|(?:[A-Z]\.){2,}|[^\s,()\[\];:.!?\"]+|[()\[\];:.!?\"]")
_ELIDED = re.compile(r"[dl]'\w.*")  # d'Amérique, l'Union
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_YEAR = re.compile(r"1[89]\d\d|20\d\d")
_HEAD_WORD = re.compile(r"[^\s\"(]+")
_NAME_WORD = re.compile(r"[\w'-]+")
# the forms of state whose name follows "of" ("Republic of China", "United Kingdom of Libya")
STATE_FORMS = {"Republic", "Kingdom", "Union", "Federation", "Commonwealth", "States", "Principality",
               "Emirates", "Duchy", "Sultanate"}
# prefixes that hyphenate a title's word ("Non-Aggression", "Co-Operation", "Most-Favoured-Nation")
_WORD_PREFIXES = {"non", "co", "anti", "inter", "intra", "self", "most", "multi", "semi", "sub", "trans",
                  "pre", "post", "re", "counter", "cross", "extra", "ex", "pan", "neo", "ultra", "mutual"}
# straight quotes, curly quotes and guillemets (with the space French sets inside them)
_QUOTED = re.compile(r'"([^"\n]{4,200})"|“([^”\n]{4,200})”|«\s?([^»\n]{4,200}?)\s?»')
_SERIES = re.compile(r"\s+Series\b", re.IGNORECASE)
_BETWEEN = ("between", "entre", "между")
BETWEEN_RE = re.compile(r"\s+(?:" + "|".join(_BETWEEN) + r")\s+", re.IGNORECASE)
_JOINED_RE = re.compile(r"\s(?:and|et|и)\s", re.IGNORECASE)
# What a title is about, when it follows its parties ("… and the Government of Y on Air Services",
# "… et le Gouvernement de Y relatif à …"): an opener, then a capitalised word (any word in Russian) of
# three letters or more (not the spaced capitals of a heading, "Д О Г О В О Р").
_SUBJECT_RE = re.compile(r"\s(?P<opener>on|for|concerning|regarding|relating\s+to|respecting|with\s+respect\s+to|"
                         r"relatif\s+à|relative\s+à|concernant|portant\s+sur|sur|pour|о|об|по|относительно)"
                         r"\s+(?:the\s+|l[ea]\s+|l'|les\s+)?(?P<word>[^\W\d_][\w'-]{2,})", re.IGNORECASE)
_CONSTITUTING = re.compile(r"\bconstituting\s+(?:an?\s+)?$", re.IGNORECASE)
_NOT_A_SUBJECT = MONTH_NAMES | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                                "behalf"}


@dataclass(frozen=True, slots=True)
class InstrumentSpan:
    """An instrument mentioned in the view: its title span, kind and cleaned name.

    `specific` is false for anaphors ("the said Treaty"); `determiner` is the word before one
    ("this", "said", "a" …). `parties_span` covers a "between X and Y" clause after the title.
    """

    start: int
    end: int
    kind: str
    name: str
    specific: bool
    determiner: str = ""
    parties_span: tuple[int, int] | None = None
    heading: bool = False


def _kind_of(keyword: str) -> str:
    match = KEYWORD_RE.fullmatch(keyword)
    return match.lastgroup if match and match.lastgroup else "Treaty"


def _is_title_word(word: str, capitals: bool, french: bool) -> bool:
    if word == ",":
        return True
    lower = word.lower()
    if _CYRILLIC.search(word):
        return lower not in _RUSSIAN_STOPS and not _RUSSIAN_VERB.search(word)
    if lower in _CONNECTORS or _ELIDED.fullmatch(lower):
        return True
    if french:
        return lower not in _FRENCH_STOPS and (word.isalpha() or "-" in word or "'" in word)
    return word[:1].isupper() or word[:1].isdigit() or capitals


def _tail(text: str, start: int, limit: int, capitals: bool, french: bool) -> tuple[int, tuple[int, int] | None]:
    """The end of a title's tail from start, and the span of a "between …" clause after it."""
    first = _WORD_RE.search(text, start, limit)
    lead_word = first.group().lower() if first else ""
    opens = first is not None and (lead_word in _OPENERS or _ELIDED.fullmatch(lead_word))
    if not opens:
        # no tail: only a "between" clause (after any commas) needs the words that follow
        lead = next((m for m in _WORD_RE.finditer(text, start, limit) if m.group() != ","), None)
        if lead is None or lead.group().lower() not in _BETWEEN:
            return start, None
    words = [(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(text, start, limit)]
    if not opens:
        return start, _between(words, 0, limit)
    end, index = start, 0
    while index < len(words):
        word, _, word_end = words[index]
        lower = word.lower()
        gap = text[words[index - 1][2]:words[index][1]] if index else text[start:words[0][1]]
        if lower in _STOPS or word in "()[];:.!?\"" or ("\n" in gap and not capitals):
            break
        if lower in MONTH_NAMES or (word[:1].isdigit() and not capitals):
            break
        if word == "," and index + 1 < len(words) and words[index + 1][0] in _PRONOUNS:
            break
        if word == "," and _opens_another_item(words, index + 1):
            break
        if lower in ("and", "et", "и") and _coordinates_instrument(words, index):
            break
        if not _is_title_word(word, capitals, french):
            break
        if word != "," and lower not in _CONNECTORS:
            end = word_end
        index += 1
    while index < len(words) and words[index][2] <= end:
        index += 1
    return end, _between(words, index, limit)


def _opens_another_item(words: list[tuple[str, int, int]], index: int) -> bool:
    """Whether the words from index open with an article ("the", "a", "and the"), as the next item of
    a list or an apposition does, and no title after a comma ("T1, a Protocol to T1, and the Charter")."""
    following = [w[0].lower() for w in words[index:index + 2]]
    if following[:1] == ["and"]:
        following.pop(0)
    return following[:1] in (["the"], ["a"], ["an"])


def _coordinates_instrument(words: list[tuple[str, int, int]], index: int) -> bool:
    following = [w[0] for w in words[index + 1:index + 4]]
    while following and following[0].lower() in ("of", "the", "de", "du", "des", "la", "le", "les"):
        following.pop(0)
    return bool(following) and bool(KEYWORD_RE.match(following[0]))


def _between(words: list[tuple[str, int, int]], index: int, limit: int) -> tuple[int, int] | None:
    while index < len(words) and words[index][0] == ",":
        index += 1
    if index >= len(words) or words[index][0].lower() not in _BETWEEN:
        return None
    start = words[index][2]
    end = limit
    for word, word_start, _ in words[index + 1:]:
        if word in ".;:()" or word.lower() in ("signed", "concluded", "signé", "done", "which", "that", "who", "подписан",
                                                "который", "которое") \
                or KEYWORD_RE.fullmatch(word):
            end = word_start
            break
    return (start, end)


def split_between(text: str, start: int, end: int, capitals: bool = False
                  ) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """The parties of the "between X and Y" clause from start to end, and the subject of the title
    that follows them, if one does ("… and the Government of Y on Air Services")."""
    joined = _JOINED_RE.search(text, start, end)
    subject = _SUBJECT_RE.search(text, joined.end(), end) if joined else None
    if subject is None or subject.group("word").lower() in _NOT_A_SUBJECT:
        return (start, end), None
    word = subject.group("word")
    if not (word[:1].isupper() or capitals or _CYRILLIC.match(word)):
        return (start, end), None
    return (start, subject.start()), (subject.start("opener"), end)


def titled(text: str, start: int, between_start: int, subject: tuple[int, int] | None) -> str:
    """A title without its parties: the words before "between" and the subject after the parties."""
    return clean_label(text[start:between_start] + (" " + text[subject[0]:subject[1]] if subject else ""))


def instrument_head(text: str, keyword_start: int, capitals: bool) -> tuple[int, str]:
    """The start of the capitalised words before a keyword, and the determiner before them."""
    start = keyword_start
    words = list(_HEAD_WORD.finditer(text[max(0, keyword_start - 80):keyword_start]))
    for index in range(len(words) - 1, -1, -1):
        word = words[index].group()
        position = max(0, keyword_start - 80) + words[index].start()
        if text[position + len(word):start].strip() or "\n" in text[position + len(word):start]:
            break
        bare = word.strip(",.;:")
        if bare != word or not bare:
            return start, bare.lower()
        if bare == "of" and start < keyword_start and index and _names_a_state_form(words[index - 1].group()):
            start = position
            continue
        if bare.lower() in _DETERMINERS and not _opens_a_name(bare, start < keyword_start) \
                or (capitals and bare.lower() in ("no", "by")):
            return start, bare.lower()
        if not (bare[:1].isupper() or _YEAR.fullmatch(bare)):
            return start, bare.lower()
        start = position
    return start, ""


def _names_a_state_form(word: str) -> bool:
    """Whether a word ends in a state's form, which "of" joins to its name inside a title's head
    ("Egyptian-Republic of China Treaty", "Republic of China–Japan Agreement")."""
    return re.split(r"[-\u2013]", word)[-1] in STATE_FORMS


def _opens_a_name(word: str, before_a_name: bool) -> bool:
    """Whether a capitalised "New" begins a name ("New Zealander-Cuban Convention", "the New Delhi
    Agreement") rather than saying the instrument is new ("the New Treaty")."""
    return word == "New" and before_a_name


def _specific(name: str, kind_keyword: str) -> bool:
    content = [w for w in _NAME_WORD.findall(name)
               if (lower := w.lower()) not in _CONNECTORS and lower not in _DETERMINERS
               and lower not in ("notes", "letters", "joint", "peace", "new", "armistice")
               and not _YEAR.fullmatch(w) and not KEYWORD_RE.fullmatch(w)]
    compounds = [w for w in content if _looks_like_parties(w)]
    return len(content) > len(compounds) and len(name) > len(kind_keyword) + 2


def _looks_like_parties(word: str) -> bool:
    """Whether a word looks like a compound of parties ("Sino-Soviet", "Franco-German"), which alone
    with a keyword names no one instrument, rather than a prefixed word ("Non-Aggression")."""
    pieces = word.split("-")
    return len(pieces) > 1 and all(p[:1].isupper() for p in pieces) \
        and pieces[0].lower() not in _WORD_PREFIXES


def _enclosing_quote(text: str, start: int, end: int) -> tuple[int, int] | None:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    for match in _QUOTED.finditer(text[line_start:line_end]):
        left, right = (line_start + place for place in match.span(match.lastindex))
        if left <= start and end <= right:
            return left, right
    return None


def _spoken(text: str, start: int, end: int) -> bool:
    """Whether quotes hold words spoken ("This treaty is a milestone …"), not a title: English and
    French titles in quotes capitalise their kind of instrument, and speech does not. (Russian
    titles capitalise their first word only, so this is asked of Latin keywords.)"""
    return not any(keyword.group()[:1].isupper() for keyword in KEYWORD_RE.finditer(text, start, end))


def find_instruments(text: str, *, french_spans: list[tuple[int, int]] = ()) -> list[InstrumentSpan]:
    """Every instrument title and anaphor in text (view), in text order."""
    found: list[InstrumentSpan] = []
    for match in scan.finditer(KEYWORD_RE, _KEYWORD_STARTS, text):
        keyword = match.group()
        if _SERIES.match(text[match.end():match.end() + 8]):
            continue
        french = any(s <= match.start() < e for s, e in french_spans)
        capitals = keyword.isupper()
        lower = keyword[:1].islower()
        limit = _clause_limit(text, match.end())
        cyrillic = "\u0400" <= keyword[0] <= "\u04ff"
        quote = _enclosing_quote(text, match.start(), match.end())
        if quote is not None and not (lower and not cyrillic and _spoken(text, *quote)):
            found.append(_quoted(text, *quote, match, capitals))
            continue
        head, determiner = (match.start(), "") if lower or cyrillic else instrument_head(text, match.start(), capitals)
        if cyrillic:
            determiner = instrument_head(text, match.start(), False)[1]
        if lower:
            determiner = instrument_head(text, match.start(), False)[1]
            end, parties = match.end(), None
        else:
            end, parties = _tail(text, match.end(), limit, capitals, french)
        title = text[head:end]
        if parties is not None:
            title, end, parties = _with_subject(text, head, end, parties, limit, capitals, french)
        specific = not lower and _specific(title, keyword)
        kind = match.lastgroup or "Treaty"
        found.append(InstrumentSpan(head, end, kind, clean_label(title), specific, determiner, parties))
    found.extend(_cjk_instruments(text))
    return _without_nested_duplicates(sorted(found, key=lambda s: (s.start, -s.end)), text)


def _with_subject(text: str, head: int, end: int, parties: tuple[int, int], limit: int, capitals: bool,
                  french: bool) -> tuple[str, int, tuple[int, int]]:
    """A title in running text whose subject follows its "between" clause: its name, its end after
    the subject, and its parties."""
    parties, subject = split_between(text, *parties, capitals)
    subject_end = _tail(text, subject[0], limit, capitals, french)[0] if subject else end
    if subject_end <= end:
        return text[head:end], end, parties
    return titled(text, head, end, (subject[0], subject_end)), subject_end, parties


def _quoted(text: str, start: int, end: int, keyword: re.Match, capitals: bool) -> InstrumentSpan:
    """A quoted title, told from the parties in a "between" clause inside the quotes."""
    between = BETWEEN_RE.search(text, keyword.end(), end)
    parties, subject = split_between(text, between.end(), end, capitals) if between else (None, None)
    title = titled(text, start, between.start(), subject) if between else text[start:end]
    return InstrumentSpan(start, end, keyword.lastgroup or "Treaty", clean_label(title),
                          _specific(title, keyword.group()), parties_span=parties)


# (?<!\b[A-Z])(?<!\bMr)(?<!\bDr)(?<!\bNo)[.;:!?](?:\s|$)|\n\s*\n, opening with the class of the
# characters a stop begins with (the engine skips to those) and checking what stands before one
# after it.
_CLAUSE_STOP = re.compile(r"[.;:!?\n](?:(?<=[.;:!?])(?<!\b[A-Z].)(?<!\bMr.)(?<!\bDr.)(?<!\bNo.)(?:\s|$)"
                          r"|(?<=\n)\s*\n)")


# The characters a title with its parties may run to, so that a run-on text (a listing without
# stops) is not read to its end again for each title in it.
_TITLE_REACH = 1_000


def _clause_limit(text: str, position: int) -> int:
    reach = min(len(text), position + _TITLE_REACH)
    match = _CLAUSE_STOP.search(text, position, reach + 2)
    return min(match.start(), reach) if match else reach


_CJK_ANAPHOR_RE = re.compile(r"(?P<det>本|该|該|此|这个|這個|上述)(?P<kw>条约|條約|协定|協定|公约|公約|宣言|议定书|議定書|公报|公報)")

_CJK_ANAPHOR_ANCHORS = scan.Anchors(_CJK_ANAPHOR_RE, "条约", "條約", "协定", "協定", "公约", "公約", "宣言", "议定书",
                                    "議定書", "公报", "公報")
_CJK_TITLE_ANCHORS = scan.Anchors(_CJK_TITLE_RE, "《")


def _cjk_instruments(text: str) -> list[InstrumentSpan]:
    spans = [InstrumentSpan(m.start(), m.end(), next((k for suffix, k in _CJK_KINDS if m.group("kw").endswith(suffix)),
                                                    "Treaty"), m.group(), False, "本" if m.group("det") == "本" else "the")
             for m in (_CJK_ANAPHOR_RE.finditer(text) if not _CJK_ANAPHOR_ANCHORS.absent(text) else ())]
    for match in _CJK_TITLE_RE.finditer(text) if not _CJK_TITLE_ANCHORS.absent(text) else ():
        group = "title"
        title = match.group(group)
        kind = next((k for suffix, k in _CJK_KINDS if title.endswith(suffix)), "Treaty")
        start, end = match.span(group)
        specific = len(title) > 3 and title not in ("条约", "该条约", "本条约", "这个条约", "新条约")
        spans.append(InstrumentSpan(start, end, kind, title, specific))
    return spans


def _without_nested_duplicates(spans: list[InstrumentSpan], text: str) -> list[InstrumentSpan]:
    """Drop a span that starts inside a kept span of the same keyword position (quotes and titles),
    or that names the kept one again ("Exchange of Notes constituting an Agreement …")."""
    kept: list[InstrumentSpan] = []
    reaching: list[InstrumentSpan] = []  # the kept spans that reach the current start (spans come by start)
    for span in spans:
        reaching = [k for k in reaching if k.end >= span.start]
        around = [k for k in reaching if k.start <= span.start and span.end <= k.end]
        if any(k.start < span.start and _CONSTITUTING.search(text, k.start, span.start) for k in around):
            continue
        if any(k.name == span.name or not span.specific and k.start < span.start for k in around):
            if any(k.start == span.start and k.end == span.end for k in around) or not span.specific:
                continue
        kept.append(span)
        reaching.append(span)
    return kept


_HEADING_END = re.compile(r"\.\s+(?:SIGNED|DONE|CONCLUDED|SIGNÉ|FAIT|CONCLU|ПОДПИСАН)\b|\.\s*$")
_HEADING_STOP = re.compile(_HEADING_END.pattern + r"|\s+(?P<between>BETWEEN|ENTRE|МЕЖДУ)\s+")


def heading_title(text: str, start: int, end: int) -> tuple[int, int, tuple[int, int] | None, str] | None:
    """The title span of an all-capitals heading block (after any "No. 1234."), its "BETWEEN" clause,
    and its name (the title without its parties)."""
    block = text[start:end]
    number = re.match(r"\s*No\.\s*[\dIV-]+\.\s*", block)
    title_start = start + (number.end() if number else 0)
    keyword = KEYWORD_RE.match(text, title_start)
    if keyword is None:
        head = instrument_head(text, KEYWORD_RE.search(text, title_start, end).start(), True)[0] \
            if KEYWORD_RE.search(text, title_start, end) else None
        if head is None or head != title_start:
            return None
    cut = _HEADING_STOP.search(text, title_start, end)
    title_end = cut.start() if cut else end
    if not (cut and cut.group("between")):
        return title_start, title_end, None, clean_label(text[title_start:title_end])
    after = _HEADING_END.search(text, cut.end(), end)
    parties, subject = split_between(text, cut.end(), after.start() if after else end, capitals=True)
    name = titled(text, title_start, cut.start(), subject)
    return title_start, subject[1] if subject else title_end, parties, name
