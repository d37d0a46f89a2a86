"""Signers told in prose: "Prime Minister Yoshida signed for Japan", "The Treaty was signed for
Japan by Messrs. Yoshida, Ikeda and Ichimada", "Signers for the United States were Mr. Acheson
and Mr. Dulles", "Signatories were Argentina, Australia, …", and a list of signers under an
introduction such as "The following leaders signed the agreement as plenipotentiaries:".

Produces signs, represents (the state signed for) and isPartyTo (a state signed for, or named
as a signatory).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import scan
from ..annotate import AnnotatedDocument
from ..facts import Fact
from ..gazetteer import RANK_WORDS, NameSpan
from ..names import clean_label
from .common import (
    CJK_STATE_TITLE,
    STATE_KINDS,
    cjk_person,
    coordinated,
    instrument_ending_before,
    referents,
)

NAME = "treaty.signers"
_WORD = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w'-]*)"
_STATE = r"(?P<state>(?:the\s+)?" + _WORD + r"(?:,?\s+(?:of\s+|the\s+|and\s+(?:the\s+)?)?" + _WORD + r"){0,30})"
_FOR_BY = scan.opening(["signed"], r"\s+(?:it\s+)?(?:for|on\s+behalf\s+of)\s+" + _STATE + r"\s+by\s+(?P<people>)")
_PEOPLE_FOR = re.compile(r"(?<!\S)(?P<people>)(?:signed|initialed|initialled)\s+(?:the\s+\w+\s+|it\s+)?"
                         r"(?:for|on\s+behalf\s+of)\s+" + _STATE)
_SIGNERS_FOR = scan.opening(["Signers", "signers", "Signatories", "signatories", "Signatures", "signatures"],
                            r"\s+(?:for|of)\s+" + _STATE + r"\s+(?:were|was|are|included|:)\s+(?P<people>)")
# "Signing for the United States, the Secretary of State (Mr Dean Acheson) declared …"
_SIGNING_FOR = scan.opening(["Signing"], r"\s+for\s+" + _STATE + r"\s*(?:,|were|was)\s+(?P<people>)")
# Where _PEOPLE_FOR can begin (its lookbehind keeps the engine from skipping ahead), and the words of each.
_PEOPLE_FOR_STARTS = scan.WordStarts(["signed", "initial"])
_SIGNED_FOR_ANCHORS = {_FOR_BY: scan.Anchors(_FOR_BY, "signed"),
                       _PEOPLE_FOR: scan.Anchors(_PEOPLE_FOR, "signed", "initial"),
                       _SIGNERS_FOR: scan.Anchors(_SIGNERS_FOR, "igners", "ignatories", "ignatures"),
                       _SIGNING_FOR: scan.Anchors(_SIGNING_FOR, "Signing")}
_SIGNED_BY_PEOPLE = scan.opening(["signed", "initialled", "initialed", "signée?s?", "paraphée?s?"],
                                 r"\b[^.;]{0,60}?\b(?:by|par)\s+(?=(?:[A-Z]|the\s+[A-Z]))")
_SIGNATORIES = ["Signatories", "signatories", r"Signatory\s+(?:states|countries|powers)",
                r"signatory\s+(?:states|countries|powers)", "Parties", "parties"]
_SIGNATORY_STATES = scan.opening(_SIGNATORIES, r"\s+(?:were|are|included|:)\s+(?P<list>[^.;]{3,2000})")
# an infobox's row as a table keeps it when copied: "Parties |\nUnited Kingdom France |"
_SIGNATORY_CELL = scan.opening(_SIGNATORIES, r"\s*\|\s*(?P<list>[^|]{3,2000}?)\|")
_SIGNATORY_CELL_ANCHORS = scan.Anchors(_SIGNATORY_CELL, "|")
_LIST_INTRO = scan.opening(["signed", "signatories", "plenipotentiaries", "signers"],
                           r"[^\n]{0,200}?(?::(?:\[\d+\])*|={2,})\s*\n", re.IGNORECASE, boundary=False)
_ITEM = re.compile(r"^\s*(?:[-–•*]\s*)+(?P<item>[^\n]+)$", re.MULTILINE)
_TITLE_WORDS = re.compile(
    r"^(?:(?:Messrs|Mr|Mrs|Dr|M|Sir|Senators?|Representatives?|Councill?ors?|Prime\s+Minister|Foreign\s+Minister|"
    r"Foreign\s+Secretary|Minister(?:\s+of\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)?|Ambassadors?|President|Premier|"
    r"Chairman|Secretary\s+of\s+State(?:\s+for\s+(?:External|Foreign|Commonwealth)\s+(?:Affairs|Relations)|\s+for\s+[A-Z][a-z]+)?|"
    r"Deputy|Vice|General|Marshal|"
    r"Generalissimo|King|Emperor|Baron|Count|Lord|and|by|the|both)\.?\s+)+")
_NOT_A_NAME = re.compile(r"\b(?:members?|three|other|delegates?|respective|chiefs?|delegation|Committee|Government|"
                         r"The|This|That|Treaty|Agreement|Protocol|Convention|Declaration|Charter|Pact|Minister|"
                         r"President|Premier|Secretary|Ambassador|Chairman|Government|Delegation)\b"
                         rf"|^(?:{RANK_WORDS})\b")


class SignersExtractor:
    """Who signed, for which state, as reports and histories tell it."""

    name = NAME
    version = 1
    produces = frozenset({"signs", "represents", "isPartyTo"})
    requires = frozenset({"instruments", "names", "sections"})

    def extract(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for pattern in (_FOR_BY, _PEOPLE_FOR, _SIGNERS_FOR, _SIGNING_FOR):
            if _SIGNED_FOR_ANCHORS[pattern].absent(doc.text):
                continue
            starts = _PEOPLE_FOR_STARTS if pattern is _PEOPLE_FOR else None
            for match in scan.finditer(pattern, starts, doc.text) if starts else pattern.finditer(doc.text):
                yield from self._signed_for(doc, match)
        yield from self._signed_by_people(doc)
        yield from self._signatory_states(doc)
        yield from self._signer_lists(doc)
        yield from self._chinese(doc)

    def _instrument(self, doc: AnnotatedDocument, position: int) -> int | None:
        found = self._instruments(doc, position)
        return found[0] if found else None

    def _instruments(self, doc: AnnotatedDocument, position: int) -> list[int]:
        """The instruments a signing statement at position speaks of: those named in its sentence
        (with the ones coordinated with them), else the last ones named in its paragraph."""
        start, end = doc.sentence_at(position)
        mentions = doc.instruments_in(start, end)
        if mentions:
            found = referents(doc, coordinated(doc, mentions[0]) + mentions[:1] + _following(doc, mentions[0], end))
            if found:
                return found
        block_start = doc.block_at(position).start
        earlier = doc.instruments_in(block_start, start)
        if earlier and doc.referent(earlier[-1]) is not None:
            return referents(doc, coordinated(doc, earlier[-1]))
        focal = doc.focal(position)
        return [focal] if focal is not None else []

    def _signed_for(self, doc: AnnotatedDocument, match: re.Match[str]) -> Iterator[Fact]:
        sentence_end = doc.sentence_at(match.start("state"))[1]
        states = doc.names_in(match.start("state"), min(match.end("state"), sentence_end), kinds=STATE_KINDS)
        instruments = self._instruments(doc, match.start())
        if not states or not instruments:
            return
        people_start, people_end = match.span("people")
        if match.re is _PEOPLE_FOR:
            people_start, people_end = _subject_before(doc, match.start())
        elif people_end == people_start:
            people_end = doc.sentence_at(match.start())[1]
        if people_end - people_start < 3 or re.search(r"\b(?:was|were|been|be|is|are)\s*$", doc.text[people_start:people_end]):
            return
        evidence = (match.start(), max(match.end(), people_end))
        signers = people(doc, people_start, people_end)
        for instrument in instruments:
            treaty = doc.instrument_mention(instrument)
            for state in states:
                yield doc.fact(doc.name_mention(state), "isPartyTo", treaty, *evidence, extractor=f"{NAME}.v1")
            for person in signers:
                mention = doc.name_mention(person)
                yield doc.fact(mention, "signs", treaty, *evidence, extractor=f"{NAME}.v1")
                if len(states) == 1:
                    yield doc.fact(mention, "represents", doc.name_mention(states[0]), *evidence, extractor=f"{NAME}.v1")

    def _signed_by_people(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        """"The Tashkent Declaration signed this afternoon by President Ayub Khan and Premier Shastri",
        "… a été signé à Varsovie par M. Georges Bidault et M. Zygmunt Modzelewski"."""
        for match in _SIGNED_BY_PEOPLE.finditer(doc.text):
            last = instrument_ending_before(doc, match.start())
            if last is None:
                continue
            _, end = doc.sentence_at(match.start())
            stop = re.search(r"\s(?:at|in|on|envisages?|which|who|to|à|au|en|lors|qui)\s|[;:]",
                             doc.text[match.end():end])
            people_end = match.end() + stop.start() if stop else end
            evidence = (doc.instruments[last].start, people_end)
            for instrument in referents(doc, coordinated(doc, last)):
                treaty = doc.instrument_mention(instrument)
                for person in people(doc, match.end(), people_end, surnames=False):
                    mention = doc.name_mention(person)
                    yield doc.fact(mention, "signs", treaty, *evidence, extractor=f"{NAME}.v1")
                    acting = acting_for(doc, person.end, people_end)
                    state = office_state(doc, person.end, people_end) or acting or \
                        adjective_state(doc, match.end(), person.start)
                    if state is not None:
                        yield doc.fact(mention, "represents", doc.name_mention(state), *evidence,
                                       extractor=f"{NAME}.v1")
                    if acting is not None:  # "signed by X for Y": Y signed it
                        yield doc.fact(doc.name_mention(acting), "isPartyTo", treaty, *evidence,
                                       extractor=f"{NAME}.v1")

    def _signatory_states(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        cells = _SIGNATORY_CELL.finditer(doc.text) if not _SIGNATORY_CELL_ANCHORS.absent(doc.text) else ()
        for match in (*_SIGNATORY_STATES.finditer(doc.text), *cells):
            instrument = self._instrument(doc, match.start())
            states = doc.names_in(*match.span("list"), kinds=STATE_KINDS)
            for state in states if instrument is not None and len(states) >= 2 else ():
                yield doc.fact(doc.name_mention(state), "isPartyTo", doc.instrument_mention(instrument),
                               match.start(), match.end(), extractor=f"{NAME}.v1")

    def _signer_lists(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for intro in _LIST_INTRO.finditer(doc.text):
            instrument = self._instrument(doc, intro.start())
            if instrument is None:
                continue
            treaty = doc.instrument_mention(instrument)
            for item in _ITEM.finditer(doc.text, intro.end(), _list_end(doc.text, intro.end())):
                states = doc.names_in(*item.span("item"), kinds=STATE_KINDS)
                for person in people(doc, *item.span("item"), surnames=False):
                    mention = doc.name_mention(person)
                    yield doc.fact(mention, "signs", treaty, item.start("item"), item.end(), extractor=f"{NAME}.v1")
                    if len(states) == 1:
                        yield doc.fact(mention, "represents", doc.name_mention(states[0]), item.start("item"),
                                       item.end(), extractor=f"{NAME}.v1")


    def _chinese(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        """由中华人民共和国国务院总理周恩来与朝鲜…内阁首相金日成在北京签订: each state's officer signs for it."""
        for verb in _CJK_SIGN_VERB.finditer(doc.text) if not _CJK_SIGN_VERB_ANCHORS.absent(doc.text) else ():
            start, _ = doc.sentence_at(verb.start())
            instrument = self._instrument(doc, verb.start())
            if instrument is None:
                continue
            treaty = doc.instrument_mention(instrument)
            for state in doc.names_in(start, verb.start(), STATE_KINDS):
                officer = _CJK_OFFICER.match(doc.text, state.end)
                person = cjk_person(doc, officer.end(), verb.start()) if officer else None
                if person is None:
                    continue
                mention = doc.name_mention(person)
                yield doc.fact(mention, "signs", treaty, state.start, verb.end(), extractor=f"{NAME}.v1")
                yield doc.fact(mention, "represents", doc.name_mention(state), state.start, verb.end(),
                               extractor=f"{NAME}.v1")


