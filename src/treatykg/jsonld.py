"""Compact JSON-LD written directly from a graph with the project's @context.

rdflib's compaction drops an empty string when a property has several values and orders nodes
by hash, so two builds could differ; this writer keeps every value and sorts nodes, properties
and values, so the same graph always gives the same bytes.
"""

from __future__ import annotations

import json
from collections import defaultdict

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD


class _Compactor:
    """Turns IRIs and literals into the short forms the context defines."""

    def __init__(self, context: dict) -> None:
        self.context = context
        self.prefixes = {v: k for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}
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
        for namespace in sorted(self.prefixes, key=len, reverse=True):
            if value.startswith(namespace) and len(value) > len(namespace):
                return f"{self.prefixes[namespace]}:{value[len(namespace):]}"
        return value

    def type_name(self, value: str) -> str:
        term = self.terms.get(value)
        return term[0] if term and not term[1] else self.iri(value)

    def value(self, obj: object, definition: dict) -> object:
        if isinstance(obj, (URIRef, BNode)):
            text = self.iri(str(obj)) if isinstance(obj, URIRef) else f"_:{obj}"
            return text if definition.get("@type") == "@id" else {"@id": text}
        assert isinstance(obj, Literal)
        coerced = definition.get("@type")
        if coerced and obj.datatype is not None and self.expand(coerced) == str(obj.datatype):
            return str(obj)
        if obj.language:
            return {"@value": str(obj), "@language": obj.language}
        if obj.datatype is not None and obj.datatype != XSD.string:
            return {"@value": str(obj), "@type": self.iri(str(obj.datatype))}
        if "@type" in definition:
            return {"@value": str(obj)}
        return str(obj)


def _sort_key(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def to_jsonld(graph: Graph, context: dict) -> bytes:
    """The graph as compact JSON-LD: {"@context": …, "@graph": [nodes sorted by @id]}."""
    compactor = _Compactor(context)
    nodes: dict[object, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in graph:
        node = nodes[s]
        if p == RDF.type and isinstance(o, URIRef):
            node["@type"].append(compactor.type_name(str(o)))
            continue
        term, definition = compactor.terms.get(str(p), (compactor.iri(str(p)), {}))
        node[term].append(compactor.value(o, definition))
    items = []
    for subject, properties in nodes.items():
        item: dict[str, object] = {"@id": compactor.iri(str(subject)) if isinstance(subject, URIRef) else f"_:{subject}"}
        for key in sorted(properties):
            values = sorted(properties[key], key=_sort_key)
            item[key] = values[0] if len(values) == 1 else values
        items.append(item)
    items.sort(key=lambda item: str(item["@id"]))
    document = {"@context": context, "@graph": items}
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")
