"""The offline knowledge base: entities, their names across languages and eras, and their QIDs.

Loaded from the JSON files of data/kb (see data/kb/README.md). A name may belong to several
entities; `KnowledgeBase.choose` picks one by the kind the context asks for and by the date of
the event, and answers None when it cannot tell.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .dates import DateValue, parse_date
from .errors import KnowledgeBaseError
from .names import name_key, romanization_key

DEFAULT_KB_DIR = Path(__file__).resolve().parents[2] / "data" / "kb"
PLACE_KINDS = frozenset({"Place", "State", "City", "Port"})
TREATY_KINDS = frozenset({"Treaty", "Agreement", "ExchangeOfNotes", "JointDeclaration", "Communique",
                          "Convention", "Protocol"})
KINDS = PLACE_KINDS | TREATY_KINDS | {"Person", "Railway", "Organization"}
_Index = TypeVar("_Index")
NAME_END = None  # the key of KnowledgeBase.name_trie nodes where a name ends (no token is None)


@dataclass(frozen=True, slots=True)
class Alias:
    """A name of an entity, valid from `start` (inclusive) until `until` (exclusive) when given."""

    name: str
    start: str | None = None
    until: str | None = None

    def valid_on(self, day: str) -> bool:
        """Whether the name named this entity on the ISO day."""
        return (self.start is None or self.start <= day) and (self.until is None or day < self.until)


@dataclass(frozen=True, slots=True)
class KBEntry:
    """One entity of the knowledge base."""

    id: str
    kind: str
    labels: dict[str, str]
    aliases: tuple[Alias, ...] = ()
    adjectives: tuple[Alias, ...] = ()
    qid: str | None = None
    qid_evidence: str | None = None
    start: str | None = None
    end: str | None = None
    signed: str | None = None

    @property
    def label(self) -> str:
        """The English label."""
        return self.labels["en"]

    def existed_on(self, day: str) -> bool:
        """Whether the entity existed on the ISO day."""
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entity a name may refer to, with the alias that names it."""

    entry: KBEntry
    alias: Alias


@dataclass(slots=True)
class KnowledgeBase:
    """Entities indexed by the token keys of their names and adjectives.

    `name_trie` holds the name keys token by token (a node maps a token to the next node, and
    holds NAME_END where a key ends), so that a scan of a text can stop extending a match as soon
    as no name continues that way.
    """

    entries: dict[str, KBEntry] = field(default_factory=dict)
    by_name: dict[tuple[str, ...], list[Candidate]] = field(default_factory=dict)
    by_adjective: dict[tuple[str, ...], list[Candidate]] = field(default_factory=dict)
    by_romanization: dict[str, list[Candidate]] = field(default_factory=dict)
    name_trie: dict[str | None, Any] = field(default_factory=dict)
    _derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def add(self, entry: KBEntry) -> None:
        """Index an entry under its labels, aliases and adjectives."""
        if entry.id in self.entries:
            raise KnowledgeBaseError(f"knowledge base: id {entry.id!r} is defined twice")
        self.entries[entry.id] = entry
        self._derived.clear()
        names = [Alias(label) for label in entry.labels.values()] + list(entry.aliases)
        for alias in names:
            self._add_to_trie(self._index(self.by_name, alias, entry))
            if entry.kind == "Person" and alias.name.isascii() and " " in alias.name.strip():
                bucket = self.by_romanization.setdefault(romanization_key(alias.name), [])
                if not any(c.entry.id == entry.id for c in bucket):
                    bucket.append(Candidate(entry, alias))
        for adjective in entry.adjectives:
            self._index(self.by_adjective, adjective, entry)

    def _index(self, index: dict[tuple[str, ...], list[Candidate]], alias: Alias, entry: KBEntry) -> tuple[str, ...]:
        """File the entry under the alias's key in index; return the key (empty: not filed)."""
        key = name_key(alias.name)
        if not key:
            return key
        bucket = index.setdefault(key, [])
        if not any(c.entry.id == entry.id and c.alias == alias for c in bucket):
            bucket.append(Candidate(entry, alias))
        return key

    def _add_to_trie(self, key: tuple[str, ...]) -> None:
        if not key:
            return
        node = self.name_trie
        for token in key:
            node = node.setdefault(token, {})
        node[NAME_END] = True

    def derived(self, name: str, build: Callable[[KnowledgeBase], _Index]) -> _Index:
        """An index that `build` computes from the whole knowledge base, built on first use and
        kept until an entry is added (so a caller need not rebuild it for every name)."""
        if name not in self._derived:
            self._derived[name] = build(self)
        return self._derived[name]

    def names(self, name: str) -> list[Candidate]:
        """Candidates for a name."""
        return self.by_name.get(name_key(name), [])

    def romanized(self, name: str) -> list[Candidate]:
        """Persons whose name agrees with name across Wade-Giles and pinyin ("Chou En-lai")."""
        return self.by_romanization.get(romanization_key(name), [])

    def adjective(self, word: str) -> list[Candidate]:
        """Candidates for an adjective or combining form ("Sino", "Soviet", "苏")."""
        return self.by_adjective.get(name_key(word), [])

    def is_state_adjective(self, word: str) -> bool:
        """Whether a word is the adjective or combining form of a state ("Soviet", "South African", "中")."""
        return any(c.entry.kind == "State" for c in self.adjective(word))

    def is_state_name(self, name: str) -> bool:
        """Whether a name is one of a state's ("Japan", "Viet-Nam", "Republic of China")."""
        return any(c.entry.kind == "State" for c in self.names(name))

    def choose(self, candidates: Sequence[Candidate], *, kinds: Iterable[str] = (),
               on: DateValue | None = None) -> KBEntry | None:
        """The one entity the candidates stand for, given the wanted kinds and the event date.

        Candidates whose kind is not wanted are set aside. When several entities remain, those
        whose name or existence does not cover the date are set aside too (a name of one entity
        alone resolves whatever the date: a 2009 article speaks of the USSR). When more than one
        entity remains, the answer is None (unsure: NIL).
        """
        wanted = set(kinds)
        pool = [c for c in candidates if not wanted or c.entry.kind in wanted]
        if len({c.entry.id for c in pool}) > 1:
            if on is not None:
                day = on.sort_key()
                pool = [c for c in pool if c.alias.valid_on(day) and c.entry.existed_on(day)]
            else:
                pool = [c for c in pool if c.alias.start is None and c.alias.until is None] or pool
        entries = {c.entry.id: c.entry for c in pool}
        if len(entries) == 1:
            return next(iter(entries.values()))
        return None


