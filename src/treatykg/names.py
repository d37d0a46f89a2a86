"""Name normalisation and tokenisation shared by the knowledge base, the gazetteer and resolution.

A name becomes a tuple of tokens: words are case-folded and stripped of diacritics, each Chinese
character is a token of its own, and dots, hyphens and quotes are dropped, so "U.S.S.R.",
"Chou En-lai" and "CHOU EN-LAI" compare by their letters alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

_TOKEN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|(?:[^\W_\u3400-\u9fff\uf900-\ufaff]|[\u0300-\u036f])+|'", re.UNICODE)
_APOSTROPHES_VARIANTS = ("\u2019", "\u2018", "`", "\u02bc")
_APOSTROPHES = str.maketrans(dict.fromkeys(_APOSTROPHES_VARIANTS, "'"))


@dataclass(frozen=True, slots=True)
class Token:
    """A token of a text: its normalised form, its surface and its half-open span."""

    norm: str
    surface: str
    start: int
    end: int


def fold(text: str) -> str:
    """Case-fold text and strip its diacritics ("Lüshun" -> "lushun"); Cyrillic letters keep
    theirs (й is not и), but ё is written е.

    >>> fold("Pékin"), fold("Lüshun"), fold("ПЕКИН"), fold("Китайской")
    ('pekin', 'lushun', 'пекин', 'китайской')
    """
    if text.isascii():  # no diacritics to strip, and casefold is lower
        return text.translate(_APOSTROPHES).lower()
    folded = []
    for char in text.translate(_APOSTROPHES).casefold():
        if "\u0400" <= char <= "\u04ff":
            folded.append("е" if char == "ё" else char)
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        folded.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return unicodedata.normalize("NFC", "".join(folded))


_RUSSIAN_ENDINGS = re.compile(r"(?:иями|ями|ами|ого|его|ому|ему|ыми|ими|ией|ией|ией|иях|ях|ах|ой|ей|ом|ем|ый|ий|ая|яя|ое|ее|ые|ие|"
                              r"ую|юю|ов|ев|ам|ям|ым|им|ия|ию|ии|а|я|о|е|ы|и|у|ю|ь|й)$")


def stem(token: str) -> str:
    """A Russian word without its case ending, so that inflected names match ("Москве", "Москва").

    >>> stem("москве") == stem("москва"), stem("республикой") == stem("республика")
    (True, True)
    """
    if not any("\u0400" <= c <= "\u04ff" for c in token):
        return token
    while len(token) > 3:
        stemmed = _RUSSIAN_ENDINGS.sub("", token)
        if stemmed == token or len(stemmed) < 3:
            break
        token = stemmed
    return token


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split text into tokens; spans are shifted by offset.

    >>> [t.norm for t in tokenize("The People's Republic of 中国")]
    ['the', 'people', "'", 's', 'republic', 'of', '中', '国']
    """
    return [Token(_norm(m.group()), m.group(), m.start() + offset, m.end() + offset) for m in _token_matches(text)]


# The tokens of _TOKEN_RE other than apostrophes (which no other token's norm equals), as the
# group of a pattern to split by; in an ASCII text they are the runs of letters and digits.
_WORD_SPLIT = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]"
                         r"|(?:[^\W_\u3400-\u9fff\uf900-\ufaff]|[\u0300-\u036f])+)")
_ASCII_WORD_SPLIT = re.compile(r"([A-Za-z0-9]+)")


def word_tokens(text: str) -> tuple[list[str], list[int], list[int]]:
    """The norms, starts and ends of the tokens of text that are not apostrophes: what tokenize
    finds, as three lists, which a scan of a whole document makes several times faster (the
    text is split by its tokens and their offsets summed up, with no object per token).

    >>> word_tokens("The People's Republic")
    (['the', 'people', 's', 'republic'], [0, 4, 11, 13], [3, 10, 12, 21])
    """
    translated = text.translate(_APOSTROPHES) if any(map(text.__contains__, _APOSTROPHES_VARIANTS)) else text
    parts = (_ASCII_WORD_SPLIT if translated.isascii() else _WORD_SPLIT).split(translated)
    offsets = list(accumulate(map(len, parts)))
    return list(map(_norm, parts[1::2])), offsets[:-1:2], offsets[1::2]


def _token_matches(text: str) -> Iterator[re.Match[str]]:
    return _TOKEN_RE.finditer(text.translate(_APOSTROPHES))


