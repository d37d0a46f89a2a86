"""Tests for ontology/shapes.ttl: one case file per shape under tests/shapes/.

Each ``tests/shapes/<name>.ttl`` holds a small data graph plus its expected
validation results, written in a tiny test vocabulary (``tkgtest:``)::

    <#case> a tkgtest:Case ;
        tkgtest:expectConforms false ;
        tkgtest:expectResult [
            tkgtest:sourceShape tkgsh:PersonShape-signs ;   # required
            tkgtest:focusNode ex:p ;                         # required
            tkgtest:resultPath tkg:signs ;                   # absent: no sh:resultPath
            tkgtest:value ex:s ;                             # optional
            tkgtest:component sh:ClassConstraintComponent ;  # optional
            tkgtest:severity sh:Violation ] .                # required

The case triples are removed before validation; the rest is the data graph.
The report must hold exactly the expected results, each with a message that
is the source shape's sh:message.

Validation settings are the build's: ``ont_graph`` is the ontology, so
sh:class and sh:targetClass follow its rdfs:subClassOf (State ⊑ Place,
Agreement ⊑ Treaty, ...); ``inference="none"``, because RDFS inference would
type subjects and objects from rdfs:domain / rdfs:range and the subject/object
type checks could then never fail; ``allow_warnings=True``, so a graph with
only warnings conforms.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
from pyshacl.errors import ReportableRuntimeError
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

ROOT = Path(__file__).resolve().parents[1]
SHAPES_PATH = ROOT / "ontology" / "shapes.ttl"
ONTOLOGY_PATH = ROOT / "ontology" / "treatykg.ttl"
CASES_DIR = ROOT / "tests" / "shapes"
CASE_FILES = sorted(CASES_DIR.glob("*.ttl"))

TKGTEST = Namespace("https://w3id.org/treatykg/test#")

# A deliberately broken shapes graph: sh:minCount must be an integer and
# sh:path a well-formed path.
BROKEN_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:BadShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [ sh:path "not a path" ; sh:minCount "one" ] .
"""


@pytest.fixture(scope="module")
def shapes_graph() -> Graph:
    return Graph().parse(SHAPES_PATH, format="turtle")


@pytest.fixture(scope="module")
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


# ---------------------------------------------------------------- helpers


