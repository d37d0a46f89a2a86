"""Incremental builds (treatykg.cache): a rebuild after adding, changing or removing a document
redoes only that document, and writes the same bytes a clean build writes."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from treatykg import build_graph, write_build
from treatykg.build import BUILD_STAMP, OUTPUT_FILES
from treatykg.cache import ExtractionCache, KeyCache
from treatykg.cli import main
from treatykg.document import Document
from treatykg.kb import load_kb
from treatykg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"
DEV = ROOT / "data" / "dev"
GRAPH_FILES = [name for name in OUTPUT_FILES if name.startswith("graph.")]


def _files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in (*GRAPH_FILES, "shacl-report.txt", "shacl-report.ttl")}


def _store_quads(out: Path) -> set:
    return set(open_store(out).quads_for_pattern(None, None, None, None))


def _clean(corpus: Path, out: Path) -> dict[str, bytes]:
    assert main(["build", str(corpus), "-o", str(out), "-q", "--no-cache"]) == 0
    return _files(out)


class _Counting:
    """Counts the documents extracted afresh (the parallel engine's entry point)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import treatykg.build as build

        self.documents: list[str] = []
        original = build.extract_all

        def counting(documents, kb, **options):
            self.documents += [d.doc_id for d in documents]
            return original(documents, kb, **options)

        monkeypatch.setattr(build, "extract_all", counting)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(DEV, folder)
    return folder


@pytest.mark.parametrize("change", ["add", "edit", "remove"])
def test_rebuild_redoes_one_document_and_matches_a_clean_build(corpus: Path, tmp_path: Path, change: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert main(["build", str(corpus), "-o", str(out), "-q", "--cache", str(cache)]) == 0
    previous, published = out.resolve(), _store_quads(out)
    target = sorted(corpus.glob("*.txt"))[3]
    if change == "add":
        shutil.copy(SEEDS / "000_2ae4ab8389f189f8.txt", corpus / "100_added.txt")
    elif change == "edit":
        target.write_text(target.read_text(encoding="utf-8") + "\nSigned at Paris, on 3 May 1951.\n", encoding="utf-8")
    else:
        target.unlink()
    counted = _Counting(monkeypatch)
    loads = _count_calls(monkeypatch, "write_store")
    json_ld = _count_calls(monkeypatch, "write_json_ld", "treatykg.export")
    assert main(["build", str(corpus), "-o", str(out), "-q", "--cache", str(cache)]) == 0
    assert len(counted.documents) == (0 if change == "remove" else 1)
    assert loads == json_ld == []  # the previous store and JSON-LD were changed, not written again
    assert _files(out) == _clean(corpus, tmp_path / "clean")
    assert _store_quads(out) == _store_quads(tmp_path / "clean")
    assert _store_quads(previous) == published  # readers of the previous build still see it whole


@pytest.mark.parametrize("change", ["add", "remove"])
def test_a_rebuild_of_small_chunks_splices_its_graph_and_applies_that_change(corpus: Path, tmp_path: Path,
                                                                            change: str,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """With chunks of three documents, a rebuild's graph.nq is the last merge with the changed chunks
    spliced in, and the change found so is applied to the published store and files: the two
    graph.nq files are not compared again."""
    monkeypatch.setattr("treatykg.assemble.CHUNK_DOCUMENTS", 3)
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert main(["build", str(corpus), "-o", str(out), "-q", "--cache", str(cache)]) == 0
    if change == "add":
        shutil.copy(SEEDS / "000_2ae4ab8389f189f8.txt", corpus / "100_added.txt")
    else:
        sorted(corpus.glob("*.txt"))[7].unlink()
    compared = _count_calls(monkeypatch, "graph_change")
    loads = _count_calls(monkeypatch, "write_store")
    assert main(["build", str(corpus), "-o", str(out), "-q", "--cache", str(cache)]) == 0
    assert compared == loads == []
    assert _files(out) == _clean(corpus, tmp_path / "clean")
    assert _store_quads(out) == _store_quads(tmp_path / "clean")


def _count_calls(monkeypatch: pytest.MonkeyPatch, name: str, module: str = "treatykg.build") -> list[tuple]:
    import importlib

    where = importlib.import_module(module)
    calls: list[tuple] = []
    original = getattr(where, name)

    def counting(*args):
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(where, name, counting)
    return calls


def test_no_cache_loads_the_store_afresh(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert main(["build", str(corpus), "-o", str(out), "-q"]) == 0
    loads = _count_calls(monkeypatch, "write_store")
    assert main(["build", str(corpus), "-o", str(out), "-q", "--no-cache"]) == 0
    assert len(loads) == 1


def test_a_build_written_by_other_code_is_not_changed_but_written_afresh(corpus: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert main(["build", str(corpus), "-o", str(out), "-q"]) == 0
    (out / BUILD_STAMP).write_text("0" * 64, encoding="ascii")
    loads = _count_calls(monkeypatch, "write_store")
    json_ld = _count_calls(monkeypatch, "write_json_ld", "treatykg.export")
    sorted(corpus.glob("*.txt"))[3].unlink()
    assert main(["build", str(corpus), "-o", str(out), "-q"]) == 0
    assert len(loads) == len(json_ld) == 1
    assert _files(out) == _clean(corpus, tmp_path / "clean")


def test_a_store_that_differs_from_its_graph_is_loaded_afresh(corpus: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A store that does not hold what its build published (here: another build's store copied
    over it) is not changed further: the next build, which would remove quads that store does not
    hold, loads its own, and leaves that one alone. (The check covers the quads a change touches:
    a store is trusted to hold the rest of what its build published.)"""
    out = tmp_path / "out"
    assert main(["build", str(corpus), "-o", str(out), "-q"]) == 0
    assert main(["build", str(SEEDS), "-o", str(tmp_path / "other"), "-q", "--no-cache"]) == 0
    previous = out.resolve()
    shutil.rmtree(previous / "store")
    shutil.copytree(tmp_path / "other" / "store", previous / "store")
    sorted(corpus.glob("*.txt"))[3].unlink()
    loads = _count_calls(monkeypatch, "write_store")
    assert main(["build", str(corpus), "-o", str(out), "-q"]) == 0
    assert len(loads) == 1
    assert _store_quads(out) == _store_quads_after_clean(corpus, tmp_path)
    assert _store_quads(previous) == _store_quads(tmp_path / "other")


def _store_quads_after_clean(corpus: Path, tmp_path: Path) -> set:
    _clean(corpus, tmp_path / "clean")
    return _store_quads(tmp_path / "clean")


def test_unchanged_rebuild_extracts_nothing(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert main(["build", str(corpus), "-o", str(out), "-q"]) == 0  # the default cache beside OUT
    before = _files(out)
    counted = _Counting(monkeypatch)
    assert main(["build", str(corpus), "-o", str(out), "-q"]) == 0
    assert counted.documents == []
    assert _files(out) == before


def test_a_corrupt_cache_entry_is_rebuilt(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = build_graph([corpus], cache_dir=cache, jobs=1)
    for entry in (cache / "extract").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    second = build_graph([corpus], cache_dir=cache, jobs=1)
    assert second.quads == first.quads


def test_key_covers_text_metadata_and_knowledge_base(tmp_path: Path) -> None:
    kb = load_kb()
    cache = ExtractionCache(tmp_path, kb)
    base = Document("a", "Signed at Moscow.")
    keys = {cache.key(base), cache.key(Document("a", "Signed at Paris.")), cache.key(Document("b", base.text)),
            cache.key(Document("a", base.text, title="T")), cache.key(Document("a", base.text, languages=("fr",)))}
    assert len(keys) == 5
    assert cache.key(Document("a", base.text, path="elsewhere/a.txt")) == cache.key(base)


def test_prune_removes_entries_not_used_by_the_last_build(tmp_path: Path) -> None:
    values = KeyCache(tmp_path, "x")
    values.put("aa11", 1)
    values.put("bb22", 2)
    fresh = KeyCache(tmp_path, "x")
    assert fresh.get("aa11") == 1
    fresh.prune()
    assert KeyCache(tmp_path, "x").get("bb22") is None
    assert KeyCache(tmp_path, "x").get("aa11") == 1


def test_library_build_with_cache_writes_what_a_clean_build_writes(tmp_path: Path) -> None:
    cached = build_graph([SEEDS], cache_dir=tmp_path / "cache", jobs=1)
    again = build_graph([SEEDS], cache_dir=tmp_path / "cache", jobs=1)
    write_build(again, tmp_path / "a")
    write_build(build_graph([SEEDS], jobs=1), tmp_path / "b")
    assert cached.quads == again.quads
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_files_kept_under_a_key_come_back_whole_or_not_at_all(tmp_path: Path) -> None:
    made = tmp_path / "made"
    made.mkdir()
    (made / "run.keyed").write_bytes(b"keyed lines\n")
    (made / "run.trig").write_bytes(b"trig\n")
    cache = KeyCache(tmp_path / "cache", "runs")
    cache.put_files("ab12", {".keyed": made / "run.keyed", ".trig": made / "run.trig"})
    cache.put("ab12", "outcome")
    back = tmp_path / "back"
    back.mkdir()
    assert cache.get_files("ab12", {".keyed": back / "a.keyed", ".trig": back / "a.trig"})
    assert (back / "a.keyed").read_bytes() == b"keyed lines\n" and (back / "a.trig").read_bytes() == b"trig\n"
    (tmp_path / "cache" / "runs" / "ab" / "ab12.trig").unlink()
    assert not cache.get_files("ab12", {".keyed": back / "b.keyed", ".trig": back / "b.trig"})
    assert sorted(p.name for p in back.iterdir()) == ["a.keyed", "a.trig"]


def test_prune_removes_every_file_of_a_key_not_used(tmp_path: Path) -> None:
    source = tmp_path / "run.trig.nq"
    source.write_bytes(b"x")
    old = KeyCache(tmp_path / "cache", "runs")
    for key in ("aa01", "aa02"):
        old.put_files(key, {".trig.nq": source, ".keyed": source})
        old.put(key, key)
    latest = KeyCache(tmp_path / "cache", "runs")
    latest.keep("aa02")
    latest.prune()
    assert sorted(p.name for p in (tmp_path / "cache" / "runs" / "aa").iterdir()) == [
        "aa02.keyed", "aa02.pickle", "aa02.trig.nq"]


def _counted_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names resolution works out afresh (not recalled)."""
    import treatykg.resolve as resolve

    names: list[str] = []
    original = resolve._resolved_name

    def counting(mention, kb, date):
        names.append(mention.name)
        return original(mention, kb, date)

    monkeypatch.setattr(resolve, "_resolved_name", counting)
    return names


def test_a_rebuild_works_out_only_the_names_it_has_not_met(corpus: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    build_graph([corpus], cache_dir=cache, jobs=1)
    worked_out = _counted_names(monkeypatch)
    build_graph([corpus], cache_dir=cache, jobs=1)
    assert worked_out == []
    shutil.copy(SEEDS / "000_2ae4ab8389f189f8.txt", corpus / "100_added.txt")
    added = build_graph([corpus], cache_dir=cache, jobs=1)
    rebuilt = len(worked_out)
    clean = build_graph([corpus], jobs=1)
    assert 0 < rebuilt < len(worked_out) - rebuilt
    assert added.quads == clean.quads


@pytest.mark.parametrize("tampered", [
    {"resolved names": {("Moscow", "City", "name", None): ("city:moscow", "no such entry")}},
    {"title keys": None},
])
def test_names_kept_that_do_not_fit_the_knowledge_base_are_not_recalled(corpus: Path, tmp_path: Path,
                                                                        tampered: dict) -> None:
    cache = tmp_path / "cache"
    clean = build_graph([corpus], jobs=1)
    build_graph([corpus], cache_dir=cache, jobs=1)
    [kept] = (cache / "names").rglob("*.pickle")
    tables = pickle.loads(kept.read_bytes())
    for name, table in tampered.items():
        tables[name] = table if table is None else {**tables[name], **table}
    kept.write_bytes(pickle.dumps(tables))
    assert build_graph([corpus], cache_dir=cache, jobs=1).quads == clean.quads


def test_a_rebuild_checks_again_only_the_parts_of_the_rest_of_the_graph_that_changed(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import treatykg.assemble as assemble

    cache = tmp_path / "cache"
    checked: list[int] = []
    check = assemble.rest_part_reports
    monkeypatch.setattr(assemble, "rest_part_reports", lambda parts, engine: checked.append(len(parts))
                        or check(parts, engine))
    first = build_graph([corpus], cache_dir=cache, jobs=1)
    again = build_graph([corpus], cache_dir=cache, jobs=1)
    assert len(checked) == 1
    assert again.validation.report_turtle() == first.validation.report_turtle()
    assert again.validation.report_text == first.validation.report_text
    for kept in (cache / "validate").rglob("*.pickle"):
        kept.write_bytes(pickle.dumps(("not", "a report")))
    build_graph([corpus], cache_dir=cache, jobs=1)
    assert checked[1] == checked[0]
    shutil.copy(SEEDS / "000_2ae4ab8389f189f8.txt", corpus / "100_added.txt")
    added = build_graph([corpus], cache_dir=cache, jobs=1)
    assert 0 < checked[2] < checked[0] / 4
    clean = build_graph([corpus], jobs=1)
    assert added.validation.report_turtle() == clean.validation.report_turtle()
    assert added.validation.report_text == clean.validation.report_text


@pytest.mark.parametrize("name", ["graph.ttl", "graph.jsonld"])
def test_a_published_file_edited_since_is_written_afresh_not_spliced_from(corpus: Path, tmp_path: Path,
                                                                         name: str) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert main(["build", str(corpus), "-o", str(out), "-q", "--cache", str(cache)]) == 0
    published = out / name
    text = published.read_bytes()
    at = text.index(b"Treaty", len(text) // 2)  # in a block or node kept by the splice, not in the header
    published.write_bytes(text[:at] + b"Treatx" + text[at + 6:])
    shutil.copy(SEEDS / "000_2ae4ab8389f189f8.txt", corpus / "100_added.txt")
    assert main(["build", str(corpus), "-o", str(out), "-q", "--cache", str(cache)]) == 0
    assert _files(out) == _clean(corpus, tmp_path / "clean")
