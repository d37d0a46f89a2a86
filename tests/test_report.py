"""Tests for treatykg.report (and treatykg.highlight): the static HTML report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import PROV

import treatykg
from treatykg.cli import cli
from treatykg.export import serialize
from treatykg.highlight import mark_quote
from treatykg.namespace import ID, TKG
from treatykg.report import Report, entity_slug, write_report

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"
SHACL_TEXT = "Validation Report\nConforms: True\n<not a tag>\n"
NON_ENTITY = {TKG.Document, TKG.Evidence, TKG.Extractor}


@pytest.fixture(scope="module")
def seed() -> treatykg.BuildResult:
    """The seed build, once for this module."""
    return treatykg.build_graph([SEEDS], run_validation=False)


@pytest.fixture(scope="module")
def out(seed: treatykg.BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder as `treatykg build` leaves it (graph.trig and the SHACL text)."""
    folder = tmp_path_factory.mktemp("out")
    (folder / "graph.trig").write_bytes(serialize(seed.dataset, "trig"))
    (folder / "shacl-report.txt").write_text(SHACL_TEXT, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def report(out: Path) -> Report:
    """The seed graph's report, written once by `treatykg report OUT` (into OUT/report)."""
    result = CliRunner().invoke(cli, ["report", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        f"{result.stderr.split()[0]} entity pages -> {out / 'report' / 'index.html'}"
    )
    return Report(out / "report", out / "report" / "index.html", int(result.stderr.split()[0]))


def _entities(graph: Graph) -> list[URIRef]:
    return sorted(
        {
            s
            for s, o in graph.subject_objects(RDF.type)
            if isinstance(s, URIRef) and str(o).startswith(str(TKG._NS)) and o not in NON_ENTITY
        }
    )


@pytest.mark.parametrize("name", ["index.html", "network.png", "timeline.png"])
def test_report_writes_file(report: Report, name: str) -> None:
    assert (report.folder / name).stat().st_size > 1000


def test_report_has_a_page_per_entity(seed: treatykg.BuildResult, report: Report) -> None:
    entities = _entities(seed.graph)
    assert report.entity_pages == len(entities) > 30
    for entity in entities:
        assert (report.folder / "entities" / f"{entity_slug(str(entity))}.html").is_file(), entity


@pytest.mark.parametrize(
    "needle",
    [
        "Union of Soviet Socialist Republics",
        "isPartyTo",
        "&lt;not a tag&gt;",
        'src="network.png"',
        'src="timeline.png"',
        "Conflicting claims (",
        "Treaty of Friendship and Alliance</a>: end",
    ],
)
def test_index_shows(report: Report, needle: str) -> None:
    assert needle in report.index.read_text(encoding="utf-8")


def test_index_loads_nothing_from_outside(report: Report) -> None:
    for page in [report.index, *sorted((report.folder / "entities").glob("*.html"))]:
        text = page.read_text(encoding="utf-8")
        assert "<link" not in text and not re.search(r"""src=["']?(https?:)?//""", text), page.name


def test_index_search_data_lists_every_entity(seed: treatykg.BuildResult, report: Report) -> None:
    text = report.index.read_text(encoding="utf-8")
    data = re.search(r'<script type="application/json" id="entity-index">(.*?)</script>', text, re.S)
    assert data is not None and "<" not in data.group(1)
    index = json.loads(data.group(1))
    assert len(index) == len(_entities(seed.graph)) == text.count("<li>")
    ussr = next(e for e in index if e["label"] == "Union of Soviet Socialist Republics")
    assert "USSR" in ussr["alt"] and (report.folder / ussr["page"]).is_file()


@pytest.mark.parametrize("slug", ["person-zhou"])
def test_zhou_enlai_page_marks_the_name_at_its_document_offsets(report: Report, slug: str) -> None:
    page = (report.folder / "entities" / f"{slug}.html").read_text(encoding="utf-8")
    marks = re.findall(r'<mark title="([^ "]+) \[(\d+):(\d+)\]">(.*?)</mark>', page, re.S)
    assert any(text == "CHOU EN-LAI" for *_, text in marks)
    for document, start, end, text in marks:
        source = (SEEDS / f"{document}.txt").read_text(encoding="utf-8")
        assert source[int(start) : int(end)] == text.replace("&#x27;", "'")
    assert "People&#x27;s Republic of China" in page and "People's" not in page


def test_entity_page_escapes_quotes_and_labels(tmp_path: Path) -> None:
    graph = Graph()
    person, state, record = ID["person/x"], ID["state/y"], ID["evidence/1"]
    graph.add((person, RDF.type, TKG.Person))
    graph.add((person, RDFS.label, Literal("<b>Evil</b> & Co")))
    graph.add((person, SKOS.altLabel, Literal("</script><script>alert(1)</script>")))
    graph.add((state, RDF.type, TKG.State))
    graph.add((state, RDFS.label, Literal("Y")))
    graph.add((person, TKG.represents, state))
    for p, o in (
        (RDF.type, TKG.Evidence),
        (RDF.subject, person),
        (RDF.predicate, TKG.represents),
        (RDF.object, state),
        (PROV.wasDerivedFrom, ID["doc/d1"]),
        (TKG.charStart, Literal(5)),
        (TKG.charEnd, Literal(40)),
        (TKG.quote, Literal('<b>Evil</b> & Co "signed" <img src=x> for Y')),
    ):
        graph.add((record, p, o))
    report = write_report(graph, tmp_path)
    page = (tmp_path / "entities" / "person-x.html").read_text(encoding="utf-8")
    assert "<b>" not in page and "<img" not in page
    assert '<mark title="d1 [5:21]">&lt;b&gt;Evil&lt;/b&gt; &amp; Co</mark>' in page
    assert "&quot;signed&quot;" in page
    index = report.index.read_text(encoding="utf-8")
    assert "<b>Evil" not in index and "</script><script>alert" not in index


@pytest.mark.parametrize(
    "quote, names, expected",
    [
        (
            "signed by A. Y. VYSHINSKY\n[L.S.]",
            ["A. Y. Vyshinsky"],
            'signed by <mark title=" [10:25]">A. Y. VYSHINSKY</mark>\n[L.S.]',
        ),
        ("no name here", ["Zhou"], '<mark title=" [0:12]">no name here</mark>'),
        ("Chinatown", ["China"], '<mark title=" [0:9]">Chinatown</mark>'),
    ],
)
def test_mark_quote(quote: str, names: list[str], expected: str) -> None:
    assert mark_quote(quote, names) == expected
