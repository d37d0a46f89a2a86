"""The command line: a thin layer over the library.

Exit codes: 0 success (and the graph conforms), 1 the graph does not conform to the shapes,
2 bad input or usage, 3 internal error (please report; --debug shows the traceback).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .errors import ExtractionError, KGError, OntologyError
from .query import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, format_result, read_query, run_query
from .settings import DEFAULT_ENCODING, DEFAULT_MAX_BYTES, ENGINES, FORMATS
from .store import has_store, open_store

# Each command imports what it runs when it runs: building needs rdflib, pySHACL and every
# extractor (0.6 s), which `treatykg query OUT`, answered from the store, does without.

EXIT_OK, EXIT_NONCONFORMING, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _say(message: str, quiet: bool = False) -> None:
    if not quiet:
        click.echo(message, err=True)


class _Group(click.Group):
    """The command group; a reader that closes our stdout (`| head`) ends the command quietly with 0."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _silence_stdout()
            raise click.exceptions.Exit(EXIT_OK) from None


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS, epilog="Exit codes: 0 ok, 1 graph does not conform, "
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
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
              help="Per-document size limit in bytes; a larger file is skipped with a message.")
@click.option("--encoding", default=DEFAULT_ENCODING, show_default=True,
              help="Encoding of documents without a byte-order mark, e.g. cp1252 or latin-1.")
@click.option("--wait", "lock_timeout", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Seconds to wait for another build writing into OUT.")
@click.option("--online", is_flag=True, help="Ask Wikidata for entities the knowledge base lacks (cached on disk).")
@click.option("--cache-only", is_flag=True, help="With --online: answer from the cache only, never the network.")
@click.option("--wikidata-cache", type=click.Path(path_type=Path), default=None,
              help="Folder of cached Wikidata answers (default ~/.cache/treatykg/wikidata).")
@click.option("--wikidata-url", default=None, help="Base URL of a Wikidata mirror or replay server (for tests).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Local cores to use: processes for extraction and validation, a thread loading the store [default: every core; 1: one core].")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="Where extraction runs: local processes, or a dask.distributed cluster.")
@click.option("--scheduler", default=None, help="With --engine dask: the scheduler's address, e.g. tcp://host:8786.")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path), default=None,
              help="Build cache folder [default: .OUT.builds/cache beside OUT].")
@click.option("--no-cache", is_flag=True,
              help="Extract and validate every document afresh, and load the store afresh; keep no cache.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (no progress bar).")
