"""The build cache: what each document yielded, kept by content hash, so a rebuild redoes only the
documents that were added or changed.

A key covers everything extraction reads: the document (id, text and metadata), the knowledge
base, and treatykg's own code (a new version of any module is a new key), so a stale entry can
never be used: it is simply not found. Entries are pickles written atomically (a temporary file
renamed into place), so a killed build leaves no half-written entry; an entry that cannot be read
is treated as missing and rebuilt. Entries not used by the latest build are removed by `prune`.
`NameCache` keeps, in the same way, the names resolution has worked out for one knowledge base.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

from .document import Document
from .kb import KnowledgeBase
from .outdir import link_or_copy
from .resolve import names_worked_out, recall_names

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of treatykg's source files: any change to the code changes every key."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


def kb_fingerprint(kb: KnowledgeBase) -> str:
    """A hash of the knowledge base's entries (the indexes are derived from them; worked out once
    until an entry is added)."""
    return kb.derived("fingerprint", _entries_hash)


def _entries_hash(kb: KnowledgeBase) -> str:
    return hashlib.sha256(pickle.dumps(sorted(kb.entries.items()), protocol=5)).hexdigest()


class KeyCache:
    """Values kept on disk under folder/namespace by key; get marks a key as used by this build."""

    def __init__(self, folder: Path, namespace: str) -> None:
        self.folder = Path(folder) / namespace
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> object | None:
        """The value kept under key, or None."""
        self.used.add(key)
        try:
            return pickle.loads(self._path(key).read_bytes())
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
            return None

    def keep(self, key: str) -> None:
        """Mark key as used by this build (found by another process), so that prune leaves it."""
        self.used.add(key)

    def put(self, key: str, value: object) -> None:
        """Keep value under key (best effort: a full disk only loses the cache)."""
        self.used.add(key)
        path = self._path(key)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(descriptor, "wb") as stream:
                    pickle.dump(value, stream, protocol=5)
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise

    def put_files(self, key: str, files: dict[str, Path]) -> None:
        """Keep files under key, by suffix (linked where the file system allows; best effort).
        Files are never changed in place, neither here nor where they were linked from."""
        self.used.add(key)
        with contextlib.suppress(OSError):
            for suffix, source in files.items():
                path = self.file(key, suffix)
                path.parent.mkdir(parents=True, exist_ok=True)
                temporary = path.with_name(f".tmp-{os.getpid()}-{path.name}")
                link_or_copy(source, temporary)
                os.replace(temporary, path)

    def file(self, key: str, suffix: str) -> Path:
        """Where the file kept under key with suffix is, if it is (the key is not marked as used)."""
        return self._path(key).with_suffix(suffix)

    def get_files(self, key: str, targets: dict[str, Path]) -> bool:
        """Put the files kept under key at their targets, by suffix; False (and no target left)
        when one is missing."""
        self.used.add(key)
        try:
            for suffix, target in targets.items():
                link_or_copy(self.file(key, suffix), target)
        except OSError:
            for target in targets.values():
                target.unlink(missing_ok=True)
            return False
        return True

    def prune(self) -> None:
        """Remove the values this build did not use (removed or changed documents, older code)."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*/*"):
            if path.name.split(".", 1)[0] not in self.used:
                with contextlib.suppress(OSError):
                    path.unlink()


class ExtractionCache:
    """What each document yielded, for one knowledge base and this code."""

    def __init__(self, folder: Path, kb: KnowledgeBase) -> None:
        self.values = KeyCache(folder, "extract")
        self.salt = f"{code_fingerprint()}|{kb_fingerprint(kb)}"

    def key(self, document: Document) -> str:
        """The entry key of a document."""
        digest = hashlib.sha256(self.salt.encode("utf-8"))
        for part in (document.doc_id, document.text, document.title, document.kind, document.published,
                     "\x1f".join(document.languages)):
            digest.update(b"\x1e" + (part or "").encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, document: Document) -> object | None:
        """The cached result for the document, or None."""
        return self.values.get(self.key(document))

    def put(self, document: Document, value: object) -> None:
        """Keep value as the document's result."""
        self.values.put(self.key(document), value)

    def prune(self) -> None:
        """Remove the results of documents this build did not have."""
        self.values.prune()


class NameCache:
    """The names resolution has worked out (treatykg.resolve.names_worked_out), for one knowledge
    base and this code: a rebuild resolves only the names it has not met."""

    def __init__(self, folder: Path, kb: KnowledgeBase) -> None:
        self.values = KeyCache(folder, "names")
        self.key = hashlib.sha256(f"{code_fingerprint()}|{kb_fingerprint(kb)}".encode("ascii")).hexdigest()
        self.recalled = 0

    def recall(self, kb: KnowledgeBase) -> None:
        """Give kb the names kept (none when what is kept cannot be taken up)."""
        tables = self.values.get(self.key)
        if isinstance(tables, dict):
            with contextlib.suppress(ValueError):
                recall_names(kb, tables)
                self.recalled = _count(tables)

    def keep(self, kb: KnowledgeBase) -> None:
        """Keep the names kb has worked out, when there are more than were recalled."""
        tables = names_worked_out(kb)
        if _count(tables) > self.recalled:
            self.values.put(self.key, tables)
        self.values.prune()


def _count(tables: dict[str, dict]) -> int:
    return sum(len(table) for table in tables.values())
