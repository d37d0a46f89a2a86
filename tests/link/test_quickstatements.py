"""Tests for treatykg.link.quickstatements and `treatykg wikidata quickstatements` (which never uploads)."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import OWL, Graph

from treatykg.cli import cli
from treatykg.link.compare import compare
from treatykg.link.quickstatements import qs_value, quickstatements, quote_language
from treatykg.link.snapshot import FORMAT, load_snapshot
from treatykg.namespace import ID, WD

ROOT = Path(__file__).resolve().parents[2]
PACT = ROOT / "tests" / "fixtures" / "link" / "pact-graph.ttl"
DAY = datetime.date(2024, 5, 1)
LINE = re.compile(
    r"^Q[1-9]\d*\tP[1-9]\d*\t(Q[1-9]\d*|\"[^\t]*\"|\+\d{4}-\d\d-\d\dT00:00:00Z/(9|10|11))"
    r"(\tS[1-9]\d*\t[^\t]+)+$"
)


@pytest.fixture(scope="module")
def pact() -> Graph:
    return Graph().parse(PACT, format="turtle")


@pytest.mark.parametrize("include_unchecked", [pytest.param(False, id="lacking-only")])
def test_quickstatements_writes_lacking_facts_with_one_reference_per_document(
    pact: Graph, include_unchecked: bool
) -> None:
    result = quickstatements(
        compare(pact, load_snapshot()), retrieved=DAY, include_unchecked=include_unchecked
    )
    assert result.lines == (
        'Q130796\tP1891\tQ900000041\tS1683\ten:"Another test sentence: signed by the Test Envoy."\t'
        'S854\t"https://example.invalid/other-test-document"\tS813\t+2024-05-01T00:00:00Z/11',
        'Q130796\tP1891\tQ900000041\tS1683\ten:"Test sentence: the Test Envoy signed the treaty."\t'
        'S1476\ten:"A test document"\tS813\t+2024-05-01T00:00:00Z/11',
    )
    assert all(LINE.match(line) for line in result.lines)
    assert result.text.endswith("\n") and result.text.count("\n") == 2


@pytest.mark.parametrize("include_unchecked", [pytest.param(True, id="with-unchecked")])
def test_quickstatements_unchecked_on_request(pact: Graph, include_unchecked: bool) -> None:
    result = quickstatements(
        compare(pact, load_snapshot()), retrieved=DAY, include_unchecked=include_unchecked
    )
    assert any(line.startswith('Q130796\tP4231\t"0000"\tS1683\t') for line in result.lines)
    assert any("xx" in reason and "cannot be written" in reason for reason in result.skipped)
    assert any(
        "no evidence record" in reason for reason in result.skipped
    )  # replaces: no evidence in the fixture
    assert all(LINE.match(line) for line in result.lines)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        pytest.param("date", "1950-02-14", "+1950-02-14T00:00:00Z/11", id="day"),
        pytest.param("date", "1950-02", "+1950-02-00T00:00:00Z/10", id="month"),
        pytest.param("date", "1950", "+1950-00-00T00:00:00Z/9", id="year"),
        pytest.param("item", "Q148", "Q148", id="item"),
        pytest.param("language", "xx", None, id="unmapped-language"),
        pytest.param("string", "3103", '"3103"', id="string"),
    ],
)
def test_qs_value_formats(kind: str, value: str, expected: str | None) -> None:
    from treatykg.link.compare import Comparison

    comparison = Comparison("Q1", "", "P585", "", value, "", kind, "Wikidata lacks", (), "", ())
    assert qs_value(comparison) == expected


@pytest.mark.parametrize(
    ("text", "languages", "expected"),
    [
        pytest.param("双方于1950年2月14日缔结了条约。", ("en", "zh"), "zh", id="chinese"),
        pytest.param("Договор о дружбе", ("en",), "ru", id="russian"),
        pytest.param(
            "Fait à Moscou, le 14 février 1950, en double exemplaire", ("en", "fr"), "fr", id="french"
        ),
        pytest.param("Done at Moscow on the 14th day of February 1950", ("en", "fr"), "en", id="english"),
    ],
)
def test_quote_language(text: str, languages: tuple[str, ...], expected: str) -> None:
    assert quote_language(text, languages) == expected


@pytest.fixture
def linked_seed_files(seed_graph: Graph, tmp_path: Path) -> tuple[Path, Path]:
    graph = Graph() + seed_graph
    graph.add((ID["treaty/treaty-friendship-alliance-mutual-assistance-1950"], OWL.sameAs, WD["Q900000099"]))
    graph_file = tmp_path / "graph.ttl"
    graph.serialize(graph_file, format="turtle")
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text(
        json.dumps(
            {
                "format": FORMAT,
                "items": {
                    "Q900000099": {
                        "evidence": "test data",
                        "statements": {"P407": ["Q7737"], "P710": ["Q15180"], "P1891": []},
                    }
                },
            }
        ),
        encoding="utf-8",
    )
    return graph_file, snapshot


@pytest.mark.parametrize("output", [pytest.param("missing.qs", id="file")])
def test_cli_wikidata_quickstatements_writes_file(
    linked_seed_files: tuple[Path, Path], tmp_path: Path, output: str
) -> None:
    graph_file, snapshot = linked_seed_files
    target = tmp_path / output
    result = CliRunner().invoke(
        cli,
        [
            "wikidata",
            "quickstatements",
            str(graph_file),
            "-o",
            str(target),
            "--snapshot",
            str(snapshot),
            "--retrieved",
            "2024-05-01",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines and all(LINE.match(line) for line in lines)
    written = {tuple(line.split("\t")[:3]) for line in lines}
    assert ("Q900000099", "P407", "Q7850") in written  # Chinese, stated by the UNTS page, lacking
    assert ("Q900000099", "P710", "Q148") in written
    assert ("Q900000099", "P1891", "Q15180") not in written
    assert any(t[1] == "P1891" for t in written)  # signatories: P1891 was read and is empty
    assert ("Q900000099", "P407", "Q7737") not in written  # Russian agrees
    assert "not uploaded" in result.output
