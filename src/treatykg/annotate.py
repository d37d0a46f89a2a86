"""The analysed document that extractors read: sentences, names, dates, instruments and sections.

`annotate(document, kb)` runs once per document; every extractor then reads the same
`AnnotatedDocument` (as spaCy components read one Doc) and reports facts in the original text's
offsets through `AnnotatedDocument.fact`.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TypeVar

from . import scan
from .dates import DateMatch, DateValue, find_dateline, find_dates, parse_date
from .document import Document
from .facts import Fact, Mention, Value
from .gazetteer import (
    NameSpan,
    find_adjective_states,
    find_initialled_persons,
    find_names,
    find_state_shaped,
    find_titled_persons,
)
from .instruments import (
    BETWEEN_RE,
    KEYWORD_RE,
    STATE_FORMS,
    InstrumentSpan,
    find_instruments,
    heading_title,
    instrument_head,
    split_between,
    titled,
)
from .kb import TREATY_KINDS, KnowledgeBase
from .names import clean_label, name_key
from .segment import Block, blocks, is_capitals, sentences
from .textview import TextView, make_view

# \b(?:[Ii]f|[Uu]nless|[Pp]rovided\s+that|[Oo]n\s+condition\s+that|[Ii]n\s+the\s+event\s+that)\b
# |\b(?:[Ss]i|[Àà]\s+condition\s+que)\s|如果|倘若|假如, opening with the class of the characters a
# match begins with (the engine skips to those) and checking the word boundary before one after it.
_CONDITION = re.compile(r"[IiUuPpOoSsÀà如倘假](?:(?<!\w.)(?:(?<=[Ii])f|(?<=[Uu])nless|(?<=[Pp])rovided\s+that"
                        r"|(?<=[Oo])n\s+condition\s+that|(?<=[Ii])n\s+the\s+event\s+that)\b"
                        r"|(?<!\w.)(?:(?<=[Ss])i|(?<=[Àà])\s+condition\s+que)\s|(?<=如)果|(?<=倘)若|(?<=假)如)")
QUOTE_LIMIT = 2_000
QUOTE_CONTEXT = 500
_SPACE = re.compile(r"\s+")
_FOCAL_DETERMINERS = {"this", "present", "présent", "ce", "cette", "本", "настоящий", "настоящего", "настоящим",
                      "настоящее", "настоящая", "данный"}
_BACK_DETERMINERS = {"said", "aforesaid", "that", "the", "such", "its", "above-mentioned", "same", "outdated", "old",
                     "former", "which", "their", "le", "la", "ledit", "ladite", "该", "with", "avec"}
_FRENCH_WORDS = scan.opening(["le", "la", "les", "des", "du", "et", "l'", "d'", "à", "concernant", "sur", "une", "par"], r"\b",
                             re.IGNORECASE)
_ENGLISH_WORDS = scan.opening(["the", "of", "and", "by", "on", "with", "concerning", "at"], r"\b", re.IGNORECASE)
_SIGNED_HEADER = re.compile(r"\.\s*(?:Signed|Signé|Done|Fait|Concluded|Conclu)\s+(?:at|à|in)\s", re.IGNORECASE)
_PARTY_CONNECTORS = re.compile(r"^(?:\s|,|and|et|и|&)*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Section:
    """From `start` on (until the next section) the text speaks of `instrument` (an index), and
    `date` is the date its heading or dateline gives."""

    start: int
    instrument: int
    date: DateValue | None = None


@dataclass
class AnnotatedDocument:
    """A document with its view and the annotations extractors share."""

    document: Document
    view: TextView
    kb: KnowledgeBase
    sentences: list[tuple[int, int]]
    blocks: list[Block]
    dates: list[DateMatch]
    names: list[NameSpan]
    instruments: list[InstrumentSpan]
    antecedents: dict[int, int] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    parties: dict[int, list[NameSpan]] = field(default_factory=dict)
    groups: dict[int, str] = field(default_factory=dict)
    header_instruments: set[int] = field(default_factory=set)
    header_parties: list[tuple[InstrumentSpan, list[NameSpan]]] = field(default_factory=list)
    french: list[tuple[int, int]] = field(default_factory=list)
    reference_date: DateValue | None = None
    dateline: DateMatch | None = None  # a news report's, whose day is the report's "today"
    _conditions: dict[tuple[int, int], bool] = field(default_factory=dict, repr=False)
    _sentence_dates: dict[tuple[int, int], list[DateMatch]] = field(default_factory=dict, repr=False)
    # The start offsets of the spans, for bisection (None: not in start order). Sentences, blocks,
    # names and dates are fixed when the document is made; instruments and sections change while
    # annotate() works, and are indexed once it is done (None until then).
    _sentence_starts: list[int] = field(default_factory=list, init=False, repr=False)
    _block_starts: list[int] = field(default_factory=list, init=False, repr=False)
    _name_starts: list[int] | None = field(default=None, init=False, repr=False)
    _date_starts: list[int] | None = field(default=None, init=False, repr=False)
    _instrument_starts: list[int] | None = field(default=None, init=False, repr=False)
    _section_starts: list[int] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._sentence_starts = [s for s, _ in self.sentences]
        self._block_starts = [b.start for b in self.blocks]
        self._name_starts = _in_order([n.start for n in self.names])
        self._date_starts = _in_order([d.start for d in self.dates])

    def _index_instruments(self) -> None:
        """Index the instruments and sections, which stay as they are from here on."""
        self._instrument_starts = _in_order([s.start for s in self.instruments])
        self._section_starts = _in_order([s.start for s in self.sections])

    @property
    def text(self) -> str:
        """The cleaned view text that patterns run on."""
        return self.view.text

    @property
    def doc_id(self) -> str:
        """The document's id."""
        return self.document.doc_id

    def sentence_at(self, position: int) -> tuple[int, int]:
        """The sentence holding position (or the nearest one before it)."""
        if not self.sentences:
            return (0, len(self.text))
        return self.sentences[max(bisect.bisect_right(self._sentence_starts, position) - 1, 0)]

    def block_at(self, position: int) -> Block:
        """The block holding position (or the nearest one before it)."""
        return self.blocks[max(bisect.bisect_right(self._block_starts, position) - 1, 0)]

    def is_french(self, position: int) -> bool:
        """Whether position lies in a French block."""
        return any(s <= position < e for s, e in self.french)

    def names_in(self, start: int, end: int, kinds: frozenset[str] | set[str] | None = None) -> list[NameSpan]:
        """Names inside [start, end), optionally only of the given kinds."""
        return [n for n in _starting_in(self.names, self._name_starts, start, end)
                if start <= n.start and n.end <= end and (kinds is None or n.kind in kinds)]

    def instruments_in(self, start: int, end: int) -> list[int]:
        """Indexes of the instrument mentions inside [start, end)."""
        spans, starts = self.instruments, self._instrument_starts
        indexes = range(len(spans)) if starts is None else \
            range(bisect.bisect_left(starts, start), bisect.bisect_right(starts, end))
        return [i for i in indexes if start <= spans[i].start and spans[i].end <= end]

    def referent(self, index: int | None) -> int | None:
        """The specific instrument a mention stands for: itself, its antecedent, or None."""
        if index is None:
            return None
        return index if self.instruments[index].specific else self.antecedents.get(index)

    def parties_of(self, index: int) -> list[NameSpan]:
        """The parties named for an instrument by any mention of it in the document (same
        referent, same group or same title)."""
        key = name_key(self.instruments[index].name)
        group = self.groups.get(index)
        found: list[NameSpan] = []
        for other, states in sorted(self.parties.items()):
            if (self.referent(other) == index or name_key(self.instruments[other].name) == key
                    or group is not None and self.groups.get(other) == group):
                found += [s for s in states if s.name not in {f.name for f in found}]
        return found

    def _section_index(self, position: int) -> int:
        """The index of the section holding position, -1 before the first."""
        starts = [s.start for s in self.sections] if self._section_starts is None else self._section_starts
        return bisect.bisect_right(starts, position) - 1

    def focal(self, position: int) -> int | None:
        """The instrument the text around position speaks of (its section's, else the document's)."""
        index = self._section_index(position)
        if index >= 0:
            return self.sections[index].instrument
        return self._most_mentioned()

    def _most_mentioned(self) -> int | None:
        """The instrument a document without a title speaks of most (its first mention)."""
        counts: dict[str, int] = {}
        first: dict[str, int] = {}
        for index, span in enumerate(self.instruments):
            if span.specific:
                key = " ".join(name_key(span.name))
                counts[key] = counts.get(key, 0) + 1
                first.setdefault(key, index)
        if not counts:
            return None
        return first[max(counts, key=lambda key: (counts[key], -first[key]))]

    def date_at(self, position: int) -> DateValue | None:
        """The date of the event a position's sentence speaks of: the nearest date in it, else the
        date of its section's heading or dateline, else the document's first date."""
        sentence = self.sentence_at(position)
        inside = self._sentence_dates.get(sentence)
        if inside is None:  # names and facts share sentences: each sentence's dates are found once
            start, end = sentence
            nearby = _starting_in(self.dates, self._date_starts, start, end)
            inside = self._sentence_dates[sentence] = [d for d in nearby if start <= d.start and d.end <= end]
        if inside:  # in order of start: the nearest is one of the two around position
            after = bisect.bisect_left(inside, position, key=lambda d: d.start)
            nearest = inside[max(after - 1, 0):after + 1]
            return min(nearest, key=lambda d: abs(d.start - position)).value
        section = self._section_index(position)
        if section >= 0 and self.sections[section].date is not None:
            return self.sections[section].date
        return self.reference_date

    def name_mention(self, name: NameSpan, *, date: DateValue | None = None) -> Mention:
        """A Mention for a name found in the view."""
        start, end = self.view.to_original(name.start, name.end)
        when = date if date is not None else self.date_at(name.start)
        return Mention(self.doc_id, name.kind, name.name, start, end, when.iso if when else None, name.via)

    def instrument_mention(self, index: int) -> Mention:
        """A Mention for an instrument (the specific one an anaphor stands for)."""
        span = self.instruments[index]
        start, end = self.view.to_original(span.start, span.end)
        return Mention(self.doc_id, span.kind, span.name, start, end, None, "title", self.groups.get(index))

    def instrument_names(self, index: int) -> list[Mention]:
        """Every name an instrument mention gives: its title and, when a "between X and Y" clause
        follows, the title with that clause, tied to it by a shared group."""
        mention = self.instrument_mention(index)
        span = self.instruments[index]
        if span.parties_span is None:
            return [mention]
        states = [s for s in self.names_in(*span.parties_span, kinds={"State"})
                  if s.end - span.parties_span[0] < 160 and "\n" not in self.text[span.parties_span[0]:s.end]]
        if not states:
            return [mention]
        group = mention.group or f"between:{mention.start}"
        if span.parties_span[1] < span.end:  # the title's subject follows its parties: the whole title
            longer = clean_label(self.text[span.start:span.end])
        else:
            longer = clean_label(self.text[span.start:states[-1].end])
        return [replace(mention, group=group), replace(mention, name=longer, group=group)]

    def fact(self, subject: Mention, predicate: str, obj: Mention | Value, start: int, end: int, *,
             extractor: str, modality: str | None = None, confidence: float = 1.0) -> Fact:
        """A Fact whose evidence is the sentence(s) covering the view span [start, end); it is
        "conditional" when that sentence sets a condition ("If you confirm …", "provided that")."""
        first, last = self.sentence_at(start), self.sentence_at(max(start, end - 1))
        if modality is None:
            modality = "conditional" if self._conditional(first[0], last[1]) else "asserted"
        left, right = _quoted_span(self.text, min(first[0], start), max(last[1], end), start, end)
        original_start, original_end = self.view.to_original(left, right)
        return Fact(subject, predicate, obj, self.doc_id, original_start, original_end,
                    self.document.text[original_start:original_end], extractor, confidence, modality)


    def _conditional(self, start: int, end: int) -> bool:
        """Whether the text in [start, end) sets a condition; several facts share a sentence, so
        each span is searched once."""
        found = self._conditions.get((start, end))
        if found is None:
            found = self._conditions[(start, end)] = _CONDITION.search(self.text, start, end) is not None
        return found


