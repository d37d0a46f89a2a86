"""Reading documents and their metadata from disk, refusing what cannot be read as text.

Every refusal is an InputError whose message is one line naming the file and saying what to do;
`read_corpus` turns it into a problem line and goes on with the other documents. Files are read
one at a time, and never more than `max_bytes` of one (docs/hostile-input.md).
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .dates import parse_date
from .errors import InputError
from .settings import DEFAULT_ENCODING, DEFAULT_MAX_BYTES

DOCUMENT_SUFFIXES = (".txt", ".text")
METADATA_FILE = "metadata.json"
_METADATA_FIELDS = {"file": str, "id": str, "title": str, "kind": str, "published": str, "encoding": str}
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# The first bytes of files people rename to .txt; (magic, what it is, what to do).
_MAGIC = (
    (b"%PDF-", "a PDF file", "extract its text first, e.g. pdftotext FILE.pdf FILE.txt"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .odt or .epub?)", "save it as plain text (UTF-8)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file", "save it as plain text (UTF-8)"),
    (b"{\\rtf", "an RTF file", "save it as plain text (UTF-8)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "give treatykg the text (OCR the image first)"),
    (b"\xff\xd8\xff", "a JPEG image", "give treatykg the text (OCR the image first)"),
    (b"GIF87a", "a GIF image", "give treatykg the text"),
    (b"GIF89a", "a GIF image", "give treatykg the text"),
    (b"II*\x00", "a TIFF image", "give treatykg the text (OCR the image first)"),
    (b"MM\x00*", "a TIFF image", "give treatykg the text (OCR the image first)"),
    (b"\x1f\x8b", "a gzip archive", "unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it first"),
    (b"Rar!\x1a\x07", "a RAR archive", "unpack it first"),
    (b"\x7fELF", "a program", "give treatykg plain-text documents"),
)
_CONTROL_NAME = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # not tab, line feed, form feed, carriage return


@dataclass(frozen=True, slots=True)
class Document:
    """A source text with what is known about it."""

    doc_id: str
    text: str
    path: str = ""
    title: str | None = None
    kind: str | None = None
    languages: tuple[str, ...] = ()
    published: str | None = None


@dataclass(frozen=True, slots=True)
class Corpus:
    """The documents that could be read, and one line per file that could not."""

    documents: tuple[Document, ...]
    problems: tuple[str, ...] = field(default=())


def _shown(name: object) -> str:
    """A file name as messages print it: on one line (control characters escaped) and printable
    (bytes of a name that is not UTF-8 as \\xNN)."""
    text = str(name).encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL_NAME.sub(lambda m: repr(m.group())[1:-1], text)


def check_encoding(encoding: str) -> str:
    """The codec name for a text encoding the user named; InputError if Python has no such codec."""
    try:
        info = codecs.lookup(encoding)
    except LookupError as error:
        raise InputError(f"unknown text encoding {encoding!r}; use a name such as utf-8, cp1252, latin-1, "
                         f"utf-16-le or koi8-r") from error
    if not getattr(info, "_is_text_encoding", True):  # base64, zlib, rot13: codecs, but not of text
        raise InputError(f"unknown text encoding {encoding!r}: it is not a text encoding; use a name such as "
                         f"utf-8, cp1252, latin-1, utf-16-le or koi8-r")
    return info.name


def _where(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[data.rfind(b"\n", 0, offset) + 1:offset].decode("utf-8", "replace")) + 1
    return f"line {line}, column {column}"


def _refuse_binary(data: bytes, path: Path) -> None:
    head = data.lstrip(b" \t\r\n")[:16]
    for magic, what, todo in _MAGIC:
        if head.startswith(magic):
            raise InputError(f"{_shown(path)}: looks binary: it is {what}, not text; {todo}")


def _utf16_without_bom(data: bytes) -> bool:
    """Whether NUL bytes sit at every other position, as in UTF-16 text without a byte-order mark."""
    sample = data[:4096]
    return len(sample) >= 8 and (sample[1::2].count(0) > 0.8 * len(sample[1::2])
                                 or sample[0::2].count(0) > 0.8 * len(sample[0::2]))


def _decode_utf8(data: bytes, path: Path) -> str:
    if b"\x00" in data:
        if _utf16_without_bom(data):
            raise InputError(f"{_shown(path)}: looks like UTF-16 without a byte-order mark; rerun with "
                             f"--encoding utf-16-le (or utf-16-be), or convert it to UTF-8")
        raise InputError(f"{_shown(path)}: looks binary (a NUL byte at offset {data.index(0)}); "
                         f"give treatykg plain-text documents")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        where, byte = _where(data, error.start), data[error.start]
        if not data[:error.start].isascii():
            raise InputError(f"{_shown(path)}: mixes encodings: byte 0x{byte:02x} at {where} is not UTF-8 while text "
                             f"before it is; fix that line, or convert the whole file to UTF-8") from error
        raise InputError(f"{_shown(path)}: is not UTF-8 (byte 0x{byte:02x} at {where}); if it is Latin-1 or Windows-1252, "
                         f"rerun with --encoding cp1252 or convert it: iconv -f cp1252 -t utf-8") from error


def decode(data: bytes, path: Path, encoding: str = DEFAULT_ENCODING) -> str:
    """Decode a document's bytes: a byte-order mark (UTF-8/16/32) wins, else the given encoding.

    Raises InputError naming the file for an empty file, a binary one (NUL bytes, PDF, ZIP,
    images), bytes that are not in the encoding, or text mostly made of control characters.
    """
    if not data.strip():
        raise InputError(f"{_shown(path)}: the file is empty; put the document's text in it or remove it")
    _refuse_binary(data, path)
    codec = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if codec is None and check_encoding(encoding) == "utf-8":
        text = _decode_utf8(data, path)
    else:
        codec = codec or encoding
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as error:
            raise InputError(f"{_shown(path)}: is not valid {codec} (byte 0x{data[error.start]:02x} at "
                             f"{_where(data, error.start)}); give the right --encoding or convert it to UTF-8"
                             ) from error
        if codec.startswith("utf-") and codec != "utf-8-sig":
            text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError(f"{_shown(path)}: the file is empty (only white space); put the document's text in it "
                         f"or remove it")
    if "\x00" in text:
        raise InputError(f"{_shown(path)}: looks binary (it holds NUL characters); give treatykg plain-text documents")
    controls = sum(1 for _ in _CONTROLS.finditer(text))
    if controls > len(text) // 100 + 1:
        raise InputError(f"{_shown(path)}: looks binary ({controls} control characters); give treatykg plain-text "
                         f"documents")
    return text


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A regular file's bytes, never more than max_bytes; InputError naming the file otherwise."""
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer; fstat below refuses it.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError as error:
        raise InputError(f"{_shown(path)}: no such file (was it removed while treatykg ran?)") from error
    except IsADirectoryError as error:
        raise InputError(f"{_shown(path)}: is a folder, not a document") from error
    except PermissionError as error:
        raise InputError(f"{_shown(path)}: cannot be read (permission denied); check its permissions") from error
    except OSError as error:
        raise InputError(f"{_shown(path)}: cannot be read ({error.strerror or error})") from error
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        os.close(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{_shown(path)}: is a folder, not a document")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{_shown(path)}: is not a regular file (a device, pipe or socket); give treatykg text files")
        raise InputError(f"{_shown(path)}: is {info.st_size} bytes, over the limit of {max_bytes}; "
                         f"split it, or raise the limit with --max-bytes")
    with os.fdopen(descriptor, "rb") as stream:
        try:
            data = stream.read(max_bytes + 1)
        except OSError as error:
            raise InputError(f"{_shown(path)}: cannot be read ({error.strerror or error})") from error
    if len(data) > max_bytes:  # it grew after fstat
        raise InputError(f"{_shown(path)}: is over the limit of {max_bytes} bytes; split it, or raise the limit "
                         f"with --max-bytes")
    return data


