"""Command-line wrappers of treatykg.link: `explain`, `wikidata compare`, `wikidata quickstatements`.

Registered on the main group by treatykg.cli. Library errors (KGError) reach cli.main, which turns
them into one-line messages and exit code 2.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # each command imports what it runs when it runs (see treatykg.cli)
    from .link.snapshot import Snapshot

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command(context_settings=_CONTEXT)
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("entity")
@click.option("--kb", "kb_dir", type=click.Path(path_type=Path), default=None, help="Knowledge-base folder.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(graph: Path, entity: str, kb_dir: Path | None, fmt: str) -> None:
    """Explain why ENTITY (a label, altLabel, QID or IRI) in GRAPH has its Wikidata QID, or none.

    Shows its labels, class, QID, tkg:linkConfidence and tkg:linkReason, the knowledge-base entry it
    came from, the dates of its events, and the other entries sharing its names with why they were
    set aside.

    Example: treatykg explain out "Republic of China (Taiwan)"
    """
    from .export import load_union
    from .link.explain import explain as explain_entity
    from .link.explain import format_explanation

    result = explain_entity(load_union(graph), entity, kb_dir=kb_dir)
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(format_explanation(result), nl=False)


@click.group(context_settings=_CONTEXT)
def wikidata() -> None:
    """Compare the graph with Wikidata and draft QuickStatements (never uploads anything).

    Example: treatykg wikidata compare out
    """


def _statements(
    graph_data, snapshot: Path | None, online: bool, cache_dir: Path | None, user_agent: str | None
) -> Snapshot:
    from .link.compare import subject_qids
    from .link.online import Endpoint
    from .link.snapshot import load_snapshot
    from .link.statements import fetch_statements

    statements = load_snapshot(snapshot)
    if online or cache_dir is not None:
        endpoint = Endpoint(user_agent=user_agent) if user_agent else Endpoint()
        statements = statements.merged(
            fetch_statements(
                subject_qids(graph_data), endpoint=endpoint, cache_dir=cache_dir, offline=not online
            )
        )
    return statements


_snapshot_option = click.option(
    "--snapshot",
    type=click.Path(path_type=Path),
    default=None,
    help="Snapshot of Wikidata statements (default data/kb/wikidata/snapshot.json).",
)
_online_option = click.option(
    "--online", is_flag=True, help="Also fetch the items' statements from Wikidata (cached; 1 request/s)."
)
_cache_option = click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Cache of Wikidata answers (default $XDG_CACHE_HOME/treatykg/wikidata or "
    "~/.cache/treatykg/wikidata); given without --online, answers are read from it only.",
)
_agent_option = click.option("--user-agent", default=None, help="User-Agent with your contact, for --online.")


@wikidata.command("compare")
@click.argument("graph", type=click.Path(path_type=Path))
@_snapshot_option
@_online_option
@_cache_option
@_agent_option
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def compare_command(
    graph: Path, snapshot: Path | None, online: bool, cache_dir: Path | None, user_agent: str | None, fmt: str
) -> None:
    """Compare GRAPH's facts about linked items with Wikidata: agrees, disagrees, Wikidata lacks.

    Signatory P1891, participant P710, point in time P585, location P276, language P407, UNTS
    registration number P4231, replaces P1365 / replaced by P1366.

    Example: treatykg wikidata compare out --format json
    """
    from .export import load_union
    from .link.compare import compare, format_report

    graph_data = load_union(graph)
    report = compare(graph_data, _statements(graph_data, snapshot, online, cache_dir, user_agent))
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=1, default=str))
    else:
        click.echo(format_report(report), nl=False)


@wikidata.command("quickstatements")
@click.argument("graph", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="File to write ('-': stdout)."
)
@_snapshot_option
@_online_option
@_cache_option
@_agent_option
@click.option(
    "--retrieved",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Date for the references' 'retrieved' (S813); default today.",
)
@click.option(
    "--include-unchecked", is_flag=True, help="Also write facts whose Wikidata property was not read."
)
def quickstatements_command(
    graph: Path,
    output: Path,
    snapshot: Path | None,
    online: bool,
    cache_dir: Path | None,
    user_agent: str | None,
    retrieved: datetime.datetime | None,
    include_unchecked: bool,
) -> None:
    """Write the facts Wikidata lacks as QuickStatements v1 lines, each citing its quoted sentence.

    Review the file, then paste it into QuickStatements yourself: nothing is uploaded.

    Example: treatykg wikidata quickstatements out -o missing.qs
    """
    from .export import load_union
    from .link.compare import compare
    from .link.quickstatements import quickstatements as write_quickstatements

    graph_data = load_union(graph)
    report = compare(graph_data, _statements(graph_data, snapshot, online, cache_dir, user_agent))
    result = write_quickstatements(
        report, retrieved=retrieved.date() if retrieved else None, include_unchecked=include_unchecked
    )
    if str(output) == "-":
        click.echo(result.text, nl=False)
    else:
        output.write_text(result.text, encoding="utf-8")
    for reason in result.skipped:
        click.echo(f"skipped: {reason}", err=True)
    click.echo(f"{len(result.lines)} QuickStatements lines -> {output} (not uploaded)", err=True)
