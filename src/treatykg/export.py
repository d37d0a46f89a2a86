"""Serialising graphs: Turtle, compact JSON-LD (with the local context), N-Triples, N-Quads, TriG, RDF/XML."""

from __future__ import annotations

import io
import json
import mmap
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .errors import InputError, OutputError
from .graphfiles import GraphFiles, trig_header
from .increment import GraphChange, file_identity, lines_about, mapped
from .jsonld import splice_jsonld, write_jsonld
from .outdir import link_or_copy
from .oxrdf import dataset_from_quads, graph_from_triples, quads_from_rdflib
from .rdf import PREFIXES
from .resources import CONTEXT
from .settings import FORMATS
from .turtle import splice_turtle

_WRITTEN = ".treatykg-written"  # the identities of a build's graph.ttl and graph.jsonld as it wrote them
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
SUFFIXES = {".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld", ".nt": "nt", ".nq": "nquads",
            ".trig": "trig", ".rdf": "xml", ".xml": "xml", ".owl": "xml"}


@lru_cache(maxsize=1)
def jsonld_context() -> dict:
    """The project's JSON-LD @context, read from ontology/context.jsonld (never fetched)."""
    return json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]


def serialize(graph: Graph | Dataset | Iterable[ox.Quad], fmt: str) -> bytes:
    """The graph in a format named by its short name (ttl, jsonld, nt, nq, trig, xml).

    graph is an rdflib Graph or Dataset, or pyoxigraph quads. Output is sorted (lines of N-Triples
    and N-Quads in byte order; in TriG the default graph first, then the named graphs in IRI
    order), so the same graph always gives the same bytes, however it was made.
    """
    name = FORMATS.get(fmt.lower())
    if name is None:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(sorted(FORMATS))}")
    files = GraphFiles.of(quads_from_rdflib(graph) if isinstance(graph, Graph) else graph)
    if name in ("nquads", "nt"):
        return (files.nquads if name == "nquads" else files.union).read_bytes()
    stream = io.BytesIO()
    _WRITERS[name](files, stream)
    return stream.getvalue()


def union_triples(files: GraphFiles) -> Iterator[ox.Triple]:
    """The union's triples in the order of their N-Triples lines (grouped by subject), as a stream."""
    return (quad.triple for quad in ox.parse(path=files.union, format=ox.RdfFormat.N_TRIPLES))


