"""Tests for treatykg.query: hostile queries are refused, and every query runs within a time and
a row limit (issue 7, docs/hostile-input.md)."""

from __future__ import annotations

import gc
import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace

import treatykg.query
from recording_server import Recorder, recording_server
from treatykg import QueryError, run_query
from treatykg.cli import main
from treatykg.errors import QueryLimitError
from treatykg.oxrdf import quads_from_rdflib

EX = Namespace("http://example.org/")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
REGEX_BOMB = 'SELECT ?o WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), "^(a|aa)+$")) }'


@pytest.fixture(scope="module")
def graph() -> Graph:
    """200 triples, one of them a literal that makes a backtracking regex explode."""
    built = Graph()
    for index in range(199):
        built.add((EX[f"s{index}"], EX.p, EX[f"o{index}"]))
    built.add((EX.bomb, EX.label, Literal("a" * 60 + "b")))
    return built


@pytest.fixture(scope="module")
def store(graph: Graph) -> ox.Store:
    """The same triples in an Oxigraph store, as a build's store answers queries."""
    held = ox.Store()
    held.extend(quads_from_rdflib(graph))
    return held


@pytest.fixture(params=["rdflib", "store"])
def either(request: pytest.FixtureRequest, graph: Graph, store: ox.Store) -> Graph | ox.Store:
    """The graph, then the store: every refusal and limit holds for both."""
    return graph if request.param == "rdflib" else store


@pytest.fixture(scope="module")
def server() -> Recorder:
    with recording_server() as recorder:
        yield recorder


HOSTILE = [
    ("insert data { <http://e/a> <http://e/b> <http://e/c> }", "read-only", "lowercase-insert"),
    (
        "# a comment\nINSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "read-only",
        "comment-then-insert",
    ),
    ("PREFIX e: <http://e/> INSERT DATA { e:a e:b e:c }", "read-only", "insert-after-prefix-one-line"),
    ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "read-only", "with-delete"),
    ("LOAD <{url}/data.ttl>", "read-only", "load"),
    ("load silent <{url}/data.ttl> into graph <http://e/g>", "read-only", "load-lowercase"),
    ("CLEAR ALL", "read-only", "clear"),
    ("DROP SILENT GRAPH <http://e/g>", "read-only", "drop"),
    ("SELECT * WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } }", "SERVICE", "service"),
    ("select * where { service silent <{url}/sparql> { ?s ?p ?o } }", "SERVICE", "service-lowercase-silent"),
    ("SELECT * WHERE { SERVICE # no\n <{url}/sparql> { ?s ?p ?o } }", "SERVICE", "service-comment-inside"),
    (
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } } } }",
        "SERVICE",
        "service-in-subquery",
    ),
    (
        "ASK { ?s ?p ?o FILTER EXISTS { SERVICE <{url}/sparql> { ?s ?p ?o } } }",
        "SERVICE",
        "service-in-exists",
    ),
    (
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <{url}/sparql> { ?s ?p ?x } } }",
        "SERVICE",
        "service-in-optional",
    ),
    ("SELECT * WHERE { \\u0053ERVICE <{url}/sparql> { ?s ?p ?o } }", "SERVICE", "service-unicode-escape"),
    (
        "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } }",
        "SERVICE",
        "service-in-construct",
    ),
    ("SELECT * FROM <{url}/data.ttl> WHERE { ?s ?p ?o }", "FROM", "from-url"),
    ("SELECT * FROM NAMED <{url}/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM", "from-named-url"),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM", "from-local-file"),
    ("SELECT WHERE {", "malformed", "malformed"),
    ("SELECT * WHERE " + "{ " * 3000 + "}" * 3000, "nested too deeply", "deeply-nested"),
    ("SELECT * WHERE { ?s ?p 'unclosed }", "malformed", "unclosed-string"),
]
# Queries that overflow Oxigraph's stack (the process dies) or take its optimiser minutes; rdflib
# parsed the long ones, or took longer than the time limit to.
OVERSIZED = [
    ("SELECT * WHERE { ?s ?p ?o FILTER(" + "+".join(["1"] * 20_000) + ") }", "too long", "long-sum"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(" + " && ".join(["true"] * 20_000) + ") }", "too long", "long-and"),
    ("SELECT * WHERE { ?s " + "/".join(["<http://e/p>"] * 20_000) + " ?o }", "too long", "long-path"),
    ("SELECT * WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(5_000)) + " }", "too long",
     "many-binds"),
    ("SELECT * WHERE { " + " . ".join(f"?s{i} <http://e/p> ?o" for i in range(1_000)) + " }", "too long",
     "many-patterns"),
    ("SELECT * WHERE { FILTER(" + "(" * 5_000 + "1" + ")" * 5_000 + ") }", "nested too deeply",
     "deep-brackets"),
]


