"""Official languages: "Official texts: Russian and Chinese", "in the Russian and Chinese
languages, both texts being equally authentic", "Done at … in the English and Japanese languages",
"Textes officiels russe et chinois", "dont les textes français et anglais feront foi",
"以中文和俄文写成，两种文本具有同等效力".

Produces officialLanguage as ISO 639-1 codes, for the instrument of the section.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import scan
from ..annotate import AnnotatedDocument
from ..facts import Fact, Mention, Value

NAME = "treaty.languages"
LANGUAGES = {
    "english": "en", "french": "fr", "russian": "ru", "chinese": "zh", "spanish": "es", "german": "de",
    "japanese": "ja", "korean": "ko", "arabic": "ar", "hindi": "hi", "urdu": "ur", "mongolian": "mn",
    "italian": "it", "polish": "pl", "czech": "cs", "slovak": "sk", "hungarian": "hu", "romanian": "ro",
    "bulgarian": "bg", "serbo-croatian": "sh", "finnish": "fi", "swedish": "sv", "norwegian": "no", "danish": "da",
    "dutch": "nl", "portuguese": "pt", "greek": "el", "turkish": "tr", "persian": "fa", "vietnamese": "vi",
    "indonesian": "id", "thai": "th", "burmese": "my", "albanian": "sq", "hebrew": "he",
    "anglais": "en", "français": "fr", "francais": "fr", "russe": "ru", "chinois": "zh", "espagnol": "es",
    "allemand": "de", "japonais": "ja", "coréen": "ko", "arabe": "ar", "mongol": "mn", "italien": "it",
    "polonais": "pl", "française": "fr", "anglaise": "en", "italienne": "it", "espagnole": "es", "allemande": "de",
    "chinoise": "zh", "japonaise": "ja", "coréenne": "ko", "roumaine": "ro", "hongroise": "hu", "bulgare": "bg", "tchèque": "cs", "hongrois": "hu", "roumain": "ro", "finnois": "fi",
    "中文": "zh", "汉文": "zh", "俄文": "ru", "日文": "ja", "朝鲜文": "ko", "英文": "en", "法文": "fr", "德文": "de",
    "蒙古文": "mn", "西班牙文": "es", "阿拉伯文": "ar", "印地文": "hi",
    "русском": "ru", "китайском": "zh", "английском": "en", "французском": "fr", "японском": "ja",
}
_CJK_NAMES = [k for k in LANGUAGES if "\u4e00" <= k[0] <= "\u9fff"]  # listed by _CJK, without spaces or "and"
_NAMES = "|".join(sorted((re.escape(k) for k in LANGUAGES if k not in _CJK_NAMES), key=len, reverse=True))
_LIST = rf"(?P<list>(?:{_NAMES})(?:\s*(?:,|and|et|и)\s*(?:the\s+)?(?:{_NAMES}))*)"
# the languages a text is written in ("Done … in the English and Japanese languages", "en langues
# française et polonaise"), which are its authentic ones unless the document names those
_EN_LANGUES = scan.opening(["en"], rf"\s+langues?\s+{_LIST}", re.IGNORECASE)
_NA_YAZYKAKH = scan.opening(["на"], rf"\s+{_LIST}\s+языках", re.IGNORECASE)
_DONE_IN = scan.opening(["done"], rf"\s[^.;]{{0,120}}?\bin\s+the\s+{_LIST}\s+languages?\b", re.IGNORECASE)
_WRITTEN_IN = frozenset({_EN_LANGUES, _NA_YAZYKAKH, _DONE_IN})
_STATEMENTS = [
    scan.opening(["Official"], rf"\s+texts?\s*:?\s*{_LIST}", re.IGNORECASE),
    scan.opening(["Textes?"], rf"\s+officiels?\s*:?\s*{_LIST}", re.IGNORECASE),
    scan.opening(["in"], rf"\s+the\s+{_LIST}\s+languages?\b(?=[^.]{{0,80}}authentic)", re.IGNORECASE),
    scan.opening(["the", "whose", r"of\s+which\s+the"], rf"\s+{_LIST}\s+texts?\b(?=[^.]{{0,40}}(?:equally\s+)?authentic)",
                 re.IGNORECASE),
    re.compile(rf"^\s*(?:[-*•|]\s*)?Languages?\s*[:|]?\s*{_LIST}\s*\|?\s*$", re.IGNORECASE | re.MULTILINE),
    _EN_LANGUES,
    _NA_YAZYKAKH,
    # "dont les textes français, anglais et russe feront foi", "les textes … faisant également foi"
    scan.opening(["textes"], rf"\s+(?:en\s+langues?\s+)?{_LIST}\s+(?:feront|font|faisant)\s+"
                             r"(?:également\s+)?foi\b", re.IGNORECASE),
    _DONE_IN,
]
_AUTHENTIC = scan.opening(["authentic"], flags=re.IGNORECASE, boundary=False)  # in every match of _STATEMENTS[2:4]
_AUTHENTIC_ANCHORS = scan.Anchors(_AUTHENTIC, "authentic", ignore_case=True)
_FIELD_LINES = scan.line_starts("-*•|L", re.IGNORECASE)  # where _STATEMENTS[4] can match
_CJK = re.compile(r"(?P<list>(?:中文|汉文|俄文|日文|朝鲜文|英文|法文|德文|蒙古文|西班牙文|阿拉伯文|印地文)(?:(?:和|、|及)(?:中文|汉文|俄文|日文|朝鲜文|英文|法文|德文|蒙古文|西班牙文|阿拉伯文|印地文))+)"
                  r"(?=写成|書就|书就|[^。]{0,30}同等效力)")


# A word that every match of each statement holds (_STATEMENTS[2:4] need "authentic" after it as well).
_ANCHORS = {pattern: scan.Anchors(pattern, word, ignore_case=pattern is not _CJK) for pattern, word in zip(
    [*_STATEMENTS, _CJK],
    ["official", "officiel", "language", "text", "language", "langue", "языках", "foi", "language", "文"],
    strict=True)}


class LanguagesExtractor:
    """The languages an instrument's authentic texts are written in."""

    name = NAME
    version = 1
    produces = frozenset({"officialLanguage"})
    requires = frozenset({"instruments", "sections"})

    def extract(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        found = list(self._statements(doc))
        authenticated = {subject for subject, match, pattern in found if pattern not in _WRITTEN_IN}
        for subject, match, pattern in found:
            if pattern in _WRITTEN_IN and subject in authenticated:
                continue  # "Done … in the French, English, Russian and Italian languages", three authentic
            for code in _codes(match.group("list")):
                yield doc.fact(subject, "officialLanguage", Value(code), match.start(), match.end(),
                               extractor=f"{NAME}.v1")

    def _statements(self, doc: AnnotatedDocument) -> Iterator[tuple[Mention, re.Match[str], re.Pattern[str]]]:
        # _STATEMENTS[2:4] match only before "authentic": where it may stand, they are run and tell
        authentic = not _AUTHENTIC_ANCHORS.absent(doc.text)
        for pattern in [*_STATEMENTS, _CJK]:
            if not authentic and (pattern is _STATEMENTS[2] or pattern is _STATEMENTS[3]) \
                    or _ANCHORS[pattern].absent(doc.text):
                continue
            lines = _FIELD_LINES if pattern is _STATEMENTS[4] else None
            for match in scan.finditer(pattern, None, doc.text, lines=lines) if lines else pattern.finditer(doc.text):
                instrument = doc.focal(match.start())
                if instrument is not None:
                    yield doc.instrument_mention(instrument), match, pattern


# every name a statement can list
_LANGUAGE_NAME = re.compile(_NAMES + "|" + "|".join(_CJK_NAMES), re.IGNORECASE)


def _codes(listed: str) -> list[str]:
    codes = []
    for word in _LANGUAGE_NAME.findall(listed):
        code = LANGUAGES[word.lower()]
        if code not in codes:
            codes.append(code)
    return codes
