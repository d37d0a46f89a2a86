"""What changed between the graph a build published and the graph of the next build.

A rebuild after one document was added, changed or removed makes a graph that differs from the
published one in a few thousand quads. Loading a store or writing the files of a million quads
again for that costs seconds to minutes, so the build finds the change and applies it to copies
of the previous build's store, Turtle and JSON-LD (treatykg.store.update_store,
treatykg.turtle.splice_turtle, treatykg.jsonld.splice_jsonld).

Both graphs are sorted files of lines, each line once (treatykg.graphfiles), so the change is
found in one pass over the two graph.nq files. The union needs no pass of its own: a triple
leaves it when its last quad goes, and joins it with its first quad, which a binary search in
the sorted files tells.

A rebuild with a run cache does better (`splice_runs`): the graph is the lines of its runs, which
hold disjoint lines, so the lines of the runs that left the previous merge, less those of the runs
that joined it, are the change. The previous merge's files are then copied with the change put in,
each line found by binary search, instead of merging every run again; and the change found so is
the change from the published graph when that is the same file.
"""

from __future__ import annotations

import mmap
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .graphfiles import KEY, GraphFiles, split_nquads_line
from .sortedfile import SortedUnits

# Beyond a tenth of the new graph's quads, writing afresh is as fast as applying the change; a
# change of up to 10,000 quads takes a fraction of a second to apply, so it is applied to any graph.
MAX_CHANGED_FRACTION = 0.1
ALWAYS_APPLIED = 10_000


@dataclass(frozen=True)
class GraphChange:
    """The lines that left and joined a graph: N-Quads lines of the dataset, and N-Triples lines
    of its union (the store's default graph). Each list is sorted."""

    removed_quads: list[bytes]
    added_quads: list[bytes]
    removed_triples: list[bytes]
    added_triples: list[bytes]

    def subjects(self) -> list[ox.NamedNode | ox.BlankNode]:
        """The subjects whose triples in the union changed."""
        lines = b"".join((*self.removed_triples, *self.added_triples))
        return list({quad.subject for quad in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)}) if lines else []


def lines_about(union: Path, subjects: list[ox.NamedNode | ox.BlankNode]) -> bytes:
    """The lines of a sorted N-Triples file (a union.nt) whose subject is one of subjects, grouped
    by subject."""
    keys = sorted(str(subject).encode("utf-8") for subject in subjects)  # as N-Triples writes them
    with mapped(union) as data:
        lines = _SortedLines(data)
        return b"".join(lines.starting_with(key + b" ") for key in keys)


def graph_change(previous_nquads: Path, files: GraphFiles,
                 max_fraction: float = MAX_CHANGED_FRACTION) -> GraphChange | None:
    """The change from the graph of previous_nquads (a published graph.nq) to the graph of files;
    None when more than max_fraction of the new graph's quads, and more than ALWAYS_APPLIED, would change."""
    limit = max(ALWAYS_APPLIED, int(max_fraction * files.quads))
    with ExitStack() as stack:
        old = stack.enter_context(previous_nquads.open("rb"))
        new = stack.enter_context(files.nquads.open("rb"))
        found = _changed_lines(old, new, limit)
        if found is None:
            return None
        removed, added = found
        old_lines = _SortedLines(stack.enter_context(mapped(previous_nquads)))
        new_union = _SortedLines(stack.enter_context(mapped(files.union)))
        removed_triples = sorted({line for line in _union_lines(removed) if not new_union.holds(line)})
        added_triples = sorted({line for line in _union_lines(added) if not old_lines.holds_prefix(line[:-2])})
    return GraphChange(removed, added, removed_triples, added_triples)


@dataclass(frozen=True)
class MergedGraph:
    """A graph's graph.nq and union.nt, with their numbers of lines."""

    nquads: Path
    union: Path
    quads: int
    triples: int


def splice_runs(folder: Path, runs: list[str], base: MergedGraph, gone: list[Path], came: list[str],
                max_fraction: float = MAX_CHANGED_FRACTION) -> GraphFiles | None:
    """The files of the runs written in folder (treatykg.graphfiles), made from base, the merge of
    runs that differ from these in the keyed files gone (runs no longer in the graph) and the runs
    came (in folder, new to it); the files carry the change from base. None when the change is larger
    than graph_change would apply.

    Raises:
        ValueError: base's files do not hold base's runs.
    """
    removed, added = _run_difference(gone, [folder / f"{run}.keyed" for run in came])
    quads = base.quads - len(removed) + len(added)
    if len(removed) + len(added) > max(ALWAYS_APPLIED, int(max_fraction * quads)):
        return None
    removed_quads, added_quads = _unkeyed(removed), _unkeyed(added)
    with mapped(base.nquads) as quad_lines, mapped(base.union) as triple_lines:
        old_quads, old_union = _SortedLines(quad_lines), _SortedLines(triple_lines)
        removed_triples = _left_union(old_quads, removed, set(removed_quads), added)
        added_triples = sorted({line for line in _triple_lines(added) if not old_union.holds(line)})
        old_quads.splice(removed_quads, added_quads, folder / "graph.nq")
        old_union.splice(removed_triples, added_triples, folder / "union.nt")
        identity = file_identity(base.nquads)
    change = GraphChange(removed_quads, added_quads, removed_triples, added_triples)
    triples = base.triples - len(removed_triples) + len(added_triples)
    return GraphFiles.made(folder, quads, triples, runs, identity, change)