@pytest.mark.parametrize(("query", "match"), [pytest.param(q, m, id=i) for q, m, i in HOSTILE + OVERSIZED])
def test_run_query_refuses_hostile_query_and_fetches_nothing(
    either: Graph | ox.Store, server: Recorder, query: str, match: str
) -> None:
    before = len(either)
    with pytest.raises(QueryError, match=match) as raised:
        run_query(either, query.replace("{url}", server.url), timeout=5)
    assert "\n" not in str(raised.value)
    assert server.hits == [] and len(either) == before


def test_oversized_queries_leave_the_process_standing() -> None:
    """Before the size limits, each of these killed the process that gave it to Oxigraph."""
    script = (
        "import json, sys, pyoxigraph as ox\n"
        "from treatykg import QueryError, run_query\n"
        "for query, match, _ in json.load(sys.stdin):\n"
        "    try:\n"
        "        run_query(ox.Store(), query, timeout=None)\n"
        "    except QueryError as error:\n"
        "        print(match in str(error))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(OVERSIZED), capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.split() == ["True"] * len(OVERSIZED)


@pytest.mark.parametrize(
    "query",
    [
        pytest.param('SELECT ?s WHERE { ?s ?p ?o FILTER(?o != "service")}', id="service-in-a-string"),
        pytest.param(
            'SELECT ?s WHERE {\n?s ?p ?o FILTER(?o != """\nINSERT DATA""")\n}', id="insert-in-a-string"
        ),
        pytest.param(
            "PREFIX service: <http://example.org/>\nSELECT ?s WHERE { ?s service:p ?o }", id="service-prefix"
        ),
        pytest.param("# rows from the graph, no SERVICE\nSELECT ?s WHERE { ?s ?p ?o }",
                     id="words-in-a-comment"),
        pytest.param("SELECT ?s WHERE { ?s <http://example.org/from#insert> ?o }", id="words-in-an-iri"),
        pytest.param("PREFIX e: <http://example.org/>\nSELECT ?from WHERE { ?from e:service ?o }",
                     id="words-as-names"),
    ],
)
def test_run_query_no_false_alarm_on_words_in_strings(either: Graph | ox.Store, query: str) -> None:
    assert len(run_query(either, query).rows) in (0, 199, 200)


def test_store_queries_skip_rdflib_unless_a_refused_word_is_there(
    monkeypatch: pytest.MonkeyPatch, graph: Graph, store: ox.Store
) -> None:
    """rdflib's parser takes 10 to 70 ms over a query Oxigraph answers in one: a store's query is
    parsed by it only when it holds a word a refusal looks for."""
    parsed: list[str] = []

    def counted(sparql: str) -> object:
        parsed.append(sparql)
        return check_query(sparql)

    check_query = treatykg.query.check_query
    monkeypatch.setattr(treatykg.query, "check_query", counted)
    plain = "# what is said from where\nSELECT ?s WHERE { ?s ?p 'FROM' } LIMIT 3"
    assert run_query(store, plain).rows == ()
    assert parsed == []
    with pytest.raises(QueryError, match="FROM"):
        run_query(store, "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }")
    assert len(parsed) == 1
    run_query(graph, plain)
    assert len(parsed) == 2


@pytest.mark.parametrize(
    "query", [pytest.param(SLOW, id="cartesian-product"), pytest.param(REGEX_BOMB, id="regex-backtracking")]
)
def test_run_query_time_limit(graph: Graph, query: str) -> None:
    previous = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    with pytest.raises(QueryLimitError, match=r"ran over the time limit of 0.5 s; .*--timeout"):
        run_query(graph, query, timeout=0.5)
    assert time.monotonic() - started < 3
    assert signal.getsignal(signal.SIGALRM) is previous


def test_run_query_time_limit_holds_for_a_store() -> None:
    """Oxigraph holds the thread in Rust until a query ends (about 5 s for this one), where no
    SIGALRM handler runs: the limit is kept by waiting for a worker thread instead."""
    held = ox.Store()
    p = ox.NamedNode("http://example.org/p")
    held.extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), p, ox.Literal(i)) for i in range(80))
    started = time.monotonic()
    with pytest.raises(QueryLimitError, match="time limit of 0.2 s"):
        run_query(held, SLOW, timeout=0.2)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("query", [pytest.param(SLOW, id="cartesian-product")])
