"""From resolved facts to the graph's files and its validation, a chunk of documents at a time.

Once the facts are resolved, each document's named graph can be made on its own. The documents
with facts, in the order of their graphs' IRIs, are cut into chunks; a worker (forked, so it
shares the resolution with this process) makes a chunk's statements (treatykg.rdf), writes them
as a sorted run (treatykg.graphfiles) and checks the chunk's evidence records (treatykg.validate,
from the cache where it holds them). This process writes the default graph's run, checks the rest
of the graph (the default graph and the triples the documents state, about a tenth of it) while
it merges the runs into the graph's files. Neither the graph nor its sort is ever held in memory
whole, and the chunks depend only on the documents, not on the number of workers, so any number
of workers gives the same files and the same report.
"""

from __future__ import annotations

import shutil
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import as_completed
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .document import Document
from .graphfiles import GraphFiles, new_folder, write_run
from .parallel import default_jobs, local_pool
from .progress import Progress, Silent
from .rdf import default_graph, document_graph, entity_terms, graph_name
from .resolve import Resolution, ResolvedFact
from .validate import (EvidenceReports, PartReport, ValidationCache, ValidationResult, evidence_reports, merge_reports, prepare,
                       rest_report, type_index)

CHUNK_DOCUMENTS = 64


@dataclass(frozen=True)
class Assembled:
    """The graph's files, its validation (None: not validated), and the seconds of wall time spent
    making the RDF and validating it (the two run interleaved; the workers' own time apportions
    the wall time between them)."""

    files: GraphFiles
    validation: ValidationResult | None
    rdf_seconds: float
    validate_seconds: float


@dataclass(frozen=True)
class _Work:
    """What the workers read, shared with them by fork."""

    folder: Path
    facts: dict[str, list[ResolvedFact]]
    terms: dict[str, str]
    types: dict[bytes, list[bytes]] | None  # None: no validation
    engine: str
    cache: ValidationCache | None


@dataclass(frozen=True)
class _ChunkOutcome:
    stated: list[str]
    evidence: EvidenceReports | None
    rdf_seconds: float
    validate_seconds: float


_work: _Work | None = None


def assemble(resolution: Resolution, documents: Iterable[Document], ontology: Graph, *, validate: bool = True,
             cache: ValidationCache | None = None, engine: str = "turbo", jobs: int | None = None,
             progress: Progress | None = None) -> Assembled:
    """The graph of the resolved facts as files, validated unless validate is False, on up to jobs
    local processes (None: every core)."""
    global _work
    progress = progress or Silent()
    started = time.perf_counter()
    folder = new_folder()
    try:
        terms = entity_terms(resolution)
        head = default_graph(resolution, documents, ontology, terms)
        write_run(folder, "head", ((triple, "") for triple in head))
        facts: dict[str, list[ResolvedFact]] = defaultdict(list)
        for resolved in resolution.facts:
            facts[resolved.fact.doc_id].append(resolved)
        ordered = sorted(facts, key=graph_name)
        chunks = [ordered[i:i + CHUNK_DOCUMENTS] for i in range(0, len(ordered), CHUNK_DOCUMENTS)]
        types = type_index(triple.encode("utf-8") for triple in head) if validate else None
        if validate:
            prepare(engine)
        _work = _Work(folder, dict(facts), terms, types, engine, cache)
        progress.stage("writing the graph", len(chunks))
        pooled = time.perf_counter()
        with local_pool(min(jobs or default_jobs(), max(1, len(chunks)))) as pool:
            futures = [pool.submit(_write_chunk, index, chunk) for index, chunk in enumerate(chunks)]
            sizes = {future: len(chunk) for future, chunk in zip(futures, chunks, strict=True)}
            for future in as_completed(futures):
                future.result()  # raises a worker's error at once
                progress.advance(sizes[future])
            outcomes: list[_ChunkOutcome] = [future.result() for future in futures]
            pool_seconds = time.perf_counter() - pooled
            rest = None
            if validate:
                stated = {triple for outcome in outcomes for triple in outcome.stated}
                rest = pool.submit(rest_report, sorted(t.encode("utf-8") for t in stated.union(head)), engine)
            merging = time.perf_counter()
            files = GraphFiles.merge(folder, ["head", *(_run_name(i) for i in range(len(chunks)))])
            merge_seconds = time.perf_counter() - merging
            validation = _validation(rest.result(), outcomes, cache) if rest is not None else None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        _work = None
    spent_rdf = sum(o.rdf_seconds for o in outcomes)
    spent_validating = sum(o.validate_seconds for o in outcomes)
    head_seconds = pooled - started
    rdf_seconds = head_seconds + pool_seconds * spent_rdf / ((spent_rdf + spent_validating) or 1) + merge_seconds
    return Assembled(files, validation, rdf_seconds, time.perf_counter() - started - rdf_seconds)


def _run_name(index: int) -> str:
    return f"chunk-{index:07d}"


def _write_chunk(index: int, doc_ids: list[str]) -> _ChunkOutcome:
    """Write a chunk's run and check its evidence records (in a worker)."""
    work = _work
    assert work is not None, "a worker started without its work"
    started = time.perf_counter()
    graphs = [document_graph(doc_id, work.facts[doc_id], work.terms) for doc_id in doc_ids]
    write_run(work.folder, _run_name(index),
              ((triple, graph.name) for graph in graphs for triple in (*graph.stated, *graph.evidence)))
    made = time.perf_counter()
    evidence = None
    if work.types is not None:
        records = [sorted({triple.encode("utf-8") for triple in graph.evidence}) for graph in graphs]
        evidence = evidence_reports(records, work.types, engine=work.engine, cache=work.cache)
    stated = list({triple for graph in graphs for triple in graph.stated})
    return _ChunkOutcome(stated, evidence, made - started, time.perf_counter() - made)


def _validation(rest: PartReport, outcomes: list[_ChunkOutcome], cache: ValidationCache | None) -> ValidationResult:
    reports = [rest]
    for outcome in outcomes:
        assert outcome.evidence is not None
        if cache is not None:
            outcome.evidence.save(cache)
        reports += outcome.evidence.reports
    return merge_reports(reports)
