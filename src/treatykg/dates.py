"""Dates and durations as treaties write them, in English, French, Russian and Chinese.

Recognises "14 February 1950", "February 14, 1950", "the 14th day of February 1950",
"this fourteenth day of February, one thousand nine hundred and fifty", "le 3 janvier 1956",
"14 февраля 1950 г.", "1950年2月14日", "一九五〇年二月十四日", ISO dates, months and bare years;
and durations such as "thirty years", "30 years", "有效期30年".
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from . import scan

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}
_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}
_FRENCH_UNITS = {
    "un": 1, "premier": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
    "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
}
_RUSSIAN_NUMBERS = {
    "один": 1, "одного": 1, "два": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3, "четыре": 4, "пять": 5, "пяти": 5,
    "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10, "десяти": 10, "пятнадцать": 15,
    "двадцать": 20, "двадцати": 20, "тридцать": 30, "тридцати": 30, "сорок": 40, "пятьдесят": 50,
}
_CJK_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
               "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True, slots=True, order=True)
class DateValue:
    """A calendar date at the precision the text gives: day, month or year."""

    iso: str

    @property
    def precision(self) -> str:
        """"day", "month" or "year"."""
        return {10: "day", 7: "month"}.get(len(self.iso), "year")

    @property
    def year(self) -> int:
        """The year."""
        return int(self.iso[:4])

    def sort_key(self) -> str:
        """A full ISO date for comparisons; a bare year or month counts from its middle."""
        return (self.iso + "-07-01")[:10] if len(self.iso) == 4 else (self.iso + "-15")[:10]


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in a text, with its half-open character span."""

    start: int
    end: int
    value: DateValue


def _valid(year: int, month: int | None = None, day: int | None = None) -> DateValue | None:
    if year is None or not 1000 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    if month is None:
        return DateValue(f"{year:04d}")
    if day is None:
        return DateValue(f"{year:04d}-{month:02d}")
    try:
        return DateValue(datetime.date(year, month, day).isoformat())
    except ValueError:
        return None


def words_to_number(words: str) -> int | None:
    """Read a cardinal or ordinal written in English words, or in digits.

    >>> words_to_number("one thousand nine hundred and fifty")
    1950
    >>> words_to_number("twenty-fifth"), words_to_number("thirty"), words_to_number("12")
    (25, 30, 12)
    """
    text = words.strip().lower()
    if text.isdigit():
        return int(text)
    values = {**_UNITS, **{k: v for k, v in _ORDINALS.items()}, **_TENS}
    return _sum_number_words(text, values, hundred="hundred", thousand="thousand", filler="and")


def french_number(words: str) -> int | None:
    """Read a number written in French words: "mille neuf cent quarante-sept" is 1947.

    >>> french_number("mille neuf cent quarante-sept"), french_number("dix"), french_number("vingt et un")
    (1947, 10, 21)
    """
    return _sum_number_words(words.strip().lower(), _FRENCH_UNITS, hundred="cent", thousand="mille", filler="et")


def _sum_number_words(text: str, values: dict[str, int], *, hundred: str, thousand: str, filler: str) -> int | None:
    """Add up number words, multiplying by the words for a hundred and a thousand."""
    total, current, seen = 0, 0, False
    for token in re.split(r"[\s-]+", text):
        if token in (filler, ""):
            continue
        if token in values:
            current += values[token]
        elif token in (hundred, hundred + "s"):
            current = (current or 1) * 100
        elif token == thousand:
            total += (current or 1) * 1000
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def cjk_number(text: str) -> int | None:
    """Read a number in Chinese numerals or digits: "三十" is 30, "一九五〇" is 1950.

    >>> cjk_number("三十"), cjk_number("一九五〇"), cjk_number("十四"), cjk_number("30")
    (30, 1950, 14, 30)
    """
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if all(c in _CJK_DIGITS for c in text):
        return int("".join(str(_CJK_DIGITS[c]) for c in text))
    total, current = 0, 0
    for char in text:
        if char in _CJK_DIGITS:
            current = _CJK_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WORDNUM = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|" \
           r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|" \
           r"hundred|thousand)(?:(?:[\s-]+and)?[\s-]+(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|" \
           r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|" \
           r"seventy|eighty|ninety|hundred|thousand))*"
