"""The `serve` command (registered on the main group in cli.py): a thin wrapper over `treatykg.serve`.

Library errors (`InputError` for a missing graph or a port in use) reach `cli.main`, which turns
them into exit code 2; Ctrl-C stops the server and exits 0.
"""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

import click

from .query import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@click.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (127.0.0.1: this machine only).",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port (0: any free one)."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Stop a query after this many seconds (0: no limit).",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_ROWS,
    show_default=True,
    help="Refuse an answer with more rows (or triples) than this.",
)
@click.option("-q", "--quiet", is_flag=True, help="Do not log requests.")
def serve(out: Path, host: str, port: int, timeout: float, max_rows: int, quiet: bool) -> None:
    """Serve OUT (a build output folder) over HTTP: a read-only SPARQL 1.1 endpoint at /sparql,
    the HTML report at / (written into OUT/report if missing) and a query page at /query.

    Example: treatykg serve out --port 8080
    """
    from .serve import make_server  # the report and its pictures, only when serving

    server = make_server(
        out,
        host=host,
        port=port,
        timeout=timeout or None,
        max_rows=max_rows,
        log=None if quiet else sys.stderr,
    )
    if not _loopback(host):
        click.echo(
            f"warning: listening on {host}: anyone who can reach this machine can query the graph", err=True
        )
    click.echo(
        f"serving {out} at {server.url} (SPARQL: {server.url}sparql, query page: {server.url}query); "
        "Ctrl-C stops",
        err=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        server.server_close()
