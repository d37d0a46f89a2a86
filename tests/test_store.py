"""The build's embedded Oxigraph store (treatykg.store): `treatykg query OUT` and `treatykg export
OUT` answer from it, and it gives back exactly the graph the build made."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from treatykg import build_graph, run_query, serialize, write_build
from treatykg.cli import main
from treatykg.errors import InputError
from treatykg import store
from treatykg.export import load_graph
from treatykg.graphfiles import GraphFiles
from treatykg.increment import GraphChange
from treatykg.store import dataset_quads, has_store, open_store

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted((ROOT / "queries").glob("*.rq"))


@pytest.fixture(scope="module", params=["seeds", "dev"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    result = build_graph([ROOT / "data" / request.param], run_validation=False, jobs=1)
    out = tmp_path_factory.mktemp(request.param) / "out"
    write_build(result, out)
    return result, out


def test_store_gives_back_every_quad_as_built(built) -> None:
    """Oxigraph keeps some literals in a canonical form (every integer type as xsd:integer,
    "1.0" as "1"); the build writes them that way, so nothing changes on the way through."""
    result, out = built
    assert set(dataset_quads(open_store(out))) == set(result.quads)


@pytest.mark.parametrize("threads", [1, 3])
def test_store_loaded_in_many_pieces_is_the_same(built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 threads: int) -> None:
    """Pieces end on line ends, whatever their size, and may be loaded at once."""
    result, out = built
    monkeypatch.setattr(store, "LOAD_PIECE_BYTES", 3000)
    store.write_store(tmp_path, result.files, threads)
    assert set(store.dataset_quads(ox.Store.read_only(str(tmp_path / "store")))) == set(dataset_quads(open_store(out)))


def test_store_default_graph_is_the_union_each_triple_once(built) -> None:
    result, out = built
    store = open_store(out)
    default = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert len(default) == len({q.triple for q in default}) == len({q.triple for q in result.quads})


def test_export_from_the_store_equals_the_files_written(built, tmp_path: Path) -> None:
    _, out = built
    for fmt, name in (("ttl", "graph.ttl"), ("nq", "graph.nq"), ("trig", "graph.trig"), ("jsonld", "graph.jsonld")):
        target = tmp_path / name
        assert main(["export", str(out), "--format", fmt, "-o", str(target)]) == 0
        assert target.read_bytes() == (out / name).read_bytes(), fmt


@pytest.fixture(scope="module")
def rdflib_graph(built):
    return load_graph(built[1] / "graph.trig")


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.stem)
def test_every_query_answers_the_same_from_the_store_and_from_rdflib(built, rdflib_graph, query: Path) -> None:
    _, out = built
    text = query.read_text(encoding="utf-8")
    from_store = run_query(open_store(out), text, timeout=None)
    from_rdflib = run_query(rdflib_graph, text, timeout=None)
    assert from_store.columns == from_rdflib.columns
    assert from_store.rows == from_rdflib.rows


def test_query_refusals_hold_for_the_store(built) -> None:
    _, out = built
    from treatykg.errors import QueryError, QueryLimitError

    with pytest.raises(QueryError):
        run_query(open_store(out), "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }")
    with pytest.raises(QueryError):
        run_query(open_store(out), "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }")
    with pytest.raises(QueryLimitError):
        run_query(open_store(out), "SELECT * WHERE { ?s ?p ?o }", max_rows=10)


def test_ask_and_construct_from_the_store(built) -> None:
    _, out = built
    store = open_store(out)
    assert run_query(store, "ASK { ?s a <https://w3id.org/treatykg/ontology#Treaty> }").rows == (("true",),)
    constructed = run_query(store, "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3")
    assert len(constructed.graph) == 3


def test_query_cli_reads_the_store_not_the_files(built, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """With the Turtle and TriG files gone, `treatykg query OUT` still answers (from OUT/store)."""
    result, _ = built
    out = tmp_path / "out"
    write_build(result, out)
    for name in ("graph.ttl", "graph.trig", "graph.nq", "graph.jsonld"):
        (out / name).unlink()
    assert main(["query", str(out), str(ROOT / "queries" / "parties.rq"), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "instrument,party"


def test_query_cli_answers_from_the_store_without_loading_the_builder(built) -> None:
    """`treatykg query OUT` imports neither rdflib, pySHACL nor the extractors (0.6 s): it starts in
    a fifth of the time it took when every command loaded them."""
    _, out = built
    script = (
        "import sys\n"
        "from treatykg.cli import main\n"
        f"code = main(['query', {str(out)!r}, {str(ROOT / 'queries' / 'parties.rq')!r}, '--format', 'csv'])\n"
        "heavy = ('rdflib', 'pyshacl', 'treatykg.build', 'treatykg.extractors', 'treatykg.validate')\n"
        "print(code, sorted({m.split('.')[0] if m.startswith(('rdflib', 'pyshacl')) else m\n"
        "                    for m in sys.modules if m.startswith(heavy)}), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.stdout.splitlines()[0] == "instrument,party"
    assert done.stderr.strip() == "0 []"


def test_query_cli_time_limit_holds_for_the_store(built) -> None:
    """Oxigraph holds the thread it runs on until its query ends: this one would run for hours, and
    `treatykg query OUT --timeout` ran it to its end before session 11."""
    _, out = built
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "treatykg.cli", "query", str(out), slow, "--timeout", "0.5"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert time.monotonic() - started < 30
    assert done.returncode == 2 and "time limit of 0.5 s" in done.stderr


def test_open_store_names_a_folder_without_one(tmp_path: Path) -> None:
    assert not has_store(tmp_path)
    with pytest.raises(InputError, match="holds no store"):
        open_store(tmp_path)


def test_store_opens_read_only_while_another_reader_has_it(built) -> None:
    _, out = built
    first, second = open_store(out), open_store(out)
    assert len(first) == len(second) > 0


def test_serialize_is_the_same_from_quads_and_from_rdflib(built) -> None:
    result, _ = built
    for fmt in ("ttl", "nq", "trig", "jsonld", "nt"):
        assert serialize(result.quads, fmt) == serialize(result.dataset, fmt), fmt


@pytest.mark.parametrize("jobs", [1, 2])
def test_one_job_loads_the_store_on_this_thread_more_load_it_beside_the_files(
        seed_build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    readers = []
    real_pieces = store._pieces

    def pieces(path: Path, size: int):
        readers.append(threading.current_thread())
        return real_pieces(path, size)

    monkeypatch.setattr(store, "_pieces", pieces)
    write_build(seed_build, tmp_path / "out", jobs=jobs)
    assert len(readers) == 2
    assert all((reader is threading.main_thread()) == (jobs == 1) for reader in readers)
    assert set(dataset_quads(open_store(tmp_path / "out"))) == set(seed_build.quads)


@pytest.mark.parametrize("threads", [1, 2])
def test_a_piece_that_cannot_be_loaded_fails_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       threads: int) -> None:
    monkeypatch.setattr(store, "LOAD_PIECE_BYTES", 40)
    folder = tmp_path / "graph"
    folder.mkdir()
    (folder / "graph.nq").write_bytes(b"<a:s> <a:p> <a:o> <a:g> .\n" * 4 + b"<a:s> <a:p> .\n")
    (folder / "union.nt").write_bytes(b"<a:s> <a:p> <a:o> .\n")
    with pytest.raises(SyntaxError):
        store.write_store(tmp_path, GraphFiles(folder, 5, 1, ()), threads)


@pytest.mark.parametrize("threads", [1, 2])
def test_a_store_written_or_changed_is_closed_without_a_full_collection(built, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       threads: int) -> None:
    """The build's process holds millions of objects, which a full collection walks; the store is
    freed, and its files closed, as soon as the last name of it goes."""
    result, out = built
    collections: list[tuple] = []
    monkeypatch.setattr(store.gc, "collect", lambda *args: collections.append(args))
    for folder in ("written", "changed"):
        (tmp_path / folder).mkdir()
    store.write_store(tmp_path / "written", result.files, threads)
    store.update_store(tmp_path / "changed", out, GraphChange([], [], [], []))
    assert collections == []
    for folder in ("written", "changed"):
        ox.Store(str(tmp_path / folder / "store")).flush()  # opens: nothing holds it any longer
