"""Entity resolution: one node per real-world entity, whatever the spelling, script or era.

Instrument mentions are merged when a document ties them (the two languages of a UNTS page),
when the knowledge base knows the title, or when their titles agree once party adjectives,
years and articles are set aside ("1945 Sino-Soviet Treaty of Friendship and Alliance" is the
"Treaty of Friendship and Alliance") and their signing years do not disagree, unless their
evidence separates them: many bilateral instruments share a generic title ("Agreement on
Cultural Co-operation"), and accounts that name other parties, or other parties and another
signing day, are of other instruments, named after their title with their parties and year
("Agreement on Cultural Co-operation (Libya, Switzerland, 1962)"). Names of states,
persons and places resolve through the knowledge base by kind and by the date of the event
(`KnowledgeBase.choose`); a state named as a party is resolved at the instrument's signing date.
What the knowledge base does not know becomes an unlinked entity keyed by its normalised name.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .dates import DateValue
from .facts import Fact, Mention, Value
from .instruments import KEYWORD_RE
from .kb import PLACE_KINDS, TREATY_KINDS, KBEntry, KnowledgeBase
from .names import name_key, romanization_key

_KIND_RANK = {"ExchangeOfNotes": 0, "JointDeclaration": 0, "Communique": 0, "Protocol": 1, "Convention": 1,
              "Agreement": 2, "Treaty": 3}
_YEAR = re.compile(r"1[89]\d\d|20\d\d")
_TITLE_NOISE = {"the", "a", "an", "1", "le", "la", "les", "l", "d"}
_TITLE_SYNONYMS = {"agreements": "agreement", "treaties": "treaty", "concerning": "on", "regarding": "on",
                   "relating": "on", "notes": "notes", "communique": "communique", "accords": "accord"}


@dataclass(frozen=True, slots=True)
class Entity:
    """A resolved entity: its key, class, labels and Wikidata link with the reason for it."""

    key: str
    kind: str
    label: str
    alt_labels: tuple[str, ...] = ()
    qid: str | None = None
    link_reason: str | None = None
    link_confidence: float | None = None
    documents: tuple[str, ...] = ()
    event_date: str | None = None


@dataclass(frozen=True, slots=True)
class ResolvedFact:
    """A fact whose subject and object are entity keys (or a literal)."""

    subject: str
    predicate: str
    object: str | Value
    fact: Fact


@dataclass
class Resolution:
    """The entities of a corpus and its facts stated between them."""

    entities: dict[str, Entity] = field(default_factory=dict)
    facts: list[ResolvedFact] = field(default_factory=list)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Mention, Mention] = {}

    def find(self, item: Mention) -> Mention:
        self.parent.setdefault(item, item)
        while self.parent[item] is not item:  # identity: a mention is one object per document
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, left: Mention, right: Mention) -> None:
        a, b = self.find(left), self.find(right)
        if a is not b:
            self.parent[max(a, b, key=_order)] = min(a, b, key=_order)


def _order(mention: Mention) -> tuple:
    """A total order of mentions: two mentions of one span may differ in kind, group, date or
    way of naming, and which of them comes first must not depend on hashing (hash(None) differs
    from process to process); None sorts before every string."""
    return (mention.doc_id, mention.start, mention.end, mention.name, mention.kind,
            mention.group is not None, mention.group or "", mention.date is not None, mention.date or "",
            mention.via)


def _chinese_title_key(name: str, kb: KnowledgeBase) -> tuple[str, ...]:
    """A Chinese title with each state's full name shortened to its one-character form and the
    connectors between them dropped: 中华人民共和国和朝鲜民主主义人民共和国友好合作互助条约 -> 中朝友好合作互助条约."""
    text = name.strip("《》")
    for full, short in kb.derived("chinese short state names", _chinese_short_names):
        if full in text:
            text = text.replace(full, short)
    text = re.sub(r"^([\u4e00-\u9fff])[和与與同]([\u4e00-\u9fff])", r"\1\2", text)
    if len(text) > 2 and all(kb.is_state_adjective(ch) for ch in text[:2]):
        text = "".join(sorted(text[:2])) + text[2:]
    return tuple(text)


def _chinese_short_names(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """Each Chinese name of a state, longest first, with the one-character form that stands for it."""
    pairs = []
    for key, candidates in sorted(kb.by_name.items(), key=lambda item: -len("".join(item[0]))):
        full = "".join(key)
        if len(full) < 2 or not all("\u4e00" <= c <= "\u9fff" for c in full):
            continue
        short = next((a.name for c in candidates if c.entry.kind == "State" for a in c.entry.adjectives
                      if len(a.name) == 1 and "\u4e00" <= a.name <= "\u9fff"), None)
        if short:
            pairs.append((full, short))
    return pairs


def title_key(name: str, kb: KnowledgeBase) -> tuple[str, ...]:
    """The words a title is compared by: no articles, years, or party adjectives before the keyword.
    (Titles recur across mentions and documents: each is worked out once per knowledge base.)

    >>> from .kb import KnowledgeBase
    >>> title_key("the 1945 Sino-Soviet Treaty of Friendship and Alliance", KnowledgeBase())
    ('sino', 'soviet', 'treaty', 'of', 'friendship', 'and', 'alliance')
    """
    known: dict[str, tuple[str, ...]] = kb.derived("title keys", lambda _: {})
    key = known.get(name)
    if key is None:
        key = known[name] = _title_key(name, kb)
    return key


def _title_key(name: str, kb: KnowledgeBase) -> tuple[str, ...]:
    if any("\u4e00" <= c <= "\u9fff" for c in name[:3]):
        return _chinese_title_key(name, kb)
    tokens = [_TITLE_SYNONYMS.get(t, t) for t in name_key(name)]
    compound, words = _compound_width(name), len(tokens)
    while tokens:
        first = tokens[0]
        stripped = words - len(tokens)
        if first in _TITLE_NOISE or _YEAR.fullmatch(first) or kb.is_state_adjective(first):
            tokens.pop(0)
        elif len(tokens) > 1 and kb.is_state_adjective(f"{first} {tokens[1]}"):  # "south african"
            del tokens[:2]
        elif stripped < compound and (named := _state_name_width(tokens, kb)):
            del tokens[:named]
        else:
            break
    return tuple(tokens)


def _compound_width(name: str) -> int:
    """How many of a title's words (after articles and years) a compound of parties opening it
    spans ("Japan–Mongolia", "Taiwan-Guinean", "Libyan-Republic of China"): its first word's, when
    that is hyphenated; 0 when the title opens with no compound."""
    words = name.split()
    skipped = 0
    while words and (words[0].lower() in _TITLE_NOISE or _YEAR.fullmatch(words[0])):
        skipped += len(name_key(words.pop(0)))
    return skipped + len(name_key(words[0])) if words and re.search(r"[\w.][-–]\w", words[0]) else 0


def _state_name_width(tokens: list[str], kb: KnowledgeBase) -> int:
    """The number of leading words that name a state in a compound of parties ("viet nam",
    "republic of china"), leaving at least one word of the title; 0 when they name none."""
    for width in range(min(4, len(tokens) - 1), 0, -1):
        if kb.is_state_name(" ".join(tokens[:width])):
            return width
    return 0


def _kb_treaty(mention: Mention, kb: KnowledgeBase, year: int | None = None) -> KBEntry | None:
    """The knowledge base's instrument of that title, unless its signing year contradicts the text's
    (worked out once per title and year)."""
    known: dict[tuple[str, int | None], KBEntry | None] = kb.derived("treaties by title", lambda _: {})
    question = (mention.name, year)
    if question not in known:
        known[question] = _kb_treaty_of(mention.name, kb, year)
    return known[question]


def _kb_treaty_of(name: str, kb: KnowledgeBase, year: int | None) -> KBEntry | None:
    candidates = [c for c in kb.names(name) if c.entry.kind in TREATY_KINDS]
    if not candidates:
        stripped = " ".join(title_key(name, kb))
        candidates = [c for c in kb.names(stripped) if c.entry.kind in TREATY_KINDS]
    if year is not None:
        candidates = [c for c in candidates if not c.entry.signed or int(c.entry.signed[:4]) == year]
    return kb.choose(candidates)


def _signing_years(facts: Iterable[Fact]) -> dict[Mention, int]:
    years: dict[Mention, int] = {}
    for fact in facts:
        if fact.predicate == "signingDate" and isinstance(fact.object, Value):
            years.setdefault(fact.subject, int(fact.object.lexical[:4]))
    return years


def _instrument_clusters(mentions: list[Mention], facts: list[Fact],
                         kb: KnowledgeBase) -> tuple[dict[Mention, str], dict[str, str]]:
    """Assign every instrument mention a cluster key; the second answer gives the keys of
    instruments that share their title with others the words that tell them apart
    ("Libya, Switzerland, 1962").

    Within a document, mentions the document ties (a `group`), mentions the knowledge base
    resolves to one entry, and mentions of one title whose signing years do not disagree are one
    instrument (a unit). Across documents, units of one knowledge-base entry or one title are
    merged unless their evidence separates them (`_separated`): many bilateral instruments share a
    generic title ("Agreement on Cultural Co-operation") and are told apart by their parties and
    signing dates alone.
    """
    years = _signing_years(facts)
    union = _UnionFind()
    by_group: dict[tuple[str, str], Mention] = {}
    local: dict[tuple, Mention] = {}
    entry_of: dict[Mention, KBEntry | None] = {}
    for mention in sorted(mentions, key=_order):
        union.find(mention)
        if mention.group:
            first = by_group.setdefault((mention.doc_id, mention.group), mention)
            union.union(first, mention)
        entry = entry_of[mention] = _kb_treaty(mention, kb, years.get(mention))
        key: tuple = ("kb", entry.id) if entry else ("title", title_key(mention.name, kb), years.get(mention))
        first = local.setdefault((mention.doc_id, key), mention)
        union.union(first, mention)
    _merge_chinese_abbreviations(mentions, union, kb, years)
    dated: dict[tuple[str, tuple], list[Mention]] = defaultdict(list)
    for (doc_id, key), mention in local.items():
        if key[0] == "title" and key[2] is not None:
            dated[(doc_id, key[1])].append(mention)
    for (doc_id, key), mention in local.items():
        if key[0] == "title" and key[2] is None and len(dated.get((doc_id, key[1]), ())) == 1:
            union.union(dated[(doc_id, key[1])][0], mention)
    units: dict[Mention, list[Mention]] = defaultdict(list)
    for mention in mentions:
        units[union.find(mention)].append(mention)
    evidence = _unit_evidence(facts, {m: union.find(m) for m in mentions}, kb)
    clusters = _Clusters(kb)
    for root in sorted(units, key=lambda r: evidence[r].rank() + (_order(r),)):
        members = units[root]
        kb_ids = sorted({entry_of[m].id for m in members if entry_of[m] is not None})
        titles = sorted({" ".join(title_key(m.name, kb)) or m.name for m in members})
        clusters.place(root, members, kb_ids, titles, evidence[root])
    clusters.merge_kind_only()
    return clusters.keys()


@dataclass
class _Evidence:
    """What the documents say about one instrument that tells it from another of its title: the
    states party to it (named as parties, or represented by its signatories), the days and years
    it was signed in, and the days and years it entered into force or was registered in (by which
    it had been signed)."""

    parties: set[str] = field(default_factory=set)
    days: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    in_force_years: set[int] = field(default_factory=set)
    in_force_days: set[str] = field(default_factory=set)

    def rank(self) -> tuple[int, ...]:
        """Units that say most come first, so that the least said joins what is best known."""
        return (-(bool(self.parties) and bool(self.days)), -bool(self.parties), -bool(self.days))

    def add(self, other: _Evidence) -> None:
        self.parties |= other.parties
        self.days |= other.days
        self.years |= other.years
        self.in_force_years |= other.in_force_years
        self.in_force_days |= other.in_force_days


def _separated(left: _Evidence, right: _Evidence) -> bool:
    """Whether two accounts of instruments of one title are of two instruments:

    - both name parties and no state is among both;
    - each names two or more parties, and a party the other does not (the Libyan-Swiss and the
      Libyan-Iraqi agreements);
    - both give signing days, no day is in both, and the parties differ; when one account's
      parties are among the other's (a source naming fewer of them) the years must differ too;
    - one puts its instrument in force, or on the register, in a year before every year the
      other gives for the signing of its own (and they share no signing year), or, when both give
      their signing days and share none, on a day before every day the other gives.

    Otherwise the accounts disagree about one instrument (the same parties and another day; one
    source without parties or dates), which is kept as one instrument with both claims."""
    ours, theirs = left.parties - right.parties, right.parties - left.parties
    if left.parties and right.parties and not left.parties & right.parties:
        return True
    if _in_force_before_signed(left, right) or _in_force_before_signed(right, left):
        return True
    if len(left.parties) >= 2 and len(right.parties) >= 2 and ours and theirs:
        return True
    if not (left.days and right.days and left.parties and right.parties) or left.days & right.days:
        return False
    return bool(ours and theirs) or (bool(ours or theirs) and not left.years & right.years)


def _in_force_before_signed(earlier: _Evidence, later: _Evidence) -> bool:
    if earlier.in_force_days and earlier.days and later.days and not earlier.days & later.days \
            and min(earlier.in_force_days) < min(later.days):
        return True  # two accounts, each with its signing day, of an instrument in force before the other's
    return bool(earlier.in_force_years and later.years and not earlier.years & later.years
                and min(earlier.in_force_years) < min(later.years))


_SIGNED_BY = frozenset({"entryIntoForceDate", "registrationDate"})  # an instrument is signed by then


def _unit_evidence(facts: list[Fact], unit_of: dict[Mention, Mention],
                   kb: KnowledgeBase) -> dict[Mention, _Evidence]:
    """Each unit's parties, signing days and years, and years in force, from the documents that mention it."""
    evidence: dict[Mention, _Evidence] = defaultdict(_Evidence)
    signers: dict[tuple[str, str], set[Mention]] = defaultdict(set)
    represented: dict[tuple[str, str], set[str]] = defaultdict(set)
    for fact in facts:
        unit = unit_of.get(fact.object) if isinstance(fact.object, Mention) else unit_of.get(fact.subject)
        if fact.predicate == "signingDate" and unit is not None and isinstance(fact.object, Value):
            evidence[unit].years.add(int(fact.object.lexical[:4]))
            if DateValue(fact.object.lexical).precision == "day":
                evidence[unit].days.add(fact.object.lexical)
        elif fact.predicate in _SIGNED_BY and unit is not None and isinstance(fact.object, Value):
            evidence[unit].in_force_years.add(int(fact.object.lexical[:4]))
            if DateValue(fact.object.lexical).precision == "day":
                evidence[unit].in_force_days.add(fact.object.lexical)
        elif fact.predicate == "isPartyTo" and unit is not None and fact.subject.kind == "State":
            state = _state_key(fact.subject, kb)
            if state:
                evidence[unit].parties.add(state)
        elif fact.predicate == "signs" and unit is not None:
            signers[(fact.doc_id, _person_key(fact.subject, kb))].add(unit)
        elif fact.predicate == "represents" and isinstance(fact.object, Mention) \
                and fact.object.kind == "State":
            state = _state_key(fact.object, kb)
            if state:
                represented[(fact.doc_id, _person_key(fact.subject, kb))].add(state)
    for person, units in signers.items():
        for unit in units:
            evidence[unit].parties |= represented.get(person, set())
    return evidence


