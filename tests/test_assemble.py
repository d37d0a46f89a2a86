"""treatykg.assemble writes the graph a chunk of documents at a time: however the documents are
cut and however many processes write them, the files and the validation report are the same."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from treatykg import assemble, build_graph
from treatykg.build import BuildResult
from treatykg.cache import KeyCache
from treatykg.increment import graph_change
from treatykg.resolve import Resolution
from treatykg.resources import ONTOLOGY, load_turtle
from treatykg.validate import validate_quads

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "data" / "dev"


def _files(result: BuildResult) -> list[bytes]:
    trig = b"".join(part.read_bytes() for part in result.files.trig_parts)
    return [result.files.nquads.read_bytes(), result.files.union.read_bytes(), trig]


@pytest.fixture(scope="module")
def whole() -> BuildResult:
    return build_graph([DEV], jobs=1)


@pytest.fixture(scope="module")
def chunked() -> BuildResult:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assemble, "CHUNK_DOCUMENTS", 3)
        return build_graph([DEV], jobs=2)


def test_chunks_on_two_processes_give_the_files_of_one_chunk_here(whole: BuildResult, chunked: BuildResult) -> None:
    assert len({f.doc_id for f in whole.facts}) > 3 * 2
    assert _files(chunked) == _files(whole)


def test_chunks_give_the_report_of_one_chunk_and_of_validating_the_quads(whole: BuildResult,
                                                                         chunked: BuildResult) -> None:
    assert whole.validation is not None and chunked.validation is not None
    assert chunked.validation.report_text == whole.validation.report_text
    assert isomorphic(chunked.validation.report_graph, whole.validation.report_graph)
    assert validate_quads(whole.quads).report_text == whole.validation.report_text


def test_union_is_the_quads_triples_each_once_in_byte_order(whole: BuildResult) -> None:
    union = whole.files.union.read_bytes().splitlines()
    assert union == sorted(set(union)) and len(union) == whole.files.triples
    assert {line.decode() for line in union} == {f"{q.triple} ." for q in whole.quads}


def test_a_failing_chunk_leaves_no_files_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("broken writer")

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(assemble, "document_graph", broken)
    with pytest.raises(RuntimeError, match="broken writer"):
        build_graph([DEV], jobs=1)
    assert list(tmp_path.iterdir()) == []


def test_the_files_go_with_the_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = build_graph([ROOT / "data" / "seeds"], run_validation=False, jobs=1)
    folder = result.files.folder
    assert folder.parent == tmp_path and result.files.nquads.is_file()
    del result
    assert not folder.exists()


def _assembled(result: BuildResult, runs: KeyCache | None, resolution: Resolution | None = None,
               **options: object) -> assemble.Assembled:
    return assemble.assemble(resolution or result.resolution, result.documents, load_turtle(ONTOLOGY),
                             runs=runs, jobs=1, **options)  # type: ignore[arg-type]


def _graph_files(assembled: assemble.Assembled) -> list[bytes]:
    trig = b"".join(part.read_bytes() for part in assembled.files.trig_parts)
    return [assembled.files.nquads.read_bytes(), assembled.files.union.read_bytes(), trig]


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assemble, "CHUNK_DOCUMENTS", 3)


@pytest.mark.usefixtures("small_chunks")
def test_a_rebuild_takes_every_unchanged_chunk_from_the_run_cache(whole: BuildResult, tmp_path: Path) -> None:
    first = _assembled(whole, KeyCache(tmp_path, "runs"))
    again = _assembled(whole, KeyCache(tmp_path, "runs"))
    assert first.chunks > 3 and (first.reused, again.reused) == (0, first.chunks)
    assert _graph_files(again) == _graph_files(first) == _files(whole)
    assert again.validation is not None and whole.validation is not None
    assert again.validation.report_text == whole.validation.report_text


@pytest.mark.usefixtures("small_chunks")
def test_a_document_more_remakes_its_own_chunk_only(whole: BuildResult, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(DEV, corpus)
    added = sorted(corpus.glob("*.txt"))[len(list(corpus.glob("*.txt"))) // 2]
    moved = added.rename(tmp_path / added.name)
    before = build_graph([corpus], jobs=1)
    first = _assembled(before, KeyCache(tmp_path, "runs"))
    after = build_graph([corpus, moved], jobs=1)
    rebuilt = _assembled(after, KeyCache(tmp_path, "runs"))
    assert rebuilt.chunks - rebuilt.reused in (1, 2)
    assert _graph_files(rebuilt) == _graph_files(_assembled(after, None))
    # spliced into the last merge, whose change it carries, instead of merging every run
    assert rebuilt.files.base is not None
    assert rebuilt.files.change == graph_change(first.files.nquads, rebuilt.files)


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("damage", ["appended", "lost"])
def test_a_last_merge_changed_or_lost_is_not_spliced_from(whole: BuildResult, tmp_path: Path, damage: str) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(DEV, corpus)
    removed = sorted(corpus.glob("*.txt"))[5]
    first = _assembled(build_graph([corpus], jobs=1), KeyCache(tmp_path, "runs"))
    removed.unlink()
    after = build_graph([corpus], jobs=1)
    (kept,) = (tmp_path / "runs").glob("*/*.nq")
    if damage == "appended":  # as a user appending to the published graph.nq, a link of it, would
        with kept.open("ab") as stream:
            stream.write(b"<urn:x> <urn:y> <urn:z> .\n")
    else:
        kept.with_suffix(".nt").unlink()
    rebuilt = _assembled(after, KeyCache(tmp_path, "runs"))
    assert rebuilt.files.base is None
    assert _graph_files(rebuilt) == _graph_files(_assembled(after, None))
    assert first.files.quads > rebuilt.files.quads


@pytest.mark.usefixtures("small_chunks")
def test_a_chunk_whose_cached_files_are_gone_is_made_again(whole: BuildResult, tmp_path: Path) -> None:
    first = _assembled(whole, KeyCache(tmp_path, "runs"))
    kept = sorted((tmp_path / "runs").glob("*/*.trig"))
    kept[0].unlink()
    again = _assembled(whole, KeyCache(tmp_path, "runs"))
    assert again.reused == first.chunks - 1
    assert _graph_files(again) == _graph_files(first)


def test_a_chunk_checked_otherwise_or_naming_entities_of_other_classes_is_not_taken(whole: BuildResult,
                                                                                    tmp_path: Path) -> None:
    _assembled(whole, KeyCache(tmp_path, "runs"), validate=False)
    checked = _assembled(whole, KeyCache(tmp_path, "runs"))
    assert checked.reused == 0 and checked.validation is not None
    city = next(e for e in whole.resolution.entities.values() if e.kind == "City")
    # the same IRI (both are places), another class for sh:class to check
    ports = {**whole.resolution.entities, city.key: replace(city, kind="Port")}
    moved = _assembled(whole, KeyCache(tmp_path, "runs"), replace(whole.resolution, entities=ports))
    assert moved.reused < moved.chunks


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text("abcdefgh", min_size=1, max_size=6), unique=True, max_size=400),
       st.text("xyz", min_size=1))
def test_a_document_more_changes_at_most_two_chunks(doc_ids: list[str], new: str) -> None:
    before = assemble.cut_chunks(sorted(doc_ids))
    after = assemble.cut_chunks(sorted([*doc_ids, new]))
    assert [d for chunk in after for d in chunk] == sorted([*doc_ids, new])
    if assemble.chunk_average(len(doc_ids)) == assemble.chunk_average(len(doc_ids) + 1) and len(before) > 1:
        assert len({tuple(c) for c in after} - {tuple(c) for c in before}) <= 2


def test_a_small_corpus_is_one_chunk_and_a_larger_one_about_eight_or_more() -> None:
    assert assemble.cut_chunks([f"d{i:02d}" for i in range(31)]) == [[f"d{i:02d}" for i in range(31)]]
    assert assemble.cut_chunks([]) == []
    for documents in (32, 100, 300, 1000, 5000):
        chunks = assemble.cut_chunks([f"d{i:05d}" for i in range(documents)])
        assert len(chunks) >= 3
        assert max(map(len, chunks)) <= 4 * assemble.chunk_average(documents)


def test_the_average_chunk_changes_only_where_the_corpus_crosses_a_power_of_two() -> None:
    averages = [assemble.chunk_average(n) for n in range(32, 5000)]
    assert set(averages) == {4, 8, 16, 32, 64}
    changes = [n for n in range(33, 5000) if assemble.chunk_average(n) != assemble.chunk_average(n - 1)]
    assert changes == [64, 128, 256, 512]
