"""SHACL validation of a built graph against ontology/shapes.ttl (pySHACL).

`validate` checks one graph as a whole. `validate_quads` checks a build in parts, with the same
report: an evidence record's triples all live in one document's graph and nothing points at an
evidence record, so the evidence records of each document are checked on their own (with the
types of the nodes they name), in batches that a cache keeps per document, and the rest of the
graph, about a tenth of it, is checked whole. Each result concerns one focus node and reads only
that node's triples and its values' types, so the parts together give exactly the results of one
pass over the whole graph (tests/test_validate.py checks this against pySHACL on real graphs).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH

from .namespace import TKG
from .oxrdf import graph_from_triples
from .resources import ONTOLOGY, SHAPES, load_turtle

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_RESULT_BLOCK = re.compile(r"^(?:Constraint Violation|Validation Result) in ", re.MULTILINE)
_EVIDENCE_NODE = ox.NamedNode(str(TKG.Evidence))
_RDF_TYPE = ox.NamedNode(str(RDF.type))
BATCH_RECORDS = 2000


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """Whether the graph conforms (warnings allowed), the report graph and its text."""

    conforms: bool
    report_graph: Graph
    report_text: str


def validate(graph: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None) -> ValidationResult:
    """Validate a graph; the ontology supplies the class hierarchy, no inference is run.

    Warnings (a treaty mentioned in passing with no stated party) do not break conformance.
    """
    conforms, report_graph, report_text = pyshacl.validate(
        graph, shacl_graph=shapes if shapes is not None else load_turtle(SHAPES),
        ont_graph=ontology if ontology is not None else load_turtle(ONTOLOGY),
        inference="none", allow_warnings=True, advanced=True,
    )
    return ValidationResult(bool(conforms), report_graph, str(report_text))


@lru_cache(maxsize=1)
def _split_shapes() -> tuple[Graph, Graph]:
    """The shapes with only the evidence shapes' targets kept, and with only the others' kept."""
    shapes = load_turtle(SHAPES)
    evidence_shapes = set(shapes.subjects(SH.targetClass, TKG.Evidence))
    evidence_only, rest = Graph(), Graph()
    for triple in shapes:
        is_target = triple[1] in _TARGETS
        if not is_target or triple[0] in evidence_shapes:
            evidence_only.add(triple)
        if not is_target or triple[0] not in evidence_shapes:
            rest.add(triple)
    return evidence_only, rest


PartReport = tuple[str, tuple[str, ...]]  # the results as N-Triples, and their blocks of report text


class ValidationCache(Protocol):
    """Where the reports of documents' evidence records are kept between builds (treatykg.cache)."""

    def get(self, key: str) -> PartReport | None: ...

    def put(self, key: str, value: PartReport) -> None: ...


class _NoCache:
    def get(self, key: str) -> PartReport | None:
        return None

    def put(self, key: str, value: PartReport) -> None:
        pass


def validate_quads(quads: Sequence[ox.Quad], *, cache: ValidationCache | None = None) -> ValidationResult:
    """Validate a build's quads in parts, with the report one pass over their union would give."""
    cache = cache or _NoCache()
    evidence_nodes = {q.subject for q in quads if q.predicate == _RDF_TYPE and q.object == _EVIDENCE_NODE}
    types: dict[object, list[ox.Triple]] = defaultdict(list)
    by_document: dict[str, list[ox.Triple]] = defaultdict(list)
    rest: set[ox.Triple] = set()
    for quad in quads:
        if quad.subject in evidence_nodes:
            by_document[str(quad.graph_name)].append(quad.triple)
            continue
        rest.add(quad.triple)
        if quad.predicate == _RDF_TYPE:
            types[quad.subject].append(quad.triple)
    ontology = load_turtle(ONTOLOGY)
    evidence_shapes, other_shapes = _split_shapes()
    reports = [_validate_part(rest, other_shapes, ontology)]
    for batch in _evidence_batches(by_document):
        reports += _validate_evidence(batch, types, evidence_shapes, ontology, cache)
    return _merge(reports)


def _evidence_batches(by_document: dict[str, list[ox.Triple]]) -> list[list[list[ox.Triple]]]:
    batches: list[list[list[ox.Triple]]] = [[]]
    records = 0
    for name in sorted(by_document):
        triples = by_document[name]
        if records and records + len(triples) // 10 > BATCH_RECORDS:
            batches.append([])
            records = 0
        batches[-1].append(triples)
        records += len(triples) // 10
    return [batch for batch in batches if batch]


