"""The one error hierarchy of treatykg; the CLI maps each class to an exit code."""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error treatykg raises on purpose."""


class InputError(KGError):
    """A document, path or option the user gave cannot be used."""


class KnowledgeBaseError(KGError):
    """The knowledge base under data/kb is malformed."""


class OntologyError(KGError):
    """The ontology or the shapes cannot be loaded."""


class ExtractionError(KGError):
    """An extractor failed on a document."""


class QueryError(KGError):
    """A SPARQL query is malformed or refused."""


class QueryLimitError(QueryError):
    """A query ran over the time or row limit."""


class OutputError(KGError):
    """The output folder or file cannot be written (a file in the way, permissions, a full disk)."""


class BuildLockedError(OutputError):
    """Another build is writing into the same output folder."""
