"""treatykg: a traceable knowledge graph of treaties, parties, signatories and dates from documents.

>>> from treatykg import build_graph, run_query
>>> result = build_graph(["data/seeds"])          # doctest: +SKIP
>>> run_query(result.graph, "SELECT ?t WHERE { ?t a <https://w3id.org/treatykg/ontology#Treaty> }")  # doctest: +SKIP
"""

from __future__ import annotations

from .build import BuildResult, OnlineLinking, build_graph, extract_document, write_build
from .conflicts import Conflict, find_conflicts
from .document import Corpus, Document, read_corpus, read_document
from .errors import (
    BuildLockedError,
    ExtractionError,
    InputError,
    KGError,
    KnowledgeBaseError,
    OntologyError,
    OutputError,
    QueryError,
    QueryLimitError,
)
from .evaluate import Evaluation, evaluate, load_gold
from .export import load_graph, serialize
from .facts import Fact, Mention, Value
from .kb import KnowledgeBase, load_kb
from .query import QueryResult, format_result, run_query
from .validate import ValidationResult, validate

__version__ = "0.1.0"
__all__ = [
    "BuildLockedError", "BuildResult", "Conflict", "Corpus", "Document", "Evaluation", "ExtractionError", "Fact",
    "InputError", "KGError", "KnowledgeBase", "KnowledgeBaseError", "Mention", "OnlineLinking", "OntologyError",
    "OutputError", "QueryError", "QueryLimitError", "QueryResult", "ValidationResult", "Value", "build_graph",
    "evaluate", "extract_document", "find_conflicts", "format_result", "load_gold", "load_graph", "load_kb",
    "read_corpus", "read_document", "run_query", "serialize", "validate", "write_build",
]
