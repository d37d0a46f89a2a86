"""Termination: "the Legislative Yuan of X voted to officially terminate its commitments to T",
"X denounced T", "X withdrew from T", "T expired on DATE", "T was terminated on DATE", an
infobox's "Expiry DATE".

Produces terminates (the state that ends its own commitments) and terminationDate (when the
sentence dates it). Rights and possibilities ("may denounce", "gives notice … that it wishes
to denounce") give nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import scan
from ..annotate import AnnotatedDocument
from ..facts import Fact, Value
from .common import STATE_KINDS, date_at, date_value, modal_before, nearest_instrument_before

NAME = "treaty.termination"
_ACT = re.compile(r"\b(?:(?:voted|decided|resolved|moved)\s+to\s+)?(?:officially\s+|formally\s+|unilaterally\s+)?"
                  r"(?:terminat(?:e|ed|es)|denounc(?:e|ed|es)|withdr(?:ew|aws)\s+from|abrogat(?:e|ed|es)|renounc(?:e|ed|es))"
                  r"\s+(?:its|their)?\s*(?:commitments|obligations|participation|membership)?\s*(?:to|under|in)?\s*",
                  re.IGNORECASE)
_ACT_STARTS = scan.WordStarts(["voted", "decided", "resolved", "moved", "officially", "formally",
                               "unilaterally", "terminat", "denounc", "withdr", "abrogat", "renounc"],
                              ignore_case=True)
_ACT_ANCHORS = scan.Anchors(_ACT, "terminat", "denounc", "withdr", "abrogat", "renounc", ignore_case=True)
_ENDED = scan.opening(["expired", r"was\s+terminated", r"were\s+terminated", r"ceased\s+to\s+be\s+in\s+force", "lapsed"],
                      r"\s+(?:on\s+)?", re.IGNORECASE)
_ENDED_ANCHORS = scan.Anchors(_ENDED, "expired", "terminated", "ceased", "lapsed", ignore_case=True)
_INFOBOX = re.compile(r"^\s*(?:Expiry|Expiration|Expired|Terminated|Termination)\s+(?=\d|[A-Z][a-z]+\s+\d)", re.MULTILINE)
_INFOBOX_LINES = scan.line_starts("ET")
_INFOBOX_ANCHORS = scan.Anchors(_INFOBOX, "Expir", "Terminat")


class TerminationExtractor:
    """Which state ended its commitments under an instrument, and when an instrument ended."""

    name = NAME
    version = 1
    produces = frozenset({"terminates", "terminationDate"})
    requires = frozenset({"instruments", "names", "dates", "sections"})

    def extract(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        yield from self._acts(doc)
        yield from self._ended(doc)
        title = doc.focal(0)
        if title is None or _INFOBOX_ANCHORS.absent(doc.text):
            return
        for match in scan.finditer(_INFOBOX, None, doc.text, lines=_INFOBOX_LINES):
            found = date_at(doc, match.end(), 1)
            if found is not None:
                yield doc.fact(doc.instrument_mention(title), "terminationDate", date_value(found), match.start(),
                               found.end, extractor=f"{NAME}.v1")

    def _acts(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        if _ACT_ANCHORS.absent(doc.text):
            return
        for match in scan.finditer(_ACT, _ACT_STARTS, doc.text):
            if modal_before(doc, match.start(), 30) or re.search(r"wish(?:es)?\s+to\s*$|notice", doc.text[max(0, match.start() - 60):match.start()]):
                continue
            following = [i for i in doc.instruments_in(match.end(), match.end() + 120) if doc.instruments[i].start <= match.end() + 4]
            target = doc.referent(following[0]) if following else None
            start = doc.sentence_at(match.start())[0]
            states = doc.names_in(start, match.start(), STATE_KINDS)
            if target is None or not states:
                continue
            sentence_dates = [d for d in doc.dates if start <= d.start < match.start() and d.value.precision == "day"]
            when = sentence_dates[-1] if sentence_dates else None
            state = doc.name_mention(states[-1], date=when.value if when else None)
            end = doc.instruments[following[0]].end
            yield doc.fact(state, "terminates", doc.instrument_mention(target), start, end, extractor=f"{NAME}.v1")
            if when is not None:
                yield doc.fact(doc.instrument_mention(target), "terminationDate", date_value(when), start, end,
                               extractor=f"{NAME}.v1")

    def _ended(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        if _ENDED_ANCHORS.absent(doc.text):
            return
        for match in _ENDED.finditer(doc.text):
            found = date_at(doc, match.end(), 4)
            instrument = nearest_instrument_before(doc, match.start())
            if found is not None and instrument is not None and not modal_before(doc, match.start(), 20):
                yield doc.fact(doc.instrument_mention(instrument), "terminationDate", date_value(found), match.start(),
                               found.end, extractor=f"{NAME}.v1")


__all__ = ["TerminationExtractor", "Value"]
