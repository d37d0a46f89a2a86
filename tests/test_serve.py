"""`treatykg serve`: the SPARQL 1.1 Protocol endpoint, queried with a real client (SPARQLWrapper),
its formats, its refusals (the server keeps serving after each), and the static report it serves
(hostile paths never reach a file outside the report folder)."""

from __future__ import annotations

import functools
import http.client
import io
import json
import re
import time
import urllib.error
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.query import Result

from serve_helpers import ROOT, build_seed_out, running
from treatykg import run_query
from treatykg.cli import main
from treatykg.export import jsonld_context, load_graph
from treatykg.protocol import RESULT_TYPES, negotiate
from treatykg.serve import TreatyServer, make_server, open_server

SPARQLWrapper = pytest.importorskip("SPARQLWrapper", reason="SPARQLWrapper (a test extra) is not installed")

# Several competency questions (OPTIONAL, FILTER, GROUP BY, ORDER BY, literals with languages and
# datatypes); test_queries.py runs all of them against their expected answers.
QUERY_NAMES = [
    "signatories",
    "parties",
    "languages",
    "places-concerned",
    "instruments-per-state",
    "joint-declaration-signing",
    "unlinked-entities",
    "conflicts",
]
QUERY_FILES = [ROOT / "queries" / f"{name}.rq" for name in QUERY_NAMES]
SIGNERS = (
    "PREFIX tkg: <https://w3id.org/treatykg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?person ?treaty WHERE { ?p tkg:signs ?t ; rdfs:label ?person . ?t rdfs:label ?treaty }"
)
CONSTRUCT = (
    "PREFIX tkg: <https://w3id.org/treatykg/ontology#> "
    "CONSTRUCT { ?p tkg:signs ?t } WHERE { ?p tkg:signs ?t }"
)
ASK = "ASK { ?p <https://w3id.org/treatykg/ontology#signs> ?t }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
Row = tuple[str | None, ...]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed graph built into a fresh output folder (no report yet)."""
    return build_seed_out(tmp_path_factory.mktemp("serve"))


@pytest.fixture(scope="module")
def graph(out: Path) -> Graph:
    """The built graph as `treatykg query` reads it."""
    return load_graph(out)


@pytest.fixture(scope="module")
def server(out: Path) -> Iterator[TreatyServer]:
    """`make_server` on the built folder, on a free port of 127.0.0.1, serving in a thread."""
    with running(make_server(out, port=0, timeout=5)) as served:
        yield served


@pytest.fixture(scope="module")
def tight(server: TreatyServer) -> Iterator[TreatyServer]:
    """A second server on the same graph with small limits: half a second and 3 rows."""
    with running(
        open_server(server.endpoint.graph, server.report_dir, port=0, timeout=0.5, max_rows=3)
    ) as served:
        yield served


def _client(server: TreatyServer, query: str, fmt: str = "json", method: str = "GET") -> Any:
    client = SPARQLWrapper.SPARQLWrapper(server.url + "sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


def _request(
    server: TreatyServer,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """A raw request (http.client sends the path as given, without normalising it)."""
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), port, timeout=20)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def _form(
    server: TreatyServer, fields: dict[str, str], accept: str = "application/sparql-results+json"
) -> tuple[int, dict[str, str], bytes]:
    return _request(
        server,
        "POST",
        "/sparql",
        urllib.parse.urlencode(fields).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
    )


def _json_rows(data: dict) -> list[Row]:
    variables = data["head"]["vars"]
    return [tuple(b[v]["value"] if v in b else None for v in variables) for b in data["results"]["bindings"]]


def _assert_still_serving(server: TreatyServer) -> None:
    status, _, body = _form(server, {"query": ASK})
    assert status == 200 and json.loads(body)["boolean"] is True


def test_serve_writes_the_report_when_missing(out: Path, server: TreatyServer) -> None:
    assert (out / "report" / "index.html").is_file()
    assert server.report_dir == (out / "report").resolve()
    assert server.url.startswith("http://127.0.0.1:") and not server.url.endswith(":0/")


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_serve_answers_like_run_query(server: TreatyServer, graph: Graph, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = run_query(graph, text)
    answer = _client(server, text).query()
    assert answer.response.headers["Content-Type"].startswith("application/sparql-results+json")
    data = answer.convert()
    assert tuple(data["head"]["vars"]) == expected.columns
    rows = _json_rows(data)
    if re.search(r"\bORDER\s+BY\b", text, re.IGNORECASE):
        assert rows == list(expected.rows)
    assert Counter(rows) == Counter(expected.rows)


@pytest.fixture(scope="module")
def from_rdflib(out: Path) -> Iterator[TreatyServer]:
    """A server on the same build's graph.trig: a file, read into rdflib."""
    with running(make_server(out / "graph.trig", port=0, timeout=5)) as served:
        yield served


