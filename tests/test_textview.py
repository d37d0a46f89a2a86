"""Tests for treatykg.textview: the cleaned view of a text and its map back to the original."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from treatykg import textview
from treatykg.textview import TextView, make_view

# Characters the view cleans (footnote markers, soft hyphens, typographic quotes, odd spaces,
# line ends) mixed with letters of both cases and digits, so hyphenation and footnotes occur.
VIEW_ALPHABET = (
    "aeAEmMtTY 19-\n\r\t*,.中"
    "\u00b9\u00b2\u00b3\u2074\u00ad\u200b\ufeff\u2019\u2018\u201c\u201d\u00a0\u3000\u2010\u2011"
)


def _clean_char(char: str) -> str:
    """A single character as the view cleans it, out of context."""
    return make_view(char).text


@pytest.mark.parametrize(
    ("text", "view_text"),
    [
        pytest.param("AGREE-\nMENTS", "AGREEMENTS", id="capitals-hyphenated-at-line-end"),
        pytest.param("agree-\nments", "agreements", id="lower-case-hyphenated"),
        pytest.param("Agree-\n  ments", "Agreements", id="hyphen-then-indent"),
        pytest.param("AGREE- \r\nMENTS", "AGREEMENTS", id="hyphen-space-crlf"),
        pytest.param("Sino-\nSoviet", "Sino-\nSoviet", id="case-change-keeps-hyphen"),
        pytest.param("1945-\nTreaty", "1945-\nTreaty", id="digit-before-hyphen-kept"),
        pytest.param("Sino-Soviet", "Sino-Soviet", id="inline-hyphen-kept"),
        pytest.param("of 1945,\u00b9 the", "of 1945, the", id="superscript-footnote"),
        pytest.param("Treaty* of", "Treaty of", id="asterisk-footnote"),
        pytest.param("Trea\u00adty", "Treaty", id="soft-hyphen"),
        pytest.param("\ufeffTreaty", "Treaty", id="byte-order-mark"),
        pytest.param("\u201cfinal\u201d and \u2018so\u2019", "\"final\" and 'so'", id="typographic-quotes"),
        pytest.param("a\u00a0b\u3000c\td", "a b c d", id="odd-spaces"),
        pytest.param("a\r\nb\rc", "a\nb\nc", id="line-ends"),
        pytest.param("", "", id="empty"),
    ],
)
def test_make_view_cleans(text: str, view_text: str) -> None:
    assert make_view(text).text == view_text


@pytest.mark.parametrize(
    ("text", "span", "quoted"),
    [
        pytest.param("AGREE-\nMENTS of 1945", (0, 10), "AGREE-\nMENTS", id="joined-word-quotes-hyphenation"),
        pytest.param("AGREE-\nMENTS of 1945", (11, 18), "of 1945", id="after-joined-word"),
        pytest.param("of 1945,\u00b9 the", (9, 12), "the", id="after-footnote"),
        pytest.param("of 1945,\u00b9 the", (0, 12), "of 1945,\u00b9 the", id="across-footnote"),
        pytest.param("\u201cfinal\u201d", (1, 6), "final", id="inside-quotes"),
    ],
)
def test_view_to_original_quotes_source(text: str, span: tuple[int, int], quoted: str) -> None:
    start, end = make_view(text).to_original(*span)
    assert text[start:end] == quoted


@pytest.mark.parametrize(
    ("text", "position", "expected"),
    [
        pytest.param("ab", 1, (1, 1), id="inside"),
        pytest.param("ab", 2, (2, 2), id="at-end"),
        pytest.param("ab\u00b9", 2, (3, 3), id="end-after-dropped"),
    ],
)
def test_view_to_original_empty_span(text: str, position: int, expected: tuple[int, int]) -> None:
    assert make_view(text).to_original(position, position) == expected


@settings(deadline=None)
@given(text=st.text(alphabet=VIEW_ALPHABET, max_size=60) | st.text(max_size=30))
@example(text="AGREE-\nMENTS of 1945,\u00b9 \u201cfinal\u201d")
@example(text="TREATY1 BANNING")
def test_view_maps_back_to_original(text: str) -> None:
    view = make_view(text)
    assert isinstance(view, TextView)
    assert len(view.text) == len(view.origin) <= len(text) == view.original_length
    assert list(view.origin) == sorted(set(view.origin))
    assert all(0 <= index < len(text) for index in view.origin)
    for index, char in enumerate(view.text):
        assert char == _clean_char(text[view.origin[index]])
    for start in range(len(view.text)):
        for end in range(start + 1, len(view.text) + 1):
            first, last = view.to_original(start, end)
            assert 0 <= first < last <= len(text)
            kept = [p for p in view.origin if first <= p < last]
            assert kept == list(view.origin[start:end])
            assert "".join(_clean_char(text[p]) for p in kept) == view.text[start:end]


def _view_char_by_char(text: str) -> tuple[str, tuple[int, ...]]:
    chars: list[str] = []
    origin: list[int] = []
    index = 0
    while index < len(text):
        index = textview._clean_char(text, index, chars, origin)
    return "".join(chars), tuple(origin)


@settings(deadline=None)
@given(text=st.text(alphabet=VIEW_ALPHABET + "Zz\u00e9\u042f\u044f\u0301\u3001", max_size=80) | st.text(max_size=40))
@example(text="TREATY\u00b92 of")
def test_plain_runs_give_the_character_by_character_view(text: str) -> None:
    view = make_view(text)
    assert (view.text, view.origin) == _view_char_by_char(text)


def test_plain_runs_hold_no_character_the_view_changes() -> None:
    plain = [chr(code) for code in range(0x10000) if textview._PLAIN_RUN.fullmatch(chr(code))]
    assert plain and not [c for c in plain if c.isdigit() or c in "-\r" or c in textview._DROPPED or c in textview._REPLACED]
