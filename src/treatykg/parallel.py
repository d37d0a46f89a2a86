"""Extraction over many documents: in this process, on the local cores, or on a dask.distributed cluster.

Documents are independent until resolution, so extraction is the part that spreads: documents go
out in batches and come back as (facts, mentions), in the corpus's order, whichever engine ran
them, so every engine gives the same graph. A few documents are extracted in this process: starting
workers would cost more than it saves.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from typing import TypeVar

from .document import Document
from .errors import InputError
from .facts import Fact, Mention
from .kb import KnowledgeBase
from .progress import Progress, Silent
from .settings import ENGINES

MIN_DOCUMENTS_PER_WORKER = 4
MAX_BATCH = 32
SCHEDULER_TIMEOUT = 30.0  # seconds to wait for a dask scheduler to answer
Extracted = tuple[tuple[Fact, ...], tuple[Mention, ...]]
T = TypeVar("T")
R = TypeVar("R")

_worker_kb: KnowledgeBase | None = None


def default_jobs() -> int:
    """The local cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def extract_batch(documents: Sequence[Document], kb: KnowledgeBase | None = None) -> list[Extracted]:
    """Extract a batch of documents (run by a worker; kb None: the worker's own copy)."""
    from .build import extract_document

    knowledge = kb if kb is not None else _worker_kb
    assert knowledge is not None, "a worker got no knowledge base"
    results = []
    for document in documents:
        extraction = extract_document(document, knowledge)
        results.append((extraction.facts, extraction.mentions))
    return results


def _init_worker(kb: KnowledgeBase) -> None:
    global _worker_kb
    _worker_kb = kb


def batches(documents: Sequence[Document], workers: int) -> list[list[Document]]:
    """Documents in order, cut into batches small enough to share the work out and show progress."""
    size = max(1, min(MAX_BATCH, math.ceil(len(documents) / (workers * 8))))
    return [list(documents[i:i + size]) for i in range(0, len(documents), size)]


def extract_all(documents: Sequence[Document], kb: KnowledgeBase, *, jobs: int | None = None, engine: str = "local",
                scheduler: str | None = None, progress: Progress | None = None) -> list[Extracted]:
    """(facts, mentions) of every document, in order.

    engine "local" uses jobs processes (None: every core; 1: this process); engine "dask" sends
    the batches to the dask.distributed scheduler at address scheduler (e.g. tcp://host:8786),
    whose workers must have treatykg installed.
    """
    progress = progress or Silent()
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "dask":
        if not scheduler:
            raise InputError("--engine dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
        return _on_dask(documents, kb, scheduler, progress)
    workers = min(jobs or default_jobs(), max(1, len(documents) // MIN_DOCUMENTS_PER_WORKER))
    if workers <= 1:
        results = []
        for document in documents:
            results += extract_batch([document], kb)
            progress.advance()
        return results
    return _on_processes(documents, kb, workers, progress)


def _fork_context() -> multiprocessing.context.BaseContext:
    """fork where the system has it: workers share what this process has loaded (the knowledge
    base, the shapes) instead of loading or unpickling it again."""
    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)


def run_parts(function: Callable[[T], R], parts: Sequence[T], jobs: int | None) -> list[R]:
    """function of each part, in order, on up to jobs local processes (None: every core; 1: here)."""
    with local_pool(min(jobs or default_jobs(), len(parts))) as pool:
        return list(pool.map(function, parts))


@contextmanager
def local_pool(jobs: int | None) -> Iterator[Executor]:
    """An executor over up to jobs forked processes (None: every core), or this process for one job."""
    workers = jobs or default_jobs()
    if workers <= 1:
        yield _HereExecutor()
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context()) as pool:
        yield pool


class _HereExecutor(Executor):
    """Runs each call at once, in this process."""

    def submit(self, fn: Callable[..., R], /, *args: object, **kwargs: object) -> Future[R]:
        future: Future[R] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:
            future.set_exception(error)
        return future


def _on_processes(documents: Sequence[Document], kb: KnowledgeBase, workers: int, progress: Progress) -> list[Extracted]:
    with ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context(), initializer=_init_worker,
                             initargs=(kb,)) as pool:
        work = batches(documents, workers)
        futures = [pool.submit(extract_batch, batch) for batch in work]
        return _collect(futures, [len(batch) for batch in work], progress, lambda future: future.result())


def _collect(futures: list, sizes: list[int], progress: Progress, result: Callable) -> list[Extracted]:
    pending = {future: size for future, size in zip(futures, sizes, strict=True)}
    while pending:
        done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for future in done:
            result(future)  # raises a worker's error at once
            progress.advance(pending.pop(future))
    return [extracted for future in futures for extracted in result(future)]


def _on_dask(documents: Sequence[Document], kb: KnowledgeBase, scheduler: str, progress: Progress) -> list[Extracted]:
    try:
        from distributed import Client, as_completed
    except ImportError as error:
        raise InputError("--engine dask needs dask.distributed: pip install 'treatykg[dask]'") from error
    try:
        client = Client(scheduler, timeout=SCHEDULER_TIMEOUT, set_as_default=False)
    except OSError as error:
        raise InputError(f"cannot reach the dask scheduler at {scheduler} ({error})") from error
    with client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        work = batches(documents, workers)
        shared_kb = client.scatter(kb, broadcast=True)
        futures: list[Future] = [client.submit(extract_batch, batch, shared_kb, pure=False) for batch in work]
        sizes = {future.key: len(batch) for future, batch in zip(futures, work, strict=True)}
        for future in as_completed(futures, loop=client.loop):
            future.result()
            progress.advance(sizes[future.key])
        return [extracted for part in client.gather(futures) for extracted in part]
