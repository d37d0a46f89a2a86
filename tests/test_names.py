"""Tests for treatykg.names: folding, name keys and display labels."""

from __future__ import annotations

import re

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from treatykg.names import clean_label, fold, name_key, tokenize

# Letters whose case and accents fold cleanly, in Latin, Cyrillic and Greek, plus the
# punctuation names carry. (Exotic letters such as U+0149 "ŉ", whose upper case is two
# characters, are left out on purpose: their keys differ by design of str.upper.)
PLAIN_LETTERS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "абвгдежзиклмнопрстуфхцчшщыэюяАБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЩЫЭЮЯ"
    "αβγδεζηθικλμνξοπρστυφχψω"
)
NAME_ALPHABET = PLAIN_LETTERS + "ÀÉÎÕÜÇÑàéîõüçñøØåÅ中苏条约 .-,'’0123456789"
# Precomposed accented letters and their bare forms: adding diacritics must not change a key.
ACCENTED = {
    "a": "àáâäåāă",
    "e": "èéêëēė",
    "i": "ìíîïī",
    "o": "òóôöõō",
    "u": "ùúûüū",
    "c": "çčć",
    "n": "ñń",
    "s": "šś",
    "z": "žź",
    "y": "ýÿ",
    "A": "ÀÁÂÄÅ",
    "E": "ÈÉÊË",
    "O": "ÒÓÔÖ",
    "U": "ÙÚÛÜ",
    "C": "ÇČ",
}

names = st.text(alphabet=NAME_ALPHABET, max_size=40)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        pytest.param("Pékin", "pekin", id="french-accent"),
        pytest.param("Lüshun", "lushun", id="umlaut"),
        pytest.param("ПЕКИН", "пекин", id="cyrillic-capitals"),
        pytest.param("Straße", "strasse", id="sharp-s-casefold"),
        pytest.param("People\u2019s", "people's", id="typographic-apostrophe"),
        pytest.param("中苏", "中苏", id="chinese-unchanged"),
    ],
)
def test_fold_casefolds_and_strips_diacritics(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("name", "key"),
    [
        pytest.param("U.S.S.R.", ("u", "s", "s", "r"), id="dotted-abbreviation"),
        pytest.param("USSR", ("ussr",), id="abbreviation"),
        pytest.param("Chou En-lai", ("chou", "en", "lai"), id="hyphen-splits"),
        pytest.param(
            "People's Republic of China", ("people", "s", "republic", "of", "china"), id="apostrophe-dropped"
        ),
        pytest.param(
            "People\u2019s Republic", ("people", "s", "republic"), id="typographic-apostrophe-dropped"
        ),
        pytest.param("中苏友好同盟条约", tuple("中苏友好同盟条约"), id="chinese-per-character"),
        pytest.param(
            "République populaire de Chine", ("republique", "populaire", "de", "chine"), id="french"
        ),
        pytest.param("  ", (), id="blank"),
    ],
)
def test_name_key_tokens(name: str, key: tuple[str, ...]) -> None:
    assert name_key(name) == key


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("Chou En-Lai", "CHOU EN-LAI", id="case"),
        pytest.param("Chou En-lai", "Chou En lai", id="hyphen-vs-space"),
        pytest.param("Pékin", "PEKIN", id="accent-and-case"),
        pytest.param("the  Soviet\nUnion", "The Soviet Union", id="whitespace"),
    ],
)
def test_name_key_equal_for_variants(left: str, right: str) -> None:
    assert name_key(left) == name_key(right)


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        pytest.param("The USSR", [(0, 3), (4, 8)], id="words"),
        pytest.param("中苏 treaty", [(0, 1), (1, 2), (3, 9)], id="chinese-and-latin"),
    ],
)
def test_tokenize_spans_index_text(text: str, spans: list[tuple[int, int]]) -> None:
    tokens = tokenize(text)
    assert [(t.start, t.end) for t in tokens] == spans
    assert all(text[t.start : t.end] == t.surface for t in tokens)


@pytest.mark.parametrize("offset", [pytest.param(0, id="zero"), pytest.param(100, id="hundred")])
def test_tokenize_shifts_spans_by_offset(offset: int) -> None:
    assert [t.start for t in tokenize("Treaty of Moscow", offset)] == [offset, offset + 7, offset + 10]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        pytest.param(
            "TREATY OF FRIENDSHIP,\n ALLIANCE AND MUTUAL ASSISTANCE",
            "Treaty of Friendship, Alliance and Mutual Assistance",
            id="capitals-title-cased",
        ),
        pytest.param("CHOU EN-LAI", "Chou En-Lai", id="hyphenated-capitals"),
        pytest.param("PEOPLE'S REPUBLIC OF CHINA", "People's Republic of China", id="possessive"),
        pytest.param("the  Soviet Union", "the Soviet Union", id="spaces-collapsed"),
        pytest.param("Moscow,", "Moscow", id="trailing-comma"),
        pytest.param("USSR", "USSR", id="short-acronym-kept"),
        pytest.param("中苏友好同盟互助条约", "中苏友好同盟互助条约", id="chinese-unchanged"),
    ],
)
def test_clean_label_display_form(text: str, label: str) -> None:
    assert clean_label(text) == label


# ---------------------------------------------------------------- property tests


@given(name=names)
def test_name_key_idempotent_on_joined_key(name: str) -> None:
    key = name_key(name)
    assert name_key(" ".join(key)) == key


@given(name=names)
def test_name_key_insensitive_to_case(name: str) -> None:
    assert name_key(name.upper()) == name_key(name) == name_key(name.lower())


@given(data=st.data(), name=st.text(alphabet=PLAIN_LETTERS + " -.", max_size=40))
def test_name_key_insensitive_to_diacritics(data: st.DataObject, name: str) -> None:
    accented = "".join(data.draw(st.sampled_from(ACCENTED[c] + c)) if c in ACCENTED else c for c in name)
    assert name_key(accented) == name_key(name)


@given(name=names)
def test_name_key_tokens_are_folded(name: str) -> None:
    for token in name_key(name):
        assert token and token == fold(token)
        assert not any(unicodedata.combining(c) for c in token)


@given(text=st.text(max_size=60))
@example(text="0 .")
@example(text="ab. .")
def test_clean_label_idempotent(text: str) -> None:
    once = clean_label(text)
    assert clean_label(once) == once
    assert "  " not in once and once == once.strip(" ,;:") and not once.startswith(".")
    # A final full stop stays only where it closes an initial ("U.S.S.R.").
    assert not once.endswith(".") or re.search(r"(?:^|[\s.])[A-Z]\.$|\b(?:Jr|Sr)\.$", once)
