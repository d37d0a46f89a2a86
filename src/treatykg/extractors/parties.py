"""Parties: "Treaty … between X and Y", a UNTS page's party block ("X and Y" above the title),
"Joint Declaration by the Government of X and the Government of Y", a title's compound
("Sino-Soviet Treaty", 《中苏…条约》), "T, signed by X and Y", "X and Y signed T" and
"A与B签订的《T》", and the states whose ratifications an instrument waits for or has ("when the
ratifications of X, Y and Z have been deposited", "ratified by X and Y").

Produces isPartyTo. A state named by an adjective or a name that changed over time ("China")
is resolved later by the date of the instrument.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import scan
from ..annotate import AnnotatedDocument
from ..facts import Fact
from .common import STATE_KINDS, coordinated, instrument_ending_before, referents

NAME = "treaty.parties"
_SIGNED_BY = scan.opening(["signed", "concluded"], r"\s+(?:(?:on|in|at)\s+[^,;.()]{1,40}?\s+)?(?:by|between)\s+"
                          r"(?P<list>[^.;]{3,600}?)(?=\s+on\b|\s+in\s+\d|[.;]|$)", re.IGNORECASE | re.MULTILINE)
# "X and Y [have] signed [the] [10-year]" right before a title (searched in _VERB_REACH characters
# before it, so that a long run-on "sentence" is not scanned again for each of its titles)
_SIGNED_VERB = re.compile(r"\s+(?:have\s+|had\s+|jointly\s+)?(?:signed|concluded)\s+(?:the\s+|a\s+|an\s+)?"
                          r"(?:(?:\d+|[a-z]+)(?:-year|-point)?\s+){0,2}\Z", re.IGNORECASE)
_VERB_REACH = 160
# a state that ratifies an instrument is bound by it: its party ("ratification of the Treaty by X" too)
_RATIFIED_BY = scan.opening([r"ratifications?\s+(?:of|by|de|par)", r"ratifi(?:ed|é|ée|és|ées)\s+(?:by|par)"],
                            r"\s+(?P<list>[^.;:]{3,400}?)(?=\s+(?:have|has|had|shall|should|were|was|are|is|"
                            r"will|ont|a|sont|seront|sera)\b|[.;:]|$)", re.IGNORECASE | re.MULTILINE)
_RATIFIED_BY_ANCHORS = scan.Anchors(_RATIFIED_BY, "ratifi", ignore_case=True)
_BY = re.compile(r"\s+(?:by|par)\s", re.IGNORECASE)
_CJK_SIGNED_BY = re.compile(r"(?:签订|簽訂|缔结|締結|签署|簽署)的")
_CJK_SIGNED_BY_ANCHORS = scan.Anchors(_CJK_SIGNED_BY, "的")


class PartiesExtractor:
    """Which states are parties to an instrument."""

    name = NAME
    version = 1
    produces = frozenset({"isPartyTo"})
    requires = frozenset({"instruments", "names", "parties"})

    def extract(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        yield from self._named_parties(doc)
        yield from self._signed_by(doc)
        yield from self._signers_before(doc)
        yield from self._ratified_by(doc)
        yield from self._chinese(doc)

    def _fact(self, doc: AnnotatedDocument, state, instrument: int, start: int, end: int) -> Fact:
        date = doc.date_at(doc.instruments[instrument].start) if state.via == "adjective" else None
        return doc.fact(doc.name_mention(state, date=date), "isPartyTo", doc.instrument_mention(instrument),
                        start, end, extractor=f"{NAME}.v1")

    def _named_parties(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for index, states in sorted(doc.parties.items()):
            span = doc.instruments[index]
            for instrument in referents(doc, [index, *_joined_after(doc, index)]):
                for state in states:
                    start, end = min(state.start, span.start), max(state.end, span.end)
                    yield self._fact(doc, state, instrument, start, end)

    def _signed_by(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for match in _SIGNED_BY.finditer(doc.text):
            last = instrument_ending_before(doc, match.start())
            states = doc.names_in(*match.span("list"), kinds=STATE_KINDS)
            if last is None or not states:
                continue
            for instrument in referents(doc, coordinated(doc, last)):
                for state in states:
                    yield self._fact(doc, state, instrument, doc.instruments[last].start, match.end())

    def _signers_before(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for index, span in enumerate(doc.instruments):
            sentence_start = doc.sentence_at(span.start)[0]
            verb = _SIGNED_VERB.search(doc.text, max(sentence_start, span.start - _VERB_REACH), span.start)
            if verb is None:
                continue
            clause_start = max(doc.text.rfind(",", sentence_start, verb.start()) + 1, sentence_start)
            states = doc.names_in(clause_start, verb.start(), kinds=STATE_KINDS)
            instrument = doc.referent(index)
            if instrument is None and span.determiner in ("a", "an", "") and not span.specific:
                focal = doc.focal(span.start)
                instrument = focal if focal is not None and doc.instruments[focal].kind == span.kind else None
            for state in states if instrument is not None else ():
                yield self._fact(doc, state, instrument, clause_start, span.end)

    def _ratified_by(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for match in _RATIFIED_BY.finditer(doc.text) if not _RATIFIED_BY_ANCHORS.absent(doc.text) else ():
            start, end = match.span("list")
            named = doc.instruments_in(start, end)
            if named:  # "ratification of the Treaty by X and Y"
                by = _BY.search(doc.text, doc.instruments[named[0]].end, end)
                if doc.instruments[named[0]].start > start + 6 or by is None:
                    continue
                instrument, start = doc.referent(named[0]), by.end()
            else:
                instrument = _subject_instrument(doc, match.start())
            states = doc.names_in(start, end, kinds=STATE_KINDS)
            for state in states if instrument is not None else ():
                yield self._fact(doc, state, instrument, match.start(), end)

    def _chinese(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for match in _CJK_SIGNED_BY.finditer(doc.text) if not _CJK_SIGNED_BY_ANCHORS.absent(doc.text) else ():
            after = [i for i in doc.instruments_in(match.end(), match.end() + 60) if doc.instruments[i].start <= match.end() + 1]
            sentence_start = doc.sentence_at(match.start())[0]
            clause_start = max(doc.text.rfind("，", sentence_start, match.start()) + 1, sentence_start)
            states = doc.names_in(clause_start, match.start(), kinds=STATE_KINDS)
            for instrument in referents(doc, after[:1]):
                for state in states:
                    yield self._fact(doc, state, instrument, clause_start, doc.instruments[after[0]].end)


def _subject_instrument(doc: AnnotatedDocument, position: int) -> int | None:
    """The one instrument the sentence before position speaks of, else the one its section or
    document speaks of."""
    before = referents(doc, doc.instruments_in(doc.sentence_at(position)[0], position))
    if len(before) > 1:
        return None
    return before[0] if before else doc.focal(position)


def _joined_after(doc: AnnotatedDocument, index: int) -> list[int]:
    """An instrument joined by "and" right after a "between X and Y" clause shares its parties
    ("the Treaty … between China and the Soviet Union and the Agreement concerning …")."""
    parties = doc.instruments[index].parties_span
    if parties is None:
        return []
    following = [i for i, s in enumerate(doc.instruments) if parties[1] - 2 <= s.start <= parties[1] + 8 and s.specific]
    return following[:1] if re.search(r"\band\s+(?:the\s+)?$", doc.text[parties[0]:parties[1]]) else []
