"""Tests for treatykg.link.explain and `treatykg explain`: why an entity has its QID, or none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from treatykg import KnowledgeBase
from treatykg.cli import cli, main
from treatykg.link.common import LinkingError
from treatykg.link.explain import explain, format_explanation


@pytest.mark.parametrize("name", [pytest.param("Republic of China (Taiwan)", id="roc-taiwan")])
def test_explain_linked_entity_shows_qid_and_rival_set_aside(
    seed_graph: Graph, kb: KnowledgeBase, name: str
) -> None:
    result = explain(seed_graph, name, kb=kb)
    assert result.qid == "Q865"
    assert result.kind == "State"
    assert result.entry_id == "roc_taiwan"
    assert result.confidence == 1.0
    assert result.link_reason and "roc_taiwan" in result.link_reason
    assert "1953-02-24" in {d.date for d in result.event_dates}
    rival = next(r for r in result.rivals if r.qid == "Q13426199")
    assert not rival.fits
    assert "Republic of China" in rival.shared_names
    assert any("1949-12-07" in reason and "1953-02-24" in reason for reason in rival.reasons)
    text = format_explanation(result)
    assert "Q865" in text and "Q13426199" in text and "set aside" in text


@pytest.mark.parametrize(
    "name", [pytest.param("Zhou Enlai", id="zhou"), pytest.param("Chou En-Lai", id="alt-label")]
)
def test_explain_unlinked_entity_says_why_no_qid(seed_graph: Graph, kb: KnowledgeBase, name: str) -> None:
    result = explain(seed_graph, name, kb=kb)
    assert result.qid is None
    assert result.entry_id == "zhou"
    assert result.verdict.startswith("no QID")
    assert "no Wikidata item has been verified" in result.verdict
    text = format_explanation(result)
    assert "QID:          none" in text
    assert "Zhou Enlai" in text


@pytest.mark.parametrize(
    "handle",
    [
        pytest.param("Q148", id="qid"),
        pytest.param("id:state/prc", id="prefixed-iri"),
        pytest.param("https://w3id.org/treatykg/id/state/prc", id="full-iri"),
        pytest.param("state/prc", id="path"),
    ],
)
def test_explain_finds_entity_by_qid_or_iri(seed_graph: Graph, kb: KnowledgeBase, handle: str) -> None:
    result = explain(seed_graph, handle, kb=kb)
    assert result.iri == "https://w3id.org/treatykg/id/state/prc"
    assert result.qid == "Q148"
    rival = next(r for r in result.rivals if r.entry_id == "roc")
    assert any("1950-02-14" in reason for reason in rival.reasons)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            "Agreement concerning the Chinese Changchun Railway, Port Arthur and Dairen",
            id="name-keyed-instrument",
        )
    ],
)
def test_explain_entity_without_kb_entry(seed_graph: Graph, kb: KnowledgeBase, name: str) -> None:
    result = explain(seed_graph, name, kb=kb)
    assert result.qid is None and result.entry_id is None
    assert "no knowledge-base entry" in result.verdict


@pytest.mark.parametrize("name", [pytest.param("Nobody Whatsoever", id="unknown")])
def test_explain_unknown_entity_raises(seed_graph: Graph, kb: KnowledgeBase, name: str) -> None:
    with pytest.raises(LinkingError, match="no entity"):
        explain(seed_graph, name, kb=kb)


@pytest.fixture(scope="module")
def graph_file(seed_graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("explain") / "graph.ttl"
    seed_graph.serialize(path, format="turtle")
    return path


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["Republic of China (Taiwan)"], ["Q865", "Q13426199", "1953-02-24"], id="text"),
    ],
)
def test_cli_explain_prints_explanation(graph_file: Path, args: list[str], expected: list[str]) -> None:
    result = CliRunner().invoke(cli, ["explain", str(graph_file), *args])
    assert result.exit_code == 0, result.output
    for text in expected:
        assert text in result.output


@pytest.mark.parametrize("name", [pytest.param("Republic of China (Taiwan)", id="json")])
def test_cli_explain_json(graph_file: Path, name: str) -> None:
    result = CliRunner().invoke(cli, ["explain", str(graph_file), name, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["qid"] == "Q865"
    assert {r["qid"] for r in data["rivals"]} == {"Q13426199"}


@pytest.mark.parametrize("name", [pytest.param("Nobody Whatsoever", id="unknown")])
def test_cli_explain_unknown_entity_exits_2(graph_file: Path, name: str) -> None:
    assert main(["explain", str(graph_file), name]) == 2