_CJK_SIGN_VERB = re.compile(r"(?:签订|簽訂|签署|簽署|签字|簽字|缔结|締結)")
_CJK_SIGN_VERB_ANCHORS = scan.Anchors(_CJK_SIGN_VERB, "签", "簽", "缔", "締")
_CJK_OFFICER = re.compile(CJK_STATE_TITLE)


_OFFICE = re.compile(r"\b(?:Minister|Secretary|Ambassador|President|Premier|Chairman|Commissar|Representative|Envoy|"
                     r"Plenipotentiary)\b")


def office_state(doc: AnnotatedDocument, position: int, limit: int) -> NameSpan | None:
    """The state of the office written after a name ("Swaran Singh, Minister of External Affairs of India")."""
    head = re.match(r"\s*,\s*", doc.text[position:limit])
    if head is None:
        return None
    start = position + head.end()
    stop = re.search(r"[,;]|\s+and\s+(?=Mr|H\.|[A-Z]\.|[A-Z][a-z]+\s+[A-Z])", doc.text[start:limit])
    end = start + stop.start() if stop else limit
    if not _OFFICE.search(doc.text, start, end):
        return None
    states = doc.names_in(start, end, STATE_KINDS)
    return states[-1] if states else None


_ACTING_FOR = re.compile(r",?\s+(?:representing|for|on\s+behalf\s+of)\s+")


