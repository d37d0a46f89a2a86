"""A cleaned view of a document's text that maps every position back to the original.

Extractors match patterns on the view, where footnote markers, typographic quotes and
line-end hyphenation no longer split words, and report offsets into the original text so
that every piece of evidence quotes the document exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DROPPED = set("\u00b9\u00b2\u00b3\u2070\u2071\u2074\u2075\u2076\u2077\u2078\u2079\u00ad\u200b\u200c\u200d\ufeff*")
_REPLACED = {
    "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u3000": " ",
    "\u2010": "-", "\u2011": "-", "\r": "\n", "\t": " ",
}
# Characters the view keeps as they are wherever they stand: no digit (a footnote number may be
# dropped), hyphen, carriage return, dropped or replaced character is among them. Runs of them are
# copied whole, which is what makes the view fast; everything else goes character by character:
# _SPECIAL finds it, and also an ASCII digit after a letter (a footnote number begins only after
# four letters; any other ASCII digit is kept as it is).
_PLAIN = r"\n !\"#$%&'()+,./:;<=>?@A-Z\[\\\]^_`a-z{|}~\u00c0-\u036f\u0370-\u052f\u3001-\u303f\u3400-\u9fff"
_PLAIN_RUN = re.compile(f"[{_PLAIN}]+")
_SPECIAL = re.compile(f"[^{_PLAIN}](?:(?<![0-9])|(?<=[^\\W\\d_][0-9]))")


@dataclass(frozen=True, slots=True)
class TextView:
    """The cleaned text and, for each of its characters, the index in the original."""

    text: str
    origin: tuple[int, ...]
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the view to the half-open span of the original it covers."""
        if start >= end:
            position = self.origin[start] if start < len(self.origin) else self.original_length
            return position, position
        return self.origin[start], self.origin[end - 1] + 1


def _joins_hyphenated_word(text: str, index: int) -> int:
    """Length of a line-end hyphenation ("AGREE-\\nMENTS") starting at index, or 0."""
    if text[index] != "-" or index == 0 or not text[index - 1].isalpha():
        return 0
    cursor = index + 1
    while cursor < len(text) and text[cursor] in " \r":
        cursor += 1
    if cursor >= len(text) or text[cursor] != "\n":
        return 0
    cursor += 1
    while cursor < len(text) and text[cursor] == " ":
        cursor += 1
    if cursor < len(text) and text[cursor].isalpha() and text[cursor].isupper() == text[index - 1].isupper():
        if text[cursor].islower() or text[index - 1].isupper():
            return cursor - index
    return 0


def _caps_footnote_digits(text: str, index: int) -> int:
    """Length of a footnote number glued to a word in capitals ("TREATY1 BANNING"), or 0."""
    if not text[index].isdigit() or index < 4 or not text[index - 4:index].isalpha() or not text[index - 4:index].isupper():
        return 0
    end = index
    while end < len(text) and text[end].isdigit():
        end += 1
    if end - index > 2 or end < len(text) and not text[end].isspace() and text[end] not in ",.;:":
        return 0
    return end - index


def make_view(text: str) -> TextView:
    """Build the cleaned view of text.

    >>> view = make_view("AGREE-\\nMENTS of 1945,\\u00b9 \\u201cfinal\\u201d")
    >>> view.text
    'AGREEMENTS of 1945, "final"'
    >>> view.to_original(0, 10)
    (0, 12)
    """
    chars: list[str] = []
    origin: list[int] = []
    kept = 0  # the text before kept is in the view
    for special in _SPECIAL.finditer(text):
        index = special.start()
        if index < kept:  # inside a joined hyphenation or a footnote number
            continue
        chars.append(text[kept:index])
        origin.extend(range(kept, index))
        kept = _clean_char(text, index, chars, origin)
    chars.append(text[kept:])
    origin.extend(range(kept, len(text)))
    return TextView("".join(chars), tuple(origin), len(text))


def _clean_char(text: str, index: int, chars: list[str], origin: list[int]) -> int:
    """Put the character at index into the view as cleaned (if it stays); return the next index."""
    char = text[index]
    skip = _joins_hyphenated_word(text, index) if char == "-" else _caps_footnote_digits(text, index)
    if skip:
        return index + skip
    if char == "\r" and index + 1 < len(text) and text[index + 1] == "\n":
        return index + 1
    if char not in _DROPPED:
        chars.append(_REPLACED.get(char, char))
        origin.append(index)
    return index + 1