def _part_key(triples: list[ox.Triple], types: dict) -> str:
    named = {t.object for t in triples if not isinstance(t.object, ox.Literal)} | {t.subject for t in triples}
    lines = sorted(str(t) for t in triples) + sorted(str(t) for node in named for t in types.get(node, ()))
    digest = hashlib.sha256(_shapes_fingerprint().encode("ascii"))
    digest.update("\n".join(lines).encode("utf-8"))
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _shapes_fingerprint() -> str:
    return hashlib.sha256(SHAPES.read_bytes() + ONTOLOGY.read_bytes() + pyshacl.__version__.encode()).hexdigest()


def _validate_evidence(batch: list[list[ox.Triple]], types: dict, shapes: Graph, ontology: Graph,
                       cache: ValidationCache) -> list[tuple[str, tuple[str, ...]]]:
    """Reports per document of a batch, from the cache or from one pySHACL pass over the misses."""
    keys = [_part_key(triples, types) for triples in batch]
    found = [cache.get(key) for key in keys]
    missing = [i for i, report in enumerate(found) if report is None]
    if missing:
        data: set[ox.Triple] = set()
        for i in missing:
            data.update(batch[i])
            data.update(t for node in {x.object for x in batch[i]} | {x.subject for x in batch[i]}
                        for t in types.get(node, ()))
        report = _validate_part(data, shapes, ontology)
        for i, part in zip(missing, _split_report(report, [batch[i] for i in missing]), strict=True):
            cache.put(keys[i], part)
            found[i] = part
    return [report for report in found if report is not None]


def _validate_part(triples: set[ox.Triple], shapes: Graph, ontology: Graph) -> PartReport:
    """One pySHACL pass; the results as N-Triples (report node left out) and their text blocks."""
    _, report, text = pyshacl.validate(graph_from_triples(triples), shacl_graph=shapes, ont_graph=ontology,
                                       inference="none", allow_warnings=True, advanced=True)
    results = Graph()
    for node in report.objects(None, SH.result):
        for triple in _closure(report, node):
            results.add(triple)
    return results.serialize(format="nt"), _blocks(str(text))


def _closure(graph: Graph, node: object) -> list[tuple]:
    """The triples about node and about the blank nodes it leads to."""
    triples, todo, seen = [], [node], set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for triple in graph.triples((subject, None, None)):
            triples.append(triple)
            if isinstance(triple[2], BNode):
                todo.append(triple[2])
    return triples


def _blocks(text: str) -> tuple[str, ...]:
    starts = [m.start() for m in _RESULT_BLOCK.finditer(text)]
    ends = [*starts[1:], len(text)] if starts else []
    return tuple(text[a:b].rstrip("\n") for a, b in zip(starts, ends, strict=True))


def _split_report(report: PartReport, parts: list[list[ox.Triple]]) -> list[PartReport]:
    """A batch's report cut into one report per document, by the document of each focus node."""
    owner = {str(triple.subject.value): index for index, part in enumerate(parts) for triple in part}
    graph = Graph().parse(data=report[0], format="nt")
    results: list[Graph] = [Graph() for _ in parts]
    for node in graph.subjects(SH.focusNode, None):
        index = owner[str(graph.value(node, SH.focusNode))]
        for triple in _closure(graph, node):
            results[index].add(triple)
    blocks: list[list[str]] = [[] for _ in parts]
    for block in report[1]:
        focus = re.search(r"^\s*Focus Node: <([^>]*)>", block, re.MULTILINE)
        blocks[owner[focus.group(1)] if focus else 0].append(block)
    return [(results[i].serialize(format="nt"), tuple(blocks[i])) for i in range(len(parts))]


def _merge(reports: list[PartReport]) -> ValidationResult:
    """One report of the parts' results: a fresh report node, blank nodes kept apart."""
    graph = Graph()
    graph.bind("sh", SH)
    report = BNode()
    violations = 0
    for nt, _ in reports:
        part = Graph().parse(data=nt, format="nt")
        fresh: dict[BNode, BNode] = defaultdict(BNode)
        for s, p, o in part:
            graph.add((fresh[s] if isinstance(s, BNode) else s, p, fresh[o] if isinstance(o, BNode) else o))
        for node in part.subjects(SH.focusNode, None):
            graph.add((report, SH.result, fresh[node]))
            violations += part.value(node, SH.resultSeverity) == SH.Violation
    conforms = violations == 0
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(conforms)))
    blocks = sorted(block for _, part_blocks in reports for block in part_blocks)
    text = f"Validation Report\nConforms: {conforms}\n"
    if blocks:
        text += f"Results ({len(blocks)}):\n" + "\n".join(blocks) + "\n"
    return ValidationResult(conforms, graph, text)
