"""What the linking tools share: their error, and reading entities and evidence from a built graph.

A built graph (see README, "Data model") describes each entity with rdf:type, rdfs:label,
skos:altLabel and, when linked, owl:sameAs a Wikidata item; each fact has tkg:Evidence records
(rdf:subject / rdf:predicate / rdf:object, prov:wasDerivedFrom the document, tkg:quote).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from ..errors import KGError
from ..names import name_key
from ..namespace import ID, TKG, WD

_NOT_ENTITIES = frozenset({TKG.Document, TKG.Evidence, TKG.Extractor})
_TKG = str(TKG._NS)
_QID_RE = re.compile(r"^Q[1-9][0-9]*$")


class LinkingError(KGError):
    """A linking request cannot be answered: an unknown entity, a bad snapshot, a failed request."""


@dataclass(frozen=True, slots=True)
class Quote:
    """One evidence record of a fact: the document it comes from and the sentence it quotes."""

    doc_id: str
    doc_title: str | None
    languages: tuple[str, ...]
    quote: str
    char_start: int
    source_url: str | None = None


def local_name(term: Node) -> str:
    """The part of an ontology IRI after '#' ("State" for tkg:State)."""
    return str(term).rsplit("#", 1)[-1]


def is_qid(text: str) -> bool:
    """Whether text is a Wikidata item id such as Q865."""
    return bool(_QID_RE.match(text))


def qid_of(graph: Graph, node: Node) -> str | None:
    """The Wikidata item an entity is owl:sameAs, or None."""
    for target in sorted(graph.objects(node, OWL.sameAs)):
        if str(target).startswith(str(WD)):
            return str(target)[len(str(WD)) :]
    return None


def kind_of(graph: Graph, node: Node) -> str:
    """The most specific ontology class of an entity ("Port" rather than "Place")."""
    kinds = {t for t in graph.objects(node, RDF.type) if str(t).startswith(_TKG)}
    specific = [
        k for k in kinds if not any(other != k and (other, RDFS.subClassOf, k) in graph for other in kinds)
    ]
    return local_name(sorted(specific or kinds)[0]) if kinds else ""


def labels_of(graph: Graph, node: Node) -> tuple[str, tuple[str, ...]]:
    """An entity's label and its other names."""
    label = graph.value(node, RDFS.label) or graph.value(node, SKOS.prefLabel) or node
    alts = sorted({str(a) for a in graph.objects(node, SKOS.altLabel)} - {str(label)})
    return str(label), tuple(alts)


def entity_nodes(graph: Graph) -> list[URIRef]:
    """Every entity of the graph (not documents, evidence records or extractors)."""
    nodes = set()
    for node, kind in graph.subject_objects(RDF.type):
        if isinstance(node, URIRef) and str(kind).startswith(_TKG) and kind not in _NOT_ENTITIES:
            nodes.add(node)
    return sorted(nodes)


def find_entity(graph: Graph, text: str) -> URIRef:
    """The entity named by text: its IRI (full, `id:` or `state/ussr` form), its QID or one of its names.

    Raises:
        LinkingError: no entity or several entities answer to text.
    """
    nodes = entity_nodes(graph)
    wanted = text.strip()
    iris = {wanted, f"{ID}{wanted}", f"{ID}{wanted[3:]}" if wanted.startswith("id:") else wanted}
    for node in nodes:
        if str(node) in iris:
            return node
    if is_qid(wanted):
        matches = [n for n in nodes if qid_of(graph, n) == wanted]
    else:
        key = name_key(wanted)
        matches = [n for n in nodes if name_key(labels_of(graph, n)[0]) == key]
        if not matches:
            matches = [n for n in nodes if key in {name_key(a) for a in labels_of(graph, n)[1]}]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise LinkingError(
            f"no entity of the graph is named or identified by {text!r}; "
            "give its label, an altLabel, its QID or its IRI"
        )
    names = ", ".join(f"{labels_of(graph, n)[0]} <{n}>" for n in matches)
    raise LinkingError(f"{text!r} names several entities ({names}); give the IRI of the one you mean")


def _document(graph: Graph, doc: Node) -> tuple[str, str | None, tuple[str, ...], str | None]:
    doc_id = graph.value(doc, TKG.docId)
    title = graph.value(doc, DCTERMS.title)
    source = graph.value(doc, DCTERMS.source)
    languages = tuple(sorted(str(x) for x in graph.objects(doc, DCTERMS.language)))
    return (
        str(doc_id) if doc_id else str(doc).rsplit("/", 1)[-1],
        str(title) if title else None,
        languages,
        str(source) if source else None,
    )


def evidence_for(graph: Graph, subject: Node, predicate: Node, obj: Node) -> list[Quote]:
    """The evidence records of one triple, in document and text order."""
    quotes = []
    for record in graph.subjects(RDF.subject, subject):
        if (record, RDF.predicate, predicate) not in graph or (record, RDF.object, obj) not in graph:
            continue
        doc = graph.value(record, PROV.wasDerivedFrom)
        doc_id, title, languages, source = _document(graph, doc) if doc is not None else ("?", None, (), None)
        start = graph.value(record, TKG.charStart)
        quotes.append(
            Quote(
                doc_id,
                title,
                languages,
                str(graph.value(record, TKG.quote) or ""),
                int(start) if isinstance(start, Literal) else 0,
                source,
            )
        )
    return sorted(quotes, key=lambda q: (q.doc_id, q.char_start, q.quote))
