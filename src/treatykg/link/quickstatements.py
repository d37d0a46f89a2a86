"""The facts Wikidata lacks, as QuickStatements (version 1) lines with their sources. Nothing is uploaded.

One line per fact and document, tab-separated: the item, the property, the value, then one
reference made of the sentence the fact was read from (S1683, quotation, monolingual text), the
document's title (S1476, title) or its URL (S854, reference URL) when the graph records one, and
the date the statements were drawn up (S813, retrieved). A second document stating the same fact
gives a second, repeated line, which QuickStatements saves as a second reference of the same
statement.

Evidence for the syntax and the reference properties (public repositories, read with the project's
search tool):
- QuickStatements' own help, as quoted by the QSML tool: "S854 \"https://www.example.com/\" S813
  +2020-04-21T00:00:00Z/11 S407 Q7411" (one reference), dates as "+1858-00-00T00:00:00Z/9" (year),
  "+1830-12-00T00:00:00Z/10" (month), "+2020-04-26T00:00:00Z/11" (day); cells are separated by tabs.
- Notes verified against the QuickStatements 2 and 3 parsers: "`S854 \"url\"`, `S248 Q…`,
  `S813 +2026-09-25T00:00:00Z/11`, `S1476 en:\"…\"`, `S1683 en:\"…\"`. Qualifiers use `P`"; "a repeated
  line added a separate reference"; straight double quotes inside a string survive (no escape);
  Wikidata limits strings and monolingual text to 1,500 characters.
- Property labels: "P248 stated in, P304 pages, P813 retrieved, P1683 quotation, P1065 archive
  URL" (a design note on Wikidata's rank and reference model); "inline citation | P813 retrieved;
  P854 reference URL; P248 stated in; ... P1683 quotation" (a table citing Help:Sources);
  P1476 title (shared/kb/wikidata-ids.csv, from a 2018 property dump).
- A QuickStatements line with a sourced statement: "Q4115189 P231 \"100-00-5\" S248 Q20022913 S854
  \"http://...\"" (an issue on QuickStatements' tracker); "LAST\tP569\t+1788-00-00T00:00:00Z/9\tS2600 ...".
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .common import Quote
from .compare import LACKS, UNCHECKED, CompareReport, Comparison

MAX_TEXT = 1500
_FRENCH = re.compile(r"\b(le|la|les|des|du|et|entre|pour|sur|au|aux|une)\b", re.IGNORECASE)
_ENGLISH = re.compile(r"\b(the|and|of|between|for|on|to|a|an)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class QuickStatementsResult:
    """The lines written, and the facts left out with the reason."""

    lines: tuple[str, ...]
    skipped: tuple[str, ...]

    @property
    def text(self) -> str:
        """The file's content: one command per line."""
        return "".join(line + "\n" for line in self.lines)


def quote_language(text: str, languages: tuple[str, ...]) -> str:
    """The language of a quoted sentence, by its script and the document's languages.

    A Chinese character counts as much as three Latin letters (a word).

    >>> quote_language("双方于1950年2月14日缔结", ("en", "zh"))
    'zh'
    >>> quote_language("Signé à Moscou le", ("en", "fr"))
    'fr'
    """
    scripts = {
        "zh": len(re.findall(r"[\u3400-\u9fff]", text)),
        "ru": len(re.findall(r"[\u0400-\u04ff]", text)),
        "latin": len(re.findall(r"[A-Za-z\u00c0-\u024f]", text)) / 3,
    }
    script = max(scripts, key=lambda name: scripts[name])
    if script != "latin" and scripts[script]:
        return script
    latin = [code for code in languages if code not in ("zh", "ru")] or ["en"]
    if "fr" in latin and len(_FRENCH.findall(text)) > len(_ENGLISH.findall(text)):
        return "fr"
    return "en" if "en" in latin else latin[0]


def qs_value(comparison: Comparison) -> str | None:
    """A comparison's value in QuickStatements syntax, or None when it cannot be written."""
    value = comparison.value
    if comparison.kind in ("item", "language"):
        return value if re.fullmatch(r"Q[1-9][0-9]*", value) else None
    if comparison.kind == "date":
        parts = value.split("-")
        if not parts[0].isdigit():
            return None
        year, month, day = (parts + ["00", "00"])[:3]
        precision = {1: 9, 2: 10, 3: 11}[min(len(parts), 3)]
        return f"+{int(year):04d}-{month}-{day}T00:00:00Z/{precision}"
    return _string(value)


def _string(text: str) -> str | None:
    flat = " ".join(text.split())
    return f'"{flat}"' if flat and len(flat) <= MAX_TEXT else None


def _reference(quote: Quote, retrieved: datetime.date) -> list[str]:
    cells = []
    sentence = _string(quote.quote)
    if sentence:
        cells += ["S1683", f"{quote_language(quote.quote, quote.languages)}:{sentence}"]
    if quote.source_url:
        cells += ["S854", f'"{quote.source_url}"']
    elif quote.doc_title and _string(quote.doc_title):
        cells += ["S1476", f"{quote_language(quote.doc_title, quote.languages)}:{_string(quote.doc_title)}"]
    cells += ["S813", f"+{retrieved.isoformat()}T00:00:00Z/11"]
    return cells


def quickstatements(
    report: CompareReport, *, retrieved: datetime.date | None = None, include_unchecked: bool = False
) -> QuickStatementsResult:
    """QuickStatements lines for the facts Wikidata lacks (and, on request, those not checked).

    Args:
        report: a comparison of the graph with Wikidata (`treatykg.link.compare.compare`).
        retrieved: the date written as "retrieved" (S813) in every reference; today by default.
        include_unchecked: also write facts whose property the snapshot did not read (QuickStatements
            adds the reference to a statement that already exists instead of duplicating it).
    """
    day = retrieved or datetime.date.today()
    wanted = {LACKS, UNCHECKED} if include_unchecked else {LACKS}
    lines, skipped = [], []
    for comparison in report.comparisons:
        if comparison.status not in wanted:
            continue
        value = qs_value(comparison)
        name = f"{comparison.item} {comparison.property} {comparison.value}"
        if value is None:
            skipped.append(
                f"{name}: the value cannot be written in QuickStatements "
                f"({comparison.note or comparison.kind})"
            )
            continue
        if not comparison.quotes:
            skipped.append(f"{name}: no evidence record to cite")
            continue
        seen_documents = set()
        for quote in comparison.quotes:
            if quote.doc_id in seen_documents:
                continue
            seen_documents.add(quote.doc_id)
            lines.append("\t".join([comparison.item, comparison.property, value, *_reference(quote, day)]))
    return QuickStatementsResult(tuple(lines), tuple(skipped))
