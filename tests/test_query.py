"""Tests for treatykg.query: hostile queries are refused, and every query runs within a time and
a row limit (issue 7, docs/hostile-input.md)."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace

from recording_server import Recorder, recording_server
from treatykg import QueryError, run_query
from treatykg.cli import main
from treatykg.errors import QueryLimitError

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
]


@pytest.mark.parametrize(("query", "match"), [pytest.param(q, m, id=i) for q, m, i in HOSTILE])
def test_run_query_refuses_hostile_query_and_fetches_nothing(
    graph: Graph, server: Recorder, query: str, match: str
) -> None:
    before = len(graph)
    with pytest.raises(QueryError, match=match) as raised:
        run_query(graph, query.replace("{url}", server.url), timeout=5)
    assert "\n" not in str(raised.value)
    assert server.hits == [] and len(graph) == before


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
    ],
)
def test_run_query_no_false_alarm_on_words_in_strings(graph: Graph, query: str) -> None:
    assert len(run_query(graph, query).rows) in (0, 199, 200)


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
