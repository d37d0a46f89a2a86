"""Tests for treatykg.querytext: a query's keywords are the words of its code, never those of its
strings, IRIs, comments or prefixed names; its size and depth are counted as the grammar's tokens."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.plugins.sparql.parser import parseUpdate

from treatykg.errors import QueryError
from treatykg.query import check_query
from treatykg.querytext import measure

QUERIES = Path(__file__).parents[1] / "queries"
BASE = {"SELECT", "WHERE"}


@pytest.mark.parametrize(
    ("query", "words"),
    [
        pytest.param("select * where { service <http://e/s> { ?s ?p ?o } }", BASE | {"SERVICE"},
                     id="lowercase"),
        pytest.param("SELECT * WHERE { SERVICE # no\n <http://e/s> { ?s ?p ?o } }", BASE | {"SERVICE"},
                     id="comment-after-keyword"),
        pytest.param("SELECT * FROM<http://e/g> WHERE { ?s ?p ?o }", BASE | {"FROM"},
                     id="no-space-before-iri"),
        pytest.param("SELECT * WHERE { ?a <http://e/p> ?b FILTER(?a<?b) SERVICE ?x { } }",
                     BASE | {"FILTER", "SERVICE"}, id="less-than-is-not-an-iri"),
        pytest.param("SELECT ?from WHERE { ?from ex:service _:insert }", BASE, id="variables-and-names"),
        pytest.param("SELECT * WHERE { ?s ?p 'a # b' } # SERVICE", BASE, id="hash-in-a-string"),
        pytest.param("SELECT * WHERE { ?s <http://e/from#service> ?o }", BASE, id="words-in-an-iri"),
        pytest.param("SELECT * WHERE { ?s ?p '''it's \"SERVICE\"''' }", BASE, id="long-string"),
        pytest.param("SELECT * WHERE { ?s ?p 'it\\'s' . SERVICE <x:y> {} }", BASE | {"SERVICE"},
                     id="escaped-quote"),
    ],
)
def test_keywords_are_the_words_of_the_code(query: str, words: set[str]) -> None:
    text = measure(query)
    assert text.words == words and text.readable


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("SELECT * WHERE { \\u0053ERVICE <http://e/s> { } }", id="unicode-escape"),
        pytest.param("SELECT * WHERE { ?s ?p 'unclosed } SERVICE <http://e/s> { }", id="unclosed-string"),
    ],
)
def test_what_a_parser_must_read_is_not_readable(query: str) -> None:
    assert not measure(query).readable


def test_tokens_and_depth() -> None:
    text = measure("SELECT ?s WHERE { ?s <http://e/p> 'a b c' FILTER((?s > 12.5e3)) }")
    assert (text.tokens, text.depth) == (16, 3)


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.stem)
def test_the_shipped_queries_hold_no_refused_word(path: Path) -> None:
    """So that a store answers them without rdflib parsing them first."""
    words = measure(path.read_text(encoding="utf-8")).words
    assert not words & {"SERVICE", "FROM", "INSERT", "DELETE", "LOAD", "CLEAR", "WITH"}


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)


@given(_TEXT)
def test_nothing_in_a_string_is_a_word(inside: str) -> None:
    escaped = inside.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    literal = f'"{escaped}"'
    text = measure(f"SELECT * WHERE {{ ?s ?p {literal} }}")
    if "\\u" not in literal and "\\U" not in literal:
        assert text.words == BASE and text.readable and text.tokens == 8


@given(_TEXT.filter(lambda s: "\n" not in s and "\r" not in s))
def test_nothing_in_a_comment_is_a_word(inside: str) -> None:
    assert measure(f"SELECT * # {inside}\nWHERE {{ ?s ?p ?o }}").words == BASE


@given(st.text(st.characters(exclude_characters='<>"{}|^`\\', min_codepoint=0x21, exclude_categories=("Cs",)),
               max_size=40))
def test_nothing_in_an_iri_is_a_word(inside: str) -> None:
    assert measure(f"SELECT * WHERE {{ ?s <{inside}> ?o }}").words == BASE


_PIECES = [
    "SERVICE", "service", "SERVICE SILENT", "FROM", "FROM NAMED", "INSERT DATA", "DELETE WHERE", "LOAD",
    "WITH", "<http://e/s>", "<http://e/service#from>", "?s ?p ?o", "?service", "ex:from", "service:p", "_:b",
    ".", "{", "}", "(", ")", "'a b'", '"SERVICE"', "'''x\nFROM'''", "# SERVICE\n", "# x\n",
    "FILTER(?s < ?o)", "FILTER(?s<?o)", "OPTIONAL", "UNION", "GRAPH ?g", "BIND(1 AS ?x)", "1", "2.5e3", "a",
    '"x"@from', "^^xsd:int",
]
_PROLOGUE = "PREFIX ex: <http://e/> PREFIX service: <http://e/p#> "
_TEMPLATES = [
    _PROLOGUE + "SELECT * {0} WHERE {{ {1} }}",
    _PROLOGUE + "SELECT * WHERE {{ {1} SERVICE <http://e/s> {{ {0} }} }}",
    _PROLOGUE + "ASK {{ {0} {1} }}",
    "{0} {1}",
]


@given(st.sampled_from(_TEMPLATES), st.lists(st.sampled_from(_PIECES), max_size=6).map(" ".join),
       st.lists(st.sampled_from(_PIECES), max_size=6).map(" ".join))
@settings(max_examples=150, deadline=None)
def test_whatever_rdflib_refuses_the_scan_flags(template: str, first: str, second: str) -> None:
    """rdflib's parser, an independent reading of the grammar, is the oracle: a query it refuses for
    SERVICE, FROM or an update is one whose code the scan finds a refused word in (or leaves to it)."""
    query = template.format(first, second)
    try:
        check_query(query)
    except QueryError as error:
        if "read-only" in str(error) and "request" not in parseUpdate(query):
            return  # rdflib reads a blank text, or prefixes alone, as an update that does nothing
        if any(reason in str(error) for reason in ("SERVICE is refused", "FROM and FROM NAMED", "read-only")):
            text = measure(query)
            assert not text.readable or text.words & {"SERVICE", "FROM", "INSERT", "DELETE", "LOAD", "WITH"}
