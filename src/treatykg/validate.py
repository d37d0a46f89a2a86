"""SHACL validation of a built graph against ontology/shapes.ttl (pySHACL).

`validate` checks one graph as a whole. `validate_quads` checks a dataset in parts, with the same
report: an evidence record's triples all live in one document's graph and nothing points at an
evidence record, so the evidence records of each document are checked on their own (with the
types of the nodes they name; `evidence_reports`), in batches that a cache keeps per document,
and the rest of the graph, about a tenth of it, is checked whole (`rest_report`), or, by a build with
a cache, in parts cut by node (`rest_parts`), each part's report kept. The build makes
the same parts as it writes each chunk of documents (treatykg.assemble). Each result concerns one focus node and reads only
that node's triples and its values' types, so the parts together give exactly the results of one
pass over the whole graph (tests/test_validate.py checks this against pySHACL on real graphs).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from importlib.metadata import version
from typing import Protocol

import pyoxigraph as ox
import pyshacl
from pyshacl.rdfutil.inoculate import inoculate
from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH

from .graphfiles import split_nquads_line
from .namespace import TKG
from .parallel import run_parts
from .resources import ONTOLOGY, SHAPES, load_turtle

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_RESULT_BLOCK = re.compile(r"^(?:Constraint Violation|Validation Result) in ", re.MULTILINE)
_RDF_TYPE = f"<{RDF.type}>".encode()
_TYPED_EVIDENCE = f" <{RDF.type}> <{TKG.Evidence}>".encode()
BATCH_RECORDS = 2000
GROUP_DOCUMENTS = 64  # documents per task of validate_quads
REST_PARTS = 1024  # parts of the rest of the graph whose reports a rebuild keeps


class ValidationResult:
    """Whether the graph conforms (warnings allowed), the report graph and its text.

    A report made in parts is kept as N-Triples and parsed into report_graph on first use.
    """

    def __init__(self, conforms: bool, report_graph: Graph | None, report_text: str, *,
                 report_nt: str | None = None) -> None:
        self.conforms = conforms
        self.report_text = report_text
        self._graph = report_graph
        self._nt = report_nt

    @property
    def report_graph(self) -> Graph:
        if self._graph is None:
            self._graph = Graph().parse(data=self._nt or "", format="nt")
            self._graph.bind("sh", SH)
        return self._graph

    def report_turtle(self) -> bytes:
        """The report graph as Turtle."""
        if self._nt is None:
            return self.report_graph.serialize(format="turtle", encoding="utf-8")
        parsed = ox.parse(self._nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        return ox.serialize((quad.triple for quad in parsed), format=ox.RdfFormat.TURTLE, prefixes=_REPORT_PREFIXES)


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


def is_part_report(value: object) -> bool:
    """Whether a value read from a cache is a PartReport (a damaged entry is made again)."""
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str) \
        and isinstance(value[1], tuple) and all(isinstance(block, str) for block in value[1])


class ValidationCache(Protocol):
    """Where reports are kept between builds (treatykg.cache): those of documents' evidence
    records, and a table of those of the rest of the graph's parts."""

    def get(self, key: str) -> object | None: ...

    def put(self, key: str, value: object) -> None: ...

    def keep(self, key: str) -> None: ...


class _NoCache:
    def get(self, key: str) -> object | None:
        return None

    def put(self, key: str, value: object) -> None:
        pass

    def keep(self, key: str) -> None:
        pass


@dataclass(frozen=True)
class EvidenceReports:
    """The reports of documents' evidence records, one per document, with their cache keys and the
    reports made afresh (not found in the cache)."""

    reports: list[PartReport] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    fresh: dict[str, PartReport] = field(default_factory=dict)

    def save(self, cache: ValidationCache) -> None:
        """Put the fresh reports in the cache, and keep the ones found there."""
        for key in self.keys:
            if key in self.fresh:
                cache.put(key, self.fresh[key])
            else:
                cache.keep(key)


