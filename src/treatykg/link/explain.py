"""Why an entity of a built graph has its Wikidata QID, or why it has none.

The resolver (`treatykg.resolve`) picks a knowledge-base entry for a name by the kind the context
asks for and by the date of the event the sentence talks about (`KnowledgeBase.choose`). The
built graph keeps the outcome (owl:sameAs, tkg:linkConfidence, tkg:linkReason) but not the
dates the resolver saw, so `explain` reconstructs them from the graph: the dates written in the
quoted sentences of the entity's facts and the signing dates of the instruments it is party to
or signs (the resolver dates a party by its instrument's signing date). It then lists the other
knowledge-base entries that share the entity's names and says why each was set aside: its kind,
the years it existed, or the years a shared name named it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from ..dates import DateValue, find_dates
from ..kb import PLACE_KINDS, Alias, KBEntry, KnowledgeBase, load_kb
from ..namespace import TKG
from ..rdf import mint
from .common import evidence_for, find_entity, kind_of, labels_of, local_name, qid_of

_REASON_RE = re.compile(r"knowledge base entry '([^']+)'")
_DATED_BY_INSTRUMENT = {TKG.isPartyTo: "to which it is a party"}


@dataclass(frozen=True, slots=True)
class EventDate:
    """A date of an event the entity takes part in, and where the graph says so."""

    date: str
    source: str


@dataclass(frozen=True, slots=True)
class Rival:
    """Another knowledge-base entry that shares a name with the entity, and why it was set aside."""

    entry_id: str
    label: str
    kind: str
    qid: str | None
    existed: str
    shared_names: tuple[str, ...]
    reasons: tuple[str, ...]
    fits: bool


@dataclass(frozen=True, slots=True)
class Explanation:
    """Everything `treatykg explain` prints about one entity."""

    iri: str
    label: str
    alt_labels: tuple[str, ...]
    kind: str
    qid: str | None
    confidence: float | None
    link_reason: str | None
    entry_id: str | None
    entry_label: str | None
    entry_existed: str | None
    entry_evidence: str | None
    names: tuple[str, ...]
    documents: tuple[str, ...]
    event_dates: tuple[EventDate, ...]
    rivals: tuple[Rival, ...]
    verdict: str

    def to_json(self) -> dict:
        """The explanation as plain JSON-ready data."""
        return asdict(self)


def explain(
    graph: Graph, entity: str, *, kb: KnowledgeBase | None = None, kb_dir: Path | None = None
) -> Explanation:
    """Explain the Wikidata link of ENTITY (a label, altLabel, QID or IRI) in a built graph.

    Raises:
        LinkingError: no entity, or several, answer to `entity`.
    """
    knowledge = kb if kb is not None else load_kb(kb_dir)
    node = find_entity(graph, entity)
    label, alts = labels_of(graph, node)
    kind = kind_of(graph, node)
    qid = qid_of(graph, node)
    confidence = graph.value(node, TKG.linkConfidence)
    reason = graph.value(node, TKG.linkReason)
    entry = _kb_entry(node, kind, qid, str(reason) if reason else None, knowledge)
    names = _names(label, alts, entry)
    dates, documents = _event_dates(graph, node)
    rivals = _rivals(names, entry, kind, dates, knowledge)
    return Explanation(
        iri=str(node),
        label=label,
        alt_labels=alts,
        kind=kind,
        qid=qid,
        confidence=float(confidence) if isinstance(confidence, Literal) else None,
        link_reason=str(reason) if reason else None,
        entry_id=entry.id if entry else None,
        entry_label=entry.label if entry else None,
        entry_existed=_existed(entry) if entry else None,
        entry_evidence=entry.qid_evidence if entry else None,
        names=names,
        documents=documents,
        event_dates=dates,
        rivals=rivals,
        verdict=_verdict(qid, entry, rivals, str(reason) if reason else None),
    )


def _kb_entry(
    node: URIRef, kind: str, qid: str | None, reason: str | None, kb: KnowledgeBase
) -> KBEntry | None:
    """The knowledge-base entry an entity was resolved to: named by its link reason, sharing its
    QID, or (for an unlinked entry) the one whose minted IRI is the node's."""
    match = _REASON_RE.search(reason or "")
    if match and match.group(1) in kb.entries:
        return kb.entries[match.group(1)]
    for entry in kb.entries.values():
        if qid and entry.qid == qid:
            return entry
    for entry in kb.entries.values():
        iri = str(mint(entry.kind, entry.id))
        if entry.kind == kind and (str(node) == iri or str(node).startswith(iri + "-")):
            return entry
    return None


