"""The SPARQL 1.1 Protocol over a graph, without the HTTP server (`treatykg.serve` puts it on one).

`Endpoint.request` takes what a request carries: the method, the URL's parameters, a POST's body and
content type (a form with ``query=``, or an ``application/sparql-query`` body), and the Accept
header (https://www.w3.org/TR/sparql11-protocol/#query-operation). Queries run through
`run_query` (on a build's store, in a `QueryPool`'s worker processes, which are killed at the time
limit), so the endpoint answers exactly what ``treatykg query`` answers and refuses what it refuses:
SPARQL Update (403 when sent as an update, 400 when disguised as a query), SERVICE and FROM (400),
malformed SPARQL (400, with the parser's message), and a query over the time or row limit (400,
saying which). Every answer states the limits in the headers ``X-Treatykg-Timeout``
and ``X-Treatykg-Max-Rows``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs

from rdflib import Graph
from rdflib.term import Node

from .errors import OutputError, QueryError
from .export import serialize
from .oxrdf import to_rdflib
from .protocol import GRAPH_TYPES, RESULT_TYPES, negotiate, write_ask, write_select
from .query import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, QueryResult, run_query
from .querypool import QueryPool

TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer: status, body, content type and extra headers."""

    status: int
    body: bytes
    content_type: str = TEXT
    headers: tuple[tuple[str, str], ...] = ()


def message(status: int, text: str, *headers: tuple[str, str]) -> Answer:
    return Answer(status, (text + "\n").encode("utf-8"), TEXT, headers)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """The SPARQL endpoint: what it answers from (an rdflib graph, or a `QueryPool` over a build's
    store, which answers much faster and stops a query at its time limit) and the limits its
    queries run under."""

    graph: Graph | QueryPool
    timeout: float | None = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS

    @property
    def limit_headers(self) -> tuple[tuple[str, str], ...]:
        """Headers stating the limits (a timeout of 0 means none)."""
        return (
            ("X-Treatykg-Timeout", f"{self.timeout or 0:g}"),
            ("X-Treatykg-Max-Rows", str(self.max_rows)),
            ("Vary", "Accept"),
        )

    def request(
        self,
        method: str,
        params: dict[str, list[str]],
        *,
        content_type: str | None = None,
        body: bytes = b"",
        accept: str | None = None,
    ) -> Answer:
        """Answer a SPARQL Protocol request (the query string's params, and a POST's body)."""
        fields = _fields(method, params, content_type, body)
        if isinstance(fields, Answer):
            return Answer(
                fields.status, fields.body, fields.content_type, fields.headers + self.limit_headers
            )
        if fields.get("update") or fields.get("using-graph-uri") or fields.get("using-named-graph-uri"):
            return message(403, "SPARQL Update is refused: this endpoint is read-only", *self.limit_headers)
        if fields.get("default-graph-uri") or fields.get("named-graph-uri"):
            return message(
                400,
                "default-graph-uri and named-graph-uri are not supported: queries run on the "
                "served graph (its named graphs are there: use GRAPH in the query)",
                *self.limit_headers,
            )
        queries = fields.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return message(
                400,
                "give exactly one query: GET /sparql?query=..., or POST it as a form field "
                "(query=...) or as application/sparql-query; the query page is at /query",
                *self.limit_headers,
            )
        formats = fields.get("format", [])
        answer = self.answer(queries[0], accept=accept, fmt=formats[0] if formats else None)
        return Answer(answer.status, answer.body, answer.content_type, answer.headers + self.limit_headers)

    def answer(self, sparql: str, *, accept: str | None = None, fmt: str | None = None) -> Answer:
        """Run one query and write its answer in the negotiated format."""
        try:
            result = self.run(sparql)
        except QueryError as error:  # malformed, refused, or over a limit: the message says which
            return message(400, str(error))
        if result.graph is not None:
            return _graph_answer(result.graph, accept, fmt)
        return _table_answer(result, accept, fmt)

    def run(self, sparql: str) -> QueryResult:
        """The query's result under the endpoint's limits, as `run_query` gives it."""
        if isinstance(self.graph, QueryPool):
            return self.graph.run(sparql, timeout=self.timeout, max_rows=self.max_rows)
        return run_query(self.graph, sparql, timeout=self.timeout, max_rows=self.max_rows)


def _fields(
    method: str, params: dict[str, list[str]], content_type: str | None, body: bytes
) -> dict[str, list[str]] | Answer:
    """The request's protocol fields (query, update, format, …) from its URL and body."""
    if method != "POST":
        return params
    media = (content_type or "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return message(400, "the request body is not UTF-8")
    if media == "application/sparql-update":
        return message(403, "SPARQL Update is refused: this endpoint is read-only")
    if media == "application/sparql-query":
        if "query" in params:
            return message(400, "give the query once: in the body or in the URL, not both")
        return {**params, "query": [text]}
    if media == "application/x-www-form-urlencoded":
        form = parse_qs(text, keep_blank_values=True)
        return {key: params.get(key, []) + form.get(key, []) for key in {*params, *form}}
    return message(
        415,
        f"cannot read a POST body of type {media or 'none'}: send application/sparql-query "
        "or an application/x-www-form-urlencoded form with query=...",
    )


def _graph_answer(graph: Graph, accept: str | None, fmt: str | None) -> Answer:
    media = negotiate(accept, GRAPH_TYPES, fmt)
    if media is None:
        return message(
            406, f"a CONSTRUCT or DESCRIBE answer is a graph: accept one of {', '.join(GRAPH_TYPES)}"
        )
    try:
        data = serialize(graph, GRAPH_TYPES[media])
    except OutputError as error:
        return message(406, str(error))
    return Answer(200, data, media + ("" if media.endswith("xml") else "; charset=utf-8"))


def _table_answer(result: QueryResult, accept: str | None, fmt: str | None) -> Answer:
    media = negotiate(accept, RESULT_TYPES, fmt)
    if media is None:
        kind = "ASK" if result.ask is not None else "SELECT"
        return message(406, f"a {kind} answer is a result table: accept one of {', '.join(RESULT_TYPES)}")
    try:
        if result.ask is not None:
            data = write_ask(RESULT_TYPES[media], result.ask)
        else:
            rows = [tuple(_rdflib_term(term) for term in row) for row in result.terms]
            data = write_select(RESULT_TYPES[media], list(result.columns), rows)
    except OutputError as error:
        return message(406, str(error))
    return Answer(200, data, media + ("" if media.endswith("xml") else "; charset=utf-8"))


def _rdflib_term(term: object) -> Node | None:
    """A result's term as rdflib's (the protocol's writers take those); a store gives pyoxigraph's."""
    if term is None or isinstance(term, Node):
        return term
    return to_rdflib(term)  # type: ignore[arg-type]


__all__ = ["TEXT", "Answer", "Endpoint", "message"]
