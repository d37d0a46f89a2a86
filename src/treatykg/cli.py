"""The command line: a thin layer over the library.

Exit codes: 0 success (and the graph conforms), 1 the graph does not conform to the shapes,
2 bad input or usage, 3 internal error (please report; --debug shows the traceback).
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .build import build_graph, write_build
from .conflicts import find_conflicts, format_conflicts
from .errors import KGError, OntologyError
from .evaluate import evaluate as evaluate_graph
from .evaluate import evaluation_json, format_evaluation, load_gold
from .export import FORMATS, as_graph, load_graph, serialize
from .query import format_result, read_query, run_query
from .validate import validate as validate_graph

EXIT_OK, EXIT_NONCONFORMING, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _say(message: str, quiet: bool = False) -> None:
    if not quiet:
        click.echo(message, err=True)


@click.group(context_settings=CONTEXT_SETTINGS, epilog="Exit codes: 0 ok, 1 graph does not conform, "
             "2 bad input or usage, 3 internal error.")
@click.version_option(__version__, "--version")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Build, validate, query and export knowledge graphs of treaties from documents."""
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Output folder (replaced atomically).")
@click.option("--kb", "kb_dir", type=click.Path(path_type=Path), default=None, help="Knowledge-base folder.")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation.")
@click.option("--strict", is_flag=True, help="Fail (exit 2) when any document cannot be read.")
@click.option("--max-bytes", type=int, default=50 * 1024 * 1024, show_default=True, help="Per-document size limit.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def build(paths: tuple[Path, ...], out: Path, kb_dir: Path | None, no_validate: bool, strict: bool,
          max_bytes: int, quiet: bool) -> None:
    """Build the graph of the documents under PATHS (default: data) into OUT.

    Writes OUT/graph.ttl, graph.jsonld, graph.trig, graph.nq and the SHACL report.

    Example: treatykg build data/seeds -o out
    """
    result = build_graph(paths or (Path("data"),), kb_dir=kb_dir, run_validation=not no_validate, max_bytes=max_bytes)
    for problem in result.problems:
        _say(f"skipped: {problem}")
    if strict and result.problems:
        raise click.exceptions.Exit(EXIT_INPUT)
    write_build(result, out)
    summary = result.summary()
    _say(f"{len(result.documents)} documents -> {out}/graph.ttl", quiet)
    _say("entities: " + ", ".join(f"{k} {v}" for k, v in summary["entities"].items()), quiet)
    _say("facts:    " + ", ".join(f"{k} {v}" for k, v in summary["facts"].items()), quiet)
    if result.validation is not None:
        _say(f"SHACL:    {'conforms' if result.validation.conforms else 'does NOT conform: see ' + str(out / 'shacl-report.txt')}", quiet)
        if not result.validation.conforms:
            raise click.exceptions.Exit(EXIT_NONCONFORMING)


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("-q", "--quiet", is_flag=True, help="Print nothing; the exit code tells.")
def validate(graph: Path, quiet: bool) -> None:
    """Validate GRAPH (an output folder or an RDF file) against the SHACL shapes.

    Example: treatykg validate out
    """
    result = validate_graph(load_graph(graph))
    if not quiet:
        click.echo(result.report_text)
    if not result.conforms:
        raise click.exceptions.Exit(EXIT_NONCONFORMING)


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("sparql")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def query(graph: Path, sparql: str, fmt: str) -> None:
    """Run SPARQL (a .rq file or the query text) on GRAPH; read-only.

    Example: treatykg query out queries/signatories.rq --format csv
    """
    click.echo(format_result(run_query(load_graph(graph), read_query(sparql)), fmt), nl=False)


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(sorted(FORMATS)), default="ttl", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="File to write (default stdout).")
def export(graph: Path, fmt: str, output: Path | None) -> None:
    """Export GRAPH in another RDF format (ttl, jsonld, nt, nq, trig, xml).

    Example: treatykg export out --format jsonld -o graph.jsonld
    """
    data = serialize(load_graph(graph), fmt)
    if output is None:
        stream = sys.stdout.buffer
        stream.write(data)
        stream.flush()
    else:
        output.write_bytes(data)


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("gold", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--show", type=int, default=20, show_default=True, help="How many misses and extras to list.")
def evaluate(graph: Path, gold: tuple[Path, ...], fmt: str, show: int) -> None:
    """Score GRAPH against gold annotations (files or folders of *.gold.json).

    Prints precision, recall and F1 per document and per relation, entity recall and link
    accuracy, then the facts missed and the triples not in the gold.

    Example: treatykg evaluate out data/dev/gold
    """
    result = evaluate_graph(as_graph(load_graph(graph)), load_gold(gold))
    if fmt == "json":
        click.echo(json.dumps(evaluation_json(result), indent=1))
    else:
        click.echo(format_evaluation(result, show=show), nl=False)


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
def conflicts(graph: Path) -> None:
    """List what the sources disagree on (dates, durations, how an instrument ended), each claim
    with its document and quoted sentence.

    Example: treatykg conflicts out
    """
    click.echo(format_conflicts(find_conflicts(as_graph(load_graph(graph)))), nl=False)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and turn errors into one-line messages and documented exit codes."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        code = cli.main(args=argv, prog_name="treatykg", standalone_mode=False)
        if isinstance(code, int):
            return code
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.UsageError as error:
        error.show()
        return EXIT_INPUT
    except click.Abort:
        click.echo("aborted", err=True)
        return EXIT_INPUT
    except OntologyError as error:
        click.echo(f"error: {error}", err=True)
        return EXIT_INTERNAL
    except KGError as error:
        click.echo(f"error: {error}", err=True)
        return EXIT_INPUT
    except Exception as error:  # the last line of defence: one line, exit 3, traceback on request
        click.echo(f"internal error: {error!r} (please report it; rerun with --debug for the traceback)", err=True)
        if debug:
            traceback.print_exc()
        return EXIT_INTERNAL
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