TYPED = [
    "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o "
    "FILTER(isLiteral(?o) && datatype(?o) != <http://www.w3.org/2001/XMLSchema#string>) }",
    "SELECT ?x ?y WHERE { ?x a ?t OPTIONAL { ?x <https://w3id.org/treatykg/ontology#qid> ?y } }",
]


@pytest.mark.parametrize("query", TYPED, ids=["labels", "typed-literals", "unbound"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_build_folder_is_served_from_its_store_as_rdflib_would_serve_it(
    server: TreatyServer, from_rdflib: TreatyServer, query: str, fmt: str
) -> None:
    """Each term keeps its kind, language and datatype, and an unbound value stays unbound."""
    assert server.workers is not None and from_rdflib.workers is None
    media = "application/sparql-results+json" if fmt == "json" else "application/sparql-results+xml"
    answers = [_form(served, {"query": query}, accept=media) for served in (server, from_rdflib)]
    assert [status for status, _, _ in answers] == [200, 200]
    if fmt == "json":
        store, rdflib = (json.loads(body)["results"]["bindings"] for _, _, body in answers)
        key = functools.partial(json.dumps, sort_keys=True)
        assert store and sorted(store, key=key) == sorted(rdflib, key=key)
    else:
        store, rdflib = (sorted(re.findall(rb"<result>.*?</result>", body)) for _, _, body in answers)
        assert store and store == rdflib


@pytest.mark.parametrize(
    "method,request_method", [("GET", "urlencoded"), ("POST", "urlencoded"), ("POST", "postdirectly")]
)
def test_serve_answers_every_protocol_operation(
    server: TreatyServer, graph: Graph, method: str, request_method: str
) -> None:
    client = _client(server, SIGNERS, method=method)
    client.setRequestMethod(request_method)
    assert Counter(_json_rows(client.query().convert())) == Counter(run_query(graph, SIGNERS).rows)


@pytest.mark.parametrize(
    "fmt,media,parser",
    [
        ("json", "application/sparql-results+json", "json"),
        ("xml", "application/sparql-results+xml", "xml"),
        ("csv", "text/csv", "csv"),
        ("tsv", "text/tab-separated-values", "tsv"),
    ],
)
def test_serve_select_formats(server: TreatyServer, graph: Graph, fmt: str, media: str, parser: str) -> None:
    client = _client(server, SIGNERS, fmt)
    client.setOnlyConneg(True)  # the Accept header alone chooses the format
    response = client.query().response
    assert response.headers["Content-Type"].split(";")[0] == media
    parsed = Result.parse(io.BytesIO(response.read()), format=parser)
    variables = list(parsed.vars or [])
    rows = [tuple(None if b.get(v) is None else str(b[v]) for v in variables) for b in parsed.bindings]
    assert [str(v) for v in variables] == ["person", "treaty"]
    assert Counter(rows) == Counter(run_query(graph, SIGNERS).rows)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_serve_ask_formats(server: TreatyServer, fmt: str) -> None:
    status, headers, body = _form(server, {"query": ASK, "format": fmt})
    media = {
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
    }[fmt]
    assert status == 200 and headers["content-type"].split(";")[0] == media
    assert "true" in body.decode("utf-8")
    if fmt in ("json", "xml"):
        assert Result.parse(io.BytesIO(body), format=fmt).askAnswer is True


@pytest.mark.parametrize(
    "fmt,media,rdf_format",
    [
        ("turtle", "text/turtle", "turtle"),
        ("json-ld", "application/ld+json", "json-ld"),
        ("xml", "application/rdf+xml", "xml"),
    ],
)
def test_serve_construct_formats(
    server: TreatyServer, graph: Graph, fmt: str, media: str, rdf_format: str
) -> None:
    client = _client(server, CONSTRUCT, fmt)
    client.setOnlyConneg(True)
    response = client.query().response
    assert response.headers["Content-Type"].split(";")[0] == media
    data = response.read()
    if rdf_format == "json-ld":  # the answer carries treatykg's context; nothing is fetched
        parsed = Graph().parse(data=data, format=rdf_format, context=jsonld_context())
    else:
        parsed = Graph().parse(data=data, format=rdf_format)
    expected = run_query(graph, CONSTRUCT).graph
    assert expected is not None and len(parsed) == len(expected) > 0
    assert isomorphic(parsed, expected)


@pytest.mark.parametrize(
    "accept,expected",
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "application/sparql-results+json"),
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/*", "text/csv"),
        ("application/json", "application/json"),
        ("application/sparql-results+json;q=0, */*", "application/json"),
        ("application/*;q=0, text/csv;q=0.2, text/tab-separated-values;q=0.5", "text/tab-separated-values"),
        ("image/png", None),
        ("application/sparql-results+json;q=0", None),
    ],
)
def test_serve_negotiates_accept(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept, RESULT_TYPES) == expected


