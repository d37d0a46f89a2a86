"""Tests for treatykg.document: reading documents and folders, refusing what is not text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from treatykg import Corpus, Document, InputError, read_corpus, read_document
from treatykg.document import read_metadata

TEXT = "Treaty of Friendship, signed at Moscow on 14 February 1950. 中苏友好同盟互助条约"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        pytest.param(TEXT.encode("utf-8"), TEXT, id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), TEXT, id="utf-8-bom"),
        pytest.param(TEXT.encode("utf-16"), TEXT, id="utf-16-bom"),
        pytest.param(b"\xfe\xff" + TEXT.encode("utf-16-be"), TEXT, id="utf-16-be-bom"),
        pytest.param(TEXT.encode("utf-32"), TEXT, id="utf-32-bom"),
        pytest.param(
            "Traité\r\nsigné\tle 3 janvier 1956\f".encode(),
            "Traité\r\nsigné\tle 3 janvier 1956\f",
            id="line-ends-tabs-form-feed",
        ),
    ],
)
def test_read_document_decodes(tmp_path: Path, data: bytes, text: str) -> None:
    path = tmp_path / "treaty.txt"
    path.write_bytes(data)
    document = read_document(path)
    assert document == Document(doc_id="treaty", text=text, path=str(path))


@pytest.mark.parametrize(
    ("data", "match"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"  \n\t\n", "empty", id="whitespace-only"),
        pytest.param(b"Treaty\x00\x01\x02 of", "binary", id="binary-nul"),
        pytest.param(b"PK" + bytes(range(1, 9)) * 4, "binary", id="control-characters"),
        pytest.param("Traité signé à Moscou".encode("latin-1"), "not UTF-8", id="latin-1"),
        pytest.param(b"\xff\xfe" + b"\x00\xd8", "utf-16", id="utf-16-bom-invalid"),
    ],
)
def test_read_document_refuses_non_text(tmp_path: Path, data: bytes, match: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=match) as raised:
        read_document(path)
    assert str(path) in str(raised.value)


@pytest.mark.parametrize("name", [pytest.param("missing.txt", id="missing-file")])
def test_read_document_missing_path(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="no such file") as raised:
        read_document(tmp_path / name)
    assert name in str(raised.value)


@pytest.mark.parametrize("name", [pytest.param("folder.txt", id="folder")])
def test_read_document_folder_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / name).mkdir()
    with pytest.raises(InputError, match="is a folder"):
        read_document(tmp_path / name)


@pytest.mark.parametrize("limit", [pytest.param(10, id="ten-bytes")])
def test_read_document_size_limit(tmp_path: Path, limit: int) -> None:
    path = tmp_path / "long.txt"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(InputError, match="over the limit"):
        read_document(path, max_bytes=limit)


@pytest.mark.parametrize(
    "metadata",
    [
        pytest.param(
            {
                "id": "doc-1",
                "title": "A title",
                "kind": "news",
                "languages": ["en", "zh"],
                "published": "2009-09-11",
            },
            id="full",
        )
    ],
)
def test_read_document_takes_metadata(tmp_path: Path, metadata: dict) -> None:
    path = tmp_path / "x.txt"
    path.write_text(TEXT, encoding="utf-8")
    document = read_document(path, metadata=metadata)
    assert (document.doc_id, document.title, document.kind, document.languages, document.published) == (
        "doc-1",
        "A title",
        "news",
        ("en", "zh"),
        "2009-09-11",
    )


# ---------------------------------------------------------------- read_corpus


@pytest.mark.parametrize("name", [pytest.param("missing", id="missing-folder")])
def test_read_corpus_missing_path(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="no such file or folder") as raised:
        read_corpus([tmp_path / name])
    assert name in str(raised.value)


@pytest.mark.parametrize(
    "extra", [pytest.param([], id="no-files"), pytest.param(["notes.md"], id="no-text-files")]
)
def test_read_corpus_empty_folder(tmp_path: Path, extra: list[str]) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in extra:
        (folder / name).write_text("# notes", encoding="utf-8")
    with pytest.raises(InputError, match="holds no documents") as raised:
        read_corpus([folder])
    assert str(folder) in str(raised.value)


@pytest.mark.parametrize("paths", [pytest.param([], id="no-paths")])
def test_read_corpus_no_paths(paths: list[Path]) -> None:
    with pytest.raises(InputError, match="no input"):
        read_corpus(paths)


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\x00\x00\x00binary", id="binary"),
        pytest.param("Traité".encode("latin-1"), id="latin-1"),
    ],
)
def test_read_corpus_skips_bad_file_and_names_it(tmp_path: Path, bad: bytes) -> None:
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(bad)
    corpus = read_corpus([tmp_path])
    assert isinstance(corpus, Corpus)
    assert [d.doc_id for d in corpus.documents] == ["good"]
    assert corpus.documents[0].text == TEXT
    assert len(corpus.problems) == 1
    assert str(tmp_path / "bad.txt") in corpus.problems[0]
    assert "\n" not in corpus.problems[0]


@pytest.mark.parametrize(
    "hidden", [pytest.param(".hidden/x.txt", id="hidden-folder"), pytest.param(".x.txt", id="hidden-file")]
)
def test_read_corpus_ignores_hidden_files(tmp_path: Path, hidden: str) -> None:
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / hidden).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / hidden).write_bytes(b"\x00")
    corpus = read_corpus([tmp_path])
    assert ([d.doc_id for d in corpus.documents], corpus.problems) == (["good"], ())


@pytest.mark.parametrize("names", [pytest.param(("b.txt", "a.txt", "c.text"), id="three")])
def test_read_corpus_sorted_by_id(tmp_path: Path, names: tuple[str, ...]) -> None:
    for name in names:
        (tmp_path / name).write_text(TEXT, encoding="utf-8")
    assert [d.doc_id for d in read_corpus([tmp_path]).documents] == ["a", "b", "c"]


@pytest.mark.parametrize("layout", [pytest.param(("one/x.txt", "two/x.txt"), id="same-stem")])
def test_read_corpus_duplicate_id_is_problem(tmp_path: Path, layout: tuple[str, str]) -> None:
    for name in layout:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(TEXT, encoding="utf-8")
    corpus = read_corpus([tmp_path])
    assert len(corpus.documents) == 1
    assert len(corpus.problems) == 1 and "same document id" in corpus.problems[0]


@pytest.mark.parametrize(
    "metadata",
    [
        pytest.param(
            {"documents": [{"file": "t.txt", "id": "treaty-1", "title": "T", "languages": ["en"]}]},
            id="one-entry",
        )
    ],
)
def test_read_corpus_applies_metadata(tmp_path: Path, metadata: dict) -> None:
    (tmp_path / "t.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    (document,) = read_corpus([tmp_path]).documents
    assert (document.doc_id, document.title, document.languages) == ("treaty-1", "T", ("en",))


@pytest.mark.parametrize(
    ("content", "match"),
    [
        pytest.param("{not json", "cannot be read as JSON", id="not-json"),
        pytest.param('["t.txt"]', "documents", id="not-an-object"),
        pytest.param('{"documents": [{"id": "x"}]}', "file", id="entry-without-file"),
        pytest.param(
            '{"documents": [{"file": "t.txt", "published": "yesterday"}]}', "not ISO", id="bad-date"
        ),
    ],
)
def test_read_metadata_malformed_names_it(tmp_path: Path, content: str, match: str) -> None:
    (tmp_path / "metadata.json").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=match) as raised:
        read_metadata(tmp_path)
    assert "metadata.json" in str(raised.value)


@pytest.mark.parametrize("content", [pytest.param("{not json", id="not-json")])
def test_read_corpus_malformed_metadata_raises(tmp_path: Path, content: str) -> None:
    """A broken metadata.json is the user's configuration, not one bad document: the read stops."""
    (tmp_path / "t.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "u.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "metadata.json").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="metadata.json"):
        read_corpus([tmp_path])


@pytest.mark.parametrize("folder", [pytest.param("no-metadata", id="absent")])
def test_read_metadata_absent_is_empty(tmp_path: Path, folder: str) -> None:
    (tmp_path / folder).mkdir()
    assert read_metadata(tmp_path / folder) == {}
