"""Tests for treatykg.pictures: the network and timeline PNGs."""

from __future__ import annotations

import datetime as dt
import warnings
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from rdflib import RDFS, Graph, Literal, URIRef

import treatykg
from treatykg.namespace import TKG
from treatykg.network import actor_network
from treatykg.pictures import (
    ISOLATED_LINES,
    LABEL_GID,
    NETWORK_NODES,
    most_connected,
    network_figure,
    network_png,
    parse_date,
    place_labels,
    timeline_figure,
    timeline_png,
)

ROOT = Path(__file__).resolve().parents[1]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


@pytest.fixture(scope="module")
def seed() -> treatykg.BuildResult:
    """The seed build, once for this module."""
    return treatykg.build_graph([ROOT / "data" / "seeds"], run_validation=False)


@pytest.fixture(scope="module")
def net(seed: treatykg.BuildResult) -> nx.MultiDiGraph:
    """The seed graph's actor network."""
    return actor_network(seed.graph)


def _crowded() -> nx.MultiDiGraph:
    """A star of long-named actors around one instrument: the labels collide before they are placed."""
    crowd = nx.MultiDiGraph()
    crowd.add_node(
        "t",
        label="Treaty of Everything with Everyone Concerned",
        kind="Treaty",
        group="instrument",
        qid="",
        date="1950-01-01",
        alt_labels="",
    )
    for i in range(14):
        node = f"s{i}"
        crowd.add_node(
            node,
            label=f"Very Long Republic Name Number {i}",
            kind="State",
            group="actor",
            qid="",
            date="",
            alt_labels="",
        )
        crowd.add_edge(node, "t", key="isPartyTo", relation="isPartyTo", evidence=1, documents="d")
    return crowd


def _label_boxes(figure: Figure) -> list:
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    texts = [t for t in figure.axes[0].findobj(Text) if (t.get_gid() or "").startswith(LABEL_GID)]
    return [t.get_window_extent(renderer) for t in texts]


def _overlapping(boxes: list) -> list[tuple[int, int]]:
    return [
        (i, j)
        for (i, a), (j, b) in combinations(enumerate(boxes), 2)
        if min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0)
    ]


@pytest.mark.parametrize("which", ["seed", "crowded"])
def test_network_labels_do_not_overlap(net: nx.MultiDiGraph, which: str) -> None:
    graph = net if which == "seed" else _crowded()
    figure = network_figure(graph)
    boxes = _label_boxes(figure)
    assert len(boxes) == sum(1 for n in graph if graph.degree(n) > 0)
    assert _overlapping(boxes) == []
    frame = figure.axes[0].get_window_extent()
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1 for b in boxes)


@pytest.mark.parametrize("count", [10])
def test_place_labels_separates_labels_on_one_spot(count: int) -> None:
    figure = Figure(figsize=(5, 5), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.1, 0.1, 0.8, 0.8))
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    labels = [
        axes.text(0.5, 0.5, f"label number {i}", gid=f"{LABEL_GID}{i}", ha="center", va="top")
        for i in range(count)
    ]
    placement = place_labels(figure, labels)
    assert placement.placed and len(set(placement.offsets)) == count
    assert _overlapping(_label_boxes(figure)) == []


@pytest.mark.parametrize("name", ["network.png"])
def test_network_png_is_written_and_deterministic(net: nx.MultiDiGraph, tmp_path: Path, name: str) -> None:
    first, second = network_png(net, tmp_path / f"1-{name}"), network_png(net, tmp_path / f"2-{name}")
    data = first.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 10_000
    assert data == second.read_bytes()


@pytest.mark.parametrize("name", ["timeline.png"])
def test_timeline_png_is_written(seed: treatykg.BuildResult, tmp_path: Path, name: str) -> None:
    data = timeline_png(seed.graph, tmp_path / name).read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 10_000


@pytest.mark.parametrize("instrument", ["Treaty of Friendship and Alliance (1945)"])
def test_timeline_draws_contested_end(seed: treatykg.BuildResult, instrument: str) -> None:
    figure = timeline_figure(seed.graph)
    axes = figure.axes[0]
    rows = [t.get_text() for t in axes.get_yticklabels()]
    assert instrument in rows
    hatched = [c for c in axes.collections if c.get_hatch()]
    # the two claimed ends (1950 abrogation, 1953 termination) and the span between them
    assert len(hatched) >= 3
    legend = [t.get_text() for legend in figure.legends for t in legend.get_texts()]
    assert "contested: sources disagree" in legend
    notes = " ".join(t.get_text() for t in figure.texts)
    assert "1950-02-14" in notes and "1953-02-24" in notes