def _alias(raw: object, where: str) -> Alias:
    if isinstance(raw, str):
        return Alias(raw)
    if isinstance(raw, dict) and isinstance(raw.get("name"), str):
        return Alias(raw["name"], raw.get("from"), raw.get("until"))
    raise KnowledgeBaseError(f"{where}: an alias must be a string or an object with a name, not {raw!r}")


def _entry(raw: dict, where: str) -> KBEntry:
    try:
        entry = KBEntry(
            id=raw["id"], kind=raw["type"], labels=dict(raw["labels"]),
            aliases=tuple(_alias(a, where) for a in raw.get("aliases", ())),
            adjectives=tuple(_alias(a, where) for a in raw.get("adjectives", ())),
            qid=raw.get("qid"), qid_evidence=raw.get("qid_evidence"),
            start=raw.get("start"), end=raw.get("end"), signed=raw.get("signed"),
        )
    except (KeyError, TypeError) as error:
        raise KnowledgeBaseError(f"{where}: entry {raw!r:.80} lacks {error}") from error
    if entry.kind not in KINDS:
        raise KnowledgeBaseError(f"{where}: entry {entry.id!r} has unknown type {entry.kind!r}")
    if "en" not in entry.labels:
        raise KnowledgeBaseError(f"{where}: entry {entry.id!r} has no English label")
    if entry.qid and not (entry.qid_evidence or "").strip():
        raise KnowledgeBaseError(f"{where}: entry {entry.id!r} has QID {entry.qid} but no qid_evidence")
    for day in (entry.start, entry.end, entry.signed):
        if day is not None and parse_date(day) is None:
            raise KnowledgeBaseError(f"{where}: entry {entry.id!r} has a date that is not ISO: {day!r}")
    return entry


def load_kb(directory: Path | None = None) -> KnowledgeBase:
    """Load every JSON file of the knowledge-base folder (data/kb by default)."""
    folder = Path(directory) if directory is not None else DEFAULT_KB_DIR
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        raise KnowledgeBaseError(f"{folder}: no knowledge-base JSON files found; pass --kb DIR")
    kb = KnowledgeBase()
    qids: dict[str, str] = {}
    for path in files:
        try:
            raw_entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise KnowledgeBaseError(f"{path}: cannot be read as JSON ({error})") from error
        if not isinstance(raw_entries, list):
            raise KnowledgeBaseError(f"{path}: must hold a JSON list of entries")
        for raw in raw_entries:
            entry = _entry(raw, str(path))
            if entry.qid and qids.setdefault(entry.qid, entry.id) != entry.id:
                raise KnowledgeBaseError(f"{path}: QID {entry.qid} is on both {qids[entry.qid]!r} and {entry.id!r}")
            kb.add(entry)
    return kb
