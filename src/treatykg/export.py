"""Serialising graphs: Turtle, compact JSON-LD (with the local context), N-Triples, N-Quads, TriG, RDF/XML."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.parsers import expat

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .errors import InputError, OutputError
from .jsonld import to_jsonld
from .oxrdf import quads_from_rdflib
from .rdf import PREFIXES
from .resources import CONTEXT

FORMATS = {"ttl": "turtle", "turtle": "turtle", "jsonld": "json-ld", "json-ld": "json-ld", "nt": "nt",
           "nq": "nquads", "trig": "trig", "xml": "xml", "rdfxml": "xml"}
_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "xml": ox.RdfFormat.RDF_XML}
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
SUFFIXES = {".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld", ".nt": "nt", ".nq": "nquads",
            ".trig": "trig", ".rdf": "xml", ".xml": "xml", ".owl": "xml"}


@lru_cache(maxsize=1)
def jsonld_context() -> dict:
    """The project's JSON-LD @context, read from ontology/context.jsonld (never fetched)."""
    return json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]


def serialize(graph: Graph | Dataset | Sequence[ox.Quad], fmt: str) -> bytes:
    """The graph in a format named by its short name (ttl, jsonld, nt, nq, trig, xml).

    graph is an rdflib Graph or Dataset, or the build's pyoxigraph quads. Output is sorted (lines
    of N-Triples and N-Quads in byte order; in TriG the default graph first, then the named graphs
    in IRI order), so the same graph always gives the same bytes, however it was made.
    """
    name = FORMATS.get(fmt.lower())
    if name is None:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(sorted(FORMATS))}")
    lines = DatasetLines.of(quads_from_rdflib(graph) if isinstance(graph, Graph) else graph)
    if name == "nquads":
        return lines.nquads
    if name == "trig":
        return lines.trig()
    if name == "nt":
        return lines.union
    triples = lines.union_triples()
    if name == "json-ld":
        return to_jsonld(triples, jsonld_context())
    if name == "xml":
        _check_xml_chars(triples)
    return ox.serialize(triples, format=_OX_FORMATS[name], prefixes=PREFIXES)


# an N-Quads line as Oxigraph writes it: the triple, then the graph name unless it is the default graph
_NQUADS_LINE = re.compile(rb'(\S+ \S+ (?:<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@\S+|\^\^<[^>]*>)?))'
                          rb'(?: (<[^>]*>|_:\S+))? \.')


@dataclass(frozen=True)
class DatasetLines:
    """A dataset as sorted lines, from which the store and every file of a build are written in C
    and Rust: its N-Quads (each quad once, in byte order) and its union's N-Triples (each triple
    once, in byte order)."""

    nquads: bytes
    union: bytes

    @classmethod
    def of(cls, quads: Iterable[ox.Quad]) -> DatasetLines:
        lines = sorted(set(ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines()))
        union = sorted({split_nquads_line(line)[0] + b" ." for line in lines})
        return cls(_joined(lines), _joined(union))

    @classmethod
    def from_statements(cls, statements: Iterable[tuple[str, str]]) -> DatasetLines:
        """The lines of (triple, graph) statements in N-Triples text, graph "" for the default graph
        (treatykg.rdf.statements); the same bytes `of` gives for the same quads."""
        unique = set(statements)
        lines = sorted(f"{triple} {graph} ." if graph else f"{triple} ." for triple, graph in unique)
        union = sorted({f"{triple} ." for triple, _ in unique})
        return cls(_joined_text(lines), _joined_text(union))

    def union_triples(self) -> list[ox.Triple]:
        """The union's triples, in the order of their N-Triples lines."""
        return [quad.triple for quad in ox.parse(self.union, format=ox.RdfFormat.N_TRIPLES)]

    def trig(self) -> bytes:
        """TriG: the default graph, then the named graphs in IRI order, each in line order."""
        lines = self.nquads.splitlines()
        graphs = [split_nquads_line(line)[1] or b"" for line in lines]
        ordered = _joined([lines[i] for i in sorted(range(len(lines)), key=graphs.__getitem__)])  # a stable sort
        return ox.serialize(ox.parse(ordered, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG,
                            prefixes=PREFIXES)


def split_nquads_line(line: bytes) -> tuple[bytes, bytes | None]:
    """An N-Quads line's triple and graph name (None: the default graph)."""
    return _NQUADS_LINE.fullmatch(line).groups()  # type: ignore[union-attr, return-value]


def _joined_text(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _joined(lines: list[bytes]) -> bytes:
    return b"\n".join(lines) + b"\n" if lines else b""


def build_files(lines: DatasetLines) -> dict[str, bytes]:
    """graph.ttl, graph.jsonld, graph.trig and graph.nq of a build (the bytes serialize gives)."""
    triples = lines.union_triples()
    return {"graph.ttl": ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES),
            "graph.jsonld": to_jsonld(triples, jsonld_context()), "graph.trig": lines.trig(),
            "graph.nq": lines.nquads}


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
    refused with InputError before rdflib sees them.
    """
    target = Path(path)
    if target.is_dir():
        target = target / "graph.trig"
    fmt = SUFFIXES.get(target.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: cannot tell the RDF format from the suffix; use one of {', '.join(SUFFIXES)}")
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
