"""Where the project's own files are: the ontology, the shapes, the JSON-LD context, the queries."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from .errors import OntologyError

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology" / "treatykg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
CONTEXT = ROOT / "ontology" / "context.jsonld"
QUERIES = ROOT / "queries"


@lru_cache(maxsize=4)
def load_turtle(path: Path) -> Graph:
    """Parse one of the project's Turtle files (cached: they do not change while running)."""
    try:
        return Graph().parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as error:
        raise OntologyError(f"{path}: cannot be loaded ({error}); is this a full treatykg checkout?") from error
