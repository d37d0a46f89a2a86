"""Tests for treatykg.scan: a pattern tried only where its starts match finds what finditer finds.

Each pattern scanned this way is paired with its starts; texts are built from the words the
pattern and its neighbours use, in odd cases, so that a start the pattern can take but its
starts pattern misses would show.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treatykg import dates, instruments, scan

SEPARATORS = [" ", "  ", "\n", "\n\n", ",", ".", "-", "(", "'", "x", "1", "14", "1950", "ſ", "K", "İ", "ı"]
DATE_WORDS = ["14", "1", "3", "1950", "2001", "-02-", "th", "day of", "the", "February", "feb", "SEPT", "Auguſt",
              "May", "twenty", "fifth", "first", "one thousand nine hundred and", "fifty", "premier", "janvier",
              "mille neuf cent", "vingt", "мая", "г.", "一九五〇", "二", "年", "月", "日"]
KEYWORD_WORDS = ["Treaty", "treaties", "TREATY", "Pact", "traités", "Exchange of Notes", "échange de lettres",
                 "обменом нотами", "Joint Declaration", "joint communiqué", "Communique", "коммюнике",
                 "armistice agreement", "Agreements", "accord", "соглашение", "Convention", "конвенции", "Protocol",
                 "protocole", "протокол", "déclaration commune", "Declaration", "договор", "декларации", "пакта"]

SCANS = [
    pytest.param(dates.DATE_RE, dates._DATE_START, DATE_WORDS, id="dates"),
    pytest.param(instruments.KEYWORD_RE, instruments._KEYWORD_STARTS, KEYWORD_WORDS, id="instrument-keywords"),
]


def _texts(words: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(words + SEPARATORS), max_size=16).map("".join) | st.text(max_size=40)


@pytest.mark.parametrize(("pattern", "starts", "words"), SCANS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_scan_finds_what_finditer_finds(pattern: re.Pattern[str], starts: re.Pattern[str], words: list[str],
                                        data: st.DataObject) -> None:
    text = data.draw(_texts(words))
    expected = [(m.span(), m.lastgroup) for m in pattern.finditer(text)]
    assert [(m.span(), m.lastgroup) for m in scan.finditer(pattern, starts, text)] == expected


@pytest.mark.parametrize(("pattern", "starts", "words"), SCANS)
def test_scan_finds_every_word_list_match(pattern: re.Pattern[str], starts: re.Pattern[str], words: list[str]) -> None:
    text = " ".join(words + [w.upper() for w in words] + [w.title() for w in words])
    expected = [m.span() for m in pattern.finditer(text)]
    assert expected and [m.span() for m in scan.finditer(pattern, starts, text)] == expected


def test_scan_honours_pos_and_endpos() -> None:
    pattern, starts = re.compile(r"\bab+", re.IGNORECASE), re.compile(scan.word_starts(["ab"]), re.IGNORECASE)
    text = "ab abb xab ABBB ab"
    assert [m.span() for m in scan.finditer(pattern, starts, text, 1, 14)] == \
        [m.span() for m in pattern.finditer(text, 1, 14)]