def _state_key(mention: Mention, kb: KnowledgeBase) -> str:
    return _resolve_name(mention, kb, DateValue(mention.date) if mention.date else None)[0]


def _person_key(mention: Mention, kb: KnowledgeBase) -> str:
    if mention.kind == "Person":
        return _resolve_name(mention, kb, None)[0]
    return " ".join(name_key(mention.name))


@dataclass(eq=False)
class _Cluster:
    members: list[Mention]
    evidence: _Evidence
    kb_id: str | None = None
    title: str = ""
    titles: tuple[str, ...] = ()  # the titles it is found under (an instrument the knowledge base lacks)


class _Clusters:
    """Instruments being formed: a unit joins the one instrument of its knowledge-base entry or
    title that its evidence fits best, or starts a new one.

    A unit that names parties fits no instrument that names others only (`_separated`), so it
    looks only at the instruments of its titles that share a party with it or name none: a
    generic title ("Agreement on Cultural Co-operation") holds thousands of instruments in a
    whole treaty series, and checking each against each would grow with the square of the corpus."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.all: list[_Cluster] = []
        self.by_kb: dict[str, _Cluster] = {}
        self.by_title: dict[str, list[_Cluster]] = defaultdict(list)
        self.by_title_party: dict[tuple[str, str], list[_Cluster]] = defaultdict(list)
        self.without_parties: dict[str, dict[_Cluster, None]] = defaultdict(dict)  # by title, in order

    def place(self, root: Mention, members: list[Mention], kb_ids: list[str], titles: list[str],
              evidence: _Evidence) -> None:
        for kb_id in kb_ids:
            cluster = self.by_kb.get(kb_id)
            if cluster is None:
                entry = self.kb.entries[kb_id]
                days = {entry.signed} if entry.signed and len(entry.signed) == 10 else set()
                years = {int(entry.signed[:4])} if entry.signed else set()
                cluster = _Cluster([], _Evidence(days=days, years=years), kb_id, titles[0])
                self.by_kb[kb_id] = cluster
                self.all.append(cluster)
            entry = self.kb.entries[kb_id]
            dated_otherwise = entry.signed and evidence.years and int(entry.signed[:4]) not in evidence.years
            if not dated_otherwise and not _separated(cluster.evidence, evidence):
                self._join(cluster, members, evidence)
                return
        fitting = [c for c in self._candidates(titles, evidence) if not _separated(c.evidence, evidence)]
        chosen = _best(fitting, evidence)
        if chosen is None:
            title = " ".join(title_key(root.name, self.kb)) or root.name
            chosen = _Cluster([], _Evidence(), None, title, tuple(titles))
            self.all.append(chosen)
            for t in titles:
                self.by_title[t].append(chosen)
                self.without_parties[t][chosen] = None
        self._join(chosen, members, evidence)

    def merge_kind_only(self) -> None:
        """An instrument titled by its kind alone ("Egyptian-Syrian Joint Declaration" is the "Joint
        Declaration" once its parties are set aside) is the one titled instrument of that kind with
        the same two or more parties, signed on one of its days; when there are none, or several
        (a report of "the Brazilian-Liberian Agreement" could be of either agreement signed that
        day), it stays an instrument of its own. Asked once every unit is placed, so that the
        answer does not hang on the order of the documents."""
        named: dict[tuple[frozenset[str], str], list[_Cluster]] = defaultdict(list)
        for cluster in self.all:
            if len(cluster.evidence.parties) >= 2 and not _kind_only(cluster.title):
                for day in cluster.evidence.days:
                    named[(frozenset(cluster.evidence.parties), day)].append(cluster)
        kept = []
        for cluster in self.all:
            kind_only = cluster.kb_id is None and _kind_only(cluster.title)
            target = _named_instrument(cluster, named) if kind_only else None
            if target is None:
                kept.append(cluster)
            else:
                target.members += cluster.members
                target.evidence.add(cluster.evidence)
        self.all = kept

    def _candidates(self, titles: list[str], evidence: _Evidence) -> list[_Cluster]:
        """The instruments of the titles the unit could fit: all of them; when it names parties,
        those that share one with it or name none; when it says nothing but its title, the first
        two (it fits every one, and joins one only when there is no other)."""
        everything = (c for t in titles for c in self.by_title.get(t, ()))
        if not (evidence.parties or evidence.days or evidence.years or evidence.in_force_years):
            first = dict.fromkeys(itertools.islice(everything, len(titles) + 1))  # two, if there are two
            return list(first)[:2]
        if not evidence.parties:
            return list(dict.fromkeys(everything))
        sharing = (c for t in titles for p in evidence.parties for c in self.by_title_party.get((t, p), ()))
        bare = (c for t in titles for c in self.without_parties.get(t, ()))
        return list(dict.fromkeys(itertools.chain(sharing, bare)))

    def _join(self, cluster: _Cluster, members: list[Mention], evidence: _Evidence) -> None:
        cluster.members += members
        named = evidence.parties - cluster.evidence.parties
        cluster.evidence.add(evidence)
        for t in cluster.titles if named else ():
            self.without_parties[t].pop(cluster, None)
            for party in named:
                self.by_title_party[(t, party)].append(cluster)

    def keys(self) -> tuple[dict[Mention, str], dict[str, str]]:
        """Each mention's instrument key: its knowledge-base id, or its title, followed, when
        several instruments share the title, by what tells this one apart (`_qualifiers`)."""
        named: dict[str, list[_Cluster]] = defaultdict(list)
        for cluster in self.all:
            if cluster.kb_id is None:
                named[f"instrument:{cluster.title}"].append(cluster)
        keys: dict[Mention, str] = {}
        qualifiers: dict[str, str] = {}
        told_apart = {id(c): q for siblings in named.values() if len(siblings) > 1
                      for c, q in zip(siblings, _qualifiers(siblings, self.kb), strict=True)}
        for cluster in self.all:
            key = cluster.kb_id or f"instrument:{cluster.title}"
            if id(cluster) in told_apart and (cluster.evidence.parties or cluster.evidence.years):
                qualifier = told_apart[id(cluster)]
                key = f"{key} ({qualifier})"
                qualifiers[key] = qualifier
            for mention in cluster.members:
                keys[mention] = key
        return keys, qualifiers


def _kind_only(title: str) -> bool:
    """Whether a title key is its kind's keyword alone ("joint declaration")."""
    return KEYWORD_RE.fullmatch(title) is not None


def _named_instrument(cluster: _Cluster,
                      named: dict[tuple[frozenset[str], str], list[_Cluster]]) -> _Cluster | None:
    """The one titled instrument a cluster titled by its kind alone is (merge_kind_only), or None."""
    if len(cluster.evidence.parties) < 2:
        return None
    near = {id(c): c for day in sorted(cluster.evidence.days)
            for c in named.get((frozenset(cluster.evidence.parties), day), ())}
    kind = set(cluster.title.split())
    fitting = [c for c in near.values()
               if kind <= set(c.title.split()) and not _separated(c.evidence, cluster.evidence)]
    return fitting[0] if len(fitting) == 1 else None


def _best(clusters: list[_Cluster], evidence: _Evidence) -> _Cluster | None:
    """The instrument a unit belongs to among those it fits: the only one, or the one that shares
    the most parties and its signing day with it; None (a new instrument) when that is a tie."""
    if len(clusters) <= 1:
        return clusters[0] if clusters else None
    scored = sorted(((len(c.evidence.parties & evidence.parties), bool(c.evidence.days & evidence.days),
                      bool(c.evidence.years & evidence.years)), i) for i, c in enumerate(clusters))
    (best, index), (second, _) = scored[-1], scored[-2]
    return clusters[index] if best > second else None


def _short_name(key: str, kb: KnowledgeBase) -> str:
    """A state's name for a qualifier: its first alias in plain letters that is no abbreviation,
    when that is shorter than its label ("United States" for "United States of America")."""
    entry = kb.entries.get(key)
    if entry is None:
        return key.split(":", 1)[-1].title()
    names = [a.name for a in entry.aliases if a.name.isascii() and any(c.islower() for c in a.name)
             and not a.name.lower().startswith("the ")]
    return min(names[:1] + [entry.label], key=len)


def _qualifiers(siblings: list[_Cluster], kb: KnowledgeBase) -> list[str]:
    """The words that tell each instrument from the others of its title: its parties and the year
    it was signed ("Libya, Switzerland, 1962"), or, where that does not tell it apart, the day,
    all the parties, and last its place among them. (Counted once per title: a title that many
    instruments share must not cost the square of their number.)"""
    levels = [_qualifier_words(c.evidence, kb) for c in siblings]
    counts = [Counter(words[level] for words in levels) for level in range(len(levels[0]))]
    return [next((w for w, count in zip(words, counts, strict=True) if count[w] == 1),
                 f"{words[-1]}, {index + 1}".lstrip(", ")) for index, words in enumerate(levels)]


def _qualifier_words(evidence: _Evidence, kb: KnowledgeBase) -> list[str]:
    names = sorted(_short_name(p, kb) for p in evidence.parties)
    few = names if len(names) <= 3 else [*names[:2], "et al."]
    year = [str(min(evidence.years))] if evidence.years else []
    day = [min(evidence.days)] if evidence.days else year
    return [", ".join(few + year), ", ".join(few + day), ", ".join(names + day)]


def _merge_chinese_abbreviations(mentions: list[Mention], union: _UnionFind, kb: KnowledgeBase,
                                 years: dict[Mention, int]) -> None:
    """In one document, 中朝友好互助条约 abbreviates 中朝友好合作互助条约: a Chinese title whose
    characters are a subsequence of a longer one's, with the same parties and keyword and no
    other signing year, names it (titles the knowledge base knows are left to it)."""
    by_doc: dict[str, list[tuple[str, Mention]]] = defaultdict(list)
    for mention in mentions:
        key = "".join(title_key(mention.name, kb))
        if key and "\u4e00" <= key[0] <= "\u9fff":
            by_doc[mention.doc_id].append((key, mention))
    for titles in by_doc.values():
        for short, short_mention in titles:
            for long, long_mention in titles:
                if _kb_treaty(short_mention, kb) is not None and _kb_treaty(long_mention, kb) is not None:
                    continue
                if len(short) < len(long) <= len(short) + 4 and short[:2] == long[:2] and short[-2:] == long[-2:] \
                        and _subsequence(short, long) and _years_agree(years.get(short_mention), years.get(long_mention)):
                    union.union(long_mention, short_mention)


def _years_agree(left: int | None, right: int | None) -> bool:
    return left is None or right is None or left == right


def _subsequence(short: str, long: str) -> bool:
    characters = iter(long)
    return all(c in characters for c in short)


def _family(kind: str) -> frozenset[str]:
    if kind in PLACE_KINDS:
        return PLACE_KINDS - {"State"} if kind != "State" else frozenset({"State"})
    return frozenset({kind})


def _resolve_name(mention: Mention, kb: KnowledgeBase, date: DateValue | None) -> tuple[str, KBEntry | None]:
    """A name's entity key (and knowledge-base entry): what it names depends on the name, its kind,
    how it was found and the date alone, and names recur, so each is resolved once per knowledge base."""
    known: dict[tuple, tuple[str, KBEntry | None]] = kb.derived("resolved names", lambda _: {})
    question = (mention.name, mention.kind, mention.via, date.iso if date is not None else None)
    answer = known.get(question)
    if answer is None:
        answer = known[question] = _resolved_name(mention, kb, date)
    return answer


def _resolved_name(mention: Mention, kb: KnowledgeBase, date: DateValue | None) -> tuple[str, KBEntry | None]:
    candidates = kb.adjective(mention.name) if mention.via == "adjective" else kb.names(mention.name)
    entry = kb.choose(candidates, kinds=_family(mention.kind), on=date)
    if entry is None and mention.kind == "Person" and not candidates:
        entry = kb.choose(kb.romanized(mention.name), kinds={"Person"})
    if entry is None and mention.kind in PLACE_KINDS - {"State"}:
        entry = kb.choose(candidates, kinds=PLACE_KINDS, on=date)
    if entry is not None:
        return entry.id, entry
    if mention.via == "adjective":
        return "", None
    if mention.kind == "Person":
        return f"person:{romanization_key(mention.name)}", None
    family = "place" if mention.kind in PLACE_KINDS - {"State"} else mention.kind.lower()
    return f"{family}:{' '.join(name_key(mention.name))}", None


_NAME_TABLES = ("title keys", "treaties by title", "resolved names", "ambiguous names")


def names_worked_out(kb: KnowledgeBase) -> dict[str, dict]:
    """What resolution has worked out name by name with this knowledge base (each answer depends on
    the name, its kind, its date and the knowledge base alone), entries given by id: a cache keeps it,
    so that a rebuild works out only the names it has not met before (`recall_names`)."""
    tables = {name: dict(kb.derived(name, lambda _: {})) for name in _NAME_TABLES}
    tables["treaties by title"] = {q: _entry_id(entry) for q, entry in tables["treaties by title"].items()}
    tables["resolved names"] = {q: (key, _entry_id(entry))
                                for q, (key, entry) in tables["resolved names"].items()}
    return tables


def _entry_id(entry: KBEntry | None) -> str | None:
    return entry.id if entry is not None else None


def recall_names(kb: KnowledgeBase, tables: dict[str, dict]) -> None:
    """Take up names worked out by an earlier build with this knowledge base (`names_worked_out`).

    Raises:
        ValueError: the tables are not such names (an entry unknown to the knowledge base, a
            value of another type); none is taken up then.
    """
    entries = kb.entries
    try:
        treaties = {q: entries[i] if i is not None else None for q, i in tables["treaties by title"].items()}
        resolved = {q: (key, entries[i] if i is not None else None)
                    for q, (key, i) in tables["resolved names"].items()}
        title_keys, ambiguous = tables["title keys"], tables["ambiguous names"]
        well_typed = (all(isinstance(key, str) for key, _ in resolved.values())
                      and all(isinstance(words, tuple) for words in title_keys.values())
                      and all(isinstance(flag, bool) for flag in ambiguous.values()))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"not names worked out with this knowledge base: {error!r}") from error
    if not well_typed:
        raise ValueError("not names worked out with this knowledge base: a value of another type")
    for name, table in (("title keys", title_keys), ("treaties by title", treaties),
                        ("resolved names", resolved), ("ambiguous names", ambiguous)):
        kb.derived(name, lambda _: {}).update(table)


