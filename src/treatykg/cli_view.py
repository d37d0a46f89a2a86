"""The `network` and `report` commands (registered on the main group in cli.py).

Thin wrappers over `treatykg.network` and `treatykg.report`; library errors (`InputError` for
an unknown entity or a missing graph) reach `cli.main`, which turns them into exit code 2.
"""

from __future__ import annotations

from pathlib import Path

import click

# networkx, matplotlib and the report are imported by the commands that use them, so that every
# other command (a build above all) starts without them


@click.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--top", type=int, default=10, show_default=True, help="How many actors to rank.")
@click.option(
    "--ego",
    "ego",
    default=None,
    metavar="ENTITY",
    help="Also list what lies within two steps of ENTITY (label, other name, QID or IRI).",
)
@click.option(
    "--path", "path", nargs=2, default=None, metavar="A B", help="Also print the shortest path from A to B."
)
@click.option(
    "--export",
    "export_dir",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="Write network.graphml, network.gexf, nodes.csv and edges.csv into DIR.",
)
def network(
    graph: Path, top: int, ego: str | None, path: tuple[str, str] | None, export_dir: Path | None
) -> None:
    """Analyse the actor–instrument network of GRAPH (an output folder or an RDF file).

    Prints the most central actors (degree, betweenness) and the connected components.

    Example: treatykg network out --top 5 --path Vyshinsky "Zhou Enlai" --export out/network
    """
    from .export import load_union
    from .network import (
        actor_network,
        betweenness_sources,
        centrality,
        components,
        ego_network,
        export_network,
        format_centrality,
        format_components,
        format_path,
        shortest_path,
    )

    net = actor_network(load_union(graph))
    click.echo(format_centrality(centrality(net, top=top)))
    if (sources := betweenness_sources(net)) is not None:
        click.echo(f"(betweenness estimated from {sources:,} of the {net.number_of_nodes():,} nodes, "
                   f"drawn with a fixed seed)")
    click.echo(format_components(components(net)), nl=False)
    if ego:
        sub = ego_network(net, ego)
        click.echo(
            f"\nwithin two steps of {net.nodes[sub.graph['center']]['label']}: {sub.number_of_nodes()} nodes"
        )
        for _, data in sorted(sub.nodes(data=True), key=lambda item: item[1]["label"]):
            click.echo(f"  {data['label']} ({data['kind']})")
    if path:
        click.echo(f"\npath: {format_path(shortest_path(net, *path))}")
    if export_dir is not None:
        written = export_network(net, export_dir)
        click.echo(f"wrote {', '.join(str(p) for p in written)}", err=True)


@click.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder to write the report into (default: GRAPH/report).",
)
def report(graph: Path, output: Path | None) -> None:
    """Write a static HTML report of GRAPH (an output folder): summary, SHACL results, conflicts,
    pictures of the network and the timeline, and a page per entity with its evidence quotes.

    Opens from disk with no server: open OUT/report/index.html in a browser.

    Example: treatykg report out -o out/report
    """
    from .report import report_build

    written = report_build(graph, output)
    click.echo(f"{written.entity_pages} entity pages -> {written.index}", err=True)