def _quoted_span(text: str, left: int, right: int, start: int, end: int) -> tuple[int, int]:
    """What a fact quotes: its sentence, or, where a "sentence" runs on past QUOTE_LIMIT characters
    (a table, a list, a JSON file without stops), the words within QUOTE_CONTEXT of the fact's span:
    a quote is read by a person, and every fact of such a text quoting all of it made the graph
    grow as the square of the text."""
    if right - left <= QUOTE_LIMIT:
        return left, right
    low, high = max(left, start - QUOTE_CONTEXT), min(right, end + QUOTE_CONTEXT)
    word_start = _SPACE.search(text, low, start) if low > left else None
    word_ends = [m.start() for m in _SPACE.finditer(text, end, high)] if high < right else []
    return (word_start.end() if word_start else low), (word_ends[-1] if word_ends else high)


def _in_order(starts: list[int]) -> list[int] | None:
    return starts if starts == sorted(starts) else None


_Span = TypeVar("_Span", NameSpan, DateMatch)


def _starting_in(spans: list[_Span], starts: list[int] | None, start: int, end: int) -> list[_Span]:
    """The spans (sorted by start when starts is given) that start in [start, end]: the only ones
    that can lie inside [start, end)."""
    if starts is None:
        return spans
    return spans[bisect.bisect_left(starts, start):bisect.bisect_right(starts, end)]


