"""Recognition: "X recognizes/recognized Y", "X recognized it", "the two Contracting Parties
recognize that the independent status of Y …", "X accepted the independence of Y",
"X a reconnu Y", "承认".

Produces recognizes between states. Withdrawals ("rescinding its recognition"), negations and
modal statements ("did not recognize", "may recognize") give nothing; a conditional one
("provided that …") is kept and marked conditional.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import scan
from ..annotate import AnnotatedDocument
from ..facts import Fact
from .common import STATE_KINDS, modal_before

NAME = "treaty.recognition"
_VERBS = [r"recogni[sz](?:e|es|ed)", r"accept(?:s|ed)?", r"acknowledg(?:e|es|ed)", r"reconna(?:ît|it|issent|issait)",
          r"a\s+reconnu", r"ont\s+reconnu"]
# \b(?:formally\s+|hereby\s+|officially\s+|de\s+jure\s+)?(?:VERBS)\b(?:\s+(?:that|que))?, with the adverbs taken
# into the alternatives ("(?:a\s+)?V" is "a\s+V|V").
_VERB = scan.opening([rf"{adverb}\s+(?:{'|'.join(_VERBS)})" for adverb in ("formally", "hereby", "officially", r"de\s+jure")]
                     + _VERBS, r"\b(?:\s+(?:that|que))?", re.IGNORECASE)
_VERB_ANCHORS = scan.Anchors(_VERB, "recogni", "accept", "acknowledg", "reconn", ignore_case=True)
_OBJECT = re.compile(r"^\s*(?:the\s+|l[ae']\s*)?(?:(?:de\s+jure\s+|full\s+)?(?:independen(?:ce|t\s+status)|sovereignty|"
                     r"government|indépendance|souveraineté)\s+(?:of|de)\s+)?(?:the\s+|la\s+|l')?", re.IGNORECASE)
_PARTIES = re.compile(r"\b(?:the\s+)?(?:two\s+|both\s+|High\s+)?(?:Contracting\s+Parties|Governments|Parties|sides)\s*$|"
                      r"\b(?:les\s+)?(?:deux\s+)?(?:Hautes\s+)?Parties\s+contractantes\s*$", re.IGNORECASE)
_PRONOUN = re.compile(r"\s*(?:it|them|that\s+(?:Republic|State|Government))\b", re.IGNORECASE)
_CJK = re.compile(r"(?P<subject>[\u4e00-\u9fff]{2,12}?)(?:正式)?承认(?:了)?(?P<object>[\u4e00-\u9fff]{2,16})")


class RecognitionExtractor:
    """Which state recognized which."""

    name = NAME
    version = 1
    produces = frozenset({"recognizes"})
    requires = frozenset({"names", "instruments", "parties"})

    def extract(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for verb in _VERB.finditer(doc.text) if not _VERB_ANCHORS.absent(doc.text) else ():
            if modal_before(doc, verb.start(), 25):
                continue
            subjects = self._subjects(doc, verb.start())
            target = self._object(doc, verb)
            if not subjects or target is None:
                continue
            sentence_start = doc.sentence_at(verb.start())[0]
            for subject in subjects:
                if subject.name != target.name:
                    yield doc.fact(doc.name_mention(subject), "recognizes", doc.name_mention(target),
                                   sentence_start, target.end, extractor=f"{NAME}.v1")
        yield from self._chinese(doc)

    def _subjects(self, doc: AnnotatedDocument, position: int) -> list:
        start = doc.sentence_at(position)[0]
        before = doc.text[start:position]
        if _PARTIES.search(before):
            instrument = doc.focal(position)
            return doc.parties_of(instrument) if instrument is not None else []
        states = doc.names_in(start, position, STATE_KINDS)
        if not states:
            return []
        last = states[-1]
        between = doc.text[last.end:position]
        if len(between) > 6 and not re.fullmatch(r"\s*(?:,[^,]{0,40},)?\s*(?:has|have|had|then|also|soon|later|quickly|"
                                                 r"immediately|formally|officially)?\s*", between):
            return []
        return [last]

    def _object(self, doc: AnnotatedDocument, verb: re.Match[str]):
        if _PRONOUN.match(doc.text, verb.end()):
            start = doc.sentence_at(verb.start())[0]
            subjects = self._subjects(doc, verb.start())
            earlier = [s for s in doc.names_in(start, verb.start(), STATE_KINDS) if s not in subjects]
            return earlier[-1] if earlier else None
        lead = _OBJECT.match(doc.text[verb.end():verb.end() + 80])
        position = verb.end() + (lead.end() if lead else 0)
        states = [s for s in doc.names_in(position, position + 80, STATE_KINDS)]
        if states and not doc.text[position:states[0].start].strip():
            return states[0]
        return None

    def _chinese(self, doc: AnnotatedDocument) -> Iterator[Fact]:
        for match in _CJK.finditer(doc.text) if "承认" in doc.text else ():  # every match has 承认
            subjects = doc.names_in(*match.span("subject"), kinds=STATE_KINDS)
            objects = doc.names_in(*match.span("object"), kinds=STATE_KINDS)
            if subjects and objects and not re.search(r"不|未|没有|拒绝", match.group("subject")):
                yield doc.fact(doc.name_mention(subjects[-1]), "recognizes", doc.name_mention(objects[0]),
                               match.start(), match.end(), extractor=f"{NAME}.v1")
