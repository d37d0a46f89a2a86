"""The build: documents in, a validated knowledge graph out, written atomically to a folder."""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .annotate import annotate
from .assemble import assemble
from .cache import ExtractionCache, KeyCache, NameCache, code_fingerprint
from .document import DEFAULT_ENCODING, DEFAULT_MAX_BYTES, Document, read_corpus
from .errors import ExtractionError, InputError
from .export import as_graph, write_graph_files
from .extractors import ALL_EXTRACTORS, Extractor
from .facts import Fact, Mention
from .graphfiles import GraphFiles
from .increment import GraphChange, file_identity, graph_change
from .kb import KnowledgeBase, load_kb
from .link.online import Endpoint
from .outdir import publish, published_build
from .oxrdf import dataset_from_quads
from .parallel import default_jobs, extract_all
from .progress import Progress, Silent
from .resolve import Resolution, resolve
from .resources import ONTOLOGY, load_turtle
from .store import STORE_DIR, StaleStoreError, has_store, update_store, write_store
from .validate import ValidationResult

BUILD_STAMP = ".treatykg-code"  # the code that wrote a build: only such a build is changed by the next
OUTPUT_FILES = ("graph.ttl", "graph.jsonld", "graph.trig", "graph.nq", "shacl-report.ttl", "shacl-report.txt")


@dataclass(frozen=True, slots=True)
class OnlineLinking:
    """How to ask Wikidata for what the offline knowledge base lacks: the endpoint (None: the
    public one), the answer cache, and whether to use the cache only."""

    endpoint: Endpoint | None = None
    cache_dir: Path | None = None
    offline: bool = False


@dataclass(frozen=True, slots=True)
class DocumentExtraction:
    """What one document yielded: its facts and every entity it mentions."""

    document: Document
    facts: tuple[Fact, ...]
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class BuildResult:
    """A built graph with what went into it.

    `files` is the graph as the build made it, in sorted text files (treatykg.graphfiles: its
    N-Quads, entities in the default graph and a named graph per document, and its union's
    N-Triples), from which the store and the published files are written. `quads` (pyoxigraph),
    `dataset` and `graph` (rdflib) give it as objects, made on first use.
    """

    files: GraphFiles
    resolution: Resolution
    documents: tuple[Document, ...]
    problems: tuple[str, ...] = ()
    validation: ValidationResult | None = None
    facts: tuple[Fact, ...] = field(default=())
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    @cached_property
    def quads(self) -> tuple[ox.Quad, ...]:
        """The graph as pyoxigraph quads, in the order of their N-Quads lines."""
        return tuple(ox.parse(path=self.files.nquads, format=ox.RdfFormat.N_QUADS))

    @cached_property
    def dataset(self) -> Dataset:
        """The graph as an rdflib Dataset (a named graph per document)."""
        return dataset_from_quads(self.quads)

    @cached_property
    def graph(self) -> Graph:
        """Every triple in one rdflib Graph (what graph.ttl holds)."""
        return as_graph(self.dataset)

    def summary(self) -> dict[str, dict[str, int]]:
        """Entities per class and facts (distinct triples) per relation."""
        entities = Counter(e.kind for e in self.resolution.entities.values())
        triples = {(f.subject, f.predicate, str(f.object)) for f in self.resolution.facts}
        relations = Counter(p for _, p, _ in triples)
        return {"entities": dict(sorted(entities.items())), "facts": dict(sorted(relations.items()))}


def extract_document(document: Document, kb: KnowledgeBase,
                     extractors: Sequence[Extractor] = ALL_EXTRACTORS) -> DocumentExtraction:
    """Annotate one document and run every extractor on it."""
    doc = annotate(document, kb)
    facts: list[Fact] = []
    seen: set[tuple] = set()
    for extractor in extractors:
        try:
            found = list(extractor.extract(doc))
        except Exception as error:  # an extractor bug must name the document it failed on
            raise ExtractionError(f"{document.path or document.doc_id}: extractor {extractor.name} failed ({error!r})") from error
        for fact in found:
            key = (fact.subject, fact.predicate, fact.object, fact.char_start, fact.char_end, fact.extractor)
            if key not in seen:
                seen.add(key)
                facts.append(fact)
    mentions = [doc.name_mention(n) for n in doc.names if n.via != "adjective"]
    for index, span in enumerate(doc.instruments):
        if span.specific:
            mentions += doc.instrument_names(index)
    return _one_object_each(DocumentExtraction(document, tuple(facts), tuple(mentions)))


