"""SHACL validation of a built graph against ontology/shapes.ttl (pySHACL)."""

from __future__ import annotations

from dataclasses import dataclass

import pyshacl
from rdflib import Graph

from .resources import ONTOLOGY, SHAPES, load_turtle


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """Whether the graph conforms (warnings allowed), the report graph and its text."""

    conforms: bool
    report_graph: Graph
    report_text: str


def validate(graph: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None) -> ValidationResult:
    """Validate a graph; the ontology supplies the class hierarchy, no inference is run.

    Warnings (a treaty mentioned in passing with no stated party) do not break conformance.
    """
    conforms, report_graph, report_text = pyshacl.validate(
        graph, shacl_graph=shapes if shapes is not None else load_turtle(SHAPES),
        ont_graph=ontology if ontology is not None else load_turtle(ONTOLOGY),
        inference="none", allow_warnings=True, advanced=True,
    )
    return ValidationResult(bool(conforms), report_graph, str(report_text))
