"""Entry into force: "Came into force on 11 April 1950, upon ratification", "entered into force
on DATE", "Entré en vigueur le DATE", an infobox's "Effective DATE", 1950年4月11日生效.

A UNTS footnote ("¹ Came into force on …") speaks of the instrument of its section. A clause
that only says when the instrument will come into force ("shall come into force upon
ratification") gives no date and no fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import scan
from ..annotate import AnnotatedDocument
from ..facts import Fact
from .common import coordinated, date_at, date_value, instrument_ending_before, nearest_instrument_before, referents

NAME = "treaty.entry_into_force"
_IN_FORCE = re.compile(r"\b(?:came|come|comes|entered|enter|enters|went|was\s+put|been\s+put)\s+into\s+(?:force|effect)"
                       r"(?:\s+(?:for|in\s+respect\s+of)\s+[^.;,]{1,60}?)?\s*(?:on|as\s+from|from)?\s*(?:the\s+)?"
                       r"|\bentr[ée]e?s?\s+en\s+vigueur\s+(?:le\s+)?|^\s*(?:Effective|Entry\s+into\s+force)\s*:?\s+"
                       r"|\b(?:date\s+of\s+)?entry\s+into\s+force(?:\s+generally)?\s*:\s*"
                       r"|\bвступ(?:ил|ило|ила|ает|ит|или)\s+в\s+силу\s+(?:с\s+)?", re.IGNORECASE | re.MULTILINE)
_IN_FORCE_STARTS = re.compile(scan.word_starts(["came", "come", "enter", "entr", "went", "was", "been", "date", "вступ"]),
                              re.IGNORECASE)
_IN_FORCE_LINES = scan.line_starts("e", re.IGNORECASE)  # where ^\s*(?:Effective|Entry…) can match
_CJK_IN_FORCE = re.compile(r"(?:正式)?生效")


class EntryIntoForceExtractor:
    """When an instrument came into force."""

    name = NAME
    version = 1
    produces = frozenset({"entryIntoForceDate"})
    requires = frozenset({"instruments", "dates", "sections"})

    def extract(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for match in scan.finditer(_IN_FORCE, _IN_FORCE_STARTS, doc.text, lines=_IN_FORCE_LINES):
            found = date_at(doc, match.end(), 3)
            if found is None or found.value.precision == "year":
                continue
            last = instrument_ending_before(doc, match.start())
            instruments = referents(doc, coordinated(doc, last)) if last is not None else []
            if not instruments:
                single = nearest_instrument_before(doc, match.start()) or doc.focal(match.start())
                instruments = [single] if single is not None else []
            for instrument in instruments:
                yield doc.fact(doc.instrument_mention(instrument), "entryIntoForceDate", date_value(found),
                               match.start(), found.end, extractor=f"{NAME}.v1")
        for match in _CJK_IN_FORCE.finditer(doc.text) if "生效" in doc.text else ():  # every match has 生效
            start, _ = doc.sentence_at(match.start())
            if re.search(r"(?:须|須|将|將|应|應|才|后|後|以前|时|時)[^，。,]{0,12}$", doc.text[start:match.start()]):
                continue
            days = [d for d in doc.dates if start <= d.start < match.start() and d.value.precision == "day"]
            found = days[-1] if days else None
            instrument = nearest_instrument_before(doc, match.start()) or doc.focal(match.start())
            if found is not None and instrument is not None:
                yield doc.fact(doc.instrument_mention(instrument), "entryIntoForceDate", date_value(found),
                               match.start(), match.end(), extractor=f"{NAME}.v1")