def _one_object_each(extraction: DocumentExtraction) -> DocumentExtraction:
    """The extraction with one object for each distinct mention, value and quoted sentence.
    Extractors make their own copies of a name they share; as one object, it is pickled once (to
    the cache and from a worker), and resolution's tables, keyed by mention, find it by identity
    where equal copies were compared field by field."""
    canonical: dict[object, object] = {}
    one = canonical.setdefault
    facts = tuple(replace(f, subject=one(f.subject, f.subject), object=one(f.object, f.object),
                          evidence=one(f.evidence, f.evidence)) for f in extraction.facts)
    mentions = tuple(one(m, m) for m in extraction.mentions)
    return DocumentExtraction(extraction.document, facts, mentions)


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector paused, and restored as it was after. Building a graph allocates
    millions of objects that form no cycles (documents, facts, mentions), and each full collection
    walks every live object: a cost that grows faster than the corpus (at 10,000 documents, a fifth
    of resolution's time). Cycles made meanwhile are collected after. (Writing the files and the
    store is not paused: measured at 10,000 documents, it was slower so.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@cycle_collection_paused()
def build_graph(paths: Iterable[Path | str], *, kb: KnowledgeBase | None = None, kb_dir: Path | None = None,
                run_validation: bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
                encoding: str = DEFAULT_ENCODING, online: OnlineLinking | None = None, jobs: int | None = None,
                engine: str = "local", scheduler: str | None = None, cache_dir: Path | None = None,
                progress: Progress | None = None) -> BuildResult:
    """Read the documents under paths and build their knowledge graph.

    Documents that cannot be read are skipped and reported in `problems`; InputError is raised
    when none can be read. With `online`, entities the knowledge base does not know are
    reconciled with Wikidata (answers cached on disk, so a rebuild gives the same graph offline).
    Extraction runs on `jobs` local processes (None: every core) or, with engine "dask", on the
    dask.distributed cluster at `scheduler`; validation runs on `jobs` local processes. With
    `cache_dir`, what each document yielded, its validation and the graph's runs are kept by
    content hash, so a rebuild redoes only added or changed documents and the chunks of the graph
    they change; the graph is the same, byte for byte, as a clean build's.
    """
    progress = progress or Silent()
    clock = _Clock()
    corpus = read_corpus([Path(p) for p in paths], max_bytes=max_bytes, encoding=encoding)
    if not corpus.documents:
        raise InputError("nothing to build: " + ("; ".join(corpus.problems) or "no documents"))
    knowledge = kb if kb is not None else load_kb(kb_dir)
    clock.lap("read")
    extractions = _extract(corpus.documents, knowledge, jobs=jobs, engine=engine, scheduler=scheduler,
                           cache=ExtractionCache(cache_dir, knowledge) if cache_dir else None, progress=progress)
    clock.lap("extract")
    progress.stage("resolving")
    facts = [f for e in extractions for f in e.facts]
    names = NameCache(cache_dir, knowledge) if cache_dir else None
    if names is not None:
        names.recall(knowledge)
    resolution = resolve(facts, [m for e in extractions for m in e.mentions], knowledge)
    if names is not None:
        names.keep(knowledge)
    if online is not None:
        from .link.online import link_unknown_entities

        resolution = link_unknown_entities(resolution, knowledge, endpoint=online.endpoint,
                                           cache_dir=online.cache_dir, offline=online.offline)
    clock.lap("resolve")
    reports = KeyCache(cache_dir, "validate") if cache_dir and run_validation else None
    runs = KeyCache(cache_dir, "runs") if cache_dir else None
    graph = assemble(resolution, corpus.documents, load_turtle(ONTOLOGY), validate=run_validation, cache=reports,
                     runs=runs, jobs=jobs, progress=progress)
    for kept in (reports, runs):
        if kept is not None:
            kept.prune()
    clock.lap("rdf")
    clock.laps["rdf"] -= graph.validate_seconds
    if run_validation:
        clock.laps["validate"] = graph.validate_seconds
    progress.close()
    return BuildResult(graph.files, resolution, corpus.documents, corpus.problems, graph.validation, tuple(facts),
                       clock.laps)


def _extract(documents: Sequence[Document], kb: KnowledgeBase, *, jobs: int | None, engine: str,
             scheduler: str | None, cache: ExtractionCache | None, progress: Progress) -> list[DocumentExtraction]:
    """Every document's extraction, from the cache where it holds one."""
    found = [cache.get(d) if cache is not None else None for d in documents]
    missing = [d for d, hit in zip(documents, found, strict=True) if hit is None]
    progress.stage("extracting", len(missing))
    fresh = iter(extract_all(missing, kb, jobs=jobs, engine=engine, scheduler=scheduler, progress=progress))
    extractions = []
    for document, hit in zip(documents, found, strict=True):
        facts, mentions = hit if hit is not None else next(fresh)
        if hit is None and cache is not None:
            cache.put(document, (facts, mentions))
        extractions.append(DocumentExtraction(document, facts, mentions))
    if cache is not None:
        cache.prune()
    return extractions


class _Clock:
    """Seconds spent per stage of a build."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = self.laps.get(stage, 0.0) + now - self.last
        self.last = now


def write_build(result: BuildResult, out: Path, *, lock_timeout: float = 60.0, progress: Progress | None = None,
                jobs: int | None = None, reuse: bool = True) -> list[Path]:
    """Write the graph files and the store into out, atomically: a reader, or a build killed at any
    moment, sees the previous build whole or the new one (treatykg.outdir). With jobs above one
    (None: every core), the store is loaded while the files are written. With reuse, when out
    holds a build whose graph differs from this one in few quads, its store is copied and changed
    (treatykg.increment) instead of loaded afresh.

    Raises:
        BuildLockedError: another build holds out's lock for longer than lock_timeout seconds.
        OutputError: out cannot be written (a file or a foreign folder in the way, permissions, disk full).
    """
    progress = progress or Silent()
    progress.stage("writing")

    def write(folder: Path) -> None:
        previous = published_build(Path(out)) if reuse else None
        _write_files(result, folder, jobs or default_jobs(), previous)

    publish(Path(out), write, lock_timeout=lock_timeout)
    progress.close()
    return [Path(out) / name for name in (*OUTPUT_FILES, STORE_DIR)]


def _write_files(result: BuildResult, folder: Path, jobs: int, previous: Path | None) -> None:
    """The store and the files. Oxigraph loads the store without holding the GIL, so with more than
    one job it is loaded, on jobs threads, while the files are serialised. A previous build written
    by this code, whose graph differs from this one in few quads, is changed instead."""
    wall = time.perf_counter()
    change = _change(previous, result.files)
    if change is None:
        previous = None
    make_store = partial(_store, result.files, folder, jobs, previous, change)
    with ThreadPoolExecutor(max_workers=1) as loader:
        store = loader.submit(_timed, make_store) if jobs > 1 else None
        started = time.perf_counter()
        write_graph_files(result.files, folder, previous, change)
        if result.validation is not None:
            (folder / "shacl-report.ttl").write_bytes(result.validation.report_turtle())
            (folder / "shacl-report.txt").write_text(result.validation.report_text, encoding="utf-8")
        (folder / BUILD_STAMP).write_text(code_fingerprint(), encoding="ascii")
        result.timings["export"] = time.perf_counter() - started
        result.timings["store"] = store.result() if store else _timed(make_store)
    result.timings["write"] = time.perf_counter() - wall  # store and export, overlapped with jobs > 1


def _change(previous: Path | None, files: GraphFiles) -> GraphChange | None:
    """The change from the previous build's graph, when that build was written by this code and
    holds a store (None: write afresh)."""
    if previous is None or not has_store(previous) or not (previous / "graph.nq").is_file():
        return None
    stamp = previous / BUILD_STAMP
    if not stamp.is_file() or stamp.read_text(encoding="ascii") != code_fingerprint():
        return None
    if files.change is not None and files.base == file_identity(previous / "graph.nq"):
        return files.change  # spliced from the very file published (linked into the run cache)
    return graph_change(previous / "graph.nq", files)


def _store(files: GraphFiles, folder: Path, jobs: int, previous: Path | None, change: GraphChange | None) -> None:
    """The store, changed from the previous build's when there is a change to apply."""
    if previous is not None and change is not None:
        try:
            update_store(folder, previous, change)
            return
        except StaleStoreError:
            pass  # the previous build's store is not what it published: load this one afresh
    write_store(folder, files, jobs)


def _timed(function: Callable, *args: object) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started
