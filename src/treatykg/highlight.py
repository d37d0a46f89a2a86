"""Marking an evidence quote: where in the quoted sentence the fact's names and dates occur.

An evidence record quotes a whole sentence (``document[charStart:charEnd]``); the report marks
inside it the surface forms of the fact's subject and object: an entity's label or any other
name it was found under, a date's usual spellings in English, French, Russian and Chinese.
"""

from __future__ import annotations

import functools
import html
import re

from rdflib import RDFS, SKOS, Graph, Literal, URIRef

from .pictures import parse_date

MONTHS = {
    "en": "January February March April May June July August September October November December".split(),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split(),
}


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def surface_names(graph: Graph, node: object) -> list[str]:
    """Surface forms to look for in a quote: an entity's labels, a date's usual spellings."""
    if isinstance(node, URIRef):
        names = {str(n) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) for n in graph.objects(node, p)}
        return sorted(names, key=len, reverse=True)
    if isinstance(node, Literal) and (day := parse_date(str(node))) is not None:
        lexical = str(node)
        if len(lexical) == 4:
            return [lexical]
        if len(lexical) == 7:
            return [
                f"{MONTHS['en'][day.month - 1]} {day.year}",
                f"{MONTHS['fr'][day.month - 1]} {day.year}",
                f"{day.year}年{day.month}月",
            ]
        return [
            f"{day.day} {MONTHS['en'][day.month - 1]} {day.year}",
            f"{MONTHS['en'][day.month - 1]} {day.day}, {day.year}",
            f"{day.day} {MONTHS['fr'][day.month - 1]} {day.year}",
            f"{day.day} {MONTHS['ru'][day.month - 1]} {day.year}",
            f"{day.year}年{day.month}月{day.day}日",
            lexical,
        ]
    return [str(node)] if isinstance(node, Literal) and len(str(node)) > 2 else []


def _unspaced(char: str) -> bool:
    """Whether a character belongs to a script written without spaces between words (CJK)."""
    return "\u2e80" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7af" or "\uf900" <= char <= "\ufaff"


@functools.lru_cache(maxsize=65536)
def _name_pattern(name: str) -> re.Pattern[str] | None:
    """The pattern a name is found by (None: a name of blanks). A report marks the names of every
    fact's evidence, the same few thousand names over and over, more than re's own cache holds."""
    words = [re.escape(word) for word in name.split()]
    if not words:
        return None
    before = "" if _unspaced(name[0]) else r"(?<!\w)"
    after = "" if _unspaced(name[-1]) else r"(?!\w)"
    return re.compile(before + r"\s+".join(words) + after, re.IGNORECASE)


def mark_quote(quote: str, names: list[str], *, start: int = 0, document: str = "") -> str:
    """The quote as HTML with every occurrence of the names marked, or all of it when none occurs.

    Matching ignores case and treats any run of whitespace as a space (quotes keep the
    document's line breaks). Each mark's title gives its offsets in the document.

    >>> mark_quote("Signed by CHOU\\nEN-LAI <L.S.>", ["Chou En-lai"], start=10, document="d")
    'Signed by <mark title="d [20:31]">CHOU\\nEN-LAI</mark> &lt;L.S.&gt;'
    >>> mark_quote("同苏联签订", ["苏联"])
    '同<mark title=" [1:3]">苏联</mark>签订'
    """
    spans: list[tuple[int, int]] = []
    for name in names:
        pattern = _name_pattern(name)
        if pattern is None:
            continue
        for match in pattern.finditer(quote):
            if not any(match.start() < b and a < match.end() for a, b in spans):
                spans.append(match.span())
    if not spans:
        spans = [(0, len(quote))]
    parts, cursor = [], 0
    for a, b in sorted(spans):
        title = f"{document} [{start + a}:{start + b}]"
        parts += [_e(quote[cursor:a]), f'<mark title="{_e(title)}">', _e(quote[a:b]), "</mark>"]
        cursor = b
    parts.append(_e(quote[cursor:]))
    return "".join(parts)
