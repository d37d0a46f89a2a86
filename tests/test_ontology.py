"""Tests for ontology/treatykg.ttl and ontology/context.jsonld.

The ontology is read with rdflib; owlready2 reads RDF/XML and N-Triples but
not Turtle, so the tests hand it rdflib's N-Triples. HermiT runs through
owlready2 with ``ignore_unsupported_datatypes=True``: xsd:duration (the range
of tkg:duration) and the xsd:date / gYear / gYearMonth literals of any real
graph are outside the OWL 2 datatype map, which HermiT otherwise rejects. The
date properties have range rdfs:Literal for the same reason (see the header of
the ontology). The HermiT tests skip only when ``java`` is not installed.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import owlready2
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib import namespace as rdfns  # XSD via the module: see the note below
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

# rdfns.XSD, not a module-level XSD: pytest's collection probes module globals
# for mock attributes, and rdflib's XSD namespace warns on every probe.

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_PATH = ROOT / "ontology" / "treatykg.ttl"
CONTEXT_PATH = ROOT / "ontology" / "context.jsonld"
ONTOLOGY_IRI = URIRef("https://w3id.org/treatykg/ontology")

TKG = Namespace("https://w3id.org/treatykg/ontology#")
WD = Namespace("http://www.wikidata.org/entity/")

# The core profile of /work/shared/eval/GOLD-FORMAT.md: local name -> (kind, domain, range).
CORE_CLASSES = ["State", "Person", "Treaty", "Railway", "Port", "Organization", "Place"]
PLACE_OR_RAILWAY = "Place|Railway"
CORE_OBJECT_PROPERTIES = {
    "signs": ("Person", "Treaty"),
    "represents": ("Person", "State"),
    "isPartyTo": ("State", "Treaty"),
    "abrogates": ("Treaty", "Treaty"),
    "recognizes": ("State", "State"),
    "registers": ("State", "Treaty"),
    "terminates": ("State", "Treaty"),
    "concerns": ("Treaty", PLACE_OR_RAILWAY),
    "partOf": ("Treaty", "Treaty"),
    "signingPlace": ("Treaty", "Place"),
}
CORE_DATATYPE_PROPERTIES = {
    "signingDate": RDFS.Literal,
    "entryIntoForceDate": RDFS.Literal,
    "registrationDate": RDFS.Literal,
    "terminationDate": RDFS.Literal,
    "registrationNumber": rdfns.XSD.string,
    "duration": rdfns.XSD.duration,
    "officialLanguage": rdfns.XSD.string,
}
INSTRUMENT_KINDS = [
    "Agreement",
    "ExchangeOfNotes",
    "JointDeclaration",
    "Communique",
    "Convention",
    "Protocol",
]
DISJOINT = {"Person", "Treaty", "Place", "Organization", "Railway", "Document", "Evidence"}

# Wikidata ids marked "verified" in /work/shared/kb/wikidata-ids.csv that the
# ontology may point at. P7588 (effective date) is only "likely": excluded.
VERIFIED_WIKIDATA = {
    "P1891",
    "P710",
    "P585",
    "P276",
    "P407",
    "P4231",
    "P1365",
    "P361",
    "Q131569",
    "Q5",
    "Q728937",
    "Q44782",
    "Q515",
    "Q3624078",
}
EXPECTED_ALIGNMENT = {
    "signs": "P1891",
    "isPartyTo": "P710",
    "signingDate": "P585",
    "signingPlace": "P276",
    "officialLanguage": "P407",
    "registrationNumber": "P4231",
    "abrogates": "P1365",
    "partOf": "P361",
    "Treaty": "Q131569",
    "Person": "Q5",
    "Railway": "Q728937",
    "Port": "Q44782",
    "City": "Q515",
    "State": "Q3624078",
}

# Datatypes of the OWL 2 datatype map (https://www.w3.org/TR/owl2-syntax/#Datatype_Maps).
OWL2_DATATYPES = {RDFS.Literal, RDF.PlainLiteral, RDF.XMLLiteral, OWL.real, OWL.rational} | {
    rdfns.XSD[n]
    for n in (
        "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger "
        "long int short byte unsignedLong unsignedInt unsignedShort unsignedByte double float "
        "string normalizedString token language Name NCName NMTOKEN boolean hexBinary "
        "base64Binary anyURI dateTime dateTimeStamp"
    ).split()
}

needs_java = pytest.mark.skipif(
    shutil.which("java") is None,
    reason="HermiT needs a Java runtime and `java` is not on PATH",
)


@pytest.fixture(scope="module")
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


def _local(term: URIRef) -> str:
    return str(term).rsplit("#", 1)[-1]


def _class_expr(g: Graph, node: URIRef | BNode) -> str:
    """A class IRI as its local name, an owl:unionOf as 'A|B'."""
    union = g.value(node, OWL.unionOf)
    if union is not None:
        return "|".join(sorted(_local(m) for m in Collection(g, union)))
    return _local(node)


def _tkg_terms(g: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(s for s in g.subjects(RDF.type, kind) if str(s).startswith(str(TKG)))


def _world_with(graph: Graph) -> owlready2.World:
    """A fresh owlready2 World holding the graph (via N-Triples)."""
    world = owlready2.World()
    data = graph.serialize(format="nt", encoding="utf-8")
    world.get_ontology(str(ONTOLOGY_IRI)).load(fileobj=io.BytesIO(data), format="ntriples")
    return world


def _run_hermit(world: owlready2.World) -> None:
    owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)


# ---------------------------------------------------------------- structure


def test_ontology_parses_with_header(ontology_graph: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology_graph
    assert ontology_graph.value(ONTOLOGY_IRI, OWL.versionInfo) is not None


@pytest.mark.parametrize("name", CORE_CLASSES)
def test_ontology_core_class_declared(ontology_graph: Graph, name: str) -> None:
    term = TKG[name]
    assert (term, RDF.type, OWL.Class) in ontology_graph
    assert ontology_graph.value(term, RDFS.label) is not None
    assert ontology_graph.value(term, SKOS.definition) is not None


@pytest.mark.parametrize("name", sorted(CORE_OBJECT_PROPERTIES))
def test_ontology_core_object_property_declared(ontology_graph: Graph, name: str) -> None:
    term = TKG[name]
    domain, range_ = CORE_OBJECT_PROPERTIES[name]
    assert (term, RDF.type, OWL.ObjectProperty) in ontology_graph
    assert ontology_graph.value(term, RDFS.label) is not None
    assert ontology_graph.value(term, SKOS.definition) is not None
    assert [_class_expr(ontology_graph, d) for d in ontology_graph.objects(term, RDFS.domain)] == [domain]
    assert [_class_expr(ontology_graph, r) for r in ontology_graph.objects(term, RDFS.range)] == [range_]


@pytest.mark.parametrize("name", sorted(CORE_DATATYPE_PROPERTIES))
def test_ontology_core_datatype_property_declared(ontology_graph: Graph, name: str) -> None:
    term = TKG[name]
    assert (term, RDF.type, OWL.DatatypeProperty) in ontology_graph
    assert ontology_graph.value(term, RDFS.label) is not None
    assert ontology_graph.value(term, SKOS.definition) is not None
    assert list(ontology_graph.objects(term, RDFS.domain)) == [TKG.Treaty]
    assert list(ontology_graph.objects(term, RDFS.range)) == [CORE_DATATYPE_PROPERTIES[name]]


@pytest.mark.parametrize("name", ["signingDate", "entryIntoForceDate", "registrationDate", "terminationDate"])
def test_ontology_date_definition_names_datatypes(ontology_graph: Graph, name: str) -> None:
    definition = str(ontology_graph.value(TKG[name], SKOS.definition))
    for datatype in ("xsd:date", "xsd:gYearMonth", "xsd:gYear"):
        assert datatype in definition


def test_ontology_every_term_documented(ontology_graph: Graph) -> None:
    problems = []
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in _tkg_terms(ontology_graph, kind):
            labels = list(ontology_graph.objects(term, RDFS.label))
            if not any(isinstance(lb, Literal) and lb.language == "en" for lb in labels):
                problems.append(f"{_local(term)}: no rdfs:label@en")
            if ontology_graph.value(term, SKOS.definition) is None:
                problems.append(f"{_local(term)}: no skos:definition")
            if kind != OWL.Class:
                for prop in (RDFS.domain, RDFS.range):
                    if ontology_graph.value(term, prop) is None:
                        problems.append(f"{_local(term)}: no {prop.n3()}")
    assert not problems, problems


def test_ontology_term_names_exact(ontology_graph: Graph) -> None:
    classes = {_local(t) for t in _tkg_terms(ontology_graph, OWL.Class)}
    assert classes == set(CORE_CLASSES) | set(INSTRUMENT_KINDS) | {
        "City",
        "Document",
        "Evidence",
        "Extractor",
    }
    object_properties = {_local(t) for t in _tkg_terms(ontology_graph, OWL.ObjectProperty)}
    assert object_properties == set(CORE_OBJECT_PROPERTIES)
    datatype_properties = {_local(t) for t in _tkg_terms(ontology_graph, OWL.DatatypeProperty)}
    assert datatype_properties == set(CORE_DATATYPE_PROPERTIES) | {
        "charStart",
        "charEnd",
        "quote",
        "modality",
        "docId",
        "documentKind",
        "linkConfidence",
        "linkReason",
    }


@pytest.mark.parametrize(
    ("child", "parent"),
    [(TKG[k], TKG.Treaty) for k in INSTRUMENT_KINDS]
    + [(TKG.State, TKG.Place), (TKG.City, TKG.Place), (TKG.Port, TKG.Place)]
    + [(TKG.Document, PROV.Entity), (TKG.Evidence, PROV.Entity), (TKG.Extractor, PROV.SoftwareAgent)],
)
def test_ontology_subclass_declared(ontology_graph: Graph, child: URIRef, parent: URIRef) -> None:
    assert (child, RDFS.subClassOf, parent) in ontology_graph


def test_ontology_quote_is_prov_value(ontology_graph: Graph) -> None:
    assert (TKG.quote, RDFS.subPropertyOf, PROV.value) in ontology_graph


def test_ontology_root_classes_pairwise_disjoint(ontology_graph: Graph) -> None:
    member_sets = [
        {_local(m) for m in Collection(ontology_graph, ontology_graph.value(axiom, OWL.members))}
        for axiom in ontology_graph.subjects(RDF.type, OWL.AllDisjointClasses)
    ]
    assert DISJOINT in member_sets


def test_ontology_wikidata_alignment_verified_only(ontology_graph: Graph) -> None:
    used = {
        (_local(s), str(o)[len(str(WD)) :])
        for p in (SKOS.closeMatch, SKOS.relatedMatch)
        for s, o in ontology_graph.subject_objects(p)
        if str(o).startswith(str(WD))
    }
    assert {wid for _, wid in used} <= VERIFIED_WIKIDATA
    assert used == set(EXPECTED_ALIGNMENT.items())


def test_ontology_signs_comment_says_inverse(ontology_graph: Graph) -> None:
    comment = str(ontology_graph.value(TKG.signs, RDFS.comment))
    assert "P1891" in comment and "inverse" in comment


def test_ontology_only_duration_outside_owl2_datatype_map(ontology_graph: Graph) -> None:
    # Why HermiT runs with ignore_unsupported_datatypes=True: xsd:duration is
    # the one range outside the OWL 2 map; dates use rdfs:Literal instead.
    ranges = {
        r
        for p in _tkg_terms(ontology_graph, OWL.DatatypeProperty)
        for r in ontology_graph.objects(p, RDFS.range)
    }
    assert ranges - OWL2_DATATYPES == {rdfns.XSD.duration}


# ---------------------------------------------------------------- owlready2 and HermiT


def test_ontology_owlready2_loads(ontology_graph: Graph) -> None:
    world = _world_with(ontology_graph)
    onto = world.get_ontology(str(ONTOLOGY_IRI))
    for name in CORE_CLASSES:
        assert isinstance(onto[name], owlready2.ThingClass), name
    for name, (domain, _) in CORE_OBJECT_PROPERTIES.items():
        prop = onto[name]
        assert isinstance(prop, owlready2.ObjectPropertyClass), name
        assert prop.domain == [onto[domain]], name
    for name in CORE_DATATYPE_PROPERTIES:
        assert isinstance(onto[name], owlready2.DataPropertyClass), name
    assert onto.State in onto.Place.subclasses()


@needs_java
def test_ontology_hermit_consistent(ontology_graph: Graph) -> None:
    world = _world_with(ontology_graph)
    _run_hermit(world)
    assert list(world.inconsistent_classes()) == []


VALID_ABOX = """
@prefix tkg: <https://w3id.org/treatykg/ontology#> .
@prefix ex:  <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:t a tkg:Agreement ;
    tkg:signingDate "1950-02-14"^^xsd:date ;
    tkg:registrationDate "1956-01"^^xsd:gYearMonth ;
    tkg:terminationDate "1980"^^xsd:gYear ;
    tkg:duration "P30Y"^^xsd:duration ;
    tkg:registrationNumber "3103" ;
    tkg:signingPlace ex:moscow ;
    tkg:concerns ex:ccr .
