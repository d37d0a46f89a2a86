"""Plenipotentiaries: after "have appointed as their plenipotentiaries" (or "have designated",
"plénipotentiaires", "全权代表"), each entry "AUTHORITY OF STATE : NAME, TITLE;" names a person
who signs the instrument for that state.

Produces signs and represents.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import scan
from ..annotate import AnnotatedDocument
from ..facts import Fact
from .common import CJK_STATE_TITLE, STATE_KINDS, cjk_person, person_name

NAME = "treaty.plenipotentiaries"
_PLENIPOTENTIARIES = ["plenipotentiar(?:y|ies)", "plénipotentiaires", "全权代表"]
# (?:as\s+their\s+)?(?:PLENIPOTENTIARIES)[^:\n]{0,40}?:?\s*|have\s+…:\s*, with "(?:A)?(?:b|c)X" written "A(?:b|c)X|bX|cX".
_OPENING = scan.opening([rf"as\s+their\s+(?:{'|'.join(_PLENIPOTENTIARIES)})[^:\n]{{0,40}}?:?\s*"]
                        + [rf"{word}[^:\n]{{0,40}}?:?\s*" for word in _PLENIPOTENTIARIES]
                        + [r"have\s+(?:appointed|designated|named)\s+(?:for\s+this\s+purpose\s+)?(?:as\s+)?[^:\n]{0,60}?:\s*"],
                        flags=re.IGNORECASE, boundary=False)
_OPENING_ANCHORS = scan.Anchors(_OPENING, "plenipotentiar", "plénipotentiaires", "全权代表", "appointed",
                                "designated", "named", ignore_case=True)
_CLOSING = re.compile(r"\b(?:who|which),?\s+(?:having|after)|having\s+(?:exchanged|communicated)|The\s+(?:two\s+)?plenipotentiar|"
                      r"les(?:quels)?\s+,?\s*après|Article\s+[1I]\b|\n[ \t]*+\n\s*+(?:Article|ARTICLE|Chapter|CHAPTER)\b",
                      re.IGNORECASE)
_CJK_APPOINTS = re.compile(r"(?:政府)?(?:委派|特派|任命|派)(?:" + CJK_STATE_TITLE + ")?")
_ENTRY_END = re.compile(r";|\.[ \t]*\n|\.$|\n[ \t]*+\n")


class PlenipotentiariesExtractor:
    """Who was appointed to sign, and for which state."""

    name = NAME
    version = 1
    produces = frozenset({"signs", "represents"})
    requires = frozenset({"instruments", "names", "sections"})

    def extract(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for opening in _OPENING.finditer(doc.text) if not _OPENING_ANCHORS.absent(doc.text) else ():
            closing = _CLOSING.search(doc.text, opening.end())
            end = closing.start() if closing else min(len(doc.text), opening.end() + 1500)
            instrument = doc.focal(opening.start())
            if instrument is None or end - opening.end() > 3000:
                continue
            for authority, people in _entries(doc.text, opening.end(), end):
                yield from self._entry(doc, authority, people, instrument)
            yield from self._chinese(doc, opening.end(), min(len(doc.text), opening.end() + 400), instrument)

    def _chinese(self, doc: AnnotatedDocument, start: int, end: int, instrument: int) -> Iterator[Fact]:
        """中华人民共和国委派外交部长黄华; 日本国委派外务大臣园田直."""
        for state in doc.names_in(start, end, STATE_KINDS):
            appointed = _CJK_APPOINTS.match(doc.text, state.end)
            person = cjk_person(doc, appointed.end(), end) if appointed else None
            if person is None:
                continue
            mention = doc.name_mention(person)
            treaty = doc.instrument_mention(instrument)
            yield doc.fact(mention, "signs", treaty, state.start, person.end, extractor=f"{NAME}.v1")
            yield doc.fact(mention, "represents", doc.name_mention(state), state.start, person.end, extractor=f"{NAME}.v1")

    def _entry(self, doc: AnnotatedDocument, authority: tuple[int, int], people: tuple[int, int],
               instrument: int) -> Iterator[Fact]:
        states = doc.names_in(*authority, kinds=STATE_KINDS)
        subject_instrument = doc.instrument_mention(instrument)
        entry_start, entry_end = authority[0], people[1]
        for start, end in _people(doc, *people):
            person = person_name(doc, start, end)
            if person is None:
                continue
            mention = doc.name_mention(person)
            yield doc.fact(mention, "signs", subject_instrument, entry_start, entry_end, extractor=f"{NAME}.v1")
            if states:
                yield doc.fact(mention, "represents", doc.name_mention(states[-1]), entry_start, entry_end,
                               extractor=f"{NAME}.v1")


def _entries(text: str, start: int, end: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The "AUTHORITY : PEOPLE" entries of a list of plenipotentiaries, split at ";", at a full
    stop ending a line and at blank lines (linear: no backtracking over long blank runs)."""
    found = []
    cursor = start
    for stop in [*_ENTRY_END.finditer(text, start, end), None]:
        piece_end = stop.start() if stop else end
        colon = text.find(":", cursor, piece_end)
        if colon > cursor:
            left = cursor + len(text[cursor:colon]) - len(text[cursor:colon].lstrip())
            authority = (max(left, text.rfind("\n", cursor, colon) + 1), colon)
            if 3 <= authority[1] - authority[0] <= 200 and ";" not in text[authority[0]:authority[1]]:
                found.append((authority, (colon + 1, piece_end)))
        cursor = stop.end() if stop else end
    return found


def _people(doc: AnnotatedDocument, start: int, end: int) -> list[tuple[int, int]]:
    """One span per person in an entry: names are separated by line breaks or by "and" before a
    name, and a name ends at the comma before its office."""
    spans = []
    for part in re.finditer(r"[^\n]+", doc.text[start:end]):
        for piece in re.split(r"\s+and\s+(?=(?:Mr\.|H\.\s*E\.|Marshal|General|Dr\.|[A-Z]\.|[A-Z][a-z]+\s+[A-Z]))",
                              part.group()):
            offset = start + part.start() + part.group().find(piece)
            name = piece.split(",")[0]
            if name.strip():
                spans.append((offset + len(piece) - len(piece.lstrip()), offset + len(name.rstrip())))
    return spans