_ORDWORD = r"(?:(?:twenty|thirty)[\s-])?(?:" + "|".join(_ORDINALS) + r")"
_CJKNUM = r"[0-9〇零○一二两三四五六七八九十]"
_PATTERNS = [
    ("iso", r"\b(?P<year>1[0-9]{3}|20[0-9]{2})-(?P<m>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12][0-9]|3[01])\b"),
    ("dmy", r"\b(?P<day>[0-3]?[0-9])(?:st|nd|rd|th|er)?(?:\s+day\s+of)?\s+" + _MONTH
            + r",?\s+(?P<year>1[0-9]{3}|20[0-9]{2})\b"),
    ("mdy", r"\b" + _MONTH + r"\s+(?P<day>[0-3]?[0-9])(?:st|nd|rd|th)?,?\s+(?P<year>1[0-9]{3}|20[0-9]{2})\b"),
    ("words", r"\b(?P<dayword>" + _ORDWORD + r"|[0-3]?[0-9](?:st|nd|rd|th))\s+day\s+of\s+" + _MONTH
              + r",?\s+(?:in\s+the\s+year\s+)?(?P<yearwords>(?:one\s+thousand|nineteen\s+hundred)\s+" + _WORDNUM
              + r"|1[0-9]{3}|20[0-9]{2})"),
    ("french", r"\b(?P<fday>premier|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|"
               r"seize|dix-sept|dix-huit|dix-neuf|vingt(?:[\s-](?:et[\s-])?(?:un|deux|trois|quatre|cinq|six|sept|huit|neuf))?|"
               r"trente(?:[\s-]et[\s-]un)?)\s+" + _MONTH + r",?\s+(?:de\s+l'an\s+)?(?P<fyear>mille\s+neuf\s+cents?"
               r"(?:[\s-]+(?:et[\s-]+)?(?:un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|"
               r"quinze|seize|vingt|trente|quarante|cinquante|soixante))*)"),
    ("cjk", r"(?P<cyear>" + _CJKNUM + r"{4})\s*年\s*(?:(?P<cmonth>" + _CJKNUM + r"{1,3})\s*月\s*(?:(?P<cday>"
            + _CJKNUM + r"{1,3})\s*日)?)?"),
    ("my", r"\b" + _MONTH + r",?\s+(?P<year>1[0-9]{3}|20[0-9]{2})\b"),
    ("year", r"(?<![\w.-])(?P<year>1[89][0-9]{2}|20[0-9]{2})(?![\w-]|\.[0-9])"),
]
DATE_RE = re.compile("|".join(f"(?P<{name}>{body.replace('(?P<', f'(?P<{name}_')})" for name, body in _PATTERNS),
                     re.IGNORECASE)




# Where a date can begin: a digit, a Chinese numeral, or a word that opens one of the patterns (a
# month, an ordinal or tens word, a French number).
_DATE_START = scan.WordStarts(set(MONTHS) | set(_ORDINALS) | set(_TENS) | set(_FRENCH_UNITS),
                              "0-9〇零○一二两三四五六七八九十", ignore_case=True)


def _group(match: re.Match[str], kind: str, name: str) -> str | None:
    return match.group(f"{kind}_{name}")


def _month(name: str) -> int:
    return MONTHS.get(name.lower(), MONTHS.get(name.casefold(), 0))


