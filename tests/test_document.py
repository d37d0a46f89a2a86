"""Tests for treatykg.document: reading documents and folders, refusing what is not text."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

import treatykg.document
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


# ---------------------------------------------------------------- hostile input (issue 7)

FRENCH = "Traité d'amitié signé à Moscou le 14 février 1950 « entre » les Parties."


@pytest.mark.parametrize(
    ("data", "what"),
    [
        pytest.param(
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF", id="pdf"
        ),
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "ZIP", id="docx-zip"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG", id="png"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG", id="jpeg"),
        pytest.param(b"GIF89a\x01\x00\x01\x00", "GIF", id="gif"),
        pytest.param(b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip", id="gzip"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "Office", id="ole-doc"),
        pytest.param(b"{\\rtf1\\ansi Treaty of Moscow}", "RTF", id="rtf"),
    ],
)
def test_read_document_names_binary_format(tmp_path: Path, data: bytes, what: str) -> None:
    path = tmp_path / "renamed.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=f"looks binary: it is an? .*{what}") as raised:
        read_document(path)
    message = str(raised.value)
    assert message.startswith(str(path)) and "\n" not in message


@pytest.mark.parametrize(
    "bom", [pytest.param(b"\xff\xfe", id="utf-16-le"), pytest.param(b"\xfe\xff", id="utf-16-be")]
)
def test_read_document_utf16_bom_whitespace_is_empty(tmp_path: Path, bom: bytes) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(bom + " \n".encode("utf-16-le" if bom == b"\xff\xfe" else "utf-16-be"))
    with pytest.raises(InputError, match="empty"):
        read_document(path)


@pytest.mark.parametrize("codec", [pytest.param("utf-16-le", id="le"), pytest.param("utf-16-be", id="be")])
def test_read_document_utf16_without_bom_says_which_option(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "no-bom.txt"
    path.write_bytes(TEXT.encode(codec))
    with pytest.raises(InputError, match="UTF-16 without a byte-order mark; rerun with --encoding utf-16-le"):
        read_document(path)
    assert read_document(path, encoding=codec).text == TEXT


@pytest.mark.parametrize(
    ("codec", "encoding"),
    [
        pytest.param("latin-1", "latin-1", id="latin-1"),
        pytest.param("cp1252", "cp1252", id="cp1252"),
        pytest.param("latin-1", "ISO-8859-1", id="latin-1-alias"),
    ],
)
def test_read_document_encoding_option_decodes(tmp_path: Path, codec: str, encoding: str) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(FRENCH.encode(codec))
    with pytest.raises(
        InputError, match=r"is not UTF-8 \(byte 0xe9 at line 1, column 6\).*--encoding cp1252"
    ):
        read_document(path)
    assert read_document(path, encoding=encoding).text == FRENCH


@pytest.mark.parametrize(
    "text", [pytest.param("Signed \u201cin duplicate\u201d \u2014 at Moscow", id="smart-quotes")]
)
def test_read_document_cp1252_smart_quotes(tmp_path: Path, text: str) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes(text.encode("cp1252"))
    assert read_document(path, encoding="cp1252").text == text


@pytest.mark.parametrize("data", [pytest.param(b"\xef\xbb\xbf" + FRENCH.encode("utf-8"), id="utf-8-bom")])
def test_read_document_bom_wins_over_encoding_option(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(data)
    assert read_document(path, encoding="latin-1").text == FRENCH


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            "Traité de Moscou\nsigné à Moscou\n".encode() + "Pékin, février".encode("latin-1"),
            id="utf8-then-latin1",
        )
    ],
)
def test_read_document_mixed_encodings_names_the_line(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=r"mixes encodings: byte 0xe9 at line 3, column 2 is not UTF-8"):
        read_document(path)


@pytest.mark.parametrize(
    "encoding", [pytest.param("klingon-8", id="unknown"), pytest.param("base64", id="not-text")]
)
def test_read_document_unknown_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "t.txt"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(InputError, match="unknown text encoding"):
        read_document(path, encoding=encoding)
    with pytest.raises(InputError, match="unknown text encoding"):
        read_corpus([path], encoding=encoding)


@pytest.mark.parametrize(
    "data", [pytest.param(b"Treaty\x0b of \x1b[1mMoscow\x1b[0m, 1950\x07.", id="few-controls")]
)
def test_read_document_keeps_a_few_control_characters(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "terminal.txt"
    path.write_bytes(data + b" " + TEXT.encode("utf-8") * 10)
    assert read_document(path).text.startswith(data.decode("ascii"))


@pytest.mark.parametrize("size", [pytest.param(100 * 1024 * 1024, id="100MB-one-line")])
def test_read_document_huge_single_line_refused_without_reading(tmp_path: Path, size: int) -> None:
    """A 100 MB file (sparse: no newline in it) is refused by its size before a byte is read."""
    import tracemalloc

    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.write(b"Treaty ")
        stream.truncate(size)
    tracemalloc.start()
    with pytest.raises(InputError, match=r"is 104857600 bytes, over the limit of 5242880; .*--max-bytes"):
        read_document(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1024 * 1024


@pytest.mark.parametrize("limit", [pytest.param(64, id="64-bytes")])
def test_read_corpus_over_limit_is_a_problem_others_build(tmp_path: Path, limit: int) -> None:
    (tmp_path / "a.txt").write_text("Treaty of Moscow.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("x" * (limit + 1), encoding="utf-8")
    corpus = read_corpus([tmp_path], max_bytes=limit)
    assert [d.doc_id for d in corpus.documents] == ["a"]
    assert len(corpus.problems) == 1 and "over the limit of 64" in corpus.problems[0]


@pytest.mark.parametrize(
    "kind", [pytest.param("fifo", id="named-pipe"), pytest.param("device", id="dev-zero")]
)
def test_read_document_refuses_special_files_without_blocking(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "special.txt"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="not a regular file"):
        read_document(path)


@pytest.mark.parametrize("name", [pytest.param("b.txt", id="removed-after-listing")])
def test_read_corpus_file_vanishes_during_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / name).write_text(TEXT, encoding="utf-8")
    listing = treatykg.document._document_paths

    def list_then_remove(target: Path, problems: list[str]) -> list[Path]:
        found = listing(target, problems)
        (tmp_path / name).unlink()
        return found

    monkeypatch.setattr(treatykg.document, "_document_paths", list_then_remove)
    corpus = read_corpus([tmp_path])
    assert [d.doc_id for d in corpus.documents] == ["a"]
    assert corpus.problems == (f"{tmp_path / name}: no such file (was it removed while treatykg ran?)",)


@pytest.mark.parametrize("content", [pytest.param('{"documents": []}', id="metadata")])
def test_read_metadata_vanishes_after_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    (tmp_path / "metadata.json").write_text(content, encoding="utf-8")
    reader = treatykg.document.read_bytes

    def remove_then_read(path: Path, max_bytes: int) -> bytes:
        path.unlink()
        return reader(path, max_bytes)

    monkeypatch.setattr(treatykg.document, "read_bytes", remove_then_read)
    assert read_metadata(tmp_path) == {}


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
@pytest.mark.parametrize("mode", [pytest.param(0o000, id="chmod-000")])
def test_read_corpus_unreadable_file_chmod(tmp_path: Path, mode: int) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "locked.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "locked.txt").chmod(mode)
    try:
        corpus = read_corpus([tmp_path])
    finally:
        (tmp_path / "locked.txt").chmod(0o644)
    assert [d.doc_id for d in corpus.documents] == ["a"]
    assert "locked.txt: cannot be read (permission denied)" in corpus.problems[0]


@pytest.mark.parametrize("name", [pytest.param("locked.txt", id="permission-denied")])
def test_read_corpus_unreadable_file_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """The same as the chmod test, by making os.open refuse: the suite runs as root in CI."""
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / name).write_text(TEXT, encoding="utf-8")
    real_open = os.open

    def refusing_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if str(path).endswith(name):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(treatykg.document.os, "open", refusing_open)
    corpus = read_corpus([tmp_path])
    assert [d.doc_id for d in corpus.documents] == ["a"]
    assert corpus.problems == (
        f"{tmp_path / name}: cannot be read (permission denied); check its permissions",
    )


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root lists any folder")
@pytest.mark.parametrize("folder", [pytest.param("private", id="chmod-000-folder")])
def test_read_corpus_unlistable_subfolder(tmp_path: Path, folder: str) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / folder).mkdir()
    (tmp_path / folder / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / folder).chmod(0)
    try:
        corpus = read_corpus([tmp_path])
    finally:
        (tmp_path / folder).chmod(0o755)
    assert [d.doc_id for d in corpus.documents] == ["a"]
    assert "cannot list this folder" in corpus.problems[0]


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
@pytest.mark.parametrize("name", [pytest.param(b"trait\xe9.txt", id="latin-1-name")])
def test_read_corpus_file_name_not_utf8(tmp_path: Path, name: bytes) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    with open(os.path.join(os.fsencode(tmp_path), name), "wb") as stream:
        stream.write(TEXT.encode("utf-8"))
    corpus = read_corpus([tmp_path])
    assert [d.doc_id for d in corpus.documents] == ["a"]
    assert "its name is not valid UTF-8; rename the file" in corpus.problems[0]
    corpus.problems[0].encode("utf-8")  # printable


@pytest.mark.parametrize(
    ("content", "match"),
    [
        pytest.param("[" * 100_000 + "]" * 100_000, "cannot be read as JSON", id="deeply-nested"),
        pytest.param(
            '{"documents": [{"file": "t.txt", "id": 7}]}', '"id" must be a string', id="id-not-string"
        ),
        pytest.param(
            '{"documents": [{"file": "t.txt", "languages": "en"}]}', "languages", id="languages-not-list"
        ),
        pytest.param(
            '{"documents": [{"file": "t.txt", "encoding": "klingon"}]}',
            "unknown text encoding",
            id="bad-encoding",
        ),
        pytest.param('{"documents": [{"file": ""}]}', "file", id="empty-file-name"),
    ],
)
def test_read_metadata_hostile(tmp_path: Path, content: str, match: str) -> None:
    (tmp_path / "metadata.json").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=match) as raised:
        read_metadata(tmp_path)
    assert "metadata.json" in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "metadata", [pytest.param({"documents": [{"file": "t.txt", "encoding": "cp1252"}]}, id="bom")]
)
def test_read_metadata_bom_and_per_file_encoding(tmp_path: Path, metadata: dict) -> None:
    (tmp_path / "metadata.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(metadata).encode("utf-8"))
    (tmp_path / "t.txt").write_bytes(FRENCH.encode("cp1252"))
    (document,) = read_corpus([tmp_path]).documents
    assert document.text == FRENCH


@pytest.mark.parametrize("name", [pytest.param("two\nlines.txt", id="newline-in-name")])
def test_read_corpus_problem_line_is_one_line_whatever_the_name(tmp_path: Path, name: str) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / name).write_bytes(b"")
    corpus = read_corpus([tmp_path])
    assert [d.doc_id for d in corpus.documents] == ["a"]
    assert corpus.problems == (
        f"{tmp_path}/two\\nlines.txt: the file is empty; put the document's text in it or remove it",
    )
