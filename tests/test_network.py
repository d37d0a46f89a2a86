"""Tests for treatykg.network: the actor–instrument network, its measures and its exports."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import treatykg
from treatykg.cli import cli, main
from treatykg.errors import InputError
from treatykg.export import serialize
from treatykg.network import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    actor_network,
    betweenness_sources,
    centrality,
    components,
    ego_network,
    find_node,
    format_path,
    shortest_path,
    write_csv,
    write_gexf,
    write_graphml,
)

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/treatykg/id/"
USSR, PRC = ID + "state/ussr", ID + "state/prc"
TREATY_1950 = ID + "treaty/treaty-friendship-alliance-mutual-assistance-1950"


@pytest.fixture(scope="module")
def seed() -> treatykg.BuildResult:
    """The seed build, once for this module (no SHACL: not under test here)."""
    return treatykg.build_graph([ROOT / "data" / "seeds"], run_validation=False)


@pytest.fixture(scope="module")
def net(seed: treatykg.BuildResult) -> nx.MultiDiGraph:
    """The seed graph's actor network."""
    return actor_network(seed.graph)


@pytest.mark.parametrize("top", [2])
def test_centrality_ranks_ussr_and_prc_first(net: nx.MultiDiGraph, top: int) -> None:
    rows = centrality(net, top=top)
    assert [row.iri for row in rows] == [USSR, PRC]
    assert [row.kind for row in rows] == ["State", "State"]
    assert rows[0].degree > rows[1].degree > 0 and rows[0].betweenness > 0


@pytest.mark.parametrize("top", [100])
def test_centrality_lists_actors_only(net: nx.MultiDiGraph, top: int) -> None:
    rows = centrality(net, top=top)
    assert {row.kind for row in rows} <= {"State", "Person", "Organization"}
    assert len(rows) == sum(1 for _, d in net.nodes(data=True) if d["group"] == "actor")


@pytest.mark.parametrize(
    "relation", ["signs", "isPartyTo", "registers", "abrogates", "recognizes", "terminates", "represents"]
)
def test_actor_network_has_relation(net: nx.MultiDiGraph, relation: str) -> None:
    assert any(
        data["relation"] == relation and key == relation
        for _, _, key, data in net.edges(keys=True, data=True)
    )


@pytest.mark.parametrize(
    "iri, kind, group, qid", [(USSR, "State", "actor", "Q15180"), (TREATY_1950, "Treaty", "instrument", None)]
)
def test_actor_network_node_attributes(
    net: nx.MultiDiGraph, iri: str, kind: str, group: str, qid: str | None
) -> None:
    data = net.nodes[iri]
    assert (data["kind"], data["group"]) == (kind, group) and data["label"]
    assert qid is None or data["qid"] == qid
    assert data["date"] == ("1950-02-14" if iri == TREATY_1950 else "")


@pytest.mark.parametrize("members", [(USSR, PRC, ID + "person/vyshinsky", ID + "person/zhou", TREATY_1950)])
def test_components_largest_holds_the_signatories(net: nx.MultiDiGraph, members: tuple[str, ...]) -> None:
    found = components(net)
    assert set(members) <= set(found[0].iris)
    assert [c.size for c in found] == sorted((c.size for c in found), reverse=True)
    assert sum(c.size for c in found) == net.number_of_nodes()


@pytest.mark.parametrize("name", ["zhou enlai", "CHOU EN-LAI", ID + "person/zhou"])
def test_ego_network_finds_entity_by_any_name(net: nx.MultiDiGraph, name: str) -> None:
    near = ego_network(net, name, radius=1)
    assert near.graph["center"] == ID + "person/zhou"
    assert {TREATY_1950, PRC} <= set(near) and USSR not in near
    assert USSR in ego_network(net, name, radius=2)


