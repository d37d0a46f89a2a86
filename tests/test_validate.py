"""treatykg.validate.validate_quads checks a build in parts (each document's evidence records on
their own, cached; the rest whole) and must report exactly what one pySHACL pass over the whole
graph reports."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, BNode, Graph, Literal, Namespace
from rdflib.namespace import SH

from treatykg import build_graph
from treatykg.oxrdf import DEFAULT, graph_from_triples, quads_from_rdflib
from treatykg.validate import (
    ENGINES,
    evidence_and_rest,
    merge_reports,
    rest_part_reports,
    rest_parts,
    rest_report,
    validate,
    validate_quads,
)

ROOT = Path(__file__).resolve().parents[1]
SHAPE_CASES = sorted((ROOT / "tests" / "shapes").glob("*.ttl"))
TKG = "https://w3id.org/treatykg/ontology#"
ID = "https://w3id.org/treatykg/id/"
TKGTEST = Namespace("https://w3id.org/treatykg/test#")


def _results(report: Graph) -> set[tuple[str, ...]]:
    keys = (SH.focusNode, SH.resultPath, SH.value, SH.sourceShape, SH.sourceConstraintComponent,
            SH.resultSeverity, SH.resultMessage)
    return {tuple(_term(report.value(node, k)) for k in keys) for node in report.subjects(RDF.type, SH.ValidationResult)}


def _term(term: object) -> str:
    if isinstance(term, BNode):  # a complex sh:resultPath, named differently in each report
        return "[path]"
    if isinstance(term, Literal) and isinstance(term.toPython(), (int, float, Decimal)):
        return f"{float(term.toPython())}^^{term.datatype}"  # the store writes 10.0 as 10: one value
    return str(term)


def _same_as_one_pass(quads: list[ox.Quad]) -> None:
    """Both engines, in parts, report what one pySHACL pass over the whole graph reports."""
    whole = validate(graph_from_triples(quads))
    for engine in ENGINES:
        parts = validate_quads(quads, engine=engine)
        assert parts.conforms == whole.conforms, engine
        assert _results(parts.report_graph) == _results(whole.report_graph), engine
        assert parts.report_text.count("\n\tFocus Node: ") == whole.report_text.count("\n\tFocus Node: "), engine


@pytest.mark.parametrize("corpus", ["seeds", "dev"])
def test_parts_report_what_one_pass_reports_on_real_graphs(corpus: str) -> None:
    _same_as_one_pass(list(build_graph([ROOT / "data" / corpus], run_validation=False, jobs=1).quads))


def _broken(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The graph with known violations: an evidence record with its quote removed and its offsets
    reversed, and a treaty whose entry into force precedes its signing, stated in two documents."""
    evidence = next(q.subject for q in quads if q.predicate.value.endswith("#type") and q.object.value == TKG + "Evidence")
    broken = [q for q in quads if not (q.subject == evidence and q.predicate.value in (TKG + "quote", TKG + "charStart"))]
    graph = next(q.graph_name for q in quads if q.subject == evidence)
    broken.append(ox.Quad(evidence, ox.NamedNode(TKG + "charStart"),
                          ox.Literal("999999", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), graph))
    treaty = ox.NamedNode("https://w3id.org/treatykg/id/treaty/test-treaty")
    date = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    broken += [ox.Quad(treaty, ox.NamedNode(str(RDF.type)), ox.NamedNode(TKG + "Treaty"), DEFAULT),
               ox.Quad(treaty, ox.NamedNode(TKG + "signingDate"), ox.Literal("1950-02-14", datatype=date),
                       ox.NamedNode("https://w3id.org/treatykg/id/graph/a")),
               ox.Quad(treaty, ox.NamedNode(TKG + "entryIntoForceDate"), ox.Literal("1949-01-01", datatype=date),
                       ox.NamedNode("https://w3id.org/treatykg/id/graph/b"))]
    return broken


def test_parts_on_two_processes_report_what_one_process_reports() -> None:
    quads = _broken(list(build_graph([ROOT / "data" / "seeds"], run_validation=False, jobs=1).quads))
    one, two = validate_quads(quads, jobs=1), validate_quads(quads, jobs=2)
    assert not two.conforms
    assert two.report_text == one.report_text
    assert _results(two.report_graph) == _results(one.report_graph)


def test_the_report_turtle_is_the_same_bytes_however_the_graph_was_checked() -> None:
    """The engines name blank nodes at random; the report names them by content, so that a rebuild
    and a clean build, or two clean builds, write the same shacl-report.ttl."""
    quads = _broken(list(build_graph([ROOT / "data" / "seeds"], run_validation=False, jobs=1).quads))
    one = validate_quads(quads, jobs=1)
    assert not one.conforms and b"sh:resultPath _:b" in one.report_turtle()  # a complex path is named
    for engine in ENGINES:
        assert validate_quads(quads, jobs=2, engine=engine).report_turtle() == one.report_turtle(), engine
    assert len(one.report_graph) == len(Graph().parse(data=one.report_turtle(), format="turtle"))