def _names(label: str, alts: tuple[str, ...], entry: KBEntry | None) -> tuple[str, ...]:
    names = [label, *alts]
    if entry is not None:
        names += [*entry.labels.values(), *(a.name for a in entry.aliases)]
    return tuple(dict.fromkeys(names))


def _event_dates(graph: Graph, node: URIRef) -> tuple[tuple[EventDate, ...], tuple[str, ...]]:
    """The dates of the events the entity's facts speak of, and the documents stating them.

    A party is dated by its instrument's signing date, as the resolver does; any other fact by the
    dates written in its quoted sentences (the resolver used the date nearest the mention)."""
    found: dict[str, str] = {}
    documents: set[str] = set()
    triples = [(node, p, o) for p, o in graph.predicate_objects(node)] + [
        (s, p, node) for s, p in graph.subject_predicates(node)
    ]
    for s, p, o in sorted(triples):
        if not str(p).startswith(str(TKG._NS)) or p in (TKG.linkReason, TKG.linkConfidence):
            continue
        other = o if s == node else s
        other_label = labels_of(graph, other)[0] if isinstance(other, URIRef) else str(other)
        quotes = evidence_for(graph, s, p, o)
        documents.update(q.doc_id for q in quotes)
        signed = sorted(str(d) for d in graph.objects(o, TKG.signingDate)) if s == node else []
        if p in _DATED_BY_INSTRUMENT and signed:
            for day in signed:
                found.setdefault(day, f"signing date of {other_label}, {_DATED_BY_INSTRUMENT[p]}")
            continue
        dated = False
        for quote in quotes:
            text = " ".join(quote.quote.split())
            for match in find_dates(quote.quote):
                dated = True
                found.setdefault(
                    match.value.iso, f'{local_name(p)} {other_label} ({quote.doc_id}: "{text[:120]}")'
                )
        for day in [] if dated else signed:
            found.setdefault(
                day,
                f"signing date of {other_label}, which it {local_name(p)} (no date in the quoted sentences)",
            )
    if not found:
        for doc_id in sorted(documents):
            for doc in graph.subjects(TKG.docId, Literal(doc_id)):
                for issued in graph.objects(doc, DCTERMS.issued):
                    found.setdefault(
                        str(issued), f"publication date of {doc_id} (no date in the quoted sentences)"
                    )
    dates = tuple(EventDate(day, source) for day, source in sorted(found.items()))
    return dates, tuple(sorted(documents))


def _family(kind: str) -> frozenset[str]:
    """The kinds a mention of this kind may resolve to (as in `treatykg.resolve`)."""
    if kind in PLACE_KINDS - {"State"}:
        return PLACE_KINDS - {"State"}
    return frozenset({kind})


def _existed(entry: KBEntry) -> str:
    if entry.start and entry.end:
        return f"{entry.start} until {entry.end}"
    if entry.start:
        return f"from {entry.start}"
    if entry.end:
        return f"until {entry.end}"
    return "at all dates (none recorded)"


def _alias_span(alias: Alias) -> str:
    if alias.start and alias.until:
        return f"from {alias.start} until {alias.until}"
    return f"from {alias.start}" if alias.start else f"until {alias.until}"


def _rivals(
    names: tuple[str, ...], entry: KBEntry | None, kind: str, dates: tuple[EventDate, ...], kb: KnowledgeBase
) -> tuple[Rival, ...]:
    shared: dict[str, list[Alias]] = {}
    for name in names:
        for candidate in kb.names(name):
            if entry is None or candidate.entry.id != entry.id:
                shared.setdefault(candidate.entry.id, []).append(candidate.alias)
    rivals = []
    for entry_id in sorted(shared):
        other = kb.entries[entry_id]
        aliases = list(dict.fromkeys(shared[entry_id]))
        reasons, fits = _why_set_aside(other, aliases, kind, dates)
        rivals.append(
            Rival(
                other.id,
                other.label,
                other.kind,
                other.qid,
                _existed(other),
                tuple(dict.fromkeys(a.name for a in aliases)),
                tuple(reasons),
                fits,
            )
        )
    return tuple(rivals)