def _value(match: re.Match[str]) -> DateValue | None:
    kind = match.lastgroup or ""
    for name, _ in _PATTERNS:
        if match.group(name) is not None:
            kind = name
            break
    get = lambda name: _group(match, kind, name)  # noqa: E731
    if kind == "iso":
        return _valid(int(get("year")), int(get("m")), int(get("day")))
    if kind in ("dmy", "mdy"):
        return _valid(int(get("year")), _month(get("month")), int(get("day")))
    if kind == "words":
        day = words_to_number(re.sub(r"(?<=\d)(st|nd|rd|th)$", "", get("dayword").lower()))
        year = words_to_number(get("yearwords").replace("nineteen hundred", "one thousand nine hundred"))
        return _valid(year, _month(get("month")), day) if day and year else None
    if kind == "french":
        day, year = french_number(get("fday")), french_number(get("fyear"))
        return _valid(year, _month(get("month")), day) if day and year else None
    if kind == "cjk":
        year = cjk_number(get("cyear"))
        month = cjk_number(get("cmonth")) if get("cmonth") else None
        day = cjk_number(get("cday")) if get("cday") else None
        return _valid(year, month, day) if year else None
    if kind == "my":
        return _valid(int(get("year")), _month(get("month")))
    return _valid(int(get("year")))


_CJK_MONTH_DAY = re.compile(r"(?<![0-9〇零○一二两三四五六七八九十年])(?P<month>[0-9一二三四五六七八九十]{1,2})\s*月\s*"
                            r"(?P<day>[0-9一二三四五六七八九十]{1,3})\s*日")


def _cjk_month_days(text: str, found: list[DateMatch]) -> list[DateMatch]:
    """"8月12日" without a year takes the year of the latest date written before it."""
    extra = []
    for match in _CJK_MONTH_DAY.finditer(text):
        if any(d.start <= match.start() < d.end for d in found):
            continue
        earlier = [d for d in found if d.end <= match.start()]
        month, day = cjk_number(match.group("month")), cjk_number(match.group("day"))
        value = _valid(earlier[-1].value.year, month, day) if earlier and month and day else None
        if value is not None:
            extra.append(DateMatch(match.start(), match.end(), value))
    return extra


def find_dates(text: str, dateline: DateMatch | None = None) -> list[DateMatch]:
    """All dates in text, longest forms first where they overlap, in text order; with the date of
    the text's dateline (find_dateline), which a Chinese month and day after it takes its year from.

    >>> [m.value.iso for m in find_dates("Signed at Moscow, on 14 February 1950; in force 11 April 1950.")]
    ['1950-02-14', '1950-04-11']
    >>> [m.value.iso for m in find_dates("双方于1950年2月14日缔结了条约, signé le 3 janvier 1956")]
    ['1950-02-14', '1956-01-03']
    """
    found = []
    for match in scan.finditer(DATE_RE, _DATE_START, text):
        value = _value(match)
        if value is not None:
            found.append(DateMatch(match.start(), match.end(), value))
    if dateline is not None and not any(d.start < dateline.end and dateline.start < d.end for d in found):
        found = sorted([*found, dateline], key=lambda d: d.start)
    if "月" in text:
        found = sorted(found + _cjk_month_days(text, found), key=lambda d: d.start)
    return found


_MONTH_WORD = r"(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
_AGENCY = r"[(/][^()/\n]{1,40}[)/]"
_DASH = r"(?:-{1,2}|[\u2013\u2014])"
_PLACE_WORD = r"[A-Z\u00c0-\u00de\u0410-\u042f][\w.'\u2019-]*"
_DATELINE_RE = re.compile(
    r"^[ \t]*" + _PLACE_WORD + r"(?:[ \t]+(?:(?:de|da|do|del|la|le|es|am|au|sur|upon|on|of)[ \t]+)?"
    + _PLACE_WORD + r"){0,4}"
    r"(?:,[ \t]*[A-Z][\w.]{0,15})?\s*,\s*"
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    r"(?P<date>(?:(?P<month>" + _MONTH_WORD + r")\.?\s+(?P<day>[0-3]?[0-9])"
    r"|(?P<day2>[0-3]?[0-9])\s+(?P<month2>" + _MONTH_WORD + r"))"
    r"(?:st|nd|rd|th)?(?:,?\s+(?P<year>1[0-9]{3}|20[0-9]{2}))?)\.?"
    r"(?=\s*(?:" + _AGENCY + r"|[.:]?\s*" + _DASH + r"))"
    r"|^[ \t]*[\[(（【]?[\u4e00-\u9fff]{1,10}?(?P<cdate>(?:(?P<cyear>" + _CJKNUM + r"{4})年)?"
    r"(?P<cmonth>" + _CJKNUM + r"{1,2})月(?P<cday>" + _CJKNUM + r"{1,3})日)(?:电|讯)",
    re.MULTILINE)
