"""Reading documents and their metadata from disk, refusing what cannot be read as text."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .dates import parse_date
from .errors import InputError

DOCUMENT_SUFFIXES = (".txt", ".text")
METADATA_FILE = "metadata.json"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


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


def decode(data: bytes, path: Path) -> str:
    """Decode a document's bytes as UTF-8 (or UTF-16/32 with a byte-order mark)."""
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as error:
                raise InputError(f"{path}: declares {codec} but is not valid {codec} ({error.reason})") from error
    if b"\x00" in data:
        raise InputError(f"{path}: looks binary (it holds NUL bytes); give treatykg plain-text documents")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: is not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
                         f"convert it, e.g. iconv -f latin1 -t utf-8") from error
    if sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f") > len(text) // 100 + 1:
        raise InputError(f"{path}: looks binary (control characters); give treatykg plain-text documents")
    return text


def read_document(path: Path, *, metadata: dict | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one document; raise InputError naming the file when it is not usable text."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"{path}: is {size} bytes, over the limit of {max_bytes}; raise it with --max-bytes")
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise InputError(f"{path}: no such file") from error
    except IsADirectoryError as error:
        raise InputError(f"{path}: is a folder, not a document") from error
    except PermissionError as error:
        raise InputError(f"{path}: cannot be read (permission denied)") from error
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from error
    meta = metadata or {}
    return Document(
        doc_id=meta.get("id") or path.stem, text=decode(data, path), path=str(path),
        title=meta.get("title"), kind=meta.get("kind"), languages=tuple(meta.get("languages") or ()),
        published=meta.get("published"),
    )


def read_metadata(folder: Path) -> dict[str, dict]:
    """The per-file metadata of a folder's metadata.json, keyed by file name (empty if none)."""
    path = folder / METADATA_FILE
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"{path}: cannot be read as JSON ({error})") from error
    entries = raw.get("documents") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("file"), str) for e in entries):
        raise InputError(f"{path}: must be an object whose \"documents\" list holds objects with a \"file\" name")
    for entry in entries:
        if entry.get("published") and parse_date(str(entry["published"])) is None:
            raise InputError(f"{path}: {entry['file']} has a publication date that is not ISO: {entry['published']!r}")
    return {entry["file"]: entry for entry in entries}


def _document_paths(target: Path) -> list[Path]:
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
                      and not any(part.startswith(".") for part in p.relative_to(target).parts))
    if target.exists() or target.is_symlink():
        return [target]
    raise InputError(f"{target}: no such file or folder")


def read_corpus(paths: Iterable[Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Corpus:
    """Read every document under the paths; a file that cannot be read becomes a problem line.

    A malformed metadata.json stops the read: it is the user's configuration, not one bad document.
    """
    documents: dict[str, Document] = {}
    problems: list[str] = []
    targets = [Path(p) for p in paths]
    if not targets:
        raise InputError("no input: name at least one document or folder")
    metadata: dict[Path, dict[str, dict]] = {}
    for target in targets:
        files = _document_paths(target)
        if target.is_dir() and not files:
            raise InputError(f"{target}: holds no documents ({', '.join(DOCUMENT_SUFFIXES)} files)")
        for path in files:
            if path.parent not in metadata:
                metadata[path.parent] = read_metadata(path.parent)
            try:
                document = read_document(path, metadata=metadata[path.parent].get(path.name), max_bytes=max_bytes)
            except InputError as error:
                problems.append(str(error))
                continue
            if document.doc_id in documents:
                problems.append(f"{path}: has the same document id {document.doc_id!r} as "
                                f"{documents[document.doc_id].path}; rename one")
                continue
            documents[document.doc_id] = document
    return Corpus(tuple(documents[k] for k in sorted(documents)), tuple(problems))
