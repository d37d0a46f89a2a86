"""The build: documents in, a validated knowledge graph out, written atomically to a folder."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from .annotate import annotate
from .document import DEFAULT_ENCODING, DEFAULT_MAX_BYTES, Document, read_corpus
from .errors import ExtractionError, InputError
from .export import serialize
from .extractors import ALL_EXTRACTORS, Extractor
from .facts import Fact, Mention
from .kb import KnowledgeBase, load_kb
from .link.online import Endpoint
from .outdir import publish
from .rdf import to_dataset, union_graph
from .resolve import Resolution, resolve
from .resources import ONTOLOGY, load_turtle
from .validate import ValidationResult, validate

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
                run_validation: bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
                encoding: str = DEFAULT_ENCODING, online: OnlineLinking | None = None) -> BuildResult:
    """Read the documents under paths and build their knowledge graph.

    Documents that cannot be read are skipped and reported in `problems`; InputError is raised
    when none can be read. With `online`, entities the knowledge base does not know are
    reconciled with Wikidata (answers cached on disk, so a rebuild gives the same graph offline).
    """
    corpus = read_corpus([Path(p) for p in paths], max_bytes=max_bytes, encoding=encoding)
    if not corpus.documents:
        raise InputError("nothing to build: " + ("; ".join(corpus.problems) or "no documents"))
    knowledge = kb if kb is not None else load_kb(kb_dir)
    extractions = [extract_document(d, knowledge) for d in corpus.documents]
    facts = [f for e in extractions for f in e.facts]
    resolution = resolve(facts, [m for e in extractions for m in e.mentions], knowledge)
    if online is not None:
        from .link.online import link_unknown_entities

        resolution = link_unknown_entities(resolution, knowledge, endpoint=online.endpoint,
                                           cache_dir=online.cache_dir, offline=online.offline)
    dataset = to_dataset(resolution, list(corpus.documents), load_turtle(ONTOLOGY))
    graph = union_graph(dataset)
    validation = validate(graph) if run_validation else None
    return BuildResult(dataset, graph, resolution, corpus.documents, corpus.problems, validation, tuple(facts))


def write_build(result: BuildResult, out: Path, *, lock_timeout: float = 60.0) -> list[Path]:
    """Write the graph files into out, atomically: a reader, or a build killed at any moment, sees
    the previous build whole or the new one (treatykg.outdir).

    Raises:
        BuildLockedError: another build holds out's lock for longer than lock_timeout seconds.
        OutputError: out cannot be written (a file or a foreign folder in the way, permissions, disk full).
    """
    publish(Path(out), lambda folder: _write_files(result, folder), lock_timeout=lock_timeout)
    return [Path(out) / name for name in OUTPUT_FILES]


def _write_files(result: BuildResult, folder: Path) -> None:
    (folder / "graph.ttl").write_bytes(serialize(result.graph, "ttl"))
    (folder / "graph.jsonld").write_bytes(serialize(result.graph, "jsonld"))
    (folder / "graph.trig").write_bytes(serialize(result.dataset, "trig"))
    (folder / "graph.nq").write_bytes(serialize(result.dataset, "nq"))
    if result.validation is not None:
        (folder / "shacl-report.ttl").write_bytes(serialize(result.validation.report_graph, "ttl"))
        (folder / "shacl-report.txt").write_text(result.validation.report_text, encoding="utf-8")
