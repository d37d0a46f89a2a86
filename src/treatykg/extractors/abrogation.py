"""Abrogation: an instrument "concerning the abrogation of T", a declaration that "T … have
ceased to have effect" / "are null and void" / "are hereby abrogated", "declaring null and void
T", "a new treaty to replace T", "supersedes T", 以代替《T》, 废除《T》.

Produces abrogates, from the instrument in force (the one whose title or text states it) to
each instrument named.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import scan
from ..annotate import AnnotatedDocument
from ..facts import Fact
from .common import referents

NAME = "treaty.abrogation"
_IN_TITLE = scan.opening([r"concerning\s+the\s+abrogation\s+of\b", r"on\s+the\s+abrogation\s+of\b",
                          r"regarding\s+the\s+abrogation\s+of\b", r"relating\s+to\s+the\s+abrogation\s+of\b",
                          r"concernant\s+l'abrogation\s+d"], flags=re.IGNORECASE)
_TITLE_END = re.compile(r",?\s+and\s+concerning\b|,?\s+et\s+concernant\b|\)", re.IGNORECASE)
_DECLARED_BEFORE = re.compile(r"\b(?:ha(?:ve|s)|shall\s+have)\s+ceased\s+to\s+(?:have\s+effect|be\s+in\s+force|be\s+valid)"
                              r"|\b(?:is|are)\s+(?:hereby\s+)?(?:abrogated|terminated|annulled|declared\s+null\s+and\s+void)"
                              r"|\b(?:shall\s+)?(?:become|became)\s+null\s+and\s+void", re.IGNORECASE)
_DECLARED_AFTER = re.compile(r"\b(?:declar(?:e|es|ed|ing)\s+null\s+and\s+void|(?:to|shall|will|which\s+will)\s+replace|"
                             r"replac(?:es|ed|ing)|supersed(?:e|es|ed|ing)|abrogat(?:e|es|ed|ing)|"
                             r"(?:以)?代替|废除|廢除)", re.IGNORECASE)
_DECLARED_BEFORE_STARTS = scan.WordStarts(["ha", "shall", "is", "are", "becom", "becam"], ignore_case=True)
_DECLARED_AFTER_STARTS = scan.WordStarts(["declar", "to", "shall", "will", "which", "replac", "supersed",
                                          "abrogat", "以", "代", "废", "廢"], ignore_case=True)
_IN_TITLE_ANCHORS = scan.Anchors(_IN_TITLE, "abrogation", ignore_case=True)
_DECLARED_BEFORE_ANCHORS = scan.Anchors(_DECLARED_BEFORE, "ceased", "abrogated", "terminated", "annulled",
                                        "null", ignore_case=True)
_DECLARED_AFTER_ANCHORS = scan.Anchors(_DECLARED_AFTER, "declar", "replac", "supersed", "abrogat", "代替", "废除",
                                       "廢除", ignore_case=True)
_CLAUSE_START = re.compile(r"\b(?:that|declare|declares|agree)\b", re.IGNORECASE)


class AbrogationExtractor:
    """Which earlier instruments an instrument ends."""

    name = NAME
    version = 1
    produces = frozenset({"abrogates"})
    requires = frozenset({"instruments", "sections"})

    def extract(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        yield from self._titles(doc)
        yield from self._declarations(doc)

    def _emit(self, doc: AnnotatedDocument, subject: int, objects: list[int], start: int, end: int) -> Iterator[Fact]:
        for target in objects:
            if target != subject and doc.instruments[target].name != doc.instruments[subject].name:
                yield doc.fact(doc.instrument_mention(subject), "abrogates", doc.instrument_mention(target), start, end,
                               extractor=f"{NAME}.v1")

    def _titles(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for match in _IN_TITLE.finditer(doc.text) if not _IN_TITLE_ANCHORS.absent(doc.text) else ():
            outer = [i for i, s in enumerate(doc.instruments) if s.start < match.start() and match.end() <= s.end and s.specific]
            if not outer:
                continue
            title = doc.instruments[outer[-1]]
            stop = _TITLE_END.search(doc.text, match.end(), title.end)
            end = stop.start() if stop else title.end
            nested = [i for i in doc.instruments_in(match.end(), end) if i != outer[-1]]
            yield from self._emit(doc, outer[-1], referents(doc, nested), title.start, title.end)

    def _declarations(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for match in scan.finditer(_DECLARED_BEFORE, _DECLARED_BEFORE_STARTS, doc.text) \
                if not _DECLARED_BEFORE_ANCHORS.absent(doc.text) else ():
            start, _ = doc.sentence_at(match.start())
            opener = None
            for opener in _CLAUSE_START.finditer(doc.text, start, match.start()):
                pass
            clause_start = opener.end() if opener else start
            subject = doc.focal(match.start())
            objects = referents(doc, doc.instruments_in(clause_start, match.start()))
            if subject is not None:
                yield from self._emit(doc, subject, objects, start, match.end())
        for match in scan.finditer(_DECLARED_AFTER, _DECLARED_AFTER_STARTS, doc.text) \
                if not _DECLARED_AFTER_ANCHORS.absent(doc.text) else ():
            _, end = doc.sentence_at(match.start())
            subject = doc.focal(match.start())
            following = doc.instruments_in(match.end(), end)
            if subject is None or not following:
                continue
            first = doc.instruments[following[0]]
            if re.search(r"[.;。]", doc.text[match.end():first.start]) or first.start - match.end() > 60:
                continue
            yield from self._emit(doc, subject, referents(doc, _coordinated_after(doc, following)), match.start(), first.end)


def _coordinated_after(doc: AnnotatedDocument, following: list[int]) -> list[int]:
    chain = following[:1]
    for index in following[1:]:
        gap = doc.text[doc.instruments[chain[-1]].end:doc.instruments[index].start]
        if not re.fullmatch(r"[\s,]*(?:and|as\s+well\s+as|et|与|和|及)\s+(?:of\s+)?(?:the\s+)?(?:other\s+)?|[、，]", gap, re.IGNORECASE):
            break
        chain.append(index)
    return chain
