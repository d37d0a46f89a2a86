"""Pictures of a built graph: the actor–instrument network and the instruments' timeline, as PNG.

Both are drawn with matplotlib's object API on an Agg canvas (no pyplot, no display, no global
state) and are deterministic: the layout has a fixed seed and the PNG carries no software or
date stamp, so two runs on the same graph write the same bytes.

The network's nodes are placed by a spring layout and their labels then nudged apart
(`place_labels`) until no two rendered label boxes overlap; a label that had to move away from
its node is tied to it by a thin line. The timeline marks every date a source gives for an
instrument's signing, entry into force, registration and end; where sources disagree
(`conflicts.find_conflicts`: two signing dates, or an end given both as a termination date and
as the signing of an abrogating instrument) the claims are drawn as contested: red, hatched,
with the span between the claimed ends shaded.

A picture has room for so much: a network of more than NETWORK_NODES linked nodes is drawn as
its most connected ones, a timeline of more than TIMELINE_ROWS instruments as the contested ones
and then those with the most dated events, and the title says how many of how many are shown.
Footnotes and the list of nodes in no relation are cut to a few lines, saying how many are left out.

Text is set in DejaVu Sans, and a glyph it lacks (Chinese, Japanese, Korean) in the first CJK font
installed (`CJK_FONTS`); without one, such glyphs are drawn as boxes, without a warning for each.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import re
import textwrap
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

import matplotlib
import networkx as nx
import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Transform, offset_copy
from rdflib import RDFS, Graph, Literal, URIRef

from .conflicts import find_conflicts
from .namespace import TKG
from .network import actor_network, short_label, undirected

P = ParamSpec("P")
R = TypeVar("R")

KIND_STYLE = {"State": ("#4477aa", "o"), "Person": ("#ee6677", "o"), "Organization": ("#228833", "s")}
INSTRUMENT_STYLE = ("#bbbbbb", "D")
RELATION_COLORS = {
    "signs": "#ee6677",
    "isPartyTo": "#4477aa",
    "registers": "#66ccee",
    "abrogates": "#aa3377",
    "recognizes": "#228833",
    "terminates": "#ccbb44",
    "represents": "#999999",
}
EVENTS = {
    "signingDate": ("signed", "o"),
    "entryIntoForceDate": ("entry into force", "^"),
    "registrationDate": ("registered", "s"),
    "end": ("ended", "X"),
}
CONTESTED = "#cc0000"
LABEL_GID = "label:"
LABEL_OFFSET = (0.0, -14.0)
PNG_METADATA = {"Software": None}
NETWORK_NODES = 60  # labels place_labels parts in its rounds (a 1,000-document build: 60, not 100)
TIMELINE_ROWS = 100  # rows of 0.42 inch: a figure of about 45 inches
NOTE_LINES = 30
ISOLATED_LINES = 4
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK KR", "Source Han Sans SC",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB",
             "SimHei")


def _fonts(draw: Callable[P, R]) -> Callable[P, R]:
    """Draw with the fonts of the module's docstring (matplotlib falls back glyph by glyph)."""

    @functools.wraps(draw)
    def drawn(*args: P.args, **kwargs: P.kwargs) -> R:
        installed = {font.name for font in font_manager.fontManager.ttflist}
        cjk = [name for name in CJK_FONTS if name in installed]
        with matplotlib.rc_context({"font.family": ["DejaVu Sans", *cjk]}), warnings.catch_warnings():
            if not cjk:
                warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
            return draw(*args, **kwargs)

    return drawn


def _display_label(data: dict, width: int = 24) -> str:
    label = short_label(data["label"], 48 if data["group"] == "instrument" else 40)
    if data.get("date"):
        label += f" ({data['date'][:4]})"
    return "\n".join(textwrap.wrap(label, width)) or data["label"]


