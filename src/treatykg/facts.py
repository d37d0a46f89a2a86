"""Plain data that extractors produce: mentions of entities, literal values and facts with evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

CORE_PREDICATES = frozenset({
    "signs", "represents", "isPartyTo", "abrogates", "recognizes", "registers", "terminates", "concerns",
    "partOf", "signingPlace", "signingDate", "entryIntoForceDate", "registrationDate", "terminationDate",
    "registrationNumber", "duration", "officialLanguage",
})
ENTITY_PREDICATES = frozenset({"signs", "represents", "isPartyTo", "abrogates", "recognizes", "registers",
                               "terminates", "concerns", "partOf", "signingPlace"})


def _by_fields(self: object) -> tuple:
    # Pickled as a call with the fields in order: a rebuild loads every document's facts from the
    # cache, and this loads them a third faster than dataclasses' generic state does.
    return type(self), tuple([getattr(self, name) for name in self.__match_args__])  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in a document that stands for an entity.

    `name` is the cleaned surface ("Chou En-Lai" for "CHOU EN-LAI"); `start`/`end` index the
    original text. `date` is the ISO date of the event the sentence talks about, by which a name
    such as "China" is resolved. `via` tells whether the name is a full name or an adjective
    ("Sino" in "Sino-Soviet"). `group` ties mentions a document says are one instrument (the
    English and French titles of a UNTS page).
    """

    doc_id: str
    kind: str
    name: str
    start: int
    end: int
    date: str | None = None
    via: str = "name"
    group: str | None = None
    # Resolution keys its tables by mention, hashing each mention about ten times: hashed once here
    # (a fresh tuple of the fields each time was a tenth of resolution's time at 10,000 documents).
    _hash: int = field(init=False, repr=False, compare=False)

    __reduce__ = _by_fields

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.doc_id, self.kind, self.name, self.start, self.end, self.date,
                                               self.via, self.group)))

    def __hash__(self) -> int:
        return self._hash


@dataclass(frozen=True, slots=True)
class Value:
    """A literal: `datatype` is one of date, gYearMonth, gYear, duration, string."""

    lexical: str
    datatype: str = "string"

    __reduce__ = _by_fields


@dataclass(frozen=True, slots=True)
class Fact:
    """One statement a document makes, with the evidence for it.

    `char_start`/`char_end` are half-open offsets into the document's original text and
    `evidence` is exactly that slice. `modality` is "asserted", or "conditional" for a statement
    that holds only if something else happens.
    """

    subject: Mention
    predicate: str
    object: Mention | Value
    doc_id: str
    char_start: int
    char_end: int
    evidence: str
    extractor: str
    confidence: float = 1.0
    modality: str = "asserted"

    __reduce__ = _by_fields

    def __post_init__(self) -> None:
        if self.predicate not in CORE_PREDICATES:
            raise ValueError(f"unknown predicate {self.predicate!r}")
        if (self.predicate in ENTITY_PREDICATES) != isinstance(self.object, Mention):
            raise ValueError(f"{self.predicate} takes {'an entity' if self.predicate in ENTITY_PREDICATES else 'a value'}")