def acting_for(doc: AnnotatedDocument, position: int, limit: int) -> NameSpan | None:
    """The state a signer acts for, written after the name ("Nam Il representing North Korea", "X for Y")."""
    head = _ACTING_FOR.match(doc.text, position, limit)
    if head is None:
        return None
    stop = re.compile(r",|\s+and\s").search(doc.text, head.end(), limit)
    states = doc.names_in(head.end(), stop.start() if stop else limit, STATE_KINDS)
    if not states or not re.fullmatch(r"(?:the\s+)?", doc.text[head.end():states[0].start]):
        return None
    return states[0]


def _subject_before(doc: AnnotatedDocument, verb_start: int) -> tuple[int, int]:
    """The clause before a verb: from its sentence's start (or the last ';' or ':') to the verb."""
    start = doc.sentence_at(verb_start)[0]
    stop = max(doc.text.rfind(";", start, verb_start), doc.text.rfind(":", start, verb_start))
    start = stop + 1 if stop >= 0 else start
    end = verb_start
    while end > start and doc.text[end - 1].isspace():
        end -= 1
    return start, end


def _following(doc: AnnotatedDocument, first: int, end: int) -> list[int]:
    """The mentions coordinated after the first one in a sentence ("The Treaty and Protocol …")."""
    later = [i for i in doc.instruments_in(doc.instruments[first].end, end)]
    chain: list[int] = []
    previous = first
    for index in later:
        gap = doc.text[doc.instruments[previous].end:doc.instruments[index].start]
        if not re.fullmatch(r"[\s,]*(?:and|as\s+well\s+as)\s+(?:the\s+)?", gap):
            break
        chain.append(index)
        previous = index
    return chain


