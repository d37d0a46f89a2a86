"""Shared fixtures and options of the treatykg test suite.

`--update-golden` rewrites the golden files under tests/golden/ (registry.json, the per-seed
facts.jsonl and graph.ttl, ...) instead of comparing against them; review the result as a diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from treatykg import BuildResult, KnowledgeBase, build_graph, load_kb
from treatykg.document import read_metadata

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
GOLDEN = TESTS / "golden"
SEEDS = ROOT / "data" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden files under tests/golden/ instead of comparing against them.",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether the run rewrites golden files (pytest --update-golden)."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The project's knowledge base (data/kb), loaded once."""
    return load_kb()


@pytest.fixture(scope="session")
def seed_build() -> BuildResult:
    """The graph built from data/seeds, once per run (with SHACL validation)."""
    return build_graph([SEEDS])


@pytest.fixture(scope="session")
def seed_metadata() -> dict[str, dict]:
    """data/seeds/metadata.json, keyed by file name."""
    return read_metadata(SEEDS)


@pytest.fixture
def empty_graph() -> Graph:
    """A fresh, empty rdflib Graph."""
    return Graph()
