"""Parts of instruments: "this note and your reply thereto will constitute part of the Treaty",
"shall form an integral part of T", and a UNTS title's annexed instrument ("T (with exchange of
notes …)").

Produces partOf.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import scan
from ..annotate import AnnotatedDocument
from ..facts import Fact

NAME = "treaty.part_of"
_PART = re.compile(r"\b(?:constitut(?:e|es|ing)|form(?:s|ing)?|be|are|is)\s+(?:an\s+)?(?:integral\s+)?part\s+of\s+",
                   re.IGNORECASE)
_PART_STARTS = scan.WordStarts(["constitut", "form", "be", "are", "is"], ignore_case=True)
_PART_ANCHORS = scan.Anchors(_PART, "part", ignore_case=True)


class PartOfExtractor:
    """Which instrument is part of which."""

    name = NAME
    version = 1
    produces = frozenset({"partOf"})
    requires = frozenset({"instruments", "sections"})

    def extract(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        matches = scan.finditer(_PART, _PART_STARTS, doc.text) if not _PART_ANCHORS.absent(doc.text) else ()
        for match in matches:
            following = [i for i in doc.instruments_in(match.end(), match.end() + 200) if doc.instruments[i].start <= match.end() + 4]
            whole = doc.referent(following[0]) if following else None
            part = doc.focal(match.start())
            if whole is not None and part is not None and whole != part and doc.instruments[part].kind != doc.instruments[whole].kind:
                yield doc.fact(doc.instrument_mention(part), "partOf", doc.instrument_mention(whole), match.start(),
                               doc.instruments[following[0]].end, extractor=f"{NAME}.v1")
        for index in sorted(doc.header_instruments):
            annex = doc.instruments[index]
            if doc.text[annex.end:annex.end + 1] != ")":
                continue
            titles = [i for i in doc.header_instruments if doc.instruments[i].start < annex.start
                      and doc.block_at(doc.instruments[i].start) == doc.block_at(annex.start)]
            if titles:
                yield doc.fact(doc.instrument_mention(index), "partOf", doc.instrument_mention(titles[-1]),
                               doc.instruments[titles[-1]].start, annex.end + 1, extractor=f"{NAME}.v1")