BAD_REQUESTS = {
    "update-body": (
        "POST",
        "/sparql",
        b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        {"Content-Type": "application/sparql-update"},
        403,
        "read-only",
    ),
    "update-field": (
        "POST",
        "/sparql",
        b"update=DROP+ALL",
        {"Content-Type": "application/x-www-form-urlencoded"},
        403,
        "read-only",
    ),
    "update-in-get": ("GET", "/sparql?update=CLEAR+DEFAULT", None, {}, 403, "read-only"),
    "update-as-query": (
        "POST",
        "/sparql",
        b"query=INSERT+DATA+%7B+%3Curn%3Aa%3E+%3Curn%3Ab%3E+%3Curn%3Ac%3E+%7D",
        {"Content-Type": "application/x-www-form-urlencoded"},
        400,
        "updates",
    ),
    "load-as-query": (
        "POST",
        "/sparql",
        b"LOAD <http://127.0.0.1:9/x.ttl>",
        {"Content-Type": "application/sparql-query"},
        400,
        "updates",
    ),
    "service": (
        "POST",
        "/sparql",
        b"SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        {"Content-Type": "application/sparql-query"},
        400,
        "SERVICE is refused",
    ),
    "from": (
        "POST",
        "/sparql",
        b"SELECT * FROM <http://127.0.0.1:9/g.ttl> WHERE { ?s ?p ?o }",
        {"Content-Type": "application/sparql-query"},
        400,
        "FROM",
    ),
    "malformed": (
        "GET",
        "/sparql?query=SELECT+%3Fs+WHERE+%7B+%3Fs+%3Fp+%7D",
        None,
        {},
        400,
        "malformed SPARQL: ",
    ),
    "no-query": ("GET", "/sparql", None, {}, 400, "give exactly one query"),
    "two-queries": (
        "GET",
        "/sparql?query=ASK%7B%7D&query=ASK%7B%7D",
        None,
        {},
        400,
        "give exactly one query",
    ),
    "dataset": ("GET", "/sparql?query=ASK%7B%7D&default-graph-uri=urn%3Ag", None, {}, 400, "not supported"),
    "bad-body-type": (
        "POST",
        "/sparql",
        b"ASK {}",
        {"Content-Type": "text/plain"},
        415,
        "application/sparql-query",
    ),
    "not-utf8": (
        "POST",
        "/sparql",
        b'ASK { ?s ?p "\xff" }',
        {"Content-Type": "application/sparql-query"},
        400,
        "not UTF-8",
    ),
    "not-acceptable": (
        "GET",
        "/sparql?query=ASK%7B%7D",
        None,
        {"Accept": "text/turtle"},
        406,
        "application/sparql-results+json",
    ),
    "construct-not-acceptable": (
        "GET",
        "/sparql?query=CONSTRUCT%7B%3Fs+%3Fp+%3Fo%7DWHERE%7B%3Fs+%3Fp+%3Fo%7D",
        None,
        {"Accept": "text/csv"},
        406,
        "text/turtle",
    ),
    "put": ("PUT", "/sparql", b"x", {}, 405, "GET, HEAD and POST"),
    "post-static": (
        "POST",
        "/index.html",
        b"x",
        {"Content-Type": "text/plain"},
        405,
        "POST queries to /sparql",
    ),
}


