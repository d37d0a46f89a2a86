"""The graph's facts about linked items set against Wikidata's statements.

Each fact whose Wikidata subject (and, for an item value, whose object) has a QID is compared with
the matching Wikidata property, following the alignment in ontology/treatykg.ttl and
shared/kb/wikidata-ids.csv: tkg:signs is the inverse of signatory (P1891), tkg:isPartyTo of
participant (P710); tkg:signingDate is point in time (P585), tkg:signingPlace location (P276),
tkg:officialLanguage language of work or name (P407), tkg:registrationNumber the UN Treaty Series
registration number (P4231); `A tkg:abrogates B` is compared with `A replaces (P1365) B` and
`B replaced by (P1366) A` (an approximation: an instrument that abrogates another does not always
replace it).

Statuses: "agrees"; "disagrees" (a single-valued property holds another value); "Wikidata lacks"
(the property was read and does not hold the value); "not checked" (the snapshot did not read
that property of that item, or the value cannot be stated in Wikidata's terms).

Language items, verified (ISO 639-1 code to item): en Q1860, fr Q150, ru Q7737, zh Q7850, de Q188,
es Q1321. Evidence: the SpocWiki note on the Molotov–Ribbentrop Pact lists
`language_of_work_or_name: WD~Russian,7737; WD~German,188`; several public code tables agree, e.g.
`(25, "zh", "Q7850", "Chinese", "中文")`, `["Q7850", "Chinese"]`, `["Q150", "French"]`,
`LANG_QID = {"en": "Q1860", "de": "Q188", "fr": "Q150", "es": "Q1321", ..., "ru": "Q7737",
"zh": "Q7850"}`. Codes outside the table are compared as "not checked".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

from rdflib import Graph, URIRef

from ..namespace import TKG
from .common import Quote, evidence_for, labels_of, qid_of
from .snapshot import Snapshot

AGREES, DISAGREES, LACKS, UNCHECKED = "agrees", "disagrees", "Wikidata lacks", "not checked"
STATUSES = (AGREES, DISAGREES, LACKS, UNCHECKED)
LANGUAGE_ITEMS = {"en": "Q1860", "fr": "Q150", "ru": "Q7737", "zh": "Q7850", "de": "Q188", "es": "Q1321"}


@dataclass(frozen=True, slots=True)
class Mapping:
    """How a graph predicate is stated in Wikidata."""

    predicate: URIRef
    property: str
    label: str
    inverse: bool
    value: str
    single: bool


MAPPINGS = (
    Mapping(TKG.signs, "P1891", "signatory", True, "item", False),
    Mapping(TKG.isPartyTo, "P710", "participant", True, "item", False),
    Mapping(TKG.signingDate, "P585", "point in time", False, "date", True),
    Mapping(TKG.signingPlace, "P276", "location", False, "item", True),
    Mapping(TKG.officialLanguage, "P407", "language of work or name", False, "language", False),
    Mapping(TKG.registrationNumber, "P4231", "UN Treaty Series registration number", False, "string", True),
    Mapping(TKG.abrogates, "P1365", "replaces", False, "item", False),
    Mapping(TKG.abrogates, "P1366", "replaced by", True, "item", False),
)
PROPERTIES = tuple(dict.fromkeys(m.property for m in MAPPINGS))


@dataclass(frozen=True, slots=True)
class Comparison:
    """One fact of the graph as a Wikidata statement, and what Wikidata says."""

    item: str
    item_label: str
    property: str
    property_label: str
    value: str
    value_label: str
    kind: str
    status: str
    wikidata: tuple[str, ...]
    note: str
    quotes: tuple[Quote, ...]


@dataclass(frozen=True, slots=True)
class NotComparable:
    """A fact that cannot be put to Wikidata: its subject or item value has no QID."""

    property: str
    subject: str
    value: str
    missing: str


@dataclass(frozen=True, slots=True)
class CompareReport:
    """The comparisons, the facts left out, and where Wikidata's statements came from."""

    comparisons: tuple[Comparison, ...]
    not_comparable: tuple[NotComparable, ...]
    source: str

    def counts(self) -> dict[str, int]:
        """How many comparisons have each status."""
        counted = Counter(c.status for c in self.comparisons)
        return {status: counted.get(status, 0) for status in STATUSES}

    def to_json(self) -> dict:
        """The report as plain JSON-ready data."""
        return {
            "source": self.source,
            "counts": self.counts(),
            "comparisons": [asdict(c) for c in self.comparisons],
            "not_comparable": [asdict(n) for n in self.not_comparable],
        }


def subject_qids(graph: Graph) -> set[str]:
    """The QIDs of the items whose Wikidata statements a comparison of this graph reads."""
    qids = set()
    for mapping in MAPPINGS:
        for s, o in graph.subject_objects(mapping.predicate):
            qid = qid_of(graph, o if mapping.inverse else s)
            if qid:
                qids.add(qid)
    return qids


