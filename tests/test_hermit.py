"""The ontology plus the graph built from the seeds is consistent for HermiT.

As in tests/test_ontology.py, owlready2 gets rdflib's N-Triples (it does not read Turtle) and
HermiT runs with ``ignore_unsupported_datatypes=True`` (xsd:date, gYear and duration literals
are outside the OWL 2 datatype map). The tests skip only when ``java`` is not installed.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import owlready2
import pytest
from rdflib import RDF, Graph, URIRef

from treatykg import BuildResult

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_PATH = ROOT / "ontology" / "treatykg.ttl"
ONTOLOGY_IRI = "https://w3id.org/treatykg/ontology"
TKG = "https://w3id.org/treatykg/ontology#"

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs `java` on PATH")


def _hermit(graph: Graph) -> owlready2.World:
    world = owlready2.World()
    data = graph.serialize(format="nt", encoding="utf-8")
    world.get_ontology(ONTOLOGY_IRI).load(fileobj=io.BytesIO(data), format="ntriples")
    owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)
    return world


@pytest.fixture(scope="module")
def ontology_and_seeds(seed_build: BuildResult) -> Graph:
    graph = Graph().parse(ONTOLOGY_PATH, format="turtle")
    for triple in seed_build.graph:
        graph.add(triple)
    return graph


@needs_java
@pytest.mark.parametrize("corpus", [pytest.param("seeds", id="seeds")])
def test_hermit_seed_graph_consistent(ontology_and_seeds: Graph, corpus: str) -> None:
    world = _hermit(ontology_and_seeds)
    assert list(world.inconsistent_classes()) == []


@needs_java
@pytest.mark.parametrize(
    "clash",
    [pytest.param((URIRef(TKG + "Person"), URIRef(TKG + "Treaty")), id="person-typed-treaty")],
)
def test_hermit_seed_graph_with_clash_inconsistent(
    ontology_and_seeds: Graph, clash: tuple[URIRef, URIRef]
) -> None:
    """The check above can fail: one person of the seed graph typed a treaty too makes it inconsistent."""
    graph = Graph() + ontology_and_seeds
    person = next(graph.subjects(RDF.type, clash[0]))
    graph.add((person, RDF.type, clash[1]))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _hermit(graph)
