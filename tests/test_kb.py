"""Tests for treatykg.kb: the offline knowledge base under data/kb and its time-aware choice."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from treatykg import KnowledgeBase, KnowledgeBaseError, load_kb
from treatykg.dates import parse_date

ROOT = Path(__file__).resolve().parents[1]
KB_DIR = ROOT / "data" / "kb"
KB_FILES = sorted(KB_DIR.glob("*.json"))


def _raw_entries() -> list[dict]:
    return [entry for path in KB_FILES for entry in json.loads(path.read_text(encoding="utf-8"))]


def _write_kb(folder: Path, entries: object, name: str = "test.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return path


STATE = {"id": "x", "type": "State", "labels": {"en": "Xland"}}


@pytest.mark.parametrize("folder", [pytest.param(KB_DIR, id="data-kb")])
def test_load_kb_loads_every_entry(folder: Path) -> None:
    kb = load_kb(folder)
    assert isinstance(kb, KnowledgeBase)
    assert set(kb.entries) == {entry["id"] for entry in _raw_entries()}
    assert len(kb.entries) > 100


@pytest.mark.parametrize("folder", [pytest.param(None, id="default-folder")])
def test_load_kb_default_is_data_kb(folder: None) -> None:
    assert set(load_kb(folder).entries) == set(load_kb(KB_DIR).entries)


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name) for p in KB_FILES])
def test_kb_every_qid_has_evidence(path: Path) -> None:
    """Acceptance: no QID in data/kb/ lacks recorded evidence."""
    lacking = [
        entry["id"]
        for entry in json.loads(path.read_text(encoding="utf-8"))
        if entry.get("qid") and not str(entry.get("qid_evidence") or "").strip()
    ]
    assert lacking == []


@pytest.mark.parametrize("folder", [pytest.param(KB_DIR, id="data-kb")])
def test_kb_qids_unique_and_well_formed(folder: Path) -> None:
    qids = Counter(entry["qid"] for entry in _raw_entries() if entry.get("qid"))
    assert [qid for qid, count in qids.items() if count > 1] == []
    assert all(qid.startswith("Q") and qid[1:].isdigit() for qid in qids)


@pytest.mark.parametrize(
    ("name", "day", "kinds", "qid"),
    [
        pytest.param("China", "1945-08-14", {"State"}, "Q13426199", id="china-1945-roc"),
        pytest.param("China", "1950-02-14", {"State"}, "Q148", id="china-1950-prc"),
        pytest.param("Republic of China", "1953-02-24", {"State"}, "Q865", id="roc-1953-taiwan"),
        pytest.param("Outer Mongolia", "1946", {"State"}, "Q212056", id="outer-mongolia-1946"),
        pytest.param("Mongolia", "1946", {"State"}, "Q212056", id="mongolia-1946-mpr"),
        pytest.param("Mongolia", "2000", {"State"}, "Q711", id="mongolia-2000"),
        pytest.param("Japan", "1950", {"State"}, "Q17", id="japan-1950"),
        pytest.param("Japan", "1945", {"State"}, "Q188712", id="japan-1945-empire"),
        pytest.param("Soviet Union", "2009-09-11", {"State"}, "Q15180", id="ussr-after-its-end"),
        pytest.param("China", "1950-02-14", (), "Q148", id="china-any-kind"),
    ],
)
def test_kb_choose_by_date(kb: KnowledgeBase, name: str, day: str, kinds: set[str], qid: str) -> None:
    entry = kb.choose(kb.names(name), kinds=kinds, on=parse_date(day))
    assert entry is not None and entry.qid == qid


@pytest.mark.parametrize(
    ("name", "kinds"),
    [
        pytest.param("China", {"State"}, id="china-undated"),
        pytest.param("Xanadu Nowhere", {"State"}, id="unknown-name"),
        pytest.param("Moscow", {"Person"}, id="wrong-kind"),
    ],
)
def test_kb_choose_unsure_is_none(kb: KnowledgeBase, name: str, kinds: set[str]) -> None:
    assert kb.choose(kb.names(name), kinds=kinds, on=None) is None


@pytest.mark.parametrize(
    ("word", "day", "qid"),
    [
        pytest.param("Soviet", "1950-02-14", "Q15180", id="soviet"),
        pytest.param("Sino", "1950-02-14", "Q148", id="sino-1950"),
        pytest.param("Sino", "1945-08-14", "Q13426199", id="sino-1945"),
    ],
)
def test_kb_adjective_resolves_by_date(kb: KnowledgeBase, word: str, day: str, qid: str) -> None:
    entry = kb.choose(kb.adjective(word), kinds={"State"}, on=parse_date(day))
    assert entry is not None and entry.qid == qid


@pytest.mark.parametrize(
    ("content", "match"),
    [
        pytest.param("[{", "cannot be read as JSON", id="not-json"),
        pytest.param('{"id": "x"}', "JSON list", id="not-a-list"),
        pytest.param('[{"id": "x", "type": "State"}]', "lacks", id="missing-labels"),
        pytest.param(
            '[{"id": "x", "type": "Planet", "labels": {"en": "X"}}]', "unknown type", id="unknown-type"
        ),
        pytest.param(
            '[{"id": "x", "type": "State", "labels": {"fr": "X"}}]', "no English label", id="no-english-label"
        ),
        pytest.param(
            '[{"id": "x", "type": "State", "labels": {"en": "X"}, "start": "14/02/1950"}]',
            "not ISO",
            id="date-not-iso",
        ),
        pytest.param(
            '[{"id": "x", "type": "State", "labels": {"en": "X"}, "aliases": [3]}]', "alias", id="bad-alias"
        ),
    ],
)
def test_load_kb_malformed_file_names_it(tmp_path: Path, content: str, match: str) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "broken.json").write_text(content, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=match) as raised:
        load_kb(folder)
    assert "broken.json" in str(raised.value)


@pytest.mark.parametrize(
    "evidence",
    [pytest.param(None, id="missing"), pytest.param("", id="empty"), pytest.param("   ", id="blank")],
)
def test_load_kb_qid_without_evidence_raises(tmp_path: Path, evidence: str | None) -> None:
    entry = {**STATE, "qid": "Q1"}
    if evidence is not None:
        entry["qid_evidence"] = evidence
    _write_kb(tmp_path, [entry])
    with pytest.raises(KnowledgeBaseError, match="Q1.*qid_evidence"):
        load_kb(tmp_path)


@pytest.mark.parametrize(
    ("files", "match"),
    [
        pytest.param(
            {
                "a.json": [{**STATE, "qid": "Q1", "qid_evidence": "e"}],
                "b.json": [{**STATE, "id": "y", "qid": "Q1", "qid_evidence": "e"}],
            },
            "Q1 is on both",
            id="qid-twice",
        ),
        pytest.param({"a.json": [STATE], "b.json": [STATE]}, "defined twice", id="id-twice"),
    ],
)
def test_load_kb_duplicates_raise(tmp_path: Path, files: dict[str, list[dict]], match: str) -> None:
    for name, entries in files.items():
        _write_kb(tmp_path, entries, name)
    with pytest.raises(KnowledgeBaseError, match=match):
        load_kb(tmp_path)


@pytest.mark.parametrize(
    "make", [pytest.param(False, id="missing-folder"), pytest.param(True, id="empty-folder")]
)
def test_load_kb_without_files_raises(tmp_path: Path, make: bool) -> None:
    folder = tmp_path / "kb"
    if make:
        folder.mkdir()
    with pytest.raises(KnowledgeBaseError, match="no knowledge-base JSON files"):
        load_kb(folder)


@pytest.mark.parametrize(
    ("entries", "name", "day", "expected"),
    [
        pytest.param(
            [
                {
                    **STATE,
                    "id": "old",
                    "aliases": [{"name": "Xland", "until": "1950-01-01"}],
                    "labels": {"en": "Old Xland"},
                },
                {
                    **STATE,
                    "id": "new",
                    "aliases": [{"name": "Xland", "from": "1950-01-01"}],
                    "labels": {"en": "New Xland"},
                },
            ],
            "Xland",
            "1949-12-31",
            "old",
            id="alias-until-exclusive",
        ),
        pytest.param(
            [
                {
                    **STATE,
                    "id": "old",
                    "aliases": [{"name": "Xland", "until": "1950-01-01"}],
                    "labels": {"en": "Old Xland"},
                },
                {
                    **STATE,
                    "id": "new",
                    "aliases": [{"name": "Xland", "from": "1950-01-01"}],
                    "labels": {"en": "New Xland"},
                },
            ],
            "Xland",
            "1950-01-01",
            "new",
            id="alias-from-inclusive",
        ),
        pytest.param(
            [{**STATE, "id": "a", "end": "1950-01-01"}, {**STATE, "id": "b", "start": "1950-01-01"}],
            "Xland",
            "1960",
            "b",
            id="existence-dates",
        ),
    ],
)
def test_kb_choose_hand_built(
    tmp_path: Path, entries: list[dict], name: str, day: str, expected: str
) -> None:
    _write_kb(tmp_path, entries)
    kb = load_kb(tmp_path)
    entry = kb.choose(kb.names(name), kinds={"State"}, on=parse_date(day))
    assert entry is not None and entry.id == expected


def test_a_state_name_is_told_from_a_place_name_and_an_adjective() -> None:
    kb = load_kb()
    assert kb.is_state_name("Viet-Nam") and kb.is_state_name("U.A.R.")
    assert not kb.is_state_name("Taiwan")  # the island, a place
    assert not kb.is_state_name("Soviet") and kb.is_state_adjective("Soviet")
