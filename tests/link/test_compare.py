"""Tests for treatykg.link.compare and `treatykg wikidata compare`: the graph's facts against Wikidata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import OWL, Graph, Literal, URIRef

from treatykg.cli import cli, main
from treatykg.link.common import LinkingError
from treatykg.link.compare import AGREES, DISAGREES, LACKS, UNCHECKED, compare, format_report, subject_qids
from treatykg.link.online import Endpoint, WikidataClient
from treatykg.link.snapshot import DEFAULT_SNAPSHOT, FORMAT, load_snapshot, parse_snapshot
from treatykg.link.statements import _statements_query
from treatykg.namespace import ID, TKG, WD

ROOT = Path(__file__).resolve().parents[2]
PACT = ROOT / "tests" / "fixtures" / "link" / "pact-graph.ttl"
STATEMENTS = ROOT / "tests" / "fixtures" / "wikidata" / "sparql-statements-q900000099.json"
TREATY_1950 = ID["treaty/treaty-friendship-alliance-mutual-assistance-1950"]


@pytest.fixture(scope="module")
def pact() -> Graph:
    return Graph().parse(PACT, format="turtle")


def _status(report, prop: str, value: str) -> str:
    return next(c.status for c in report.comparisons if c.property == prop and c.value == value)


@pytest.mark.parametrize("path", [pytest.param(DEFAULT_SNAPSHOT, id="data-kb-wikidata")])
def test_snapshot_loads_and_every_item_has_evidence(path: Path) -> None:
    snapshot = load_snapshot(path)
    assert snapshot.items
    assert all(item.evidence.strip() for item in snapshot.items.values())
    assert snapshot.values("Q130796", "P1891") == ("Q101886", "Q132899")
    assert snapshot.values("Q130796", "P4231") is None


@pytest.mark.parametrize(
    ("raw", "match"),
    [
        pytest.param([], "not a Wikidata snapshot", id="not-object"),
        pytest.param({"format": FORMAT, "items": {"X1": {}}}, "not a QID", id="bad-qid"),
        pytest.param(
            {"format": FORMAT, "items": {"Q1": {"statements": {"P31": ["Q5"]}}}},
            "no evidence",
            id="no-evidence",
        ),
        pytest.param(
            {"format": FORMAT, "items": {"Q1": {"evidence": "e", "statements": {"P31": "Q5"}}}},
            "list",
            id="not-a-list",
        ),
    ],
)
def test_parse_snapshot_rejects_malformed(raw: object, match: str) -> None:
    with pytest.raises(LinkingError, match=match):
        parse_snapshot(raw, "test.json")


@pytest.mark.parametrize(
    ("prop", "value", "status"),
    [
        pytest.param("P1891", "Q132899", AGREES, id="signatory-agrees"),
        pytest.param("P1891", "Q900000041", LACKS, id="signatory-lacking"),
        pytest.param("P710", "Q15180", AGREES, id="participant"),
        pytest.param("P585", "1939-08-23", AGREES, id="point-in-time"),
        pytest.param("P276", "Q649", AGREES, id="location"),
        pytest.param("P407", "Q7737", AGREES, id="language-ru"),
        pytest.param("P407", "Q188", AGREES, id="language-de"),
        pytest.param("P407", "xx", UNCHECKED, id="language-unverified-code"),
        pytest.param("P4231", "0000", UNCHECKED, id="registration-not-read"),
        pytest.param("P1365", "Q900000050", UNCHECKED, id="replaces-not-read"),
        pytest.param("P1366", "Q130796", UNCHECKED, id="replaced-by-item-not-in-snapshot"),
    ],
)
def test_compare_pact_with_snapshot(pact: Graph, prop: str, value: str, status: str) -> None:
    report = compare(pact, load_snapshot())
    assert _status(report, prop, value) == status


@pytest.mark.parametrize(
    ("date", "status"),
    [pytest.param("1939-08-24", DISAGREES, id="other-day"), pytest.param("1939", AGREES, id="coarser-year")],
)
def test_compare_single_valued_date(pact: Graph, date: str, status: str) -> None:
    from rdflib.namespace import XSD

    graph = Graph() + pact
    pact_iri = ID["treaty/pact"]
    graph.remove((pact_iri, TKG.signingDate, None))
    graph.add((pact_iri, TKG.signingDate, Literal(date, datatype=XSD.gYear if len(date) == 4 else XSD.date)))
    report = compare(graph, load_snapshot())
    assert _status(report, "P585", date) == status
    if status == DISAGREES:
        assert "Wikidata: 1939-08-23" in format_report(report)


@pytest.mark.parametrize("graph_name", [pytest.param("pact", id="pact")])
def test_compare_lists_unlinked_facts_as_not_comparable(pact: Graph, graph_name: str) -> None:
    report = compare(pact, load_snapshot())
    assert any(n.value == "Unlinked Envoy" and n.property == "P1891" for n in report.not_comparable)
    assert report.counts() == {AGREES: 6, DISAGREES: 0, LACKS: 1, UNCHECKED: 4}


@pytest.mark.parametrize("snapshot", [pytest.param(DEFAULT_SNAPSHOT, id="default")])
def test_compare_seed_graph_has_nothing_comparable_while_treaties_are_unlinked(
    seed_graph: Graph, snapshot: Path
) -> None:
    report = compare(seed_graph, load_snapshot(snapshot))
    assert report.comparisons == ()
    assert len(report.not_comparable) > 10
    assert all("has no QID" in n.missing for n in report.not_comparable)


def _linked_seed_graph(seed_graph: Graph) -> Graph:
    """The seed graph as it would be once the 1950 treaty has a QID (fictional here)."""
    graph = Graph() + seed_graph
    graph.add((TREATY_1950, OWL.sameAs, WD["Q900000099"]))
    return graph


@pytest.fixture(scope="module")
def fictional_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("snapshot") / "snapshot.json"
    path.write_text(
        json.dumps(
            {
                "format": FORMAT,
                "items": {
                    "Q900000099": {
                        "label": "fictional item for the 1950 treaty",
                        "evidence": "test data",
                        "statements": {
                            "P585": ["1950-02-14"],
                            "P4231": ["3103"],
                            "P407": ["Q7737"],
                            "P710": ["Q15180"],
                        },
                    }
                },
            }
        ),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("prop", "value", "status"),
    [
        pytest.param("P585", "1950-02-14", AGREES, id="signing-date"),
        pytest.param("P4231", "3103", AGREES, id="unts-number"),
        pytest.param("P407", "Q7737", AGREES, id="russian"),
        pytest.param("P407", "Q7850", LACKS, id="chinese-lacking"),
        pytest.param("P710", "Q15180", AGREES, id="ussr"),
        pytest.param("P710", "Q148", LACKS, id="prc-lacking"),
        pytest.param("P276", "Q649", UNCHECKED, id="moscow-not-read"),
    ],
)
def test_compare_seed_graph_once_a_treaty_is_linked(
    seed_graph: Graph, fictional_snapshot: Path, prop: str, value: str, status: str
) -> None:
    report = compare(_linked_seed_graph(seed_graph), load_snapshot(fictional_snapshot))
    assert _status(report, prop, value) == status


@pytest.mark.parametrize("fmt", [pytest.param("table", id="table"), pytest.param("json", id="json")])
def test_cli_wikidata_compare_reads_the_online_cache_offline(
    seed_graph: Graph, tmp_path: Path, fmt: str
) -> None:
    graph = _linked_seed_graph(seed_graph)
    graph_file = tmp_path / "graph.ttl"
    graph.serialize(graph_file, format="turtle")
    cache = tmp_path / "cache"
    client = WikidataClient(
        Endpoint(), cache
    )  # the default endpoint's URL is the cache key; nothing is fetched
    url = client.sparql_url(_statements_query(sorted(subject_qids(graph))))
    cache.mkdir()
    client.cache_path(url).write_text(
        json.dumps(
            {
                "url": url,
                "retrieved": "2024-05-01T00:00:00Z",
                "body": json.loads(STATEMENTS.read_text(encoding="utf-8")),
            }
        )
    )
    result = CliRunner().invoke(
        cli, ["wikidata", "compare", str(graph_file), "--cache-dir", str(cache), "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.output)
        statuses = {(c["property"], c["value"]): c["status"] for c in data["comparisons"]}
        assert statuses[("P4231", "3103")] == AGREES
        assert statuses[("P585", "1950-02-14")] == AGREES  # Wikidata's year-precision 1950
        assert statuses[("P1891", "Q155860")] == LACKS
    else:
        assert "agrees" in result.output and "Wikidata lacks" in result.output


@pytest.mark.parametrize("args", [pytest.param(["--cache-dir"], id="cache-miss")])
def test_cli_wikidata_compare_offline_cache_miss_exits_2(
    seed_graph: Graph, tmp_path: Path, args: list[str]
) -> None:
    graph_file = tmp_path / "graph.ttl"
    _linked_seed_graph(seed_graph).serialize(graph_file, format="turtle")
    assert main(["wikidata", "compare", str(graph_file), *args, str(tmp_path / "empty")]) == 2


@pytest.mark.parametrize("iri", [pytest.param(URIRef(TREATY_1950), id="treaty-1950")])
def test_subject_qids_are_the_compared_items(seed_graph: Graph, iri: URIRef) -> None:
    assert subject_qids(seed_graph) == set()
    assert subject_qids(_linked_seed_graph(seed_graph)) == {"Q900000099"}
