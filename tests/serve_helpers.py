"""Helpers of the `treatykg serve` tests: a built seed output folder and a server run in a thread."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from pathlib import Path

from treatykg import BuildResult, build_graph, write_build
from treatykg.serve import TreatyServer

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def _seed_build() -> BuildResult:
    """data/seeds built once per test run (without SHACL validation, for speed); not changed by callers."""
    return build_graph([ROOT / "data" / "seeds"], run_validation=False)


def build_seed_out(folder: Path) -> Path:
    """The seed build written into folder/out (a fresh output folder, no report); returns that folder."""
    out = folder / "out"
    write_build(_seed_build(), out)
    return out


@contextlib.contextmanager
def running(server: TreatyServer) -> Iterator[TreatyServer]:
    """Serve in a daemon thread while the block runs; shut down and close afterwards."""
    thread = threading.Thread(target=server.serve_forever, name="treatykg-serve-test", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
