"""Finding the knowledge base's names in a text, and persons introduced by a title.

Names are matched on token keys (see names.py), longest first, so "People's Republic of China"
wins over "China" and "CHOU EN-LAI" matches "Chou En-lai". A short all-capitals alias such as
"US" or "UN" matches only when written in capitals.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate, chain, compress, islice
from operator import or_

from . import scan
from .kb import NAME_END, TREATY_KINDS, Candidate, KnowledgeBase
from .names import clean_label, word_tokens


@dataclass(frozen=True, slots=True)
class NameSpan:
    """An entity name found in the view: its span, kind, display name and how it was found."""

    start: int
    end: int
    kind: str
    name: str
    via: str = "name"


def _kind(candidates: list[Candidate]) -> str:
    return Counter(c.entry.kind for c in candidates).most_common(1)[0][0]


def _capitals_only(candidates: list[Candidate]) -> bool:
    """Whether every candidate is a short all-capitals alias ("US", "U.N."), which matches a
    surface only in capitals."""
    return all(c.alias.name.replace(".", "").isupper() and len(c.alias.name.replace(".", "")) <= 5
               for c in candidates)


@dataclass(frozen=True, slots=True)
class _Named:
    """What a name key stands for in one pass of find_names (instrument titles, or the rest):
    the kind its candidates have most, and whether it may only be written in capitals (every
    candidate is a short all-capitals alias such as "US")."""

    kind: str
    capitals_only: bool


def _named(kb: KnowledgeBase, key: tuple[str, ...]) -> tuple[_Named | None, _Named | None]:
    """The _Named of a key of kb.by_name for the pass over other names and for the pass over
    instrument titles (None where no candidate is of the pass's kinds)."""
    passes = []
    for titles in (False, True):
        candidates = [c for c in kb.by_name[key] if (c.entry.kind in TREATY_KINDS) == titles]
        passes.append(_Named(_kind(candidates), _capitals_only(candidates)) if candidates else None)
    return passes[0], passes[1]


class _Known(dict[tuple[str, ...], tuple[_Named | None, _Named | None]]):
    """The _Named pair of each name key, worked out on first use (kept with the knowledge base)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        super().__init__()
        self.kb = kb

    def __missing__(self, key: tuple[str, ...]) -> tuple[_Named | None, _Named | None]:
        named = self[key] = _named(self.kb, key)
        return named


def _openings(kb: KnowledgeBase) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """The tokens that are names of their own, and the pairs of tokens that open longer names."""
    singles = frozenset(token for token, node in kb.name_trie.items() if NAME_END in node)
    pairs = frozenset((token, second) for token, node in kb.name_trie.items()
                      for second in node if second is not NAME_END)
    return singles, pairs


def find_names(text: str, kb: KnowledgeBase) -> list[NameSpan]:
    """Every knowledge-base name in text, longest match first. Instrument titles are matched in a
    pass of their own, so that the states inside "Treaty between Australia, New Zealand and …"
    are found as well."""
    tokens = word_tokens(text)
    lengths = _name_lengths(tokens[0], kb)
    known = kb.derived("gazetteer names", _Known)
    found = _scan(text, tokens, lengths, known, titles=False)
    found += _scan(text, tokens, lengths, known, titles=True)
    return sorted(found, key=lambda n: (n.start, -n.end))


_Tokens = tuple[list[str], list[int], list[int]]  # norms, starts and ends
_ARTICLES = ("the", "le", "la", "l")


def _scan(text: str, tokens: _Tokens, lengths: dict[int, list[int]], known: _Known, *,
          titles: bool) -> list[NameSpan]:
    """Names left to right, each the longest at its token; `lengths` gives, for each token that
    begins some name, the lengths of the names there (shortest first)."""
    norms, starts, ends = tokens
    spans: list[NameSpan] = []
    resume = 0  # the first token after the last name found
    for index, here in lengths.items():
        if index < resume:
            continue
        found = _longest(text, tokens, here, index, known, titles)
        if found and norms[index] in _ARTICLES:
            after = _longest(text, tokens, lengths.get(index + 1, ()), index + 1, known, titles)
            if after and index + 1 + after[0] > index + found[0]:
                found = None
        if found is None:
            continue
        length, kind = found
        start, end = starts[index], ends[index + length - 1]
        spans.append(NameSpan(start, end, kind, clean_label(text[start:end])))
        resume = index + length
    return spans


def _longest(text: str, tokens: _Tokens, here: list[int] | tuple[()], index: int, known: _Known,
             titles: bool) -> tuple[int, str] | None:
    """The longest knowledge-base name starting at token index (names of the lengths `here`),
    with its kind."""
    norms, starts, ends = tokens
    for length in reversed(here):
        named = known[tuple(norms[index:index + length])][titles]
        if named is None:
            continue
        start, end = starts[index], ends[index + length - 1]
        if (not named.capitals_only or text[start:end].replace(".", "").replace(" ", "").isupper()) \
                and _bounded(text, start, end) and not _region_of(text, start, end):
            return length, named.kind
    return None


def _name_lengths(norms: list[str], kb: KnowledgeBase) -> dict[int, list[int]]:
    """For each token that begins knowledge-base names, their token lengths, shortest first. A
    match grows only while some name continues it; the tokens that neither are a name nor open
    one with the token after them are passed over at C speed."""
    singles, pairs = kb.derived("gazetteer openings", _openings)
    trie = kb.name_trie
    count = len(norms)
    opens_pair = chain(map(pairs.__contains__, zip(norms, islice(norms, 1, None), strict=False)), (False,))
    opening = map(or_, map(singles.__contains__, norms), opens_pair)
    found: dict[int, list[int]] = {}
    for index in compress(range(count), opening):
        node = trie[norms[index]]
        here = [1] if NAME_END in node else []
        end = index + 1
        while end < count:
            node = node.get(norms[end])
            if node is None:
                break
            end += 1
            if NAME_END in node:
                here.append(end - index)
        if here:
            found[index] = here
    return found


def _bounded(text: str, start: int, end: int) -> bool:
    """Latin names must not run into a hyphenated compound ("Sino-Soviet" is no mention of "Soviet")."""
    if "\u3400" <= text[start] <= "\u9fff":
        return True
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before == "-" and start > 1 and text[start - 2].isalpha()) and not (
        after == "-" and end + 1 < len(text) and text[end + 1].isalpha())


_REGION_BEFORE = re.compile(r"(?:Northern|Southern|Eastern|Western)\s+\Z")
_REGION_AFTER = re.compile(r"\s+(?:du|de\s+l['’])\s*(?:Nord|Sud|Est|Ouest)\b")


def _region_of(text: str, start: int, end: int) -> bool:
    """A name with a compass word that the knowledge base does not hold with it ("Northern Ireland",
    "l'Irlande du Nord", "Northern Rhodesia") names a region, not the state or place."""
    if text.startswith("ern", start - 4, start - 1) and _REGION_BEFORE.search(text, start - 10, start):
        return True
    return text.startswith(" d", end) and bool(_REGION_AFTER.match(text, end, end + 14))


_TITLES = (r"Mr\.?|Mrs\.?|Dr\.?|Messrs\.?|M\.|Shri|Shrimati|Sardar|Senator|Lieutenant\s+General|Major\s+General|"
           r"General|Admiral|Colonel|diplomat|statesman|delegate|envoy|negotiator|Councill?or|Representative|"
           r"Marshal|Generalissimo|Premier|Chairman|President|Prime\s+Minister|"
           r"Foreign\s+Minister|Vice[- ]Premier|Vice[- ]Chairman|Ambassador|Secretary\s+of\s+State|"
           r"Secretary-General|King|Emperor|Prince|Sir|Lord|Comrade|Generalissimo|Field\s+Marshal")
_NAME = (r"(?:[A-Z][a-z]?\.\s*){0,3}[A-Z][a-zA-Z'\u00c0-\u017f]+"
         r"(?:(?:\s+(?:[A-Z]\.|van|von|de|da|af|der|den)|[\s-][A-Z][a-zA-Z'\u00c0-\u017f]+)){0,4}(?<!\.)")
_PERSON_AFTER_TITLE = scan.opening(_TITLES.split("|"), rf"\s+(?P<name>{_NAME})")
# The words the titles begin with.
_TITLE_STARTS = scan.WordStarts([
    "Mr", "Dr", "Messrs", "M.", "Shri", "Sardar", "Senator", "Lieutenant", "Major", "General", "Admiral",
    "Colonel", "diplomat", "statesman", "delegate", "envoy", "negotiator", "Council", "Representative",
    "Marshal", "Premier", "Chairman", "President", "Prime", "Foreign", "Vice", "Ambassador", "Secretary",
    "King", "Emperor", "Prince", "Sir", "Lord", "Comrade", "Field"])
# Words that go on a rank or an office after its title ("Ambassador Extraordinary and Plenipotentiary",
# "Minister Resident", "President Elect"): a name never begins with one.
RANK_WORDS = (r"Extraordinary|Plenipotentiary|Resident|Designate|Elect|Emeritus|Ad|Interim|Acting|Deputy|"
              r"Special|Permanent|Adviser|Advisor|Counsell?or|Envoy|Consul|Attach\u00e9|Charg\u00e9")
_NOT_PERSON = re.compile(
    r"\b(Assembly|Council|Committee|Secretariat|Government|Governments|Staff|Conference|Republic|Union|States|"
    r"Nations|Affairs|Minister|Ministry|Presidium|Party|Army|Office|Administrative|Court|Commission|"
    r"Delegation|Treaty|Agreement|Declaration|Of|The|Soviet|People|Chinese|National|Supreme|State)\b"
    r"|^(?:Baron|Count|Lord|Sir|King|Emperor|Prince|General|Marshal|Admiral)$"
    rf"|^(?:{RANK_WORDS})\b")


def find_titled_persons(text: str, taken: list[NameSpan]) -> list[NameSpan]:
    """Persons named after a title ("Premier Zhou Enlai", "Mr. Dean Acheson") that the KB lacks."""
    occupied = [(s.start, s.end) for s in taken]
    found = []
    for match in scan.finditer(_PERSON_AFTER_TITLE, _TITLE_STARTS, text):
        start, end = match.span("name")
        name = match.group("name")
        if _NOT_PERSON.search(name) or re.fullmatch(r"(?:Mr|Mrs|Dr|Messrs|Shri|Sir|M)\.?", name) \
                or any(s < end and start < e for s, e in occupied):
            continue
        found.append(NameSpan(start, end, "Person", clean_label(name), via="title"))
    return found


_GOVERNMENT_NOUNS = re.compile(r"\s+(?:Government|government|Governments|side|Side|delegation|Delegation|authorities|"
                               r"Authorities|Foreign\s+Ministry|Ministry\s+of\s+Foreign\s+Affairs)\b")
_ADJECTIVE_RE = re.compile(r"[A-Z](?<!\w.)[a-z]+(?:\s+[A-Z][a-z]+)?\b")  # \b[A-Z]…, skipping to capitals


def find_adjective_states(text: str, kb: KnowledgeBase, taken: list[NameSpan]) -> list[NameSpan]:
    """States named by their adjective before "Government", "side" or "delegation" ("the Soviet Government")."""
    occupied = [(s.start, s.end) for s in taken]
    found = []
    for match in _ADJECTIVE_RE.finditer(text):
        if not _GOVERNMENT_NOUNS.match(text, match.end()):
            continue
        if any(s < match.end() and match.start() < e for s, e in occupied):
            continue
        if kb.is_state_adjective(match.group()):
            found.append(NameSpan(match.start(), match.end(), "State", match.group(), via="adjective"))
    return found


_INITIALS_SURNAME = re.compile(r"(?<![\w.])(?:[A-Z][a-z]+\s+)?(?:[A-Z]\.\s?){1,2}(?!(?:S|N)\.)[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?"
                               r"(?:,?\s+Jr\.|\b)"
                               r"|(?<![\w.])(?:[А-Я]\.\s?){1,2}[А-Я][а-я]{2,}(?:ым|ом|ой|ем)?\b")
# A capital that no letter, digit or dot precedes, then the dot of an initial or a word and an
# initial: it opens with a character set the engine skips to quickly.
_INITIALS_STARTS = re.compile(r"[A-ZА-Я](?<![\w.].)(?:\.|(?<=[A-Z])[a-z]+\s+[A-Z]\.)")
_NOT_SURNAMES = re.compile(r"\b(?:Army|Navy|Air|Government|Department|Senate|Congress|Series|Treaty|Republic|Union|States|"
                           r"Nations|Command|Forces|Council|Committee|Ministry|Embassy|Press|News|Times|Post)\b")
_CJK_OFFICES = ("总理", "總理", "主席", "首相", "外交部长", "外交部長", "外务大臣", "外務大臣", "外相", "部长", "部長",
                "总统", "總統", "委员长", "委員長", "大使", "副总理", "副總理")
_CJK_TITLED = re.compile(f"(?:{'|'.join(_CJK_OFFICES)})"
                         r"(?P<name>[\u4e00-\u9fff]{2,3}?)(?=[与與和、及同在于於,，;；。:：\s]|$)")
_CJK_TITLED_ANCHORS = scan.Anchors(_CJK_TITLED, *_CJK_OFFICES)

_CJK_NOT_NAME_START = set("访说在于於指表会同与和的是将已也还向对为曾等们率")


def find_initialled_persons(text: str, taken: list[NameSpan]) -> list[NameSpan]:
    """Persons written with initials ("V. V. Giri", "И. В. Сталиным") or after a Chinese office
    ("外交部长黄华") that the knowledge base lacks."""
    occupied = [(s.start, s.end) for s in taken]
    found = []
    for match in scan.finditer(_INITIALS_SURNAME, _INITIALS_STARTS, text):
        if _NOT_SURNAMES.search(match.group()) or any(s < match.end() and match.start() < e for s, e in occupied):
            continue
        found.append(NameSpan(match.start(), match.end(), "Person", clean_label(match.group()), via="initials"))
    for match in _CJK_TITLED.finditer(text) if not _CJK_TITLED_ANCHORS.absent(text) else ():
        start, end = match.span("name")
        after_a_name = any(e == match.start() for _, e in occupied)
        if after_a_name or match.group("name")[0] in _CJK_NOT_NAME_START:
            continue
        if not any(s < end and start < e for s, e in occupied):
            found.append(NameSpan(start, end, "Person", match.group("name"), via="title"))
    return found


_STATE_SHAPED = re.compile(
    r"\b(?:(?:(?:People's|Democratic|Socialist|Federal|United|Arab|Islamic|Popular)\s+)*"
    r"(?:Republic|Kingdom|Federation|Empire|Principality|Grand\s+Duchy|Sultanate|Emirate|Commonwealth|Confederation)"
    r"\s+of\s+(?:the\s+)?[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)")
_STATE_SHAPED_STARTS = scan.WordStarts([
    "People's", "Democratic", "Socialist", "Federal", "United", "Arab", "Islamic", "Popular", "Republic",
    "Kingdom", "Federation", "Empire", "Principality", "Grand", "Sultanate", "Emirate", "Commonwealth",
    "Confederation"])


def find_state_shaped(text: str, taken: list[NameSpan]) -> list[NameSpan]:
    """States the knowledge base lacks, named the way states are ("Republic of Xanadu",
    "Kingdom of Nepal"): found so that a party, a registrant or a recognised state is never lost."""
    occupied = sorted((s.start, s.end) for s in taken)
    starts = [start for start, _ in occupied]
    reach = list(accumulate((end for _, end in occupied), max))  # the furthest end of the spans so far
    found = []
    for match in scan.finditer(_STATE_SHAPED, _STATE_SHAPED_STARTS, text):
        before_end = bisect.bisect_left(starts, match.end())  # the spans that start before the match ends
        if not (before_end and reach[before_end - 1] > match.start()):
            found.append(NameSpan(match.start(), match.end(), "State", clean_label(match.group()), via="pattern"))
    return found
