"""Turtle written from a previous build's graph.ttl, with only the subjects that changed made again.

Oxigraph writes Turtle a subject at a time: the prefix lines, then per subject a block that
starts on a line of its own (the subject, not indented) and goes on in lines indented with a tab,
with nothing carried from one block to the next. Given triples grouped by subject in the order of
their N-Triples lines (a union.nt), it writes the blocks in the order of the subjects' N-Triples
terms. So the Turtle of a graph that differs from the previous one in the triples of some
subjects is the previous file with those subjects' blocks taken out, and the blocks Oxigraph
writes for their new triples put in, each where its subject sorts.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import pyoxigraph as ox

from .graphfiles import prefix_lines

Subject = ox.NamedNode | ox.BlankNode
_BLOCK_START = re.compile(rb"^[^\t]", re.MULTILINE)


def splice_turtle(previous: bytes, triples: Iterable[ox.Triple], subjects: Iterable[Subject],
                  prefixes: dict[str, str], stream: BinaryIO) -> bool:
    """Write what Oxigraph writes as Turtle (with prefixes) for a graph that differs from the one
    written as previous only in the triples of subjects: triples are the new graph's triples of
    those subjects, grouped by subject in N-Triples order. Returns False, and writes nothing, when
    previous does not start with these prefix lines or has a subject it does not."""
    header = prefix_lines(ox.RdfFormat.TURTLE, tuple(prefixes.items()))
    if previous and not previous.startswith(header):
        return False
    made = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    changed = {str(subject).encode("utf-8") for subject in subjects}
    namespaces = {name.encode("utf-8"): iri.encode("utf-8") for name, iri in prefixes.items()}
    try:
        kept = [block for block in _blocks(previous[len(header):], namespaces) if block[0] not in changed]
    except (KeyError, ValueError):  # not a file Oxigraph wrote with these prefixes
        return False
    blocks = [text for _, text in heapq.merge(kept, _blocks(made[len(header):], namespaces))]
    if blocks:
        stream.write(header)
        stream.writelines(blocks)
    return True


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