def _french_blocks(text: str, found: list[Block]) -> list[tuple[int, int]]:
    """The blocks with two French words or more, and more French words than English ones. The
    French words are counted in one pass over the text (blocks are separated by white space,
    which no word spans, so each is counted in its block as a pass over the block would)."""
    starts = [block.start for block in found]
    counts = Counter(bisect.bisect_right(starts, word.start()) - 1 for word in _FRENCH_WORDS.finditer(text))
    spans = []
    for index in sorted(counts):
        block = found[index]
        french = counts[index]
        if french >= 2 and french > len(_ENGLISH_WORDS.findall(text[block.start:block.end])):
            spans.append((block.start, block.end))
    return spans


def annotate(document: Document, kb: KnowledgeBase) -> AnnotatedDocument:
    """Analyse a document once for all extractors."""
    view = make_view(document.text)
    text = view.text
    found_blocks = blocks(text)
    french = _french_blocks(text, found_blocks)
    names = find_names(text, kb)
    treaty_names = [n for n in names if n.kind in TREATY_KINDS]
    names = [n for n in names if n.kind not in TREATY_KINDS]
    names = names + find_titled_persons(text, names)
    names = names + find_initialled_persons(text, names)
    names = names + find_state_shaped(text, names)
    names = sorted(names + find_adjective_states(text, kb, names), key=lambda n: n.start)
    dateline = find_dateline(text, _published(document, text))
    doc = AnnotatedDocument(document, view, kb, sentences(text, found_blocks), found_blocks,
                            find_dates(text, dateline), names, find_instruments(text, french_spans=french),
                            french=french, dateline=dateline)
    _add_chinese_titles(doc)
    _add_known_titles(doc, treaty_names)
    _add_headers(doc)
    _link_anaphors(doc)
    _name_described_instruments(doc)
    _name_attached_instruments(doc)
    _collect_parties(doc)
    doc.reference_date = _reference_date(doc)
    doc._index_instruments()
    return doc


