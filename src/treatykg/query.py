"""SPARQL over a built graph: read-only, local only (no SERVICE, no FROM), time- and row-limited;
results as a table, CSV or JSON."""

from __future__ import annotations

import csv
import ctypes
import io
import json
import signal
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .errors import QueryError, QueryLimitError
from .querytext import MAX_DEPTH, MAX_TOKENS, measure

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Query

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
# The words of every query check_query refuses (updates, SERVICE, FROM): a query to a store
# without them is not parsed by rdflib, which takes 10 to 70 ms over a query Oxigraph may answer
# in under one.
_REFUSED_WORDS = frozenset({"ADD", "CLEAR", "COPY", "CREATE", "DELETE", "DROP", "FROM", "INSERT", "LOAD",
                            "MOVE", "SERVICE", "WITH"})


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The answer to a query: column names and rows of values (None for unbound), or a graph.

    `terms` holds the rows as RDF terms, which tell an IRI from a literal and keep a literal's
    language or datatype (the SPARQL result formats write them): rdflib's from an rdflib graph,
    pyoxigraph's from a store. `ask` is the answer of an ASK query (None for other queries)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    graph: Graph | None = None
    terms: tuple[tuple[object, ...], ...] = field(default=(), compare=False, repr=False)
    ask: bool | None = None


class _OutOfTime(BaseException):
    """Raised inside a query that runs over its time limit (a BaseException, so rdflib cannot swallow it)."""


def read_query(source: str) -> str:
    """A query given as text or as the path of a .rq file."""
    path = Path(source)
    if source.endswith((".rq", ".sparql")) or (len(source) < 300 and "\n" not in source and path.is_file()):
        try:
            return path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8"
            raise QueryError(f"{source}: cannot be read ({reason})") from error
    return source


def _nodes(value: object) -> Iterator[CompValue]:
    """Every algebra node under value, without recursion (a query may nest deeply)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack, seen = [value], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend(item)


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


def check_query(sparql: str) -> Query:
    """Parse a query and refuse what would leave the local graph: updates (LOAD, INSERT, …),
    SERVICE anywhere (subqueries, EXISTS), and FROM / FROM NAMED, which rdflib would fetch."""
    from rdflib.plugins.sparql.algebra import translateQuery  # rdflib's SPARQL takes 0.2 s to import
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(sparql)
    except Exception as error:  # pyparsing raises ParseException; deep nesting RecursionError
        try:
            parseUpdate(sparql)
        except Exception:  # not an update either: report the query's own error
            if isinstance(error, RecursionError):
                raise QueryError("the query is nested too deeply to parse; simplify it") from error
            raise QueryError(f"malformed SPARQL: {_first_line(error)}") from error
        raise QueryError("updates (INSERT, DELETE, LOAD, CLEAR, …) are refused: treatykg queries are "
                         "read-only") from error
    try:
        query = translateQuery(parsed)
    except Exception as error:
        raise QueryError(f"malformed SPARQL: {_first_line(error)}") from error
    if query.algebra.get("datasetClause"):
        raise QueryError("FROM and FROM NAMED are refused: queries run on the given graph only; drop the clause")
    if any(node.name == "ServiceGraphPattern" for node in _nodes(query.algebra)):
        raise QueryError("SERVICE is refused: queries run on the local graph only")
    return query


def _limited(query: Query, rows: int) -> Query:
    """The query with its solutions cut at rows, so that a huge answer stops early."""
    from rdflib.plugins.sparql.parserutils import CompValue

    algebra = query.algebra
    algebra["p"] = CompValue("Slice", p=algebra["p"], start=0, length=rows)
    return query


def _screen(sparql: str) -> bool:
    """Refuse a query too long or too deeply nested to parse safely; whether rdflib must check it
    (it may hold a refused word, or what treatykg.querytext leaves to a parser)."""
    text = measure(sparql)
    if text.depth > MAX_DEPTH:
        raise QueryError("the query is nested too deeply to parse; simplify it")
    if text.tokens > MAX_TOKENS:
        raise QueryError(f"the query is too long ({text.tokens} tokens, over the limit of {MAX_TOKENS}); "
                         f"split it into smaller queries")
    return not text.readable or bool(text.words & _REFUSED_WORDS)


def _evaluate(graph: Graph | ox.Store, sparql: str, max_rows: int) -> QueryResult:
    suspect = _screen(sparql)
    if isinstance(graph, ox.Store):
        if suspect:
            check_query(sparql)
        return _evaluate_in_store(graph, sparql, max_rows)
    query = check_query(sparql)
    kind = query.algebra.name
    if kind != "AskQuery":
        query = _limited(query, max_rows + 1)
    result = graph.query(query)
    if kind in ("ConstructQuery", "DescribeQuery"):
        answer = QueryResult((), (), result.graph)
        count = len(result.graph)
    elif kind == "AskQuery":
        return _ask(bool(result.askAnswer))
    else:
        columns = tuple(str(v) for v in result.vars)
        terms = tuple(result)  # its rows are tuples of rdflib terms
        rows = tuple(tuple(None if value is None else str(value) for value in row) for row in terms)
        answer, count = QueryResult(columns, rows, terms=terms), len(rows)
    if count > max_rows:
        raise QueryLimitError(f"the query gives more than {max_rows} results; add a LIMIT or narrow it, "
                              f"or raise the limit with --max-rows")
    return answer


def _ask(answer: bool) -> QueryResult:
    return QueryResult(("ask",), ((str(answer).lower(),),), ask=answer)


def _evaluate_in_store(store: ox.Store, sparql: str, max_rows: int) -> QueryResult:
    """The query answered by pyoxigraph from a build's store (its default graph is the union)."""
    try:
        result = store.query(sparql)
    except SyntaxError as error:
        raise QueryError(f"malformed SPARQL: {_first_line(error)}") from error
    if isinstance(result, ox.QueryBoolean):
        return _ask(bool(result))
    if isinstance(result, ox.QueryTriples):
        from .oxrdf import graph_from_triples

        graph = graph_from_triples(islice(result, max_rows + 1))
        answer, count = QueryResult((), (), graph), len(graph)
    else:
        columns = tuple(v.value for v in result.variables)
        terms = tuple(tuple(solution) for solution in islice(result, max_rows + 1))
        rows = tuple(tuple(None if term is None else term.value for term in row) for row in terms)
        answer, count = QueryResult(columns, rows, terms=terms), len(rows)
    if count > max_rows:
        raise QueryLimitError(f"the query gives more than {max_rows} results; add a LIMIT or narrow it, "
                              f"or raise the limit with --max-rows")
    return answer


