"""Whole-text pattern scans that try a pattern only where a match can begin.

Python's regex engine tries a pattern at every character of a text unless the pattern opens with
a literal or a character set it can skip to; a pattern that opens with a word boundary or with
case-insensitive words is tried everywhere, which is what most of the time of extraction went
to. `finditer` instead looks for the places a match can begin with a cheap pattern of starts,
and tries the full pattern only there. The starts must match wherever the pattern can; the
matches are then exactly those of `pattern.finditer`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator


def word_starts(words: Iterable[str], chars: str = "") -> str:
    """The regex source of starts for a pattern that opens with one of words (matched
    case-insensitively) or, with chars (the inside of a character class), with one of those
    characters wherever it stands.

    The source opens with a case-sensitive class of every character the first letters match in
    either case (found by the regex engine itself, so that 'ſ' counts for 's' and 'K' for 'k'),
    which the engine skips to without trying the pattern at the characters between; a negative
    lookbehind then stands for the word boundary before the first letter, and the rest of the
    words are grouped by their first letter."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        by_first.setdefault(word[0], []).append(re.escape(word[1:]))
    firsts = "".join(sorted(by_first))
    if not all(re.match(r"\w", first) for first in firsts):
        raise ValueError(f"words must begin with a word character: {firsts!r}")
    branches = "|".join(f"(?<={re.escape(first)})(?:{'|'.join(rests)})" for first, rests in sorted(by_first.items()))
    letters = "".join(_class_escape(c) for c in firsts)
    opening = set(firsts) | set(_case_variants(letters)) | set(_case_variants(chars) if chars else ())
    alone = f"(?<=[{chars}])|" if chars else ""
    return f"(?-i:[{''.join(_class_escape(c) for c in sorted(opening))}])(?:{alone}(?<!\\w.)(?:{branches}))"


# Each pattern `opening` compiled, with the plain pattern it stands for (tests/test_scan.py
# checks that the two find the same matches).
PLAIN: dict[re.Pattern[str], re.Pattern[str]] = {}


def opening(alternatives: Iterable[str], rest: str = "", flags: int = 0, *, boundary: bool = True) -> re.Pattern[str]:
    """The pattern `\\b(?:alternative|…)rest` (without `\\b` when not boundary), compiled so that
    the engine skips to the characters a match can begin with instead of trying the pattern at
    every character: its matches are exactly the plain pattern's.

    Each alternative must open with a literal character (a word character with boundary) that no
    quantifier follows. The compiled source opens with a case-sensitive class of those characters
    in every case the flags let them match, then a lookbehind for the word boundary, then each
    alternative with its first character checked by a lookbehind."""
    alternatives = list(alternatives)
    for alternative in alternatives:
        first, second = alternative[:1], alternative[1:2]
        if not first or first in "\\()[].^$|*+?{" or second in ("*", "+", "?", "{") \
                or boundary and not re.match(r"\w", first):
            raise ValueError(f"an alternative must open with a literal character: {alternative!r}")
    firsts = "".join(sorted({a[0] for a in alternatives}))
    characters = "".join(_class_escape(c) for c in firsts)
    class_ = set(firsts) | set(_case_variants(characters) if flags & re.IGNORECASE else ())
    branches = "|".join(f"(?<={re.escape(a[0])}){a[1:]}" for a in alternatives)
    fast = re.compile(f"(?-i:[{''.join(_class_escape(c) for c in sorted(class_))}])"
                      + ("(?<!\\w.)" if boundary else "") + f"(?:{branches}){rest}", flags)
    PLAIN[fast] = re.compile(("\\b" if boundary else "") + f"(?:{'|'.join(alternatives)}){rest}", flags)
    return fast


def _class_escape(character: str) -> str:
    return "\\" + character if character in "\\]^-[" else character


@functools.cache
def _case_variants(characters: str) -> list[str]:
    """Every character of the Basic Multilingual Plane that the class [characters] matches
    ignoring case (no character beyond it matches a Latin, Greek or Cyrillic letter;
    tests/test_scan.py checks the starts the package uses against every code point)."""
    return re.compile(f"[{characters}]", re.IGNORECASE).findall(_bmp())