def _add_known_titles(doc: AnnotatedDocument, treaty_names: list[NameSpan]) -> None:
    """Knowledge-base titles: one the title patterns missed (a Chinese title without 《》) is
    added; one that starts where a found title starts and runs longer gives it its full name."""
    for name in treaty_names:
        overlapping = [i for i, s in enumerate(doc.instruments) if s.start < name.end and name.start < s.end]
        if not overlapping:
            doc.instruments.append(InstrumentSpan(name.start, name.end, name.kind, name.name, True))
        for index in overlapping:
            span = doc.instruments[index]
            if span.start == name.start and name.end > span.end:
                doc.instruments[index] = replace(span, end=name.end, name=name.name, specific=True)
    doc.instruments.sort(key=lambda s: (s.start, -s.end))


_CJK_KEYWORDS = ("条约", "條約", "协定", "協定", "联合声明", "聯合聲明", "公报", "公報", "宣言", "议定书",
                 "議定書")
_CJK_KEYWORD = re.compile(f"(?:{'|'.join(_CJK_KEYWORDS)})")
_CJK_KEYWORD_ANCHORS = scan.Anchors(_CJK_KEYWORD, *_CJK_KEYWORDS)
_CJK_KINDS = {"协定": "Agreement", "協定": "Agreement", "联合声明": "JointDeclaration", "聯合聲明": "JointDeclaration",
              "公报": "Communique", "公報": "Communique", "宣言": "JointDeclaration", "议定书": "Protocol", "議定書": "Protocol"}


def _add_chinese_titles(doc: AnnotatedDocument) -> None:
    """Chinese titles written without 《》: a run of Chinese characters that opens with a state's
    name or two states' one-character names and closes with 条约, 协定, 联合声明 … ("中日和平友好条约",
    "日本国和中华人民共和国和平友好条约")."""
    text = doc.text
    for keyword in _CJK_KEYWORD.finditer(text) if not _CJK_KEYWORD_ANCHORS.absent(text) else ():
        if any(s.start <= keyword.start() < s.end for s in doc.instruments):
            continue
        left = keyword.start()
        while left > 0 and "\u4e00" <= text[left - 1] <= "\u9fff" and keyword.start() - left < 35:
            left -= 1
        opening = _chinese_title_start(doc, left, keyword.start())
        if opening is None:
            continue
        title = text[opening:keyword.end()]
        if re.search(r"[在于於是了的发發签簽缔締由与與]", title[2:-2]):
            continue
        doc.instruments.append(InstrumentSpan(opening, keyword.end(), _CJK_KINDS.get(keyword.group(), "Treaty"), title, True))
    doc.instruments.sort(key=lambda s: (s.start, -s.end))


def _chinese_title_start(doc: AnnotatedDocument, left: int, keyword_start: int) -> int | None:
    starts = [n.start for n in doc.names if n.kind == "State" and left <= n.start < keyword_start]
    for position in range(left, keyword_start - 1):
        pair = doc.text[position:position + 2]
        if position and doc.text[position - 1] in "〇一二三四五六七八九十0123456789年月":
            continue
        if all(doc.kb.is_state_adjective(ch) for ch in pair):
            starts.append(position)
    return min(starts) if starts and keyword_start - min(starts) >= 3 else None


def _replace(doc: AnnotatedDocument, span: InstrumentSpan) -> int:
    """Put a heading or header title in place of the running mentions it covers; return its index."""
    doc.instruments = [s for s in doc.instruments if not (s.start == span.start or s.start < span.start < s.end
                                                         or (span.start <= s.start < span.end and s.end > span.end))]
    doc.instruments.append(span)
    doc.instruments.sort(key=lambda s: (s.start, -s.end))
    return doc.instruments.index(span)


def _kind(title: str) -> str:
    match = KEYWORD_RE.search(title)
    return match.lastgroup if match and match.lastgroup else "Treaty"


