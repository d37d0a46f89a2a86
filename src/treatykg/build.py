"""The build: documents in, a validated knowledge graph out, written atomically to a folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from .annotate import annotate
from .document import DEFAULT_MAX_BYTES, Document, read_corpus
from .errors import BuildLockedError, ExtractionError, InputError
from .export import serialize
from .extractors import ALL_EXTRACTORS, Extractor
from .facts import Fact, Mention
from .kb import KnowledgeBase, load_kb
from .rdf import to_dataset, union_graph
from .resolve import Resolution, resolve
from .resources import ONTOLOGY, load_turtle
from .validate import ValidationResult, validate

OUTPUT_FILES = ("graph.ttl", "graph.jsonld", "graph.trig", "graph.nq", "shacl-report.ttl", "shacl-report.txt")


@dataclass(frozen=True, slots=True)
class DocumentExtraction:
    """What one document yielded: its facts and every entity it mentions."""

    document: Document
    facts: tuple[Fact, ...]
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class BuildResult:
    """A built graph with what went into it."""

    dataset: Dataset
    graph: Graph
    resolution: Resolution
    documents: tuple[Document, ...]
    problems: tuple[str, ...] = ()
    validation: ValidationResult | None = None
    facts: tuple[Fact, ...] = field(default=())

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
    return DocumentExtraction(document, tuple(facts), tuple(mentions))


def build_graph(paths: Iterable[Path | str], *, kb: KnowledgeBase | None = None, kb_dir: Path | None = None,
                run_validation: bool = True, max_bytes: int = DEFAULT_MAX_BYTES) -> BuildResult:
    """Read the documents under paths and build their knowledge graph.

    Documents that cannot be read are skipped and reported in `problems`; InputError is raised
    when none can be read.
    """
    corpus = read_corpus([Path(p) for p in paths], max_bytes=max_bytes)
    if not corpus.documents:
        raise InputError("nothing to build: " + ("; ".join(corpus.problems) or "no documents"))
    knowledge = kb if kb is not None else load_kb(kb_dir)
    extractions = [extract_document(d, knowledge) for d in corpus.documents]
    facts = [f for e in extractions for f in e.facts]
    resolution = resolve(facts, [m for e in extractions for m in e.mentions], knowledge)
    dataset = to_dataset(resolution, list(corpus.documents), load_turtle(ONTOLOGY))
    graph = union_graph(dataset)
    validation = validate(graph) if run_validation else None
    return BuildResult(dataset, graph, resolution, corpus.documents, corpus.problems, validation, tuple(facts))


def write_build(result: BuildResult, out: Path) -> list[Path]:
    """Write the graph files into out, atomically: a reader sees the old folder or the new one."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = out.parent / f".{out.name}.lock"
    try:
        descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError as error:
        raise BuildLockedError(f"{out}: another build is writing here (lock {lock}); wait for it or remove the "
                               f"lock if no build is running") from error
    try:
        os.write(descriptor, str(os.getpid()).encode())
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)
        try:
            _write_files(result, staging)
            _swap_into_place(staging, out)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    finally:
        os.close(descriptor)
        lock.unlink(missing_ok=True)
    return [out / name for name in OUTPUT_FILES]


def _write_files(result: BuildResult, folder: Path) -> None:
    (folder / "graph.ttl").write_bytes(serialize(result.graph, "ttl"))
    (folder / "graph.jsonld").write_bytes(serialize(result.graph, "jsonld"))
    (folder / "graph.trig").write_bytes(serialize(result.dataset, "trig"))
    (folder / "graph.nq").write_bytes(serialize(result.dataset, "nq"))
    if result.validation is not None:
        (folder / "shacl-report.ttl").write_bytes(serialize(result.validation.report_graph, "ttl"))
        (folder / "shacl-report.txt").write_text(result.validation.report_text, encoding="utf-8")


def _swap_into_place(staging: Path, out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder; choose another -o")
    previous = None
    if out.exists():
        previous = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
        previous.rmdir()
        os.rename(out, previous)
    os.rename(staging, out)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
