"""Registration with the UN Secretariat: "Registered by the Union of Soviet Socialist Republics
on 3 January 1956", "Enregistré par … le 3 janvier 1956", "registered with the Secretariat of the
United Nations on 5 May 1952", "Registered ex officio on 1 June 1950", and the UNTS number of a
heading ("No. 3103. TREATY …") or of a sentence ("registered under No. 3103", "registered with
the United Nations Secretariat on 5 May 1952 under No. 1832").

Produces registers (the registering state), registrationDate and registrationNumber, for the
instrument of the header or section the statement stands in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import scan
from ..annotate import AnnotatedDocument
from ..facts import Fact, Value
from .common import STATE_KINDS, date_at, date_value, header_instrument, nearest_instrument_before

NAME = "treaty.registration"
_REGISTERED_BY = scan.opening(["registered", "enregistr[ée]e?s?", r"зарегистрирован\w*"],
                              r"\s+(?:by|par)\s+(?P<who>[^.;]{2,160}?)\s*(?:on|le|,)\s+(?=\d|[A-Z][a-z]+\s+\d)", re.IGNORECASE)
_HEADING_NUMBER = re.compile(r"^\s*No\.\s*(?P<number>(?:I{1,2}-)?\d{1,6})(?:\.\s+|\s*$)", re.MULTILINE)
_HEADING_NUMBER_LINES = scan.line_starts("N")
# where an instrument is registered: "with the Secretariat of the United Nations", "with the United
# Nations Secretariat", "ex officio" (by the Secretariat itself)
_REGISTRY = (r"(?:ex\s+officio|with\s+the\s+(?:Secretariat(?:\s+of\s+the\s+United\s+Nations)?"
             r"|United\s+Nations(?:\s+Secretariat)?|Secretary-General(?:\s+of\s+the\s+United\s+Nations)?))")
_REGISTERED_WITH = scan.opening(["registered"], r"\s+" + _REGISTRY + r"\s*,?\s+(?:on\s+)?"
                                r"(?=\d|[A-Z][a-z]+\s+\d)", re.IGNORECASE)
_REGISTERED_UNDER = scan.opening(["registered"], r"\s+(?:" + _REGISTRY + r"\s+)?(?:on\s+[^.;]{4,30}?\s+)?"
                                 r"under\s+(?:No\.|number)\s*(?P<number>(?:I{1,2}-)?\d{1,6})\b", re.IGNORECASE)

_DATE_ANCHORS = {_REGISTERED_BY: scan.Anchors(_REGISTERED_BY, "registered", "enregistr", "зарегистрирован",
                                               ignore_case=True),
                 _REGISTERED_WITH: scan.Anchors(_REGISTERED_WITH, "registered", ignore_case=True)}
_NUMBER_ANCHORS = {_HEADING_NUMBER: scan.Anchors(_HEADING_NUMBER, "No."),
                   _REGISTERED_UNDER: scan.Anchors(_REGISTERED_UNDER, "registered", ignore_case=True)}


class RegistrationExtractor:
    """Who registered an instrument, when, and under which number."""

    name = NAME
    version = 1
    produces = frozenset({"registers", "registrationDate", "registrationNumber"})
    requires = frozenset({"instruments", "dates", "names", "sections"})

    def extract(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for pattern, anchors in _DATE_ANCHORS.items():
            for match in pattern.finditer(doc.text) if not anchors.absent(doc.text) else ():
                yield from _registered(doc, match)
        for pattern in (_HEADING_NUMBER, _REGISTERED_UNDER):
            if _NUMBER_ANCHORS[pattern].absent(doc.text):
                continue
            matches = scan.finditer(pattern, None, doc.text, lines=_HEADING_NUMBER_LINES) if pattern is _HEADING_NUMBER \
                else pattern.finditer(doc.text)
            for match in matches:
                instrument = _numbered_instrument(doc, match)
                if instrument is not None:
                    yield doc.fact(doc.instrument_mention(instrument), "registrationNumber",
                                   Value(match.group("number")), match.start("number"), match.end("number"),
                                   extractor=f"{NAME}.v1")


def _registered(doc: AnnotatedDocument, match: re.Match[str]) -> Iterator[Fact]:
    """The registration date a statement gives, and the states it names as registering ("by X")."""
    found = date_at(doc, match.end(), 1)
    instrument = _registered_instrument(doc, match.start())
    if found is None or instrument is None:
        return
    subject = doc.instrument_mention(instrument)
    start, end, extractor = match.start(), found.end, f"{NAME}.v1"
    yield doc.fact(subject, "registrationDate", date_value(found), start, end, extractor=extractor)
    registrars = doc.names_in(*match.span("who"), kinds=STATE_KINDS) if "who" in match.re.groupindex else []
    for state in registrars:
        registrar = doc.name_mention(state, date=found.value)
        yield doc.fact(registrar, "registers", subject, start, end, extractor=extractor)


def _registered_instrument(doc: AnnotatedDocument, position: int) -> int | None:
    return nearest_instrument_before(doc, position) or doc.focal(position)


def _numbered_instrument(doc: AnnotatedDocument, match: re.Match[str]) -> int | None:
    if match.re is _HEADING_NUMBER:
        if not doc.text[match.start():match.end()].rstrip().endswith("."):
            following = [i for i in sorted(doc.header_instruments) if doc.instruments[i].start >= match.end()]
            return following[0] if following and doc.instruments[following[0]].start - match.end() < 400 else None
        return header_instrument(doc, match.end() + 1) or next(
            (doc.referent(i) for i in doc.instruments_in(match.end(), doc.block_at(match.start()).end)
             if doc.instruments[i].start == match.end() and doc.referent(i) is not None), None)
    return nearest_instrument_before(doc, match.start()) or doc.focal(match.start())