def _add_headers(doc: AnnotatedDocument) -> None:
    """Sections from all-capitals headings, UNTS title paragraphs and the document's title line."""
    text = doc.text
    header_spans: list[tuple[int, InstrumentSpan, InstrumentSpan | None, str]] = []
    for number, block in enumerate(doc.blocks):
        chunk = text[block.start:block.end]
        if is_capitals(chunk) and KEYWORD_RE.search(chunk) and len(chunk.split()) >= 3:
            title = heading_title(text, block.start, block.end)
            if title:
                start, end, parties, name = title
                span = InstrumentSpan(start, end, _kind(name), name, True, parties_span=parties, heading=True)
                header_spans.append((block.start, span, None, ""))
            continue
        signed = _SIGNED_HEADER.search(chunk)
        opening = KEYWORD_RE.search(chunk, 0, signed.start()) if signed else None
        dated = signed and any(block.start + signed.end() <= d.start < block.start + signed.end() + 60 for d in doc.dates)
        if signed and opening and dated and len(chunk) < 1500 and _opens_title(doc, block, opening.start()):
            header_spans.append(_title_paragraph(doc, block, signed.start()))
    dated: dict[str, list[int]] = {}
    headers: list[tuple[int, InstrumentSpan]] = []
    for start, span, annex, date in header_spans:
        _replace(doc, span)
        headers.append((start, span))
        if annex is not None:
            _replace(doc, annex)
            headers.append((-1, annex))
        if date:
            dated.setdefault(date, []).append(start)
    for start, span in headers:
        index = doc.instruments.index(span)
        doc.header_instruments.add(index)
        if start >= 0:
            doc.sections.append(Section(start, index, _section_date(doc, start, span)))
    doc.sections.sort(key=lambda s: s.start)
    _group_parallel_headers(doc, dated)
    _add_title_line(doc)


def _section_date(doc: AnnotatedDocument, start: int, span: InstrumentSpan) -> DateValue | None:
    """The first date after a section's title that is not inside parentheses (a dateline, "Signed … on")."""
    for date in doc.dates:
        if span.end <= date.start < start + 1200:
            between = doc.text[span.end:date.start]
            if between.count("(") <= between.count(")"):
                return date.value
    return None


def _opens_title(doc: AnnotatedDocument, block: Block, keyword_start: int) -> bool:
    """Whether the instrument keyword at keyword_start begins a title of its sentence (with its
    capitalised words), as in a UNTS header, not a phrase such as "have signed this Treaty"."""
    absolute = block.start + keyword_start
    stop = max(doc.text.rfind(". ", block.start, absolute), doc.text.rfind(".\n", block.start, absolute))
    sentence_start = stop + 2 if stop >= 0 else block.start
    head, _ = instrument_head(doc.text, absolute, doc.text[absolute:absolute + 6].isupper())
    return not doc.text[sentence_start:head].strip()


def _title_paragraph(doc: AnnotatedDocument, block: Block, signed_at: int
                     ) -> tuple[int, InstrumentSpan, InstrumentSpan | None, str]:
    """A UNTS title paragraph: "[PARTIES.] TITLE (with ANNEX). Signed at PLACE, on DATE"."""
    text = doc.text
    end = block.start + signed_at
    keyword = next((k for k in KEYWORD_RE.finditer(text, block.start, end) if k.group()[:1].isupper()), None)
    title_start = block.start
    if keyword is not None:
        stop = max(text.rfind(". ", block.start, keyword.start()), text.rfind(".\n", block.start, keyword.start()))
        title_start = stop + 2 if stop >= 0 else block.start
    annex = None
    title_end = end
    if text[end - 1] == ")" and text.rfind(" (", title_start, end) > 0:
        paren = text.rfind(" (", title_start, end)
        inner_start = paren + 2
        opener = re.match(r"(?:with|avec|and|et)\s+", text[inner_start:end])
        inner_start += opener.end() if opener else 0
        inner = text[inner_start:end - 1]
        if KEYWORD_RE.match(inner):
            label = clean_label(inner)
            annex = InstrumentSpan(inner_start, end - 1, _kind(inner), label[:1].upper() + label[1:], True)
            title_end = paren
    between = BETWEEN_RE.search(text, title_start, title_end)
    parties, subject = (None, None) if between is None else split_between(text, between.end(), title_end)
    name_end = between.start() if between else title_end
    name = clean_label(re.sub(r"\s*\([^()]*\)", "", titled(text, title_start, name_end, subject)))
    title = InstrumentSpan(title_start, title_end, _kind(name), name, True, parties_span=parties)
    if title_start > block.start:
        states = doc.names_in(block.start, title_start, {"State"})
        if states:
            doc.header_parties.append((title, states))
    dates = [d for d in doc.dates if end <= d.start < block.end]
    return block.start, title, annex, dates[0].value.iso if dates else ""


def _group_parallel_headers(doc: AnnotatedDocument, dated: dict[str, list[int]]) -> None:
    """The title paragraphs of one UNTS page in two languages name the same instruments, in order."""
    for date, starts in dated.items():
        if len(starts) < 2:
            continue
        per_block = [[i for i, s in enumerate(doc.instruments) if doc.block_at(start).start <= s.start
                      < doc.block_at(start).end and s.specific] for start in starts]
        for position in range(min(len(p) for p in per_block)):
            if len({len(p) for p in per_block}) == 1 or position == 0:
                for indexes in per_block:
                    doc.groups[indexes[position]] = f"header:{date}:{position}"


def _add_title_line(doc: AnnotatedDocument) -> None:
    if doc.sections or not doc.blocks:
        return
    first_line_end = doc.text.find("\n")
    first_line_end = len(doc.text) if first_line_end < 0 else first_line_end
    for index, span in enumerate(doc.instruments):
        if span.start < first_line_end and span.specific:
            doc.sections.append(Section(0, index))
            return