def test_run_query_time_limit_off_the_main_thread(graph: Graph, query: str) -> None:
    """Away from the main thread there is no SIGALRM: a worker thread is cancelled instead."""
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            run_query(graph, query, timeout=0.5)
        except BaseException as error:  # checked below
            outcome.append(error)

    started = time.monotonic()
    caller = threading.Thread(target=run)
    caller.start()
    caller.join(10)
    assert isinstance(outcome[0], QueryLimitError) and time.monotonic() - started < 3


@pytest.mark.parametrize(
    ("query", "limit"),
    [
        pytest.param("SELECT ?s WHERE { ?s ?p ?o }", 10, id="select"),
        pytest.param("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", 10, id="construct"),
        pytest.param("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", 199, id="order-by"),
    ],
)
def test_run_query_row_limit(graph: Graph, query: str, limit: int) -> None:
    with pytest.raises(QueryLimitError, match=f"more than {limit} results; add a LIMIT.*--max-rows"):
        run_query(graph, query, max_rows=limit)


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        pytest.param("SELECT ?s WHERE { ?s ?p ?o } LIMIT 10", 10, id="limit-equal"),
        pytest.param("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 195", 5, id="offset"),
        pytest.param("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", 1, id="count"),
    ],
)
def test_run_query_within_limits(graph: Graph, query: str, rows: int) -> None:
    assert len(run_query(graph, query, max_rows=10).rows) == rows


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        pytest.param(["--timeout", "0.5"], "time limit of 0.5 s", id="timeout"),
        pytest.param(["--max-rows", "3"], "more than 3 results", id="max-rows"),
    ],
)
def test_query_cli_limits_exit_2_one_line(
    tmp_path: Path, graph: Graph, capsys: pytest.CaptureFixture[str], argv: list[str], match: str
) -> None:
    path = tmp_path / "graph.ttl"
    graph.serialize(path, format="turtle")
    query = SLOW if "--timeout" in argv else "SELECT * WHERE { ?s ?p ?o }"
    assert main(["query", str(path), query, *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and match in captured.err and len(captured.err.strip().splitlines()) == 1


def test_a_store_query_over_its_limit_frees_its_result_on_its_thread(
    monkeypatch: pytest.MonkeyPatch, store: ox.Store
) -> None:
    """pyoxigraph's results cannot be freed on another thread than theirs (the worker's): the
    error handed to the caller must not hold them."""
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    with pytest.raises(QueryLimitError):
        run_query(store, "SELECT * WHERE { ?s ?p ?o }", max_rows=3)
    gc.collect()
    assert unraisable == []
