"""The change between a published graph and the next build's (treatykg.increment)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treatykg import increment
from treatykg.graphfiles import GraphFiles, write_run
from treatykg.increment import MergedGraph, _SortedLines, graph_change, lines_about, splice_runs


def _node(name: str) -> ox.NamedNode:
    return ox.NamedNode(f"https://example.org/{name}")


def _quad(s: str, o: str, graph: str | None) -> ox.Quad:
    return ox.Quad(_node(s), _node("p"), ox.Literal(o), _node(graph) if graph else ox.DefaultGraph())


def _published(quads: list[ox.Quad], folder: Path) -> Path:
    folder.mkdir()
    files = GraphFiles.of(quads)  # its folder goes with it
    shutil.copyfile(files.nquads, folder / "graph.nq")
    return folder / "graph.nq"


def _line(quad: ox.Quad) -> bytes:
    return ox.serialize([quad], format=ox.RdfFormat.N_QUADS)


def _triple_line(quad: ox.Quad) -> bytes:
    return ox.serialize([quad.triple], format=ox.RdfFormat.N_TRIPLES)


def test_change_lists_the_quads_and_the_union_triples_that_left_and_joined(tmp_path: Path) -> None:
    kept = _quad("a", "kept", "g1")
    stays_in_union = [_quad("b", "twice", "g1"), _quad("b", "twice", "g2")]
    leaves = _quad("c", "gone", "g1")
    entity = _quad("d", "entity", None)
    previous = _published([kept, *stays_in_union, leaves, entity], tmp_path / "previous")
    joins = _quad("e", "new", "g3")
    second_statement = _quad("a", "kept", "g3")
    new = GraphFiles.of([kept, stays_in_union[0], joins, second_statement])

    change = graph_change(previous, new)

    assert change is not None
    assert change.removed_quads == sorted(map(_line, [stays_in_union[1], leaves, entity]))
    assert change.added_quads == sorted(map(_line, [joins, second_statement]))
    assert change.removed_triples == sorted(map(_triple_line, [leaves, entity]))
    assert change.added_triples == [_triple_line(joins)]


def test_no_change_between_equal_graphs(tmp_path: Path) -> None:
    quads = [_quad("a", "x", "g1"), _quad("b", "y", None)]
    change = graph_change(_published(quads, tmp_path / "previous"), GraphFiles.of(quads))
    assert change is not None
    assert not (change.removed_quads or change.added_quads or change.removed_triples or change.added_triples)


def test_a_change_of_most_of_the_graph_is_not_worth_applying(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(increment, "ALWAYS_APPLIED", 2)
    previous = _published([_quad(f"s{i}", "old", "g") for i in range(10)], tmp_path / "previous")
    new = GraphFiles.of([_quad(f"s{i}", "new" if i < 2 else "old", "g") for i in range(10)])
    assert graph_change(previous, new, max_fraction=0.5) is not None  # four lines of ten
    assert graph_change(previous, new, max_fraction=0.1) is None  # more than two lines, and more than one in ten


_LINES = st.lists(st.text(alphabet="<>ab _\"", max_size=6).map(lambda text: f"{text}\n".encode()), unique=True)


@given(lines=_LINES, key=st.text(alphabet="<>ab _\"\n", max_size=7).map(str.encode))
def test_binary_search_finds_the_first_line_not_below_the_key(lines: list[bytes], key: bytes) -> None:
    lines.sort()
    found = _SortedLines(b"".join(lines)).first_at_least(key)
    assert found == next((line for line in lines if line >= key), b"")


@given(lines=_LINES, prefix=st.text(alphabet="<>ab _\"", max_size=3).map(str.encode))
def test_lines_starting_with_a_prefix_are_found_together(lines: list[bytes], prefix: bytes) -> None:
    lines.sort()
    found = _SortedLines(b"".join(lines)).starting_with(prefix)
    assert found == b"".join(line for line in lines if line.startswith(prefix))


def test_lines_about_subjects_come_from_the_union_grouped_by_subject() -> None:
    quads = [_quad("a", "1", "g1"), _quad("a", "2", "g2"), _quad("ab", "3", None), _quad("b", "4", "g1")]
    files = GraphFiles.of(quads)
    found = lines_about(files.union, [_node("b"), _node("a"), _node("absent")])
    assert found == b"".join(_triple_line(quad) for quad in (quads[0], quads[1], quads[3]))


# runs as assemble writes them: the default graph's, then runs of disjoint named graphs; a triple
# may be in several graphs, so the union's lines depend on more than one run
_RUN_NAMES = ("head", "g1", "g2", "g3")
_RUNS = st.fixed_dictionaries({name: st.frozensets(st.tuples(st.sampled_from("abc"), st.sampled_from("xyz")),
                                                   max_size=5) for name in _RUN_NAMES})


def _write_runs(folder: Path, runs: dict[str, frozenset[tuple[str, str]]]) -> Path:
    folder.mkdir()
    for name, pairs in runs.items():
        graph = "" if name == "head" else f"<https://example.org/{name}>"
        write_run(folder, name, ((f"<https://example.org/{s}> <https://example.org/p> <https://example.org/{o}>", graph)
                                 for s, o in pairs))
    return folder


@settings(max_examples=150, deadline=None)
@given(old=_RUNS, new=_RUNS)
def test_the_runs_that_changed_spliced_into_the_last_merge_give_the_merge_and_its_change(
        old: dict[str, frozenset], new: dict[str, frozenset]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = GraphFiles.merge(_write_runs(Path(tmp) / "base", old), list(_RUN_NAMES))
        gone = _write_runs(Path(tmp) / "gone", old)
        merged = GraphFiles.merge(_write_runs(Path(tmp) / "merged", new), list(_RUN_NAMES))
        changed = [name for name in _RUN_NAMES if old[name] != new[name]]
        spliced = splice_runs(_write_runs(Path(tmp) / "spliced", new), list(_RUN_NAMES),
                              MergedGraph(base.nquads, base.union, base.quads, base.triples),
                              [gone / f"{name}.keyed" for name in changed], changed, max_fraction=1.0)

        assert spliced is not None
        assert spliced.nquads.read_bytes() == merged.nquads.read_bytes()
        assert spliced.union.read_bytes() == merged.union.read_bytes()
        assert (spliced.quads, spliced.triples) == (merged.quads, merged.triples)
        assert spliced.change == graph_change(base.nquads, merged, max_fraction=1.0)
        assert spliced.base == increment.file_identity(base.nquads)


def test_a_splice_refuses_a_base_that_lacks_the_lines_it_removes(tmp_path: Path) -> None:
    old = {name: frozenset({("a", "x")}) for name in _RUN_NAMES}
    base = GraphFiles.merge(_write_runs(tmp_path / "base", {**old, "g1": frozenset()}), list(_RUN_NAMES))
    gone = _write_runs(tmp_path / "gone", old)
    with pytest.raises(ValueError, match="a removed line is not in the graph spliced"):
        splice_runs(_write_runs(tmp_path / "spliced", {**old, "g1": frozenset({("b", "y")})}), list(_RUN_NAMES),
                    MergedGraph(base.nquads, base.union, base.quads, base.triples), [gone / "g1.keyed"], ["g1"])


def test_a_change_too_large_to_splice_is_left_to_a_merge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(increment, "ALWAYS_APPLIED", 2)
    old = {name: frozenset({("a", "x"), ("b", "x")}) for name in _RUN_NAMES}
    base = GraphFiles.merge(_write_runs(tmp_path / "base", old), list(_RUN_NAMES))
    gone = _write_runs(tmp_path / "gone", old)
    new = {**old, "g1": frozenset({("c", "y"), ("c", "z")})}  # four of eight lines change
    assert splice_runs(_write_runs(tmp_path / "spliced", new), list(_RUN_NAMES),
                       MergedGraph(base.nquads, base.union, base.quads, base.triples), [gone / "g1.keyed"], ["g1"],
                       max_fraction=0.1) is None