def _pushes(boxes: np.ndarray) -> np.ndarray:
    """How far (pixels, [dx, dy]) to move each box, given as rows [x0, y0, x1, y1]: each pair
    that overlaps is pushed apart along its axis of least overlap, half each way. Worked out
    for all pairs at once: a network of a hundred labels has five thousand pairs a round."""
    x0, y0, x1, y1 = boxes.T
    dx = np.minimum(x1[:, None], x1[None, :]) - np.maximum(x0[:, None], x0[None, :])
    dy = np.minimum(y1[:, None], y1[None, :]) - np.maximum(y0[:, None], y0[None, :])
    overlap = np.triu((dx > 0) & (dy > 0), 1)  # pairs i < j
    centre_x, centre_y = x0 + x1, y0 + y1
    away_x = np.where(centre_x[None, :] >= centre_x[:, None], 1.0, -1.0)  # j from i
    away_y = np.where(centre_y[None, :] >= centre_y[:, None], 1.0, -1.0)
    across = dx < dy
    push_x = np.where(overlap & across, away_x * (dx / 2 + 1), 0.0)
    push_y = np.where(overlap & ~across, away_y * (dy / 2 + 1), 0.0)
    moves_x = push_x.sum(axis=0) - push_x.sum(axis=1)  # j is pushed, i pushed back
    return np.stack([moves_x, push_y.sum(axis=0) - push_y.sum(axis=1)], axis=1)


@dataclass(frozen=True, slots=True)
class LabelPlacement:
    """Where `place_labels` left the labels: each one's offset from its anchor, in points."""

    placed: bool
    offsets: tuple[tuple[float, float], ...]


def _offset(axes: Axes, dx: float, dy: float) -> Transform:
    return offset_copy(axes.transData, fig=axes.figure, x=dx, y=dy, units="points")


def place_labels(
    figure: Figure, labels: list[Text], *, start: tuple[float, float] = (0.0, -14.0), rounds: int = 500
) -> LabelPlacement:
    """Nudge labels (texts anchored at data points, offset in points) apart until none overlap.

    Overlapping pairs are pushed apart along the axis of least overlap, half each way; when
    nothing overlaps, the axes limits grow to keep every label inside, and the nudging goes on
    until both hold.

    Args:
        figure: The figure; its first axes holds the labels.
        labels: The texts, positioned at their anchors in data coordinates.
        start: Every label's first offset from its anchor, in points.
        rounds: How many passes to try.

    Returns:
        Whether it succeeded, and the final offsets.
    """
    axes = figure.axes[0]
    figure.canvas.draw()  # once, for a renderer: text extents need no further full draws
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    to_points = 72.0 / figure.dpi
    offsets = np.tile(np.asarray(start, dtype=float), (len(labels), 1))
    for label in labels:
        label.set_transform(_offset(axes, *start))
    measured: np.ndarray | None = None  # the boxes at the offsets they were measured at
    for _ in range(rounds):
        if measured is None:
            measured, measured_at = _extents(labels, renderer), offsets.copy()
        shift = (offsets - measured_at) / to_points  # a label's box moves with its offset
        boxes = measured + np.hstack([shift, shift])
        moves = _pushes(boxes)
        moving = np.flatnonzero(moves.any(axis=1))
        if not len(moving):
            if _fit_axes(figure, boxes):
                return LabelPlacement(True, tuple((float(x), float(y)) for x, y in offsets))
            measured = None  # the limits grew: the anchors moved on the canvas
            continue
        offsets[moving] += moves[moving] * to_points
        for index in moving:
            labels[index].set_transform(_offset(axes, *offsets[index]))
    return LabelPlacement(False, tuple((float(x), float(y)) for x, y in offsets))


def _extents(labels: list[Text], renderer: object) -> np.ndarray:
    """Each label's rendered box, padded by 3 pixels, as rows [x0, y0, x1, y1]."""
    boxes = [label.get_window_extent(renderer).padded(3.0).extents for label in labels]
    return np.array(boxes, dtype=float).reshape(-1, 4)


