"""Turtle written from a previous build's graph.ttl, with only the subjects that changed made again.

Oxigraph writes Turtle a subject at a time: the prefix lines, then per subject a block that
starts on a line of its own (the subject, not indented) and goes on in lines indented with a tab,
with nothing carried from one block to the next (a line break in a literal is escaped). Given
triples grouped by subject in the order of their N-Triples lines (a union.nt), it writes the
blocks in the order of the subjects' N-Triples terms. So the Turtle of a graph that differs from
the previous one in the triples of some subjects is the previous file with those subjects'
blocks taken out, and the blocks Oxigraph writes for their new triples put in, each where its
subject sorts: found by binary search, the rest of the file copied as it is.
"""

from __future__ import annotations

import mmap
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import pyoxigraph as ox

from .graphfiles import prefix_lines
from .sortedfile import SortedUnits, spliced_pieces

Subject = ox.NamedNode | ox.BlankNode
_BLOCK_START = re.compile(rb"^[^\t]", re.MULTILINE)


def splice_turtle(previous: bytes | mmap.mmap, triples: Iterable[ox.Triple], subjects: Iterable[Subject],
                  prefixes: dict[str, str], stream: BinaryIO) -> bool:
    """Write what Oxigraph writes as Turtle (with prefixes) for a graph that differs from the one
    written as previous only in the triples of subjects: triples are the new graph's triples of
    those subjects, grouped by subject in N-Triples order. previous must be a file Oxigraph wrote
    so (its blocks are looked up, not all read); returns False, and writes nothing, when it does
    not start with these prefix lines or a subject looked up in it has another prefix."""
    header = prefix_lines(ox.RdfFormat.TURTLE, tuple(prefixes.items()))
    if len(previous) and previous[:len(header)] != header:
        return False
    namespaces = {name.encode("utf-8"): iri.encode("utf-8") for name, iri in prefixes.items()}
    made = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    blocks = _Blocks(previous, len(header) if len(previous) else 0, namespaces)
    try:
        gone = [blocks.span_of(str(subject).encode("utf-8")) for subject in subjects]
        came = [(blocks.position(subject), subject, text) for subject, text in
                _blocks(made[len(header):], namespaces)]
    except (KeyError, ValueError):  # not a file Oxigraph wrote with these prefixes
        return False
    pieces = spliced_pieces(previous, blocks.base, blocks.end, gone, came)
    if pieces:
        stream.write(header)
        stream.writelines(pieces)
    return True


class _Blocks(SortedUnits):
    """The subject blocks of a Turtle file from base (the body's start), by subject."""

    def __init__(self, data: bytes | mmap.mmap, base: int, namespaces: dict[bytes, bytes]) -> None:
        super().__init__(data, base)
        self.namespaces = namespaces

    def _unit_start(self, at: int, low: int) -> int:
        data = self.data
        start = data.rfind(b"\n", low, at) + 1 or low
        while start > low and data[start:start + 1] == b"\t":
            start = data.rfind(b"\n", low, start - 1) + 1 or low
        return start

    def _next_start(self, start: int) -> int:
        data = self.data
        end = data.find(b"\n", start)
        while end != -1 and data[end + 1:end + 2] == b"\t":
            end = data.find(b"\n", end + 1)
        return self.end if end == -1 else end + 1

    def _key(self, start: int) -> bytes:
        space = self.data.find(b" ", start)
        if space == -1:
            raise ValueError("a block with no subject")
        return _subject(self.data[start:space], self.namespaces)


def _blocks(body: bytes, namespaces: dict[bytes, bytes]) -> Iterator[tuple[bytes, bytes]]:
    """The subject blocks of a Turtle body, each with its subject as an N-Triples term."""
    starts = [match.start() for match in _BLOCK_START.finditer(body)]
    ends = [*starts[1:], len(body)] if starts else []
    for start, end in zip(starts, ends, strict=True):
        yield _subject(body[start:body.index(b" ", start)], namespaces), body[start:end]


def _subject(written: bytes, namespaces: dict[bytes, bytes]) -> bytes:
    """A subject as N-Triples gives it, from Turtle: an IRI, a blank node or a prefixed name (whose
    local part may escape characters with a backslash, which no IRI holds)."""
    if written.startswith((b"<", b"_:")):
        return written
    prefix, _, local = written.partition(b":")
    return b"<" + namespaces[prefix] + local.replace(b"\\", b"") + b">"
