"""Whole-text pattern scans that try a pattern only where a match can begin.

Python's regex engine tries a pattern at every character of a text unless the pattern opens with
a literal or a character set it can skip to; a pattern that opens with a word boundary or with
case-insensitive words is tried everywhere, which is what most of the time of extraction went
to. `finditer` instead looks for the places a match can begin with a cheap pattern of starts,
and tries the full pattern only there. The starts must match wherever the pattern can; the
matches are then exactly those of `pattern.finditer`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def word_starts(words: Iterable[str]) -> str:
    """The regex source of starts for a pattern that opens with one of words (matched
    case-insensitively): the words after a word boundary, grouped by their first letter, which the
    engine rejects at a glance."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        by_first.setdefault(word[0], []).append(re.escape(word[1:]))
    return r"\b(?:" + "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in sorted(by_first.items())) + ")"


def finditer(pattern: re.Pattern[str], starts: re.Pattern[str], text: str, pos: int = 0,
             endpos: int | None = None) -> Iterator[re.Match[str]]:
    """The matches of pattern.finditer(text, pos, endpos), trying pattern only where starts matches
    (pattern must not match the empty string)."""
    end = len(text) if endpos is None else endpos
    while (start := starts.search(text, pos, end)) is not None:
        match = pattern.match(text, start.start(), end)
        if match is None:
            pos = start.start() + 1
        else:
            yield match
            pos = max(match.end(), start.start() + 1)
