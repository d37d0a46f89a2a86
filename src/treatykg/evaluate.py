"""Scoring a built graph against gold annotations (the format of the project's gold files).

A graph node stands for a gold entity when it is linked to the entity's QID (any triple whose
object is a Wikidata item), or, for an entity without QID, when one of its labels equals the
entity's label or an alias (case- and space-insensitive). A gold fact is found when some node
of its subject has the predicate (by local name) to some node of its object, or to a literal of
the same value; `{"any": [...]}` is found when one of its forms is, `{"optional": f}` counts
when present and is not missed when absent. Precision is over the graph's core-profile
triples, per document through their evidence records.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV

from .errors import InputError
from .facts import CORE_PREDICATES

_LABEL_PROPERTIES = {"label", "preflabel", "altlabel", "hiddenlabel", "name", "alias"}
_WIKIDATA = re.compile(r"^https?://www\.wikidata\.org/entity/(Q\d+)$")
_CORE = {p.lower() for p in CORE_PREDICATES}


def _local(term: object) -> str:
    return re.split(r"[#/:]", str(term))[-1].lower()


def _norm(text: object) -> str:
    folded = unicodedata.normalize("NFKC", str(text)).casefold().replace("\u2019", "'")
    return " ".join(folded.split())


@dataclass(frozen=True, slots=True)
class GoldFact:
    """One gold fact: its alternatives (subject id, predicate, object id or literal key)."""

    doc: str
    forms: tuple[tuple[str, str, str], ...]
    optional: bool = False

    @property
    def predicate(self) -> str:
        """The predicate of its first form."""
        return self.forms[0][1]


@dataclass
class Gold:
    """Entities (by id) and facts of a gold set."""

    entities: dict[str, dict] = field(default_factory=dict)
    facts: list[GoldFact] = field(default_factory=list)


def _literal_key(value: dict) -> str:
    ((_, text),) = value.items()
    return f"literal:{_norm(text)}"


def _form(raw: list, where: str, entities: dict[str, dict]) -> tuple[str, str, str]:
    if not (isinstance(raw, list) and len(raw) == 3 and isinstance(raw[0], str) and isinstance(raw[1], str)):
        raise InputError(f"{where}: a fact must be [subject, predicate, object], not {raw!r:.80}")
    subject, predicate, obj = raw
    if isinstance(obj, dict) and len(obj) == 1:
        return subject, predicate.lower(), _literal_key(obj)
    if isinstance(obj, str):
        return subject, predicate.lower(), f"id:{obj}"
    raise InputError(f"{where}: the object of {raw!r:.80} is neither an entity id nor a literal")


def load_gold(paths: Iterable[Path | str]) -> Gold:
    """Read gold files (or folders of *.gold.json); an unreadable one raises InputError naming it."""
    gold = Gold()
    files: list[Path] = []
    for path in map(Path, paths):
        files += sorted(path.glob("*.gold.json")) if path.is_dir() else [path]
    if not files:
        raise InputError("no gold files given")
    for file in files:
        try:
            _read_gold_file(gold, file)
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            raise InputError(f"{file}: is not a gold file ({type(error).__name__}: {error}); see GOLD-FORMAT") from error
    for fact in gold.facts:
        for subject, _, obj in fact.forms:
            for ref in (subject, obj[3:] if obj.startswith("id:") else None):
                if ref is not None and ref not in gold.entities:
                    raise InputError(f"gold fact of {fact.doc} names unknown entity {ref!r}")
    return gold


def _read_gold_file(gold: Gold, file: Path) -> None:
    """Add one gold file's entities and facts to gold."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"{file}: cannot be read ({error.strerror})") from error
    entities, facts, doc = data["entities"], data["facts"], data["doc"]
    for entity in entities:
        known = gold.entities.setdefault(entity["id"], {"type": entity["type"], "qid": None, "names": set()})
        if entity.get("qid") and known["qid"] and entity["qid"] != known["qid"]:
            raise InputError(f"{file}: entity {entity['id']} has two QIDs")
        known["qid"] = known["qid"] or entity.get("qid")
        known["names"] |= {_norm(n) for n in [entity["label"], *entity.get("aliases", [])]}
    for raw in facts:
        optional = isinstance(raw, dict) and "optional" in raw
        forms = raw["optional"] if optional else raw.get("any") if isinstance(raw, dict) else raw
        forms = [forms] if optional or not isinstance(raw, dict) else forms
        parsed = tuple(_form(f, str(file), gold.entities) for f in forms)
        gold.facts.append(GoldFact(doc, parsed, optional))


