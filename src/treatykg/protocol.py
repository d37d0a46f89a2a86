"""The SPARQL 1.1 Protocol's content negotiation and result formats, for `treatykg.serve`.

SELECT and ASK answers are written as SPARQL 1.1 Query Results JSON
(https://www.w3.org/TR/sparql11-results-json/), XML (https://www.w3.org/TR/rdf-sparql-XMLres/),
CSV or TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/); CONSTRUCT and DESCRIBE answers as
Turtle, JSON-LD (compact, with treatykg's own context), N-Triples or RDF/XML (`export.serialize`).
The media type is chosen from the request's Accept header (RFC 9110 §12.5.1, with q-values), or
from a ``format`` parameter naming one of the formats offered for the query's kind.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .errors import OutputError

# media type -> short name of the format; the first entry of each table is the default.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "ttl",
    "application/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
# names a `format` parameter may use (SPARQLWrapper sends format=json, turtle, json-ld, …)
FORMAT_NAMES = {
    "json": "json",
    "srj": "json",
    "xml": "xml",
    "srx": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "turtle": "ttl",
    "ttl": "ttl",
    "json-ld": "jsonld",
    "jsonld": "jsonld",
    "nt": "nt",
    "n-triples": "nt",
    "rdf+xml": "xml",
    "rdfxml": "xml",
}
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

Term = Node | None


def _ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q-values (1 when absent or unreadable)."""
    found = []
    for item in accept.split(","):
        fields = [f.strip() for f in item.split(";")]
        if not fields[0]:
            continue
        quality = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 1.0
        found.append((fields[0].lower(), quality))
    return found


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The q-value the most specific matching range gives media (0 when none matches)."""
    major = media.split("/")[0]
    best, specificity = 0.0, -1
    for pattern, quality in ranges:
        level = 2 if pattern == media else 1 if pattern == f"{major}/*" else 0 if pattern == "*/*" else -1
        if level > specificity:
            best, specificity = quality, level
    return best


def negotiate(accept: str | None, offered: dict[str, str], fmt: str | None = None) -> str | None:
    """The media type to answer in, or None when the client accepts none of those offered.

    Args:
        accept: The Accept header (None or empty: anything).
        offered: Media type -> short name (`RESULT_TYPES` or `GRAPH_TYPES`); the first is the default.
        fmt: A ``format`` parameter; when it names an offered format, its usual media type is
            chosen whatever the Accept header says.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES)
    'application/sparql-results+xml'
    >>> negotiate("text/html, */*;q=0.8", GRAPH_TYPES)
    'text/turtle'
    >>> negotiate("text/html", GRAPH_TYPES, "json-ld")
    'application/ld+json'
    """
    name = FORMAT_NAMES.get((fmt or "").lower())
    if name in offered.values():
        return next(media for media, short in offered.items() if short == name)
    ranges = _ranges(accept or "")
    if not ranges:
        return next(iter(offered))
    quality, _, media = max(
        (_quality(media, ranges), -position, media) for position, media in enumerate(offered)
    )
    return media if quality > 0 else None


def _literal(term: Node) -> tuple[str, str | None, str | None]:
    """A literal's lexical form, language and datatype (None for a plain xsd:string)."""
    if not isinstance(term, Literal):
        return str(term), None, None
    datatype = str(term.datatype) if term.datatype and term.datatype != XSD.string else None
    return str(term), term.language, datatype


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    text, language, datatype = _literal(term)
    value = {"type": "literal", "value": text}
    if language:
        value["xml:lang"] = language
    elif datatype:
        value["datatype"] = datatype
    return value


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef | BNode):
        kind = "uri" if isinstance(term, URIRef) else "bnode"
        return f"<{kind}>{escape(str(term))}</{kind}>"
    text, language, datatype = _literal(term)
    if _NOT_XML.search(text):
        raise OutputError(
            f"the literal {text[:40]!r} holds a character XML 1.0 cannot carry; "
            "ask for application/sparql-results+json instead"
        )
    if language:
        return f"<literal xml:lang={quoteattr(language)}>{escape(text)}</literal>"
    if datatype:
        return f"<literal datatype={quoteattr(datatype)}>{escape(text)}</literal>"
    return f"<literal>{escape(text)}</literal>"


def _tsv_term(term: Term) -> str:
    """A term in Turtle syntax on one line (tabs and line breaks escaped)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    text, language, datatype = _literal(term)
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    text = '"' + text.replace("\t", "\\t") + '"'
    if language:
        return f"{text}@{language}"
    if datatype:
        return f"{text}^^<{datatype}>"
    return text


def write_select(fmt: str, variables: Sequence[str], rows: Iterable[Sequence[Term]]) -> bytes:
    """SELECT results in one of the SPARQL result formats (json, xml, csv, tsv)."""
    rows = list(rows)
    if fmt == "json":
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows
        ]
        return json.dumps(
            {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}, ensure_ascii=False
        ).encode("utf-8")
    if fmt == "xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        body = "".join(
            "<result>"
            + "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            + "</result>\n"
            for row in rows
        )
        return (
            f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head>\n<results>\n{body}</results></sparql>\n"
        ).encode()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")  # the CSV results format asks for CRLF
        writer.writerow(variables)
        writer.writerows(
            [
                ["" if t is None else ("_:" + t if isinstance(t, BNode) else str(t)) for t in row]
                for row in rows
            ]
        )
        return buffer.getvalue().encode("utf-8")
    lines = ["\t".join("?" + v for v in variables)] + ["\t".join(_tsv_term(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_ask(fmt: str, answer: bool) -> bytes:
    """An ASK answer in one of the SPARQL result formats (CSV and TSV: a one-cell table, as Jena does)."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": answer}).encode("utf-8")
    if fmt == "xml":
        return (
            f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{str(answer).lower()}</boolean></sparql>\n"
        ).encode()
    separator = "\r\n" if fmt == "csv" else "\n"
    header = "_askResult" if fmt == "csv" else "?_askResult"
    return f"{header}{separator}{str(answer).lower()}{separator}".encode()


__all__ = ["FORMAT_NAMES", "GRAPH_TYPES", "RESULT_TYPES", "negotiate", "write_ask", "write_select"]
