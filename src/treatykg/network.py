"""The actor–instrument network of a built graph, for network analysis with networkx.

Nodes are the states, persons and organizations (the *actors*) and the instruments (tkg:Treaty
and its subclasses) of the graph; edges are the core relations between them: tkg:signs,
isPartyTo, registers, abrogates, recognizes, terminates and represents. Places, railways and
literal-valued facts (dates, languages) are left out: they are what the instruments are about,
not who acts in them.

The network is a `networkx.MultiDiGraph` keyed by entity IRI:

* directed, because the relations are (a person signs an instrument, an instrument abrogates
  another);
* multi, because two nodes can stand in several relations (the USSR is a party to a treaty
  *and* registers it); each edge's key and its ``relation`` attribute are the relation's local
  name.

Node attributes: ``label``, ``kind`` (the ontology class's local name), ``group`` (``actor`` or
``instrument``), ``qid`` (the Wikidata item or ""), ``date`` (the signing date or ""),
``alt_labels`` (the other names, joined by " | "). Edge attributes: ``relation``, ``evidence``
(how many evidence records state the fact) and ``documents`` (their document ids, space
separated). Every attribute is a string or an int, so the network writes to GraphML, GEXF and
CSV as it is.
"""

from __future__ import annotations

import csv
import difflib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import PROV

from .errors import InputError
from .evaluate import unquote_doc
from .namespace import TKG

ACTOR_CLASSES = {TKG.State: "State", TKG.Person: "Person", TKG.Organization: "Organization"}
INSTRUMENT_CLASSES = (
    TKG.Treaty,
    TKG.Agreement,
    TKG.ExchangeOfNotes,
    TKG.JointDeclaration,
    TKG.Communique,
    TKG.Convention,
    TKG.Protocol,
)
RELATIONS = (
    TKG.signs,
    TKG.isPartyTo,
    TKG.registers,
    TKG.abrogates,
    TKG.recognizes,
    TKG.terminates,
    TKG.represents,
)
ALT_SEPARATOR = " | "
CENTRALITY_SOURCES = 1000  # shortest-path searches for betweenness: 49 s at 10,000 documents
CENTRALITY_SEED = 7
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"


@dataclass(frozen=True, slots=True)
class Centrality:
    """How central one actor is: distinct neighbours (degree) and normalised betweenness."""

    iri: str
    label: str
    kind: str
    degree: int
    betweenness: float


@dataclass(frozen=True, slots=True)
class Component:
    """One weakly connected component of the network, its members' labels and IRIs sorted by label."""

    size: int
    labels: tuple[str, ...]
    iris: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NetworkPath:
    """A shortest path: the nodes' labels and IRIs, and the relation of each step.

    ``relations[i]`` links ``labels[i]`` to ``labels[i + 1]``; a leading ``^`` marks an edge that
    points backwards (``^signs``: the next node signs this one), as in SPARQL's inverse paths.
    Parallel relations of one step are joined by "/".
    """

    labels: tuple[str, ...]
    iris: tuple[str, ...]
    relations: tuple[str, ...]


def _local(term: URIRef) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _kinds(graph: Graph) -> dict[URIRef, str]:
    """The network's nodes and the local name of their class."""
    instrument_classes = set(INSTRUMENT_CLASSES) | set(graph.transitive_subjects(RDFS.subClassOf, TKG.Treaty))
    kinds: dict[URIRef, str] = {}
    for node, cls in graph.subject_objects(RDF.type):
        if not isinstance(node, URIRef):
            continue
        if cls in ACTOR_CLASSES:
            kinds[node] = ACTOR_CLASSES[cls]  # type: ignore[index]
        elif cls in instrument_classes and node not in kinds:
            kinds[node] = _local(cls)  # type: ignore[arg-type]
    return kinds


def _qid(graph: Graph, node: URIRef) -> str:
    for same in sorted(graph.objects(node, OWL.sameAs), key=str):
        if str(same).startswith(WIKIDATA_ENTITY):
            return str(same)[len(WIKIDATA_ENTITY) :]
    return ""


