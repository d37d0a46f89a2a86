"""Pattern pieces and lookups that several extractors share."""

from __future__ import annotations

import re

from ..annotate import AnnotatedDocument
from ..facts import Value
from ..gazetteer import NameSpan
from ..names import clean_label

# A place, less a state's abbreviation after it ("Washington, D.C.", "Lake Success, N.Y.").
PLACE = (r"(?P<place>[A-Z\u00c0-\u00de\u0410-\u042f][\w'\u00c0-\u017f-]+(?:\s+(?!(?:ON|THIS|THE|IN|AT|LE|LA|DU|AND|ET)\b)"
         r"[A-Z\u00c0-\u00de\u0410-\u042f][\w'\u00c0-\u017f-]+){0,3})"
         r"(?:,\s*[A-Z]\.\s?[A-Z]\.(?=[\s,;)]|$))?")
PERSON_NAME = (r"(?:[A-Z\u00c0-\u00de\u0410-\u042f][a-z\u00e0-\u00ff\u0430-\u044f]?\.\s*){0,3}"
               r"[A-Z\u00c0-\u00de\u0410-\u042f][\w'\u00c0-\u017f-]+"
               r"(?:\s+(?:[A-Z\u00c0-\u00de\u0410-\u042f][a-z\u00e0-\u00ff]?\.|[A-Z\u00c0-\u00de\u0410-\u042f][\w'\u00c0-\u017f-]+|"
               r"de|van|von|da|del|bin|ibn)){0,4}")
HONORIFICS = re.compile(r"^(?:(?:Mr|Mrs|Dr|M|H\.\s*E|Sir|His\s+Excellency|Marshal|General|Generalissimo|Comrade|"
                        r"Monsieur|Son\s+Excellence|Field\s+Marshal|Admiral)\.?\s+)+")
MODAL = re.compile(r"\b(?:may|might|can|could|would|should|if|unless|not|never|no|right\s+to|intend|propose[sd]?|"
                   r"wish(?:es)?\s+to|threaten(?:s|ed)?\s+to|refuse[sd]?\s+to|failed\s+to)\b", re.IGNORECASE)
STATE_KINDS = frozenset({"State"})
CONCERN_KINDS = frozenset({"Railway", "Port", "Place", "City", "State"})


def modal_before(doc: AnnotatedDocument, position: int, reach: int = 40) -> bool:
    """Whether a modal or negating word stands just before position in its sentence."""
    start = max(doc.sentence_at(position)[0], position - reach)
    return bool(MODAL.search(doc.text[start:position]))


def strip_parentheses(text: str) -> str:
    """Text without parenthesised asides, so that "X (Chinese: Y) was a treaty" reads "X was a treaty"."""
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"\([^()]*\)", " ", text)
    return text


def nearest_instrument_before(doc: AnnotatedDocument, position: int, *, within: int | None = None,
                              filler: str | None = None) -> int | None:
    """The instrument a phrase at position speaks of: the nearest mention before it in the
    sentence (skipping "a treaty" and mentions without a referent); with `filler`, only when the
    text between matches it."""
    start = doc.sentence_at(position)[0] if within is None else within
    for index in reversed(doc.instruments_in(start, position)):
        span = doc.instruments[index]
        if not span.specific and span.determiner in ("a", "an"):
            continue
        if filler is not None and not re.fullmatch(filler, strip_parentheses(_gap(doc, index, position))):
            return None
        referent = doc.referent(index)
        if referent is not None:
            return referent
    return None


def _gap(doc: AnnotatedDocument, index: int, position: int) -> str:
    text = doc.text[doc.instruments[index].end:position]
    for other in doc.instruments_in(doc.instruments[index].end, position):
        span = doc.instruments[other]
        if not span.specific and span.determiner in ("a", "an"):
            text = text.replace(doc.text[span.start:span.end], " ", 1)
    return text


_COORDINATION = re.compile(r"[\s,]*(?:(?:and|as\s+well\s+as|et|与|和|及)\s+)?(?:(?:of|de|des|du)\s+)?(?:the\s+|les\s+|la\s+|le\s+)?"
                           r"(?:other\s+)?", re.IGNORECASE)


def coordinated(doc: AnnotatedDocument, last: int) -> list[int]:
    """The mentions coordinated with mention `last` before it ("T1 and of the T2"), in text order."""
    chain = [last]
    while True:
        first = chain[0]
        earlier = [i for i in doc.instruments_in(doc.sentence_at(doc.instruments[first].start)[0],
                                                 doc.instruments[first].start) if doc.instruments[i].end <= doc.instruments[first].start]
        if not earlier:
            return chain
        previous = earlier[-1]
        gap_start = doc.instruments[previous].end
        parties = doc.instruments[previous].parties_span
        if parties and parties[0] >= gap_start and parties[1] <= doc.instruments[first].start:
            gap_start = parties[1]
        gap = strip_parentheses(doc.text[gap_start:doc.instruments[first].start])
        if not _COORDINATION.fullmatch(gap):
            return chain
        chain.insert(0, previous)