ex:moscow a tkg:City .
ex:ccr a tkg:Railway .
ex:ussr a tkg:State ; tkg:isPartyTo ex:t ; tkg:recognizes ex:mpr .
ex:mpr a tkg:State .
ex:p a tkg:Person ; tkg:signs ex:t ; tkg:represents ex:ussr .
"""


@needs_java
def test_ontology_hermit_consistent_with_individuals(ontology_graph: Graph) -> None:
    graph = Graph() + ontology_graph
    graph.parse(data=VALID_ABOX, format="turtle")
    world = _world_with(graph)
    _run_hermit(world)
    assert list(world.inconsistent_classes()) == []


INCONSISTENT_ABOXES = {
    # Typed both Person and Treaty, two disjoint classes.
    "person-and-treaty": "ex:x a tkg:Person, tkg:Treaty .",
    # A State is a Place, and Place is disjoint from Treaty.
    "state-and-treaty": "ex:x a tkg:State, tkg:Agreement .",
    # The range of signs makes ex:y a Treaty, but it is a Person.
    "range-clash": "ex:x tkg:signs ex:y . ex:y a tkg:Person .",
    # The domain of charStart makes ex:d an Evidence, but it is a Document.
    "evidence-and-document": 'ex:d a tkg:Document ; tkg:charStart "3"^^xsd:nonNegativeInteger .',
}


@needs_java
@pytest.mark.parametrize("abox", INCONSISTENT_ABOXES.values(), ids=INCONSISTENT_ABOXES.keys())
def test_ontology_hermit_detects_inconsistency(ontology_graph: Graph, abox: str) -> None:
    graph = Graph() + ontology_graph
    graph.parse(
        data="@prefix tkg: <https://w3id.org/treatykg/ontology#> . @prefix ex: <http://example.org/> . "
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . " + abox,
        format="turtle",
    )
    world = _world_with(graph)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _run_hermit(world)


# ---------------------------------------------------------------- JSON-LD context


@pytest.fixture(scope="module")
def context() -> dict[str, object]:
    return json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))["@context"]


def _expand(context: dict[str, object], term: str) -> str:
    definition = context[term]
    iri = definition if isinstance(definition, str) else definition["@id"]  # type: ignore[index]
    prefix, _, local = str(iri).partition(":")
    return str(context[prefix]) + local


def test_context_standalone(context: dict[str, object]) -> None:
    # No remote contexts: the file is used offline.
    assert isinstance(context, dict)
    assert "@import" not in context
    for key in ("tkg", "rdf", "rdfs", "owl", "xsd", "skos", "prov", "dcterms", "wd", "id"):
        assert key in context, key
    assert context["wd"] == "http://www.wikidata.org/entity/"
    assert context["id"] == "https://w3id.org/treatykg/id/"


def test_context_maps_every_ontology_property(context: dict[str, object], ontology_graph: Graph) -> None:
    object_properties = _tkg_terms(ontology_graph, OWL.ObjectProperty)
    datatype_properties = _tkg_terms(ontology_graph, OWL.DatatypeProperty)
    for prop in object_properties + datatype_properties:
        name = _local(prop)
        assert name in context, name
        assert _expand(context, name) == str(prop), name
    for prop in object_properties:
        assert context[_local(prop)]["@type"] == "@id", _local(prop)  # type: ignore[index]
    for name in (
        "signingDate",
        "entryIntoForceDate",
        "registrationDate",
        "terminationDate",
        "registrationNumber",
        "officialLanguage",
    ):
        assert "@type" not in context[name], name  # type: ignore[operator]
    assert context["duration"]["@type"] == "xsd:duration"  # type: ignore[index]
    assert _expand(context, "label") == str(RDFS.label)
    assert _expand(context, "prefLabel") == str(SKOS.prefLabel)
    assert _expand(context, "altLabel") == str(SKOS.altLabel)
    assert _expand(context, "sameAs") == str(OWL.sameAs)
    assert context["sameAs"]["@type"] == "@id"  # type: ignore[index]


JSONLD_DOC = {
    "@graph": [
        {
            "@id": "id:t1950",
            "@type": "Treaty",
            "label": {"@value": "Treaty of Friendship, Alliance and Mutual Assistance", "@language": "en"},
            "signingDate": {"@value": "1950-02-14", "@type": "xsd:date"},
            "registrationDate": {"@value": "1956-01", "@type": "xsd:gYearMonth"},
            "terminationDate": {"@value": "1980", "@type": "xsd:gYear"},
            "registrationNumber": "3103",
            "officialLanguage": ["ru", "zh"],
            "duration": "P30Y",
            "signingPlace": "id:moscow",
            "sameAs": "wd:Q131569",
        },
        {"@id": "id:ussr", "@type": "State", "isPartyTo": "id:t1950", "prefLabel": "USSR"},
        {"@id": "id:p", "@type": "Person", "signs": "id:t1950", "represents": "id:ussr"},
        {
            "@id": "id:ev1",
            "@type": "Evidence",
            "subject": "id:ussr",
            "predicate": "tkg:isPartyTo",
            "object": {"@id": "id:t1950"},
            "charStart": 10,
            "charEnd": 17,
            "quote": "the USSR",
            "wasDerivedFrom": "id:doc",
        },
    ]
}


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_context_parses_with_rdflib(tmp_path: Path) -> None:
    doc = dict(JSONLD_DOC, **{"@context": CONTEXT_PATH.resolve().as_uri()})
    path = tmp_path / "doc.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    graph = Graph().parse(path, format="json-ld")

    ids = Namespace("https://w3id.org/treatykg/id/")  # the context's "id" prefix
    t = ids.t1950
    assert (t, RDF.type, TKG.Treaty) in graph
    assert (t, TKG.signingDate, Literal("1950-02-14", datatype=rdfns.XSD.date)) in graph
    assert (t, TKG.registrationDate, Literal("1956-01", datatype=rdfns.XSD.gYearMonth)) in graph
    assert (t, TKG.terminationDate, Literal("1980", datatype=rdfns.XSD.gYear)) in graph
    assert (t, TKG.registrationNumber, Literal("3103")) in graph
    assert set(graph.objects(t, TKG.officialLanguage)) == {Literal("ru"), Literal("zh")}
    assert (t, TKG.duration, Literal("P30Y", datatype=rdfns.XSD.duration)) in graph
    assert (t, TKG.signingPlace, ids.moscow) in graph
    assert (t, OWL.sameAs, WD.Q131569) in graph
    assert (ids.ussr, TKG.isPartyTo, t) in graph
    assert (ids.p, TKG.signs, t) in graph
    assert (ids.p, TKG.represents, ids.ussr) in graph
    assert (ids.ev1, RDF.predicate, TKG.isPartyTo) in graph
    assert (ids.ev1, TKG.charStart, Literal("10", datatype=rdfns.XSD.integer)) in graph
    assert (ids.ev1, PROV.wasDerivedFrom, ids.doc) in graph


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_context_round_trips_graph(tmp_path: Path, context: dict[str, object]) -> None:
    # graph -> JSON-LD compacted with the context -> graph is isomorphic.
    source = Graph().parse(data=json.dumps(dict(JSONLD_DOC, **{"@context": context})), format="json-ld")
    text = source.serialize(format="json-ld", context=context)
    again = Graph().parse(data=text, format="json-ld")
    assert isomorphic(source, again)
    assert len(source) > 20