def write_turtle(files: GraphFiles, stream: BinaryIO) -> None:
    ox.serialize(union_triples(files), stream, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def write_trig(files: GraphFiles, stream: BinaryIO) -> None:
    """TriG: the default graph, then the named graphs in IRI order, each in line order, as the
    runs' TriG after the prefix lines (treatykg.graphfiles)."""
    if not any(part.stat().st_size for part in files.trig_parts):
        return  # Oxigraph writes nothing, not even the prefixes, for an empty graph
    stream.write(trig_header())
    for part in files.trig_parts:
        with part.open("rb") as source:
            shutil.copyfileobj(source, stream)


def write_json_ld(files: GraphFiles, stream: BinaryIO) -> None:
    with files.union.open("rb") as lines:
        write_jsonld(lines, jsonld_context(), stream)


def write_rdf_xml(files: GraphFiles, stream: BinaryIO) -> None:
    _check_xml_chars(union_triples(files))
    ox.serialize(union_triples(files), stream, format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES)


_WRITERS: dict[str, Callable[[GraphFiles, BinaryIO], None]] = {
    "turtle": write_turtle, "trig": write_trig, "json-ld": write_json_ld, "xml": write_rdf_xml}


def write_graph_files(files: GraphFiles, folder: Path, previous: Path | None = None,
                      change: GraphChange | None = None) -> None:
    """graph.ttl, graph.jsonld, graph.trig and graph.nq of a build into folder (the bytes serialize
    gives). With the folder of a previous build and the change from its graph, graph.ttl and
    graph.jsonld are written from the previous ones, with the subjects that changed made again."""
    link_or_copy(files.nquads, folder / "graph.nq")
    with (folder / "graph.trig").open("wb") as stream:
        write_trig(files, stream)
    changed = _Changed(files, change) if previous is not None and change is not None else None
    with (folder / "graph.ttl").open("wb") as stream:
        if changed is None or not _spliced(previous, "graph.ttl", stream, changed.turtle):
            write_turtle(files, stream)
    with (folder / "graph.jsonld").open("wb") as stream:
        if changed is None or not _spliced(previous, "graph.jsonld", stream, changed.json_ld):
            write_json_ld(files, stream)
    identities = {name: file_identity(folder / name) for name in ("graph.ttl", "graph.jsonld")}
    (folder / _WRITTEN).write_text(json.dumps(identities), encoding="ascii")


class _Changed:
    """The subjects whose triples changed, and their new triples, found once for both splices."""

    def __init__(self, files: GraphFiles, change: GraphChange) -> None:
        self.subjects = change.subjects()
        self.lines = lines_about(files.union, self.subjects)
        self.triples = [quad.triple for quad in ox.parse(self.lines, format=ox.RdfFormat.N_TRIPLES)]

    def turtle(self, previous: bytes | mmap.mmap, stream: BinaryIO) -> bool:
        return splice_turtle(previous, self.triples, self.subjects, PREFIXES, stream)

    def json_ld(self, previous: bytes | mmap.mmap, stream: BinaryIO) -> bool:
        return splice_jsonld(previous, self.lines.splitlines(keepends=True), self.subjects, jsonld_context(),
                             stream)


def _spliced(previous: Path, name: str, stream: BinaryIO,
             splice: Callable[[bytes | mmap.mmap, BinaryIO], bool]) -> bool:
    """Whether the previous build's file was spliced into stream: only a file as that build wrote
    it (its identity noted then: the splice looks up a few of its parts and copies the rest, so a
    file edited since would carry the edit into this build)."""
    try:
        noted = json.loads((previous / _WRITTEN).read_text(encoding="ascii")).get(name)
        if noted != list(file_identity(previous / name)):
            return False
    except (OSError, ValueError, AttributeError):
        return False
    with mapped(previous / name) as data:
        return splice(data, stream)


def _check_xml_chars(triples: Iterable[ox.Triple]) -> None:
    """Refuse a graph RDF/XML cannot carry: XML 1.0 has no way to write most control characters."""
    for triple in triples:
        for term in triple:
            bad = _NOT_XML.search(term.value)
            if bad:
                raise OutputError(f"the graph cannot be written as RDF/XML: {term.value[:40]!r} holds "
                                  f"U+{ord(bad.group()):04X}, which XML 1.0 cannot carry; export as ttl, nt, "
                                  f"nq, trig or jsonld instead")


def load_graph(path: str | Path) -> Dataset:
    """Read a built graph: an output folder (its graph.trig) or any RDF file, by its suffix.

    Nothing is fetched while reading: a JSON-LD file whose @context names a document, and an
    RDF/XML file that declares entities (the billion-laughs and external-entity attacks), are
    refused with InputError before rdflib sees them. An output folder's graph.trig is parsed by
    pyoxigraph (`build_quads`).
    """
    if Path(path).is_dir():
        return dataset_from_quads(build_quads(Path(path)), default_union=True)
    return _parsed(Path(path))


def load_union(path: str | Path) -> Graph:
    """Every triple of a built graph in one rdflib Graph, with the build's prefixes: what
    `as_graph(load_graph(path))` gives, read faster from an output folder (its graph.trig, parsed
    by pyoxigraph, each triple added once; no Dataset made on the way)."""
    if not Path(path).is_dir():
        return as_graph(_parsed(Path(path)))
    graph = graph_from_triples(build_quads(Path(path)))
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def build_quads(folder: Path) -> list[ox.Quad]:
    """The quads of an output folder's graph.trig. pyoxigraph parses the TriG treatykg writes
    thirty times faster than rdflib's parser (0.3 against 10 s at 1,000 documents), and making
    rdflib's terms from its quads is then most of the reading.

    Raises:
        InputError: the folder has no graph.trig, or it is not valid TriG.
    """
    target = folder / "graph.trig"
    if not target.is_file():
        raise InputError(f"{target}: no such graph file; build one with `treatykg build ... -o OUT`")
    try:
        return list(ox.parse(path=target, format=ox.RdfFormat.TRIG, base_iri=target.resolve().as_uri()))
    except (SyntaxError, ValueError, OSError) as error:
        raise InputError(f"{target}: is not valid trig ({_first_line(error)}); check the file or "
                         f"rebuild it") from error


def _parsed(target: Path) -> Dataset:
    """Any RDF file, by its suffix, read by rdflib."""
    fmt = SUFFIXES.get(target.suffix.lower())
    if fmt is None:
        raise InputError(f"{target}: cannot tell the RDF format from the suffix; use one of "
                         f"{', '.join(SUFFIXES)}")
    if not target.is_file():
        raise InputError(f"{target}: no such graph file; build one with `treatykg build ... -o OUT`")
    dataset = Dataset(default_union=True)
    try:
        if fmt == "json-ld":
            _refuse_remote_context(target)
            dataset.parse(target, format=fmt, context=jsonld_context())
        else:
            if fmt == "xml":
                _refuse_entities(target)
            dataset.parse(target, format=fmt)
    except InputError:
        raise
    except Exception as error:  # rdflib's parsers raise many types on bad input
        raise InputError(f"{target}: is not valid {fmt} ({_first_line(error)}); check the file or "
                         f"rebuild it") from error
    return dataset


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


def _refuse_remote_context(target: Path) -> None:
    """Refuse JSON-LD that names a context document (a URL or a file): rdflib would fetch it."""
    try:
        data = json.loads(target.read_bytes().decode("utf-8-sig"))
    except (ValueError, RecursionError) as error:
        raise InputError(f"{target}: is not valid JSON-LD ({_first_line(error)})") from error
    stack: list[object] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key == "@import":
                    named = [value]
                elif key == "@context":
                    named = value if isinstance(value, list) else [value]
                else:
                    named = []
                remote = next((v for v in named if isinstance(v, str)), None)
                if remote is not None:
                    raise InputError(f"{target}: its {key} names the document {remote!r:.80}, which treatykg "
                                     f"does not fetch; put the context in the file itself, or drop it "
                                     f"(treatykg's own is used)")
                stack.append(value)


class _EntityError(Exception):
    """An entity declaration met while checking RDF/XML."""


class _RootReachedError(Exception):
    """The root element began: no declarations can follow."""


def _refuse_entities(target: Path) -> None:
    """Refuse RDF/XML whose DTD declares entities or external parts (checked with expat, which
    reads the file's own encoding, up to the root element)."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def entity(name: str, *args: object) -> None:
        raise _EntityError(name)

    def root(*args: object) -> None:
        raise _RootReachedError

    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = entity
    parser.StartElementHandler = root
    try:
        with target.open("rb") as stream:
            while chunk := stream.read(65536):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _RootReachedError:
        return
    except _EntityError as error:
        raise InputError(f"{target}: declares the XML entity {error} in its DTD; entities are refused (they can "
                         f"expand without bound or read local files): expand them, or use Turtle") from error
    except expat.ExpatError as error:
        raise InputError(f"{target}: is not valid xml ({error})") from error


def as_graph(dataset: Dataset | Graph) -> Graph:
    """Every triple of a dataset (the union of its graphs) as one graph, with the build's prefixes."""
    if not isinstance(dataset, Dataset):
        return dataset
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
