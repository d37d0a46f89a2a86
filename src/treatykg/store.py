"""The build's embedded store: an on-disk pyoxigraph (Oxigraph) store under OUT/store.

Layout: the default graph holds the union of every triple (what graph.ttl holds, each triple
once), so a query without GRAPH sees the whole knowledge graph with set semantics and at full
speed; each document's named graph holds the triples it states with their evidence, as in
graph.trig, for queries that ask GRAPH ?g. The TriG/N-Quads dataset is given back by
`dataset_quads`: the named graphs, and the default graph minus what they hold.

A build writes the store into its staging folder and publishes it with the other files
(treatykg.outdir), so readers open a complete store, read-only, while the next build writes.
"""

from __future__ import annotations

import gc
import itertools
import shutil
import sys
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .errors import InputError
from .outdir import link_or_copy

if TYPE_CHECKING:  # they import rdflib, which opening and querying a store does without
    from .graphfiles import GraphFiles
    from .increment import GraphChange

STORE_DIR = "store"
# about 50,000 quads of a build: a bulk load's time grows faster than its size (at 1,000 documents,
# 12 MiB pieces load 10-20% faster than 48 MiB ones, at 10,000 documents 9%, and hold less)
LOAD_PIECE_BYTES = 12 * 2**20
_UNION = ox.DefaultGraph()  # the store's default graph holds the union


def store_path(out: Path) -> Path:
    """Where OUT's store lives."""
    return Path(out) / STORE_DIR


def has_store(path: Path) -> bool:
    """Whether path is a build folder with a store."""
    return store_path(path).is_dir()


def write_store(folder: Path, files: GraphFiles, threads: int = 1) -> Path:
    """Create the store of a build in folder/store from its graph's files (see the module's layout).

    Oxigraph loads without holding the GIL, so this can run beside other work. One bulk load works
    on one core and holds about 1.3 KB a quad until its batch is written, so the files are loaded
    in pieces of LOAD_PIECE_BYTES, on up to threads threads at once.
    """
    path = store_path(folder)
    store = ox.Store(str(path))
    loads = itertools.chain(
        ((piece, ox.RdfFormat.N_QUADS, None) for piece in _pieces(files.nquads, LOAD_PIECE_BYTES)),
        ((piece, ox.RdfFormat.N_TRIPLES, _UNION) for piece in _pieces(files.union, LOAD_PIECE_BYTES)))
    try:
        _bulk_load(store, loads, threads)
        store.optimize()
        store.flush()
    finally:
        shared = _held_elsewhere(store)
        del store
        if shared:
            gc.collect()  # the store's files are closed only when the object is freed
    return path


def _held_elsewhere(store: ox.Store) -> bool:
    """Whether something besides the caller's name holds the store (a traceback's frames, a
    worker's closure), so that only a collection of cycles frees it. A full collection walks every
    object of a build (a tenth of a second at 1,000 documents), so it is run only then."""
    return sys.getrefcount(store) > 3  # the caller's name, this argument, getrefcount's argument


def _bulk_load(store: ox.Store, loads: Iterator[tuple[bytes, ox.RdfFormat, ox.DefaultGraph | None]],
               threads: int) -> None:
    """Bulk-load each (text, format, graph) into store, up to threads at once (one: on this thread)."""
    def load(text: bytes, format: ox.RdfFormat, graph: ox.DefaultGraph | None) -> None:
        store.bulk_load(text, format=format, to_graph=graph)

    if threads == 1:
        for text, format, graph in loads:
            load(text, format, graph)
        return
    with ThreadPoolExecutor(max_workers=threads) as loaders:
        running: set[Future] = set()
        for text, format, graph in loads:
            if len(running) == threads:
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    future.result()
            running.add(loaders.submit(load, text, format, graph))
        for future in running:
            future.result()


def update_store(folder: Path, previous: Path, change: GraphChange) -> Path:
    """Create the store of a build in folder/store as the store of the previous build (a folder it
    was published in) with change applied. The previous store is left as it was: its table files,
    which RocksDB never changes once written, are linked, the rest copied.

    Raises:
        StaleStoreError: the previous store does not hold the graph change starts from (it is
            left as it was, and nothing is left in folder).
    """
    path = store_path(folder)
    _link_tree(store_path(previous), path)
    store = ox.Store(str(path))
    try:
        removed = _named_quads(change.removed_quads) + _union_quads(change.removed_triples)
        added = _named_quads(change.added_quads) + _union_quads(change.added_triples)
        if not all(quad in store for quad in removed) or any(quad in store for quad in added):
            raise StaleStoreError(f"{store_path(previous)}: does not hold the graph its build published")
        for quad in removed:
            store.remove(quad)
        store.extend(added)
        store.flush()
    except BaseException:
        del store
        gc.collect()
        shutil.rmtree(path, ignore_errors=True)
        raise
    shared = _held_elsewhere(store)
    del store
    if shared:
        gc.collect()
    return path


class StaleStoreError(Exception):
    """A published store that differs from the graph published with it."""


def _named_quads(lines: list[bytes]) -> list[ox.Quad]:
    """The quads of N-Quads lines that are in named graphs: the store's default graph is the
    union, which changes on its own."""
    parsed = ox.parse(b"".join(lines), format=ox.RdfFormat.N_QUADS) if lines else []
    return [quad for quad in parsed if not isinstance(quad.graph_name, ox.DefaultGraph)]


def _union_quads(lines: list[bytes]) -> list[ox.Quad]:
    """N-Triples lines of the union as quads of the store's default graph."""
    parsed = ox.parse(b"".join(lines), format=ox.RdfFormat.N_TRIPLES) if lines else []
    return [ox.Quad(*quad.triple, _UNION) for quad in parsed]


def _link_tree(source: Path, target: Path) -> None:
    """Copy a store's folder, linking its table (.sst) files."""
    shutil.copytree(source, target, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    (link_or_copy if source.endswith(".sst") else shutil.copy2)(source, target)


def _pieces(path: Path, size: int) -> Iterator[bytes]:
    """The file's lines, in pieces of about size bytes."""
    with path.open("rb") as stream:
        while piece := stream.read(size):
            yield piece + stream.readline()


def open_store(out: Path) -> ox.Store:
    """OUT's store, read-only (any number of readers, also while a build writes the next one)."""
    path = store_path(out)
    if not path.is_dir():
        raise InputError(f"{out}: holds no store; build it with `treatykg build ... -o {out}`")
    try:
        return ox.Store.read_only(str(path))
    except OSError as error:
        raise InputError(f"{path}: cannot open the store ({error}); rebuild with `treatykg build`") from error


def dataset_quads(store: ox.Store) -> list[ox.Quad]:
    """The dataset the store holds, as graph.trig has it: the named graphs, and the triples of the
    default graph that no named graph holds."""
    named = [quad for quad in store.quads_for_pattern(None, None, None, None)
             if not isinstance(quad.graph_name, ox.DefaultGraph)]
    stated = {quad.triple for quad in named}
    default = [quad for quad in store.quads_for_pattern(None, None, None, _UNION) if quad.triple not in stated]
    return default + named
