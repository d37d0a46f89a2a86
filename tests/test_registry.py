"""The extractor registry: the protocol every extractor keeps, and its contents pinned by a golden file.

tests/golden/registry.json maps each registered name, in pipeline order, to the core-profile
predicates its extractor produces; `pytest --update-golden` rewrites it, so a rename or a new
output is a reviewed diff.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SH

from treatykg.annotate import AnnotatedDocument
from treatykg.extractors import ALL_EXTRACTORS, REGISTRY, Extractor, get_extractor, registry_name
from treatykg.facts import CORE_PREDICATES
from treatykg.namespace import TKG

ROOT = Path(__file__).resolve().parents[1]
GOLDEN_REGISTRY = ROOT / "tests" / "golden" / "registry.json"
ANNOTATION_LAYERS = frozenset(f.name for f in dataclasses.fields(AnnotatedDocument))
EXTRACTORS = [pytest.param(e, id=registry_name(e)) for e in ALL_EXTRACTORS]


def _registry_contents() -> dict[str, list[str]]:
    return {name: sorted(extractor.produces) for name, extractor in REGISTRY.items()}


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_registry_extractor_satisfies_protocol(extractor: Extractor) -> None:
    assert isinstance(extractor, Extractor)
    assert isinstance(extractor.name, str) and re.fullmatch(r"[a-z]+(?:\.[a-z_]+)+", extractor.name)
    assert isinstance(extractor.version, int) and extractor.version >= 1
    assert isinstance(extractor.produces, frozenset) and extractor.produces
    assert isinstance(extractor.requires, frozenset)
    assert callable(extractor.extract)


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_registry_produces_core_profile(extractor: Extractor) -> None:
    assert extractor.produces <= CORE_PREDICATES


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_registry_requires_annotation_layers(extractor: Extractor) -> None:
    assert extractor.requires <= ANNOTATION_LAYERS


@pytest.fixture(scope="module")
def ontology_and_shapes() -> tuple[Graph, Graph]:
    return (
        Graph().parse(ROOT / "ontology" / "treatykg.ttl", format="turtle"),
        Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle"),
    )


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_registry_produces_declared_and_shaped(
    extractor: Extractor, ontology_and_shapes: tuple[Graph, Graph]
) -> None:
    ontology, shapes = ontology_and_shapes
    shaped = {o for o in shapes.objects(None, SH.path) if isinstance(o, URIRef)}
    shaped |= set(shapes.objects(None, SH.targetSubjectsOf))
    for name in sorted(extractor.produces):
        term = TKG[name]
        assert set(ontology.objects(term, RDF.type)) & {OWL.ObjectProperty, OWL.DatatypeProperty}, term
        assert term in shaped, f"no SHACL shape checks {term}"


@pytest.mark.parametrize("registry", [pytest.param(REGISTRY, id="registry")])
def test_registry_names_unique_and_versioned(registry: dict[str, Extractor]) -> None:
    names = [registry_name(e) for e in ALL_EXTRACTORS]
    assert len(names) == len(set(names))
    assert list(registry) == names
    assert all(re.fullmatch(r"[a-z_.]+\.v[0-9]+", name) for name in names)
    assert all(registry[registry_name(e)] is e for e in ALL_EXTRACTORS)


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in REGISTRY])
def test_get_extractor_known_name(name: str) -> None:
    assert registry_name(get_extractor(name)) == name


@pytest.mark.parametrize(
    "name",
    [pytest.param("treaty.nonsense.v1", id="unknown"), pytest.param("treaty.signing", id="unversioned")],
)
def test_get_extractor_unknown_name_lists_known(name: str) -> None:
    with pytest.raises(KeyError) as raised:
        get_extractor(name)
    message = str(raised.value)
    assert name in message
    assert all(known in message for known in REGISTRY)


@pytest.mark.parametrize("golden", [pytest.param(GOLDEN_REGISTRY, id="registry.json")])
def test_registry_matches_golden(golden: Path, update_golden: bool) -> None:
    actual = _registry_contents()
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(actual, indent=2) + "\n", encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing; run pytest --update-golden"
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert list(actual.items()) == list(expected.items())