def resolve(facts: list[Fact], mentions: list[Mention], kb: KnowledgeBase) -> Resolution:
    """Merge mentions into entities and restate the facts between entities."""
    instrument_mentions = sorted({m for m in mentions if m.kind in TREATY_KINDS}
                                 | {m for f in facts for m in (f.subject, f.object)
                                    if isinstance(m, Mention) and m.kind in TREATY_KINDS}, key=_order)
    clusters, qualifiers = _instrument_clusters(instrument_mentions, facts, kb)
    signed = _cluster_signing_dates(facts, clusters)
    keys: dict[Mention, str] = dict(clusters)
    entries: dict[str, KBEntry] = {}
    for fact in facts:
        for mention in (fact.subject, fact.object):
            if isinstance(mention, Mention) and mention not in keys:
                date = _date_for(fact, mention, clusters, signed)
                keys[mention], entry = _resolve_name(mention, kb, date)
                if entry:
                    entries[entry.id] = entry
    for mention in mentions:
        if mention not in keys:
            keys[mention], entry = _resolve_name(mention, kb, DateValue(mention.date) if mention.date else None)
            if entry:
                entries[entry.id] = entry
    for key in set(clusters.values()):
        if key in kb.entries:
            entries[key] = kb.entries[key]
    _attach_surnames(keys)
    resolution = Resolution()
    resolution.entities = _entities(keys, entries, kb, qualifiers)
    for fact in facts:
        subject = keys[fact.subject]
        obj = keys[fact.object] if isinstance(fact.object, Mention) else fact.object
        if subject and obj and subject != obj and _types_fit(fact.predicate, resolution.entities, subject, obj):
            resolution.facts.append(ResolvedFact(subject, fact.predicate, obj, fact))
    return resolution