@pytest.mark.parametrize("case", BAD_REQUESTS, ids=list(BAD_REQUESTS))
def test_serve_refuses_bad_requests_and_keeps_serving(server: TreatyServer, case: str) -> None:
    method, path, body, headers, status, message = BAD_REQUESTS[case]
    got, answer_headers, answer = _request(server, method, path, body, headers)
    assert (got, answer_headers["content-type"]) == (status, "text/plain; charset=utf-8")
    assert message in answer.decode("utf-8")
    _assert_still_serving(server)


def test_serve_update_through_a_real_client_is_refused(server: TreatyServer) -> None:
    client = _client(server, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", method="POST")
    with pytest.raises(urllib.error.HTTPError) as raised:  # SPARQLWrapper passes a 403 on as it came
        client.query()
    assert raised.value.code == 403 and "read-only" in raised.value.read().decode()
    _assert_still_serving(server)


def test_serve_malformed_query_reaches_the_client_with_the_parser_message(server: TreatyServer) -> None:
    with pytest.raises(SPARQLWrapper.SPARQLExceptions.QueryBadFormed, match="malformed SPARQL: "):
        _client(server, "SELECT ?s WHERE { ?s ?p }").query()
    _assert_still_serving(server)


def test_serve_stops_a_query_at_the_row_limit(tight: TreatyServer) -> None:
    status, headers, body = _form(tight, {"query": SIGNERS})
    assert status == 400 and "more than 3 results" in body.decode()
    assert (headers["x-treatykg-max-rows"], headers["x-treatykg-timeout"]) == ("3", "0.5")
    status, _, body = _form(tight, {"query": SIGNERS + " LIMIT 3"})
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3


def test_serve_stops_a_query_at_the_time_limit(tight: TreatyServer) -> None:
    started = time.monotonic()
    status, _, body = _form(tight, {"query": SLOW})
    assert status == 400 and "time limit of 0.5 s" in body.decode()
    assert time.monotonic() - started < 3
    _assert_still_serving(tight)


def test_serve_states_the_limits_on_answers(server: TreatyServer) -> None:
    _, headers, _ = _form(server, {"query": ASK})
    assert (headers["x-treatykg-max-rows"], headers["x-treatykg-timeout"], headers["vary"]) == (
        "10000",
        "5",
        "Accept",
    )


@pytest.mark.parametrize(
    "path,kind,needle",
    [
        ("/", "text/html", "treatykg report"),
        ("/index.html", "text/html", 'id="q"'),
        ("/network.png", "image/png", "\x89PNG"),
        ("/query", "text/html", 'action="sparql"'),
    ],
)
def test_serve_pages(server: TreatyServer, path: str, kind: str, needle: str) -> None:
    status, headers, body = _request(server, "GET", path)
    assert status == 200 and headers["content-type"].split(";")[0] == kind
    assert needle.encode("latin-1") in body
    assert headers["x-content-type-options"] == "nosniff"


def test_serve_entity_page(server: TreatyServer) -> None:
    page = server.report_dir / "entities" / "person-zhou.html"
    status, headers, body = _request(server, "GET", f"/entities/{page.name}")
    assert status == 200 and body == page.read_bytes() and b"<mark" in body
    assert _request(server, "HEAD", f"/entities/{page.name}")[2] == b""


HOSTILE = [
    "/../graph.trig",
    "/%2e%2e/graph.trig",
    "/%2E%2E%2Fgraph.trig",
    "/entities/..%2f..%2fgraph.trig",
    "/entities/%2e%2e/%2e%2e/graph.trig",
    "/entities/../../graph.trig",
    "/..%5cgraph.trig",
    "/%252e%252e/graph.trig",
    "//etc/passwd",
    "/%2fetc%2fpasswd",
    "/etc/passwd",
    "/%00index.html",
    "/index.html%00.png",
    "/%ff",
    "/outside.trig",
    "/outside-dir/graph.trig",
    "/outside-dir/",
    "/c:/windows/win.ini",
    "/entities/",
    "/..",
    "http://127.0.0.1/../graph.trig",
    "/loop",
]


@pytest.fixture(scope="module")
def planted(server: TreatyServer, out: Path) -> Path:
    """Symbolic links inside the report folder: to a file outside, to a folder outside, in a loop,
    and (allowed) to a page inside."""
    root = server.report_dir
    (root / "outside.trig").symlink_to(out / "graph.trig")
    (root / "outside-dir").symlink_to(out, target_is_directory=True)
    (root / "loop").symlink_to(root / "loop")
    (root / "inside.html").symlink_to(root / "index.html")
    return root


@pytest.mark.parametrize("path", HOSTILE)
def test_serve_hostile_paths_stay_in_the_report(
    server: TreatyServer, planted: Path, out: Path, path: str
) -> None:
    status, _, body = _request(server, "GET", path)
    assert status in (400, 403, 404)
    assert (
        b"@prefix" not in body
        and b"root:" not in body
        and (out / "graph.trig").read_bytes()[:200] not in body
    )


def test_serve_follows_a_link_that_stays_inside(server: TreatyServer, planted: Path) -> None:
    status, _, body = _request(server, "GET", "/inside.html")
    assert status == 200 and body == (planted / "index.html").read_bytes()


def test_serve_cli_help_ends_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "-h"]) == 0
    assert "Example: treatykg serve out" in capsys.readouterr().out


