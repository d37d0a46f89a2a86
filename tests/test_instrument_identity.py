"""treatykg.resolve: instruments that share a generic title are one instrument unless the evidence
separates them. Many bilateral instruments are called "Agreement on Cultural Co-operation" or
"Exchange of Notes constituting an Agreement"; their parties and signing days tell them apart,
while sources that disagree about one instrument (the same parties, another date) stay one node
that carries both claims."""

from __future__ import annotations

import re

from treatykg import KnowledgeBase
from treatykg.facts import Fact, Mention, Value
from treatykg.kb import TREATY_KINDS
from treatykg.rdf import entity_iris
from treatykg.resolve import Resolution, resolve, title_key

TITLE = "Agreement on Cultural Co-operation"


class _Doc:
    """One document about one instrument: its title and what it says about it."""

    def __init__(self, doc_id: str, title: str = TITLE) -> None:
        self.doc_id = doc_id
        self.instrument = Mention(doc_id, "Agreement", title, 0, len(title), via="title")
        self.facts: list[Fact] = []
        self.offset = 100

    def _fact(self, subject: Mention, predicate: str, obj: Mention | Value) -> None:
        self.facts.append(Fact(subject, predicate, obj, self.doc_id, self.offset, self.offset + 1, "x", "t"))
        self.offset += 10

    def parties(self, *names: str) -> _Doc:
        for name in names:
            self._fact(Mention(self.doc_id, "State", name, self.offset, self.offset + len(name)),
                       "isPartyTo", self.instrument)
        return self

    def signed(self, day: str) -> _Doc:
        self._fact(self.instrument, "signingDate", Value(day, "date"))
        return self

    def date(self, predicate: str, day: str) -> _Doc:
        self._fact(self.instrument, predicate, Value(day, "date"))
        return self


def _resolve(docs: list[_Doc], kb: KnowledgeBase) -> Resolution:
    return resolve([f for d in docs for f in d.facts], [d.instrument for d in docs], kb)


def _instruments(result: Resolution) -> list[str]:
    return sorted(k for k, e in result.entities.items() if e.kind in TREATY_KINDS)


def _claims(result: Resolution, key: str, predicate: str) -> set[str]:
    return {f.object.lexical for f in result.facts if f.subject == key and f.predicate == predicate
            and isinstance(f.object, Value)}


def _parties(result: Resolution, key: str) -> set[str]:
    return {f.subject for f in result.facts if f.object == key and f.predicate == "isPartyTo"}


def test_same_generic_title_disjoint_parties_are_two_instruments(kb: KnowledgeBase) -> None:
    in_force = "entryIntoForceDate"
    docs = [_Doc("a").parties("Libya", "Switzerland").signed("1962-12-18").date(in_force, "1963-01-01"),
            _Doc("b").parties("Iraq", "Argentina").signed("1964-05-02").date(in_force, "1962-06-01")]
    result = _resolve(docs, kb)
    first, second = _instruments(result)
    assert _parties(result, first) and _parties(result, second)
    assert _parties(result, first).isdisjoint(_parties(result, second))
    for key in (first, second):
        # each instrument keeps its own dates: no "entry into force before signing" across documents
        assert len(_claims(result, key, "signingDate")) == 1
        assert len(_claims(result, key, "entryIntoForceDate")) == 1
    # readable, deterministic IRIs: the title, then what tells the instrument apart
    iris = [str(iri).rsplit("/", 1)[1] for key, iri in entity_iris(result).items() if key in (first, second)]
    assert all(iri.startswith("agreement-on-cultural-co-operation-") for iri in iris)
    assert any("libya" in iri and "1962" in iri for iri in iris)
    assert any("iraq" in iri and "1964" in iri for iri in iris)
    assert not any(re.search(r"-[0-9a-f]{8,}$", iri) for iri in iris)
    assert _instruments(_resolve(docs[::-1], kb)) == [first, second]


def test_disjoint_parties_separate_without_dates(kb: KnowledgeBase) -> None:
    result = _resolve([_Doc("a").parties("Libya", "Switzerland"), _Doc("b").parties("Iraq", "Argentina")], kb)
    assert len(_instruments(result)) == 2