class _Norms(dict[str, str]):
    """Tokens' normalised forms: texts repeat their words, so each is folded and stemmed once, and
    kept in a plain dict, whose lookups a scan of a document maps over its words at C speed."""

    def __missing__(self, word: str) -> str:
        if len(self) >= 1 << 17:  # a bound on memory, as an lru_cache has
            self.clear()
        norm = self[word] = stem(fold(word))
        return norm


_norm = _Norms().__getitem__


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> tuple[str, ...]:
    """The token tuple a name is compared by (apostrophes dropped); names recur across mentions
    and resolution asks for each many times, so keys are kept.

    >>> name_key("U.S.S.R."), name_key("Chou En-Lai") == name_key("CHOU EN-LAI")
    (('u', 's', 's', 'r'), True)
    """
    return tuple(norm for norm in map(_norm, _TOKEN_RE.findall(name.translate(_APOSTROPHES))) if norm != "'")


@lru_cache(maxsize=1 << 16)
def clean_label(text: str) -> str:
    """A name as it should be displayed: one space between words, all-capitals made title case
    (names recur across a corpus, so each surface is cleaned once).

    >>> clean_label("TREATY OF FRIENDSHIP,\\n ALLIANCE AND MUTUAL ASSISTANCE")
    'Treaty of Friendship, Alliance and Mutual Assistance'
    >>> clean_label("CHOU EN-LAI"), clean_label("the  Soviet Union")
    ('Chou En-Lai', 'the Soviet Union')
    >>> clean_label("TRAITÉ D'AMITIÉ AVEC L'ITALIE")
    "Traité d'Amitié avec l'Italie"
    """
    previous = None
    while text != previous:  # "0 ." loses its stop, then its space
        previous = text
        text = " ".join(text.split()).strip(" ,;:").lstrip(". ")
        if text.endswith(".") and not re.search(r"(?:^|[\s.])[A-Z]\.$|\b(?:Jr|Sr)\.$", text):
            text = text.rstrip(".")
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8 and (len(letters) > 6 or " " in text):
        text = _title_case(text)
    return text


_SMALL_WORDS = {"of", "and", "the", "on", "in", "for", "between", "with", "to", "at", "by", "a", "an",
                "concerning", "regarding", "relating", "de", "du", "des", "et", "la", "le", "les", "sur",
                "avec", "à", "au", "aux", "pour", "entre", "par", "contre",
                "о", "об", "и", "в", "во", "на", "по", "с", "между"}
_ELISION = re.compile(r"([dl]['\u2019])(\w)")  # French d', l' ("d'Amitié", "l'Italie")


def _title_case(text: str) -> str:
    words = text.lower().split(" ")
    out = []
    for index, word in enumerate(words):
        if index and word in _SMALL_WORDS:
            out.append(word)
        elif index and _ELISION.match(word):
            out.append(_ELISION.sub(lambda m: m.group(1) + m.group(2).upper(), word, count=1))
        else:
            out.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    titled = " ".join(out)
    return re.sub(r"'S\b", "'s", titled)


_ROMANIZATION_STEPS = tuple((re.compile(pattern), replacement) for pattern, replacement in (
    (r"hs", "x"), (r"tz|ts|zh|ch|j|q|z|c", "c"), (r"ieh\b", "ie"), (r"ih\b", "i"), (r"ung\b", "ong"),
    (r"[kg]", "k"), (r"[td]", "t"), (r"[pb]", "p"), (r"r", "j"), (r"yu", "y"), (r"ü|u:", "u"),
))
_MARKS = re.compile(r"['`]")


@lru_cache(maxsize=1 << 14)
def romanization_key(name: str) -> str:
    """A coarse key under which Wade-Giles and pinyin spellings of a Chinese name agree.

    Syllables of a given name are joined, aspiration marks dropped, and the letters the two
    systems write differently are folded together.

    >>> romanization_key("Chou En-lai") == romanization_key("Zhou Enlai")
    True
    >>> romanization_key("Wang Shih-chieh") == romanization_key("Wang Shijie")
    True
    >>> romanization_key("Mao Tse-tung") == romanization_key("Mao Zedong")
    True
    >>> romanization_key("Liu Shao-chi") == romanization_key("Liu Shaoqi")
    True
    """
    words = fold(name).replace("\u2019", "'").split()
    folded = []
    for word in words:
        syllables = [_MARKS.sub("", syllable) for syllable in word.split("-")]
        for index, syllable in enumerate(syllables):
            for pattern, replacement in _ROMANIZATION_STEPS:
                syllable = pattern.sub(replacement, syllable)
            syllables[index] = syllable
        folded.append("".join(syllables))
    return " ".join(folded[:1] + ["".join(folded[1:])] if len(folded) > 1 else folded)