DATELINE_REACH = 2000  # a dateline opens the report, after at most a header and a byline


def find_dateline(text: str, published: DateValue | None) -> DateMatch | None:
    """The date of a news report's dateline ("MOSCOW, Feb. 14 (AP) —", "PARIS, 14 février (AFP) -",
    "新华社北京2月14日电"), the day its "today" means. A dateline without a year is of the days
    before publication: it takes the year that puts it on or before the published date (a December
    dateline in a January paper is of the year before), and without a published month it has none.

    >>> find_dateline("MOSCOW, Feb. 14 (AP) — The treaty was signed today.", DateValue("1950-02-15")).value
    DateValue(iso='1950-02-14')
    """
    match = _DATELINE_RE.search(text, 0, DATELINE_REACH)
    if match is None:
        return None
    chinese = match.group("cdate") is not None
    if chinese:
        month, day = cjk_number(match.group("cmonth")), cjk_number(match.group("cday"))
        year = cjk_number(match.group("cyear")) if match.group("cyear") else None
    else:
        month = _month(match.group("month") or match.group("month2"))
        day, year = int(match.group("day") or match.group("day2")), match.group("year")
    if not month or not day:
        return None
    value = _valid(int(year), month, day) if year else _year_before(month, day, published)
    span = match.span("cdate" if chinese else "date")
    return DateMatch(*span, value) if value is not None else None


def _year_before(month: int, day: int, published: DateValue | None) -> DateValue | None:
    """The month and day on or before published, within the year before it."""
    if published is None or published.precision == "year":
        return None
    last = (int(published.iso[5:7]), int(published.iso[8:10]) if published.precision == "day" else 31)
    return _valid(published.year - ((month, day) > last), month, day)


def parse_date(text: str) -> DateValue | None:
    """The date that text consists of, or None.

    >>> parse_date("February 14, 1950").iso, parse_date("1945").iso, parse_date("bogus")
    ('1950-02-14', '1945', None)
    """
    matches = find_dates(text.strip())
    if len(matches) == 1 and matches[0].start == 0 and matches[0].end == len(text.strip()):
        return matches[0].value
    return None


_FRENCH_NUMBER = (r"(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|quarante|"
                  r"cinquante)(?:[\s-](?:et[\s-])?(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix))?")
_DURATION_RE = re.compile(
    r"(?P<n>\d{1,3}|" + _WORDNUM + "|" + _FRENCH_NUMBER + r"|(?:(?:" + "|".join(_RUSSIAN_NUMBERS) + r")\s*){1,2})\s*(?:\(\d+\)\s*)?"
    r"(?P<unit>years?|months?|ans?|années?|mois|лет|года|год)\b"
    r"|(?P<cn>" + _CJKNUM + r"{1,3})\s*(?P<cunit>年|个月)",
    re.IGNORECASE,
)


def parse_duration(text: str) -> str | None:
    """The xsd:duration of the first period stated in text ("thirty years" is P30Y).

    >>> parse_duration("for a term of thirty years"), parse_duration("有效期30年"), parse_duration("6 months")
    ('P30Y', 'P30Y', 'P6M')
    """
    match = _DURATION_RE.search(text)
    if match is None:
        return None
    if match.group("cn"):
        number = cjk_number(match.group("cn"))
        unit = "Y" if match.group("cunit") == "年" else "M"
    else:
        number = (words_to_number(match.group("n")) or french_number(match.group("n").replace("une", "un"))
                  or sum(_RUSSIAN_NUMBERS.get(w, 0) for w in match.group("n").lower().split()))
        unit = "M" if match.group("unit").lower().startswith(("month", "mois")) else "Y"
    return f"P{number}{unit}" if number else None
