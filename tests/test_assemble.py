"""treatykg.assemble writes the graph a chunk of documents at a time: however the documents are
cut and however many processes write them, the files and the validation report are the same."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from treatykg import assemble, build_graph
from treatykg.build import BuildResult
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