def test_serve_cli_missing_graph_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", str(tmp_path / "missing"), "--port", "0"]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_serve_cli_port_in_use_exits_2(
    out: Path, server: TreatyServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", str(out), "--port", str(server.server_address[1])]) == 2
    assert "cannot listen on 127.0.0.1" in capsys.readouterr().err


def test_serve_cli_prints_the_url_and_stops_on_ctrl_c(
    out: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(self: TreatyServer, poll_interval: float = 0.5) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(TreatyServer, "serve_forever", interrupted)
    assert main(["serve", str(out), "--port", "0", "--timeout", "3", "--max-rows", "50"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"serving .* at http://127\.0\.0\.1:\d+/ \(SPARQL: http://127\.0\.0\.1:\d+/sparql", err)
    assert err.rstrip().endswith("stopped")


def test_serve_logs_one_line_per_request_only_when_asked(
    server: TreatyServer, capsys: pytest.CaptureFixture[str]
) -> None:
    log = io.StringIO()
    with running(open_server(server.endpoint.graph, server.report_dir, port=0, log=log)) as logged:
        _request(logged, "GET", "/query")
    assert re.fullmatch(r'127\.0\.0\.1 - "GET /query HTTP/1\.1" 200 -\n', log.getvalue())
    _request(server, "GET", "/query")
    assert capsys.readouterr() == ("", "")
