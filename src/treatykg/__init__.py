"""treatykg: a traceable knowledge graph of treaties, parties, signatories and dates from documents.

>>> from treatykg import build_graph, run_query
>>> result = build_graph(["data/seeds"])          # doctest: +SKIP
>>> run_query(result.graph, "SELECT ?t WHERE { ?t a <https://w3id.org/treatykg/ontology#Treaty> }")  # doctest: +SKIP

The names below are loaded from their modules when first asked for (PEP 562): building needs
rdflib, pySHACL and every extractor, about 0.6 s of imports, which `treatykg query OUT` and
the other commands that only read a store must not wait for.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_SOURCES = {
    ".build": ("BuildResult", "OnlineLinking", "build_graph", "extract_document", "write_build"),
    ".conflicts": ("Conflict", "find_conflicts"),
    ".document": ("Corpus", "Document", "read_corpus", "read_document"),
    ".errors": ("BuildLockedError", "ExtractionError", "InputError", "KGError", "KnowledgeBaseError",
                "OntologyError", "OutputError", "QueryError", "QueryLimitError"),
    ".evaluate": ("Evaluation", "evaluate", "load_gold"),
    ".export": ("load_graph", "load_union", "serialize"),
    ".facts": ("Fact", "Mention", "Value"),
    ".kb": ("KnowledgeBase", "load_kb"),
    ".query": ("QueryResult", "format_result", "run_query"),
    ".validate": ("ValidationResult", "validate"),
}
_MODULE_OF = {name: module for module, names in _SOURCES.items() for name in names}
__all__ = [
    "BuildLockedError", "BuildResult", "Conflict", "Corpus", "Document", "Evaluation", "ExtractionError", "Fact",
    "InputError", "KGError", "KnowledgeBase", "KnowledgeBaseError", "Mention", "OnlineLinking", "OntologyError",
    "OutputError", "QueryError", "QueryLimitError", "QueryResult", "ValidationResult", "Value", "build_graph",
    "evaluate", "extract_document", "find_conflicts", "format_result", "load_gold", "load_graph", "load_kb",
    "load_union", "read_corpus", "read_document", "run_query", "serialize", "validate", "write_build",
]


def __getattr__(name: str) -> object:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_MODULE_OF[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """The package, whose `validate` and `evaluate` are the functions of the API, as `from
    treatykg import validate` gives them, though submodules of those names exist: loading a
    submodule names it in its package, which would otherwise put the module in the function's place."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and _MODULE_OF.get(name) == f".{name}":
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

if TYPE_CHECKING:
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
    from .export import load_graph, load_union, serialize
    from .facts import Fact, Mention, Value
    from .kb import KnowledgeBase, load_kb
    from .query import QueryResult, format_result, run_query
    from .validate import ValidationResult, validate
