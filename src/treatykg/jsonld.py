"""Compact JSON-LD written directly from triples with the project's @context.

rdflib's compaction drops an empty string when a property has several values and orders nodes
by hash, so two builds could differ; this writer keeps every value and sorts nodes, properties
and values, so the same graph always gives the same bytes. It reads the N-Triples lines of a
build's union (treatykg.graphfiles), which Oxigraph's writer and treatykg.rdf write alike: terms
separated by one space, IRIs without escapes, and literals escaped as JSON strings are, so a
line is cut by hand, and a literal with an escape decoded by json. (Making a pyoxigraph term of
each was two thirds of the writer's time.)
"""

from __future__ import annotations

import json
import mmap
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import BinaryIO

import pyoxigraph as ox

from .sortedfile import SortedUnits, spliced_pieces

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_TYPE = f"<{RDF_TYPE}>"


class _Compactor:
    """Turns IRIs and literals into the short forms the context defines."""

    def __init__(self, context: dict) -> None:
        self.context = context
        self.prefixes = {v: k for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}
        self.by_length = sorted(self.prefixes, key=len, reverse=True)
        self.short: dict[str, str] = {}
        self.properties: dict[str, tuple[str, dict]] = {}
        self.terms: dict[str, tuple[str, dict]] = {}
        for term, definition in context.items():
            if isinstance(definition, str) and not definition.endswith(("#", "/")):
                self.terms[self.expand(definition)] = (term, {})
            elif isinstance(definition, dict) and "@id" in definition:
                self.terms[self.expand(definition["@id"])] = (term, definition)

    def expand(self, value: str) -> str:
        prefix, _, rest = value.partition(":")
        if rest and prefix in self.context and isinstance(self.context[prefix], str):
            return self.context[prefix] + rest
        return value

    def property(self, predicate: str) -> tuple[str, dict]:
        """A predicate in N-Triples as a property's name, and its definition in the context ({}: none)."""
        found = self.properties.get(predicate)
        if found is None:
            iri = predicate[1:-1]
            found = self.properties[predicate] = self.terms.get(iri) or (self.iri(iri), {})
        return found

    def iri(self, value: str) -> str:
        short = self.short.get(value)
        if short is None:
            short = self.short[value] = self._compact(value)
        return short

    def _compact(self, value: str) -> str:
        for namespace in self.by_length:
            if value.startswith(namespace) and len(value) > len(namespace):
                return f"{self.prefixes[namespace]}:{value[len(namespace):]}"
        return value

    def type_name(self, value: str) -> str:
        term = self.terms.get(value)
        return term[0] if term and not term[1] else self.iri(value)

    def value(self, term: str, definition: dict) -> object:
        """A term in N-Triples as the value of a property with definition."""
        if term[0] != '"':
            text = self.iri(term[1:-1]) if term[0] == "<" else term
            return text if definition.get("@type") == "@id" else {"@id": text}
        close = term.rindex('"')
        lexical = term[1:close]
        if "\\" in lexical:
            lexical = json.loads(term[:close + 1])
        suffix = term[close + 1:]
        if suffix[:1] == "@":
            return {"@value": lexical, "@language": suffix[1:]}
        datatype = suffix[3:-1] if suffix else XSD_STRING
        coerced = definition.get("@type")
        if coerced and self.expand(coerced) == datatype:
            return lexical
        if datatype != XSD_STRING:
            return {"@value": lexical, "@type": self.iri(datatype)}
        if "@type" in definition:
            return {"@value": lexical}
        return lexical