def _is_party_block(doc: AnnotatedDocument, block: Block) -> bool:
    """A block that only names states ("UNION OF SOVIET SOCIALIST REPUBLICS and PEOPLE'S REPUBLIC OF CHINA")."""
    states = doc.names_in(block.start, block.end, {"State"})
    if len(states) < 2:
        return False
    rest, cursor = [], block.start
    for state in states:
        rest.append(doc.text[cursor:state.start])
        cursor = state.end
    rest.append(doc.text[cursor:block.end])
    return all(_PARTY_CONNECTORS.match(part) for part in rest)


def _link_anaphors(doc: AnnotatedDocument) -> None:
    specific_before: list[int] = []
    for index, span in enumerate(doc.instruments):
        if span.specific:
            specific_before.append(index)
            continue
        focal = doc.focal(span.start)
        fits = focal is not None and _compatible(doc.instruments[focal].kind, span.kind)
        if span.determiner in _FOCAL_DETERMINERS or fits and span.determiner in ("the", "le", "la"):
            target = focal
        elif span.determiner in _BACK_DETERMINERS or "-" in span.name or _party_compound(doc, span.determiner):
            target = next((i for i in reversed(specific_before) if _compatible(doc.instruments[i].kind, span.kind)),
                          None)
            target = doc.focal(span.start) if target is None else target
        else:
            target = None
        if target is not None and doc.instruments[target].specific:
            doc.antecedents[index] = target


# "a treaty of friendship and nonaggression", "an agreement on trade and payments": a description
# after a lower-case keyword, up to a word that is no part of it
_NOT_DESCRIBING = (r"(?:between|with|by|at|in|on|to|for|which|that|signed|concluded|was|were|is|has|had|"
                   r"the|a|an|its|their)\b")
_DESCRIPTION = re.compile(r"\s+(?:of|on|for|concerning|regarding)\s+(?!the\b|a\b|an\b|its\b|their\b)"
                          r"[a-z][a-z-]+(?:(?:,\s+|\s+and\s+|\s+)(?!" + _NOT_DESCRIBING
                          + r")[a-z][a-z-]+){0,5}")
_SIGNING_WORD = re.compile(r"\b(?:signed|concluded|initiall?ed|signing|signature)\b", re.IGNORECASE)
_DESCRIBED_PARTIES = re.compile(r"\s+between\s+(.+?)(?=\s+(?:was|were|is|has|had|signed|concluded|which|that|"
                                r"on|in|at|by)\b|[,.;:]|$)", re.MULTILINE)


def _name_described_instruments(doc: AnnotatedDocument) -> None:
    """In a report that names no instrument by its title, one described in a signing statement is
    named by its description: "A treaty of alliance between Britain and France was signed to-day"
    (the "Treaty of Alliance"), "a Sino-Soviet treaty of friendship …", "The Egyptian-Syrian Joint
    Declaration was signed here today". Which instrument it is, resolution tells by its parties and
    dates, as it does for instruments that share a generic title."""
    if any(span.specific for span in doc.instruments):
        return
    for index, span in enumerate(doc.instruments):
        if index in doc.antecedents or not _SIGNING_WORD.search(doc.text, *doc.sentence_at(span.start)):
            continue
        states = _adjective_parties(doc, span)  # of a compound in the title or right before it
        lower = doc.text[span.start:span.start + 1].islower()
        described = _DESCRIPTION.match(doc.text, span.end) if lower else None
        if described is None:
            if not lower and states:  # a title of parties and a keyword only
                doc.instruments[index] = replace(span, specific=True)
            continue
        start = min((state.start for state in states), default=span.start)
        between = _DESCRIBED_PARTIES.match(doc.text, described.end())
        parties = between.span(1) if between else None
        name = clean_label(doc.text[start:described.end()].upper())
        doc.instruments[index] = replace(span, start=start, end=described.end(), name=name, specific=True,
                                         parties_span=parties)


_THERETO = re.compile(r"\s+(?:thereto|annexed\s+thereto|to\s+(?:the\s+)?(?:said|above|aforesaid)\s+\w+)\b")


def _name_attached_instruments(doc: AnnotatedDocument) -> None:
    """"the Protocol thereto" is an instrument of its own, named after the one it is attached to:
    "Protocol to the Southeast Asia Collective Defense Treaty"."""
    for index, span in enumerate(doc.instruments):
        if span.specific or span.kind == "Treaty" and not span.name[:1].isupper():
            continue
        tail = _THERETO.match(doc.text, span.end)
        if tail is None:
            continue
        previous = [i for i in range(index) if doc.instruments[i].specific and doc.instruments[i].end <= span.start]
        if not previous:
            continue
        base = doc.instruments[doc.referent(previous[-1]) or previous[-1]].name
        keyword = span.name.split()[-1]
        name = f"{keyword[:1].upper()}{keyword[1:].lower()} to the {base}"
        doc.instruments[index] = replace(span, end=tail.end(), name=name, specific=True)
        doc.antecedents.pop(index, None)