@pytest.mark.parametrize(
    "lexical, expected",
    [
        ("1950-02-14", dt.date(1950, 2, 14)),
        ("1953-02", dt.date(1953, 2, 1)),
        ("1945", dt.date(1945, 1, 1)),
        ("P30Y", None),
    ],
)
def test_parse_date(lexical: str, expected: dt.date | None) -> None:
    assert parse_date(lexical) == expected


def _hubs(hubs: int, spokes: int, alone: int) -> nx.MultiDiGraph:
    """Instruments with many parties each, and nodes in no relation: a network too big to draw whole."""
    net = nx.MultiDiGraph()
    for h in range(hubs):
        net.add_node(f"t{h:03d}", label=f"Treaty {h}", kind="Treaty", group="instrument", qid="", date="",
                     alt_labels="")
        for s in range(spokes):
            node = f"s{h:03d}-{s:03d}"
            net.add_node(node, label=f"State {h}.{s}", kind="State", group="actor", qid="", date="",
                         alt_labels="")
            net.add_edge(node, f"t{h:03d}", key="isPartyTo", relation="isPartyTo", evidence=1, documents="d")
    for a in range(alone):
        net.add_node(f"z{a:03d}", label=f"Unlinked Place Number {a}", kind="Place", group="actor", qid="",
                     date="", alt_labels="")
    return net


def test_a_network_too_big_to_draw_whole_draws_its_most_connected() -> None:
    """600 linked nodes: the picture holds the NETWORK_NODES most connected, labels apart, and says
    so; the spring layout of all of them needed scipy, which treatykg does not install."""
    net = _hubs(hubs=20, spokes=29, alone=300)
    drawn = most_connected(net)
    assert len(drawn) == NETWORK_NODES and {"t000", "t001"} <= set(drawn)
    assert all(net.degree(n) == net.subgraph(drawn).degree(n) for n in drawn if n.startswith("s"))
    assert all(net.subgraph(drawn).degree(n) > 0 for n in drawn)  # no dot without a line
    figure = network_figure(net)
    boxes = _label_boxes(figure)
    assert len(boxes) == NETWORK_NODES and _overlapping(boxes) == []
    title = figure.texts[0].get_text()
    assert title.startswith(f"Actors and instruments: the {NETWORK_NODES} most connected of "
                            f"{net.number_of_nodes()} nodes")
    alone = next(t.get_text() for t in figure.texts if t.get_text().startswith("In no relation"))
    assert len(alone.splitlines()) == ISOLATED_LINES and alone.endswith("300 nodes in no relation in all")


def test_a_network_that_fits_is_drawn_whole(net: nx.MultiDiGraph) -> None:
    assert set(most_connected(net)) == {n for n in net if net.degree(n) > 0}
    title = network_figure(net).texts[0].get_text()
    assert title.startswith(f"Actors and instruments: {net.number_of_nodes()} nodes")


def test_a_timeline_too_long_to_draw_keeps_the_contested_instruments(seed: treatykg.BuildResult) -> None:
    """The contested 1945 treaty, its signing date taken out, has fewer dated events than the 1950
    treaty given an end: it is still the one row kept."""
    graph = Graph()
    graph += seed.graph
    by_label = {str(label): node for node, label in graph.subject_objects(RDFS.label)}
    contested, dated = by_label["Treaty of Friendship and Alliance"], by_label[
        "Treaty of Friendship, Alliance and Mutual Assistance"]
    graph.remove((contested, TKG.signingDate, None))
    graph.add((dated, TKG.terminationDate, Literal("1980-02-14", datatype=URIRef(XSD_DATE))))
    every = len(timeline_figure(graph).axes[0].get_yticklabels())
    figure = timeline_figure(graph, most=1)
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == ["Treaty of Friendship and Alliance"]
    title = figure.texts[0].get_text()
    assert title.startswith(f"1 of {every} instruments (the contested, then the most dated)")
    assert [t.get_text() for t in timeline_figure(graph, most=2).axes[0].get_yticklabels()][1].startswith(
        "Treaty of Friendship, Alliance and Mutual Assistance")


def test_chinese_labels_are_drawn_without_a_warning_for_each_glyph(tmp_path: Path) -> None:
    """With a CJK font installed the glyphs are drawn; without one, as boxes, silently."""
    net = _hubs(hubs=1, spokes=3, alone=0)
    nx.set_node_attributes(net, {"t000": "中苏友好同盟条约"}, "label")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert network_png(net, tmp_path / "network.png").read_bytes().startswith(PNG_MAGIC)