def _leaders(axes: Axes, anchors: list[tuple[float, float]], placement: LabelPlacement, start: tuple) -> None:
    """A thin line from each node to its label when the label had to move away from it."""
    for (x, y), (dx, dy) in zip(anchors, placement.offsets, strict=True):
        if abs(dx - start[0]) + abs(dy - start[1]) > 6:
            tip = axes.transData.inverted().transform(_offset(axes, dx, dy).transform((x, y)))
            axes.plot([x, tip[0]], [y, tip[1]], color="#777777", lw=0.4, zorder=2)


def _fit_axes(figure: Figure, boxes: np.ndarray) -> bool:
    """Grow the axes' data limits so that every box (rows [x0, y0, x1, y1]) lies inside; True if
    nothing had to grow."""
    axes = figure.axes[0]
    frame = axes.get_window_extent()
    left = max(frame.x0 - float(boxes[:, 0].min()), 0.0)
    right = max(float(boxes[:, 2].max()) - frame.x1, 0.0)
    bottom = max(frame.y0 - float(boxes[:, 1].min()), 0.0)
    top = max(float(boxes[:, 3].max()) - frame.y1, 0.0)
    if not (left or right or bottom or top):
        return True
    (x0, x1), (y0, y1) = axes.get_xlim(), axes.get_ylim()
    per_x, per_y = (x1 - x0) / frame.width, (y1 - y0) / frame.height
    axes.set_xlim(x0 - (left + 4) * per_x, x1 + (right + 4) * per_x)
    axes.set_ylim(y0 - (bottom + 4) * per_y, y1 + (top + 4) * per_y)
    return False