def _sort_key(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def write_jsonld(lines: Iterable[bytes], context: dict, stream: BinaryIO) -> None:
    """The triples of N-Triples lines grouped by subject (as a sorted union.nt has them), as compact
    JSON-LD: {"@context": …, "@graph": [nodes sorted by @id, one a line]}. Each node is made and
    written as text when its triples end, so that only the text of the nodes is held for the sort."""
    nodes = list(_node_texts(_Compactor(context), lines))
    nodes.sort(key=lambda node: node[0])
    _write(context, (text for _, text in nodes), stream)


def splice_jsonld(previous: bytes | mmap.mmap, lines: Iterable[bytes],
                  subjects: Iterable[ox.NamedNode | ox.BlankNode], context: dict, stream: BinaryIO) -> bool:
    """Write what write_jsonld writes for a graph that differs from the one it wrote as previous
    only in the triples of subjects: lines are the new graph's N-Triples lines of those subjects,
    grouped by subject. The nodes of previous are found by binary search (a node a line, in the
    order of their @id), and the others copied as they are. Returns False, and writes nothing,
    when previous was written with another context or layout."""
    header, footer = _header(context).encode("utf-8"), _FOOTER.encode("utf-8")
    if previous[:len(header)] != header or previous[len(previous) - len(footer):] != footer:
        return False
    compactor = _Compactor(context)
    nodes = _Nodes(previous, len(header), len(previous) - len(footer))
    try:
        gone = [nodes.span_of(_id(compactor, str(subject))) for subject in subjects]
        came = [(nodes.position(node_id), node_id, text.encode("utf-8") + _SEPARATOR_BYTES)
                for node_id, text in _node_texts(compactor, lines)]
    except ValueError:  # not a file write_jsonld wrote
        return False
    # each node followed by its separator, the last node's taken off: a span gone ends where the
    # next node starts, and the run of nodes kept before it ends with a separator, but for the last
    pieces = [p if p.endswith(_SEPARATOR_BYTES) else p + _SEPARATOR_BYTES
              for p in spliced_pieces(previous, nodes.base, nodes.end, gone, came)]
    if pieces:
        pieces[-1] = pieces[-1][:-len(_SEPARATOR_BYTES)]
    stream.write(header)
    stream.writelines(pieces)
    stream.write(footer)
    return True


class _Nodes(SortedUnits):
    """The nodes of a file write_jsonld wrote (one a line, each but the last followed by a
    separator), by @id."""

    def _unit_start(self, at: int, low: int) -> int:
        indent = len(_SEPARATOR_BYTES) - 1  # a node starts that many bytes after its line break
        line = self.data.rfind(b"\n", low, max(low, at - indent + 1))
        return low if line == -1 else line + indent

    def _next_start(self, start: int) -> int:
        line = self.data.find(b"\n", start, self.end)
        return self.end if line == -1 else line + len(_SEPARATOR_BYTES) - 1  # past ",\n  "

    def _key(self, start: int) -> str:
        line = self.data.find(b"\n", start, self.end)
        text = self.data[start:self.end if line == -1 else line].decode("utf-8")
        if not text.startswith('{"@id": "'):
            raise ValueError(f"not a node written by write_jsonld: {text[:80]!r}")
        return _node_id(text)


_SEPARATOR = ",\n  "
_SEPARATOR_BYTES = _SEPARATOR.encode("ascii")
_FOOTER = "\n ]\n}\n"
_ID_START = len('{"@id": ')
_DECODER = json.JSONDecoder()


def _header(context: dict) -> str:
    context_text = json.dumps(context, ensure_ascii=False, indent=1).replace("\n", "\n ")
    return f'{{\n "@context": {context_text},\n "@graph": [\n  '


def _write(context: dict, texts: Iterable[str], stream: BinaryIO) -> None:
    stream.write(_header(context).encode("utf-8"))
    for index, text in enumerate(texts):
        stream.write(((_SEPARATOR if index else "") + text).encode("utf-8"))
    stream.write(_FOOTER.encode("utf-8"))


def _node_id(text: str) -> str:
    return _DECODER.raw_decode(text, _ID_START)[0]


def _node_texts(compactor: _Compactor, lines: Iterable[bytes]) -> Iterator[tuple[str, str]]:
    """Each subject's node, as its @id and its JSON text."""
    seen: set[str] = set()
    for subject, group in groupby((line.decode("utf-8") for line in lines), key=_subject):
        if subject in seen:
            raise ValueError(f"the triples of {subject} are not grouped together")
        seen.add(subject)
        # a node per line: as easy to read and diff as indented JSON, and written by json's C encoder
        # (indenting makes json fall back to its Python encoder, several times slower)
        yield _id(compactor, subject), json.dumps(_node(compactor, subject, group), ensure_ascii=False)


def _subject(line: str) -> str:
    return line[:line.index(" ")]


def _id(compactor: _Compactor, subject: str) -> str:
    """A subject in N-Triples (an IRI or a blank node) as a node's @id."""
    return compactor.iri(subject[1:-1]) if subject[0] == "<" else subject


def _node(compactor: _Compactor, subject: str, lines: Iterable[str]) -> dict:
    properties: dict[str, list] = defaultdict(list)
    for line in lines:
        _, predicate, term = line[:-3].split(" ", 2)  # less the final " .\n"
        if predicate == _RDF_TYPE and term[0] == "<":
            properties["@type"].append(compactor.type_name(term[1:-1]))
            continue
        name, definition = compactor.property(predicate)
        properties[name].append(compactor.value(term, definition))
    item: dict[str, object] = {"@id": _id(compactor, subject)}
    for key in sorted(properties):
        values = properties[key]
        if len(values) > 1:
            values.sort(key=_sort_key)
        item[key] = values[0] if len(values) == 1 else values
    return item
