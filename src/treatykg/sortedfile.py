"""Binary search in a file whose units (lines, Turtle subject blocks, JSON-LD nodes) are sorted by
a key, and the pieces of such a file with some units taken out and others put in: how a rebuild
changes graph.nq, the union, graph.ttl and graph.jsonld without reading them whole
(treatykg.increment, treatykg.turtle, treatykg.jsonld)."""

from __future__ import annotations

import mmap
from collections.abc import Iterable
from typing import Any


class SortedUnits:
    """The units of data from base to end, sorted by key. A subclass says where the unit holding a
    byte starts (`_unit_start`), where the unit after one starts (`_next_start`) and what a unit's
    key is (`_key`)."""

    def __init__(self, data: bytes | mmap.mmap, base: int = 0, end: int | None = None) -> None:
        self.data, self.base, self.end = data, base, len(data) if end is None else end

    def position(self, key: Any) -> int:
        """Where the first unit whose key is not below key starts (end if none)."""
        low, high = self.base, self.end
        # low and high are unit starts; the units before low are below key, the one at high is not
        while low < high:
            start = self._unit_start((low + high) // 2, low)
            if self._key(start) < key:
                low = self._next_start(start)
            else:
                high = start
        return low

    def span_of(self, key: Any) -> tuple[int, int] | None:
        """From the start of the unit of key to the start of the next (None: no unit has key)."""
        start = self.position(key)
        if start < self.end and self._key(start) == key:
            return start, self._next_start(start)
        return None

    def _unit_start(self, at: int, low: int) -> int:
        """The start of the unit holding the byte at (not before low, a unit start)."""
        raise NotImplementedError

    def _next_start(self, start: int) -> int:
        raise NotImplementedError

    def _key(self, start: int) -> Any:
        raise NotImplementedError


def spliced_pieces(data: bytes | mmap.mmap, base: int, end: int, gone: Iterable[tuple[int, int] | None],
                   came: Iterable[tuple[int, Any, bytes]]) -> list[bytes]:
    """data[base:end] less the spans gone (None: nothing), with each text that came put in at its
    place (place, key, text). At one place, the texts that came go in the order of their keys,
    before the span that goes from there."""
    cuts = sorted([(start, 1, b"", stop, b"") for start, stop in (span for span in gone if span)] +
                  [(place, 0, key, place, text) for place, key, text in came])
    pieces, cursor = [], base
    for start, _, _, stop, text in cuts:
        if start > cursor:
            pieces.append(data[cursor:start])
        if text:
            pieces.append(text)
        cursor = max(cursor, stop)
    if end > cursor:
        pieces.append(data[cursor:end])
    return pieces
