"""Turtle spliced from a previous file (treatykg.turtle) is the Turtle Oxigraph writes afresh."""

from __future__ import annotations

import io

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from treatykg.turtle import splice_turtle

XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {"ex": "https://example.org/", "doc": "https://example.org/doc/", "xsd": XSD}
# local names Oxigraph writes with backslash escapes, or not as prefixed names at all
_LOCALS = ["a", "a.b", "a.", "a(b)", "-a", "a,b", "a%20b", "é", "x/y", "", "b"]
_NAMED = [ox.NamedNode(f"https://example.org/{local}") for local in _LOCALS]
_NAMED += [ox.NamedNode(f"https://example.org/doc/{local}") for local in _LOCALS[:4]]
_SUBJECTS = st.one_of(st.sampled_from(_NAMED),
                      st.sampled_from([ox.NamedNode("urn:other:1"), ox.BlankNode("b1"), ox.BlankNode("b10")]))
_PREDICATES = st.sampled_from([ox.NamedNode("https://example.org/p"), ox.NamedNode("https://example.org/q"),
                               ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")])
_TEXTS = st.sampled_from(["", "x", "line\nbreak", "a \"q\"", "\t"])
_OBJECTS = st.one_of(_SUBJECTS, st.builds(ox.Literal, _TEXTS),
                     st.just(ox.Literal("1950", datatype=ox.NamedNode(f"{XSD}gYear"))),
                     st.just(ox.Literal("Peking", language="en")))
_TRIPLES = st.sets(st.builds(ox.Triple, _SUBJECTS, _PREDICATES, _OBJECTS), max_size=25)


def _sorted(triples: set[ox.Triple]) -> list[ox.Triple]:
    """In the order of their N-Triples lines, as a union.nt gives them."""
    return sorted(triples, key=lambda t: ox.serialize([t], format=ox.RdfFormat.N_TRIPLES))


def _turtle(triples: set[ox.Triple]) -> bytes:
    return ox.serialize(_sorted(triples), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


@settings(max_examples=300, deadline=None)
@given(_TRIPLES, _TRIPLES, _TRIPLES)
def test_a_spliced_file_is_the_file_written_afresh(before: set, removed: set, added: set) -> None:
    after = (before - removed) | added
    subjects = {t.subject for t in (before ^ after)}
    stream = io.BytesIO()
    assert splice_turtle(_turtle(before), _sorted({t for t in after if t.subject in subjects}), subjects,
                         PREFIXES, stream)
    assert stream.getvalue() == _turtle(after)


def test_a_file_written_with_other_prefixes_is_not_spliced() -> None:
    node = ox.NamedNode("https://example.org/a")
    triple = ox.Triple(node, node, ox.Literal("x"))
    other = ox.serialize([triple], format=ox.RdfFormat.TURTLE, prefixes={"o": "https://example.org/"})
    stream = io.BytesIO()
    assert not splice_turtle(other, [triple], [triple.subject], PREFIXES, stream)
    assert stream.getvalue() == b""


def test_a_file_with_a_subject_of_an_unknown_prefix_is_not_spliced() -> None:
    node = ox.NamedNode("https://example.org/a")
    triple = ox.Triple(node, node, ox.Literal("x"))
    edited = _turtle({triple}) + b'other:b ex:p "y" .\n'
    stream = io.BytesIO()
    assert not splice_turtle(edited, [triple], [triple.subject], PREFIXES, stream)
    assert stream.getvalue() == b""
