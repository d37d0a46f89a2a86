"""The one place where facts become RDF.

Design (see README, "Data model"):
- every core-profile fact is a plain triple between entity nodes (or to a typed literal);
- every entity has rdf:type, rdfs:label, skos:prefLabel, skos:altLabel for the other names it
  was found under, and owl:sameAs its Wikidata item when linked (with tkg:linkConfidence and
  tkg:linkReason);
- every statement a document makes gets a tkg:Evidence record (rdf:subject / rdf:predicate /
  rdf:object, prov:wasDerivedFrom the document, prov:wasAttributedTo the extractor, character
  offsets and the quoted text);
- the TriG file holds the entities in the default graph and, per document, a named graph with
  the triples that document states and their evidence.
IRIs are minted by `mint` alone, from stable keys, so two builds give identical output.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from decimal import Decimal
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from .document import Document
from .facts import Value
from .namespace import ID, TKG, WD
from .resolve import Entity, Resolution, ResolvedFact

_KIND_PATHS = {"State": "state", "Person": "person", "Railway": "railway", "Organization": "organization",
               "Place": "place", "City": "place", "Port": "place"}
_DATATYPES = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear, "duration": XSD.duration,
              "string": None}


def slug(text: str) -> str:
    """A readable, deterministic IRI segment; text that does not fold to ASCII gets a hash suffix.

    >>> slug("Treaty of Friendship, Alliance"), slug("中苏友好同盟条约")[:2]
    ('treaty-of-friendship-alliance', 'x-')
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    full = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    base = full[:80].rstrip("-")
    lossy = folded != unicodedata.normalize("NFKD", text).lower() or not base or len(full) > 80
    if lossy:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
        return f"{base}-{digest}" if base else f"x-{digest}"
    return base


def mint(kind: str, key: str) -> URIRef:
    """The IRI of an entity, document, graph, extractor or evidence record.

    >>> str(mint("Treaty", "instrument:treaty of friendship and alliance"))
    'https://w3id.org/treatykg/id/treaty/treaty-of-friendship-and-alliance'
    """
    if kind in ("doc", "graph", "extractor"):
        return ID[f"{kind}/{quote(key, safe='')}"]
    if kind == "evidence":
        return ID[f"evidence/{hashlib.sha1(key.encode('utf-8')).hexdigest()[:20]}"]
    path = _KIND_PATHS.get(kind, "treaty")
    return ID[f"{path}/{slug(key.split(':', 1)[-1])}"]


def literal(value: Value) -> Literal:
    """The RDF literal of a fact's value."""
    datatype = _DATATYPES[value.datatype]
    return Literal(value.lexical, datatype=datatype) if datatype else Literal(value.lexical)


def entity_iris(resolution: Resolution) -> dict[str, URIRef]:
    """Each entity key's IRI; two keys that would share an IRI are told apart by a hash."""
    iris: dict[str, URIRef] = {}
    taken: set[URIRef] = set()
    for key in sorted(resolution.entities):
        entity = resolution.entities[key]
        # Knowledge-base entities keep their stable id; others are named after their label,
        # which reads better than the normalised key they were merged by.
        iri = mint(entity.kind, key if ":" not in key else f"{key.split(':', 1)[0]}:{entity.label}")
        if iri in taken:
            iri = URIRef(f"{iri}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}")
        taken.add(iri)
        iris[key] = iri
    return iris


def _describe_entity(graph: Graph, iri: URIRef, entity: Entity) -> None:
    graph.add((iri, RDF.type, TKG[entity.kind]))
    graph.add((iri, RDFS.label, Literal(entity.label)))
    graph.add((iri, SKOS.prefLabel, Literal(entity.label)))
    for alt in entity.alt_labels:
        graph.add((iri, SKOS.altLabel, Literal(alt)))
    if entity.qid:
        graph.add((iri, OWL.sameAs, WD[entity.qid]))
        graph.add((iri, TKG.linkConfidence, Literal(Decimal(str(entity.link_confidence or 1)), datatype=XSD.decimal)))
        graph.add((iri, TKG.linkReason, Literal(entity.link_reason or "")))


def _describe_document(graph: Graph, document: Document) -> URIRef:
    iri = mint("doc", document.doc_id)
    graph.add((iri, RDF.type, TKG.Document))
    graph.add((iri, TKG.docId, Literal(document.doc_id)))
    graph.add((iri, RDFS.label, Literal(document.title or document.doc_id)))
    if document.title:
        graph.add((iri, DCTERMS.title, Literal(document.title)))
    if document.kind:
        graph.add((iri, TKG.documentKind, Literal(document.kind)))
    for language in document.languages:
        graph.add((iri, DCTERMS.language, Literal(language)))
    if document.published:
        graph.add((iri, DCTERMS.issued, Literal(document.published, datatype=XSD.date)))
    return iri


def _evidence(graph: Graph, triple: tuple, resolved: ResolvedFact) -> None:
    fact = resolved.fact
    key = "|".join(map(str, (*triple, fact.doc_id, fact.char_start, fact.char_end, fact.extractor)))
    node = mint("evidence", key)
    extractor = mint("extractor", fact.extractor)
    graph.add((node, RDF.type, TKG.Evidence))
    graph.add((node, RDF.subject, triple[0]))
    graph.add((node, RDF.predicate, triple[1]))
    graph.add((node, RDF.object, triple[2]))
    graph.add((node, PROV.wasDerivedFrom, mint("doc", fact.doc_id)))
    graph.add((node, PROV.wasAttributedTo, extractor))
    graph.add((node, TKG.charStart, Literal(fact.char_start, datatype=XSD.nonNegativeInteger)))
    graph.add((node, TKG.charEnd, Literal(fact.char_end, datatype=XSD.nonNegativeInteger)))
    graph.add((node, TKG.quote, Literal(fact.evidence)))
    graph.add((node, TKG.modality, Literal(fact.modality)))


def ontology_axioms(ontology: Graph) -> Graph:
    """The class hierarchy, carried in every built graph so that it reads on its own."""
    axioms = Graph()
    for triple in ontology.triples((None, RDFS.subClassOf, None)):
        if isinstance(triple[2], URIRef):
            axioms.add(triple)
    return axioms


def to_dataset(resolution: Resolution, documents: list[Document], ontology: Graph) -> Dataset:
    """The built knowledge graph: entities in the default graph, a named graph per document."""
    dataset = Dataset()
    default = dataset.default_graph
    for triple in ontology_axioms(ontology):
        default.add(triple)
    iris = entity_iris(resolution)
    for key, entity in resolution.entities.items():
        _describe_entity(default, iris[key], entity)
    for document in documents:
        _describe_document(default, document)
    for name in sorted({f.fact.extractor for f in resolution.facts}):
        default.add((mint("extractor", name), RDF.type, TKG.Extractor))
        default.add((mint("extractor", name), RDFS.label, Literal(name)))
    for resolved in resolution.facts:
        obj = iris[resolved.object] if isinstance(resolved.object, str) else literal(resolved.object)
        triple = (iris[resolved.subject], TKG[resolved.predicate], obj)
        named = dataset.graph(mint("graph", resolved.fact.doc_id))
        named.add(triple)
        _evidence(named, triple, resolved)
    return dataset


def union_graph(dataset: Dataset) -> Graph:
    """Every triple of the dataset in one graph (what graph.ttl holds)."""
    graph = Graph()
    for prefix, namespace in (("tkg", TKG._NS), ("id", ID), ("wd", WD), ("skos", SKOS), ("prov", PROV),
                              ("dcterms", DCTERMS), ("owl", OWL)):
        graph.bind(prefix, namespace)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
