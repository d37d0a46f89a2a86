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
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .graphfiles import GraphFiles
from .oxrdf import DEFAULT

STORE_DIR = "store"
LOAD_PIECE_BYTES = 96 * 2**20  # about 400,000 quads of a build


def store_path(out: Path) -> Path:
    """Where OUT's store lives."""
    return Path(out) / STORE_DIR


def has_store(path: Path) -> bool:
    """Whether path is a build folder with a store."""
    return store_path(path).is_dir()


def write_store(folder: Path, files: GraphFiles) -> Path:
    """Create the store of a build in folder/store from its graph's files (see the module's layout).
    Oxigraph loads them without holding the GIL, so this can run beside other work. They are
    loaded a piece at a time: Oxigraph's bulk loader holds about 1.3 KB a quad until its batch
    is written, and a batch is a million quads a core."""
    path = store_path(folder)
    store = ox.Store(str(path))
    try:
        for piece in _pieces(files.nquads, LOAD_PIECE_BYTES):
            store.bulk_load(piece, format=ox.RdfFormat.N_QUADS)
        for piece in _pieces(files.union, LOAD_PIECE_BYTES):
            store.bulk_load(piece, format=ox.RdfFormat.N_TRIPLES, to_graph=DEFAULT)
        store.optimize()
        store.flush()
    finally:
        del store
        gc.collect()  # the store's files are closed only when the object is freed
    return path


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
    default = [quad for quad in store.quads_for_pattern(None, None, None, DEFAULT) if quad.triple not in stated]
    return default + named
