"""Tests for treatykg.dates: dates and durations in English, French, Russian and Chinese."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from treatykg.dates import (
    DateValue,
    cjk_number,
    find_dateline,
    find_dates,
    parse_date,
    parse_duration,
    words_to_number,
)

MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
CJK_DIGITS = "〇一二三四五六七八九"
ISO_FORM = re.compile(r"[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?")


def _cjk_small(number: int) -> str:
    """1..31 in Chinese numerals, the way a date writes them (十四, 二十, 三十一)."""
    tens, units = divmod(number, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else CJK_DIGITS[tens] + "十")) + (
        CJK_DIGITS[units] if units else ""
    )


# ---------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        pytest.param("14 February 1950", "1950-02-14", id="en-dmy"),
        pytest.param("February 14, 1950", "1950-02-14", id="en-mdy"),
        pytest.param("February 14 1950", "1950-02-14", id="en-mdy-no-comma"),
        pytest.param("14th February 1950", "1950-02-14", id="en-dmy-ordinal-suffix"),
        pytest.param("14 Feb. 1950", "1950-02-14", id="en-abbreviated-month"),
        pytest.param("1er janvier 1950", "1950-01-01", id="fr-premier"),
        pytest.param("3 janvier 1956", "1956-01-03", id="fr-dmy"),
        pytest.param("12 octobre 1954", "1954-10-12", id="fr-octobre"),
        pytest.param("14 août 1945", "1945-08-14", id="fr-accented-month"),
        pytest.param("1950年2月14日", "1950-02-14", id="zh-arabic-digits"),
        pytest.param("一九五〇年二月十四日", "1950-02-14", id="zh-numerals"),
        pytest.param("一九四五年八月十四日", "1945-08-14", id="zh-numerals-1945"),
        pytest.param("二〇〇〇年十二月三十一日", "2000-12-31", id="zh-numerals-tens"),
        pytest.param("1950-02-14", "1950-02-14", id="iso"),
        pytest.param("February 1950", "1950-02", id="month-year"),
        pytest.param("1950年2月", "1950-02", id="zh-month-year"),
        pytest.param("1945", "1945", id="bare-year"),
        pytest.param("  14 February 1950 ", "1950-02-14", id="surrounding-space"),
    ],
)
def test_parse_date_whole_text(text: str, iso: str) -> None:
    assert parse_date(text) == DateValue(iso)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("bogus", id="word"),
        pytest.param("", id="empty"),
        pytest.param("signed on 14 February 1950", id="date-inside-sentence"),
        pytest.param("14 February 1950 and 11 April 1950", id="two-dates"),
        pytest.param("1950-13-01", id="iso-month-13"),
        pytest.param("32 February 1950", id="day-32"),
        pytest.param("31 February 1950", id="february-31"),
        pytest.param("31 April 1950", id="april-31"),
        pytest.param("29 February 1950", id="february-29-not-leap"),
        pytest.param("1950年13月1日", id="zh-month-13"),
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("iso", "precision", "year", "sort_key"),
    [
        pytest.param("1950-02-14", "day", 1950, "1950-02-14", id="day"),
        pytest.param("1950-02", "month", 1950, "1950-02-15", id="month"),
        pytest.param("1950", "year", 1950, "1950-07-01", id="year"),
    ],
)
def test_date_value_precision_and_sort_key(iso: str, precision: str, year: int, sort_key: str) -> None:
    value = DateValue(iso)
    assert (value.precision, value.year, value.sort_key()) == (precision, year, sort_key)


# ---------------------------------------------------------------- find_dates


@pytest.mark.parametrize(
    ("text", "iso", "quoted"),
    [
        pytest.param(
            "Done at Washington this fourth day of April, 1949.",
            "1949-04-04",
            "fourth day of April, 1949",
            id="en-words-day",
        ),
        pytest.param(
            "the 14th day of February 1950", "1950-02-14", "14th day of February 1950", id="en-14th-day-of"
        ),
        pytest.param(
            "this fourteenth day of February, one thousand nine hundred and fifty",
            "1950-02-14",
            "fourteenth day of February, one thousand nine hundred and fifty",
            id="en-words-day-and-year",
        ),
        pytest.param(
            "the first day of May 1950", "1950-05-01", "first day of May 1950", id="en-first-day-of"
        ),
        pytest.param(
            "the second day of May 1950", "1950-05-02", "second day of May 1950", id="en-second-day-of"
        ),
        pytest.param(
            "the third day of May 1950", "1950-05-03", "third day of May 1950", id="en-third-day-of"
        ),
        pytest.param(
            "this twenty-first day of May, 1950",
            "1950-05-21",
            "twenty-first day of May, 1950",
            id="en-twenty-first-day-of",
        ),
        pytest.param("le 3 janvier 1956", "1956-01-03", "3 janvier 1956", id="fr-le"),
        pytest.param("Москва, 14 февраля 1950 г.", "1950-02-14", "14 февраля 1950", id="ru-genitive-month"),
        pytest.param("双方于1950年2月14日缔结了条约", "1950-02-14", "1950年2月14日", id="zh-inside-sentence"),
        pytest.param(
            "签订于一九五〇年二月十四日。", "1950-02-14", "一九五〇年二月十四日", id="zh-numerals-inside"
        ),
    ],
)
def test_find_dates_in_sentence(text: str, iso: str, quoted: str) -> None:
    matches = find_dates(text)
    assert [m.value.iso for m in matches] == [iso]
    assert text[matches[0].start : matches[0].end] == quoted


@pytest.mark.parametrize(
    ("text", "isos"),
    [
        pytest.param(
            "Signed at Moscow, on 14 February 1950; in force 11 April 1950.",
            ["1950-02-14", "1950-04-11"],
            id="two-english",
        ),
        pytest.param(
            "双方于1950年2月14日缔结了条约, signé le 3 janvier 1956",
            ["1950-02-14", "1956-01-03"],
            id="chinese-and-french",
        ),
        pytest.param("in 1945 and again in February 1950", ["1945", "1950-02"], id="year-and-month"),
        pytest.param("No. 3103 of 12 pages, article 1945-bis", [], id="numbers-not-dates"),
        pytest.param("", [], id="empty"),
    ],
)
def test_find_dates_in_text_order(text: str, isos: list[str]) -> None:
    assert [m.value.iso for m in find_dates(text)] == isos


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("14 February 1950", id="dmy"),
        pytest.param("February 14, 1950", id="mdy"),
    ],
)
def test_find_dates_longest_form_wins(text: str) -> None:
    matches = find_dates(text)
    assert len(matches) == 1
    assert (matches[0].start, matches[0].end) == (0, len(text))


# ---------------------------------------------------------------- datelines


@pytest.mark.parametrize(
    "text, published, iso, quoted",
    [
        ("MOSCOW, Feb. 14 (AP) — The treaty was signed today.", "1950-02-15", "1950-02-14", "Feb. 14"),
        ("WASHINGTON, April 4 (UP)--The pact", "1949-04-04", "1949-04-04", "April 4"),
        ("UNITED NATIONS, N.Y., Oct. 5 — The Assembly", "1950-10-07", "1950-10-05", "Oct. 5"),
        ("LONDON, Tuesday, Feb. 14 — Britain", "1950-02-15", "1950-02-14", "Feb. 14"),
        ("PARIS, 14 février (AFP) - Le traité", "1950-02-15", "1950-02-14", "14 février"),
        ("МОСКВА, 14 февраля. /ТАСС/. Сегодня", "1950-02-15", "1950-02-14", "14 февраля"),
        ("新华社罗马6月26日电 两国外长", "1979-06-27", "1979-06-26", "6月26日"),
        ("本报莫斯科二月十四日讯 中苏两国", "1950-02-15", "1950-02-14", "二月十四日"),
        ("Title: Pact\nBy a Correspondent\n\nMOSCOW, Feb. 14 — The", "1950-02-15", "1950-02-14", "Feb. 14"),
        ("MOSCOW, Dec. 31 (AP) — The", "1951-01-01", "1950-12-31", "Dec. 31"),  # the paper of the new year
        ("MOSCOW, Feb. 14 (AP) — The", "1950-03", "1950-02-14", "Feb. 14"),  # a month of publication will do
        ("LONDON, Feb. 14, 1938 (AP) — The", None, "1938-02-14", "Feb. 14, 1938"),  # its own year
        ("新华社北京1950年2月14日电 中苏两国", None, "1950-02-14", "1950年2月14日"),
    ],
)
def test_find_dateline_dates_the_report(text: str, published: str | None, iso: str, quoted: str) -> None:
    match = find_dateline(text, DateValue(published) if published else None)
    assert match is not None and match.value.iso == iso
    assert text[match.start:match.end] == quoted


@pytest.mark.parametrize(
    "text, published",
    [
        pytest.param("MOSCOW, Feb. 14 (AP) — The treaty", None, id="no-publication-date"),
        pytest.param("MOSCOW, Feb. 14 (AP) — The treaty", "1950", id="a-year-is-no-day"),
        pytest.param("Moscow, 14 February. The treaty was signed", "1950-02-15", id="no-agency-or-dash"),
        pytest.param("It was signed in Moscow, Feb. 14 — a Tuesday.", "1950-02-15", id="not-a-line-start"),
        pytest.param("MOSCOW, Feb. 30 (AP) — The treaty", "1950-03-01", id="no-such-day"),
        pytest.param("两国外长6月25日在罗马签订了协定。", "1979-06-27", id="no-电"),
        pytest.param("x\n" * 2000 + "MOSCOW, Feb. 14 (AP) — The", "1950-02-15", id="far-from-the-top"),
    ],
)
def test_find_dateline_none(text: str, published: str | None) -> None:
    assert find_dateline(text, DateValue(published) if published else None) is None


def test_a_chinese_month_and_day_take_the_year_of_the_dateline() -> None:
    text = "新华社罗马6月26日电 两国外长6月25日在罗马签订了协定。"
    dateline = find_dateline(text, DateValue("1979-06-27"))
    assert [m.value.iso for m in find_dates(text, dateline)] == ["1979-06-26", "1979-06-25"]
    assert find_dates(text) == []


@given(day=st.dates(min_value=dt.date(1001, 1, 1), max_value=dt.date(2099, 12, 31)),
       delay=st.integers(min_value=0, max_value=364))
def test_a_dateline_without_year_is_the_last_such_day_before_publication(day: dt.date, delay: int) -> None:
    published = day + dt.timedelta(days=delay)
    text = f"MOSCOW, {MONTH_NAMES[day.month - 1]} {day.day} (AP) — The treaty was signed today."
    match = find_dateline(text, DateValue(published.isoformat()))
    if day.month == 2 and day.day == 29 and published.year != day.year:
        assert match is None or match.value.iso != day.isoformat()  # no 29 February in that year
    else:
        assert match is not None and match.value.iso == day.isoformat()


# ---------------------------------------------------------------- property tests

valid_dates = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2099, 12, 31))


@given(day=valid_dates)
def test_parse_date_round_trips_day_month_year(day: dt.date) -> None:
    assert parse_date(f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}") == DateValue(day.isoformat())


@given(day=valid_dates)
def test_parse_date_round_trips_month_day_year(day: dt.date) -> None:
    assert parse_date(f"{MONTH_NAMES[day.month - 1]} {day.day}, {day.year}") == DateValue(day.isoformat())


@given(day=valid_dates)
def test_parse_date_round_trips_iso(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == DateValue(day.isoformat())


@given(day=valid_dates)
def test_parse_date_round_trips_chinese_digits(day: dt.date) -> None:
    assert parse_date(f"{day.year}年{day.month}月{day.day}日") == DateValue(day.isoformat())


@given(day=valid_dates)
def test_parse_date_round_trips_chinese_numerals(day: dt.date) -> None:
    year = "".join(CJK_DIGITS[int(d)] for d in str(day.year))
    assert parse_date(f"{year}年{_cjk_small(day.month)}月{_cjk_small(day.day)}日") == DateValue(
        day.isoformat()
    )


@given(text=st.text())
@example(text="Signed on 14 Auguſt 1950")  # U+017F LONG S matches "s" under re.IGNORECASE
@example(text="十十十十年十十十月十十十日")
@example(text="one thousand day of May, 1950")
def test_find_dates_never_raises_and_spans_inside(text: str) -> None:
    dateline = find_dateline(text, DateValue("1950-06-15"))
    assert dateline is None or 0 <= dateline.start < dateline.end <= len(text)
    matches = find_dates(text, dateline)
    for match in matches:
        assert 0 <= match.start < match.end <= len(text)
        assert ISO_FORM.fullmatch(match.value.iso), match
    assert [m.start for m in matches] == sorted(m.start for m in matches)


# ---------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        pytest.param("thirty years", "P30Y", id="en-words"),
        pytest.param("for a term of thirty years", "P30Y", id="en-in-sentence"),
        pytest.param("30 years", "P30Y", id="en-digits"),
        pytest.param("twenty (20) years", "P20Y", id="en-words-and-digits"),
        pytest.param("for a period of one hundred years", "P100Y", id="en-hundred"),
        pytest.param("one year", "P1Y", id="en-singular"),
        pytest.param("6 months", "P6M", id="en-months"),
        pytest.param("pour une durée de 5 ans", "P5Y", id="fr-ans"),
        pytest.param("6 mois", "P6M", id="fr-mois"),
        pytest.param("сроком на 30 лет", "P30Y", id="ru-let"),
        pytest.param("有效期30年", "P30Y", id="zh-digits"),
        pytest.param("有效期三十年", "P30Y", id="zh-numerals"),
        pytest.param("六个月", "P6M", id="zh-months"),
    ],
)
def test_parse_duration_reads_period(text: str, duration: str) -> None:
    assert parse_duration(text) == duration


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("no period here", id="no-period"),
        pytest.param("", id="empty"),
        pytest.param("0 years", id="zero"),
    ],
)
def test_parse_duration_none_without_period(text: str) -> None:
    assert parse_duration(text) is None


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("words", "number"),
    [
        pytest.param("one thousand nine hundred and fifty", 1950, id="year-words"),
        pytest.param("nineteen hundred and forty-five", 1945, id="nineteen-hundred"),
        pytest.param("thirty", 30, id="tens"),
        pytest.param("twenty-fifth", 25, id="hyphenated-ordinal"),
        pytest.param("twenty first", 21, id="spaced-ordinal"),
        pytest.param("fourth", 4, id="ordinal"),
        pytest.param("fourteenth", 14, id="teen-ordinal"),
        pytest.param("twentieth", 20, id="twentieth"),
        pytest.param("thirtieth", 30, id="thirtieth"),
        pytest.param("one hundred", 100, id="hundred"),
        pytest.param("One Thousand", 1000, id="capitalised"),
        pytest.param("12", 12, id="digits"),
    ],
)
def test_words_to_number_reads(words: str, number: int) -> None:
    assert words_to_number(words) == number


@pytest.mark.parametrize(
    "words",
    [
        pytest.param("bogus", id="not-a-number"),
        pytest.param("", id="empty"),
        pytest.param("and", id="only-and"),
        pytest.param("thirty bogus", id="trailing-word"),
    ],
)
def test_words_to_number_none_for_non_numbers(words: str) -> None:
    assert words_to_number(words) is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        pytest.param("三十", 30, id="tens"),
        pytest.param("一九五〇", 1950, id="digit-string"),
        pytest.param("一九四五", 1945, id="digit-string-1945"),
        pytest.param("十四", 14, id="teen"),
        pytest.param("十", 10, id="ten"),
        pytest.param("二十五", 25, id="compound"),
        pytest.param("一百", 100, id="hundred"),
        pytest.param("两", 2, id="liang"),
        pytest.param("30", 30, id="arabic"),
    ],
)
def test_cjk_number_reads(text: str, number: int) -> None:
    assert cjk_number(text) == number


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("abc", id="latin"),
        pytest.param("三十年", id="with-unit"),
        pytest.param("", id="empty"),
    ],
)
def test_cjk_number_none_for_non_numbers(text: str) -> None:
    assert cjk_number(text) is None