@functools.cache
def _bmp() -> str:
    return "".join(map(chr, range(0x10000)))


def finditer(pattern: re.Pattern[str], starts: re.Pattern[str] | WordStarts | None, text: str, pos: int = 0,
             endpos: int | None = None, *, lines: re.Pattern[str] | None = None) -> Iterator[re.Match[str]]:
    """The matches of pattern.finditer(text, pos, endpos), trying pattern only where starts matches
    or, with lines (from `line_starts`), at the line starts from which an alternative `^\\s*X` of a
    MULTILINE pattern can match (pattern must not match the empty string).

    Tried at every line start of a run of blank lines, `^\\s*X` scans the rest of the run each
    time (16,000 blank lines took half a minute). Its matches are those of X at the first
    character q after the run, so only the first line start of the run (not before the last match)
    can give the match finditer finds there: that one is tried, once. A pattern with lines alone
    is run as it is over texts whose runs of blank lines are short (`_long_blank_run`)."""
    if isinstance(starts, WordStarts):
        places = starts.positions(text) if lines is None else None
        if places is not None:
            return _finditer_at(pattern, places, text, pos, len(text) if endpos is None else endpos)
        starts = starts.regex
    if starts is None and lines is not None and not _long_blank_run(text):
        return pattern.finditer(text, pos, len(text) if endpos is None else endpos)
    return _finditer(pattern, starts, text, pos, endpos, lines)


def _finditer_at(pattern: re.Pattern[str], places: list[int], text: str, pos: int, end: int
                 ) -> Iterator[re.Match[str]]:
    """The matches of pattern.finditer(text, pos, end), given the places (in order) where they can begin."""
    floor = pos
    for at in places:
        if at < floor:
            continue
        if at >= end:
            return
        match = pattern.match(text, at, end)
        if match is not None:
            yield match
            floor = max(match.end(), at + 1)


class WordStarts:
    """Where a pattern that opens with one of some words (or with one of some characters, anywhere)
    can match: the places where one of the words begins a word, found by str.find, which is many
    times faster than a pattern tried along the text while the words are few. The places are
    those of `regex` (the source of `word_starts`, compiled with the same case flag).

    With ignore_case the words are looked for in the text's lower case. A text holding a
    character that re.IGNORECASE takes for one of their letters without being it in lower case
    ('ſ' for 's'), or 'İ' (whose lower case is two characters, which would shift the places),
    gets None: it is scanned with `regex`."""

    def __init__(self, words: Iterable[str], chars: str = "", *, ignore_case: bool = False) -> None:
        words = sorted(set(words))
        self.regex = re.compile(word_starts(words, chars), re.IGNORECASE if ignore_case else 0)
        # a word that another word begins with is found where that one is
        self.words = [w.lower() if ignore_case else w for w in words
                      if not any(o != w and w.startswith(o) for o in words)]
        self.ignore_case = ignore_case
        self.letters = "".join(sorted(set("".join(self.words))))
        self.chars = re.compile(f"[{chars}]", re.IGNORECASE if ignore_case else 0) if chars else None

    def positions(self, text: str) -> list[int] | None:
        """The places in order, or None when only `regex` can tell them (see the class)."""
        searched = text
        if self.ignore_case:
            if "\u0130" in text or any(map(text.__contains__, _unlike_lower(self.letters))):
                return None
            searched = _lower(text)
        found = [m.start() for m in self.chars.finditer(text)] if self.chars is not None else []
        for word in self.words:
            at = searched.find(word)
            while at >= 0:
                if not at or not (text[at - 1].isalnum() or text[at - 1] == "_"):  # no \w before
                    found.append(at)
                at = searched.find(word, at + 1)
        found.sort()
        return found


# Nine line starts in one run of white space: with fewer, a line-anchored pattern tried at each
# of them scans the run at most eight times over.
_BLANK_RUN = re.compile(r"\n(?:[^\S\n]*\n){8}")


