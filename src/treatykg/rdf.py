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

The graph is made as pyoxigraph quads (`to_quads`), which the store loads and the writers
serialise without a detour through rdflib; `to_dataset` gives the same quads as an rdflib Dataset
for the library API.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from decimal import Decimal
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV

from .document import Document
from .facts import Value
from .namespace import ID, TKG, WD
from .oxrdf import DEFAULT, dataset_from_quads
from .resolve import Entity, Resolution, ResolvedFact

_KIND_PATHS = {"State": "state", "Person": "person", "Railway": "railway", "Organization": "organization",
               "Place": "place", "City": "place", "Port": "place"}
_DATATYPES = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear, "duration": XSD.duration,
              "string": None}
# one prefix per kind of minted IRI, so that Turtle reads treaty:peace-treaty-with-japan
PREFIXES = {"tkg": str(TKG._NS), "wd": str(WD), "skos": str(SKOS), "prov": str(PROV), "dcterms": str(DCTERMS),
            "owl": str(OWL), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD),
            **{segment: f"{ID}{segment}/" for segment in ("doc", "graph", "evidence", "extractor", "treaty", "state",
                                                         "person", "place", "railway", "organization")}}


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


def literal(value: Value) -> ox.Literal:
    """The RDF literal of a fact's value."""
    datatype = _DATATYPES[value.datatype]
    return ox.Literal(value.lexical, datatype=_node(datatype)) if datatype else ox.Literal(value.lexical)


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


_TYPE, _LABEL, _PREF, _ALT, _SAME = map(_node, (RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel, OWL.sameAs))
_SUBJECT, _PREDICATE, _OBJECT = map(_node, (RDF.subject, RDF.predicate, RDF.object))
_DERIVED, _ATTRIBUTED = _node(PROV.wasDerivedFrom), _node(PROV.wasAttributedTo)
_DECIMAL, _INTEGER, _DATE = _node(XSD.decimal), _node(XSD.integer), _node(XSD.date)


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


def _entity_quads(iri: ox.NamedNode, entity: Entity) -> list[ox.Quad]:
    label = ox.Literal(entity.label)
    quads = [ox.Quad(iri, _TYPE, _node(TKG[entity.kind]), DEFAULT), ox.Quad(iri, _LABEL, label, DEFAULT),
             ox.Quad(iri, _PREF, label, DEFAULT)]
    quads += [ox.Quad(iri, _ALT, ox.Literal(alt), DEFAULT) for alt in entity.alt_labels]
    if entity.qid:
        # the plain decimal form ("1", "0.9"), the one Oxigraph's store gives back
        confidence = ox.Literal(f"{Decimal(str(entity.link_confidence or 1)).normalize():f}", datatype=_DECIMAL)
        quads += [ox.Quad(iri, _SAME, _node(WD[entity.qid]), DEFAULT),
                  ox.Quad(iri, _node(TKG.linkConfidence), confidence, DEFAULT),
                  ox.Quad(iri, _node(TKG.linkReason), ox.Literal(entity.link_reason or ""), DEFAULT)]
    return quads


def _document_quads(document: Document) -> list[ox.Quad]:
    iri = _node(mint("doc", document.doc_id))
    quads = [ox.Quad(iri, _TYPE, _node(TKG.Document), DEFAULT),
             ox.Quad(iri, _node(TKG.docId), ox.Literal(document.doc_id), DEFAULT),
             ox.Quad(iri, _LABEL, ox.Literal(document.title or document.doc_id), DEFAULT)]
    if document.title:
        quads.append(ox.Quad(iri, _node(DCTERMS.title), ox.Literal(document.title), DEFAULT))
    if document.kind:
        quads.append(ox.Quad(iri, _node(TKG.documentKind), ox.Literal(document.kind), DEFAULT))
    quads += [ox.Quad(iri, _node(DCTERMS.language), ox.Literal(language), DEFAULT) for language in document.languages]
    if document.published:
        quads.append(ox.Quad(iri, _node(DCTERMS.issued), ox.Literal(document.published, datatype=_DATE), DEFAULT))
    return quads


def _evidence_quads(triple: tuple, resolved: ResolvedFact, graph: ox.NamedNode) -> list[ox.Quad]:
    fact = resolved.fact
    key = "|".join(map(str, (*(t.value for t in triple), fact.doc_id, fact.char_start, fact.char_end, fact.extractor)))
    node = _node(mint("evidence", key))
    return [ox.Quad(node, _TYPE, _node(TKG.Evidence), graph),
            ox.Quad(node, _SUBJECT, triple[0], graph),
            ox.Quad(node, _PREDICATE, triple[1], graph),
            ox.Quad(node, _OBJECT, triple[2], graph),
            ox.Quad(node, _DERIVED, _node(mint("doc", fact.doc_id)), graph),
            ox.Quad(node, _ATTRIBUTED, _node(mint("extractor", fact.extractor)), graph),
            ox.Quad(node, _node(TKG.charStart), ox.Literal(str(fact.char_start), datatype=_INTEGER), graph),
            ox.Quad(node, _node(TKG.charEnd), ox.Literal(str(fact.char_end), datatype=_INTEGER), graph),
            ox.Quad(node, _node(TKG.quote), ox.Literal(fact.evidence), graph),
            ox.Quad(node, _node(TKG.modality), ox.Literal(fact.modality), graph)]


def ontology_axioms(ontology: Graph) -> list[ox.Quad]:
    """The class hierarchy, carried in every built graph so that it reads on its own."""
    return [ox.Quad(_node(s), _node(p), _node(o), DEFAULT)
            for s, p, o in ontology.triples((None, RDFS.subClassOf, None)) if isinstance(o, URIRef)]


def to_quads(resolution: Resolution, documents: list[Document], ontology: Graph) -> list[ox.Quad]:
    """The built knowledge graph: entities in the default graph, a named graph per document."""
    quads = ontology_axioms(ontology)
    iris = {key: _node(iri) for key, iri in entity_iris(resolution).items()}
    for key, entity in resolution.entities.items():
        quads += _entity_quads(iris[key], entity)
    for document in documents:
        quads += _document_quads(document)
    for name in sorted({f.fact.extractor for f in resolution.facts}):
        extractor = _node(mint("extractor", name))
        quads += [ox.Quad(extractor, _TYPE, _node(TKG.Extractor), DEFAULT),
                  ox.Quad(extractor, _LABEL, ox.Literal(name), DEFAULT)]
    predicates: dict[str, ox.NamedNode] = {}
    graphs: dict[str, ox.NamedNode] = {}
    for resolved in resolution.facts:
        obj = iris[resolved.object] if isinstance(resolved.object, str) else literal(resolved.object)
        predicate = predicates.get(resolved.predicate) or predicates.setdefault(resolved.predicate,
                                                                                _node(TKG[resolved.predicate]))
        doc_id = resolved.fact.doc_id
        graph = graphs.get(doc_id) or graphs.setdefault(doc_id, _node(mint("graph", doc_id)))
        triple = (iris[resolved.subject], predicate, obj)
        quads.append(ox.Quad(*triple, graph))
        quads += _evidence_quads(triple, resolved, graph)
    return quads


def to_dataset(resolution: Resolution, documents: list[Document], ontology: Graph) -> Dataset:
    """The built knowledge graph as an rdflib Dataset (see to_quads)."""
    return dataset_from_quads(to_quads(resolution, documents, ontology))


def union_graph(dataset: Dataset) -> Graph:
    """Every triple of the dataset in one graph (what graph.ttl holds)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