@pytest.mark.parametrize("name, message", [("Nobody", "no actor or instrument"), ("China", "names several")])
def test_find_node_refuses_unknown_or_ambiguous(net: nx.MultiDiGraph, name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        find_node(net, name)


@pytest.mark.parametrize("a, b", [("Andrey Vyshinsky", "Zhou Enlai"), ("Vyshinsky", "zhou")])
def test_shortest_path_goes_through_the_1950_treaty(net: nx.MultiDiGraph, a: str, b: str) -> None:
    path = shortest_path(net, a, b)
    assert path is not None
    assert path.iris == (ID + "person/vyshinsky", TREATY_1950, ID + "person/zhou")
    assert path.labels[1] == "Treaty of Friendship, Alliance and Mutual Assistance"
    assert path.relations == ("signs", "^signs")
    assert format_path(path) == (
        "Andrey Vyshinsky —signs→ Treaty of Friendship, Alliance and Mutual Assistance ←signs— Zhou Enlai"
    )


@pytest.mark.parametrize("a, b", [("Zhou Enlai", "Japan")])
def test_shortest_path_none_when_unconnected(net: nx.MultiDiGraph, a: str, b: str) -> None:
    assert shortest_path(net, a, b) is None


def _edges(graph: nx.MultiDiGraph, ignore: frozenset[str] = frozenset()) -> set:
    return {
        (u, v, k, tuple(sorted((a, x) for a, x in d.items() if a not in ignore)))
        for u, v, k, d in graph.edges(keys=True, data=True)
    }


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_round_trips(net: nx.MultiDiGraph, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"network.{fmt}"
    if fmt == "graphml":
        write_graphml(net, target)
        back = nx.read_graphml(target, force_multigraph=True)
    else:
        write_gexf(net, target)
        back = nx.read_gexf(target)
    assert isinstance(back, nx.MultiDiGraph)
    assert dict(back.nodes(data=True)) == dict(net.nodes(data=True))
    assert _edges(back, frozenset({"id"})) == _edges(net)  # GEXF adds a running edge id


@pytest.mark.parametrize("kind", ["nodes", "edges"])
def test_write_csv_columns(net: nx.MultiDiGraph, tmp_path: Path, kind: str) -> None:
    write_csv(net, tmp_path / "nodes.csv", tmp_path / "edges.csv")
    with (tmp_path / f"{kind}.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    columns, count = (
        (NODE_COLUMNS, net.number_of_nodes()) if kind == "nodes" else (EDGE_COLUMNS, net.number_of_edges())
    )
    assert tuple(rows[0]) == columns and len(rows) == count


@pytest.fixture(scope="module")
def out(seed: treatykg.BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder holding the seed graph, as `treatykg network` reads it."""
    folder = tmp_path_factory.mktemp("out")
    (folder / "graph.trig").write_bytes(serialize(seed.dataset, "trig"))
    return folder


@pytest.mark.parametrize("args", [["--top", "2", "--path", "Vyshinsky", "Zhou Enlai", "--ego", "Zhou Enlai"]])
def test_cli_network_prints_centrality_path_and_exports(out: Path, tmp_path: Path, args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["network", str(out), *args, "--export", str(tmp_path / "net")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith("Union of Soviet Socialist Republics") and lines[2].startswith(
        "People's Republic"
    )
    assert "components" in result.stdout and "within two steps of Zhou Enlai" in result.stdout
    assert (
        "path: Andrey Vyshinsky —signs→ Treaty of Friendship, Alliance and Mutual Assistance" in result.stdout
    )
    assert sorted(p.name for p in (tmp_path / "net").iterdir()) == [
        "edges.csv",
        "network.gexf",
        "network.graphml",
        "nodes.csv",
    ]


@pytest.mark.parametrize("command", ["network", "report"])
def test_cli_view_help_ends_with_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "-h"])
    assert result.exit_code == 0 and f"Example: treatykg {command} out" in result.output


@pytest.mark.parametrize("entity", ["Nobody at all"])
def test_cli_network_unknown_entity_exits_2(
    out: Path, entity: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["network", str(out), "--ego", entity]) == 2
    assert "no actor or instrument called" in capsys.readouterr().err


def test_betweenness_of_a_large_network_is_estimated_from_sampled_sources(net: nx.MultiDiGraph) -> None:
    """Over `sources` nodes, betweenness comes from that many shortest-path searches drawn with a
    fixed seed: the same each time, close to the exact value, and the degree order unchanged."""
    size = net.number_of_nodes()
    exact = {row.iri: row for row in centrality(net, top=100)}
    estimated = centrality(net, top=100, sources=size // 2)
    assert betweenness_sources(net, size // 2) == size // 2 and betweenness_sources(net, size) is None
    assert estimated == centrality(net, top=100, sources=size // 2)
    assert [row.degree for row in estimated] == sorted((row.degree for row in exact.values()), reverse=True)
    assert any(row.betweenness != exact[row.iri].betweenness for row in estimated)
    assert estimated[0].iri == USSR and abs(estimated[0].betweenness - exact[USSR].betweenness) < 0.2


def test_cli_network_says_when_betweenness_is_estimated(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import treatykg.network

    exact = CliRunner().invoke(cli, ["network", str(out), "--top", "2"])
    monkeypatch.setattr(treatykg.network, "CENTRALITY_SOURCES", 5)
    estimated = CliRunner().invoke(cli, ["network", str(out), "--top", "2"])
    assert (exact.exit_code, estimated.exit_code) == (0, 0)
    assert "estimated" not in exact.stdout and "(betweenness estimated from 5 of the " in estimated.stdout