def compare(graph: Graph, snapshot: Snapshot) -> CompareReport:
    """Compare the facts of a built graph about linked items with Wikidata's statements."""
    comparisons, left_out = [], []
    for mapping in MAPPINGS:
        for s, o in sorted(graph.subject_objects(mapping.predicate)):
            subject, value = (o, s) if mapping.inverse else (s, o)
            item = qid_of(graph, subject)
            if item is None:
                left_out.append(
                    NotComparable(
                        mapping.property,
                        labels_of(graph, subject)[0],
                        _shown(graph, value),
                        f"{labels_of(graph, subject)[0]!r} has no QID",
                    )
                )
                continue
            wanted, note = _wikidata_value(graph, value, mapping)
            if wanted is None and mapping.value == "item":
                left_out.append(
                    NotComparable(
                        mapping.property,
                        labels_of(graph, subject)[0],
                        _shown(graph, value),
                        f"{_shown(graph, value)!r} has no QID",
                    )
                )
                continue
            comparisons.append(
                _compare_one(
                    graph,
                    snapshot,
                    mapping,
                    item,
                    subject,
                    value,
                    wanted,
                    note,
                    evidence_for(graph, s, mapping.predicate, o),
                )
            )
    order = {status: i for i, status in enumerate(STATUSES)}
    comparisons.sort(key=lambda c: (order[c.status], c.item, c.property, c.value))
    return CompareReport(
        tuple(comparisons),
        tuple(sorted(set(left_out), key=lambda n: (n.subject, n.property, n.value))),
        snapshot.source,
    )


def _shown(graph: Graph, node: object) -> str:
    return labels_of(graph, node)[0] if isinstance(node, URIRef) else str(node)


def _wikidata_value(graph: Graph, value: object, mapping: Mapping) -> tuple[str | None, str]:
    if mapping.value == "item":
        return qid_of(graph, value), ""
    text = str(value).strip()
    if mapping.value == "language":
        item = LANGUAGE_ITEMS.get(text.lower())
        return item, "" if item else f"no verified Wikidata item for the language code {text!r}"
    return text, ""


def _compare_one(
    graph: Graph,
    snapshot: Snapshot,
    mapping: Mapping,
    item: str,
    subject: URIRef,
    value: object,
    wanted: str | None,
    note: str,
    quotes: list[Quote],
) -> Comparison:
    known = snapshot.values(item, mapping.property)
    shown = wanted or str(value)
    label = (
        _shown(graph, value)
        if isinstance(value, URIRef)
        else (str(value) if wanted not in (None, str(value)) else "")
    )
    if wanted is None:
        status = UNCHECKED
    elif known is None:
        read = item in snapshot.items
        status = UNCHECKED
        note = note or (
            "the snapshot did not read this property of this item"
            if read
            else "the snapshot has no statements of this item"
        )
    else:
        agreeing = [k for k in known if _agrees(wanted, k, mapping.value)]
        if agreeing:
            status = AGREES
            if mapping.value == "date" and wanted not in known:
                note = f"at the coarser precision of {agreeing[0]} / {wanted}"
        elif known and mapping.single:
            status = DISAGREES
        else:
            status = LACKS
    return Comparison(
        item,
        labels_of(graph, subject)[0],
        mapping.property,
        mapping.label,
        shown,
        label,
        mapping.value,
        status,
        tuple(known or ()),
        note,
        tuple(quotes),
    )


def _agrees(ours: str, theirs: str, kind: str) -> bool:
    if kind == "date":
        return ours == theirs or ours.startswith(theirs + "-") or theirs.startswith(ours + "-")
    if kind == "string":
        return ours.strip().casefold() == theirs.strip().casefold()
    return ours == theirs


def _cut(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_report(report: CompareReport, *, show_not_comparable: int = 10) -> str:
    """The report as the table `treatykg wikidata compare` prints."""
    lines = [f"Wikidata statements from: {report.source or '(none)'}"]
    if report.comparisons:
        lines.append(f"{'STATUS':<15} {'ITEM':<40} {'PROPERTY':<30} VALUE")
        for c in report.comparisons:
            item = f"{c.item} {c.item_label}"[:40]
            prop = f"{c.property} {c.property_label}"[:30]
            value = f"{c.value} {c.value_label}".strip()
            extra = (
                f" (Wikidata: {', '.join(c.wikidata)})"
                if c.status in (DISAGREES, LACKS) and c.wikidata
                else ""
            )
            extra += f" [{c.note}]" if c.note else ""
            lines.append(f"{c.status:<15} {item:<40} {prop:<30} {value}{extra}")
    else:
        lines.append("no fact of the graph is about a linked item in a way Wikidata states")
    if report.not_comparable:
        lines.append(
            f"not comparable: {len(report.not_comparable)} facts whose subject or item value has no QID, e.g."
        )
        lines += [
            f"  {n.property} {_cut(n.subject)} -> {_cut(n.value)}: {_cut(n.missing)}"
            for n in report.not_comparable[:show_not_comparable]
        ]
    lines.append("totals: " + ", ".join(f"{status} {count}" for status, count in report.counts().items()))
    return "\n".join(lines) + "\n"
