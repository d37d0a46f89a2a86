"""treatykg.resolve: mentions of one span that differ only in kind, group, date or way of
naming are ordered the same way in every process, and one title at one span is one instrument."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treatykg import Document, KnowledgeBase, extract_document, load_kb
from treatykg import resolve as resolve_module
from treatykg.facts import Fact, Mention
from treatykg.resolve import resolve

ROOT = Path(__file__).resolve().parents[1]
TITLE = "Security Treaty between the United States and Japan"


def _tied(doc: str = "d") -> list[Mention]:
    """One title at one span, once plain and once tied to its 'between' paragraph."""
    return [Mention(doc, "Treaty", TITLE, 10, 61, via="title"),
            Mention(doc, "Treaty", TITLE, 10, 61, via="title", group="between:10")]


def test_one_title_at_one_span_is_one_instrument(kb: KnowledgeBase) -> None:
    plain, grouped = _tied()
    state = Mention("d", "State", "Japan", 0, 5)
    facts = [Fact(state, "isPartyTo", grouped, "d", 0, 61, "x" * 61, "test")]
    for mentions in ([plain, grouped], [grouped, plain]):
        result = resolve(facts, mentions, kb)
        instruments = [e for e in result.entities.values() if e.kind == "Treaty"]
        assert [e.key for e in instruments] == ["us_japan_security_treaty_1951"]
        assert [(f.subject, f.object) for f in result.facts] == [("japan", "us_japan_security_treaty_1951")]


def _copied(mention: Mention) -> Mention:
    return Mention(*(getattr(mention, name) for name in Mention.__match_args__))


def test_equal_mentions_that_are_distinct_objects_resolve_as_one_object_does(kb: KnowledgeBase) -> None:
    """Extraction gives each distinct mention one object; resolution tells mentions apart by
    identity where it can, and must still treat equal copies (a library caller's) as one."""
    text = (ROOT / "data" / "seeds" / "000_2ae4ab8389f189f8.txt").read_text(encoding="utf-8")
    extraction = extract_document(Document("seed", text), kb)
    copied_facts = [Fact(_copied(f.subject), f.predicate,
                         _copied(f.object) if isinstance(f.object, Mention) else f.object,
                         *(getattr(f, name) for name in Fact.__match_args__[3:])) for f in extraction.facts]
    copied_mentions = [_copied(m) for m in extraction.mentions]
    shared = resolve(list(extraction.facts), list(extraction.mentions), kb)
    copied = resolve(copied_facts, copied_mentions, kb)
    assert copied.entities == shared.entities
    assert [(f.subject, f.predicate, f.object) for f in copied.facts] == \
        [(f.subject, f.predicate, f.object) for f in shared.facts]
    assert len(shared.entities) > 5


_PROGRAM = """
from treatykg import load_kb
from treatykg.facts import Fact, Mention
from treatykg.resolve import resolve
title = "Security Treaty between the United States and Japan"
mentions = [Mention("d", kind, title, 10, 61, date, "title", group)
            for kind in ("Treaty", "Agreement") for date in (None, "1951-09-08") for group in (None, "g")]
facts = [Fact(Mention("d", "State", name, 0, 5), "isPartyTo", m, "d", 0, 61, "x" * 61, "test")
         for m, name in zip(mentions, ["Japan", "United States"] * 4)]
result = resolve(facts, mentions, load_kb(None))
print(repr(sorted(result.entities.items())), repr(result.facts))
"""


def test_resolution_does_not_depend_on_hashing() -> None:
    """hash(None) and of strings differ from process to process; the resolution must not."""
    outputs = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT / "src"))
        run = subprocess.run(
            [sys.executable, "-c", _PROGRAM], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1


def test_a_quoted_title_with_its_parties_is_what_a_page_calls_by_its_short_title(kb: KnowledgeBase) -> None:
    page = ("PERU\nand\nCHILE\n\nAgreement on Air Services between the Government of the Republic of Peru "
            "and the Government of the Republic of Chile. Signed at Lima, on 2 May 1970\n\n"
            "Registered by Peru on 5 June 1971.")
    report = ('LIMA, May 2 — Officials signed the "Agreement between the Government of Peru and the '
              'Government of Chile on Air Services" in Lima on 2 May 1970.')
    extractions = [extract_document(Document(doc_id, text), kb)
                   for doc_id, text in [("page", page), ("report", report)]]
    facts, mentions = [f for e in extractions for f in e.facts], [m for e in extractions for m in e.mentions]
    result = resolve(facts, mentions, kb)
    [instrument] = [e for e in result.entities.values() if e.kind in ("Agreement", "Treaty")]
    parties = {(f.subject, f.fact.doc_id) for f in result.facts if f.predicate == "isPartyTo"}
    assert parties == {("peru", "page"), ("chile", "page"), ("peru", "report"), ("chile", "report")}
    official = "Agreement between the Government of Peru and the Government of Chile on Air Services"
    assert official in instrument.alt_labels


class _LookingAtAll(resolve_module._Clusters):
    """The placing of units as it was before the party index: every instrument of the titles."""

    def _candidates(self, titles, evidence):
        return list(dict.fromkeys(c for t in titles for c in self.by_title.get(t, ())))


_PARTIES = st.sets(st.sampled_from(["state:a", "state:b", "state:c", "state:d"]), max_size=3)
_DAYS = st.sets(st.sampled_from(["1950-02-14", "1950-03-01", "1951-07-07"]), max_size=2)
_UNITS = st.lists(st.tuples(st.sets(st.sampled_from(["agreement", "treaty"]), min_size=1), _PARTIES, _DAYS,
                            st.sets(st.sampled_from([1949, 1950, 1952]), max_size=1)), max_size=25)


@settings(max_examples=300, deadline=None)
@given(_UNITS)
def test_units_are_placed_as_if_every_instrument_of_their_titles_were_looked_at(units) -> None:
    """A unit naming parties looks only at instruments that share one or name none: the others
    are told apart by their parties anyway, so the instruments formed are the same."""
    kb = load_kb()
    placed = []
    for clusters in (resolve_module._Clusters(kb), _LookingAtAll(kb)):
        for index, (titles, parties, days, in_force) in enumerate(units):
            root = Mention(f"d{index}", "Treaty", sorted(titles)[0], 0, 1)
            years = {int(day[:4]) for day in days}
            evidence = resolve_module._Evidence(set(parties), set(days), years, set(in_force))
            clusters.place(root, [root], [], sorted(titles), evidence)
        placed.append([[m.doc_id for m in c.members] for c in clusters.all])
    assert placed[0] == placed[1]


def test_a_generic_title_costs_checks_in_proportion_to_its_instruments(monkeypatch) -> None:
    """Thousands of bilateral agreements of one title: each new one is checked against those that
    share a party with it, not against all of them (which grew with the square of the corpus)."""
    checks = []
    separated = resolve_module._separated
    monkeypatch.setattr(resolve_module, "_separated", lambda a, b: checks.append(1) or separated(a, b))
    kb = load_kb()
    counts = []
    for states in (20, 80):
        checks.clear()
        clusters = resolve_module._Clusters(kb)
        pairs = [(i, j) for i in range(states) for j in range(i + 1, min(states, i + 4))]
        for index, (i, j) in enumerate(pairs):
            root = Mention(f"d{index}", "Treaty", "Agreement on Cultural Co-operation", 0, 1)
            evidence = resolve_module._Evidence({f"state:{i}", f"state:{j}"}, {"1960-01-01"}, {1960})
            clusters.place(root, [root], [], ["agreement on cultural co-operation"], evidence)
        assert len(clusters.all) == len(pairs)
        counts.append((len(pairs), len(checks)))
    (small, small_checks), (large, large_checks) = counts
    assert large_checks / small_checks < 1.5 * large / small


def test_a_mention_of_a_title_alone_is_not_checked_against_every_instrument_of_it(monkeypatch) -> None:
    """A report that names a generic title and nothing else fits every instrument of it, so it
    starts one of its own when there are two or more, whichever they are."""
    kb = load_kb()
    clusters = resolve_module._Clusters(kb)
    title = ["agreement on cultural co-operation"]
    for index in range(50):
        root = Mention(f"u{index}", "Treaty", "Agreement on Cultural Co-operation", 0, 1)
        clusters.place(root, [root], [], title, resolve_module._Evidence({f"state:{index}", "state:x"}))
    checks = []
    separated = resolve_module._separated
    monkeypatch.setattr(resolve_module, "_separated", lambda a, b: checks.append(1) or separated(a, b))
    for index in range(20):
        root = Mention(f"bare{index}", "Treaty", "Agreement on Cultural Co-operation", 0, 1)
        clusters.place(root, [root], [], title, resolve_module._Evidence())
    assert len(checks) <= 2 * 20
    assert len(clusters.all) == 50 + 20


@pytest.mark.parametrize("tampered", [
    {"resolved names": {("Moscow", "City", "name", None): ("city:moscow", "no such entry")}},
    {"resolved names": {("Moscow", "City", "name", None): (None, None)}},
    {"ambiguous names": {"Moscow": 1}},
    {"title keys": {"Treaty of Peace": "treaty of peace"}},
    {"treaties by title": None},
])
def test_names_that_do_not_fit_the_knowledge_base_are_not_taken_up(tampered: dict) -> None:
    worked = load_kb()
    resolve(*_seed_extraction(worked), worked)
    tables = resolve_module.names_worked_out(worked)
    for name, table in tampered.items():
        tables[name] = table if table is None else {**tables[name], **table}
    fresh = load_kb()
    with pytest.raises(ValueError, match="not names worked out"):
        resolve_module.recall_names(fresh, tables)
    assert resolve_module.names_worked_out(fresh) == {name: {} for name in tables}


def test_names_taken_up_resolve_as_names_worked_out_afresh() -> None:
    worked = load_kb()
    first = resolve(*_seed_extraction(worked), worked)
    recalling = load_kb()
    resolve_module.recall_names(recalling, resolve_module.names_worked_out(worked))
    assert resolve(*_seed_extraction(recalling), recalling) == first


def _seed_extraction(kb: KnowledgeBase) -> tuple[list[Fact], list[Mention]]:
    text = (ROOT / "data" / "seeds" / "001_a0a716b3fa45f372.txt").read_text(encoding="utf-8")
    extraction = extract_document(Document("seed", text), kb)
    return list(extraction.facts), list(extraction.mentions)
