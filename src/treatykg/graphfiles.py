"""A built graph as sorted text files on disk, made in runs and merged as streams.

A graph of millions of statements is too big to sort in memory at once: allocating gigabytes of
fresh strings costs more than the corpus grows, and the memory outgrows a laptop. So the build
writes its graph in runs (the default graph's statements, then one run per chunk of documents,
each sorted in memory on its own) and merges the runs line by line:

- graph.nq: the N-Quads, each quad once, in byte order (the file a build publishes);
- union.nt: the union's N-Triples, each triple once, in byte order (the store's default graph,
  and what Turtle, JSON-LD and RDF/XML are written from: its triples come grouped by subject);
- the runs' NAME.trig: the TriG of the run's quads as Oxigraph writes it, without its prefix
  lines (`trig_header`). Oxigraph writes TriG a graph at a time, with nothing carried from one
  graph to the next, and runs hold disjoint named graphs in increasing IRI order (the default
  graph in the first), so graph.trig is the header and the runs' TriG one after the other
  (`trig_parts`). A chunk's TriG is thus written by the worker that made the chunk, and kept
  with its run in a rebuild's cache.

graph.nq and union.nt come from one merge of the runs' NAME.keyed, whose lines are the quads' N-Quads lines
with a NUL in place of the space after the triple. They sort as graph.nq's lines do, and the quads
of one triple are neighbours, so each triple of the union is written as its first quad passes:
the union costs no run files and no merge of its own (at 10,000 documents, half a gigabyte less
written while the store and the exports are written too).

Why the orders agree: a line sorts as its text without the final newline would, as no
N-Triples line holds a character below the space, and the newline is one. Of two triples, one
is never the other followed by a space (both have three terms), so a triple and the characters
after it (" ." or " <graph> ." in graph.nq, a NUL in a keyed line) sort as the triple does.
"""

from __future__ import annotations

import heapq
import re
import shutil
import tempfile
import weakref
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .rdf import PREFIXES

if TYPE_CHECKING:
    from .increment import GraphChange

Statement = tuple[str, str]  # a triple in N-Triples (without its final " .") and its graph ("": the default graph)

# an N-Quads line as Oxigraph writes it: the triple, then the graph name unless it is the default graph
_NQUADS_LINE = re.compile(rb'(\S+ \S+ (?:<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@\S+|\^\^<[^>]*>)?))'
                          rb'(?: (<[^>]*>|_:\S+))? \.')


def split_nquads_line(line: bytes) -> tuple[bytes, bytes | None]:
    """An N-Quads line's triple and graph name (None: the default graph)."""
    return _NQUADS_LINE.fullmatch(line).groups()  # type: ignore[union-attr, return-value]


def new_folder() -> Path:
    """A fresh folder for a graph's runs and files, in the system's temporary folder (TMPDIR)."""
    return Path(tempfile.mkdtemp(prefix="treatykg-graph-"))


