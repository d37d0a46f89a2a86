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

With a run cache (a rebuild's), a chunk whose documents read the same of their resolved facts
(treatykg.rdf.FactTerms) and name entities of the same classes as in an earlier build takes that
build's run and report instead of making them. A chunk ends at a document its IRI's hash picks,
not at a count, so adding or removing a document changes its own chunk and leaves the others.
The cache also keeps the last merge of runs, and a rebuild whose runs differ from it in a few
splices the change into its files (treatykg.increment.splice_runs) instead of merging every run.
The rest of the graph is then checked in parts cut by node (treatykg.validate.rest_parts), and
only the parts whose triples changed are checked again.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .cache import KeyCache, code_fingerprint
from .document import Document
from .graphfiles import GraphFiles, new_folder, write_run
from .increment import MergedGraph, file_identity, splice_runs
from .parallel import default_jobs, local_pool
from .progress import Progress, Silent
from .rdf import FactTerms, default_graph, document_graph, entity_terms, fact_terms, graph_name
from .resolve import Resolution, ResolvedFact
from .validate import (
    EvidenceReports,
    PartReport,
    ValidationCache,
    ValidationResult,
    evidence_reports,
    is_part_report,
    merge_reports,
    prepare,
    rest_key,
    rest_part_reports,
    rest_parts,
    rest_report,
    shapes_fingerprint,
    type_index,
)

CHUNK_DOCUMENTS = 64  # documents per chunk, on average, in a corpus of 8 * 64 documents or more
_RUN_FILES = (".keyed", ".trig")
_REST_REPORTS = "rest-of-the-graph"  # the validation cache's table of the reports on the rest's parts
_LAST_MERGE = "last-merge"  # the run cache's key of the last merge of runs (a _Merge)


@dataclass(frozen=True)
class Assembled:
    """The graph's files, its validation (None: not validated), and the seconds of wall time spent
    making the RDF and validating it (the two run interleaved; the workers' own time apportions
    the wall time between them)."""

    files: GraphFiles
    validation: ValidationResult | None
    rdf_seconds: float
    validate_seconds: float
    chunks: int = 0
    reused: int = 0  # chunks taken from the run cache


@dataclass(frozen=True)
class _Work:
    """What the workers read, shared with them by fork."""

    folder: Path
    facts: dict[str, list[ResolvedFact]]
    terms: dict[str, str]
    types: dict[bytes, list[bytes]] | None  # None: no validation
    engine: str
    cache: ValidationCache | None
    runs: KeyCache | None
    kinds: dict[str, str]  # each entity's class, by its IRI in N-Triples


@dataclass(frozen=True)
class _ChunkOutcome:
    stated: list[str]
    evidence: EvidenceReports | None
    rdf_seconds: float
    validate_seconds: float
    key: str = ""  # in the run cache ("": no run cache)
    reused: bool = False


@dataclass(frozen=True)
class _Merge:
    """A merge of runs kept in the run cache: the runs' keys, in order, its numbers of quads and
    triples, the key its graph.nq (".nq") and union.nt (".nt") are kept under, and their identities
    (treatykg.increment.file_identity: the graph.nq is linked to a published one, which a user may
    change in place)."""

    runs: tuple[str, ...]
    quads: int
    triples: int
    key: str
    identities: tuple[tuple[int, ...], ...]


_work: _Work | None = None


def assemble(resolution: Resolution, documents: Iterable[Document], ontology: Graph, *, validate: bool = True,
             cache: ValidationCache | None = None, runs: KeyCache | None = None, engine: str = "turbo",
             jobs: int | None = None, progress: Progress | None = None) -> Assembled:
    """The graph of the resolved facts as files, validated unless validate is False, on up to jobs
    local processes (None: every core), with the chunks found in runs taken from there."""
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
        chunks = cut_chunks(sorted(facts, key=graph_name))
        types = type_index(triple.encode("utf-8") for triple in head) if validate else None
        if validate:
            prepare(engine)
        kinds = {terms[key]: entity.kind for key, entity in resolution.entities.items()} if runs else {}
        _work = _Work(folder, dict(facts), terms, types, engine, cache, runs, kinds)
        progress.stage("writing the graph", len(facts))
        pooled = time.perf_counter()
        with local_pool(min(jobs or default_jobs(), max(1, len(chunks)))) as pool:
            futures = {pool.submit(_write_chunk, index, chunk): len(chunk)
                       for index, chunk in enumerate(chunks)}
            for future in as_completed(futures):
                future.result()  # raises a worker's error at once
                progress.advance(futures[future])
            outcomes: list[_ChunkOutcome] = [future.result() for future in futures]
            pool_seconds = time.perf_counter() - pooled
            rest = None
            if validate:
                stated = {triple for outcome in outcomes for triple in outcome.stated}
                rest = _rest(pool, sorted(t.encode("utf-8") for t in stated.union(head)), engine, cache)
            if runs is not None:
                for index, outcome in enumerate(outcomes):
                    _keep_chunk(runs, folder, index, outcome)
            merging = time.perf_counter()
            names = ["head", *(_run_name(i) for i in range(len(chunks)))]
            if runs is None:
                files = GraphFiles.merge(folder, names)
            else:
                keys = [_kept_head(runs, folder), *(outcome.key for outcome in outcomes)]
                files = _spliced(runs, folder, names, keys) or GraphFiles.merge(folder, names)
                _keep_merge(runs, files, keys)
            merge_seconds = time.perf_counter() - merging
            validation = _validation(rest.reports(), outcomes, cache) if rest is not None else None
            if rest is not None and cache is not None:
                rest.keep(cache)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        _work = None
    spent_rdf = sum(o.rdf_seconds for o in outcomes)
    spent_validating = sum(o.validate_seconds for o in outcomes)
    head_seconds = pooled - started
    rdf_seconds = head_seconds + pool_seconds * spent_rdf / ((spent_rdf + spent_validating) or 1) + merge_seconds
    return Assembled(files, validation, rdf_seconds, time.perf_counter() - started - rdf_seconds, len(chunks),
                     sum(outcome.reused for outcome in outcomes))


def cut_chunks(ordered: list[str]) -> list[list[str]]:
    """The documents (ids, in their graphs' order) cut into chunks: after each document its IRI's
    hash picks (one in `chunk_average` documents), and at four times that many. Fewer than half
    CHUNK_DOCUMENTS documents are one chunk, made in this process: starting workers would cost
    more than it saves."""
    if len(ordered) < CHUNK_DOCUMENTS // 2:
        return [ordered] if ordered else []
    average = chunk_average(len(ordered))
    chunks: list[list[str]] = [[]]
    for doc_id in ordered:
        chunks[-1].append(doc_id)
        digest = hashlib.sha256(doc_id.encode("utf-8")).digest()
        if int.from_bytes(digest[:8], "big") % average == 0 or len(chunks[-1]) >= 4 * average:
            chunks.append([])
    return [chunk for chunk in chunks if chunk]


def chunk_average(documents: int) -> int:
    """Documents per chunk, on average, for a corpus of that many documents with facts: the power
    of two nearest below an eighth of them (a small corpus still gets about eight chunks to share
    among the workers), at most CHUNK_DOCUMENTS. It changes only where the corpus crosses a power
    of two, so a rebuild after adding or removing a few documents cuts the others' chunks as
    before."""
    return min(CHUNK_DOCUMENTS, 1 << max(0, (documents // 8).bit_length() - 1))


def _chunk_key(doc_ids: list[str], facts: list[list[FactTerms]], kinds: dict[str, str],
               engine: str | None) -> str:
    """A chunk's key in the run cache: the code, the shapes and engine that check it (None: not
    checked), and what its documents read of their facts, with the classes of the entities named
    (which the checks of the evidence records read)."""
    salt = f"{code_fingerprint()}|{shapes_fingerprint() if engine else ''}|{engine}"
    digest = hashlib.sha256(salt.encode("ascii"))
    for doc_id, terms in zip(doc_ids, facts, strict=True):
        digest.update(f"\x1d{doc_id}".encode("utf-8", "surrogatepass"))
        for fact in terms:
            named = (kinds.get(fact[0], ""), kinds.get(fact[2], ""))
            digest.update("\x1f".join(("\x1e", *fact, *named)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _cached_chunk(runs: KeyCache, key: str, folder: Path, index: int) -> _ChunkOutcome | None:
    """The chunk's outcome from the run cache, with its run files put in folder (None: not there)."""
    outcome = runs.get(key)
    if not isinstance(outcome, _ChunkOutcome):
        return None
    if not runs.get_files(key, {suffix: folder / f"{_run_name(index)}{suffix}" for suffix in _RUN_FILES}):
        return None
    return _ChunkOutcome(outcome.stated, outcome.evidence, 0.0, 0.0, key, reused=True)


def _keep_chunk(runs: KeyCache, folder: Path, index: int, outcome: _ChunkOutcome) -> None:
    """Keep a chunk in the run cache: one made here, its run files and then its outcome (an outcome
    is only found with all its files); one taken from there, as used by this build."""
    if outcome.reused:
        runs.keep(outcome.key)
        return
    runs.put_files(outcome.key, {suffix: folder / f"{_run_name(index)}{suffix}" for suffix in _RUN_FILES})
    evidence = EvidenceReports(outcome.evidence.reports, outcome.evidence.keys) if outcome.evidence else None
    runs.put(outcome.key, _ChunkOutcome(outcome.stated, evidence, 0.0, 0.0, outcome.key))


def _kept_head(runs: KeyCache, folder: Path) -> str:
    """Keep the default graph's run in the run cache, for a later build to splice from; its key."""
    key = hashlib.sha256((folder / "head.keyed").read_bytes()).hexdigest()
    runs.put_files(key, {".keyed": folder / "head.keyed"})
    return key


def _spliced(runs: KeyCache, folder: Path, names: list[str], keys: list[str]) -> GraphFiles | None:
    """The graph's files spliced from the last merge in the run cache, when its runs are there and
    differ from these in a few (None: merge them)."""
    merge = runs.get(_LAST_MERGE)
    if not isinstance(merge, _Merge):
        return None
    now, then = set(keys), set(merge.runs)
    gone = [runs.file(key, ".keyed") for key in merge.runs if key not in now]
    came = [name for name, key in zip(names, keys, strict=True) if key not in then]
    base = MergedGraph(runs.file(merge.key, ".nq"), runs.file(merge.key, ".nt"), merge.quads, merge.triples)
    try:
        if (file_identity(base.nquads), file_identity(base.union)) != merge.identities:
            return None  # changed since: the change from it would not be this graph's
        if sum(path.stat().st_size for path in gone) > base.nquads.stat().st_size // 2:
            return None  # much of the graph changed: a merge is as fast
        return splice_runs(folder, names, base, gone, came)
    except (OSError, ValueError):
        return None  # the cache lost a file, or holds another graph's: merge


def _keep_merge(runs: KeyCache, files: GraphFiles, keys: list[str]) -> None:
    """Keep the graph's files in the run cache as the last merge, for a later build to splice from."""
    key = hashlib.sha256("|".join(keys).encode("ascii")).hexdigest()
    runs.put_files(key, {".nq": files.nquads, ".nt": files.union})
    try:
        identities = (file_identity(runs.file(key, ".nq")), file_identity(runs.file(key, ".nt")))
    except OSError:
        return  # not kept (the cache is best effort)
    runs.put(_LAST_MERGE, _Merge(tuple(keys), files.quads, files.triples, key, identities))


def _run_name(index: int) -> str:
    return f"chunk-{index:07d}"


def _write_chunk(index: int, doc_ids: list[str]) -> _ChunkOutcome:
    """Write a chunk's run and check its evidence records, or take both from the run cache (in a
    worker; the cache is only read here)."""
    work = _work
    assert work is not None, "a worker started without its work"
    started = time.perf_counter()
    facts = [[fact_terms(resolved, work.terms) for resolved in work.facts[doc_id]] for doc_id in doc_ids]
    key = ""
    if work.runs is not None:
        key = _chunk_key(doc_ids, facts, work.kinds, work.engine if work.types is not None else None)
        cached = _cached_chunk(work.runs, key, work.folder, index)
        if cached is not None:
            return cached
    graphs = [document_graph(doc_id, terms) for doc_id, terms in zip(doc_ids, facts, strict=True)]
    write_run(work.folder, _run_name(index),
              ((triple, graph.name) for graph in graphs for triple in (*graph.stated, *graph.evidence)))
    made = time.perf_counter()
    evidence = None
    if work.types is not None:
        records = [sorted({triple.encode("utf-8") for triple in graph.evidence}) for graph in graphs]
        evidence = evidence_reports(records, work.types, engine=work.engine, cache=work.cache)
    stated = list({triple for graph in graphs for triple in graph.stated})
    return _ChunkOutcome(stated, evidence, made - started, time.perf_counter() - made, key)


class _RestReports:
    """The reports on the rest of the graph: as a whole (no cache), or by part, each part's from the
    validation cache when its triples are those of a part kept there, the others made on the pool
    (a rebuild checks again only the parts holding the entities its documents changed)."""

    def __init__(self, making: Future, keys: dict[int, str] | None = None,
                 kept: dict[int, PartReport] | None = None) -> None:
        self.making, self.keys, self.kept = making, keys, kept or {}

    def reports(self) -> list[PartReport]:
        if self.keys is None:
            return [self.making.result()]
        made = self.making.result()
        return [self.kept[index] if index in self.kept else made[index] for index in self.keys]

    def keep(self, cache: ValidationCache) -> None:
        """Keep the parts' reports, by key, for the next build (the table of this build's parts only)."""
        if self.keys is not None and self.making.result():
            reports = self.reports()
            cache.put(_REST_REPORTS, {self.keys[index]: report
                                      for index, report in zip(self.keys, reports, strict=True)})


def _rest(pool: Executor, triples: list[bytes], engine: str, cache: ValidationCache | None) -> _RestReports:
    parts = rest_parts(triples) if cache is not None else None
    if parts is None:
        return _RestReports(pool.submit(rest_report, triples, engine))
    keys = {index: rest_key(lines, engine) for index, lines in parts.items()}
    table = cache.get(_REST_REPORTS)
    table = table if isinstance(table, dict) else {}
    kept = {index: table[key] for index, key in keys.items() if is_part_report(table.get(key))}
    missing = {index: lines for index, lines in parts.items() if index not in kept}
    making = pool.submit(rest_part_reports, missing, engine) if missing else _done({})
    return _RestReports(making, keys, kept)


def _done(value: object) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


def _validation(rest: list[PartReport], outcomes: list[_ChunkOutcome],
                cache: ValidationCache | None) -> ValidationResult:
    reports = list(rest)
    for outcome in outcomes:
        assert outcome.evidence is not None
        if cache is not None:
            outcome.evidence.save(cache)
        reports += outcome.evidence.reports
    return merge_reports(reports)
