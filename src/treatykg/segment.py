"""Blocks, headings and sentences of a text (on the cleaned view).

A block is a run of lines between blank lines. A sentence ends at . ! ? 。 ！ ？ before a
capital, a digit, a quote or a CJK character (but not after "Mr", "No", "Vol", an initial and
the like), and at a line break when the next line starts with a capital and the line before is
not part of an all-capitals heading.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_ABBREVIATIONS = {"mr", "mrs", "dr", "no", "nos", "vol", "p", "pp", "art", "arts", "st", "messrs", "h.e", "e.g",
                  "i.e", "etc", "cf", "ibid", "op", "jr", "sr", "gen", "col", "lt", "capt", "m", "mm", "s.e", "u.s",
                  "u.s.s.r", "u.k", "fig", "para", "sect", "ch"}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9À-ÖØ-Þ\u0400-\u042f\u3400-\u9fff])|(?<=[。！？])"
                           r"|(?<=[\u3400-\u9fff][.!?])")
_END_MARK = re.compile(r"[.!?。！？]")


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph: the half-open span of a run of non-blank lines."""

    start: int
    end: int


def blocks(text: str) -> list[Block]:
    """The paragraphs of text, split at blank lines."""
    found = []
    for match in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", text):
        start, end = match.start(), match.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            found.append(Block(start, end))
    return found


def is_capitals(text: str) -> bool:
    """Whether text is written in capitals (a heading), judged by its letters.

    >>> is_capitals("EXCHANGE OF NOTES CONCERNING"), is_capitals("Exchange of notes")
    (True, False)
    """
    if sum(map(text.count, _COMMON_SMALL)) * 20 > 3 * len(text) + 20:
        return False
    letters = len(_LETTERS.findall(text))
    return letters >= 4 and len(_CAPITALS.findall(text)) >= 0.85 * letters


# Common small letters, Latin and Cyrillic. When they alone are more than 15% of a text and one,
# its small letters are more than 15% of its letters and one, so its capitals are fewer than 85%
# of them (the float 0.85 * letters errs by far less than one): it is no heading, and str.count,
# many times faster than the patterns, tells so for most paragraphs and lines.
_COMMON_SMALL = "etaoinsr" "оеаинт"
# The letters judged are the Latin ones and the Cyrillic block; counted by patterns, not one by one.
_LETTERS = re.compile(r"[A-Za-z\u0400-\u04ff]")
_CAPITALS = re.compile("[A-Z" + "".join(c for c in map(chr, range(0x400, 0x500)) if c.isupper()) + "]")


def _line_breaks(text: str, start: int, end: int) -> list[int]:
    """Positions after line breaks that begin a new sentence inside a block.

    A line break ends a sentence when the next line starts with a capital and the line before
    ends a clause (with . : ; ! ? a closing bracket or a digit) or ends with a lower-case word;
    capitalised words on both sides ("of the Supreme / Soviet of the Union") continue a name.
    """
    cuts: list[int] = []
    if text.find("\n", start, end) < 0:  # a block of one line (most are)
        return cuts
    lines = list(re.finditer(r"[^\n]+", text[start:end]))
    for previous, line in zip(lines, lines[1:], strict=False):
        before, after = previous.group().strip(), line.group().strip()
        if not before or not after:
            continue
        if _is_cjk(before[-1]) or _is_cjk(after[0]):
            cuts.append(start + line.start())
            continue
        if not (after[0].isupper() or after[0] in "(["):
            continue
        if is_capitals(before) and is_capitals(after):
            continue
        last_word = _LAST_WORD.search(before)
        ends_clause = before[-1] in ".:;!?)]" or before[-1].isdigit()
        ends_lower = bool(last_word) and last_word.group(1)[0].islower() and last_word.group(1) not in _FUNCTION_WORDS
        if ends_clause or ends_lower:
            cuts.append(start + line.start())
    return cuts


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or char in "。！？》」）"


_LAST_WORD = re.compile(r"(\w+)\W*$")
_WORD_BEFORE_STOP = re.compile(r"([\w.]+)[.]$")
_FUNCTION_WORDS = {"of", "and", "the", "to", "for", "in", "on", "by", "with", "de", "et", "du", "des", "la", "le"}


def _abbreviation_before(text: str, position: int) -> bool:
    head = text[max(0, position - 12):position].rstrip()
    word = _WORD_BEFORE_STOP.search(head)
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def sentences(text: str, found: list[Block] | None = None) -> list[tuple[int, int]]:
    """The half-open spans of the sentences of text (whose blocks are found, when given).

    >>> text = "Signed at Moscow. Mr. A. Y. Vyshinsky signed.\\n\\n双方签订条约。有效期30年。"
    >>> [text[s:e] for s, e in sentences(text)]
    ['Signed at Moscow.', 'Mr. A. Y. Vyshinsky signed.', '双方签订条约。', '有效期30年。']
    """
    spans = []
    marks = [mark.end() for mark in _END_MARK.finditer(text)]  # each in a block: marks are not white space
    next_mark = 0
    for block in blocks(text) if found is None else found:
        first = next_mark = bisect.bisect_left(marks, block.start + 1, next_mark)
        next_mark = bisect.bisect_left(marks, block.end + 1, first)
        if first == next_mark and text.find("\n", block.start, block.end) < 0:
            spans += _trimmed(text, block.start, block.end)  # one line and no mark: one sentence
            continue
        cuts = {block.start, block.end}
        for after in marks[first:next_mark]:
            # _SENTENCE_END matches only just after a mark, never across one: trying it there
            # alone finds what its finditer over the block finds.
            match = _SENTENCE_END.match(text, after, block.end)
            if match is not None and not _abbreviation_before(text, match.start()):
                cuts.add(match.end())
        cuts.update(_line_breaks(text, block.start, block.end))
        ordered = sorted(cuts)
        for left, right in zip(ordered, ordered[1:], strict=False):
            spans += _trimmed(text, left, right)
    return spans


def _trimmed(text: str, left: int, right: int) -> list[tuple[int, int]]:
    """[left, right) without white space at its ends, unless nothing is left."""
    while left < right and text[left].isspace():
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    return [(left, right)] if right > left else []
