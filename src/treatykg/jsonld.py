"""Compact JSON-LD written directly from triples with the project's @context.

rdflib's compaction drops an empty string when a property has several values and orders nodes
by hash, so two builds could differ; this writer keeps every value and sorts nodes, properties
and values, so the same graph always gives the same bytes. It reads pyoxigraph terms, which is
what the build makes (treatykg.oxrdf converts an rdflib graph).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import BinaryIO

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class _Compactor:
    """Turns IRIs and literals into the short forms the context defines."""

    def __init__(self, context: dict) -> None:
        self.context = context
        self.prefixes = {v: k for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}
        self.by_length = sorted(self.prefixes, key=len, reverse=True)
        self.short: dict[str, str] = {}
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

    def value(self, obj: ox.NamedNode | ox.BlankNode | ox.Literal, definition: dict) -> object:
        if not isinstance(obj, ox.Literal):
            text = self.iri(obj.value) if isinstance(obj, ox.NamedNode) else f"_:{obj.value}"
            return text if definition.get("@type") == "@id" else {"@id": text}
        datatype = obj.datatype.value
        coerced = definition.get("@type")
        if coerced and not obj.language and self.expand(coerced) == datatype:
            return obj.value
        if obj.language:
            return {"@value": obj.value, "@language": obj.language}
        if datatype != XSD_STRING:
            return {"@value": obj.value, "@type": self.iri(datatype)}
        if "@type" in definition:
            return {"@value": obj.value}
        return obj.value


def _sort_key(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def write_jsonld(triples: Iterable[ox.Triple], context: dict, stream: BinaryIO) -> None:
    """The triples, grouped by subject (as sorted N-Triples give them), as compact JSON-LD:
    {"@context": …, "@graph": [nodes sorted by @id, one a line]}. Each node is made and written
    as text when its triples end, so that only the text of the nodes is held for the sort."""
    nodes = list(_node_texts(_Compactor(context), triples))
    nodes.sort(key=lambda node: node[0])
    _write(context, (text for _, text in nodes), stream)


def splice_jsonld(previous: str, triples: Iterable[ox.Triple], subjects: Iterable[ox.NamedNode | ox.BlankNode],
                  context: dict, stream: BinaryIO) -> bool:
    """Write what write_jsonld writes for a graph that differs from the one it wrote as previous
    only in the triples of subjects: triples are the new graph's triples of those subjects,
    grouped by subject. Returns False, and writes nothing, when previous was written with
    another context or layout."""
    header = _header(context)
    if not previous.startswith(header) or not previous.endswith(_FOOTER):
        return False
    compactor = _Compactor(context)
    changed = {_id(compactor, subject) for subject in subjects}
    body = previous[len(header):-len(_FOOTER)]
    try:
        kept = [(_node_id(text), text) for text in body.split(_SEPARATOR)] if body else []
    except ValueError:  # not a file write_jsonld wrote
        return False
    nodes = [node for node in kept if node[0] not in changed] + list(_node_texts(compactor, triples))
    nodes.sort(key=lambda node: node[0])
    _write(context, (text for _, text in nodes), stream)
    return True


_SEPARATOR = ",\n  "
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


def _node_texts(compactor: _Compactor, triples: Iterable[ox.Triple]) -> Iterator[tuple[str, str]]:
    """Each subject's node, as its @id and its JSON text."""
    seen: set[ox.NamedNode | ox.BlankNode] = set()
    for subject, group in groupby(triples, key=lambda triple: triple.subject):
        if subject in seen:
            raise ValueError(f"the triples of {subject} are not grouped together")
        seen.add(subject)
        # a node per line: as easy to read and diff as indented JSON, and written by json's C encoder
        # (indenting makes json fall back to its Python encoder, several times slower)
        yield _id(compactor, subject), json.dumps(_node(compactor, subject, group), ensure_ascii=False)


def _id(compactor: _Compactor, subject: ox.NamedNode | ox.BlankNode) -> str:
    return compactor.iri(subject.value) if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"


def _node(compactor: _Compactor, subject: ox.NamedNode | ox.BlankNode, triples: Iterable[ox.Triple]) -> dict:
    properties: dict[str, list] = defaultdict(list)
    for _, p, o in triples:
        if p.value == RDF_TYPE and isinstance(o, ox.NamedNode):
            properties["@type"].append(compactor.type_name(o.value))
            continue
        term, definition = compactor.terms.get(p.value, (compactor.iri(p.value), {}))
        properties[term].append(compactor.value(o, definition))
    item: dict[str, object] = {"@id": _id(compactor, subject)}
    for key in sorted(properties):
        values = properties[key]
        if len(values) > 1:
            values.sort(key=_sort_key)
        item[key] = values[0] if len(values) == 1 else values
    return item