def _draw_edges(axes: Axes, net: nx.MultiDiGraph, pos: dict) -> None:
    seen: dict[frozenset, int] = {}
    for u, v, data in sorted(net.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"])):
        pair = frozenset((u, v))
        rad = 0.12 * seen.get(pair, 0)
        seen[pair] = seen.get(pair, 0) + 1
        nx.draw_networkx_edges(
            net,
            pos,
            edgelist=[(u, v)],
            ax=axes,
            edge_color=RELATION_COLORS.get(data["relation"], "k"),
            width=1.4,
            alpha=0.85,
            arrows=True,
            arrowsize=11,
            node_size=420,
            connectionstyle=f"arc3,rad={rad}",
        )


def _sorted_copy(net: nx.MultiDiGraph, nodes: list[str]) -> nx.MultiDiGraph:
    """The sub-network on ``nodes`` with nodes and edges in sorted order, so that the spring
    layout does not depend on set iteration order (which varies with PYTHONHASHSEED)."""
    keep = set(nodes)
    copy = nx.MultiDiGraph()
    copy.add_nodes_from((n, net.nodes[n]) for n in sorted(keep))
    copy.add_edges_from(
        sorted(
            ((u, v, k, d) for u, v, k, d in net.edges(keys=True, data=True) if u in keep and v in keep),
            key=lambda e: (e[0], e[1], str(e[2])),
        )
    )
    return copy


def most_connected(net: nx.MultiDiGraph, most: int = NETWORK_NODES) -> list[str]:
    """The linked nodes, or `most` of them that hang together: from the node with the most distinct
    neighbours, the best-connected neighbour of those taken, again and again, and from the best
    node left when a part of the network runs out (ties by IRI). The highest degrees alone would
    be states whose instruments are left out, dots without a line between them."""
    linked = [n for n in net if net.degree(n) > 0]
    if len(linked) <= most:
        return linked
    simple = undirected(net)
    neighbours = {n: set(simple[n]) for n in linked}
    rank = {n: (-len(neighbours[n]), n) for n in linked}
    starts = iter(sorted(linked, key=rank.__getitem__))
    taken: dict[str, None] = {}
    reachable: list[tuple[tuple[int, str], str]] = []
    while len(taken) < most:
        if not reachable:
            start = next(n for n in starts if n not in taken)
            reachable = [(rank[start], start)]
        _, node = heapq.heappop(reachable)
        if node in taken:
            continue
        taken[node] = None
        for other in neighbours[node] - taken.keys():
            heapq.heappush(reachable, (rank[other], other))
    return list(taken)


@_fonts
def network_figure(net: nx.MultiDiGraph, *, seed: int = 7, most: int = NETWORK_NODES) -> Figure:
    """The network drawn on a figure, labels placed so that none overlap.

    Nodes that take part in no relation are listed under the drawing rather than scattered
    around it. Of more than `most` linked nodes, the most connected are drawn (`most_connected`).
    Each label is an annotation whose gid is ``"label:" + IRI``.
    """
    linked = _sorted_copy(net, most_connected(net, most))
    isolated = sorted(net.nodes[n]["label"] for n in net if net.degree(n) == 0)
    figure = Figure(figsize=(15, 11), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.01, 0.15, 0.98, 0.80))
    axes.set_axis_off()
    shown = linked.number_of_nodes() + len(isolated)
    figure.suptitle(
        f"Actors and instruments: {net.number_of_nodes()} nodes, {net.number_of_edges()} relations"
        if shown == net.number_of_nodes() else
        f"Actors and instruments: the {linked.number_of_nodes()} most connected of {net.number_of_nodes()} "
        f"nodes, {linked.number_of_edges()} of {net.number_of_edges()} relations",
        fontsize=14,
    )
    if linked.number_of_nodes():
        simple = undirected(linked)
        pos = nx.spring_layout(
            simple, seed=seed, k=3.0 / max(simple.number_of_nodes(), 1) ** 0.5, iterations=300
        )
        _draw_edges(axes, linked, pos)
        degree = dict(simple.degree())
        for node, data in linked.nodes(data=True):
            color, marker = KIND_STYLE.get(data["kind"], INSTRUMENT_STYLE)
            axes.scatter(
                *pos[node],
                s=160 + 60 * degree[node],
                c=color,
                marker=marker,
                edgecolors="black",
                linewidths=0.6,
                zorder=3,
            )
        order = sorted(linked.nodes(data=True))
        labels = [
            axes.text(
                *pos[node],
                _display_label(data),
                ha="center",
                va="top",
                fontsize=8.5,
                zorder=4,
                gid=LABEL_GID + node,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
            )
            for node, data in order
        ]
        xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
        axes.set_xlim(min(xs) - 0.15, max(xs) + 0.15)
        axes.set_ylim(min(ys) - 0.2, max(ys) + 0.1)
        placement = place_labels(figure, labels, start=LABEL_OFFSET)
        _leaders(axes, [tuple(pos[node]) for node, _ in order], placement, LABEL_OFFSET)
    if isolated:
        lines = _cut(textwrap.wrap("In no relation: " + "; ".join(isolated), 190), ISOLATED_LINES,
                     f"and others: {len(isolated)} nodes in no relation in all")
        figure.text(0.01, 0.125, "\n".join(lines), fontsize=8.5, va="top")
    handles = [
        Line2D([], [], marker=m, ls="", color=c, markeredgecolor="black", label=k, markersize=9)
        for k, (c, m) in {**KIND_STYLE, "instrument": INSTRUMENT_STYLE}.items()
    ]
    handles += [Line2D([], [], color=c, lw=2, label=r) for r, c in RELATION_COLORS.items()]
    figure.legend(
        handles=handles, loc="lower left", ncol=6, fontsize=9, frameon=False, bbox_to_anchor=(0.01, 0.0)
    )
    return figure


@_fonts
def network_png(net: nx.MultiDiGraph, path: str | Path, *, seed: int = 7) -> Path:
    """Write `network_figure` as a PNG.

    Args:
        net: The network from `network.actor_network`.
        path: The PNG file to write.
        seed: The spring layout's seed.

    Returns:
        The path written.
    """
    target = Path(path)
    network_figure(net, seed=seed).savefig(target, format="png", metadata=PNG_METADATA)
    return target