def test_two_bilateral_instruments_sharing_one_party_are_two(kb: KnowledgeBase) -> None:
    result = _resolve([_Doc("a").parties("Libya", "Switzerland").signed("1962-12-18"),
                       _Doc("b").parties("Libya", "Iraq")], kb)
    assert len(_instruments(result)) == 2


def test_one_side_without_parties_or_dates_is_one_instrument(kb: KnowledgeBase) -> None:
    text = _Doc("text").parties("Libya", "Switzerland").signed("1962-12-18")
    for other in (_Doc("news"), _Doc("news").signed("1962-12-19"), _Doc("news").parties("Libya")):
        result = _resolve([text, other], kb)
        (key,) = _instruments(result)
        assert {"text", "news"} <= set(result.entities[key].documents)


def test_news_naming_the_known_pair_merges_with_the_text(kb: KnowledgeBase) -> None:
    docs = [_Doc("text").parties("Libya", "Switzerland").signed("1962-12-18"),
            _Doc("other").parties("Iraq", "Argentina").signed("1964-05-02"),
            _Doc("news", "the Agreement on Cultural Co-operation").parties("Switzerland", "Libya")]
    result = _resolve(docs, kb)
    assert len(_instruments(result)) == 2
    (merged,) = [k for k in _instruments(result) if "news" in result.entities[k].documents]
    assert set(result.entities[merged].documents) == {"text", "news"}


def test_same_parties_contradictory_dates_stay_one_instrument_with_both_claims(kb: KnowledgeBase) -> None:
    docs = [_Doc("a", "Treaty of Friendship").parties("Libya", "Switzerland").signed("1945-08-14")
            .date("terminationDate", "1950-02-14"),
            _Doc("b", "Treaty of Friendship").parties("Switzerland", "Libya").signed("1945-08-15")
            .date("terminationDate", "1953-02-14")]
    result = _resolve(docs, kb)
    (key,) = _instruments(result)
    assert _claims(result, key, "terminationDate") == {"1950-02-14", "1953-02-14"}
    assert _claims(result, key, "signingDate") == {"1945-08-14", "1945-08-15"}


def test_fewer_parties_and_another_day_is_a_disagreement_not_a_second_instrument(kb: KnowledgeBase) -> None:
    result = _resolve([_Doc("a").parties("Libya", "Switzerland").signed("1962-12-18"),
                       _Doc("b").parties("Libya").signed("1962-12-20")], kb)
    assert len(_instruments(result)) == 1


def test_differing_days_and_differing_parties_are_two_instruments(kb: KnowledgeBase) -> None:
    result = _resolve([_Doc("a").parties("Libya", "Switzerland").signed("1962-12-18"),
                       _Doc("b").parties("Libya").signed("1966-03-01")], kb)
    assert len(_instruments(result)) == 2


def test_an_instrument_in_force_years_before_another_was_signed_is_another(kb: KnowledgeBase) -> None:
    # a news report of the 1964 agreement gives no signing date, only its entry into force
    for bound in ("entryIntoForceDate", "registrationDate"):
        result = _resolve([_Doc("text").parties("Iraq", "Argentina").signed("1981-05-07"),
                           _Doc("news").parties("Argentina", "Iraq").date(bound, "1964-04-03")], kb)
        first, second = _instruments(result)
        assert {"1964-04-03"} == _claims(result, first, bound) | _claims(result, second, bound)
        assert not _claims(result, first, bound) & _claims(result, second, bound)


def test_in_force_before_signed_in_the_same_year_is_a_disagreement(kb: KnowledgeBase) -> None:
    result = _resolve([_Doc("text").parties("Iraq", "Argentina").signed("1981-05-07"),
                       _Doc("news").parties("Argentina", "Iraq").date("entryIntoForceDate", "1981-05-06")], kb)
    assert len(_instruments(result)) == 1


