"""A local web server over a built graph: the SPARQL endpoint, the HTML report and a query page.

``/sparql`` is a SPARQL 1.1 Protocol endpoint (`treatykg.endpoint`): read-only, time- and
row-limited, answering in the format the Accept header asks for (`treatykg.protocol`). ``/query``
is a query form (`treatykg.serve_page`). ``/`` and every other path serve the static report folder
(written by `report_build` when missing); a path that would leave the folder (``..``, an encoded
``%2e%2e``, an absolute path, a symbolic link pointing outside) is answered 404.
"""

from __future__ import annotations

import mimetypes
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, unquote, urlsplit

from rdflib import Graph

from .endpoint import Answer, Endpoint, message
from .errors import InputError, OutputError
from .export import load_graph
from .query import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from .querypool import QueryPool
from .report import report_build
from .serve_page import query_page
from .store import has_store

MAX_BODY = 1_000_000  # bytes of a POSTed query
SECURITY_HEADERS = (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"))
PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'"
)


def resolve_static(root: Path, url_path: str) -> Path | None:
    """The file under root a URL path names, or None when it names none or would leave root.

    root must be resolved (absolute, no symbolic links). A symbolic link inside root is followed
    only when its target is inside root too.
    """
    try:
        path = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\x00" in path or "\\" in path:
        return None
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if any(part == ".." or ":" in part for part in parts):
        return None
    try:
        target = root.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a symlink loop, a name too long
        return None
    if target.is_dir():
        target = target / "index.html"
    if not target.is_relative_to(root) or not target.is_file():
        return None
    return target


def static_answer(root: Path, url_path: str) -> Answer:
    """A file of the report folder, or 404."""
    target = resolve_static(root, url_path)
    if target is None:
        return message(404, f"not found: {url_path[:200]}; the report starts at /, the query page is /query")
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
        kind += "; charset=utf-8"
    headers = (("Content-Security-Policy", PAGE_POLICY),) if kind.startswith("text/html") else ()
    try:
        return Answer(200, target.read_bytes(), kind, headers)
    except OSError:
        return message(404, f"not found: {url_path[:200]}")


class TreatyServer(ThreadingHTTPServer):
    """The HTTP server: an `Endpoint` at /sparql, the query page at /query, the report elsewhere."""

    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], endpoint: Endpoint, report_dir: Path, *, log: TextIO | None = None
    ) -> None:
        self.endpoint = endpoint
        self.workers: QueryPool | None = None  # the server's own, stopped when it closes
        self.report_dir = report_dir.resolve()
        self.log = log
        self.page = query_page(timeout=endpoint.timeout, max_rows=endpoint.max_rows)
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        """The server's base URL, ending in a slash."""
        host, port = self.server_address[:2]
        host = str(host)
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Say nothing of a client that went away; report anything else as socketserver does."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def server_close(self) -> None:
        """Close the socket, and stop the query workers `make_server` started."""
        super().server_close()
        if self.workers is not None:
            self.workers.close()


