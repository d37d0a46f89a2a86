"""The benchmark suite (benchmarks/) runs end to end on five generated documents.

The generator and the stage timing need only treatykg; the spaCy comparison is skipped when spaCy
(a benchmark-only dependency, benchmarks/requirements.txt) is not installed.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, kb) -> Path:
    generate = _load("generate")
    return generate.generate(5, tmp_path_factory.mktemp("corpus"), kb=kb)


def test_generator_is_deterministic_and_prefix_stable(kb, tmp_path: Path, corpus: Path) -> None:
    generate = _load("generate")
    again = generate.generate(3, tmp_path / "three", kb=kb)
    for path in sorted(again.glob("*.txt")):
        assert path.read_bytes() == (corpus / path.name).read_bytes()
    sizes = [p.stat().st_size for p in corpus.glob("*.txt")]
    assert len(sizes) == 5 and all(500 < s < 12_000 for s in sizes)
    assert (corpus / "metadata.json").exists()


def test_build_stages_and_queries_on_the_store(corpus: Path, tmp_path: Path) -> None:
    run = _load("run")
    build = run.run_build([corpus], tmp_path / "out", jobs=1)
    assert build["documents"] == 5 and build["triples"] > 100
    assert {"read", "extract", "resolve", "rdf", "validate", "store", "export"} <= set(build["timings"])
    assert run.full_build_seconds(build) > 0
    assert {"graph.ttl", "graph.jsonld", "graph.trig", "graph.nq"} <= set(build["export_bytes"])
    graph = run.build_query_graph(tmp_path / "out" / "graph.nq", 2 * build["triples"], tmp_path / "qg")
    assert graph["copies"] >= 2 and graph["triples"] >= 2 * build["triples"] * 0.9
    loaded = run.load_store(Path(graph["nt"]), tmp_path / "qg.store")
    assert loaded["triples"] == graph["triples"]
    variants = run.query_variants(sorted(run.QUERY_DIR.glob("*.rq"))[:2])
    rows = {}
    for engine in ("pyoxigraph", "treatykg"):
        measured = run.run_queries(engine, Path(loaded["store"]), variants, repetitions=1, budget=5,
                                   timeout=30, warm_up=True)
        assert measured["queries"] and all(q["samples"] and q["error"] is None for q in measured["queries"])
        rows[engine] = [q["rows"] for q in measured["queries"]]
    assert rows["treatykg"] == rows["pyoxigraph"]


def test_spacy_side_by_side(corpus: Path) -> None:
    pytest.importorskip("spacy")
    run = _load("run")
    result = run.run_spacy(corpus)
    assert result["documents"] == 5 and result["patterns"] > 1000 and result["entities"] > 0


def test_reading_a_build_times_the_report_and_every_query_through_serve(corpus: Path,
                                                                         tmp_path: Path) -> None:
    run = _load("run")
    run.run_build([corpus], tmp_path / "out", jobs=1)
    reading = run.run_reading(tmp_path / "out")
    assert reading["triples"] > 100 and (tmp_path / "out" / "report" / "index.html").is_file()
    assert set(reading["queries"]) == {p.stem for p in run.QUERY_DIR.glob("*.rq")}
    assert all(q["status"] == 200 and q["p50"] > 0 for q in reading["queries"].values())
    env = {"when": "now", "commit": "c", "python": "3", "cpus": 2, "cpu": "x", "rdflib": "r", "pyshacl": "p",
           "pyoxigraph": "o", "seed": 1}
    text = run.report({"env": env,
                       "builds": {}, "spacy": {}, "plus_one": {}, "parallel": {}, "profiles": {},
                       "reading": {"5": reading}, "queries": {}})
    assert "## Reading a build: report and serve" in text and f"| {reading['triples']:,} |" in text
