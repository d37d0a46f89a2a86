"""What a SPARQL query's text says before any parser reads it: its keywords (the words outside
strings, IRIs and comments), its number of tokens and how deeply its brackets nest.

A build's store answers with Oxigraph, whose parser and evaluator recurse on a query's structure
and cannot be interrupted: a query of 5,000 nested brackets or BINDs, or of 20,000 terms joined by
`+`, `&&`, `|` or `/`, kills the whole process (a stack overflow), and rdflib's parser lets the
long chains through. `measure` counts both, so that treatykg.query refuses such a query before
Oxigraph sees it. It is also how treatykg.query tells, in microseconds instead of the 10 to 70 ms
rdflib's parser takes, that a query holds none of the words a refusal looks for, so that only
queries holding one are parsed by rdflib.

The tokens are those of the SPARQL grammar (the terminals of section 19.8 of the recommendation).
What the scanner leaves to a parser (a `\\u` escape, a quote no string closes) makes the text
not `readable`, and treatykg.query then has rdflib parse it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TOKENS = 4_000
MAX_DEPTH = 128

# Whatever the grammar reads as a string, an IRI or a comment, in the order a lexer must try them
# (long strings before short ones), variables and numbers; then words. A word next to a colon is
# part of a prefixed name ("ex:from", "service:p") or a blank-node label, not a keyword.
_TOKEN = re.compile(r"""
      (?P<skip>
          '''(?:(?:'|'')?(?:[^'\\]|\\[tbnrf\\"']))*'''
        | \"\"\"(?:(?:"|"")?(?:[^"\\]|\\[tbnrf\\"']))*\"\"\"
        | '(?:[^'\\\n\r]|\\[tbnrf\\"'])*'
        | "(?:[^"\\\n\r]|\\[tbnrf\\"'])*"
        | <[^<>"{}|^`\\\x00-\x20]*>
        | \#[^\n\r]*
        | [?$]\w+
        | \d+(?:\.\d*)?(?:[eE][+-]?\d+)?
      )
    | (?P<word>[^\W\d]\w*)
    | (?P<open>[{(\[])
    | (?P<close>[})\]])
    | (?P<space>\s+)
    | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class QueryText:
    """The upper-cased keywords of a query, its number of tokens and the depth of its brackets;
    `readable` is False where the text holds what this scanner leaves to a parser (a `\\u`
    escape, which SPARQL expands before reading the tokens, or a quote no string closes)."""

    words: frozenset[str]
    tokens: int
    depth: int
    readable: bool


def measure(sparql: str) -> QueryText:
    """The keywords, size and depth of a query's text."""
    words: set[str] = set()
    tokens = depth = deepest = 0
    readable = "\\u" not in sparql and "\\U" not in sparql
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup
        if kind == "space":
            continue
        tokens += 1
        if kind == "word" and not _in_name(sparql, match.start(), match.end()):
            words.add(match.group().upper())
        elif kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth -= 1
        elif kind == "other" and match.group() in "'\"":
            return QueryText(frozenset(words), tokens, deepest, False)  # the rest is one string to a parser
    return QueryText(frozenset(words), tokens, deepest, readable)


def _in_name(sparql: str, start: int, end: int) -> bool:
    """Whether the word from start to end is the prefix or the local part of a prefixed name."""
    return sparql[start - 1:start] == ":" or sparql[end:end + 1] == ":"