class _TreatyServer6(TreatyServer):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: TreatyServer
    server_version = "treatykg"
    timeout = 60  # seconds a client may take to send its request

    def _send(self, answer: Answer, *, head: bool = False) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in SECURITY_HEADERS + answer.headers:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(answer.body)

    def _route(self, method: str) -> Answer:
        url = urlsplit(self.path if not self.path.startswith("/") else "/" + self.path.lstrip("/"))
        if url.path == "/sparql":
            if method == "HEAD":
                return message(405, "/sparql answers GET and POST", ("Allow", "GET, POST"))
            body, error = self._body() if method == "POST" else (b"", None)
            if error is not None:
                return error
            return self.server.endpoint.request(
                method,
                parse_qs(url.query, keep_blank_values=True),
                content_type=self.headers.get("Content-Type"),
                body=body,
                accept=self.headers.get("Accept"),
            )
        if method == "POST":
            return message(
                405, f"{url.path[:200]} answers GET only; POST queries to /sparql", ("Allow", "GET, HEAD")
            )
        if url.path == "/query":
            return Answer(
                200, self.server.page, "text/html; charset=utf-8", (("Content-Security-Policy", PAGE_POLICY),)
            )
        return static_answer(self.server.report_dir, url.path)

    def _body(self) -> tuple[bytes, Answer | None]:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            return b"", message(411, "send a Content-Length with the POST body")
        if int(length) > MAX_BODY:
            return b"", message(413, f"the request body is over {MAX_BODY} bytes")
        return self.rfile.read(int(length)), None

    def _handle(self, method: str) -> None:
        try:
            answer = self._route(method)
        except Exception as error:  # the last line of defence: answer 500 and keep serving
            answer = message(500, f"internal error: {type(error).__name__}: {error} (please report it)")
        self._send(answer, head=method == "HEAD")

    def do_GET(self) -> None:  # noqa: N802 - the names http.server calls
        self._handle("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._handle("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def _refuse(self) -> None:
        self._send(message(405, "this server answers GET, HEAD and POST only", ("Allow", "GET, HEAD, POST")))

    do_PUT = do_DELETE = do_PATCH = _refuse  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
        if self.server.log is not None:
            self.server.log.write(f"{self.address_string()} - {format % args}\n")


def open_server(
    graph: Graph | QueryPool,
    report_dir: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    log: TextIO | None = None,
) -> TreatyServer:
    """A server (not yet serving: call ``serve_forever``) over a graph already loaded, or a
    build's store through a `QueryPool` (which stays the caller's to close).

    Raises:
        InputError: The address cannot be listened on (the port is taken, the host is not ours).
    """
    server_class = _TreatyServer6 if ":" in host else TreatyServer
    try:
        return server_class(
            (host, port), Endpoint(graph, timeout or None, max_rows), Path(report_dir), log=log
        )
    except OSError as error:
        raise InputError(
            f"cannot listen on {host}:{port} ({error.strerror or error}); choose another --port, "
            f"or 0 for any free one"
        ) from error


def make_server(
    out: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    log: TextIO | None = None,
) -> TreatyServer:
    """A server over a build output folder: its store (queries run in a `QueryPool`'s workers) or,
    for a folder without one or an RDF file, its graph read into rdflib; and its report (written
    if missing).

    Args:
        out: A `treatykg build` output folder (or an RDF file; the report then goes next to it).
        host: The address to listen on; the default answers this machine only.
        port: The port; 0 picks a free one (read it from the server's ``url``).
        timeout: Seconds a query may run (None or 0: no limit).
        max_rows: Most rows (or triples) an answer may have.
        log: Where to write one line per request (None: nowhere).

    Returns:
        The server, bound and listening; run it with ``serve_forever()``, stop it with
        ``shutdown()`` from another thread, then ``server_close()``.

    Raises:
        InputError: OUT holds no readable graph, or the address cannot be listened on.
        OutputError: The report cannot be written.
    """
    source = Path(out)
    if not source.exists():
        raise InputError(f"{source}: no such folder; build one with `treatykg build ... -o {source}`")
    report_dir = source / "report" if source.is_dir() else source.parent / "report"
    if not (report_dir / "index.html").is_file():
        try:
            report_build(source, report_dir)
        except OSError as error:
            raise OutputError(
                f"{report_dir}: cannot write the report ({error.strerror or error}); write it "
                f"elsewhere with `treatykg report OUT -o DIR`"
            ) from error
    if not has_store(source):
        return open_server(load_graph(source), report_dir, host=host, port=port, timeout=timeout,
                           max_rows=max_rows, log=log)
    workers = QueryPool(source)
    try:
        server = open_server(workers, report_dir, host=host, port=port, timeout=timeout, max_rows=max_rows,
                             log=log)
    except BaseException:
        workers.close()
        raise
    server.workers = workers
    return server


__all__ = [
    "TreatyServer",
    "make_server",
    "open_server",
    "resolve_static",
    "static_answer",
]
