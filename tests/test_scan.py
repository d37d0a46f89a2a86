"""Tests for treatykg.scan: a pattern tried only where its starts match finds what finditer finds.

Each pattern scanned this way is paired with its starts; texts are built from the words the
pattern and its neighbours use, in odd cases, so that a start the pattern can take but its
starts pattern misses would show.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treatykg import dates, gazetteer, instruments, scan
from treatykg.extractors import (
    abrogation,
    entry_into_force,
    part_of,
    recognition,
    signers,
    signing,
    termination,
)

SEPARATORS = [" ", "  ", "\n", "\n\n", ",", ".", "-", "(", "'", "x", "1", "14", "1950", "ſ", "K", "İ", "ı"]
DATE_WORDS = ["14", "1", "3", "1950", "2001", "-02-", "th", "day of", "the", "February", "feb", "SEPT", "Auguſt",
              "May", "twenty", "fifth", "first", "one thousand nine hundred and", "fifty", "premier", "janvier",
              "mille neuf cent", "vingt", "мая", "г.", "一九五〇", "二", "年", "月", "日"]
KEYWORD_WORDS = ["Treaty", "treaties", "TREATY", "Pact", "traités", "Exchange of Notes", "échange de lettres",
                 "обменом нотами", "Joint Declaration", "joint communiqué", "Communique", "коммюнике",
                 "armistice agreement", "Agreements", "accord", "соглашение", "Convention", "конвенции", "Protocol",
                 "protocole", "протокол", "déclaration commune", "Declaration", "договор", "декларации", "пакта"]

CLAUSE_WORDS = ["came into force on", "Entered Into Effect", "enters into force for Japan from the", "was put into force",
                "entrée en vigueur le", "entrées en vigueur", "\n  Effective: ", "\nEntry into force ", "date of entry into force:",
                "вступил в силу с", "signed at Moscow, on", "DONE at", "Signé à Paris, le", "fait à", "concluded in",
                "подписано в", "signed by them on", "voted to formally terminate its obligations under",
                "denounced", "withdrew from", "renounces", "has ceased to have effect", "are hereby abrogated",
                "shall become null and void", "declared null and void", "which will replace", "supersedes", "以代替",
                "废除", "hereby recognizes", "de jure accepted that", "a reconnu", "ont reconnu", "forms an integral part of",
                "constitutes part of", "is part of", "V. V. Giri", "A. Y. Vyshinsky", "Mr. J. F. Dulles", "И. В. Сталиным",
                "Dean G. Acheson", "x.A. Bc", "1 14", "Signed at Moscow, on 14 February 1950",
                "concluded in Paris on the 3 May 1951", "signé à Paris le 3 janvier 1956"]

TITLE_WORDS = ["Mr.", "Mrs", "M.", "Dr", "Messrs.", "Shrimati", "Lieutenant General", "Major  General",
               "Generalissimo", "diplomat", "Councilor", "Councillor", "Vice-Premier", "Vice Chairman",
               "Prime Minister",
               "Foreign\nMinister", "Secretary of State", "Secretary-General", "Field Marshal", "Sir", "xMr",
               "Zhou Enlai", "Dean G. Acheson", "V. K. Wellington Koo", "de Gaulle", "Ab", "mr"]
STATE_WORDS = ["People's", "Democratic", "Socialist", "Federal", "United", "Arab", "Islamic", "Popular",
               "Republic", "Kingdom", "Federation", "Empire", "Principality", "Grand Duchy", "Sultanate",
               "Emirate", "Commonwealth", "Confederation", "of", "the", "Xanadu", "Nepal", "New Zealand",
               "xRepublic", "REPUBLIC"]

SIGNER_WORDS = ["Yoshida signed for Japan", "initialled it on behalf of the United States", "signed",
                "initialled", "initialed", "Signed", "for", "on behalf of", "the Treaty", "it", "Japan",
                "the United States", "and", "xsigned", "\tsigned"]

SCANS = [
    pytest.param(dates.DATE_RE, dates._DATE_START, DATE_WORDS, id="dates"),
    pytest.param(instruments.KEYWORD_RE, instruments._KEYWORD_STARTS, KEYWORD_WORDS, id="instrument-keywords"),
    pytest.param(gazetteer._INITIALS_SURNAME, gazetteer._INITIALS_STARTS, CLAUSE_WORDS, id="initialled-persons"),
    pytest.param(gazetteer._PERSON_AFTER_TITLE, gazetteer._TITLE_STARTS, TITLE_WORDS, id="titled-persons"),
    pytest.param(gazetteer._STATE_SHAPED, gazetteer._STATE_SHAPED_STARTS, STATE_WORDS, id="state-shaped"),
    pytest.param(entry_into_force._IN_FORCE, entry_into_force._IN_FORCE_STARTS, CLAUSE_WORDS, id="in-force"),
    pytest.param(signing._SIGNED_AT, signing._SIGNED_AT_STARTS, CLAUSE_WORDS + DATE_WORDS, id="signed-at"),
    pytest.param(signing._SIGNED_ON, signing._SIGNED_ON_STARTS, CLAUSE_WORDS + DATE_WORDS, id="signed-on"),
    pytest.param(termination._ACT, termination._ACT_STARTS, CLAUSE_WORDS, id="termination-acts"),
    pytest.param(signers._PEOPLE_FOR, signers._PEOPLE_FOR_STARTS, SIGNER_WORDS, id="people-signed-for"),
    pytest.param(abrogation._DECLARED_BEFORE, abrogation._DECLARED_BEFORE_STARTS, CLAUSE_WORDS, id="abrogated-before"),
    pytest.param(abrogation._DECLARED_AFTER, abrogation._DECLARED_AFTER_STARTS, CLAUSE_WORDS, id="abrogated-after"),
    pytest.param(part_of._PART, part_of._PART_STARTS, CLAUSE_WORDS, id="part-of"),
]

# Patterns with a line-anchored alternative ^\s*X: the line starts from which it can match.
LINES = {entry_into_force._IN_FORCE: entry_into_force._IN_FORCE_LINES}


def _texts(words: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(words + SEPARATORS), max_size=16).map("".join) | st.text(max_size=40)


@pytest.mark.parametrize(("pattern", "starts", "words"), SCANS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_scan_finds_what_finditer_finds(pattern: re.Pattern[str], starts: re.Pattern[str], words: list[str],
                                        data: st.DataObject) -> None:
    text = data.draw(_texts(words))
    expected = [(m.span(), m.lastgroup) for m in pattern.finditer(text)]
    assert [(m.span(), m.lastgroup) for m in scan.finditer(pattern, starts, text, lines=LINES.get(pattern))] == expected


@pytest.mark.parametrize(("pattern", "starts", "words"), SCANS)
def test_scan_finds_every_word_list_match(pattern: re.Pattern[str], starts: re.Pattern[str], words: list[str]) -> None:
    text = " ".join(words + [w.upper() for w in words] + [w.title() for w in words])
    expected = [m.span() for m in pattern.finditer(text)]
    assert expected and [m.span() for m in scan.finditer(pattern, starts, text, lines=LINES.get(pattern))] == expected


def test_scan_honours_pos_and_endpos() -> None:
    pattern, starts = re.compile(r"\bab+", re.IGNORECASE), re.compile(scan.word_starts(["ab"]), re.IGNORECASE)
    text = "ab abb xab ABBB ab"
    assert [m.span() for m in scan.finditer(pattern, starts, text, 1, 14)] == \
        [m.span() for m in pattern.finditer(text, 1, 14)]


# Every pattern scan.opening compiled, paired with the plain pattern it stands for.
import treatykg.extractors  # noqa: E402, F401  (imports every extractor, so that PLAIN is complete)

OPENING_WORDS = CLAUSE_WORDS + DATE_WORDS + KEYWORD_WORDS + [
    "This Treaty shall remain in force for thirty years", "remains valid for a term of 5 (five) years", "shall be",
    "with a validity period of 30 years", "term of validity shall be twenty years", "сроком на двадцать лет",
    "в течение пяти лет", "Official texts: Russian and Chinese", "Textes officiels : russe et chinois",
    "in the Russian and Chinese languages, both texts being equally authentic", "the English and French texts are",
    "of which the Russian text is authentic", "en langues française et anglaise", "на русском и китайском языках",
    "Russian", "and", "et", "authentic", "whose", "in", "the", "на", "en", "texts", "Official",
    "Premier Zhou Enlai", "Mr. Dean Acheson", "M. Schuman", "Vice-Premier Chen Yi", "diplomat Wellington Koo",
    "Secretary of State John Foster Dulles", "Field Marshal", "Mrs.", "AUTHENTIC", "Authentic",
    "l'abrogation", "d'Amérique", "à Paris", "À", "des", "Les", "une", "par", "concernant", "sur", "of", "by", "with", "at",
]
OPENINGS = [pytest.param(fast, plain, id=fast.pattern[:40]) for fast, plain in scan.PLAIN.items()]


@pytest.mark.parametrize(("fast", "plain"), OPENINGS)
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_opening_finds_what_the_plain_pattern_finds(fast: re.Pattern[str], plain: re.Pattern[str],
                                                    data: st.DataObject) -> None:
    text = data.draw(_texts(OPENING_WORDS))
    assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == \
        [(m.span(), m.groupdict()) for m in plain.finditer(text)]


@pytest.mark.parametrize(("fast", "plain"), OPENINGS)
def test_opening_finds_every_word_list_match(fast: re.Pattern[str], plain: re.Pattern[str]) -> None:
    text = " ".join(OPENING_WORDS + [w.upper() for w in OPENING_WORDS] + [w.title() for w in OPENING_WORDS])
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_opening_classes_hold_every_code_point_a_first_letter_matches() -> None:
    """The classes of case-insensitive patterns are built from the Basic Multilingual Plane; no
    character beyond it may match."""
    everything = "".join(map(chr, range(0x110000)))
    starts = [p.pattern for p in [*scan.PLAIN, dates._DATE_START.regex, instruments._KEYWORD_STARTS.regex]
              if p.flags & re.IGNORECASE]
    for source in starts:
        opening = re.match(r"\(\?-i:\[((?:\\.|[^\]])*)\]\)", source)
        assert opening, source
        assert set(re.findall(f"[{opening.group(1)}]", everything, re.IGNORECASE)) <= \
            set(re.findall(f"[{opening.group(1)}]", everything)), source


def test_opening_refuses_what_it_cannot_split() -> None:
    for alternative in ["(?:a)", r"\bx", "a+b", "", "-x"]:
        with pytest.raises(ValueError):
            scan.opening([alternative])


# Patterns whose alternatives scan.opening was given in another but equivalent form, with the
# source they had before ("(?:a|b)X" is "aX|bX", "[Ss]x" is "Sx|sx").
from treatykg.extractors import plenipotentiaries  # noqa: E402

ORIGINALS = [
    pytest.param(abrogation._IN_TITLE, re.compile(
        r"\b(?:concerning|on|regarding|relating\s+to)\s+the\s+abrogation\s+of\b|\bconcernant\s+l'abrogation\s+d",
        re.IGNORECASE), ["concerning the abrogation of", "On the Abrogation of", "relating to the abrogation of",
                         "concernant l'abrogation d", "regarding the abrogation of the"], id="abrogation-title"),
    pytest.param(signers._SIGNERS_FOR, re.compile(
        r"\b(?:[Ss]igners|[Ss]ignatories|[Ss]ignatures)\s+(?:for|of)\s+" + signers._STATE
        + r"\s+(?:were|was|are|included|:)\s+(?P<people>)"),
        ["Signers for the United States were", "signatories of Japan :", "SIGNATURES for", "Japan", "were"],
        id="signers-for"),
    pytest.param(signers._SIGNATORY_STATES, re.compile(
        r"\b(?:[Ss]ignatories|[Ss]ignatory\s+(?:states|countries|powers)|[Pp]arties)\s+"
        r"(?:were|are|included|:)\s+(?P<list>[^.;]{3,2000})"),
        ["Signatories were Argentina, Australia", "signatory states included", "Parties :", "PARTIES were"],
        id="signatory-states"),
    pytest.param(recognition._VERB, re.compile(
        r"\b(?:formally\s+|hereby\s+|officially\s+|de\s+jure\s+)?(?:recogni[sz](?:e|es|ed)|accept(?:s|ed)?|"
        r"acknowledg(?:e|es|ed)|reconna(?:ît|it|issent|issait)|a\s+reconnu|ont\s+reconnu)\b"
        r"(?:\s+(?:that|que))?", re.IGNORECASE),
        ["hereby recognizes", "formally accepted that", "de jure acknowledged", "a reconnu que", "ont reconnu",
         "Officially Recognised", "accept", "reconnaît", "de", "a", "ont"], id="recognition-verbs"),
    pytest.param(plenipotentiaries._OPENING, re.compile(
        r"(?:as\s+their\s+)?(?:plenipotentiar(?:y|ies)|plénipotentiaires|全权代表)[^:\n]{0,40}?:?\s*"
        r"|have\s+(?:appointed|designated|named)\s+(?:for\s+this\s+purpose\s+)?(?:as\s+)?[^:\n]{0,60}?:\s*",
        re.IGNORECASE),
        ["have appointed as their plenipotentiaries :", "as their Plenipotentiary", "plénipotentiaires, savoir :",
         "全权代表", "have designated for this purpose", "have named as", ":", "\n", "as their"], id="plenipotentiaries"),
    pytest.param(gazetteer._ADJECTIVE_RE, re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\b"),
                 ["Soviet", "Soviet Government", "the Chinese side", "xSoviet", "_Soviet", "1Soviet", "É", "Ab"],
                 id="adjectives"),
]


@pytest.mark.parametrize(("fast", "original", "words"), ORIGINALS)
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_opening_finds_what_the_original_pattern_finds(fast: re.Pattern[str], original: re.Pattern[str],
                                                       words: list[str], data: st.DataObject) -> None:
    text = data.draw(_texts(words + OPENING_WORDS))
    assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == \
        [(m.span(), m.groupdict()) for m in original.finditer(text)]
    whole = " ".join(words + [w.upper() for w in words])
    assert [m.span() for m in fast.finditer(whole)] == [m.span() for m in original.finditer(whole)] != []


from treatykg.extractors import languages, registration, signatures  # noqa: E402

BLANKS = ["\n", "\n\n", "\n\n\n", "  ", "\t", " \n ", "\n  \n", "\r\n", "\u2028", "\x0c"]
LINE_WORDS = BLANKS + ["For the Union of Soviet Socialist Republics:", "On behalf of Japan :", "By authorization of",
                       "По уполномочию", "За", "A. Vyshinsky", "(Signed)", "Languages: English and French", "- Language | Russian |",
                       "• Languages", "Moscow, 14 February 1950", "Peking, February 14, 1950", "Signed: 14 February 1950",
                       "* Date signed | 1 May 1951", "Location: Paris", "Signed at Moscow", "Place of signing | Tokyo, Japan",
                       "Expiry 1 May 1960", "Terminated March 3, 1980", "No. 1234.", "No. I-567", "Effective: 1 May 1951",
                       "Entry into force 3 June 1952", "entered into force on", "came into effect on the", "x", "y z", "14", "|"]
LINE_SCANS = [
    pytest.param(signatures._FOR, None, signatures._FOR_LINES, id="signature-for"),
    pytest.param(languages._STATEMENTS[4], None, languages._FIELD_LINES, id="languages-field"),
    pytest.param(signing._DATELINE, None, signing._DATELINE_LINES, id="dateline"),
    pytest.param(signing._INFOBOX_SIGNED, None, signing._INFOBOX_SIGNED_LINES, id="infobox-signed"),
    pytest.param(signing._INFOBOX_LOCATION, None, signing._INFOBOX_LOCATION_LINES, id="infobox-location"),
    pytest.param(termination._INFOBOX, None, termination._INFOBOX_LINES, id="infobox-expiry"),
    pytest.param(registration._HEADING_NUMBER, None, registration._HEADING_NUMBER_LINES, id="heading-number"),
    pytest.param(entry_into_force._IN_FORCE, entry_into_force._IN_FORCE_STARTS, entry_into_force._IN_FORCE_LINES,
                 id="in-force"),
]


@pytest.mark.parametrize(("pattern", "starts", "lines"), LINE_SCANS)
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_line_scan_finds_what_finditer_finds(pattern: re.Pattern[str], starts: re.Pattern[str] | None,
                                             lines: re.Pattern[str], data: st.DataObject) -> None:
    text = data.draw(st.lists(st.sampled_from(LINE_WORDS), max_size=20).map("".join) | st.text(" \n\tFNa:", max_size=30))
    pos = data.draw(st.integers(0, len(text)))
    expected = [(m.span(), m.groupdict()) for m in pattern.finditer(text, pos)]
    assert [(m.span(), m.groupdict()) for m in scan.finditer(pattern, starts, text, pos, lines=lines)] == expected
    # texts this short seldom have nine blank lines in a row: the line starts are tried as in long runs
    assert [(m.span(), m.groupdict()) for m in scan._finditer(pattern, starts, text, pos, None, lines)] == expected


@pytest.mark.parametrize(("pattern", "starts", "lines"), LINE_SCANS)
def test_line_scan_finds_every_listed_line(pattern: re.Pattern[str], starts: re.Pattern[str] | None,
                                           lines: re.Pattern[str]) -> None:
    text = "\n\n  ".join(LINE_WORDS + [w.upper() for w in LINE_WORDS]) + "\n" * 50 + "\n".join(LINE_WORDS)
    expected = [m.span() for m in pattern.finditer(text)]
    assert expected and [m.span() for m in scan.finditer(pattern, starts, text, lines=lines)] == expected
    assert [m.span() for m in scan._finditer(pattern, starts, text, 0, None, lines)] == expected


@settings(max_examples=500, deadline=None)
@given(text=st.lists(st.sampled_from(list(".!?。！？\"')] ([A1中aé\n\t") + ["Mr.", "U.S.", " No. 5"]), max_size=40).map("".join))
def test_sentence_ends_tried_after_marks_are_the_finditer_ones(text: str) -> None:
    """segment.sentences tries _SENTENCE_END only just after . ! ? 。 ！ ？; its finditer finds the same."""
    from treatykg import segment

    for block in segment.blocks(text):
        plain = [m.span() for m in segment._SENTENCE_END.finditer(text, block.start, block.end)]
        marked = [m.span() for mark in segment._END_MARK.finditer(text, block.start, block.end)
                  if (m := segment._SENTENCE_END.match(text, mark.end(), block.end)) is not None]
        assert marked == plain


# Patterns given scan.Anchors: every match holds one of the words, so a text without them is not scanned.
from pathlib import Path  # noqa: E402

from treatykg.textview import make_view  # noqa: E402

ANCHORED = [pytest.param(pattern, anchors, id=f"{anchors.words[0]}-{pattern.pattern[:30]}")
            for pattern, anchors in scan.ANCHORED.items()]
DOCUMENT_VIEWS = [make_view(path.read_text(encoding="utf-8")).text
                  for path in sorted((Path(__file__).parents[1] / "data").rglob("*.txt"))]
ANCHOR_WORDS = OPENING_WORDS + LINE_WORDS + [
    "Agreement to replace the Treaty", "superseding", "has ceased to have effect", "declared null and void",
    "以代替", "expired on", "were terminated", "lapsed", "denounced", "signed for Japan",
    "Signers for the United States were", "initialled on behalf of", "The two sides agreed upon",
    "registered under No. 5", "No. 1234. TREATY", "有效期30年", "сроком на пять лет", "以中文和俄文写成",
    "外交部长黄华", "《中苏友好同盟条约》", "本条约", "中日和平友好条约", "(1950年2月14日, 北京)", "双方签订的",
    "I have the honour to be", "the signature this day of", "sign"]


@pytest.mark.parametrize(("pattern", "anchors"), ANCHORED)
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_anchors_are_in_every_match(pattern: re.Pattern[str], anchors: scan.Anchors,
                                    data: st.DataObject) -> None:
    text = data.draw(_texts(ANCHOR_WORDS))
    for match in pattern.finditer(text):
        assert not anchors.absent(text[match.start():match.end()]), match


@pytest.mark.parametrize(("pattern", "anchors"), ANCHORED)
def test_anchors_are_in_every_match_in_the_documents(pattern: re.Pattern[str], anchors: scan.Anchors) -> None:
    words = " \n".join(ANCHOR_WORDS + [w.upper() for w in ANCHOR_WORDS] + [w.title() for w in ANCHOR_WORDS])
    for text in [*DOCUMENT_VIEWS, words]:
        for match in pattern.finditer(text):
            assert not anchors.absent(text[match.start():match.end()]), match


@pytest.mark.parametrize(
    ("words", "text", "absent"),
    [
        pytest.param(("signed",), "SIGNED", False, id="other-case"),
        pytest.param(("signed",), "\u017figned", False, id="long-s-is-an-s"),
        pytest.param(("initial",), "INİTIAL", False, id="dotted-capital-i-is-an-i"),
        pytest.param(("initial",), "\u0131nitial", False, id="dotless-i-is-an-i"),
        pytest.param(("ok",), "O\u212a", False, id="kelvin-sign-is-a-k"),
        pytest.param(("signed",), "sign ed", True, id="apart"),
        pytest.param(("国",), "中国", False, id="cjk"),
        pytest.param(("国",), "China", True, id="cjk-absent"),
    ],
)
def test_anchors_compare_as_ignorecase_does(words: tuple[str, ...], text: str, absent: bool) -> None:
    pattern = re.compile("|".join(map(re.escape, words)), re.IGNORECASE)
    anchors = scan.Anchors(pattern, *words, ignore_case=True)
    scan.ANCHORED.pop(pattern)
    assert anchors.absent(text) is absent
    assert (pattern.search(text) is None) is absent


def test_case_sensitive_anchors_compare_exactly() -> None:
    pattern = re.compile("Signed")
    anchors = scan.Anchors(pattern, "Signed")
    scan.ANCHORED.pop(pattern)
    assert anchors.absent("SIGNED signed") and not anchors.absent("was Signed")


@pytest.mark.parametrize("starts", [dates._DATE_START, instruments._KEYWORD_STARTS, gazetteer._TITLE_STARTS,
                                    gazetteer._STATE_SHAPED_STARTS, signing._SIGNED_AT_STARTS,
                                    termination._ACT_STARTS, abrogation._DECLARED_AFTER_STARTS,
                                    part_of._PART_STARTS],
                         ids=["dates", "keywords", "titles", "states", "signed-at", "termination-acts",
                              "abrogated-after", "part-of"])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_word_starts_are_where_the_regex_matches(starts: scan.WordStarts, data: st.DataObject) -> None:
    """WordStarts finds by str.find the places its regex matches (or says only the regex can tell)."""
    text = data.draw(_texts(DATE_WORDS + KEYWORD_WORDS + TITLE_WORDS + STATE_WORDS + CLAUSE_WORDS))
    places = starts.positions(text)
    expected = [at for at in range(len(text)) if starts.regex.match(text, at)]
    assert places is None and any(_case_folds_unlike_lower(c, starts) for c in text) or places == expected


def _case_folds_unlike_lower(character: str, starts: scan.WordStarts) -> bool:
    """Whether re.IGNORECASE takes a character for one of the words' letters that is not its lower
    case ('ſ' for 's', 'ᲀ' for 'в'), or its lower case is two characters ('İ')."""
    lower = character.lower()
    return len(lower) != 1 or starts.ignore_case and any(
        lower != letter and re.fullmatch(re.escape(letter), character, re.IGNORECASE)
        for letter in starts.letters)
