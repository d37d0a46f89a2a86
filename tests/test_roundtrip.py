"""Round trips of the built seed graph through every serialisation, and build determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import XSD, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic

import treatykg
from treatykg import BuildResult, serialize
from treatykg.export import jsonld_context, load_graph
from treatykg.namespace import ID, TKG

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"
TRIPLE_FORMATS = [
    pytest.param("ttl", "turtle", id="ttl"),
    pytest.param("jsonld", "json-ld", id="jsonld"),
    pytest.param("nt", "nt", id="nt"),
    pytest.param("xml", "xml", id="xml"),
]
QUAD_FORMATS = [pytest.param("trig", "trig", id="trig"), pytest.param("nq", "nquads", id="nq")]


def _parse(data: bytes, rdflib_format: str) -> Dataset:
    dataset = Dataset(default_union=True)
    if rdflib_format == "json-ld":
        dataset.parse(data=data, format=rdflib_format, context=jsonld_context())
    else:
        dataset.parse(data=data, format=rdflib_format)
    return dataset


def _union(dataset: Dataset) -> Graph:
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def _assert_isomorphic(expected: Graph, actual: Graph) -> None:
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(expected, actual)
        pytest.fail(
            "graphs differ\nonly in expected:\n"
            + only_expected.serialize(format="nt")
            + "\nonly in actual:\n"
            + only_actual.serialize(format="nt")
        )


def _named_graphs(dataset: Dataset) -> dict[str, Graph]:
    """Each graph of a dataset with its triples, keyed by name; empty graphs left out."""
    graphs = {}
    for graph in dataset.graphs():
        triples = Graph()
        for triple in graph:
            triples.add(triple)
        if len(triples):
            graphs[str(graph.identifier)] = triples
    return graphs


@pytest.fixture(scope="module")
def built(seed_build: BuildResult) -> BuildResult:
    return seed_build


@pytest.fixture(scope="module")
def rebuilt() -> BuildResult:
    """A second, independent build of the seeds."""
    return treatykg.build_graph([SEEDS], run_validation=False)


@pytest.mark.parametrize(("fmt", "rdflib_format"), TRIPLE_FORMATS)
def test_serialize_graph_round_trips(built: BuildResult, fmt: str, rdflib_format: str) -> None:
    _assert_isomorphic(built.graph, _union(_parse(serialize(built.graph, fmt), rdflib_format)))


@pytest.mark.parametrize(("fmt", "rdflib_format"), QUAD_FORMATS)
def test_serialize_dataset_round_trips_union(built: BuildResult, fmt: str, rdflib_format: str) -> None:
    _assert_isomorphic(built.graph, _union(_parse(serialize(built.dataset, fmt), rdflib_format)))


@pytest.mark.parametrize(("fmt", "rdflib_format"), QUAD_FORMATS)
def test_serialize_dataset_round_trips_graph_by_graph(
    built: BuildResult, fmt: str, rdflib_format: str
) -> None:
    expected = _named_graphs(built.dataset)
    actual = _named_graphs(_parse(serialize(built.dataset, fmt), rdflib_format))
    documents = {f"https://w3id.org/treatykg/id/graph/{d.doc_id}" for d in built.documents}
    assert documents <= set(expected)
    assert set(actual) == set(expected)
    for name, graph in expected.items():
        _assert_isomorphic(graph, actual[name])


@pytest.mark.parametrize(("fmt", "rdflib_format"), QUAD_FORMATS)
def test_serialize_graph_as_quads_round_trips(built: BuildResult, fmt: str, rdflib_format: str) -> None:
    _assert_isomorphic(built.graph, _union(_parse(serialize(built.graph, fmt), rdflib_format)))


@pytest.mark.parametrize(
    "suffix",
    [
        pytest.param(".ttl", id="ttl"),
        pytest.param(".jsonld", id="jsonld"),
        pytest.param(".nq", id="nq"),
        pytest.param(".trig", id="trig"),
    ],
)
def test_load_graph_reads_serialisation(built: BuildResult, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"graph{suffix}"
    path.write_bytes(serialize(built.dataset if suffix in (".nq", ".trig") else built.graph, suffix[1:]))
    _assert_isomorphic(built.graph, _union(load_graph(path)))


@pytest.mark.parametrize("fmt", [pytest.param("jsonld", id="jsonld")])
def test_jsonld_context_is_local(built: BuildResult, fmt: str) -> None:
    document = json.loads(serialize(built.graph, fmt))

    def contexts(node: object) -> list[object]:
        if isinstance(node, dict):
            return ([node["@context"]] if "@context" in node else []) + [
                c for v in node.values() for c in contexts(v)
            ]
        if isinstance(node, list):
            return [c for v in node for c in contexts(v)]
        return []

    found = contexts(document)
    assert found, "the JSON-LD output has no @context"
    for context in found:
        for part in context if isinstance(context, list) else [context]:
            assert isinstance(part, dict), f"remote @context {part!r}"
    assert document["@context"] == jsonld_context()


@pytest.mark.parametrize(
    "fmt",
    [
        pytest.param("ttl", id="ttl"),
        pytest.param("nq", id="nq"),
        pytest.param("jsonld", id="jsonld"),
        pytest.param("trig", id="trig"),
    ],
)
def test_build_is_deterministic(built: BuildResult, rebuilt: BuildResult, fmt: str) -> None:
    source = (lambda r: r.dataset) if fmt in ("nq", "trig") else (lambda r: r.graph)
    assert serialize(source(rebuilt), fmt) == serialize(source(built), fmt)


_DIGESTS = """
import hashlib, json, sys
import treatykg
result = treatykg.build_graph([sys.argv[1]], run_validation=False)
source = {fmt: result.dataset if fmt in ("nq", "trig") else result.graph for fmt in sys.argv[2:]}
print(json.dumps({fmt: hashlib.sha256(treatykg.serialize(g, fmt)).hexdigest() for fmt, g in source.items()}))
"""
SERIALISATIONS = ("ttl", "nt", "nq", "trig", "jsonld")


@pytest.fixture(scope="module")
def digests_by_hash_seed() -> list[dict[str, str]]:
    """The digest of each serialisation of the seed build, from two processes with different hash seeds."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _DIGESTS, str(SEEDS), *SERIALISATIONS],
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        for seed in ("1", "2")
    ]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    assert all(process.returncode == 0 for process in processes)
    return [json.loads(output) for output in outputs]


