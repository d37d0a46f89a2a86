"""Where sources disagree: one instrument given several signing, entry-into-force,
registration or end dates (or durations), each claim with the documents and quotes behind it.

The end of an instrument is claimed by a termination date and by every instrument that
abrogates it (at that instrument's signing date): "the 1945 treaty ended in 1950 (abrogated by
the exchange of notes)" and "ended on 24 February 1953 (terminated by the Legislative Yuan)"
are two claims about one fact, and both are kept.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV

from .evaluate import unquote_doc
from .namespace import TKG

SINGLE_VALUED = (TKG.signingDate, TKG.entryIntoForceDate, TKG.registrationDate, TKG.duration, TKG.registrationNumber)


@dataclass(frozen=True, slots=True)
class Claim:
    """One value a source gives, with the document and the quoted sentence."""

    value: str
    via: str
    document: str
    quote: str


@dataclass(frozen=True, slots=True)
class Conflict:
    """An instrument and a property on which the sources give different values."""

    instrument: str
    label: str
    about: str
    claims: tuple[Claim, ...]


def _evidence(graph: Graph, triple: tuple) -> list[tuple[str, str]]:
    found = []
    for record in graph.subjects(RDF.subject, triple[0]):
        if graph.value(record, RDF.predicate) == triple[1] and graph.value(record, RDF.object) == triple[2]:
            found.append((unquote_doc(str(graph.value(record, PROV.wasDerivedFrom))), str(graph.value(record, TKG.quote))))
    return sorted(found)


def _claims(graph: Graph, triple: tuple, value: str, via: str) -> list[Claim]:
    return [Claim(value, via, document, quote) for document, quote in _evidence(graph, triple)] or [Claim(value, via, "", "")]


def _label(graph: Graph, node: object) -> str:
    return str(graph.value(node, RDFS.label) or node)


def find_conflicts(graph: Graph) -> list[Conflict]:
    """Every instrument and property with more than one value in the graph, with all claims."""
    conflicts = []
    for predicate in SINGLE_VALUED:
        values: dict[object, set] = defaultdict(set)
        for s, o in graph.subject_objects(predicate):
            values[s].add(o)
        for subject, objects in sorted(values.items(), key=lambda item: str(item[0])):
            if len(objects) > 1:
                claims = [c for o in sorted(objects, key=str) for c in _claims(graph, (subject, predicate, o), str(o), str(predicate).split("#")[-1])]
                conflicts.append(Conflict(str(subject), _label(graph, subject), str(predicate).split("#")[-1], tuple(claims)))
    conflicts += _end_conflicts(graph)
    return conflicts


def _end_conflicts(graph: Graph) -> list[Conflict]:
    ends: dict[object, list[Claim]] = defaultdict(list)
    for subject, date in graph.subject_objects(TKG.terminationDate):
        ends[subject] += _claims(graph, (subject, TKG.terminationDate, date), str(date), "terminationDate")
    for abrogating, ended in graph.subject_objects(TKG.abrogates):
        signed = graph.value(abrogating, TKG.signingDate)
        value = str(signed) if isinstance(signed, Literal) else ""
        ends[ended] += _claims(graph, (abrogating, TKG.abrogates, ended), value,
                               f"abrogated by {_label(graph, abrogating)}")
    for state, ended in graph.subject_objects(TKG.terminates):
        ends[ended] += _claims(graph, (state, TKG.terminates, ended), "", f"terminated by {_label(graph, state)}")
    found = []
    for instrument, claims in sorted(ends.items(), key=lambda item: str(item[0])):
        dates = {c.value[:10] for c in claims if c.value}
        if len(dates) > 1 and isinstance(instrument, URIRef):
            ordered = sorted(claims, key=lambda c: (c.value, c.via, c.document, c.quote))
            found.append(Conflict(str(instrument), _label(graph, instrument), "end", tuple(ordered)))
    return found


def format_conflicts(conflicts: list[Conflict]) -> str:
    """The conflicts as readable text, one block per instrument and property."""
    lines = []
    for conflict in conflicts:
        lines.append(f"{conflict.label} — {conflict.about}:")
        for claim in conflict.claims:
            quote = " ".join(claim.quote.split())
            lines.append(f"  {claim.value or '(no date)':<12} {claim.via}  [{claim.document}] {quote[:160]}")
        lines.append("")
    return "\n".join(lines) if lines else "no conflicting claims\n"
