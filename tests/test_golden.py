"""Golden files per seed document: the facts extraction finds and the graph a build makes.

tests/golden/<doc-id>/facts.jsonl holds one fact per line, sorted; graph.ttl the graph of that
document built alone. Facts are compared as sorted lists, graphs with
rdflib.compare.isomorphic (never as Turtle text). `pytest --update-golden` rewrites both.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic

from treatykg import Document, Fact, Value, build_graph, extract_document, load_kb, read_document, serialize
from treatykg.document import read_metadata
from treatykg.extractors import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"
GOLDEN = ROOT / "tests" / "golden"
SEED_PATHS = sorted(SEEDS.glob("*.txt"))
SEED_PARAMS = [pytest.param(path, id=path.stem) for path in SEED_PATHS]


@cache
def _document(path: Path) -> Document:
    return read_document(path, metadata=read_metadata(path.parent).get(path.name))


@cache
def _facts(path: Path) -> tuple[Fact, ...]:
    return extract_document(_document(path), load_kb()).facts


def fact_record(fact: Fact) -> dict[str, object]:
    """A fact as one readable line of facts.jsonl."""
    record: dict[str, object] = {"subject": fact.subject.name, "predicate": fact.predicate}
    if isinstance(fact.object, Value):
        record["object"] = fact.object.lexical
        record["datatype"] = fact.object.datatype
    else:
        record["object"] = fact.object.name
    record.update(char_start=fact.char_start, char_end=fact.char_end, extractor=fact.extractor)
    if fact.modality != "asserted":
        record["modality"] = fact.modality
    return record


def fact_lines(facts: tuple[Fact, ...]) -> list[str]:
    """The sorted lines of facts.jsonl: by span, then predicate, subject and object."""
    records = sorted(
        (fact_record(f) for f in facts),
        key=lambda r: (
            r["char_start"],
            r["char_end"],
            r["predicate"],
            r["subject"],
            str(r["object"]),
            r["extractor"],
        ),
    )
    return [json.dumps(record, ensure_ascii=False) for record in records]


def _golden_dir(path: Path) -> Path:
    return GOLDEN / _document(path).doc_id


@pytest.mark.parametrize("path", SEED_PARAMS)
def test_golden_facts(path: Path, update_golden: bool) -> None:
    golden = _golden_dir(path) / "facts.jsonl"
    actual = fact_lines(_facts(path))
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text("".join(line + "\n" for line in actual), encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing; run pytest --update-golden"
    expected = golden.read_text(encoding="utf-8").splitlines()
    assert actual == expected


@pytest.mark.parametrize("path", SEED_PARAMS)
def test_golden_graph(path: Path, update_golden: bool) -> None:
    golden = _golden_dir(path) / "graph.ttl"
    actual = build_graph([path], run_validation=False).graph
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(serialize(actual, "ttl"))
    assert golden.is_file(), f"{golden} is missing; run pytest --update-golden"
    expected = Graph().parse(golden, format="turtle")
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(expected, actual)
        pytest.fail(
            f"{path.name}: the built graph differs from {golden}\n"
            f"only in expected ({len(only_expected)}):\n{only_expected.serialize(format='nt')}\n"
            f"only in actual ({len(only_actual)}):\n{only_actual.serialize(format='nt')}"
        )


@pytest.mark.parametrize("folder", [pytest.param(GOLDEN, id="golden")])
def test_golden_folder_per_seed(folder: Path) -> None:
    """No golden folder outlives its seed document (a stale folder would go untested)."""
    seeds = {_document(path).doc_id for path in SEED_PATHS}
    golden = {p.parent.name for p in folder.glob("*/facts.jsonl")} | {
        p.parent.name for p in folder.glob("*/graph.ttl")
    }
    assert golden == seeds


@pytest.mark.parametrize("path", SEED_PARAMS)
def test_golden_evidence_quotes_document(path: Path) -> None:
    text = _document(path).text
    facts = _facts(path)
    assert facts
    for fact in facts:
        assert 0 <= fact.char_start < fact.char_end <= len(text), fact
        assert fact.evidence == text[fact.char_start : fact.char_end], fact


@pytest.mark.parametrize("path", SEED_PARAMS)
def test_golden_mentions_inside_evidence_document(path: Path) -> None:
    document = _document(path)
    for fact in _facts(path):
        assert fact.doc_id == document.doc_id
        for mention in (fact.subject, fact.object):
            if isinstance(mention, Value):
                continue
            assert mention.doc_id == document.doc_id
            assert 0 <= mention.start < mention.end <= len(document.text), mention


@pytest.mark.parametrize("path", SEED_PARAMS)
def test_golden_fact_predicate_produced_by_its_extractor(path: Path) -> None:
    for fact in _facts(path):
        assert fact.extractor in REGISTRY, fact.extractor
        assert fact.predicate in REGISTRY[fact.extractor].produces, (fact.extractor, fact.predicate)


@pytest.mark.parametrize("path", SEED_PARAMS)
def test_golden_extraction_repeatable(path: Path) -> None:
    document = _document(path)
    kb = load_kb()
    first = extract_document(document, kb).facts
    second = extract_document(document, kb).facts
    assert first == second
    assert first == _facts(path)
