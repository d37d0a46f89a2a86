"""Extraction and other parts of a build in parallel (treatykg.parallel): local processes and a dask.distributed cluster give
the graph one process gives, byte for byte."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from treatykg import build_graph, serialize
from treatykg.document import Document
from treatykg.errors import InputError
from treatykg.parallel import batches, extract_all, run_parts

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "data" / "dev"


@pytest.fixture(scope="module")
def one_process() -> bytes:
    return serialize(build_graph([DEV], run_validation=False, jobs=1).quads, "nq")


def test_two_local_processes_give_the_same_graph(one_process: bytes) -> None:
    assert serialize(build_graph([DEV], run_validation=False, jobs=2).quads, "nq") == one_process


def test_a_dask_cluster_of_two_workers_gives_the_same_graph(one_process: bytes) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = build_graph([DEV], run_validation=False, engine="dask", scheduler=cluster.scheduler_address)
    assert serialize(result.quads, "nq") == one_process


def test_dask_without_a_scheduler_is_a_usage_error() -> None:
    with pytest.raises(InputError, match="--scheduler"):
        extract_all([Document("a", "text")], kb=None, engine="dask")  # type: ignore[arg-type]


def test_an_unreachable_scheduler_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr("treatykg.parallel.SCHEDULER_TIMEOUT", 1.0)
    with pytest.raises(InputError, match="tcp://127.0.0.1:9"):
        build_graph([DEV / "001_north-atlantic-treaty-text.txt"], run_validation=False, engine="dask",
                    scheduler="tcp://127.0.0.1:9")


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(InputError, match="unknown engine"):
        extract_all([], kb=None, engine="spark")  # type: ignore[arg-type]


def test_batches_keep_every_document_once_in_order() -> None:
    documents = [Document(str(i), "x") for i in range(103)]
    cut = batches(documents, 2)
    assert [d for batch in cut for d in batch] == documents
    assert len(cut) > 2 and max(len(b) for b in cut) <= 32


def test_cli_build_with_two_jobs_writes_the_same_files(tmp_path: Path) -> None:
    from treatykg.cli import main

    for jobs in ("1", "2"):
        assert main(["build", str(DEV), "-o", str(tmp_path / jobs), "-q", "--no-validate", "--no-cache", "-j", jobs]) == 0
    for name in ("graph.ttl", "graph.nq", "graph.trig", "graph.jsonld"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def test_run_parts_keeps_the_order_and_uses_other_processes() -> None:
    results = run_parts(_pid_and_square, list(range(40)), jobs=2)
    assert [square for _, square in results] == [n * n for n in range(40)]
    assert os.getpid() not in {pid for pid, _ in results}


def test_run_parts_with_one_job_stays_in_this_process() -> None:
    assert {pid for pid, _ in run_parts(_pid_and_square, [1, 2, 3], jobs=1)} == {os.getpid()}
