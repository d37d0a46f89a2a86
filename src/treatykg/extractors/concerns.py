"""What an instrument is about: the places, ports, railways and states its title is "on" or
"concerning" ("Agreement on the Chinese Changchun Railway, Port Arthur and Dairen"), leaving out
names inside a nested instrument's title; and the railways and ports the parties "agreed" on.

Produces concerns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import scan
from ..annotate import AnnotatedDocument
from ..facts import Fact
from .common import CONCERN_KINDS

NAME = "treaty.concerns"
_ABOUT = re.compile(r"\b(?:on|concerning|regarding|relating\s+to|respecting|sur|concernant|relatif\s+à)\s+", re.IGNORECASE)
_AGREED = scan.opening(["two", "both"], r"\s+(?:nations|countries|parties|sides|Governments)\s+agreed\s+(?:upon|on|to)\b",
                       re.IGNORECASE)

_AGREED_ANCHORS = scan.Anchors(_AGREED, "agreed", ignore_case=True)


class ConcernsExtractor:
    """The places, railways, ports and states an instrument concerns."""

    name = NAME
    version = 1
    produces = frozenset({"concerns"})
    requires = frozenset({"instruments", "names"})

    def extract(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for index, span in enumerate(doc.instruments):
            if not span.specific:
                continue
            about = _ABOUT.search(doc.text, span.start, span.end)
            if about is None:
                continue
            nested = [doc.instruments[i] for i in doc.instruments_in(span.start, span.end) if i != index]
            for name in doc.names_in(about.end(), span.end, CONCERN_KINDS):
                if not any(n.start <= name.start < n.end for n in nested):
                    yield doc.fact(doc.instrument_mention(index), "concerns", doc.name_mention(name), span.start,
                                   span.end, extractor=f"{NAME}.v1")
        for match in _AGREED.finditer(doc.text) if not _AGREED_ANCHORS.absent(doc.text) else ():
            instrument = doc.focal(match.start())
            _, end = doc.sentence_at(match.start())
            for name in doc.names_in(match.end(), end, frozenset({"Railway", "Port"})) if instrument is not None else ():
                yield doc.fact(doc.instrument_mention(instrument), "concerns", doc.name_mention(name), match.start(),
                               name.end, extractor=f"{NAME}.v1")
