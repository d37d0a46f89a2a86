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

The graph is made as N-Triples text (triples without their final " ."): the default graph's
(`default_graph`) and each document's (`document_graph`), which the build sorts into files, in
chunks of documents (treatykg.graphfiles), for the store and the writers: no term object is made
for a million triples. `BuildResult` gives the same graph as pyoxigraph quads and as rdflib
objects for the library API.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV

from .document import Document
from .facts import Value
from .namespace import ID, TKG, WD
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


# N-Triples escapes, as Oxigraph writes them (so lines made here equal its own serialisation)
_ESCAPES = {**{c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F)},
            0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}


def literal(lexical: str, datatype: str | None = None) -> str:
    """A literal in N-Triples (xsd:string, the default, is written plain, as Oxigraph writes it)."""
    text = f'"{lexical.translate(_ESCAPES)}"'
    return f"{text}^^<{datatype}>" if datatype and datatype != _XSD_STRING else text


def _value(value: Value) -> str:
    datatype = _DATATYPES[value.datatype]
    return literal(value.lexical, str(datatype) if datatype else None)


def _iri(iri: str) -> str:
    return f"<{iri}>"


_XSD_STRING = str(XSD.string)
_TYPE, _LABEL, _PREF, _ALT, _SAME = map(_iri, (RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel, OWL.sameAs))
_SUBJECT, _PREDICATE, _OBJECT = map(_iri, (RDF.subject, RDF.predicate, RDF.object))
_DERIVED, _ATTRIBUTED = _iri(PROV.wasDerivedFrom), _iri(PROV.wasAttributedTo)
_DECIMAL, _INTEGER, _DATE = str(XSD.decimal), str(XSD.integer), str(XSD.date)


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


def _entity_triples(iri: str, entity: Entity) -> list[str]:
    label = literal(entity.label)
    triples = [f"{iri} {_TYPE} {_iri(TKG[entity.kind])}", f"{iri} {_LABEL} {label}", f"{iri} {_PREF} {label}"]
    triples += [f"{iri} {_ALT} {literal(alt)}" for alt in entity.alt_labels]
    if entity.qid:
        # the plain decimal form ("1", "0.9"), the one Oxigraph's store gives back
        confidence = literal(f"{Decimal(str(entity.link_confidence or 1)).normalize():f}", _DECIMAL)
        triples += [f"{iri} {_SAME} {_iri(WD[entity.qid])}", f"{iri} {_iri(TKG.linkConfidence)} {confidence}",
                    f"{iri} {_iri(TKG.linkReason)} {literal(entity.link_reason or '')}"]
    return triples


def _document_triples(document: Document) -> list[str]:
    iri = _iri(mint("doc", document.doc_id))
    triples = [f"{iri} {_TYPE} {_iri(TKG.Document)}", f"{iri} {_iri(TKG.docId)} {literal(document.doc_id)}",
               f"{iri} {_LABEL} {literal(document.title or document.doc_id)}"]
    if document.title:
        triples.append(f"{iri} {_iri(DCTERMS.title)} {literal(document.title)}")
    if document.kind:
        triples.append(f"{iri} {_iri(TKG.documentKind)} {literal(document.kind)}")
    triples += [f"{iri} {_iri(DCTERMS.language)} {literal(language)}" for language in document.languages]
    if document.published:
        triples.append(f"{iri} {_iri(DCTERMS.issued)} {literal(document.published, _DATE)}")
    return triples


def _evidence_triples(fact: FactTerms) -> list[str]:
    subject, predicate, obj, value, doc_id, start, end, extractor, quote, modality = fact
    key = (subject[1:-1], predicate[1:-1], value, doc_id, start, end, extractor)
    node = _iri(mint("evidence", "|".join(key)))
    return [f"{node} {_TYPE} {_EVIDENCE}", f"{node} {_SUBJECT} {subject}", f"{node} {_PREDICATE} {predicate}",
            f"{node} {_OBJECT} {obj}", f"{node} {_DERIVED} {_iri(mint('doc', doc_id))}",
            f"{node} {_ATTRIBUTED} {_iri(mint('extractor', extractor))}",
            f"{node} {_CHAR_START} {literal(start, _INTEGER)}",
            f"{node} {_CHAR_END} {literal(end, _INTEGER)}",
            f"{node} {_QUOTE} {literal(quote)}", f"{node} {_MODALITY} {literal(modality)}"]


_EVIDENCE, _CHAR_START, _CHAR_END = _iri(TKG.Evidence), _iri(TKG.charStart), _iri(TKG.charEnd)
_QUOTE, _MODALITY = _iri(TKG.quote), _iri(TKG.modality)


def ontology_axioms(ontology: Graph) -> list[str]:
    """The class hierarchy, carried in every built graph so that it reads on its own."""
    return [f"{_iri(s)} {_iri(p)} {_iri(o)}"
            for s, p, o in ontology.triples((None, RDFS.subClassOf, None)) if isinstance(o, URIRef)]


def entity_terms(resolution: Resolution) -> dict[str, str]:
    """Each entity key's IRI in N-Triples ("<…>")."""
    return {key: _iri(iri) for key, iri in entity_iris(resolution).items()}


def default_graph(resolution: Resolution, documents: Iterable[Document], ontology: Graph,
                  terms: dict[str, str]) -> list[str]:
    """The default graph's triples: the class hierarchy, the entities, the documents and the extractors."""
    triples = ontology_axioms(ontology)
    for key, entity in resolution.entities.items():
        triples += _entity_triples(terms[key], entity)
    for document in documents:
        triples += _document_triples(document)
    for name in sorted({f.fact.extractor for f in resolution.facts}):
        extractor = _iri(mint("extractor", name))
        triples += [f"{extractor} {_TYPE} {_iri(TKG.Extractor)}", f"{extractor} {_LABEL} {literal(name)}"]
    return triples


def graph_name(doc_id: str) -> str:
    """The N-Triples IRI of a document's named graph."""
    return _iri(mint("graph", doc_id))


@dataclass(frozen=True, slots=True)
class DocumentGraph:
    """A document's named graph: the triples it states and their evidence records' triples."""

    name: str
    stated: list[str]
    evidence: list[str]


# What a document's named graph reads of one resolved fact: the subject, predicate and object in
# N-Triples, the object's value (its IRI, or a literal's lexical form), and the fact's document,
# offsets, extractor, quote and modality. A document's graph is made from these alone, so they
# are all a cache of made graphs needs to compare (treatykg.assemble).
FactTerms = tuple[str, str, str, str, str, str, str, str, str, str]


def fact_terms(resolved: ResolvedFact, terms: dict[str, str]) -> FactTerms:
    """What the named graph reads of a resolved fact (see FactTerms)."""
    fact = resolved.fact
    if isinstance(resolved.object, str):
        obj = terms[resolved.object]
        value = obj[1:-1]
    else:
        obj, value = _value(resolved.object), resolved.object.lexical
    return (terms[resolved.subject], _iri(TKG[resolved.predicate]), obj, value, fact.doc_id,
            str(fact.char_start), str(fact.char_end), fact.extractor, fact.evidence, fact.modality)


def document_graph(doc_id: str, facts: Iterable[FactTerms]) -> DocumentGraph:
    """The named graph of a document, from what it reads of the resolved facts the document states."""
    stated, evidence = [], []
    for fact in facts:
        stated.append(" ".join(fact[:3]))
        evidence += _evidence_triples(fact)
    return DocumentGraph(graph_name(doc_id), stated, evidence)