def _party_compound(doc: AnnotatedDocument, word: str) -> bool:
    """Whether a word is a compound of state adjectives ("indo-pakistan", "sino-soviet")."""
    parts = word.split("-")
    return len(parts) >= 2 and all(doc.kb.is_state_adjective(p) for p in parts)


def _compatible(kind: str, anaphor_kind: str) -> bool:
    return kind == anaphor_kind or anaphor_kind == "Treaty" and kind in ("Treaty", "Convention")


def _collect_parties(doc: AnnotatedDocument) -> None:
    """States named as an instrument's parties: "between X and Y", a UNTS party block, "Sino-Soviet"."""
    for index, span in enumerate(doc.instruments):
        found: list[NameSpan] = []
        if span.parties_span:
            found += doc.names_in(*span.parties_span, kinds={"State"})
        if "\u4e00" <= doc.text[span.start:span.start + 1] <= "\u9fff" or doc.text[span.start:span.start + 1] == "《":
            found += doc.names_in(span.start, span.end, kinds={"State"})
        by = re.search(r"\b(?:by|of)\s+the\s+Governments?\s+of\b", doc.text[span.start:span.end], re.IGNORECASE)
        if by:
            found += doc.names_in(span.start + by.start(), span.end, kinds={"State"})
        found += _adjective_parties(doc, span)
        if found:
            doc.parties[index] = found
    for span, states in doc.header_parties:
        block = doc.block_at(span.start)
        for index in doc.header_instruments:
            if block.start <= doc.instruments[index].start < block.end:
                doc.parties.setdefault(index, states)
    _preamble_parties(doc)
    for number, block in enumerate(doc.blocks[:-1]):
        if _is_party_block(doc, block):
            following = doc.blocks[number + 1]
            for index in doc.instruments_in(following.start, following.end):
                if index in doc.header_instruments and index not in doc.parties:
                    doc.parties[index] = doc.names_in(block.start, block.end, {"State"})


_PREAMBLE_END = re.compile(r"\b(?:hereinafter|Being|Desiring|Desirous|Considering|Recognizing|Recognising|Whereas|"
                           r"Determined|Resolved|Convinced|Animated|Guided|Noting|Have\s+agreed|Have\s+decided|"
                           r"have\s+resolved|note|declare|agree|of\s+the\s+one\s+part|"
                           r"ci-après|désigné(?:e?s)?|Considérant|Désireu(?:x|ses)|Animés|Résolus|Convaincus|"
                           r"Reconnaissant|sont\s+convenus|ont\s+décidé|d['’]une\s+part)\b|;")
_ONE_PART = re.compile(r"\b(?:of\s+the\s+one\s+part|d['’]une\s+part)\b")
_PRESENT = re.compile(r"\b(?:the\s+present|this|le\s+présent|la\s+présente|настоящий|настоящее)\s+\Z",
                      re.IGNORECASE)


def _preamble_parties(doc: AnnotatedDocument) -> None:
    """The states a treaty text opens with ("The Governments of X, Y and Z, hereinafter …",
    "The Presidium of … X and the Central People's Government of … Y, Being determined …",
    "Les X, la Y, …, d'une part, et Z, d'autre part"), after its heading; in a text whose heading
    was not read (a heading in another language), the preamble that names "the present Treaty"."""
    for section in doc.sections:
        if section.instrument in doc.header_instruments and section.instrument not in doc.parties:
            heading_end = doc.block_at(section.start).end
            _opening_parties(doc, section.instrument, [b for b in doc.blocks if b.start > heading_end][:3])
    if doc.header_instruments:
        return
    for block in doc.blocks[:4]:
        starts = {i: doc.instruments[i].start for i in doc.instruments_in(block.start, block.end)}
        present = [doc.referent(i) for i, start in starts.items()
                   if _PRESENT.search(doc.text, max(0, start - 14), start)]
        if present and present[0] is not None and present[0] not in doc.parties:
            _opening_parties(doc, present[0], [block])
            return


def _opening_parties(doc: AnnotatedDocument, instrument: int, blocks: list[Block]) -> None:
    """The states listed at the opening of the first of blocks that opens with an article."""
    for block in blocks:
        chunk = doc.text[block.start:block.end]
        if not re.match(r"(?:The|Les?|La)\s", chunk):
            continue
        end = _PREAMBLE_END.search(chunk)
        if end is None or end.start() > 700:
            return
        states = doc.names_in(block.start, block.start + end.start(), {"State"})
        if len(states) >= 2:
            doc.parties[instrument] = states
        if _ONE_PART.search(chunk[:900]):
            list_end = block.start + chunk.find(";") if ";" in chunk else block.end
            doc.parties[instrument] = doc.names_in(block.start, list_end, {"State"})
        return