def test_an_account_at_odds_with_itself_still_joins_its_signing_year(kb: KnowledgeBase) -> None:
    odd = _Doc("odd").parties("Iraq", "Argentina").signed("1981-05-07").date("entryIntoForceDate", "1979-01-01")
    result = _resolve([odd, _Doc("text").parties("Argentina", "Iraq").signed("1981-05-07")], kb)
    assert len(_instruments(result)) == 1


def test_titles_that_differ_only_in_their_parties_compound_are_compared_without_it(kb: KnowledgeBase) -> None:
    keys = {title_key(f"{compound} Agreement on Frontier Questions", kb)
            for compound in ("Syrian-South African", "Indian-South African", "South African-Syrian")}
    assert keys == {("agreement", "on", "frontier", "questions")}


def test_an_instrument_in_force_before_another_was_signed_that_year_is_another(kb: KnowledgeBase) -> None:
    # two conventions of one title between the same states: each account gives its own signing day,
    # and the first was in force months before the second was signed
    first = _Doc("first").parties("Brazil", "Netherlands").signed("1954-12-12") \
        .date("entryIntoForceDate", "1955-01-12")
    second = _Doc("second").parties("Netherlands", "Brazil").signed("1955-07-19") \
        .date("entryIntoForceDate", "1956-08-21")
    for docs in ([first, second], [second, first]):
        result = _resolve(docs, kb)
        keys = _instruments(result)
        assert len(keys) == 2
        signed = sorted(_claims(result, key, "signingDate").pop() for key in keys)
        assert signed == ["1954-12-12", "1955-07-19"]


def test_a_compound_of_state_names_before_a_title_is_set_aside_as_adjectives_are(kb: KnowledgeBase) -> None:
    keys = {title_key(f"{compound} Agreement on Frontier Questions", kb)
            for compound in ("Japan–Mongolia", "Libyan-Republic of China", "U.A.R.-Italian",
                             "the 1962 Viet-Nam", "Viet-Nam-Hungarian")}
    assert keys == {("agreement", "on", "frontier", "questions")}


def test_a_state_name_that_opens_no_compound_stays_in_the_title(kb: KnowledgeBase) -> None:
    assert title_key("Panama Canal Treaty", kb) == ("panama", "canal", "treaty")
    assert title_key("Non-Aggression Pact", kb) == ("non", "aggression", "pact")


JOINT = "Joint Declaration by the Government of Brazil and the Government of Liberia"


def test_a_title_of_parties_and_kind_alone_is_the_instrument_of_those_parties_signed_that_day(
        kb: KnowledgeBase) -> None:
    text = _Doc("text", JOINT).parties("Brazil", "Liberia").signed("1959-09-29")
    news = _Doc("news", "Brazilian-Liberian Joint Declaration").parties("Brazil", "Liberia") \
        .signed("1959-09-29")
    for docs in ([text, news], [news, text]):
        result = _resolve(docs, kb)
        (key,) = _instruments(result)
        assert set(result.entities[key].documents) == {"text", "news"}
        assert key == f"instrument:{' '.join(title_key(JOINT, kb))}"  # named by its title, not by its kind


def test_a_title_of_kind_alone_signed_another_day_is_another_instrument(kb: KnowledgeBase) -> None:
    text = _Doc("text", JOINT).parties("Brazil", "Liberia").signed("1959-09-29")
    news = _Doc("news", "Brazilian-Liberian Joint Declaration").parties("Brazil", "Liberia") \
        .signed("1961-03-02")
    assert len(_instruments(_resolve([text, news], kb))) == 2


def test_titled_instruments_of_the_same_parties_and_day_stay_apart(kb: KnowledgeBase) -> None:
    trade = _Doc("trade", "Agreement on Trade").parties("Brazil", "Liberia").signed("1959-09-29")
    air = _Doc("air", "Agreement on Air Services").parties("Brazil", "Liberia").signed("1959-09-29")
    news = _Doc("news", "Brazilian-Liberian Agreement").parties("Brazil", "Liberia").signed("1959-09-29")
    assert len(_instruments(_resolve([trade, air, news], kb))) == 3  # the news report could be of either