def parse_date(lexical: str) -> dt.date | None:
    """The first day an xsd:date, gYearMonth or gYear lexical form names, or None.

    >>> parse_date("1950-02-14"), parse_date("1953-02"), parse_date("1945")
    (datetime.date(1950, 2, 14), datetime.date(1953, 2, 1), datetime.date(1945, 1, 1))
    """
    match = re.match(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", lexical.strip())
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
    except ValueError:
        return None


def _events(graph: Graph, instrument: object) -> dict[str, list[tuple[dt.date, str]]]:
    """Every dated event of one instrument: kind -> [(date, how the source puts it)]."""
    events: dict[str, list[tuple[dt.date, str]]] = {kind: [] for kind in EVENTS}
    for kind in ("signingDate", "entryIntoForceDate", "registrationDate"):
        for value in graph.objects(instrument, TKG[kind]):
            if (day := parse_date(str(value))) is not None:
                events[kind].append((day, kind))
    for value in graph.objects(instrument, TKG.terminationDate):
        if (day := parse_date(str(value))) is not None:
            events["end"].append((day, "terminationDate"))
    for abrogating in graph.subjects(TKG.abrogates, instrument):
        signed = graph.value(abrogating, TKG.signingDate)
        if isinstance(signed, Literal) and (day := parse_date(str(signed))) is not None:
            events["end"].append((day, f"abrogated by {graph.value(abrogating, RDFS.label)}"))
    return {kind: sorted(set(found)) for kind, found in events.items()}


def _cut(lines: list[str], most: int, rest: str) -> list[str]:
    """The lines, or the first most - 1 of them and a last saying what is left out."""
    return lines if len(lines) <= most else [*lines[:most - 1], f"… {rest}"]


def _notes(conflicts: list) -> list[str]:
    """The footnote lines: each contested instrument and property with the claimed values."""
    lines: list[str] = []
    for conflict in conflicts:
        claims = sorted({(c.value[:10] or "no date", c.via) for c in conflict.claims})
        said = "; ".join(f"{value} ({short_label(via, 50)})" for value, via in claims)
        lines += textwrap.wrap(
            f"Contested {conflict.about} of {short_label(conflict.label, 60)}: {said}",
            180,
            subsequent_indent="    ",
        )
    return _cut(lines, NOTE_LINES, f"{len(conflicts)} contested claims in all: the report lists each")


@_fonts
def timeline_figure(graph: Graph, *, most: int = TIMELINE_ROWS, net: nx.MultiDiGraph | None = None) -> Figure:
    """Each instrument's life on a time axis, contested claims in red and hatched, with footnotes.
    Of more than `most` instruments, the contested ones come first, then those with the most dated
    events. net is the graph's `actor_network`, when the caller has made it already."""
    conflicts = find_conflicts(graph)
    contested = {(c.instrument, c.about) for c in conflicts}
    net = net if net is not None else actor_network(graph)
    rows = []
    for iri, data in net.nodes(data=True):
        if data["group"] == "instrument":
            events = _events(graph, URIRef(iri))
            days = [day for found in events.values() for day, _ in found]
            rows.append(_Row(min(days) if days else dt.date.max, data["label"], data["date"], iri, events))
    every = len(rows)
    if every > most:
        disputed = {iri for iri, _ in contested}
        rows = sorted(rows, key=lambda row: (row.iri not in disputed, -sum(map(len, row.events.values())),
                                             row.first, row.iri))[:most]
    rows.sort(key=lambda row: (row.first, row.label))
    notes = _notes(conflicts)
    top, row_height, bottom = 0.7, 0.42, 1.3 + 0.2 * len(notes)
    height = top + bottom + row_height * max(len(rows), 1)
    figure = Figure(figsize=(14, height), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.38, bottom / height, 0.60, row_height * max(len(rows), 1) / height))
    _draw_timeline(axes, rows, contested)
    shown = "Instruments" if every == len(rows) else (
        f"{len(rows)} of {every} instruments (the contested, then the most dated)")
    figure.suptitle(
        f"{shown}: signing, entry into force, registration and end", fontsize=13, y=1 - 0.15 / height
    )
    handles = [
        Line2D([], [], marker=m, ls="", color="#4477aa", markeredgecolor="black", label=name)
        for name, m in EVENTS.values()
    ]
    handles.append(
        Patch(facecolor="white", edgecolor=CONTESTED, hatch="////", label="contested: sources disagree")
    )
    figure.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.01, (0.05 + 0.2 * len(notes)) / height),
        ncol=5,
        fontsize=9,
        frameon=False,
    )
    for n, note in enumerate(notes):
        figure.text(0.01, (0.1 + 0.2 * (len(notes) - 1 - n)) / height, note, fontsize=8, color=CONTESTED)
    return figure


