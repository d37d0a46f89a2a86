"""Duration: "This Treaty shall remain in force for thirty years", "remained in force for a term
of thirty years", "with a validity period of 30 years", "valid for twenty years", 有效期30年.

Renewal clauses ("for a further five years", "for successive periods of") and conditional ones
give no duration.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import scan
from ..annotate import AnnotatedDocument
from ..dates import parse_duration
from ..facts import Fact, Value
from .common import nearest_instrument_before

NAME = "treaty.duration"
_PERIOD = r"(?P<period>(?:\d{1,3}|[a-z]+(?:-[a-z]+)?)\s+(?:\(\d+\)\s+)?(?:years?|months?))"
_DURATIONS = [
    scan.opening(["remain", "remains", "remained", "continue", "continues", "be", "is", "was", r"shall\s+be"],
                 rf"\s+(?:in\s+force|valid|effective)\s+"
                 rf"for\s+(?P<gap>(?:a\s+|an\s+)?(?:(?:term|period|duration)\s+of\s+)?){_PERIOD}", re.IGNORECASE),
    scan.opening(["validity", "valid"], rf"\s+(?:period\s+)?(?:of|for)\s+{_PERIOD}", re.IGNORECASE),
    scan.opening(["term", "duration", "period"], rf"\s+of\s+validity\s+(?:of|shall\s+be)\s+{_PERIOD}", re.IGNORECASE),
    re.compile(r"有效期(?:为|為)?(?P<period>[0-9一二三四五六七八九十]{1,3}年)", re.IGNORECASE),
    scan.opening([r"сроком\s+на", r"в\s+течение"], r"\s+(?P<period>\w+(?:\s+\w+)?\s+(?:лет|года?))", re.IGNORECASE,
                 boundary=False),
]
# A period in years or months ends every match of the first three; 有效期 or Russian years are in the others.
_DURATION_ANCHORS = [scan.Anchors(_DURATIONS[0], "year", "month", ignore_case=True),
                     scan.Anchors(_DURATIONS[1], "year", "month", ignore_case=True),
                     scan.Anchors(_DURATIONS[2], "year", "month", ignore_case=True),
                     scan.Anchors(_DURATIONS[3], "有效期"),
                     scan.Anchors(_DURATIONS[4], "лет", "год", ignore_case=True)]
_RENEWAL = re.compile(r"\b(?:further|additional|successive|another|extended|renewed|prolonged)\b", re.IGNORECASE)


_ATTRIBUTIVE = re.compile(r"\b(?P<period>\d{1,3}|[a-z]+(?:-[a-z]+)?)-year\s+(?=(?:[a-z]+\s+){0,2}(?:treaty|pact|agreement|alliance|"
                          r"convention|Treaty|Pact|Agreement|Alliance|Convention)\b)")


class DurationExtractor:
    """How long an instrument stays in force."""

    name = NAME
    version = 1
    produces = frozenset({"duration"})
    requires = frozenset({"instruments", "sections"})

    def _attributive(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        """"a 30-year treaty of friendship": the period qualifies the instrument named next."""
        if "-year" not in doc.text:  # every match has it (the pattern is case-sensitive)
            return
        for match in _ATTRIBUTIVE.finditer(doc.text):
            duration = parse_duration(match.group("period") + " years")
            following = [i for i in doc.instruments_in(match.end(), match.end() + 200) if doc.instruments[i].start <= match.end() + 30]
            instrument = doc.referent(following[0]) if following else None
            if instrument is None and following:
                focal = doc.focal(match.start())
                instrument = focal if focal is not None and doc.instruments[focal].kind == doc.instruments[following[0]].kind else None
            if duration is not None and instrument is not None:
                yield doc.fact(doc.instrument_mention(instrument), "duration", Value(duration, "duration"), match.start(),
                               doc.instruments[following[0]].end, extractor=f"{NAME}.v1")

    def extract(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        yield from self._attributive(doc)
        patterns = [pattern for pattern, anchors in zip(_DURATIONS, _DURATION_ANCHORS, strict=True)
                    if not anchors.absent(doc.text)]
        for match in (m for pattern in patterns for m in pattern.finditer(doc.text)):
            period = match.group("period")
            gap = match.groupdict().get("gap") or ""
            if _RENEWAL.search(gap) or _RENEWAL.search(doc.text[max(0, match.start() - 30):match.start()]):
                continue
            duration = parse_duration(period)
            instrument = nearest_instrument_before(doc, match.start()) or doc.focal(match.start())
            if duration is None or instrument is None:
                continue
            yield doc.fact(doc.instrument_mention(instrument), "duration", Value(duration, "duration"),
                           match.start(), match.end(), extractor=f"{NAME}.v1")