def validate_quads(quads: Iterable[ox.Quad], *, cache: ValidationCache | None = None,
                   engine: str = "turbo", jobs: int | None = 1) -> ValidationResult:
    """Validate a dataset in parts, with the report one pass over its union would give.

    engine "turbo" runs each part with pyshacl-turbo (SHACL in Rust, over an in-memory Oxigraph
    store), "pyshacl" with pySHACL itself; tests/test_validate.py checks that both give pySHACL's
    results on the shape cases and on built graphs. The parts not in the cache run on jobs local
    processes (None: every core). Triples are handled as their N-Triples text, without the dot.
    """
    cache = cache or _NoCache()
    documents, rest = evidence_and_rest(quads)
    types = type_index(rest)
    prepare(engine)
    work = [("rest", rest)] + [("evidence", documents[i:i + GROUP_DOCUMENTS])
                               for i in range(0, len(documents), GROUP_DOCUMENTS)]
    outcomes = run_parts(partial(_validate_work, engine, types, cache), work, jobs)
    reports = [outcomes[0]]
    for outcome in outcomes[1:]:
        outcome.save(cache)
        reports += outcome.reports
    return merge_reports(reports)


def evidence_and_rest(quads: Iterable[ox.Quad]) -> tuple[list[list[bytes]], list[bytes]]:
    """A dataset's triples (N-Triples without the dot, sorted): each document's evidence records,
    in the order of the documents' graphs, and the rest of the graph."""
    lines = set(ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines())
    statements = [split_nquads_line(line) for line in lines]
    evidence_nodes = {triple.split(b" ", 1)[0] for triple, _ in statements if triple.endswith(_TYPED_EVIDENCE)}
    by_document: dict[bytes, set[bytes]] = defaultdict(set)
    rest: set[bytes] = set()
    for triple, graph in statements:
        if triple.split(b" ", 1)[0] in evidence_nodes:
            by_document[graph or b""].add(triple)
        else:
            rest.add(triple)
    return [sorted(by_document[name]) for name in sorted(by_document)], sorted(rest)


def _validate_work(engine: str, types: dict[bytes, list[bytes]], cache: ValidationCache,
                   work: tuple[str, list]) -> PartReport | EvidenceReports:
    kind, data = work
    if kind == "rest":
        return rest_report(data, engine)
    return evidence_reports(data, types, engine=engine, cache=cache)


def type_index(triples: Iterable[bytes]) -> dict[bytes, list[bytes]]:
    """The rdf:type triples among triples (N-Triples without the dot), by subject."""
    types: dict[bytes, list[bytes]] = defaultdict(list)
    for triple in triples:
        subject, predicate, _ = triple.split(b" ", 2)
        if predicate == _RDF_TYPE:
            types[subject].append(triple)
    return dict(types)


def rest_report(triples: Iterable[bytes], engine: str = "turbo") -> PartReport:
    """The report on every triple but the evidence records' (against the shapes that do not
    target tkg:Evidence)."""
    return _run_part(engine, ("rest", _part_data(triples)))


def rest_parts(triples: Sequence[bytes]) -> dict[int, list[bytes]] | None:
    """The rest of the graph (N-Triples without the dot) cut into REST_PARTS parts that can be
    checked apart, by the hash of each node's IRI (`part_of`). A node's part holds what a check on
    it reads: its triples, the triples pointing at it along a shape's inverse path (tkg:isPartyTo),
    and the types of the nodes these name (for sh:class). None when the rest holds a blank node,
    which the report does not name as the data does."""
    types = type_index(triples)
    inverse = _inverse_predicates()
    parts: dict[int, list[bytes]] = defaultdict(list)
    for triple in triples:
        subject, predicate, obj = triple.split(b" ", 2)
        if subject.startswith(b"_:") or obj.startswith(b"_:"):
            return None
        parts[part_of(subject)].append(triple)
        if predicate in inverse:
            parts[part_of(obj)].append(triple)
    return {index: sorted({*lines, *_named_types(lines, types)}) for index, lines in sorted(parts.items())}


def part_of(node: bytes) -> int:
    """The part of the rest of the graph a node (its N-Triples term) belongs to."""
    return zlib.crc32(node) % REST_PARTS


def rest_part_reports(parts: dict[int, list[bytes]], engine: str = "turbo") -> dict[int, PartReport]:
    """The report on each of these parts of the rest of the graph (`rest_parts`), checked together:
    each result goes to its focus node's part. Results on nodes of other parts, whose triples are
    not all here, are left out; those parts have reports of their own."""
    report = _run_part(engine, ("rest", _part_data(sorted({t for lines in parts.values() for t in lines}))))
    return _split_by_focus(report, parts, lambda focus: _rest_part(focus, parts))