@functools.lru_cache(maxsize=4)
def _long_blank_run(text: str) -> bool:
    return _BLANK_RUN.search(text) is not None


def _finditer(pattern: re.Pattern[str], starts: re.Pattern[str] | None, text: str, pos: int,
              endpos: int | None, lines: re.Pattern[str] | None) -> Iterator[re.Match[str]]:
    end = len(text) if endpos is None else endpos
    word = starts.search(text, pos, end) if starts is not None else None
    floor, line_from, line = pos, pos, None
    while True:
        if lines is not None and line is None and line_from <= end:
            line = _line_candidate(lines, text, line_from, floor, end)
            if line is None:
                line_from = end + 1
        if word is None and line is None:
            return
        at = line[0] if word is None or (line is not None and line[0] <= word.start()) else word.start()
        match = pattern.match(text, at, end)
        if line is not None and line[0] == at:
            line_from, line = line[1] + 1, None
        if match is None:
            pos = at + 1
        else:
            yield match
            pos = floor = max(match.end(), at + 1)
            if line is not None and line[0] < pos:
                line_from, line = pos, None
            line_from = max(line_from, pos)
        if starts is not None and (word is None or word.start() < pos):
            word = starts.search(text, pos, end)
        elif starts is None:
            word = None


def line_starts(characters: str, flags: int = 0) -> re.Pattern[str]:
    """For `finditer`'s lines: a line's start, when the first character after its indentation is
    one of characters (the inside of a class; flags as the pattern's) with which X can open; X
    must not open with white space."""
    return re.compile(f"^[^\\S\\n]*+(?=[{characters}])", re.MULTILINE | (flags & re.IGNORECASE))


def _line_candidate(lines: re.Pattern[str], text: str, search_from: int, floor: int, end: int) -> tuple[int, int] | None:
    """The first line start not before floor from which white space alone leads to the character
    lines finds after search_from, with the start of that character's own line."""
    found = lines.search(text, search_from, end)
    if found is None:
        return None
    own = found.start()
    run = own
    while run > floor and text[run - 1].isspace():
        run -= 1
    if run == 0 or text[run - 1] == "\n":
        return run, own
    newline = text.find("\n", run, own)
    return (newline + 1 if newline >= 0 else own), own


# Each pattern given Anchors, with them (tests/test_scan.py checks that every match holds one).
ANCHORED: dict[re.Pattern[str], Anchors] = {}


class Anchors:
    """Words one of which every match of a pattern holds, so that a text holding none of them
    need not be scanned (a `str.find` of a word runs many times faster than a pattern tried
    along the text).

    With ignore_case the words are compared as re.IGNORECASE compares: the text's lower case
    must lack them, and the text must hold no character that the engine takes for one of their
    letters without being that letter in lower case ('ſ' matches 's', 'İ' matches 'i'), else
    it is never said to lack them."""

    def __init__(self, pattern: re.Pattern[str], *words: str, ignore_case: bool = False) -> None:
        if not words or ignore_case and any(word != word.lower() for word in words):
            raise ValueError(f"anchors must be words in lower case with ignore_case: {words!r}")
        self.words = words
        self.ignore_case = ignore_case
        self.letters = "".join(sorted(set("".join(words))))
        ANCHORED[pattern] = self

    def absent(self, text: str) -> bool:
        """Whether text holds none of the words (then the pattern cannot match in it)."""
        if not self.ignore_case:
            return not any(map(text.__contains__, self.words))
        if any(map(text.__contains__, _unlike_lower(self.letters))):
            return False
        lowered = _lower(text)
        return not any(map(lowered.__contains__, self.words))


@functools.lru_cache(maxsize=2)
def _lower(text: str) -> str:
    return text.lower()


@functools.cache
def _unlike_lower(letters: str) -> str:
    """The characters that re.IGNORECASE matches with one of letters (in lower case) but whose
    lower case is not that letter."""
    return "".join(sorted({c for letter in letters for c in _case_variants(_class_escape(letter))
                           if c.lower() != letter}))