def _why_set_aside(
    other: KBEntry, aliases: list[Alias], kind: str, dates: tuple[EventDate, ...]
) -> tuple[list[str], bool]:
    reasons = []
    kind_ok = not kind or other.kind in _family(kind)
    if not kind_ok:
        reasons.append(f"it is a {other.kind}, and the mentions ask for a {kind}")
    if not dates:
        reasons.append(
            "no event date is known, and a name shared by several entries resolves without a date "
            "only to the one that holds it at all times"
        )
        return reasons, False
    not_existing, not_named, fitting = [], [], []
    for event in dates:
        day = DateValue(event.date).sort_key()
        exists = other.existed_on(day)
        named = any(alias.valid_on(day) for alias in aliases)
        if not exists:
            not_existing.append(event.date)
        elif not named:
            not_named.append(event.date)
        else:
            fitting.append(event.date)
    if not_existing:
        reasons.append(f"it existed {_existed(other)}, so not on {', '.join(not_existing)}")
    if not_named:
        spans = "; ".join(f"'{a.name}' {_alias_span(a)}" for a in aliases if a.start or a.until)
        reasons.append(
            f"the shared name named it only for a time ({spans}), so not on {', '.join(not_named)}"
        )
    if fitting and kind_ok:
        reasons.append(
            f"its kind, existence and the shared name all cover {', '.join(fitting)}: a mention of "
            "the shared name on that date cannot be told apart by date alone"
        )
    return reasons, bool(fitting) and kind_ok


def _verdict(qid: str | None, entry: KBEntry | None, rivals: tuple[Rival, ...], reason: str | None) -> str:
    if qid and entry is not None:
        return (
            f"linked to {qid} because its mentions resolved to the knowledge-base entry '{entry.id}', "
            f"whose QID has recorded evidence; "
            + (
                f"{len(rivals)} other entr{'y' if len(rivals) == 1 else 'ies'} sharing its names "
                f"{'was' if len(rivals) == 1 else 'were'} set aside (below)"
                if rivals
                else "no other entry shares its names"
            )
        )
    if qid:
        return f"linked to {qid}: {reason or 'no reason recorded'}"
    if entry is not None:
        return (
            f"no QID: its mentions resolved to the knowledge-base entry '{entry.id}' ({entry.label}), which "
            "has no QID because no Wikidata item has been verified for it with public evidence "
            "(an unlinked entity is honest; a wrong link is a defect)"
        )
    if rivals:
        fitting = [r.entry_id for r in rivals if r.fits]
        if len(fitting) > 1:
            return (
                f"no QID: its name fits several knowledge-base entries ({', '.join(fitting)}), "
                "so the resolver answered NIL"
            )
        return (
            "no QID: knowledge-base entries share its name, but none fits the kind and the dates of its "
            "mentions (below), so it stayed an entity of its own"
        )
    return (
        "no QID: no knowledge-base entry has any of its names; add one with its evidence to data/kb "
        "(see data/kb/README.md) or reconcile it online"
    )


def format_explanation(explanation: Explanation) -> str:
    """The explanation as the text `treatykg explain` prints."""
    e = explanation
    lines = [
        f"{e.label}  <{e.iri}>",
        f"  class:        {e.kind}",
        f"  other names:  {', '.join(e.alt_labels) or '-'}",
        f"  QID:          {e.qid or 'none'}" + (f" (tkg:linkConfidence {e.confidence})" if e.qid else ""),
        f"  link reason:  {e.link_reason or '-'}",
    ]
    if e.entry_id:
        lines.append(
            f'  KB entry:     {e.entry_id} "{e.entry_label}", existed {e.entry_existed}, '
            f"QID {e.qid or 'none'}"
        )
        lines.append(f"  KB names:     {', '.join(e.names)}")
    else:
        lines.append("  KB entry:     none (the entity is keyed by its name)")
    lines.append(f"  documents:    {', '.join(e.documents) or '-'}")
    lines.append("Event dates (from the quoted sentences of its facts and its instruments' signing dates):")
    lines += [f"  {d.date}  {d.source}" for d in e.event_dates] or ["  none found"]
    lines.append("Other knowledge-base entries that share its names:")
    for rival in e.rivals:
        lines.append(
            f'  {rival.entry_id} "{rival.label}" {rival.kind} {rival.qid or "(no QID)"}, '
            f"existed {rival.existed}"
        )
        lines.append(f"    shares: {', '.join(rival.shared_names)}")
        lines.append("    still fits:" if rival.fits else "    set aside:")
        lines += [f"      - {reason}" for reason in rival.reasons]
    if not e.rivals:
        lines.append("  none")
    lines.append(f"Verdict: {e.verdict}")
    return "\n".join(lines) + "\n"