@pytest.mark.parametrize("fmt", [pytest.param(fmt, id=fmt) for fmt in SERIALISATIONS])
def test_build_is_deterministic_across_processes(
    digests_by_hash_seed: list[dict[str, str]], fmt: str
) -> None:
    """Python salts str hashes per process: output must not depend on set or dict order."""
    first, second = digests_by_hash_seed
    assert first[fmt] == second[fmt]


@pytest.mark.parametrize("fmt", [pytest.param("docx", id="docx")])
def test_serialize_unknown_format_raises(built: BuildResult, fmt: str) -> None:
    with pytest.raises(treatykg.InputError, match="unknown format"):
        serialize(built.graph, fmt)


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(("", "a"), id="empty-string-first"),
        pytest.param(("a", ""), id="empty-string-second"),
        pytest.param(("0", ""), id="zero-and-empty"),
    ],
)
def test_serialize_jsonld_keeps_every_value(values: tuple[str, ...]) -> None:
    """Several values of one property, one of them "", all survive compact JSON-LD (hypothesis found it)."""
    graph = Graph()
    for value in values:
        graph.add((ID["state/ussr"], TKG.quote, Literal(value)))
    _assert_isomorphic(graph, _union(_parse(serialize(graph, "jsonld"), "json-ld")))


# ---------------------------------------------------------------- property: any small graph

_texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("\n\t\"'\\"),
    max_size=20,
)
_literals = st.one_of(
    _texts.map(Literal),
    st.dates().map(lambda d: Literal(d.isoformat(), datatype=XSD.date)),
    st.integers(min_value=0, max_value=10**6).map(lambda n: Literal(n, datatype=XSD.integer)),
    st.sampled_from(["P30Y", "P6M", "P1Y2M"]).map(lambda d: Literal(d, datatype=XSD.duration)),
)
_nodes = st.sampled_from([ID["treaty/a"], ID["state/ussr"], ID["person/zhou-enlai"], ID["place/x-12ab"]])
_predicates = st.sampled_from(
    [TKG.signs, TKG.isPartyTo, TKG.signingDate, TKG.quote, TKG.charStart, TKG.duration]
)
_triples = st.tuples(_nodes, _predicates, st.one_of(_nodes, _literals))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(triples=st.lists(_triples, max_size=8))
@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [pytest.param("ttl", "turtle", id="ttl"), pytest.param("jsonld", "json-ld", id="jsonld")],
)
def test_serialize_any_graph_round_trips(
    fmt: str, rdflib_format: str, triples: list[tuple[URIRef, URIRef, object]]
) -> None:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    _assert_isomorphic(graph, _union(_parse(serialize(graph, fmt), rdflib_format)))