@dataclass(frozen=True, slots=True)
class Counts:
    """Found / gold facts, and right / all graph triples, for one row of the table."""

    found: int = 0
    gold: int = 0
    right: int = 0
    triples: int = 0

    @property
    def recall(self) -> float | None:
        """Found over gold facts."""
        return self.found / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        """Right over all triples."""
        return self.right / self.triples if self.triples else None

    @property
    def f1(self) -> float | None:
        """The harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.found + other.found, self.gold + other.gold, self.right + other.right,
                      self.triples + other.triples)


@dataclass
class Evaluation:
    """The scores of a graph against a gold set, with what was missed and what was extra."""

    total: Counts
    by_document: dict[str, Counts]
    by_relation: dict[str, Counts]
    entity_recall: float | None
    link_accuracy: float | None
    missed: list[tuple[str, tuple[str, str, str]]]
    extra: list[tuple[str, str, str]]
    entities_missed: list[str]
    bad_links: list[tuple[str, list[str], list[str]]]


class _GraphIndex:
    """What each node of a graph is called, linked to and typed as."""

    def __init__(self, graph: Graph, gold: Gold) -> None:
        self.labels: dict[object, set[str]] = defaultdict(set)
        self.qids: dict[object, set[str]] = defaultdict(set)
        self.types: dict[object, set[str]] = defaultdict(set)
        self.superclasses: dict[str, set[str]] = defaultdict(set)
        for s, p, o in graph:
            if _local(p) in _LABEL_PROPERTIES and isinstance(o, Literal):
                self.labels[s].add(_norm(o))
            if isinstance(o, URIRef) and _WIKIDATA.match(str(o)):
                self.qids[s].add(_WIKIDATA.match(str(o)).group(1))
            if p == RDF.type:
                self.types[s].add(_local(o))
            if p == RDFS.subClassOf:
                self.superclasses[_local(s)].add(_local(o))
        by_qid = {e["qid"]: eid for eid, e in gold.entities.items() if e["qid"]}
        by_name: dict[str, set[str]] = defaultdict(set)
        for eid, entity in gold.entities.items():
            for name in entity["names"]:
                by_name[name].add(eid)
        self.by_name = by_name
        self.ids: dict[object, set[str]] = {}
        for node in set(self.labels) | set(self.qids) | set(self.types):
            ids = {by_qid[q] for q in self.qids.get(node, ()) if q in by_qid}
            ids |= {eid for n in self.labels.get(node, ()) for eid in by_name.get(n, ()) if not gold.entities[eid]["qid"]}
            self.ids[node] = ids

    def keys(self, term: object) -> set[str]:
        keys = {f"id:{i}" for i in self.ids.get(term, ())}
        if isinstance(term, Literal):
            keys.add(f"literal:{_norm(term)}")
        return keys

    def is_a(self, node: object, kind: str) -> bool:
        todo, seen = list(self.types.get(node, ())), set()
        while todo:
            current = todo.pop()
            if current == kind:
                return True
            if current not in seen:
                seen.add(current)
                todo += self.superclasses.get(current, ())
        return False


def _documents_of(graph: Graph) -> dict[tuple, set[str]]:
    """Which documents state each triple, read from the evidence records."""
    stated: dict[tuple, set[str]] = defaultdict(set)
    for record in graph.subjects(RDF.subject, None):
        triple = (graph.value(record, RDF.subject), graph.value(record, RDF.predicate), graph.value(record, RDF.object))
        source = graph.value(record, PROV.wasDerivedFrom)
        if source is not None:
            stated[triple].add(unquote_doc(str(source)))
    return stated


def unquote_doc(iri: str) -> str:
    """The document id at the end of a document IRI."""
    from urllib.parse import unquote

    return unquote(iri.rsplit("/", 1)[-1])


def evaluate(graph: Graph, gold: Gold) -> Evaluation:
    """Score a graph against a gold set."""
    index = _GraphIndex(graph, gold)
    core = [(s, p, o) for s, p, o in graph if _local(p) in _CORE]
    present = {(sid, _local(p), key) for s, p, o in core for sid in index.ids.get(s, ()) for key in index.keys(o)}
    by_document: dict[str, Counts] = defaultdict(Counts)
    by_relation: dict[str, Counts] = defaultdict(Counts)
    missed = []
    for fact in gold.facts:
        found = any(form in present for form in fact.forms)
        if fact.optional:
            continue
        row = Counts(found=int(found), gold=1)
        by_document[_stem(fact.doc)] += row
        by_relation[_relation_name(fact.predicate)] += row
        if not found:
            missed.append((fact.doc, fact.forms[0]))
    allowed = {form for fact in gold.facts for form in fact.forms}
    stated = _documents_of(graph)
    extra = []
    for s, p, o in core:
        right = any((sid, _local(p), key) in allowed for sid in index.ids.get(s, ()) for key in index.keys(o))
        row = Counts(right=int(right), triples=1)
        by_relation[_relation_name(p)] += row
        for doc in stated.get((s, p, o), ()):
            by_document[_stem(doc)] += row
        if not right:
            extra.append((str(s), _local(p), o.n3() if hasattr(o, "n3") else str(o)))
    total = sum(by_relation.values(), Counts())
    nodes_of: dict[str, set] = defaultdict(set)
    for node, ids in index.ids.items():
        for eid in ids:
            nodes_of[eid].add(node)
    entities_missed = [eid for eid, e in gold.entities.items()
                       if not any(index.is_a(n, e["type"].lower()) for n in nodes_of.get(eid, ()))]
    bad_links, good = [], 0
    for node, qids in index.qids.items():
        named = {eid for n in index.labels.get(node, ()) for eid in index.by_name.get(n, ()) if gold.entities[eid]["qid"]}
        if not named:
            continue
        wanted = {gold.entities[eid]["qid"] for eid in named}
        if qids & wanted:
            good += 1
        else:
            bad_links.append((str(node), sorted(qids), sorted(wanted)))
    checked = good + len(bad_links)
    return Evaluation(total, dict(by_document), dict(by_relation),
                      1 - len(entities_missed) / len(gold.entities) if gold.entities else None,
                      good / checked if checked else None, missed, extra, entities_missed, bad_links)


def _stem(doc: str) -> str:
    return re.sub(r"\.(txt|text)$", "", doc)


def _relation_name(predicate: object) -> str:
    local = _local(predicate)
    return next((p for p in CORE_PREDICATES if p.lower() == local), local)


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_evaluation(evaluation: Evaluation, *, show: int = 20) -> str:
    """The scores as tables (per document, per relation, overall) followed by the misses."""
    lines = []
    for title, rows in (("document", evaluation.by_document), ("relation", evaluation.by_relation)):
        width = max([len(title)] + [len(k) for k in rows])
        lines.append(f"{title:<{width}}  precision  recall     f1  found/gold  right/triples")
        for key in sorted(rows):
            c = rows[key]
            lines.append(f"{key:<{width}}  {_cell(c.precision):>9}  {_cell(c.recall):>6}  {_cell(c.f1):>5}"
                         f"  {c.found:>5}/{c.gold:<4}  {c.right:>6}/{c.triples}")
        lines.append("")
    t = evaluation.total
    lines.append(f"overall: precision {_cell(t.precision)}  recall {_cell(t.recall)}  f1 {_cell(t.f1)}  "
                 f"entity recall {_cell(evaluation.entity_recall)}  link accuracy {_cell(evaluation.link_accuracy)}")
    lines += [f"missed   {doc}: {list(form)}" for doc, form in evaluation.missed[:show]]
    lines += [f"extra    {s} {p} {o}" for s, p, o in evaluation.extra[:show]]
    lines += [f"no node  {eid}" for eid in evaluation.entities_missed[:show]]
    lines += [f"bad link {node} -> {have}, gold {want}" for node, have, want in evaluation.bad_links[:show]]
    return "\n".join(lines) + "\n"


def evaluation_json(evaluation: Evaluation) -> dict:
    """The overall scores as a JSON-ready dict."""
    t = evaluation.total
    return {"fact_recall": t.recall, "fact_precision": t.precision, "fact_f1": t.f1, "facts_found": t.found,
            "facts_gold": t.gold, "core_triples": t.triples, "entity_recall": evaluation.entity_recall,
            "link_accuracy": evaluation.link_accuracy}