def _rest_part(focus: str | None, parts: dict[int, list[bytes]]) -> int | None:
    if focus is None:
        raise ValueError("a result on the rest of the graph names no focus node")
    index = part_of(focus.encode("utf-8"))
    return index if index in parts else None


@lru_cache(maxsize=1)
def _inverse_predicates() -> frozenset[bytes]:
    """The predicates a shape on the rest of the graph follows backwards (sh:inversePath)."""
    _, other_shapes = _split_shapes()
    return frozenset(f"<{path}>".encode() for path in other_shapes.objects(None, SH.inversePath))


def evidence_reports(documents: Sequence[Sequence[bytes]], types: dict[bytes, list[bytes]], *,
                     engine: str = "turbo", cache: ValidationCache | None = None) -> EvidenceReports:
    """The reports on documents' evidence records (each document's evidence triples, N-Triples
    without the dot; types: the rdf:type triples of the nodes they name, by node), from the cache
    where it holds them, the others validated here in batches. The cache is only read: `save` the
    result in the process that keeps the cache."""
    cache = cache or _NoCache()
    result = EvidenceReports()
    for batch in _evidence_batches(documents):
        named = [_named_types(triples, types) for triples in batch]
        keys = [_part_key(triples, names, engine) for triples, names in zip(batch, named, strict=True)]
        found = [report if is_part_report(report := cache.get(key)) else None for key in keys]
        missing = [i for i, report in enumerate(found) if report is None]
        if missing:
            data: set[bytes] = set()
            for i in missing:
                data.update(batch[i])
                data.update(named[i])
            report = _run_part(engine, ("evidence", _part_data(data)))
            for i, part in zip(missing, _split_report(report, [batch[i] for i in missing]), strict=True):
                found[i] = result.fresh[keys[i]] = part
        result.reports.extend(found)  # type: ignore[arg-type]
        result.keys.extend(keys)
    return result


def _evidence_batches(documents: Sequence[Sequence[bytes]]) -> list[list[Sequence[bytes]]]:
    batches: list[list[Sequence[bytes]]] = [[]]
    records = 0
    for triples in documents:
        if records and records + len(triples) // 10 > BATCH_RECORDS:
            batches.append([])
            records = 0
        batches[-1].append(triples)
        records += len(triples) // 10
    return [batch for batch in batches if batch]


def _named_types(triples: Sequence[bytes], types: dict[bytes, list[bytes]]) -> list[bytes]:
    """The rdf:type triples of the nodes the triples name (what sh:class checks read)."""
    named = set()
    for triple in triples:
        subject, _, obj = triple.split(b" ", 2)
        named.add(subject)
        if not obj.startswith(b'"'):
            named.add(obj)
    return [t for node in named for t in types.get(node, ())]


def rest_key(triples: Sequence[bytes], engine: str) -> str:
    """The key of the report on a part of the rest of the graph (`rest_parts`) in a validation cache."""
    return _part_key(triples, [], engine, "rest")


def _part_key(triples: Sequence[bytes], named_types: list[bytes], engine: str,
              shapes: str = "evidence") -> str:
    digest = hashlib.sha256(f"{shapes_fingerprint()}|{engine}|{shapes}".encode("ascii"))
    digest.update(b"\n".join(sorted(triples) + sorted(named_types)))
    return digest.hexdigest()


@lru_cache(maxsize=1)
def shapes_fingerprint() -> str:
    """A hash of what a report depends on besides the data: the shapes, the ontology, the engines."""
    versions = f"{pyshacl.__version__}|{version('pyshacl-turbo')}".encode()
    return hashlib.sha256(SHAPES.read_bytes() + ONTOLOGY.read_bytes() + versions).hexdigest()


def prepare(engine: str = "turbo") -> None:
    """Load the shapes and the engine here, once, so that forked workers start with them."""
    _split_shapes()
    if engine == "turbo":
        import pyshacl_turbo  # noqa: F401