@dataclass(frozen=True, slots=True)
class _Row:
    first: dt.date
    label: str
    date: str
    iri: str
    events: dict[str, list[tuple[dt.date, str]]]


def _draw_timeline(axes: Axes, rows: list[_Row], contested: set[tuple[str, str]]) -> None:
    dated = [day for row in rows for found in row.events.values() for day, _ in found]
    for y, row in enumerate(rows):
        days = sorted(day for found in row.events.values() for day, _ in found)
        if not days:
            axes.text(
                min(dated, default=dt.date(1945, 1, 1)),
                y,
                "no dates in the sources",
                va="center",
                fontsize=8,
                color="#777777",
                style="italic",
            )
            continue
        ends = sorted({day for day, _ in row.events["end"]})
        axes.plot(
            [days[0], ends[0] if ends else days[-1]], [y, y], color="#4477aa", lw=3, alpha=0.5, zorder=1
        )
        if (row.iri, "end") in contested and len(ends) > 1:
            axes.fill_between(
                [ends[0], ends[-1]],
                y - 0.3,
                y + 0.3,
                facecolor="none",
                edgecolor=CONTESTED,
                hatch="////",
                lw=0.8,
                zorder=1,
            )
        for kind, (_, marker) in EVENTS.items():
            disputed = (row.iri, kind) in contested
            for day in sorted({day for day, _ in row.events[kind]}):
                if disputed:
                    axes.scatter(
                        [day],
                        [y],
                        marker=marker,
                        s=110,
                        zorder=3,
                        facecolor="white",
                        edgecolors=CONTESTED,
                        hatch="////",
                        linewidths=1.4,
                    )
                else:
                    axes.scatter(
                        [day],
                        [y],
                        marker=marker,
                        s=80,
                        zorder=3,
                        c="#222222" if kind == "end" else "#4477aa",
                        edgecolors="black",
                        linewidths=0.5,
                    )
    axes.set_yticks(range(len(rows)))
    axes.set_yticklabels(
        [short_label(row.label, 64) + (f" ({row.date[:4]})" if row.date else "") for row in rows],
        fontsize=8.5,
    )
    axes.set_ylim(max(len(rows), 1) - 0.5, -0.5)
    axes.grid(axis="x", color="#dddddd")
    if dated:
        span = max(dated) - min(dated)
        margin = max(span / 20, dt.timedelta(days=120))
        axes.set_xlim(min(dated) - margin, max(dated) + margin)


@_fonts
def timeline_png(graph: Graph, path: str | Path, *, net: nx.MultiDiGraph | None = None) -> Path:
    """Write `timeline_figure` as a PNG.

    Args:
        graph: A built treatykg graph.
        path: The PNG file to write.
        net: The graph's `actor_network`, if made already (None: made here).

    Returns:
        The path written.
    """
    target = Path(path)
    timeline_figure(graph, net=net).savefig(target, format="png", metadata=PNG_METADATA)
    return target