def referents(doc: AnnotatedDocument, indexes: list[int]) -> list[int]:
    """The specific instruments the mentions stand for, without repeats."""
    found: list[int] = []
    for index in indexes:
        referent = doc.referent(index)
        if referent is not None and referent not in found:
            found.append(referent)
    return found


def name_at(doc: AnnotatedDocument, start: int, end: int, kind: str) -> NameSpan:
    """The knowledge-base name at [start, end) if there is one, else a new name of the given kind."""
    for name in doc.names:
        if name.start <= start < name.end or start <= name.start < end:
            if name.kind == kind or kind == "Place" and name.kind in CONCERN_KINDS:
                return name
    return NameSpan(start, end, kind, clean_label(doc.text[start:end]), via="pattern")


def person_name(doc: AnnotatedDocument, start: int, end: int) -> NameSpan | None:
    """The person named in [start, end): a knowledge-base person there, else a name-shaped string."""
    for name in doc.names_in(start, end, {"Person"}):
        return name
    text = doc.text[start:end]
    honorific = HONORIFICS.match(text)
    offset = honorific.end() if honorific else 0
    match = re.match(PERSON_NAME, text[offset:])
    if not match or len(match.group().split()) < 2 and not match.group().isupper():
        return None
    if any(n.kind != "Person" for n in doc.names_in(start + offset, start + offset + match.end())):
        return None
    return NameSpan(start + offset, start + offset + match.end(), "Person", clean_label(match.group()), via="pattern")


def date_at(doc: AnnotatedDocument, position: int, reach: int = 12):
    """The date that starts within `reach` characters of position, or None."""
    for found in doc.dates:
        if position <= found.start <= position + reach:
            return found
    return None


def date_value(found) -> Value:
    """The literal of a found date, typed by its precision."""
    return Value(found.value.iso, {"day": "date", "month": "gYearMonth", "year": "gYear"}[found.value.precision])


def header_instrument(doc: AnnotatedDocument, position: int) -> int | None:
    """The title instrument of the header block or heading holding position, if any."""
    block = doc.block_at(position)
    for index in doc.header_instruments:
        span = doc.instruments[index]
        if block.start <= span.start < block.end and span.start < position and doc.text[span.end:span.end + 2] != "),":
            if doc.groups.get(index, "").endswith(":0") or span.heading or not doc.groups.get(index):
                return index
    return None


# what may stand between an instrument and its verb: "thereto", "which was", "were all", "had been duly"
_RELATIVE_GAP = re.compile(r"[\s,(]*(?:thereto|hereto|thereof|hereof)?[\s,]*"
                           r"(?:(?:which|that)\s+(?:was|were|had\s+been)\s+|(?:was|were|had\s+been)\s+)?"
                           r"(?:jointly\s+|formally\s+|duly\s+|all\s+|both\s+)?(?:concluded\s+and\s+)?")


def instrument_ending_before(doc: AnnotatedDocument, position: int) -> int | None:
    """The last instrument mention before position in its sentence, with only a relative clause
    ("which were", "was a treaty") and parenthesised asides between."""
    start = doc.sentence_at(position)[0]
    for index in reversed(doc.instruments_in(start, position)):
        span = doc.instruments[index]
        between = doc.text[span.end:position]
        if not span.specific and span.determiner in ("a", "an") or between.count(")") > between.count("("):
            continue
        if span.parties_span and span.end < span.parties_span[1] <= position:
            between = doc.text[span.parties_span[1]:position]
        between = re.sub(r"\b(?:a|an)\s+(?:treaty|agreement|pact|convention)\b", " ", _strip(between), flags=re.IGNORECASE)
        if _RELATIVE_GAP.fullmatch(between):
            return index
        return None
    return None


def _strip(gap: str) -> str:
    return re.sub(r"\bby\s+[^,]*?(?=$)", "", strip_parentheses(gap))


CJK_STATE_TITLE = (r"(?:政府)?(?:国务院|國務院|內閣|内阁|外务省|外務省)?(?P<title>外交部长|外交部長|外务大臣|外務大臣|外相|副总理|副總理|"
                   r"总理|總理|首相|主席|部长|部長|大臣|委员长|委員長|总统|總統|大使|全权代表)")


def cjk_person(doc: AnnotatedDocument, start: int, limit: int) -> NameSpan | None:
    """The Chinese personal name at start (two or three characters), a knowledge-base person if one is there."""
    for name in doc.names_in(start, min(limit, start + 6), {"Person"}):
        if name.start == start:
            return name
    match = re.match(r"[\u4e00-\u9fff]{2,3}?(?=[与與和、及同在于於,，;；。.\s:：]|$)", doc.text[start:limit])
    if match is None:
        return None
    return NameSpan(start, start + match.end(), "Person", match.group(), via="pattern")


def introduced(doc: AnnotatedDocument, indexes: list[int]) -> list[int]:
    """Referents of mentions that a signing verb governs: "signed a Joint Declaration" introduces
    the instrument the document is about when the mention itself names none."""
    found = referents(doc, indexes)
    if found or not indexes:
        return found
    span = doc.instruments[indexes[0]]
    focal = doc.focal(span.start)
    if focal is not None and span.determiner in ("a", "an") and doc.instruments[focal].kind == span.kind:
        return [focal]
    return []