def _run_part(engine: str, work: tuple[str, bytes]) -> PartReport:
    """Validate one part (its N-Triples) against the evidence shapes or the others (in a worker)."""
    shapes, data = work
    evidence_shapes, other_shapes = _split_shapes()
    return _RUNNERS[engine](data, evidence_shapes if shapes == "evidence" else other_shapes)


@lru_cache(maxsize=1)
def _ontology_axioms() -> bytes:
    """What pySHACL's ont_graph adds to a data graph (its inoculation: the ontology's RDFS and OWL
    axioms), as N-Triples: made once and appended to each part instead of inoculating every part."""
    axioms = Graph()
    inoculate(axioms, load_turtle(ONTOLOGY))
    return axioms.serialize(format="nt", encoding="utf-8")


def _part_data(triples: Iterable[bytes]) -> bytes:
    """A part's triples with the ontology's axioms, as N-Triples."""
    return b"".join(triple + b" .\n" for triple in triples) + _ontology_axioms()


def _with_pyshacl(data: bytes, shapes: Graph) -> PartReport:
    """One pySHACL pass over the N-Triples."""
    _, report, text = pyshacl.validate(Graph().parse(data=data, format="nt"), shacl_graph=shapes, inference="none", allow_warnings=True,
                                       advanced=True)
    return _part_report(report, str(text))


def _with_turbo(data: bytes, shapes: Graph) -> PartReport:
    """One pyshacl-turbo pass over an in-memory store of the N-Triples."""
    import pyshacl_turbo

    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_TRIPLES)
    _, report, text = pyshacl_turbo.validate(store, shacl_graph=shapes, inference="none", allow_warnings=True,
                                             advanced=True)
    return _part_report(report, str(text))


def _part_report(report: Graph, text: str) -> PartReport:
    """The results as N-Triples (the report node left out) and their blocks of text."""
    node = report.value(None, RDF.type, SH.ValidationReport, any=True)
    head = f"_:{node} " if isinstance(node, BNode) else f"<{node}> "
    lines = report.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n")
    kept = (_plain_string(line) for line in lines if line and not line.startswith(head))
    return "\n".join(kept), _blocks(text)


_TYPED_STRING_END = '"^^<http://www.w3.org/2001/XMLSchema#string> .'


def _plain_string(line: str) -> str:
    """The line with an xsd:string literal written as N-Triples writes it, without its datatype:
    one engine reports a value as typed, the other as plain, and RDF counts them as one term. (A
    quote inside a literal is escaped, so only the closing one can stand before "^^".)"""
    return line[:-len(_TYPED_STRING_END)] + '" .' if line.endswith(_TYPED_STRING_END) else line


def _blocks(text: str) -> tuple[str, ...]:
    starts = [m.start() for m in _RESULT_BLOCK.finditer(text)]
    ends = [*starts[1:], len(text)] if starts else []
    return tuple(text[a:b].rstrip("\n") for a, b in zip(starts, ends, strict=True))


def _results(nt: str) -> dict[str, list[str]]:
    """Each result node's N-Triples lines, with those of the blank nodes it leads to."""
    by_subject: dict[str, list[str]] = defaultdict(list)
    for line in filter(None, nt.split("\n")):  # not splitlines: a literal may hold U+2028, U+0085, U+000C
        by_subject[line.split(" ", 1)[0]].append(line)
    results = {}
    for subject, lines in by_subject.items():
        if any(line.split(" ", 2)[1] == _FOCUS for line in lines):
            closure, todo, seen = [], [subject], set()
            while todo:
                node = todo.pop()
                if node not in seen:
                    seen.add(node)
                    closure += by_subject.get(node, [])
                    todo += [o for o in map(_object, by_subject.get(node, [])) if o.startswith("_:")]
            results[subject] = closure
    return results


def _object(line: str) -> str:
    return line.split(" ", 2)[2][:-2]


def _split_report(report: PartReport, parts: list[list[bytes]]) -> list[PartReport]:
    """A batch's report cut into one report per document, by the document of each focus node."""
    owner = {triple.split(b" ", 1)[0].decode(): index for index, part in enumerate(parts) for triple in part}
    split = _split_by_focus(report, range(len(parts)), lambda focus: owner[focus] if focus else 0)
    return [split[index] for index in range(len(parts))]


