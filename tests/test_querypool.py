"""Tests for treatykg.querypool: a store's queries in worker processes that a time limit stops."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from serve_helpers import ROOT, build_seed_out
from treatykg.errors import InputError, QueryError, QueryLimitError
from treatykg.query import run_query
from treatykg.querypool import QueryPool
from treatykg.store import open_store

QUERIES = sorted((ROOT / "queries").glob("*.rq"))
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # hours on the seeds
ASK = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_seed_out(tmp_path_factory.mktemp("pool"))


@pytest.fixture(scope="module")
def pool(out: Path) -> Iterator[QueryPool]:
    with QueryPool(out) as workers:
        yield workers


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.stem)
def test_a_worker_answers_what_run_query_answers_on_the_store(out: Path, pool: QueryPool,
                                                              query: Path) -> None:
    text = query.read_text(encoding="utf-8")
    assert pool.run(text, timeout=30) == run_query(open_store(out), text, timeout=30)


def test_the_answers_keep_their_terms_and_kinds(pool: QueryPool) -> None:
    rows = pool.run("SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } "
                    "LIMIT 3")
    assert len(rows.terms) == 3 and all(type(s).__name__ == "NamedNode" for s, _ in rows.terms)
    assert pool.run(ASK).ask is True and pool.run("ASK { ?s <urn:x:none> ?o }").ask is False
    assert len(pool.run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 4").graph) == 4


@pytest.mark.parametrize(("query", "error", "message"), [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", QueryError, "SERVICE is refused"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", QueryError, "read-only"),
    ("SELECT * WHERE { ?s ?p }", QueryError, "malformed SPARQL: "),
    ("SELECT * WHERE { ?s ?p ?o }", QueryLimitError, "more than 5 results"),
])
def test_a_worker_refuses_what_run_query_refuses(pool: QueryPool, query: str, error: type,
                                                 message: str) -> None:
    with pytest.raises(error, match=message):
        pool.run(query, max_rows=5)
    assert pool.run(ASK).ask is True


def test_a_query_over_its_limit_is_stopped_and_the_next_one_answered(out: Path) -> None:
    """One worker: unless the one running the endless query is killed, nothing else is answered."""
    with QueryPool(out, workers=1) as one:
        started = time.monotonic()
        with pytest.raises(QueryLimitError, match="time limit of 0.5 s"):
            one.run(SLOW, timeout=0.5)
        assert time.monotonic() - started < 2
        assert one.run(ASK, timeout=20).ask is True


def test_a_worker_that_died_while_idle_is_replaced(out: Path) -> None:
    with QueryPool(out, workers=1) as one:
        dead = next(iter(one._all))
        dead.process.kill()
        dead.process.wait()
        with pytest.raises(QueryError, match="a query worker had stopped; send the query again"):
            one.run(ASK, timeout=20)
        assert one.run(ASK, timeout=20).ask is True and dead not in one._all


def test_the_time_limit_counts_the_wait_for_a_worker(out: Path) -> None:
    with QueryPool(out, workers=1) as one:
        one._idle.get()  # the one worker taken, as by a query running elsewhere
        started = time.monotonic()
        with pytest.raises(QueryLimitError, match="time limit of 0.3 s"):
            one.run(ASK, timeout=0.3)
        assert time.monotonic() - started < 2


def test_a_folder_without_a_store_is_the_callers_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="holds no store"):
        QueryPool(tmp_path)


def test_workers_do_not_run_the_callers_main_module(out: Path, tmp_path: Path) -> None:
    """A script without `if __name__ == "__main__"` may start a pool: a worker is a fresh
    interpreter running treatykg.querypool, not a spawn of the script (which would start pools
    of its own, without end)."""
    script = tmp_path / "script.py"
    script.write_text(
        "from treatykg.querypool import QueryPool\n"
        "print('script ran')\n"
        f"with QueryPool({str(out)!r}) as pool:\n"
        "    print(pool.run('ASK { ?s ?p ?o }').ask)\n",
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (0, "script ran\nTrue\n"), done.stderr
