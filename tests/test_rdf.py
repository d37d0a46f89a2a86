"""Tests for treatykg.rdf: every stated triple carries provenance; IRIs are minted deterministically."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import PROV

from treatykg import BuildResult
from treatykg.graphfiles import GraphFiles
from treatykg.facts import CORE_PREDICATES
from treatykg.names import name_key
from treatykg.namespace import TKG
from treatykg.rdf import literal, mint, slug

ROOT = Path(__file__).resolve().parents[1]


def _core_triples(graph: Graph) -> list[tuple]:
    core = {TKG[name] for name in CORE_PREDICATES}
    return [t for t in graph if t[1] in core]


@pytest.mark.parametrize("corpus", [pytest.param("seeds", id="seeds")])
def test_rdf_every_core_triple_has_evidence(seed_build: BuildResult, corpus: str) -> None:
    graph = seed_build.graph
    triples = _core_triples(graph)
    assert triples
    for s, p, o in triples:
        records = (
            set(graph.subjects(RDF.subject, s))
            & set(graph.subjects(RDF.predicate, p))
            & set(graph.subjects(RDF.object, o))
        )
        assert records, f"no tkg:Evidence for {(s, p, o)}"
        for record in records:
            assert (record, RDF.type, TKG.Evidence) in graph
            assert graph.value(record, PROV.wasDerivedFrom) is not None
            assert graph.value(record, PROV.wasAttributedTo) is not None


@pytest.mark.parametrize("corpus", [pytest.param("seeds", id="seeds")])
def test_rdf_evidence_quote_is_document_slice(seed_build: BuildResult, corpus: str) -> None:
    graph = seed_build.graph
    texts = {URIRef(mint("doc", d.doc_id)): d.text for d in seed_build.documents}
    records = list(graph.subjects(RDF.type, TKG.Evidence))
    assert records
    for record in records:
        text = texts[graph.value(record, PROV.wasDerivedFrom)]
        start, end = int(graph.value(record, TKG.charStart)), int(graph.value(record, TKG.charEnd))
        assert str(graph.value(record, TKG.quote)) == text[start:end]


@pytest.mark.parametrize("corpus", [pytest.param("seeds", id="seeds")])
def test_rdf_named_graph_per_document(seed_build: BuildResult, corpus: str) -> None:
    names = {str(g.identifier) for g in seed_build.dataset.graphs() if len(g)}
    for document in seed_build.documents:
        assert str(mint("graph", document.doc_id)) in names


@pytest.mark.parametrize(
    ("kind", "key", "iri"),
    [
        pytest.param("State", "ussr", "https://w3id.org/treatykg/id/state/ussr", id="state"),
        pytest.param("City", "place:moscow", "https://w3id.org/treatykg/id/place/moscow", id="city-is-place"),
        pytest.param(
            "Treaty",
            "instrument:treaty of friendship and alliance",
            "https://w3id.org/treatykg/id/treaty/treaty-of-friendship-and-alliance",
            id="treaty",
        ),
        pytest.param(
            "Agreement",
            "instrument:agreement",
            "https://w3id.org/treatykg/id/treaty/agreement",
            id="instrument-kinds-share-path",
        ),
        pytest.param("doc", "000 a/b", "https://w3id.org/treatykg/id/doc/000%20a%2Fb", id="doc-quoted"),
    ],
)
def test_mint_iri(kind: str, key: str, iri: str) -> None:
    assert str(mint(kind, key)) == iri


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Treaty of Friendship, Alliance", "treaty-of-friendship-alliance", id="ascii"),
        pytest.param("Pékin", None, id="accent-gets-hash"),
        pytest.param("中苏友好同盟条约", None, id="chinese-gets-hash"),
    ],
)
def test_slug_readable_or_hashed(text: str, expected: str | None) -> None:
    result = slug(text)
    if expected is not None:
        assert result == expected
    else:
        assert result.isascii() and result != slug(text + "x")


_labels = st.text(alphabet="abcdefghijklmnopqrstuvwxyzàéü中苏 '-", min_size=1, max_size=40)


@given(left=_labels, right=_labels)
def test_mint_injective_on_normalised_labels(left: str, right: str) -> None:
    """Distinct normalised labels (token keys) get distinct IRIs; equal labels the same IRI."""
    left_key, right_key = " ".join(name_key(left)), " ".join(name_key(right))
    if not left_key or not right_key:
        return
    same = mint("Treaty", f"instrument:{left_key}") == mint("Treaty", f"instrument:{right_key}")
    assert same == (left_key == right_key)


@given(st.text(), st.sampled_from([None, "http://www.w3.org/2001/XMLSchema#string",
                                   "http://www.w3.org/2001/XMLSchema#integer", "http://example.org/dt"]))
def test_literal_text_is_what_oxigraph_writes(lexical: str, datatype: str | None) -> None:
    """The build writes literals as text; they must be byte for byte Oxigraph's N-Triples, or the
    files would differ from an export of the same graph."""
    expected = ox.Literal(lexical, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(lexical)
    assert literal(lexical, datatype) == str(expected)


def test_statements_give_the_lines_the_quads_give(seed_build: BuildResult) -> None:
    """The build's text, read by Oxigraph and written again, is the same bytes."""
    again = GraphFiles.of(seed_build.quads)
    for made, written in ((seed_build.files.nquads, again.nquads), (seed_build.files.union, again.union)):
        assert made.read_bytes() == written.read_bytes()
    assert _joined(seed_build.files.trig_parts) == _joined(again.trig_parts)


def _joined(parts: tuple[Path, ...]) -> bytes:
    return b"".join(part.read_bytes() for part in parts)