def _split_by_focus(report: PartReport, parts: Iterable[int],
                    owner: Callable[[str | None], int | None]) -> dict[int, PartReport]:
    """A report cut into one report per part, by the part owning each result's focus node (owner
    is given the node, or None for a block of text naming none; it answers None for a result to
    leave out)."""
    lines: dict[int, list[str]] = {index: [] for index in parts}
    blocks: dict[int, list[str]] = {index: [] for index in lines}
    for closure in _results(report[0]).values():
        index = owner(next(_object(line) for line in closure if line.split(" ", 2)[1] == _FOCUS))
        if index is not None:
            lines[index] += closure
    for block in report[1]:
        focus = re.search(r"^\s*Focus Node: (<[^>]*>)", block, re.MULTILINE)
        index = owner(focus.group(1) if focus else None)
        if index is not None:
            blocks[index].append(block)
    return {index: ("\n".join(lines[index]), tuple(blocks[index])) for index in lines}


def merge_reports(reports: list[PartReport]) -> ValidationResult:
    """One report of the parts' results: a fresh report node, each part's blank nodes renamed apart."""
    lines, results, violations = [], [], 0
    for index, (nt, _) in enumerate(reports):
        for result, closure in _results(nt).items():
            results.append(_renamed(result, index))
            for line in closure:
                subject, predicate, rest = line.split(" ", 2)
                lines.append(f"{_renamed(subject, index)} {predicate} {_renamed(rest[:-2], index)} .")
                violations += predicate == _SEVERITY and rest.startswith(_VIOLATION)
    conforms = violations == 0
    lines += [f"_:report <{RDF.type}> <{SH.ValidationReport}> .",
              f'_:report <{SH.conforms}> "{str(conforms).lower()}"^^<http://www.w3.org/2001/XMLSchema#boolean> .']
    lines += [f"_:report <{SH.result}> {result} ." for result in results]
    blocks = sorted(block for _, part_blocks in reports for block in part_blocks)
    text = f"Validation Report\nConforms: {conforms}\n"
    if blocks:
        text += f"Results ({len(blocks)}):\n" + "\n".join(blocks) + "\n"
    report_nt = "\n".join(_named_by_content(lines)) + "\n"
    return ValidationResult(conforms, None, text, report_nt=report_nt)


def _named_by_content(lines: list[str]) -> list[str]:
    """The report's lines, sorted, with each blank node but the report's own named by a hash of the triples
    it leads to. The engines name blank nodes at random, and which part of a build checks a
    result depends on the chunks; so named, the same results give the same report, byte for byte,
    in any build. (A report's blank nodes form trees, whose leaves may be shared: no cycles.) A
    node shared by several results of one part (a path) comes once with each of them: each of its
    triples counts once, or its name would tell how many results of its part shared it."""
    leads: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in dict.fromkeys(lines):
        subject, predicate, rest = line.split(" ", 2)
        leads[subject].append((predicate, rest[:-2]))
    names: dict[str, str] = {"_:report": "_:report"}

    def name(node: str) -> str:
        if not node.startswith("_:"):
            return node
        if node not in names:
            names[node] = node  # a cycle, which reports do not hold, would end here
            content = "\n".join(sorted(f"{predicate} {name(term)}" for predicate, term in leads[node]))
            names[node] = "_:b" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:32]
        return names[node]

    return sorted({f"{name(subject)} {predicate} {name(term)} ." for subject, pairs in leads.items()
                   for predicate, term in pairs})


def _renamed(term: str, part: int) -> str:
    return f"_:p{part}x{term[2:]}" if term.startswith("_:") else term


_FOCUS, _SEVERITY, _VIOLATION = f"<{SH.focusNode}>", f"<{SH.resultSeverity}>", f"<{SH.Violation}>"
_REPORT_PREFIXES = {"rdf": str(RDF), "sh": str(SH), "tkgsh": "https://w3id.org/treatykg/shapes#",
                    "tkg": "https://w3id.org/treatykg/ontology#", "xsd": "http://www.w3.org/2001/XMLSchema#"}
_RUNNERS: dict[str, Callable[[bytes, Graph], PartReport]] = {"turbo": _with_turbo,
                                                                            "pyshacl": _with_pyshacl}
ENGINES = tuple(_RUNNERS)
