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


def test_stage_timing_and_report(corpus: Path, tmp_path: Path) -> None:
    run = _load("run")
    result = run.run_stages(corpus, tmp_path / "out", profile=False)
    assert result["documents"] == 5 and result["triples"] > 100
    assert set(result["stages"]) == set(run.STAGES)
    assert all(stage["seconds"] > 0 for stage in result["stages"].values())
    assert set(result["exports"]) == {"ttl", "jsonld", "trig", "nq"}
    assert set(result["plus_one"]) >= {"extract", "resolve", "validate", "export"}
    graph = run.build_query_graph(tmp_path / "out" / "graph.nq", 2 * result["triples"], tmp_path / "qg")
    assert graph["copies"] >= 2 and graph["triples"] >= 2 * result["triples"] * 0.9
    queries = sorted(run.QUERY_DIR.glob("*.rq"))[:2]
    files = {"pyoxigraph": graph["nt"], "pyoxigraph-union": graph["nq"], "rdflib": graph["nt"]}
    measured = {engine: run.run_queries(engine, Path(file), queries, repetitions=1, budget=5, timeout=30)
                for engine, file in files.items()}
    for engine in ("pyoxigraph", "rdflib"):
        assert all(q["samples"] and q["error"] is None for q in measured[engine]["queries"].values())
    assert [q["rows"] for q in measured["pyoxigraph"]["queries"].values()] == \
        [q["rows"] for q in measured["rdflib"]["queries"].values()]
    graph.update(source_size=5, repetitions=1, rdflib_repetitions=1, budget=5, timeout=30)
    text = run.report({"when": "now", "commit": "x", "python": "3", "cpus": 2, "cpu": "cpu", "rdflib": "7",
                       "pyshacl": "0", "pyoxigraph": "0", "seed": 1}, {5: result}, {}, graph, measured, None)
    assert "## Build stages, 5 documents" in text and "not implemented" in text and "p50" in text


def test_spacy_side_by_side(corpus: Path) -> None:
    pytest.importorskip("spacy")
    run = _load("run")
    result = run.run_spacy(corpus)
    assert result["documents"] == 5 and result["patterns"] > 1000 and result["entities"] > 0