def file_identity(path: Path) -> tuple[int, ...]:
    """What tells a file from any other, and from itself changed: its device, inode, size and time
    of change (hard links of a file share it)."""
    status = path.stat()
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns


def _run_difference(gone: list[Path], came: list[Path]) -> tuple[list[bytes], list[bytes]]:
    """The keyed lines only in the gone runs and those only in the runs that came, each sorted."""
    old: set[bytes] = set()
    for path in gone:
        old.update(path.read_bytes().splitlines(keepends=True))
    new: set[bytes] = set()
    for path in came:
        new.update(path.read_bytes().splitlines(keepends=True))
    return sorted(old - new), sorted(new - old)


def _unkeyed(lines: list[bytes]) -> list[bytes]:
    """The N-Quads lines of keyed lines (in the same order: see treatykg.graphfiles)."""
    return [line.replace(KEY, b" ", 1) for line in lines]


def _triple_lines(keyed: list[bytes]) -> Iterator[bytes]:
    """The N-Triples line of each keyed line's triple."""
    for line in keyed:
        yield line.partition(KEY)[0] + b" .\n"


def _left_union(old_quads: _SortedLines, removed: list[bytes], removed_quads: set[bytes],
                added: list[bytes]) -> list[bytes]:
    """The union's lines whose every quad in old_quads is removed, and none added."""
    kept = {line.partition(KEY)[0] for line in added}
    left = []
    for triple in sorted({line.partition(KEY)[0] for line in removed} - kept):
        quads = old_quads.starting_with(triple + b" ").splitlines(keepends=True)
        if all(quad in removed_quads for quad in quads):
            left.append(triple + b" .\n")
    return left


def _changed_lines(old: Iterator[bytes], new: Iterator[bytes], limit: int) -> tuple[list[bytes], list[bytes]] | None:
    """The lines only in old and the lines only in new (both sorted, each line once), or None
    once there are more than limit of them."""
    removed: list[bytes] = []
    added: list[bytes] = []
    a, b = next(old, None), next(new, None)
    while a is not None or b is not None:
        if a == b:
            a, b = next(old, None), next(new, None)
            continue
        if b is None or (a is not None and a < b):
            removed.append(a)  # type: ignore[arg-type]
            a = next(old, None)
        else:
            added.append(b)
            b = next(new, None)
        if len(removed) + len(added) > limit:
            return None
    return removed, added


def _union_lines(lines: list[bytes]) -> Iterator[bytes]:
    """The N-Triples line of each N-Quads line's triple ("<s> <p> <o> .\n")."""
    for line in lines:
        yield split_nquads_line(line.rstrip(b"\n"))[0] + b" .\n"


@contextmanager
def mapped(path: Path) -> Iterator[bytes | mmap.mmap]:
    """A file's bytes, mapped into memory."""
    with path.open("rb") as stream:
        if not path.stat().st_size:
            yield b""  # an empty file cannot be mapped
            return
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            yield mapped


class _SortedLines(SortedUnits):
    """Binary search in the bytes of a file of sorted lines."""

    def first_at_least(self, key: bytes) -> bytes:
        """The first line not below key (b"" past the end)."""
        start = self.position(key)
        return self.data[start:self._next_start(start)]

    def starting_with(self, prefix: bytes) -> bytes:
        """The lines that start with prefix."""
        data = self.data
        start = end = self.position(prefix)
        while end < self.end and data[end:end + len(prefix)] == prefix:
            end = self._next_start(end)
        return data[start:end]

    def _unit_start(self, at: int, low: int) -> int:
        return self.data.rfind(b"\n", low, at) + 1 or low

    def _next_start(self, start: int) -> int:
        return self.data.find(b"\n", start) + 1 or self.end

    def _key(self, start: int) -> bytes:
        return self.data[start:self._next_start(start)]

    def splice(self, removed: list[bytes], added: list[bytes], target: Path) -> None:
        """Write these lines, less the removed lines and with the added ones (both sorted), to target.

        Raises:
            ValueError: a removed line is not here, or an added one is.
        """
        data = self.data
        places = sorted([(self.position(line), 0, line) for line in added] +
                        [(self.position(line), 1, line) for line in removed])
        with target.open("wb") as stream:
            cursor = 0
            for start, removes, line in places:
                if (data[start:start + len(line)] == line) != bool(removes):
                    raise ValueError(f"{'a removed line is not' if removes else 'an added line is already'} "
                                     f"in the graph spliced: {line[:80]!r}")
                stream.write(data[cursor:start])
                cursor = start + len(line) if removes else start
                if not removes:
                    stream.write(line)
            stream.write(data[cursor:])

    def holds(self, line: bytes) -> bool:
        return self.first_at_least(line) == line

    def holds_prefix(self, prefix: bytes) -> bool:
        return self.first_at_least(prefix).startswith(prefix)
