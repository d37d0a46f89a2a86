"""Linking to Wikidata: why an entity has its QID, online reconciliation, comparison and QuickStatements.

>>> from treatykg import build_graph
>>> from treatykg.link import explain, format_explanation
>>> graph = build_graph(["data/seeds"], run_validation=False).graph         # doctest: +SKIP
>>> print(format_explanation(explain(graph, "Republic of China (Taiwan)")))  # doctest: +SKIP
"""

from __future__ import annotations

from .common import LinkingError
from .compare import CompareReport, Comparison, compare, format_report, subject_qids
from .explain import Explanation, explain, format_explanation
from .online import Endpoint, LinkResult, NameQuery, default_cache_dir, reconcile
from .quickstatements import QuickStatementsResult, quickstatements
from .snapshot import Snapshot, load_snapshot
from .statements import fetch_statements

__all__ = [
    "CompareReport",
    "Comparison",
    "Endpoint",
    "Explanation",
    "LinkResult",
    "LinkingError",
    "NameQuery",
    "QuickStatementsResult",
    "Snapshot",
    "compare",
    "default_cache_dir",
    "explain",
    "fetch_statements",
    "format_explanation",
    "format_report",
    "load_snapshot",
    "quickstatements",
    "reconcile",
    "subject_qids",
]
