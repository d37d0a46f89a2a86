"""A built graph as sorted text files on disk, made in runs and merged as streams.

A graph of millions of statements is too big to sort in memory at once: allocating gigabytes of
fresh strings costs more than the corpus grows, and the memory outgrows a laptop. So the build
writes its graph in runs (the default graph's statements, then one run per chunk of documents,
each sorted in memory on its own) and merges the runs line by line:

- graph.nq: the N-Quads, each quad once, in byte order (the file a build publishes);
- union.nt: the union's N-Triples, each triple once, in byte order (the store's default graph,
  and what Turtle, JSON-LD and RDF/XML are written from: its triples come grouped by subject);
- the runs' NAME.trig.nq: the N-Quads in TriG order, the default graph first and then the named
  graphs in IRI order, each in line order. Runs hold disjoint named graphs in increasing IRI
  order, so this is the runs one after the other (`trig_parts`, read in turn: a graph of
  millions of quads is not written to disk once more to join them).

A line sorts as its text without the final newline would: no N-Triples line holds a character
below the space, and the newline is one.
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
from pathlib import Path

import pyoxigraph as ox

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
    """Write a run of statements as NAME.nq, NAME.nt and NAME.trig.nq (see the module)."""
    unique = set(statements)
    by_graph = sorted((graph, f"{triple} {graph} .\n" if graph else f"{triple} .\n") for triple, graph in unique)
    quads = sorted(line for _, line in by_graph)
    (folder / f"{name}.nq").write_bytes("".join(quads).encode("utf-8"))
    (folder / f"{name}.trig.nq").write_bytes("".join(line for _, line in by_graph).encode("utf-8"))
    union = sorted({f"{triple} .\n" for triple, _ in unique})
    (folder / f"{name}.nt").write_bytes("".join(union).encode("utf-8"))


@dataclass(frozen=True)
class GraphFiles:
    """A graph's files (see the module), in a folder that is removed with the last reference to
    this object; `quads` and `triples` count the lines of graph.nq and union.nt."""

    folder: Path
    quads: int
    triples: int
    runs: tuple[str, ...]

    @property
    def nquads(self) -> Path:
        return self.folder / "graph.nq"

    @property
    def union(self) -> Path:
        return self.folder / "union.nt"

    @property
    def trig_parts(self) -> tuple[Path, ...]:
        """The files whose lines, one file after the other, are the quads in TriG order."""
        return tuple(self.folder / f"{run}.trig.nq" for run in self.runs)

    @classmethod
    def merge(cls, folder: Path, runs: list[str]) -> GraphFiles:
        """Merge the runs written in folder (in this order: disjoint named graphs, increasing) into
        the graph's files; the runs' N-Quads and N-Triples are removed, and the folder with the
        rest when this object is (or at once, if the merge fails)."""
        try:
            quads = _merge_lines([folder / f"{run}.nq" for run in runs], folder / "graph.nq")
            triples = _merge_lines([folder / f"{run}.nt" for run in runs], folder / "union.nt")
            for run in runs:
                for suffix in (".nq", ".nt"):
                    (folder / f"{run}{suffix}").unlink()
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        files = cls(folder, quads, triples, tuple(runs))
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


def _merge_lines(paths: list[Path], target: Path) -> int:
    """Merge sorted files of lines into target, each line once; the number of lines written."""
    count = 0
    with ExitStack() as stack:
        sources = [stack.enter_context(path.open("rb")) for path in paths]
        with target.open("wb") as out:
            last = None
            for line in heapq.merge(*sources):
                if line != last:
                    out.write(line)
                    count += 1
                    last = line
    return count