def run_query(graph: Graph | ox.Store, sparql: str, *, timeout: float | None = DEFAULT_TIMEOUT,
              max_rows: int = DEFAULT_MAX_ROWS) -> QueryResult:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query; updates, SERVICE and FROM are refused.

    graph is an rdflib graph, or a build's pyoxigraph store (treatykg.store.open_store), which
    answers much faster; both give the same rows. A query of more than MAX_TOKENS tokens, or
    nested more than MAX_DEPTH deep, is refused before any parser reads it (treatykg.querytext).

    The query stops after timeout seconds (None: no limit) and fails with QueryLimitError when it
    gives more than max_rows rows (or triples). On an rdflib graph, on the main thread of a POSIX
    process, the limit is a SIGALRM timer, which also interrupts a runaway REGEX; elsewhere, and
    on a store, the query runs in a worker thread that is cancelled at the limit. Oxigraph
    cannot be interrupted (nor can a REGEX running in C): the caller gets QueryLimitError at the
    limit while the worker goes on to the end of its query, or to its next row.

    Raises:
        QueryError: the query is malformed or refused.
        QueryLimitError: the query ran over the time or row limit.
    """
    if timeout is None or timeout <= 0:
        return _guarded(graph, sparql, max_rows)
    on_main_thread = threading.current_thread() is threading.main_thread()
    if not isinstance(graph, ox.Store) and hasattr(signal, "setitimer") and on_main_thread:
        return _with_alarm(graph, sparql, max_rows, timeout)
    return _with_worker(graph, sparql, max_rows, timeout)


def _guarded(graph: Graph, sparql: str, max_rows: int) -> QueryResult:
    try:
        return _evaluate(graph, sparql, max_rows)
    except QueryError:
        raise
    except RecursionError as error:
        raise QueryError("the query is nested too deeply to run; simplify it") from error
    except Exception as error:  # rdflib raises many types for a query it cannot evaluate
        raise QueryError(f"the query cannot be evaluated: {_first_line(error)}") from error


def time_limit_error(timeout: float) -> QueryLimitError:
    """The error of a query that ran over its time limit."""
    return QueryLimitError(f"the query ran over the time limit of {timeout:g} s; narrow it (more specific "
                           f"patterns, a LIMIT) or raise the limit with --timeout")


def _with_alarm(graph: Graph, sparql: str, max_rows: int, timeout: float) -> QueryResult:
    armed = [True]

    def expire(signum: int, frame: object) -> None:
        if armed[0]:
            raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    outer = signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        try:
            return _guarded(graph, sparql, max_rows)
        finally:
            armed[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _OutOfTime:
        raise time_limit_error(timeout) from None
    finally:
        signal.signal(signal.SIGALRM, previous)
        if outer[0]:  # somebody else's timer was running: give it back what is left
            signal.setitimer(signal.ITIMER_REAL, max(outer[0] - timeout, 0.001), outer[1])


def _with_worker(graph: Graph, sparql: str, max_rows: int, timeout: float) -> QueryResult:
    outcome: list[QueryResult | BaseException] = []

    def work() -> None:
        try:
            outcome.append(_guarded(graph, sparql, max_rows))
        except BaseException as error:  # handed to the caller's thread
            _free_locals(error)
            outcome.append(error)

    worker = threading.Thread(target=work, name="treatykg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        cancel = ctypes.pythonapi.PyThreadState_SetAsyncExc
        cancel(ctypes.c_ulong(worker.ident or 0), ctypes.py_object(_OutOfTime))
        worker.join(1.0)
        raise time_limit_error(timeout)
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _free_locals(error: BaseException) -> None:
    """Drop the variables of the finished frames an error (and what it was raised from) holds:
    pyoxigraph's query results must be freed on the thread that made them, here the worker's,
    not later on the caller's. The tracebacks keep their lines."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """The result as an aligned table, CSV, JSON (SPARQL results style) or, for graphs, Turtle."""
    if result.graph is not None:
        return result.graph.serialize(format="turtle")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([["" if v is None else v for v in row] for row in result.rows])
        return buffer.getvalue()
    if fmt == "json":
        bindings = [{c: v for c, v in zip(result.columns, row, strict=True) if v is not None} for row in result.rows]
        return json.dumps({"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}},
                          ensure_ascii=False, indent=1) + "\n"
    widths = [max([len(c)] + [len(v or "") for v in column]) for c, column in
              zip(result.columns, zip(*result.rows, strict=True) if result.rows else [()] * len(result.columns), strict=True)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join((v or "").ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in result.rows]
    return "\n".join(lines) + "\n"


__all__ = ["DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT", "QueryResult", "check_query", "format_result", "read_query",
           "run_query", "time_limit_error"]
