"""Signatures: "(Signed) A. Y. VYSHINSKY" under "By authorization of … the Union of Soviet
Socialist Republics :", "For the Government of X:" followed by a name, and the signature under
a note's closing ("I have the honour to be, etc." / "Accept, Sir, the assurances …").

Produces signs, and represents when the block names the state.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import scan
from ..annotate import AnnotatedDocument
from ..facts import Fact
from .common import STATE_KINDS, person_name

NAME = "treaty.signatures"
_SIGNED = re.compile(r"\((?:Signed|Signé|Sgd\.?|L\.S\.)\)\s*(?P<name>[^\n\[]{3,80})", re.IGNORECASE)
_FOR = re.compile(r"^\s*(?:(?:For|On\s+behalf\s+of|By\s+authorization\s+of|In\s+the\s+name\s+of|Pour|Au\s+nom\s+de)\b"
                  r"(?P<authority>(?:[^:\n]|\n(?!\s*\n)){3,250}?)\s*:"
                  r"|(?:По\s+уполномочию|От\s+имени|За)\s(?P<ru_authority>[^:\n]{3,250}?)\s*:?)"
                  r"\s*\n\s*(?!\(Signed\))(?P<name>[^\n\[(]{3,80})",
                  re.IGNORECASE | re.MULTILINE)
_FOR_LINES = scan.line_starts("FOBIPAПОЗ", re.IGNORECASE)
_AUTHORITY = re.compile(r"(?:For|On\s+behalf\s+of|By\s+authorization|In\s+the\s+name\s+of|Pour|Au\s+nom\s+de|"
                        r"(?:The\s+)?Plenipotentiary\s+of|Le\s+Plénipotentiaire\s+d)"
                        r"(?P<authority>(?:[^:]|\n){3,250}?):\s*$", re.IGNORECASE)
_CLOSING = scan.opening([r"I\s+have\s+the\s+honour\s+to\s+be", r"I\s+avail\s+myself", r"Accept,\s+(?:Sir|Excellency)",
                         r"Veuillez\s+agréer"], r"[^\n]*\n\s*(?:\n\s*)*(?P<name>[^\n]{3,60})", re.IGNORECASE, boundary=False)

_CLOSING_ANCHORS = scan.Anchors(_CLOSING, "honour", "avail", "accept", "veuillez", ignore_case=True)


class SignaturesExtractor:
    """Who signed an instrument, read from its signature blocks."""

    name = NAME
    version = 1
    produces = frozenset({"signs", "represents"})
    requires = frozenset({"instruments", "names", "sections"})

    def extract(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for match in _SIGNED.finditer(doc.text):
            offset = max(0, match.start() - 260)
            authority = _AUTHORITY.search(doc.text[offset:match.start()].rstrip() + "\n")
            states, start = [], match.start()
            if authority:
                start = offset + authority.start()
                states = doc.names_in(offset + authority.start("authority"), offset + authority.end("authority"),
                                      STATE_KINDS)
            yield from self._signature(doc, match, states, start)
        for match in scan.finditer(_FOR, None, doc.text, lines=_FOR_LINES):
            group = "authority" if match.group("authority") is not None else "ru_authority"
            states = doc.names_in(*match.span(group), kinds=STATE_KINDS)
            yield from self._signature(doc, match, states, match.start())
        for match in _CLOSING.finditer(doc.text) if not _CLOSING_ANCHORS.absent(doc.text) else ():
            yield from self._signature(doc, match, [], match.start())

    def _signature(self, doc: AnnotatedDocument, match: re.Match[str], states: list, start: int) -> Iterator[Fact]:
        instrument = doc.focal(match.start())
        person = person_name(doc, *match.span("name"))
        if instrument is None or person is None:
            return
        mention = doc.name_mention(person)
        evidence_start = max(0, start)
        yield doc.fact(mention, "signs", doc.instrument_mention(instrument), evidence_start, match.end(),
                       extractor=f"{NAME}.v1")
        if states:
            yield doc.fact(mention, "represents", doc.name_mention(states[-1]), evidence_start, match.end(),
                           extractor=f"{NAME}.v1")
