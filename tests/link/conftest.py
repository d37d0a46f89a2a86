"""Fixtures of the linking tests: the seed graph, and a local server replaying recorded Wikidata answers.

The replay server listens on 127.0.0.1 on a free port and answers from tests/fixtures/wikidata/
(see its README); a request no rule matches gets a 404. No test of this folder touches the network.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from rdflib import Graph

from treatykg import build_graph
from treatykg.link.online import Endpoint

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "wikidata"


@dataclass(frozen=True)
class RecordedRequest:
    """One request the replay server received."""

    path: str
    params: dict[str, str]
    headers: dict[str, str]
    at: float


@dataclass
class ReplayServer:
    """A running replay server: its base URL, the requests it saw, and how to stop it."""

    url: str
    requests: list[RecordedRequest] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def endpoint(self, *, min_interval: float = 0.0) -> Endpoint:
        """An Endpoint pointing at this server."""
        return Endpoint(
            api_url=f"{self.url}/w/api.php",
            sparql_url=f"{self.url}/sparql",
            min_interval=min_interval,
            timeout=5.0,
        )

    def stop(self) -> None:
        """Shut the server down (idempotent)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


def _answer(rules: list[dict], path: str, params: dict[str, str]) -> bytes | None:
    for rule in rules:
        if rule["path"] != path:
            continue
        if any(params.get(key) != value for key, value in rule.get("params", {}).items()):
            continue
        if any(text not in params.get("query", "") for text in rule.get("query_contains", [])):
            continue
        return (FIXTURES / rule["file"]).read_bytes()
    return None


def _handler(replay: ReplayServer, rules: list[dict]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            parts = urlsplit(self.path)
            params = dict(parse_qsl(parts.query))
            replay.requests.append(
                RecordedRequest(parts.path, params, dict(self.headers.items()), time.monotonic())
            )
            body = _answer(rules, parts.path, params)
            status = 200 if body is not None else 404
            if body is None:
                body = json.dumps({"error": f"no recorded answer for {self.path}"}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
            return

    return Handler


@pytest.fixture
def replay_server() -> Iterator[ReplayServer]:
    """A replay server of tests/fixtures/wikidata on 127.0.0.1, stopped after the test."""
    rules = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))["rules"]
    replay = ReplayServer(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(replay, rules))
    replay.url = f"http://127.0.0.1:{server.server_address[1]}"
    replay._server = server
    replay._thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    replay._thread.start()
    try:
        yield replay
    finally:
        replay.stop()


@pytest.fixture(scope="package")
def seed_graph() -> Graph:
    """The union graph of data/seeds, built once for the linking tests (without SHACL validation)."""
    return build_graph([ROOT / "data" / "seeds"], run_validation=False).graph
