"""Signing place and date: "Signed at Moscow, on 14 February 1950", "DONE at Washington, this
fourth day of April 1949", "Signé à Moscou, le 14 février 1950", "T was signed … on DATE",
"On DATE the two sides signed T", a note's dateline "Moscow, 14 February 1950", "the signature
this day of T", a news report's "T was signed here today" / "… yesterday signed T" / 今天签订了《T》 (on
the day of its dateline), an infobox's "Signed DATE" / "Location X", and 于1950年2月14日缔结了《T》.

Produces signingDate and signingPlace. A date that follows a list of instruments ("T1 and
T2, signed on 14 August 1945") is the signing date of each.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from .. import scan
from ..annotate import AnnotatedDocument
from ..dates import DateMatch, DateValue
from ..facts import Fact
from ..gazetteer import NameSpan
from .common import (
    PLACE,
    coordinated,
    date_at,
    date_value,
    header_instrument,
    instrument_ending_before,
    introduced,
    name_at,
    nearest_instrument_before,
    referents,
)

NAME = "treaty.signing"
# what may stand between "Done" and its place and date: "in duplicate", "in two originals", and
# "in the English and Japanese languages"
_COPIES = r"(?:in\s+(?:duplicate|triplicate|(?:two|three|four)\s+(?:copies|originals))\s*,?\s+)?"
_IN_LANGUAGES = r"(?:in\s+the\s+[A-Z][\w-]+(?:\s*(?:,|and)\s*[A-Z][\w-]+)*\s+languages?\s*,?\s*)?"
_SIGNED_AT = re.compile(r"\b(?:signed|done|concluded|signé|signée|fait|conclu|подписан[оаы]?|совершено|заключен[оаы]?)\s+"
                        + _COPIES + r"(?:at|in|à|во?)\s+(?:the\s+city\s+of\s+)?" + PLACE
                        + r"\s*,?\s*" + _IN_LANGUAGES
                        + r"(?:(?:on|this|the|le|in|au)\s+)*"
                        r"(?=[0-9]|[a-z]+(?:[\s-][a-z]+)?\s+day|[A-Z][a-z]+\s+\d|"
                        r"[a-z]+(?:[\s-][a-z]+){0,2}\s+(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|"
                        r"octobre|novembre|décembre))",
                        re.IGNORECASE)
# "signed … on 4 June 1962", "… on June 4, 1962", "… the afternoon of Sept. 8, 1954",
# "signé … le 4 juin 1962", "T, signed September 8, 1954, …"
_SIGNED_ON = re.compile(r"\b(?:signed|concluded|signé|signés|signées|conclu|conclus)(?:\s+|\b[^.;()]{0,80}?"
                        r"\b(?:on|le|of)\s+)(?=\d|(?-i:[A-Z][a-z]+)\.?\s+\d)", re.IGNORECASE)
_SIGNED_AT_STARTS = scan.WordStarts(["sign", "done", "conclu", "fait", "подписан", "совершено", "заключен"],
                                    ignore_case=True)
_SIGNED_ON_STARTS = scan.WordStarts(["sign", "conclu"], ignore_case=True)
_SIGNED_IN_PLACE = re.compile(r"\b(?:signed|concluded)\s+(?:[^.;]{0,40}?\s)?in\s+" + PLACE + r"\b")
_ON_DATE_SIGNED = scan.opening(["On", "on"], r"\s+(?=\d|[A-Z][a-z]+\s+\d)")
_SIGNED_VERB = re.compile(r"[^.;]{0,120}?\b(?:signed|concluded)\s+(?:the\s+)?", re.IGNORECASE)
# "to-day" in the press of the 1940s and 1950s, "to day" after OCR; "this afternoon" is the dateline's day too
_TODAY = r"to-?day|to day|yesterday|this\s+(?:morning|afternoon|evening)|to-?night"
_WAS_SIGNED_IN = scan.opening(["was", "were"], r"\s+(?:signed|concluded)\s+(?:(?:here|there)\s+)?(?:(?:"
                              + _TODAY + r")\s+)?(?:at|in)\s+" + PLACE)
_QUALIFIER = r"(?:(?:\d+|[a-z]+)-(?:year|point)\s+)?"  # "a thirty-year treaty", "a five-point agreement"
_SIGNED_OBJECT = scan.opening(["signed", "concluded"], r"\s+(?:the\s+|a\s+|an\s+)?" + _QUALIFIER + r"[\"']?",
                              re.IGNORECASE)
_SIGNED_TODAY = re.compile(r"\b(?:(?P<before>" + _TODAY + r")\s+(?:signed|concluded)|(?:signed|concluded)\s+"
                           r"(?:(?:(?P<here>here)|there)\s+)?(?P<after>" + _TODAY + r"))\b\s*"
                           r"(?:(?:a|an|the)\s+)?" + _QUALIFIER)
_PLACE_NEXT = re.compile(r"\s*(?:at|in)\s+[A-Z]")  # "signed here today in Moscow": the place is said
_THIS_DAY = scan.opening(["signature"], r"\s+(?:this\s+day|today|of\s+today)\s+of\b", re.IGNORECASE)
_DATELINE = re.compile(r"^\s*" + PLACE + r"\s*,\s*(?=\d|[A-Z][a-z]+\s+\d)", re.MULTILINE)
_DATELINE_LINES = scan.line_starts("A-Z\u00c0-\u00de\u0410-\u042f")
_FIELD = r"^\s*(?:[-*•|]\s*)?"
_SEPARATOR = r"\s*[:|]?\s*"
_INFOBOX_SIGNED = re.compile(_FIELD + r"(?:Date\s+)?[Ss]igned" + _SEPARATOR + r"(?=\d|[A-Z][a-z]+\s+\d)", re.MULTILINE)
_INFOBOX_LOCATION = re.compile(_FIELD + r"(?:Location(?:\s+[Ss]igned)?|Signed\s+at|Place\s+(?:of\s+signing|signed))"
                               + _SEPARATOR + PLACE + r"\s*(?:[,|][^\n]*)?$", re.MULTILINE)
_INFOBOX_SIGNED_LINES = scan.line_starts("-*•|DSs")
_INFOBOX_LOCATION_LINES = scan.line_starts("-*•|LSP")
_SIGNED_ON_IN = re.compile(r"\b(?:signed|concluded)\s+on\s+(?=\d|[A-Z][a-z]+\s+\d)")
_CITATION = re.compile(r"\(\s*" + PLACE + r"\s*,\s*(?=\d|[A-Z][a-z]+\s+\d)")
_CJK_SIGNED = re.compile(r"(?:于|於)?(?P<date>(?:[0-9〇一二三四五六七八九十]{4}年)?[0-9〇一二三四五六七八九十]{1,2}月"
                         r"[0-9〇一二三四五六七八九十]{1,3}日|(?P<relative>今天|今日|昨天|昨日))"
                         r"(?:[^，。《;；月]{0,60}?(?:在|于|於)(?P<place>[\u4e00-\u9fff]{2,8}?))?"
                         r"(?:正式)?(?:缔结|締結|签订|簽訂|签署|簽署|签字|簽字)(?:了)?")
_CJK_CITATION = re.compile(r"[(（]\s*(?P<date>[0-9〇一二三四五六七八九十]{4}年[0-9〇一二三四五六七八九十]{1,2}月[0-9〇一二三四五六七八九十]{1,3}日)"
                           r"\s*(?:[,，]\s*)?(?:于|於)?(?P<place>[\u4e00-\u9fff]{2,4})\s*[)）]")

_THIS_DAY_ANCHORS = scan.Anchors(_THIS_DAY, "signature", ignore_case=True)
_INFOBOX_SIGNED_ANCHORS = scan.Anchors(_INFOBOX_SIGNED, "Signed", "signed")
_INFOBOX_LOCATION_ANCHORS = scan.Anchors(_INFOBOX_LOCATION, "Location", "Signed", "Place")
_CJK_CITATION_ANCHORS = scan.Anchors(_CJK_CITATION, "月")


class SigningExtractor:
    """Where and when an instrument was signed."""

    name = NAME
    version = 1
    produces = frozenset({"signingDate", "signingPlace"})
    requires = frozenset({"instruments", "dates", "names", "sections"})

    def extract(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        yield from self._signed_at(doc)
        yield from self._signed_on(doc)
        yield from self._on_date_signed(doc)
        yield from self._signed_then_date(doc)
        yield from self._signed_in_place(doc)
        yield from self._this_day(doc)
        yield from self._signed_today(doc)
        yield from self._datelines(doc)
        yield from self._infobox(doc)
        yield from self._citations(doc)
        yield from self._chinese(doc)

    def _emit(self, doc: AnnotatedDocument, instrument: int, found, place, start: int, end: int) -> Iterator[Fact]:
        subject = doc.instrument_mention(instrument)
        if found is not None:
            yield doc.fact(subject, "signingDate", date_value(found), start, end, extractor=f"{NAME}.v1")
        if place is not None:
            yield doc.fact(subject, "signingPlace", doc.name_mention(place), start, end, extractor=f"{NAME}.v1")

    def _signed_at(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for match in scan.finditer(_SIGNED_AT, _SIGNED_AT_STARTS, doc.text):
            found = date_at(doc, match.end())
            place = name_at(doc, *match.span("place"), "Place")
            end = found.end if found else match.end()
            for instrument in self._signed_at_subjects(doc, match.start()):
                yield from self._emit(doc, instrument, found, place, match.start(), end)

    def _signed_at_subjects(self, doc: AnnotatedDocument, position: int) -> list[int]:
        header = header_instrument(doc, position)
        if header is not None:
            return [header]
        last = instrument_ending_before(doc, position)
        if last is not None and doc.referent(last) is not None:
            return referents(doc, coordinated(doc, last))
        focal = doc.focal(position)
        return [focal] if focal is not None else []

    def _signed_on(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for match in scan.finditer(_SIGNED_ON, _SIGNED_ON_STARTS, doc.text):
            found = date_at(doc, match.end(), 2)
            if found is None or found.value.precision == "year":
                continue
            last = instrument_ending_before(doc, match.start())
            if last is None:
                continue
            for instrument in referents(doc, coordinated(doc, last)):
                yield from self._emit(doc, instrument, found, None, match.start(), found.end)
            place = _SIGNED_IN_PLACE.search(doc.text, match.start(), found.end) or re.match(
                r"\s+(?:in|at)\s+" + PLACE, doc.text[found.end:found.end + 60])
            if place and place.re is not _SIGNED_IN_PLACE:
                yield from self._emit(doc, doc.referent(last) or last, None,
                                      name_at(doc, found.end + place.start("place"), found.end + place.end("place"), "Place"),
                                      match.start(), found.end + place.end())
            elif place:
                yield from self._emit(doc, doc.referent(last) or last, None, name_at(doc, *place.span("place"), "Place"),
                                      match.start(), found.end)

    def _on_date_signed(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for match in _ON_DATE_SIGNED.finditer(doc.text):
            found = date_at(doc, match.end(), 1)
            if found is None or found.value.precision != "day":
                continue
            verb = _SIGNED_VERB.match(doc.text, found.end)
            if not verb:
                continue
            after = [i for i in doc.instruments_in(verb.end(), doc.sentence_at(verb.end())[1]) if doc.instruments[i].start <= verb.end() + 2]
            for instrument in introduced(doc, after[:1]):
                yield from self._emit(doc, instrument, found, None, match.start(), doc.instruments[after[0]].end)

    def _signed_then_date(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        """"The two sides signed the "T" on February 14, 1950"."""
        for verb in _SIGNED_OBJECT.finditer(doc.text):
            after = [i for i in doc.instruments_in(verb.end(), verb.end() + 300) if doc.instruments[i].start <= verb.end() + 2]
            if not after:
                continue
            end = doc.instruments[after[0]].end
            tail = re.match(r"[\s\"',]*(?:(?:in|at)\s+" + PLACE + r"\s*,?\s+)?(?:on|dated)\s+", doc.text[end:end + 80])
            found = date_at(doc, end + tail.end(), 1) if tail else None
            if found is None or found.value.precision != "day":
                continue
            place = name_at(doc, end + tail.start("place"), end + tail.end("place"), "Place") if tail.group("place") else None
            for instrument in introduced(doc, after[:1]):
                yield from self._emit(doc, instrument, found, place, verb.start(), found.end)

    def _signed_in_place(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        """"T, which was signed in New Delhi by …": a place the knowledge base knows, without a date."""
        for match in _WAS_SIGNED_IN.finditer(doc.text):
            places = [n for n in doc.names_in(*match.span("place"), kinds={"City", "Place", "Port"}) if n.start == match.start("place")]
            last = instrument_ending_before(doc, match.start())
            if not places or last is None or date_at(doc, match.end(), 8) is not None:
                continue
            for instrument in referents(doc, coordinated(doc, last)):
                yield from self._emit(doc, instrument, None, places[0], match.start(), match.end())

    def _this_day(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for match in _THIS_DAY.finditer(doc.text) if not _THIS_DAY_ANCHORS.absent(doc.text) else ():
            section_date = doc.date_at(match.start())
            sentence_end = doc.sentence_at(match.start())[1]
            stop = re.search(r",\s*(?:I|we)\b", doc.text[match.end():sentence_end])
            end = match.end() + stop.start() if stop else sentence_end
            if section_date is None or section_date.precision != "day":
                continue
            for instrument in referents(doc, doc.instruments_in(match.end(), end)):
                from ..facts import Value

                yield doc.fact(doc.instrument_mention(instrument), "signingDate", Value(section_date.iso, "date"),
                               match.start(), end, extractor=f"{NAME}.v1")

    def _signed_today(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        """"T was signed here today", "the two ministers yesterday signed a treaty of …": a news
        report's today is its dateline's day; without a dated dateline, no date."""
        for match in _SIGNED_TODAY.finditer(doc.text) if doc.dateline is not None else ():
            found = _relative_day(doc, match.group("before") or match.group("after"), match.start())
            if found is None:
                continue
            last = instrument_ending_before(doc, match.start())
            if last is not None:
                subjects, end = referents(doc, coordinated(doc, last)), match.end()
            else:
                after = [i for i in doc.instruments_in(match.end(), doc.sentence_at(match.end())[1])
                         if doc.instruments[i].start <= match.end() + 2]
                subjects = introduced(doc, after[:1])
                end = doc.instruments[after[0]].end if after else match.end()
            here = match.group("here") and not _PLACE_NEXT.match(doc.text, match.end())
            place = _dateline_place(doc) if here else None
            for instrument in subjects:
                yield from self._emit(doc, instrument, found, place, match.start(), end)

    def _datelines(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for match in scan.finditer(_DATELINE, None, doc.text, lines=_DATELINE_LINES):
            instrument = doc.focal(match.start())
            found = date_at(doc, match.end(), 1)
            line_end = doc.text.find("\n", match.start() + 1)
            line_end = len(doc.text) if line_end < 0 else line_end
            if instrument is None or found is None or found.end < line_end - 2 or doc.instruments[instrument].kind != "ExchangeOfNotes":
                continue
            place = name_at(doc, *match.span("place"), "Place")
            yield from self._emit(doc, instrument, found, place, match.start("place"), found.end)

    def _infobox(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        title = doc.focal(0)
        if title is None:
            return
        for match in scan.finditer(_INFOBOX_SIGNED, None, doc.text, lines=_INFOBOX_SIGNED_LINES) \
                if not _INFOBOX_SIGNED_ANCHORS.absent(doc.text) else ():
            found = date_at(doc, match.end(), 1)
            if found is not None:
                yield from self._emit(doc, title, found, None, match.start(), found.end)
        for match in scan.finditer(_INFOBOX_LOCATION, None, doc.text, lines=_INFOBOX_LOCATION_LINES) \
                if not _INFOBOX_LOCATION_ANCHORS.absent(doc.text) else ():
            yield from self._emit(doc, title, None, name_at(doc, *match.span("place"), "Place"), match.start("place"),
                                  match.end("place"))

    def _citations(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        """A title followed by "(Place, date)", as treaty series and bibliographies cite it."""
        for match in _CITATION.finditer(doc.text):
            found = date_at(doc, match.end(), 1)
            if found is None or found.value.precision != "day" or not re.match(r"\s*\)", doc.text[found.end:found.end + 3]):
                continue
            instrument = nearest_instrument_before(doc, match.start(), within=doc.block_at(match.start()).start,
                                                   filler=r"[\s,.]*(?:\[[^\]]*\])?[\s,.]*")
            if instrument is not None:
                yield from self._emit(doc, instrument, found, name_at(doc, *match.span("place"), "Place"),
                                      match.start(), found.end + 1)

    def _chinese(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        # a match has 月, or says 今天 or 昨天, which only a dateline dates
        for match in _CJK_SIGNED.finditer(doc.text) if "月" in doc.text or doc.dateline is not None else ():
            relative = match.group("relative")
            found = _relative_day(doc, relative, match.start("date")) if relative else \
                next((d for d in doc.dates if d.start == match.start("date")), None)
            sentence_start = doc.sentence_at(match.start())[0]
            after = [i for i in doc.instruments_in(match.end(), match.end() + 60) if doc.instruments[i].start <= match.end() + 2]
            instruments = referents(doc, after[:1])
            if not instruments:
                before = nearest_instrument_before(doc, match.start(), within=sentence_start)
                instruments = [before] if before is not None else []
            if found is None:
                continue
            place = name_at(doc, *match.span("place"), "Place") if match.group("place") else None
            for instrument in instruments:
                yield from self._emit(doc, instrument, found, place, match.start(), match.end())
        for match in _CJK_CITATION.finditer(doc.text) if not _CJK_CITATION_ANCHORS.absent(doc.text) else ():
            found = next((d for d in doc.dates if d.start == match.start("date")), None)
            instrument = nearest_instrument_before(doc, match.start(), within=doc.block_at(match.start()).start,
                                                   filler=r"\s*")
            if found is not None and instrument is not None:
                yield from self._emit(doc, instrument, found, name_at(doc, *match.span("place"), "Place"),
                                      match.start(), match.end())


_DAYS_BEFORE = {"thismorning": 0, "thisafternoon": 0, "thisevening": 0, "tonight": 0, "today": 0, "今天": 0,
                "今日": 0, "yesterday": 1, "昨天": 1, "昨日": 1}


def _dateline_place(doc: AnnotatedDocument) -> NameSpan | None:
    """The place a report's dateline names ("TASHKENT, Jan. 10 (AP) —"): where its "here" is."""
    if doc.dateline is None:
        return None
    line_start = doc.text.rfind("\n", 0, doc.dateline.start) + 1
    places = doc.names_in(line_start, doc.dateline.start, {"City", "Place", "Port"})
    return places[0] if places else None


def _relative_day(doc: AnnotatedDocument, word: str, position: int) -> DateMatch | None:
    """The day a report's "today" or "yesterday" at position means, counted from its dateline's day."""
    dateline = doc.dateline
    if dateline is None or dateline.value.precision != "day" or position < dateline.start:
        return None
    days_before = _DAYS_BEFORE[re.sub(r"[-\s]", "", word.lower())]
    day = datetime.date.fromisoformat(dateline.value.iso) - datetime.timedelta(days_before)
    return DateMatch(position, position + len(word), DateValue(day.isoformat()))
