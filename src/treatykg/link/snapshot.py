"""Wikidata statements kept offline: data/kb/wikidata/snapshot.json, or fetched into the online cache.

The snapshot is a JSON object:

    {"format": "treatykg-wikidata-snapshot/1",
     "items": {"Q130796": {"label": "Molotov–Ribbentrop Pact",
                           "evidence": "where each statement below was read, quoted",
                           "statements": {"P1891": ["Q101886", "Q132899"], "P585": ["1939-08-23"]}}}}

A value is a QID, an ISO date at its precision ("1939-08-23", "1939-08", "1939") or a string.
A property listed for an item stands for all of that item's values of it; a property not listed
was not checked, so nothing can be said about it (it is not "Wikidata lacks"). Only statements
with public evidence belong here: the snapshot is read as what Wikidata says.

The file lives in data/kb/wikidata/ rather than data/kb/ itself because `treatykg.kb.load_kb`
reads every data/kb/*.json as a list of knowledge-base entries.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .common import LinkingError, is_qid

DEFAULT_SNAPSHOT = Path(__file__).resolve().parents[3] / "data" / "kb" / "wikidata" / "snapshot.json"
FORMAT = "treatykg-wikidata-snapshot/1"
_PROPERTY_RE = re.compile(r"^P[1-9][0-9]*$")


@dataclass(frozen=True, slots=True)
class ItemStatements:
    """What Wikidata says of one item, for the properties that were read, and where it was read."""

    qid: str
    label: str | None
    evidence: str
    statements: dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Statements of several items, and where they came from."""

    items: dict[str, ItemStatements] = field(default_factory=dict)
    source: str = ""

    def values(self, qid: str, prop: str) -> tuple[str, ...] | None:
        """The values of an item's property, or None when that property was not read."""
        item = self.items.get(qid)
        return item.statements.get(prop) if item is not None else None

    def label(self, qid: str) -> str | None:
        """An item's label, when the snapshot has it."""
        item = self.items.get(qid)
        return item.label if item is not None else None

    def merged(self, other: Snapshot) -> Snapshot:
        """This snapshot with another's items added (the other wins for properties both have)."""
        items = dict(self.items)
        for qid, item in other.items.items():
            if qid in items:
                ours = items[qid]
                items[qid] = ItemStatements(
                    qid,
                    ours.label or item.label,
                    f"{ours.evidence} | {item.evidence}",
                    {**ours.statements, **item.statements},
                )
            else:
                items[qid] = item
        return Snapshot(items, " + ".join(s for s in (self.source, other.source) if s))


def parse_snapshot(raw: object, where: str) -> Snapshot:
    """A Snapshot from the JSON object of a snapshot file.

    Raises:
        LinkingError: the object is not a well-formed snapshot.
    """
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or not isinstance(raw.get("items"), dict):
        raise LinkingError(
            f'{where}: not a Wikidata snapshot (a JSON object with "format": "{FORMAT}" '
            'and "items"); see treatykg.link.snapshot'
        )
    items = {}
    for qid, body in raw["items"].items():
        if not is_qid(qid) or not isinstance(body, dict):
            raise LinkingError(f"{where}: {qid!r} is not a QID with an object of statements")
        evidence = str(body.get("evidence") or "").strip()
        if not evidence:
            raise LinkingError(f"{where}: {qid} has statements but no evidence; record where they were read")
        statements = {}
        for prop, values in (body.get("statements") or {}).items():
            if (
                not _PROPERTY_RE.match(prop)
                or not isinstance(values, list)
                or not all(isinstance(v, str) and v for v in values)
            ):
                raise LinkingError(
                    f"{where}: {qid} {prop}: a property id with a list of string values is expected"
                )
            statements[prop] = tuple(values)
        items[qid] = ItemStatements(qid, body.get("label"), evidence, statements)
    return Snapshot(items, where)


def load_snapshot(path: Path | None = None) -> Snapshot:
    """Read a snapshot file (data/kb/wikidata/snapshot.json by default).

    Raises:
        LinkingError: the file is missing, not JSON, or not a snapshot.
    """
    target = Path(path) if path is not None else DEFAULT_SNAPSHOT
    try:
        raw = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise LinkingError(f"{target}: cannot read the Wikidata snapshot ({error})") from error
    return parse_snapshot(raw, str(target))