def adjective_state(doc: AnnotatedDocument, start: int, person_start: int) -> NameSpan | None:
    """The state an office before a name belongs to ("Soviet Foreign Minister Andrei Vishinsky")."""
    piece_start = max(start, doc.text.rfind(",", start, person_start) + 1, _last_and(doc.text, start, person_start))
    prefix = doc.text[piece_start:person_start]
    if not _OFFICE.search(prefix):
        return None
    for word in re.finditer(r"[A-Z][a-z]+", prefix):
        if doc.kb.is_state_adjective(word.group()):
            return NameSpan(piece_start + word.start(), piece_start + word.end(), "State", word.group(), via="adjective")
    states = doc.names_in(piece_start, person_start, STATE_KINDS)
    return states[-1] if states else None


def _last_and(text: str, start: int, end: int) -> int:
    found = [m.end() for m in re.finditer(r"\s+and\s+", text[start:end])]
    return start + found[-1] if found else start


def _list_end(text: str, start: int) -> int:
    match = re.compile(r"\n\s*\n(?!\s*[-–•*])").search(text, start)
    return match.start() if match else len(text)


def people(doc: AnnotatedDocument, start: int, end: int, *, surnames: bool = True) -> list[NameSpan]:
    """The persons named in a list ("Messrs. Yoshida, Ikeda, and Ichimada and Senator John Sparkman
    of Alabama"): knowledge-base persons, else each comma- or "and"-separated name after its title."""
    found: list[NameSpan] = []
    for piece in re.finditer(r"[^,;]+", doc.text[start:end]):
        for part in re.finditer(r"(?:(?!\s+(?:and|et)\s+).)+", piece.group()):
            part_start = start + piece.start() + part.start()
            part_end = start + piece.start() + part.end()
            known = doc.names_in(part_start, part_end, {"Person"})
            if known:
                found += [k for k in known if k not in found]
                continue
            aside = doc.text.find("(", part_start, part_end)
            acting = next((m.start() for m in _ACTING_FOR.finditer(doc.text, part_start, part_end)
                           if acting_for(doc, m.start(), part_end) is not None), part_end)
            bare_end = min(aside if aside >= 0 else part_end, acting)
            if doc.names_in(part_start, bare_end, {"State", "Organization", "City", "Place", "Port"}):
                continue
            span = _name_in(doc, part_start, bare_end, surnames)
            closing = doc.text.find(")", aside, part_end) if aside >= 0 else -1
            if span is None and closing > 0:  # "the Secretary of State (Mr Dean Acheson)"
                span = _name_in(doc, aside + 1, closing, surnames)
            if span is not None and span.name not in {f.name for f in found}:
                found.append(span)
    return found