def _attach_surnames(keys: dict[Mention, str]) -> None:
    """A person named by surname alone ("Wiley") is the one of that surname the same document
    names in full ("Alexander Wiley"), when there is exactly one."""
    full: dict[tuple[str, str], set[str]] = defaultdict(set)
    for mention, key in keys.items():
        if mention.kind == "Person" and key:
            words = name_key(mention.name)
            if len(words) > 1:
                for word in words:
                    if len(word) > 2:
                        full[(mention.doc_id, word)].add(key)
    for mention, key in list(keys.items()):
        if mention.kind != "Person" or not key.startswith("person:"):
            continue
        words = name_key(mention.name)
        if len(words) == 1:
            matches = full.get((mention.doc_id, words[0]), set())
            if len(matches) == 1:
                keys[mention] = next(iter(matches))


_SUBJECT_KINDS = {"signs": {"Person"}, "represents": {"Person"}, "isPartyTo": {"State"}, "recognizes": {"State"},
                  "registers": {"State"}, "terminates": {"State"}}
_OBJECT_KINDS = {"represents": {"State"}, "recognizes": {"State"}}


def _types_fit(predicate: str, entities: dict[str, Entity], subject: str, obj: str | Value) -> bool:
    if predicate in _SUBJECT_KINDS and entities[subject].kind not in _SUBJECT_KINDS[predicate]:
        return False
    return not (predicate in _OBJECT_KINDS and isinstance(obj, str) and entities[obj].kind not in _OBJECT_KINDS[predicate])