def _evidence_index(graph: Graph) -> dict[tuple, list[str]]:
    """(subject, predicate, object) -> the document ids of its evidence records."""
    index: dict[tuple, list[str]] = defaultdict(list)
    for record in graph.subjects(RDF.type, TKG.Evidence):
        key = (
            graph.value(record, RDF.subject),
            graph.value(record, RDF.predicate),
            graph.value(record, RDF.object),
        )
        document = graph.value(record, PROV.wasDerivedFrom)
        index[key].append(unquote_doc(str(document)) if document is not None else "")
    return index


def actor_network(graph: Graph) -> nx.MultiDiGraph:
    """The actor–instrument network of a built graph (see the module docstring for its shape).

    Args:
        graph: A built treatykg graph (the union graph, e.g. ``export.load_union(out)``).

    Returns:
        A MultiDiGraph keyed by IRI; every actor and instrument is a node, even one with no edge.
    """
    net = nx.MultiDiGraph()
    kinds = _kinds(graph)
    for node in sorted(kinds, key=str):
        kind = kinds[node]
        label = str(graph.value(node, RDFS.label) or _local(node))
        alts = sorted({str(a) for a in graph.objects(node, SKOS.altLabel)} - {label})
        signed = graph.value(node, TKG.signingDate)
        net.add_node(
            str(node),
            label=label,
            kind=kind,
            group="actor" if kind in ACTOR_CLASSES.values() else "instrument",
            qid=_qid(graph, node),
            date="" if signed is None else str(signed),
            alt_labels=ALT_SEPARATOR.join(alts),
        )
    evidence = _evidence_index(graph)
    for predicate in RELATIONS:
        for subject, obj in sorted(
            graph.subject_objects(predicate), key=lambda pair: (str(pair[0]), str(pair[1]))
        ):
            if subject in kinds and obj in kinds:
                documents = evidence.get((subject, predicate, obj), [])
                net.add_edge(
                    str(subject),
                    str(obj),
                    key=_local(predicate),
                    relation=_local(predicate),
                    evidence=len(documents),
                    documents=" ".join(sorted(set(documents))),
                )
    return net


def undirected(net: nx.MultiDiGraph) -> nx.Graph:
    """The simple undirected graph of a network: one edge per linked pair, whatever the relations
    and their direction, with ``evidence`` summed over them."""
    simple = nx.Graph()
    simple.add_nodes_from(net.nodes(data=True))
    for u, v, data in net.edges(data=True):
        weight = simple.edges[u, v]["evidence"] if simple.has_edge(u, v) else 0
        simple.add_edge(u, v, evidence=weight + int(data.get("evidence", 0)))
    return simple


def centrality(net: nx.MultiDiGraph, top: int = 10, *, sources: int | None = None) -> list[Centrality]:
    """The most central actors (states, persons, organizations), by degree then betweenness.

    Degree is the number of distinct neighbours (a party that also registers a treaty counts
    the treaty once); betweenness is normalised and computed over the whole undirected network,
    instruments included, since actors are linked through the instruments they share. It costs a
    shortest-path search from every node (8 minutes at 10,000 documents, 9,700 nodes), so a
    network of more than `sources` nodes has it estimated from that many, drawn with a fixed seed
    (49 s from 1,000 at 10,000 documents; `betweenness_sources` says when).

    Args:
        net: The network from `actor_network`.
        top: How many actors to return.
        sources: The most nodes betweenness is computed from (None: CENTRALITY_SOURCES).

    Returns:
        At most ``top`` actors, most central first (ties broken by label).
    """
    simple = undirected(net)
    sampled = betweenness_sources(simple, sources)
    betweenness = nx.betweenness_centrality(simple, k=sampled, normalized=True,
                                            seed=CENTRALITY_SEED if sampled else None)
    rows = [
        Centrality(node, data["label"], data["kind"], simple.degree(node), round(betweenness[node], 6))
        for node, data in simple.nodes(data=True)
        if data.get("group") == "actor"
    ]
    rows.sort(key=lambda row: (-row.degree, -row.betweenness, row.label))
    return rows[: max(top, 0)]


