"""Terms and quads between rdflib (the library API's graph type) and pyoxigraph (the fast store).

A plain literal and an xsd:string literal are one value in RDF 1.1; pyoxigraph always writes the
datatype, rdflib keeps a plain literal apart. Going to rdflib, xsd:string becomes a plain literal,
so a graph read back from the store compares equal to the one rdflib would have built.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
DEFAULT = ox.DefaultGraph()


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """The rdflib term of a pyoxigraph term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value) if datatype == XSD_STRING else Literal(term.value, datatype=URIRef(datatype))


def from_rdflib(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term of an rdflib term (the lexical form is kept as written)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def quads_from_rdflib(graph: Graph | Dataset) -> list[ox.Quad]:
    """Every triple of a graph (in the default graph) or every quad of a dataset."""
    if isinstance(graph, Dataset):
        default = graph.default_graph.identifier
        return [ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o),
                        DEFAULT if g is None or g == default else ox.NamedNode(str(g)))
                for s, p, o, g in graph.quads((None, None, None, None))]
    return [ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), DEFAULT) for s, p, o in graph]


def dataset_from_quads(quads: Iterable[ox.Quad], *, default_union: bool = False) -> Dataset:
    """An rdflib Dataset holding the quads: default-graph quads in its default graph (which, with
    default_union, reads as the union of every graph)."""
    dataset = Dataset(default_union=default_union)
    graphs: dict[str, Graph] = {}
    term = _each_term_once()
    for quad in quads:
        triple = (term(quad.subject), term(quad.predicate), term(quad.object))
        if isinstance(quad.graph_name, ox.DefaultGraph):
            dataset.default_graph.add(triple)
            continue
        name = quad.graph_name.value
        if name not in graphs:
            graphs[name] = dataset.graph(URIRef(name))
        graphs[name].add(triple)
    return dataset


def graph_from_triples(quads: Iterable[ox.Quad | ox.Triple]) -> Graph:
    """An rdflib Graph of the quads' triples (their union)."""
    graph = Graph()
    term = _each_term_once()
    for quad in quads:
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return graph


def _each_term_once() -> Callable[[ox.NamedNode | ox.BlankNode | ox.Literal], Node]:
    """`to_rdflib` that makes each distinct term once: a graph names its entities, predicates and
    documents over and over (at 1,000 documents, 650,000 terms are 39,000 distinct ones), and one
    object each is three times faster to make and holds a fraction of the memory."""
    return functools.cache(to_rdflib)