def _cluster_signing_dates(facts: list[Fact], clusters: dict[Mention, str]) -> dict[str, DateValue]:
    signed: dict[str, DateValue] = {}
    for fact in facts:
        if fact.predicate == "signingDate" and isinstance(fact.object, Value) and fact.subject in clusters:
            value = DateValue(fact.object.lexical)
            key = clusters[fact.subject]
            if key not in signed or value.precision == "day" and signed[key].precision != "day":
                signed[key] = value
    return signed


def _date_for(fact: Fact, mention: Mention, clusters: dict[Mention, str], signed: dict[str, DateValue]) -> DateValue | None:
    if fact.predicate == "isPartyTo" and mention is fact.subject and isinstance(fact.object, Mention):
        when = signed.get(clusters.get(fact.object, ""))
        if when is not None:
            return when
    return DateValue(mention.date) if mention.date else None


def _entities(keys: dict[Mention, str], entries: dict[str, KBEntry], kb: KnowledgeBase,
              qualifiers: dict[str, str]) -> dict[str, Entity]:
    names: dict[str, Counter[str]] = defaultdict(Counter)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    documents: dict[str, set[str]] = defaultdict(set)
    dates: dict[str, set[str]] = defaultdict(set)
    for mention, key in keys.items():
        if not key:
            continue
        kinds[key][mention.kind] += 1
        documents[key].add(mention.doc_id)
        if mention.date:
            dates[key].add(mention.date)
        if mention.via != "adjective" and not _ambiguous(mention.name, kb):
            names[key][_without_article(mention.name)] += 1
    entities = {}
    for key in sorted(kinds):
        entry = entries.get(key)
        kind = entry.kind if entry else min(kinds[key], key=lambda k: (_KIND_RANK.get(k, 9), -kinds[key][k], k))
        surface = sorted(names[key], key=lambda n: (-names[key][n], n.isupper(), -len(n), n))
        label = entry.label if entry else (surface[0] if surface else key.split(":", 1)[-1])
        if key in qualifiers:
            label = f"{label} ({qualifiers[key]})"
        alts: dict[str, str] = {}
        for name in surface:
            if name.casefold() != label.casefold():
                alts.setdefault(name.casefold(), name)
        reason = f"knowledge base entry {entry.id!r}: {entry.qid_evidence}" if entry and entry.qid else None
        entities[key] = Entity(key, kind, label, tuple(sorted(alts.values())), entry.qid if entry else None, reason,
                               1.0 if entry and entry.qid else None, tuple(sorted(documents[key])),
                               min(dates[key]) if dates[key] else None)
    return entities


def _ambiguous(name: str, kb: KnowledgeBase) -> bool:
    """Whether a name belongs to several entities ("China"): it is then no name of one of them."""
    known: dict[str, bool] = kb.derived("ambiguous names", lambda _: {})
    if name not in known:
        known[name] = len({c.entry.id for c in kb.names(name)}) > 1
    return known[name]


_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")


def _without_article(name: str) -> str:
    return _ARTICLE.sub("", name)
