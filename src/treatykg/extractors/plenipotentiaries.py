"""Plenipotentiaries: after "have appointed as their plenipotentiaries" (or "have designated",
"plénipotentiaires", "全权代表"), each entry "AUTHORITY OF STATE : NAME, TITLE;" names a person
who signs the instrument for that state.

Produces signs and represents.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..annotate import AnnotatedDocument
from ..facts import Fact
from .common import CJK_STATE_TITLE, STATE_KINDS, cjk_person, person_name

NAME = "treaty.plenipotentiaries"
_OPENING = re.compile(r"(?:as\s+their\s+)?(?:plenipotentiar(?:y|ies)|plénipotentiaires|全权代表)[^:\n]{0,40}?:?\s*"
                      r"|have\s+(?:appointed|designated|named)\s+(?:for\s+this\s+purpose\s+)?(?:as\s+)?[^:\n]{0,60}?:\s*",
                      re.IGNORECASE)
_CLOSING = re.compile(r"\b(?:who|which),?\s+(?:having|after)|having\s+(?:exchanged|communicated)|The\s+(?:two\s+)?plenipotentiar|"
                      r"les(?:quels)?\s+,?\s*après|Article\s+[1I]\b|\n\s*\n\s*(?:Article|ARTICLE|Chapter|CHAPTER)\b",
                      re.IGNORECASE)
_CJK_APPOINTS = re.compile(r"(?:政府)?(?:委派|特派|任命|派)(?:" + CJK_STATE_TITLE + ")?")
_ENTRY = re.compile(r"(?P<authority>[^:;\n]{3,200}?)\s*:\s*(?P<people>[^;]+?)(?=;|\.[ \t]*\n|\.$|\n\s*\n|$)", re.DOTALL)


class PlenipotentiariesExtractor:
    """Who was appointed to sign, and for which state."""

    name = NAME
    version = 1
    produces = frozenset({"signs", "represents"})
    requires = frozenset({"instruments", "names", "sections"})

    def extract(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for opening in _OPENING.finditer(doc.text):
            closing = _CLOSING.search(doc.text, opening.end())
            end = closing.start() if closing else min(len(doc.text), opening.end() + 1500)
            instrument = doc.focal(opening.start())
            if instrument is None or end - opening.end() > 3000:
                continue
            for entry in _ENTRY.finditer(doc.text, opening.end(), end):
                yield from self._entry(doc, entry, instrument)
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

    def _entry(self, doc: AnnotatedDocument, entry: re.Match[str], instrument: int) -> Iterator[Fact]:
        states = doc.names_in(*entry.span("authority"), kinds=STATE_KINDS)
        subject_instrument = doc.instrument_mention(instrument)
        for start, end in _people(doc, *entry.span("people")):
            person = person_name(doc, start, end)
            if person is None:
                continue
            mention = doc.name_mention(person)
            yield doc.fact(mention, "signs", subject_instrument, entry.start(), entry.end(), extractor=f"{NAME}.v1")
            if states:
                yield doc.fact(mention, "represents", doc.name_mention(states[-1]), entry.start(), entry.end(),
                               extractor=f"{NAME}.v1")


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
