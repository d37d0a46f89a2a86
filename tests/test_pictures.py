"""Tests for treatykg.pictures: the network and timeline PNGs."""

from __future__ import annotations

import datetime as dt
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

import treatykg
from treatykg.network import actor_network
from treatykg.pictures import (
    LABEL_GID,
    network_figure,
    network_png,
    parse_date,
    place_labels,
    timeline_figure,
    timeline_png,
)

ROOT = Path(__file__).resolve().parents[1]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


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