def write_run(folder: Path, name: str, statements: Iterable[Statement]) -> None:
    """Write a run of statements as NAME.keyed and NAME.trig (see the module)."""
    unique = set(statements)
    by_graph = sorted((graph, f"{triple} {graph} .\n" if graph else f"{triple} .\n") for triple, graph in unique)
    quads = ox.parse("".join(line for _, line in by_graph).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    trig = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    if trig and not trig.startswith(trig_header()):
        raise RuntimeError("Oxigraph's TriG no longer starts with the prefix lines treatykg expects")
    (folder / f"{name}.trig").write_bytes(trig[len(trig_header()):])
    key = KEY.decode("ascii")
    keyed = sorted(f"{triple}{key}{graph} .\n" if graph else f"{triple}{key}.\n" for triple, graph in unique)
    (folder / f"{name}.keyed").write_bytes("".join(keyed).encode("utf-8"))


def trig_header() -> bytes:
    """The prefix lines Oxigraph's TriG writer begins graph.trig with."""
    return prefix_lines(ox.RdfFormat.TRIG, tuple(PREFIXES.items()))


@lru_cache(maxsize=4)
def prefix_lines(format: ox.RdfFormat, prefixes: tuple[tuple[str, str], ...]) -> bytes:
    """The prefix lines Oxigraph's writer of format begins with (it writes them with the first triple)."""
    node = ox.NamedNode("urn:x")
    probe = ox.serialize([ox.Triple(node, node, node)], format=format, prefixes=dict(prefixes))
    return probe[:probe.index(b"<urn:x> <urn:x> <urn:x>")]


KEY = b"\x00"  # after a keyed line's triple, in place of the space: below every character of N-Triples


@dataclass(frozen=True)
class GraphFiles:
    """A graph's files (see the module), in a folder that is removed with the last reference to
    this object; `quads` and `triples` count the lines of graph.nq and union.nt. Files spliced from
    an earlier graph (treatykg.increment.splice_runs) carry the identity of that graph's graph.nq
    (treatykg.increment.file_identity) as `base`, and the change from it."""

    folder: Path
    quads: int
    triples: int
    runs: tuple[str, ...]
    base: tuple[int, ...] | None = None
    change: GraphChange | None = None

    @property
    def nquads(self) -> Path:
        return self.folder / "graph.nq"

    @property
    def union(self) -> Path:
        return self.folder / "union.nt"

    @property
    def trig_parts(self) -> tuple[Path, ...]:
        """The runs' TriG, which follows trig_header in graph.trig, one file after the other."""
        return tuple(self.folder / f"{run}.trig" for run in self.runs)

    @classmethod
    def merge(cls, folder: Path, runs: list[str]) -> GraphFiles:
        """Merge the runs written in folder (in this order: disjoint named graphs, increasing) into
        the graph's files; the runs' keyed files are removed, and the folder with the rest when
        this object is (or at once, if the merge fails)."""
        try:
            quads, triples = _merge_keyed([folder / f"{run}.keyed" for run in runs], folder / "graph.nq",
                                          folder / "union.nt")
            return cls.made(folder, quads, triples, runs)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    @classmethod
    def made(cls, folder: Path, quads: int, triples: int, runs: list[str],
             base: tuple[int, ...] | None = None, change: GraphChange | None = None) -> GraphFiles:
        """The files made in folder from its runs, whose keyed files are removed; the folder goes
        with the object returned."""
        for run in runs:
            (folder / f"{run}.keyed").unlink()
        files = cls(folder, quads, triples, tuple(runs), base, change)
        weakref.finalize(files, shutil.rmtree, folder, True)
        return files

    @classmethod
    def of(cls, quads: Iterable[ox.Quad]) -> GraphFiles:
        """The files of any quads (each kept once)."""
        folder = new_folder()
        try:
            write_run(folder, "quads", _statements(ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines()))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return cls.merge(folder, ["quads"])


def _statements(lines: list[bytes]) -> Iterator[Statement]:
    for line in lines:
        triple, graph = split_nquads_line(line)
        yield triple.decode("utf-8"), graph.decode("utf-8") if graph else ""


def _merge_keyed(paths: list[Path], nquads: Path, union: Path) -> tuple[int, int]:
    """Merge sorted keyed files into graph.nq and union.nt (see the module), each line once; the
    numbers of quads and of triples written."""
    quads = triples = 0
    with ExitStack() as stack:
        sources = [stack.enter_context(path.open("rb")) for path in paths]
        write_quad = stack.enter_context(nquads.open("wb")).write
        write_triple = stack.enter_context(union.open("wb")).write
        last = last_triple = None
        key = KEY
        for line in heapq.merge(*sources):
            if line == last:
                continue
            last = line
            triple = line.partition(key)[0]
            if triple != last_triple:
                write_triple(triple + b" .\n")
                triples += 1
                last_triple = triple
            write_quad(line.replace(key, b" ", 1))
            quads += 1
    return quads, triples