_NOT_SURNAMES = {"The", "It", "He", "She", "They", "This", "That", "These", "Those", "Both", "All", "Each", "Signed",
                 "Treaty", "Mr", "Messrs", "Senators", "Senator", "Others", "Other"}


def _name_in(doc: AnnotatedDocument, start: int, end: int, surnames: bool) -> NameSpan | None:
    text = doc.text[start:end]
    lead = len(text) - len(text.lstrip())
    title = _TITLE_WORDS.match(text[lead:])
    offset = lead + (title.end() if title else 0)
    name = re.match(r"(?:[A-Z][a-z]?\.\s*){0,3}[A-Z][\w'\u00c0-\u017f-]+(?:\s+(?:[A-Z][\w'\u00c0-\u017f-]+|[A-Z]\.|van|von|de|da|af)){0,4}"
                    r"(?:,?\s+(?:Jr|Sr)\.)?", text[offset:])
    if name is None or _NOT_A_NAME.search(name.group()) or _TITLE_WORDS.fullmatch(name.group() + " "):
        return None
    words = name.group().split()
    while len(words) > 1 and words[-1] in ("of", "van", "von", "de", "da", "af"):
        words.pop()
    if len(words) == 1 and title is None and (not surnames or words[0] in _NOT_SURNAMES or not words[0][1:].islower()):
        return None
    body = " ".join(words)
    if words[-1] in ("Jr", "Sr") and text[offset + len(name.group()):offset + len(name.group()) + 1] == ".":
        body += "."
    return NameSpan(start + offset, start + offset + len(body), "Person", clean_label(body), via="pattern")