def build(paths: tuple[Path, ...], out: Path, kb_dir: Path | None, no_validate: bool, strict: bool,
          max_bytes: int, encoding: str, lock_timeout: float, online: bool, cache_only: bool,
          wikidata_cache: Path | None, wikidata_url: str | None, jobs: int | None, engine: str,
          scheduler: str | None, cache_dir: Path | None, no_cache: bool, quiet: bool) -> None:
    """Build the graph of the documents under PATHS (default: data) into OUT.

    Writes OUT/graph.ttl, graph.jsonld, graph.trig, graph.nq, the SHACL report and OUT/store (an
    Oxigraph store that `treatykg query OUT` answers from). A rebuild redoes only the documents
    that were added or changed (the cache) and changes OUT's previous store instead of loading it
    again; a progress bar shows on a terminal.

    Example: treatykg build data/seeds -o out
    """
    from .build import OnlineLinking, build_graph, write_build
    from .link.online import Endpoint
    from .outdir import cache_folder
    from .progress import for_terminal

    linking = None
    if online:
        endpoint = Endpoint(api_url=f"{wikidata_url}/w/api.php", sparql_url=f"{wikidata_url}/sparql") if wikidata_url else None
        linking = OnlineLinking(endpoint, wikidata_cache, cache_only)
    progress = for_terminal(quiet=quiet)
    result = build_graph(paths or (Path("data"),), kb_dir=kb_dir, run_validation=not no_validate, max_bytes=max_bytes,
                         encoding=encoding, online=linking, jobs=jobs, engine=engine, scheduler=scheduler,
                         cache_dir=None if no_cache else cache_dir or cache_folder(out), progress=progress)
    for problem in result.problems:
        _say(f"skipped: {problem}")
    if strict and result.problems:
        raise click.exceptions.Exit(EXIT_INPUT)
    write_build(result, out, lock_timeout=lock_timeout, progress=progress, jobs=jobs, reuse=not no_cache)
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

    An output folder is checked as the build checks it: in parts, with pyshacl-turbo, on every
    core, with the report one pySHACL pass would give; an RDF file is checked whole by pySHACL.

    Example: treatykg validate out
    """
    from .export import build_quads, load_graph
    from .validate import validate as validate_graph
    from .validate import validate_quads

    if graph.is_dir():
        result = validate_quads(build_quads(graph), jobs=None)
    else:
        result = validate_graph(load_graph(graph))
    if not quiet:
        click.echo(result.report_text)
    if not result.conforms:
        raise click.exceptions.Exit(EXIT_NONCONFORMING)


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("sparql")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              help="Stop the query after this many seconds (0: no limit).")
@click.option("--max-rows", type=click.IntRange(min=0), default=DEFAULT_MAX_ROWS, show_default=True,
              help="Fail when the query gives more rows (or triples) than this.")
def query(graph: Path, sparql: str, fmt: str, timeout: float, max_rows: int) -> None:
    """Run SPARQL (a .rq file or the query text) on GRAPH: read-only and local (no updates,
    SERVICE or FROM), within a time and a row limit.

    Example: treatykg query out queries/signatories.rq --format csv
    """
    if has_store(graph):
        source = open_store(graph)
    else:
        from .export import load_graph

        source = load_graph(graph)
    result = run_query(source, read_query(sparql), timeout=timeout or None, max_rows=max_rows)
    click.echo(format_result(result, fmt), nl=False)


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(sorted(FORMATS)), default="ttl", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="File to write (default stdout).")
def export(graph: Path, fmt: str, output: Path | None) -> None:
    """Export GRAPH in another RDF format (ttl, jsonld, nt, nq, trig, xml).

    Example: treatykg export out --format jsonld -o graph.jsonld
    """
    from .export import load_graph, serialize
    from .outdir import write_file
    from .store import dataset_quads

    data = serialize(dataset_quads(open_store(graph)) if has_store(graph) else load_graph(graph), fmt)
    if output is None:
        stream = sys.stdout.buffer
        stream.write(data)
        stream.flush()
    else:
        write_file(output, data)


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
    from .evaluate import evaluate as evaluate_graph
    from .evaluate import evaluation_json, format_evaluation, load_gold
    from .export import load_union

    result = evaluate_graph(load_union(graph), load_gold(gold))
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
    from .conflicts import find_conflicts, format_conflicts
    from .export import load_union

    click.echo(format_conflicts(find_conflicts(load_union(graph))), nl=False)


from .cli_link import explain, wikidata  # noqa: E402
cli.add_command(explain); cli.add_command(wikidata)  # noqa: E702


from .cli_view import network, report  # noqa: E402

cli.add_command(network); cli.add_command(report)  # noqa: E702

from .cli_serve import serve  # noqa: E402

cli.add_command(serve)


def _one_line(error: BaseException) -> str:
    """An exception's message as one line (rdflib and pyparsing messages can span several)."""
    return " ".join(str(error).split()) or type(error).__name__


def _fail(message: str, code: int, debug: bool) -> int:
    click.echo(message, err=True)
    if debug:
        traceback.print_exc()
    return code


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and turn errors into one-line messages and documented exit codes.

    Every path ends in 0, 1, 2 or 3; a traceback is printed only with --debug.
    """
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        code = cli.main(args=argv, prog_name="treatykg", standalone_mode=False)
        if isinstance(code, int):
            return code
    except click.exceptions.Exit as done:
        return int(done.exit_code) if done.exit_code in (EXIT_OK, EXIT_NONCONFORMING, EXIT_INPUT) else EXIT_INTERNAL
    except click.UsageError as error:
        error.show()
        return EXIT_INPUT
    except click.ClickException as error:  # e.g. a file option click itself could not open
        return _fail(f"error: {_one_line(error.format_message())}", EXIT_INPUT, debug)
    except (click.Abort, KeyboardInterrupt):
        return _fail("interrupted; an output folder is left as it was or is the new build, whole", EXIT_INPUT, debug)
    except BrokenPipeError:  # the reader of our output went away (| head): not an error of ours
        _silence_stdout()
        return EXIT_OK
    except SystemExit as done:  # click's own exits
        return done.code if done.code in (EXIT_OK, EXIT_NONCONFORMING, EXIT_INPUT) else EXIT_INTERNAL
    except (OntologyError, ExtractionError) as error:
        return _fail(f"internal error: {_one_line(error)} (please report it; rerun with --debug for the traceback)",
                     EXIT_INTERNAL, debug)
    except KGError as error:
        return _fail(f"error: {_one_line(error)}", EXIT_INPUT, debug)
    except MemoryError:
        return _fail("out of memory: give treatykg fewer or smaller documents (see --max-bytes)", EXIT_INTERNAL, debug)
    except Exception as error:  # the last line of defence: one line, exit 3, traceback on request
        return _fail(f"internal error: {type(error).__name__}: {_one_line(error)} (please report it; rerun with "
                     f"--debug for the traceback)", EXIT_INTERNAL, debug)
    return EXIT_OK


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's final flush does not fail on the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (a test runner's capture)
        pass


if __name__ == "__main__":
    sys.exit(main())
