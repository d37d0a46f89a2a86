"""A graph's sorted files, merged from runs (treatykg.graphfiles)."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from treatykg.graphfiles import GraphFiles, new_folder, trig_header, write_run
from treatykg.rdf import PREFIXES

_IRIS = st.sampled_from(["<https://example.org/a>", "<https://example.org/a/b>", "<https://example.org/ab>"])
# literals that are prefixes of one another, with and without a language or a datatype
_LITERALS = st.builds(lambda text, suffix: f'"{text}"{suffix}',
                      st.sampled_from(["", "a", "a b", "ab", "é", "a\\\"b"]),
                      st.sampled_from(["", "@en", "@en-GB", "^^<http://www.w3.org/2001/XMLSchema#date>"]))
_TRIPLES = st.builds(lambda s, p, o: f"{s} {p} {o}", _IRIS, _IRIS, st.one_of(_IRIS, _LITERALS))
_GRAPHS = st.sampled_from(["", "<https://example.org/g>", "<https://example.org/g2>", "<https://example.org/g/2>"])
_RUNS = st.lists(st.lists(st.tuples(_TRIPLES, _GRAPHS), max_size=12), min_size=1, max_size=4)


def _merged(runs: list[list[tuple[str, str]]]) -> GraphFiles:
    folder = new_folder()
    for index, statements in enumerate(runs):
        write_run(folder, f"run-{index}", statements)
    return GraphFiles.merge(folder, [f"run-{index}" for index in range(len(runs))])


@settings(max_examples=200, deadline=None)
@given(_RUNS)
def test_the_merge_writes_each_quad_and_each_triple_once_in_byte_order(runs):
    files = _merged(runs)
    statements = {statement for run in runs for statement in run}
    quads = sorted({f"{t} {g} .\n" if g else f"{t} .\n" for t, g in statements}, key=str.encode)
    triples = sorted({f"{t} .\n" for t, _ in statements}, key=str.encode)
    assert files.nquads.read_text(encoding="utf-8") == "".join(quads)
    assert files.union.read_text(encoding="utf-8") == "".join(triples)
    assert (files.quads, files.triples) == (len(quads), len(triples))


@settings(max_examples=50, deadline=None)
@given(_RUNS)
def test_the_union_is_the_triples_oxigraph_reads_from_the_quads(runs):
    files = _merged(runs)
    from_quads = {q.triple for q in ox.parse(path=files.nquads, format=ox.RdfFormat.N_QUADS)}
    assert set(ox.parse(path=files.union, format=ox.RdfFormat.N_TRIPLES)) == {
        ox.Quad(t.subject, t.predicate, t.object) for t in from_quads}


def test_the_merge_leaves_only_the_files_and_the_trig_parts():
    files = _merged([[("<https://example.org/a> <https://example.org/p> \"x\"", "")],
                     [("<https://example.org/a> <https://example.org/p> \"x\"", "<https://example.org/g>")]])
    names = sorted(p.name for p in files.folder.iterdir())
    assert names == ["graph.nq", "run-0.trig", "run-1.trig", "union.nt"]
    assert [p.read_text(encoding="utf-8") for p in files.trig_parts] == [
        "<https://example.org/a> <https://example.org/p> \"x\" .\n",
        "<https://example.org/g> {\n\t<https://example.org/a> <https://example.org/p> \"x\" .\n}\n"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_TRIPLES, _GRAPHS), max_size=30), st.lists(st.integers(0, 30), max_size=4))
def test_trig_is_the_header_and_the_runs_trig_one_after_the_other(statements, cuts):
    """Oxigraph's TriG writer carries nothing from one graph to the next, so runs of disjoint
    graphs in increasing order, written apart and joined, are the graph written whole."""
    statements = sorted(set(statements), key=lambda s: (s[1].encode(), f"{s[0]} {s[1]} .".encode()))
    graphs = sorted({graph for _, graph in statements}, key=str.encode)
    bounds = sorted({min(cut, len(graphs)) for cut in cuts} | {0, len(graphs)})
    runs = [[s for s in statements if s[1] in graphs[a:b]] for a, b in zip(bounds, bounds[1:], strict=False)]
    files = _merged(runs or [[]])
    quads = "".join(f"{t} {g} .\n" if g else f"{t} .\n" for t, g in statements).encode("utf-8")
    parsed = ox.parse(quads, format=ox.RdfFormat.N_QUADS)
    whole = ox.serialize(parsed, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    joined = b"".join(part.read_bytes() for part in files.trig_parts)
    assert (trig_header() + joined if joined else b"") == whole