# a compound of state adjectives or names, each of one or two words, joined by hyphens or en dashes
# ("Sino-Soviet", "Syrian-South African", "Japan–Mongolia"), with the word after it, which may be
# the compound's last word or the instrument's
# "of" after a state's form ("Republic of China"), and only there ("Norwegian Treaty of" ends a compound)
_OF_A_STATE = r"(?:(?:" + "|".join(f"(?<={form})" for form in sorted(STATE_FORMS)) + r") of)?"
_COMPOUND_WORDS = r"(?: [A-Z][a-z]+)?(?:" + _OF_A_STATE + r" [A-Z][a-z]+)?"
_COMPOUND = r"([A-Z][a-z]+" + _COMPOUND_WORDS + r"(?:[-–][A-Z][a-zA-Z]+" + _COMPOUND_WORDS + r")+)"
_COMPOUND_PIECE = re.compile(r"[^-–]+")
_COMPOUND_RE = re.compile(r"\b" + _COMPOUND)
_COMPOUND_BEFORE_RE = re.compile(r"(?:^|\s)" + _COMPOUND + r"\s+$")
_CJK_PREFIX_RE = re.compile(r"^《?([\u4e00-\u9fff])([\u4e00-\u9fff])")


def _adjective_parties(doc: AnnotatedDocument, span: InstrumentSpan) -> list[NameSpan]:
    """"Sino-Soviet Treaty" names China and the USSR as parties; so does 《中苏…条约》."""
    title = doc.text[span.start:span.end]
    if not span.specific:
        before = _COMPOUND_BEFORE_RE.search(doc.text[max(0, span.start - 40):span.start])
        title = before.group(1) + " " + title if before else title
        offset_shift = len(before.group(1)) + 1 if before else 0
        span = InstrumentSpan(span.start - offset_shift, span.end, span.kind, span.name, span.specific)
    compound = _COMPOUND_RE.match(title) or _COMPOUND_RE.search(title[:30])
    if compound:
        spans = _compound_states(doc, compound.group(1), span.start + compound.start(1))
        return spans if len(spans) >= 2 else []
    cjk = _CJK_PREFIX_RE.match(title)
    if cjk is None:
        return []
    spans = [NameSpan(span.start + cjk.start(g), span.start + cjk.end(g), "State", cjk.group(g),
                      via="adjective") for g in (1, 2) if doc.kb.is_state_adjective(cjk.group(g))]
    return spans if len(spans) == 2 else []


def _compound_states(doc: AnnotatedDocument, compound: str, offset: int) -> list[NameSpan]:
    """The states of a compound's pieces, adjectives or names ("Sino-Soviet", "Japan–Mongolia",
    "Viet-Nam-Hungarian", "Egyptian-Republic of China"), or none when a piece names no state. The
    first piece may carry words before the compound ("The Sino-"), the last words after it
    ("-Soviet Treaty"): the longest state name each holds is its state."""
    bounds = [list(m.span()) for m in _COMPOUND_PIECE.finditer(compound)]
    first, final = bounds[0], bounds[-1]
    starts = [first[0]] + [m.end() for m in re.finditer(" ", compound[:first[1]]) if m.end() > first[0]]
    first[0] = next((start for start in starts if _state_word(doc, compound[start:first[1]])), starts[-1])
    spaces = [m.start() for m in re.finditer(" ", compound) if final[0] < m.start() < final[1]]
    ends = [final[1], *reversed(spaces)]
    final[1] = next((end for end in ends if _state_word(doc, compound[final[0]:end])), ends[-1])
    spans: list[NameSpan] = []
    index = 0
    while index < len(bounds):
        # the longest run of pieces that names a state ("Viet-Nam")
        named = ((last, _state_word(doc, compound[bounds[index][0]:bounds[last][1]]))
                 for last in range(len(bounds) - 1, index - 1, -1))
        last, via = next(((last, via) for last, via in named if via is not None), (index, None))
        if via is None:
            return []
        start, end = bounds[index][0], bounds[last][1]
        spans.append(NameSpan(offset + start, offset + end, "State", compound[start:end], via=via))
        index = last + 1
    return spans


def _state_word(doc: AnnotatedDocument, word: str) -> str | None:
    """How a word names a state: as its adjective ("Soviet", "South African") or its name ("Japan")."""
    if doc.kb.is_state_adjective(word):
        return "adjective"
    return "name" if doc.kb.is_state_name(word) else None


_DATE_FIELD = re.compile(r"^(?:Date|Published|Dated)\s*:\s*(.+?)\s*$", re.MULTILINE | re.IGNORECASE)


def _published(document: Document, text: str) -> DateValue | None:
    """When a document was published: its metadata's date, else a "Date:" field of its header."""
    if document.published:
        return DateValue(document.published)
    field = _DATE_FIELD.search(text, 0, 600)
    return parse_date(field.group(1)) if field else None


def _reference_date(doc: AnnotatedDocument) -> DateValue | None:
    """The date a document is about: its first section's date, else its most frequent full date,
    else its first date, else its publication date."""
    if doc.sections and doc.sections[0].date is not None:
        return doc.sections[0].date
    full = [d.value for d in doc.dates if d.value.precision == "day"]
    if full:
        return max(full, key=lambda v: (full.count(v), -full.index(v)))
    if doc.dates:
        return doc.dates[0].value
    return DateValue(doc.document.published) if doc.document.published else None
