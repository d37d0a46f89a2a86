"""The contract every extractor keeps: a name, a version, what it produces, and `extract`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ..annotate import AnnotatedDocument
    from ..facts import Fact


@runtime_checkable
class Extractor(Protocol):
    """One kind of statement: a pure function from an annotated document to facts."""

    name: str
    version: int
    produces: frozenset[str]
    requires: frozenset[str]

    def extract(self, doc: AnnotatedDocument) -> Iterable[Fact]:
        """Yield the facts the document states of this kind."""
        ...


def registry_name(extractor: Extractor) -> str:
    """The versioned name an extractor is registered under ("treaty.signing.v1")."""
    return f"{extractor.name}.v{extractor.version}"
