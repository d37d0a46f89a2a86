"""SPARQL over a built graph: read-only, no SERVICE, results as a table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery

from .errors import QueryError

_UPDATE = re.compile(r"^\s*(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE | re.MULTILINE)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The answer to a query: column names and rows of values (None for unbound), or a graph."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    graph: Graph | None = None


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def read_query(source: str) -> str:
    """A query given as text or as the path of a .rq file."""
    path = Path(source)
    if source.endswith((".rq", ".sparql")) or (len(source) < 300 and "\n" not in source and path.is_file()):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise QueryError(f"{source}: cannot be read ({error.strerror})") from error
    return source


def run_query(graph: Graph, sparql: str) -> QueryResult:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query; updates and SERVICE are refused."""
    body = _strip_comments(sparql)
    if _UPDATE.search(body):
        raise QueryError("updates are refused: treatykg queries are read-only")
    if _SERVICE.search(body):
        raise QueryError("SERVICE is refused: queries run on the local graph only")
    try:
        prepared = prepareQuery(sparql)
        result = graph.query(prepared)
    except Exception as error:  # pyparsing and rdflib raise many types for a bad query
        raise QueryError(f"malformed SPARQL: {str(error).splitlines()[0]}") from error
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult((), (), result.graph)
    if result.type == "ASK":
        return QueryResult(("ask",), ((str(bool(result.askAnswer)).lower(),),))
    columns = tuple(str(v) for v in result.vars)
    rows = tuple(tuple(None if value is None else str(value) for value in row) for row in result)
    return QueryResult(columns, rows)


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


__all__ = ["QueryResult", "format_result", "read_query", "run_query"]