def test_a_reported_value_holding_other_line_breaks_is_kept_whole_and_written_alike_by_both_engines() -> None:
    """Text from PDFs holds form feeds, and any text may hold U+2028 or U+0085, which str.splitlines
    also splits at: a report's N-Triples are cut at newlines only."""
    value = "12\x0c34\u2028x\x85"
    treaty, state = ox.NamedNode(f"{ID}treaty/t"), ox.NamedNode(f"{ID}state/s")
    quads = [ox.Quad(treaty, ox.NamedNode(str(RDF.type)), ox.NamedNode(TKG + "Treaty"), DEFAULT),
             ox.Quad(state, ox.NamedNode(str(RDF.type)), ox.NamedNode(TKG + "State"), DEFAULT),
             ox.Quad(state, ox.NamedNode(TKG + "isPartyTo"), treaty, DEFAULT),
             ox.Quad(treaty, ox.NamedNode(TKG + "registrationNumber"), ox.Literal(value), DEFAULT)]
    reports = {engine: validate_quads(quads, engine=engine) for engine in ENGINES}
    assert len({report.report_turtle() for report in reports.values()}) == 1
    report = Graph().parse(data=reports["turbo"].report_turtle(), format="turtle")
    assert {str(v) for v in report.objects(None, SH.value)} == {value}


def test_parts_report_seeded_violations_exactly() -> None:
    quads = _broken(list(build_graph([ROOT / "data" / "seeds"], run_validation=False, jobs=1).quads))
    parts = validate_quads(quads)
    assert not parts.conforms
    shapes = {r[3].rsplit("#", 1)[1] for r in _results(parts.report_graph) if r[5].endswith("Violation")}
    assert {"EvidenceShape-quote", "EvidenceShape-charStart", "EntryIntoForceShape"} <= shapes
    _same_as_one_pass(quads)


@pytest.mark.parametrize("case", SHAPE_CASES, ids=lambda p: p.stem)
def test_parts_report_what_one_pass_reports_on_every_shape_case(case: Path) -> None:
    data = Graph().parse(case, format="turtle")
    for node in list(data.subjects(RDF.type, TKGTEST.Case)):
        for result in list(data.objects(node, TKGTEST.expectResult)):
            data.remove((result, None, None))
        data.remove((node, None, None))
    _same_as_one_pass(quads_from_rdflib(data))


class _MemoryCache:
    def __init__(self) -> None:
        self.values: dict[str, object] = {}
        self.kept: set[str] = set()

    def get(self, key: str) -> object | None:
        return self.values.get(key)

    def put(self, key: str, value: object) -> None:
        self.values[key] = value

    def keep(self, key: str) -> None:
        self.kept.add(key)


@pytest.mark.parametrize("jobs", [1, 2])
def test_cached_parts_give_the_same_report(jobs: int) -> None:
    """Workers only read the cache: what they made is put, and what they found kept, in this process."""
    quads = list(build_graph([ROOT / "data" / "dev"], run_validation=False, jobs=1).quads)
    cache = _MemoryCache()
    first = validate_quads(quads, cache=cache, jobs=jobs)
    assert cache.values and not cache.kept
    second = validate_quads(quads, cache=cache, jobs=jobs)
    assert cache.kept == set(cache.values)
    assert second.report_text == first.report_text
    assert _results(second.report_graph) == _results(first.report_graph)


@pytest.mark.parametrize("corpus", ["seeds", "dev"])
def test_the_rest_checked_in_parts_reports_what_it_reports_whole(corpus: str) -> None:
    """A rebuild checks again only the parts of the rest of the graph whose triples changed; any
    parts checked together or apart give the whole's report, byte for byte (a result's path, a
    blank node, is shared by the results of one run, by few or many)."""
    quads = _broken(list(build_graph([ROOT / "data" / corpus], run_validation=False, jobs=1).quads))
    _, rest = evidence_and_rest(quads)
    whole = merge_reports([rest_report(rest)])
    parts = rest_parts(rest)
    assert parts is not None and len(parts) > 50
    indices = sorted(parts)
    together = rest_part_reports(parts)
    apart = {**rest_part_reports({i: parts[i] for i in indices[::2]}),
             **rest_part_reports({i: parts[i] for i in indices[1::2]})}
    for reports in (together, apart):
        merged = merge_reports([reports[i] for i in indices])
        assert merged.report_text == whole.report_text
        assert merged.report_turtle() == whole.report_turtle()
    assert not whole.conforms and "EntryIntoForceShape" in whole.report_text
    assert whole.report_text.count("TreatyShape-party") > 1  # results sharing a path, a blank node


def test_a_rest_holding_a_blank_node_is_not_cut_into_parts() -> None:
    rest = [b'<https://w3id.org/treatykg/id/treaty/t> <http://www.w3.org/2000/01/rdf-schema#label> "T"',
            b"_:b <https://w3id.org/treatykg/ontology#isPartyTo> <https://w3id.org/treatykg/id/treaty/t>"]
    assert rest_parts(rest) is None
    assert rest_parts(rest[:1]) is not None


@pytest.mark.parametrize("engine", ENGINES)
def test_rest_parts_place_results_on_any_iri_with_either_engine(engine: str) -> None:
    """A result goes to the part of its focus node, found again from the report's own spelling of
    the node: also for an IRI outside ASCII, and with pySHACL as with pyshacl-turbo."""
    treaty, state = "<https://w3id.org/treatykg/id/treaty/traité-é>", "<https://w3id.org/treatykg/id/state/ü>"
    rest = sorted([f"{treaty} <{RDF.type}> <{TKG}Treaty>".encode(), f"{state} <{RDF.type}> <{TKG}State>".encode(),
                   f'{treaty} <{TKG}signingDate> "1950-02-14"^^<http://www.w3.org/2001/XMLSchema#date>'.encode(),
                   f"{state} <{TKG}recognizes> {treaty}".encode()])
    whole = merge_reports([rest_report(rest, engine)])
    parts = rest_parts(rest)
    assert parts is not None
    made = rest_part_reports(parts, engine)
    merged = merge_reports([made[index] for index in sorted(parts)])
    assert "traité-é" in whole.report_text and not whole.conforms
    assert merged.report_text == whole.report_text
    assert merged.report_turtle() == whole.report_turtle()