def read_document(path: Path, *, metadata: dict | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                  encoding: str = DEFAULT_ENCODING) -> Document:
    """Read one document; raise InputError naming the file when it is not usable text.

    `encoding` applies to files without a byte-order mark; a metadata entry's "encoding" wins.
    """
    path = Path(path)
    meta = metadata or {}
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(f"{_shown(path)}: its name is not valid UTF-8; rename the file") from error
    data = read_bytes(path, max_bytes)
    return Document(
        doc_id=meta.get("id") or path.stem, text=decode(data, path, meta.get("encoding") or encoding),
        path=str(path), title=meta.get("title"), kind=meta.get("kind"),
        languages=tuple(meta.get("languages") or ()), published=meta.get("published"),
    )


def _check_entry(path: Path, entry: object) -> dict:
    name = entry.get("file") if isinstance(entry, dict) else None
    if not isinstance(name, str) or not name:
        raise InputError(f"{_shown(path)}: must be an object whose \"documents\" list holds objects with a \"file\" name")
    for key, kind in _METADATA_FIELDS.items():
        if entry.get(key) is not None and not isinstance(entry[key], kind):
            raise InputError(f"{_shown(path)}: {_shown(name)}: \"{key}\" must be a string, not {entry[key]!r:.60}")
    languages = entry.get("languages")
    if languages is not None and not (isinstance(languages, list) and all(isinstance(x, str) for x in languages)):
        raise InputError(f"{_shown(path)}: {_shown(name)}: \"languages\" must be a list of language codes such as "
                         f"[\"en\", \"fr\"]")
    if entry.get("published") and parse_date(entry["published"]) is None:
        raise InputError(f"{_shown(path)}: {_shown(name)} has a publication date that is not ISO: {entry['published']!r:.60}")
    if entry.get("encoding"):
        try:
            check_encoding(entry["encoding"])
        except InputError as error:
            raise InputError(f"{_shown(path)}: {_shown(name)}: {error}") from error
    return entry