def _case_closure(g: Graph) -> set[Node]:
    """The case nodes and every blank node reachable from them."""
    todo = list(g.subjects(RDF.type, TKGTEST.Case))
    seen: set[Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo.extend(o for o in g.objects(node, None) if isinstance(o, BNode))
    return seen


def load_case(path: Path) -> tuple[Graph, Graph, Node]:
    """Split a case file into (data graph, case graph, case node)."""
    whole = Graph().parse(path, format="turtle")
    cases = list(whole.subjects(RDF.type, TKGTEST.Case))
    assert len(cases) == 1, f"{path.name}: expected one tkgtest:Case, found {len(cases)}"
    closure = _case_closure(whole)
    data, case = Graph(), Graph()
    for triple in whole:
        (case if triple[0] in closure else data).add(triple)
    return data, case, cases[0]


def path_repr(g: Graph, node: Node | None) -> str | None:
    """A SHACL property path as a comparable string (^p, (a|b), (a/b), p*)."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return node.n3()
    inverse = g.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + str(path_repr(g, inverse))
    alternative = g.value(node, SH.alternativePath)
    if alternative is not None:
        return "(" + "|".join(str(path_repr(g, m)) for m in Collection(g, alternative)) + ")"
    for suffix, prop in (("*", SH.zeroOrMorePath), ("+", SH.oneOrMorePath), ("?", SH.zeroOrOnePath)):
        inner = g.value(node, prop)
        if inner is not None:
            return str(path_repr(g, inner)) + suffix
    if g.value(node, RDF.first) is not None:
        return "(" + "/".join(str(path_repr(g, m)) for m in Collection(g, node)) + ")"
    raise AssertionError(f"unknown path form at {node!r}")


def expected_results(case: Graph, node: Node) -> list[dict[str, object]]:
    out = []
    for exp in case.objects(node, TKGTEST.expectResult):
        item: dict[str, object] = {
            "shape": case.value(exp, TKGTEST.sourceShape),
            "focus": case.value(exp, TKGTEST.focusNode),
            "path": path_repr(case, case.value(exp, TKGTEST.resultPath)),
            "severity": case.value(exp, TKGTEST.severity),
        }
        for key, prop in (("value", TKGTEST.value), ("component", TKGTEST.component)):
            value = case.value(exp, prop)
            if value is not None:
                item[key] = value
        assert item["shape"] and item["focus"] and item["severity"], f"incomplete expectation {item}"
        out.append(item)
    return out


def actual_results(report: Graph) -> list[dict[str, object]]:
    out = []
    for res in report.subjects(RDF.type, SH.ValidationResult):
        out.append(
            {
                "shape": report.value(res, SH.sourceShape),
                "focus": report.value(res, SH.focusNode),
                "path": path_repr(report, report.value(res, SH.resultPath)),
                "severity": report.value(res, SH.resultSeverity),
                "value": report.value(res, SH.value),
                "component": report.value(res, SH.sourceConstraintComponent),
                "messages": [str(m) for m in report.objects(res, SH.resultMessage)],
            }
        )
    return out


def declared_messages(shapes: Graph, shape: Node) -> list[str]:
    """sh:message of the shape and of its SPARQL constraints."""
    messages = [str(m) for m in shapes.objects(shape, SH.message)]
    for constraint in shapes.objects(shape, SH.sparql):
        messages += [str(m) for m in shapes.objects(constraint, SH.message)]
    return messages


def message_matches(template: str, message: str) -> bool:
    """A SPARQL message's {?var} / {$var} placeholders match any text."""
    parts = re.split(r"\{[?$]\w+\}", template)
    return re.fullmatch(".*".join(re.escape(p) for p in parts), message, re.DOTALL) is not None


def _matches(expected: dict[str, object], actual: dict[str, object]) -> bool:
    return all(actual.get(key) == value for key, value in expected.items())


def _fmt(results: list[dict[str, object]]) -> str:
    return (
        "\n".join("  " + ", ".join(f"{k}={v}" for k, v in r.items() if k != "messages") for r in results)
        or "  (none)"
    )


def named_shapes(shapes: Graph) -> tuple[set[URIRef], set[URIRef]]:
    """(node shapes, property shapes) that have an IRI."""
    node = {s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    prop = {s for s in shapes.subjects(RDF.type, SH.PropertyShape) if isinstance(s, URIRef)}
    prop |= {s for s in shapes.objects(None, SH.property) if isinstance(s, URIRef)}
    return node, prop


def shapes_named_by_cases() -> set[Node]:
    named: set[Node] = set()
    for path in CASE_FILES:
        _, case, node = load_case(path)
        for exp in case.objects(node, TKGTEST.expectResult):
            named.add(case.value(exp, TKGTEST.sourceShape))
    return named


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("case_path", [pytest.param(p, id=p.stem) for p in CASE_FILES])
def test_shapes_case_reports_exactly_expected(
    case_path: Path, shapes_graph: Graph, ontology_graph: Graph
) -> None:
    data, case, node = load_case(case_path)
    conforms, report, text = pyshacl.validate(
        data,
        shacl_graph=shapes_graph,
        ont_graph=ontology_graph,
        inference="none",
        allow_warnings=True,
    )
    expected = expected_results(case, node)
    actual = actual_results(report)
    detail = f"\nexpected:\n{_fmt(expected)}\nactual:\n{_fmt(actual)}\n\n{text}"

    assert len(actual) == len(expected), f"{case_path.name}: wrong number of results{detail}"
    unmatched = list(actual)
    for exp in expected:
        hits = [a for a in unmatched if _matches(exp, a)]
        assert hits, f"{case_path.name}: no result matches {exp}{detail}"
        hit = hits[0]
        unmatched.remove(hit)
        templates = declared_messages(shapes_graph, hit["shape"])
        assert hit["messages"], f"{case_path.name}: result has no sh:resultMessage{detail}"
        assert all(any(message_matches(t, m) for t in templates) for m in hit["messages"]), (
            f"{case_path.name}: message {hit['messages']} is not the shape's sh:message {templates}"
        )

    expect_conforms = case.value(node, TKGTEST.expectConforms)
    assert isinstance(expect_conforms, Literal), f"{case_path.name}: tkgtest:expectConforms missing"
    assert conforms is expect_conforms.toPython(), f"{case_path.name}: conforms={conforms}{detail}"


def test_shapes_valid_case_present() -> None:
    assert (CASES_DIR / "valid.ttl") in CASE_FILES


def test_shapes_every_node_shape_has_case(shapes_graph: Graph) -> None:
    node_shapes, _ = named_shapes(shapes_graph)
    named = shapes_named_by_cases()
    missing = sorted(
        str(s)
        for s in node_shapes
        if s not in named and not any(p in named for p in shapes_graph.objects(s, SH.property))
    )
    assert not missing, f"node shapes with no case file naming them or their property shapes: {missing}"


def test_shapes_every_property_shape_has_case(shapes_graph: Graph) -> None:
    _, property_shapes = named_shapes(shapes_graph)
    missing = sorted(str(s) for s in property_shapes - shapes_named_by_cases())
    assert not missing, f"property shapes with no case file naming them: {missing}"


def test_shapes_cases_name_existing_shapes(shapes_graph: Graph) -> None:
    node_shapes, property_shapes = named_shapes(shapes_graph)
    unknown = sorted(str(s) for s in shapes_named_by_cases() - node_shapes - property_shapes)
    assert not unknown, f"case files name shapes that shapes.ttl does not define: {unknown}"


def test_shapes_every_constraint_has_message(shapes_graph: Graph) -> None:
    node_shapes, property_shapes = named_shapes(shapes_graph)
    silent = []
    for shape in node_shapes | property_shapes:
        has_own_constraint = any(
            p.startswith(str(SH))
            and p
            not in {
                SH.property,
                SH.targetClass,
                SH.targetSubjectsOf,
                SH.targetObjectsOf,
                SH.targetNode,
                SH.path,
                SH.severity,
                SH.message,
                SH.name,
            }
            for p in shapes_graph.predicates(shape, None)
            if isinstance(p, URIRef)
        )
        if has_own_constraint and not declared_messages(shapes_graph, shape):
            silent.append(str(shape))
    assert not silent, f"shapes with constraints but no sh:message: {sorted(silent)}"


def test_shapes_pass_meta_shacl(shapes_graph: Graph) -> None:
    # meta_shacl=True validates the shapes graph against SHACL-SHACL first and
    # raises if it does not conform.
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes_graph, meta_shacl=True)
    assert conforms, text


def test_shapes_meta_shacl_rejects_broken_shapes() -> None:
    # Guard: the meta check above can fail.
    broken = Graph().parse(data=BROKEN_SHAPES, format="turtle")
    with pytest.raises(ReportableRuntimeError, match="MetaSHACL"):
        pyshacl.validate(Graph(), shacl_graph=broken, meta_shacl=True)


def test_shapes_rdfs_inference_would_hide_subject_errors(shapes_graph: Graph, ontology_graph: Graph) -> None:
    # Why the cases validate with inference="none": under RDFS inference the
    # domain of tkg:signs types any signer a Person, so the subject-type shapes
    # could never fire. If this ever fails, the choice can be revisited.
    data, _, _ = load_case(CASES_DIR / "SignsSubjectShape.ttl")
    conforms_none, _, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph, ont_graph=ontology_graph, inference="none"
    )
    conforms_rdfs, _, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph, ont_graph=ontology_graph, inference="rdfs"
    )
    assert (conforms_none, conforms_rdfs) == (False, True)


def test_shapes_string_literals_plain(shapes_graph: Graph) -> None:
    # Codes compared as plain strings: no typed or language-tagged sh:pattern,
    # and no sh:in (rdflib treats "x" and "x"^^xsd:string as different terms).
    for pattern in shapes_graph.objects(None, SH.pattern):
        assert isinstance(pattern, Literal) and pattern.datatype is None and pattern.language is None
    assert not list(shapes_graph.objects(None, SH["in"]))