def betweenness_sources(net: nx.Graph | nx.MultiDiGraph, sources: int | None = None) -> int | None:
    """How many nodes `centrality` estimates betweenness from on this network: `sources` (None:
    CENTRALITY_SOURCES) when it has more nodes than that; None when it computes it from every node."""
    most = CENTRALITY_SOURCES if sources is None else sources
    return most if net.number_of_nodes() > most else None


def components(net: nx.MultiDiGraph) -> list[Component]:
    """The weakly connected components, largest first (isolated entities are components of one)."""
    found = []
    for members in nx.weakly_connected_components(net):
        ordered = sorted(members, key=lambda node: (net.nodes[node]["label"].casefold(), node))
        found.append(Component(len(ordered), tuple(net.nodes[n]["label"] for n in ordered), tuple(ordered)))
    found.sort(key=lambda component: (-component.size, component.labels))
    return found


def find_node(net: nx.MultiDiGraph, entity: str) -> str:
    """The IRI of the node an IRI, a Wikidata QID, a label or an alternative label names.

    Names are matched case-insensitively; a label beats an alternative label, which beats a
    part of a name ("Vyshinsky") that only one node has.

    Args:
        net: The network from `actor_network`.
        entity: The name to look up.

    Returns:
        The node's IRI.

    Raises:
        InputError: When no node, or more than one, has that name.
    """
    if entity in net:
        return entity
    wanted = entity.strip().casefold()
    by_label = [
        n for n, d in net.nodes(data=True) if d["label"].casefold() == wanted or d["qid"].casefold() == wanted
    ]
    by_alt = [
        n
        for n, d in net.nodes(data=True)
        if wanted in (alt.casefold() for alt in d["alt_labels"].split(ALT_SEPARATOR) if alt)
    ]
    by_part = [
        n
        for n, d in net.nodes(data=True)
        if any(wanted in name.casefold() for name in (d["label"], *d["alt_labels"].split(ALT_SEPARATOR)))
    ]
    for matches in (by_label, by_alt, by_part):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = "; ".join(f"{net.nodes[n]['label']} <{n}>" for n in sorted(matches))
            raise InputError(f"{entity!r} names several entities ({names}); give the IRI")
    labels = [d["label"] for _, d in net.nodes(data=True)]
    close = difflib.get_close_matches(entity, labels, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else "; give a label, a QID or an IRI"
    raise InputError(f"no actor or instrument called {entity!r} in the network{hint}")


def ego_network(net: nx.MultiDiGraph, entity: str, radius: int = 2) -> nx.MultiDiGraph:
    """The entity and everything within ``radius`` steps of it, whatever the edges' direction.

    Args:
        net: The network from `actor_network`.
        entity: An IRI, QID, label or alternative label (case-insensitive).
        radius: How many steps out to go.

    Returns:
        A copy of the sub-network, with the centre's IRI in ``graph["center"]``.

    Raises:
        InputError: When the entity is not in the network.
    """
    center = find_node(net, entity)
    ego = nx.ego_graph(net, center, radius=radius, undirected=True).copy()
    ego.graph["center"] = center
    return ego


def _step(net: nx.MultiDiGraph, u: str, v: str) -> str:
    forward = sorted(net.get_edge_data(u, v, default={}))
    backward = sorted(f"^{key}" for key in net.get_edge_data(v, u, default={}))
    return "/".join(forward + backward)


def shortest_path(net: nx.MultiDiGraph, a: str, b: str) -> NetworkPath | None:
    """The shortest chain of relations from ``a`` to ``b`` (two signatories and the instrument they share).

    Direction is ignored. Among equally short paths the best attested one wins (the most
    evidence records along it), then the one whose labels sort first, so the answer is stable.

    Args:
        net: The network from `actor_network`.
        a: An IRI, QID, label or alternative label.
        b: Another.

    Returns:
        The path, or None when the two are not connected.

    Raises:
        InputError: When either name is not in the network.
    """
    start, end = find_node(net, a), find_node(net, b)
    simple = undirected(net)
    try:
        candidates = list(nx.all_shortest_paths(simple, start, end))
    except nx.NetworkXNoPath:
        return None

    def rank(path: list[str]) -> tuple[int, list[str]]:
        support = sum(simple.edges[u, v]["evidence"] for u, v in zip(path, path[1:], strict=False))
        return (-support, [net.nodes[n]["label"] for n in path])

    best = min(candidates, key=rank)
    relations = tuple(_step(net, u, v) for u, v in zip(best, best[1:], strict=False))
    return NetworkPath(tuple(net.nodes[n]["label"] for n in best), tuple(best), relations)


def short_label(label: str, width: int = 60) -> str:
    """A label cut at a word boundary to at most ``width`` characters, with "…" when cut.

    >>> short_label("Exchange of Notes concerning the Abrogation of the Treaty", 30)
    'Exchange of Notes concerning…'
    """
    if len(label) <= width:
        return label
    cut = label[: width - 1].rsplit(" ", 1)[0] if " " in label[: width - 1] else label[: width - 1]
    return cut.rstrip(" ,;:") + "…"


def format_path(path: NetworkPath | None) -> str:
    """A path as one line: ``A —signs→ T ←signs— B``."""
    if path is None:
        return "no path"
    parts = [path.labels[0]]
    for relation, label in zip(path.relations, path.labels[1:], strict=True):
        names = relation.split("/")
        if all(name.startswith("^") for name in names):
            parts.append(f"←{'/'.join(name[1:] for name in names)}— {label}")
        else:
            parts.append(f"—{relation}→ {label}")
    return " ".join(parts)


def format_centrality(rows: list[Centrality]) -> str:
    """Centrality rows as an aligned text table."""
    width = max([len(row.label) for row in rows] + [5])
    lines = [f"{'actor':<{width}}  {'class':<12} {'degree':>6} {'betweenness':>11}"]
    lines += [
        f"{row.label:<{width}}  {row.kind:<12} {row.degree:>6} {row.betweenness:>11.4f}" for row in rows
    ]
    return "\n".join(lines) + "\n"


def format_components(found: list[Component], *, show: int = 8) -> str:
    """Components as text: one line each, with up to ``show`` member labels."""
    lines = [f"{len(found)} components"]
    for component in found:
        members = "; ".join(short_label(label) for label in component.labels[:show]) + (
            "; …" if component.size > show else ""
        )
        lines.append(f"  {component.size:>3}  {members}")
    return "\n".join(lines) + "\n"


def write_graphml(net: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write the network as GraphML; ``networkx.read_graphml(path, force_multigraph=True)`` reads it back."""
    target = Path(path)
    nx.write_graphml(net, target, encoding="utf-8")
    return target


def write_gexf(net: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write the network as GEXF 1.2 (for Gephi)."""
    target = Path(path)
    nx.write_gexf(net, target, encoding="utf-8")
    return target


NODE_COLUMNS = ("id", "label", "kind", "group", "qid", "date", "alt_labels", "degree")
EDGE_COLUMNS = ("source", "target", "source_label", "target_label", "relation", "evidence", "documents")


def write_csv(net: nx.MultiDiGraph, nodes_path: str | Path, edges_path: str | Path) -> None:
    """Write the nodes and the edges as two UTF-8 CSV files with a header row.

    Columns: ``NODE_COLUMNS`` and ``EDGE_COLUMNS``; ``degree`` counts distinct neighbours.
    """
    simple = undirected(net)
    nodes, edges = Path(nodes_path), Path(edges_path)
    with nodes.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(NODE_COLUMNS)
        for node, data in net.nodes(data=True):
            writer.writerow([node, *(data[c] for c in NODE_COLUMNS[1:-1]), simple.degree(node)])
    with edges.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(EDGE_COLUMNS)
        for u, v, data in net.edges(data=True):
            writer.writerow(
                [
                    u,
                    v,
                    net.nodes[u]["label"],
                    net.nodes[v]["label"],
                    data["relation"],
                    data["evidence"],
                    data["documents"],
                ]
            )


def export_network(net: nx.MultiDiGraph, directory: str | Path) -> list[Path]:
    """Write network.graphml, network.gexf, nodes.csv and edges.csv into ``directory`` (created if needed)."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = [write_graphml(net, folder / "network.graphml"), write_gexf(net, folder / "network.gexf")]
    write_csv(net, folder / "nodes.csv", folder / "edges.csv")
    return [*written, folder / "nodes.csv", folder / "edges.csv"]