def read_metadata(folder: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, dict]:
    """The per-file metadata of a folder's metadata.json, keyed by file name (empty if none)."""
    path = Path(folder) / METADATA_FILE
    if not path.exists():
        return {}
    try:
        raw = json.loads(read_bytes(path, max_bytes).decode("utf-8-sig"))
    except InputError as error:
        if "no such file" in str(error):  # removed since exists(): as if it never was
            return {}
        raise
    except (ValueError, RecursionError) as error:
        reason = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        raise InputError(f"{_shown(path)}: cannot be read as JSON ({reason}); fix it or remove it") from error
    entries = raw.get("documents") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise InputError(f"{_shown(path)}: must be an object whose \"documents\" list holds objects with a \"file\" name")
    return {entry["file"]: entry for entry in (_check_entry(path, e) for e in entries)}


def _document_paths(target: Path, problems: list[str]) -> list[Path]:
    """The documents under a folder (no hidden files or folders, no symlinked folders), or the file itself."""
    if target.is_dir():
        found: list[Path] = []

        def unlisted(error: OSError) -> None:
            problems.append(f"{_shown(error.filename)}: cannot list this folder ({error.strerror}); its documents "
                            f"are skipped")

        for root, folders, files in os.walk(target, onerror=unlisted):
            folders[:] = sorted(f for f in folders if not f.startswith("."))
            found += [Path(root) / f for f in files
                      if not f.startswith(".") and Path(f).suffix.lower() in DOCUMENT_SUFFIXES
                      and (Path(root) / f).is_file()]
        return sorted(found)
    if target.exists() or target.is_symlink():
        return [target]
    raise InputError(f"{_shown(target)}: no such file or folder")


def read_corpus(paths: Iterable[Path], *, max_bytes: int = DEFAULT_MAX_BYTES,
                encoding: str = DEFAULT_ENCODING) -> Corpus:
    """Read every document under the paths, one at a time; a file that cannot be read becomes a problem line.

    A malformed metadata.json stops the read: it is the user's configuration, not one bad document.
    """
    documents: dict[str, Document] = {}
    problems: list[str] = []
    targets = [Path(p) for p in paths]
    if not targets:
        raise InputError("no input: name at least one document or folder")
    check_encoding(encoding)
    metadata: dict[Path, dict[str, dict]] = {}
    for target in targets:
        files = _document_paths(target, problems)
        if target.is_dir() and not files:
            raise InputError(f"{_shown(target)}: holds no documents ({', '.join(DOCUMENT_SUFFIXES)} files)")
        for path in files:
            if path.parent not in metadata:
                metadata[path.parent] = read_metadata(path.parent, max_bytes=max_bytes)
            try:
                document = read_document(path, metadata=metadata[path.parent].get(path.name),
                                         max_bytes=max_bytes, encoding=encoding)
            except InputError as error:
                problems.append(str(error))
                continue
            if document.doc_id in documents:
                problems.append(f"{_shown(path)}: has the same document id {document.doc_id!r} as "
                                f"{documents[document.doc_id].path}; rename one")
                continue
            documents[document.doc_id] = document
    return Corpus(tuple(documents[k] for k in sorted(documents)), tuple(problems))
