"""Serialising graphs: Turtle, compact JSON-LD (with the local context), N-Triples, N-Quads, TriG, RDF/XML."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph

from .errors import InputError
from .jsonld import to_jsonld
from .resources import CONTEXT

FORMATS = {"ttl": "turtle", "turtle": "turtle", "jsonld": "json-ld", "json-ld": "json-ld", "nt": "nt",
           "nq": "nquads", "trig": "trig", "xml": "xml", "rdfxml": "xml"}
QUAD_FORMATS = {"nquads", "trig"}
SUFFIXES = {".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld", ".nt": "nt", ".nq": "nquads",
            ".trig": "trig", ".rdf": "xml", ".xml": "xml", ".owl": "xml"}


@lru_cache(maxsize=1)
def jsonld_context() -> dict:
    """The project's JSON-LD @context, read from ontology/context.jsonld (never fetched)."""
    return json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]


def serialize(graph: Graph | Dataset, fmt: str) -> bytes:
    """The graph in a format named by its short name (ttl, jsonld, nt, nq, trig, xml)."""
    name = FORMATS.get(fmt.lower())
    if name is None:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(sorted(FORMATS))}")
    if name in QUAD_FORMATS and not isinstance(graph, Dataset):
        dataset = Dataset()
        for triple in graph:
            dataset.add(triple)
        graph = dataset
    if name == "json-ld":
        return to_jsonld(as_graph(graph), jsonld_context())
    if name == "trig" and isinstance(graph, Dataset):
        return _trig(graph)
    if name in ("turtle", "nt", "xml") and isinstance(graph, Dataset):
        flat = Graph()
        for s, p, o, _ in graph.quads((None, None, None, None)):
            flat.add((s, p, o))
        for prefix, namespace in graph.namespaces():
            flat.bind(prefix, namespace)
        graph = flat
    data = graph.serialize(format=name, encoding="utf-8")
    if name in ("nt", "nquads"):
        data = b"\n".join(sorted(line for line in data.splitlines() if line.strip())) + b"\n"
    return data


def load_graph(path: str | Path) -> Dataset:
    """Read a built graph: an output folder (its graph.trig) or any RDF file, by its suffix."""
    target = Path(path)
    if target.is_dir():
        target = target / "graph.trig"
    fmt = SUFFIXES.get(target.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: cannot tell the RDF format from the suffix; use one of {', '.join(SUFFIXES)}")
    if not target.is_file():
        raise InputError(f"{target}: no such graph file; build one with `treatykg build ... -o OUT`")
    dataset = Dataset(default_union=True)
    try:
        if fmt == "json-ld":
            dataset.parse(target, format=fmt, context=jsonld_context())
        else:
            dataset.parse(target, format=fmt)
    except Exception as error:  # rdflib's parsers raise many types on bad input
        raise InputError(f"{target}: is not valid {fmt} ({str(error).splitlines()[0] if str(error) else type(error).__name__})") from error
    return dataset


def as_graph(dataset: Dataset | Graph) -> Graph:
    """Every triple of a dataset (the union of its graphs) as one graph."""
    if not isinstance(dataset, Dataset):
        return dataset
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def _trig(dataset: Dataset) -> bytes:
    """TriG with the default graph first and the named graphs in IRI order, each as sorted Turtle
    (rdflib's TriG writer orders graphs by hash, so two builds could differ)."""
    prefixes: list[str] = []
    blocks: list[str] = []
    graphs = sorted(dataset.graphs(), key=lambda g: (g.identifier != dataset.default_graph.identifier, str(g.identifier)))
    for graph in graphs:
        if len(graph) == 0:
            continue
        named = Graph()
        for prefix, namespace in dataset.namespaces():
            named.bind(prefix, namespace)
        for triple in graph:
            named.add(triple)
        lines = named.serialize(format="turtle").splitlines()
        prefixes += [line for line in lines if line.startswith("@prefix")]
        body = "\n".join(line for line in lines if not line.startswith("@prefix")).strip("\n")
        name = "" if graph.identifier == dataset.default_graph.identifier else f"<{graph.identifier}> "
        blocks.append(f"{name}{{\n{body}\n}}\n")
    header = "\n".join(sorted(set(prefixes)))
    return (header + "\n\n" + "\n".join(blocks)).encode("utf-8")
