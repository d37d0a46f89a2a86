"""Queries to a build's store in worker processes, which a time limit can stop.

Oxigraph cannot be interrupted: in a thread, a query over its time limit runs on to its end
(`treatykg.query.run_query`). A process that lives on and answers many queries, such as
`treatykg serve`, would pile such queries up until they held every core. A `QueryPool` runs each
query in one of a few processes, each with the store open read-only, and kills the process that
runs over the limit; a new one takes its place. What a worker answers is what `run_query`
answers on the store, with the same refusals.

>>> from treatykg.querypool import QueryPool
>>> with QueryPool("out") as pool:  # doctest: +SKIP
...     pool.run("SELECT * WHERE { ?s ?p ?o } LIMIT 1", timeout=10).columns
('s', 'p', 'o')
"""

from __future__ import annotations

import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType

from .errors import QueryError
from .query import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, QueryResult, time_limit_error
from .store import open_store

WORKERS = 2
_READY_SECONDS = 60.0  # for a worker to start and open the store


def _serve(out: str, connection: Connection) -> None:
    """A worker: open the store, then answer each (sparql, max_rows) with a QueryResult or the
    QueryError it raised, until the connection closes."""
    from .query import run_query

    store = open_store(Path(out))
    connection.send(None)  # ready
    while True:
        try:
            sparql, max_rows = connection.recv()
        except EOFError:
            return
        try:
            answer: QueryResult | QueryError = run_query(store, sparql, timeout=None, max_rows=max_rows)
        except QueryError as error:
            answer = error
        connection.send(answer)


class _Worker:
    """A worker process, started as `python -m treatykg.querypool OUT FD`: a fresh interpreter (a
    server's threads must not be forked), which does not import the caller's main module as
    multiprocessing's spawn would."""

    def __init__(self, out: Path) -> None:
        ours, theirs = socket.socketpair()
        with ours, theirs:
            self.process = subprocess.Popen([sys.executable, "-m", __name__, str(out), str(theirs.fileno())],
                                            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
            self.connection = Connection(ours.detach())
        self.ready = False

    def wait_ready(self, timeout: float | None) -> bool:
        """Whether the worker has opened its store (within timeout seconds)."""
        if not self.ready and self.connection.poll(timeout):
            try:
                self.connection.recv()
            except EOFError:
                return False
            self.ready = True
        return self.ready

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self.connection.close()


class QueryPool:
    """`workers` processes answering queries to OUT's store (see the module's docstring), started
    and ready when this returns; close it, or use it as a context manager, to stop them.

    Raises:
        InputError: OUT holds no store, or it cannot be opened.
    """

    def __init__(self, out: str | Path, workers: int = WORKERS) -> None:
        self.out = Path(out)
        open_store(self.out)  # a missing or broken store is the caller's error, here and now
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(workers):
            self._start()
        for worker in list(self._all):
            worker.wait_ready(_READY_SECONDS)

    def _start(self) -> None:
        with self._lock:
            if self._closed:
                return
            worker = _Worker(self.out)
            self._all.add(worker)
        self._idle.put(worker)

    def run(self, sparql: str, *, timeout: float | None = DEFAULT_TIMEOUT,
            max_rows: int = DEFAULT_MAX_ROWS) -> QueryResult:
        """Answer a query as `run_query` would on the store, in a worker. The time limit counts
        the wait for a free worker too; a worker over it is killed and another started.

        Raises:
            QueryError: the query is malformed or refused.
            QueryLimitError: the query ran over the time or row limit.
        """
        limit = timeout if timeout and timeout > 0 else None
        deadline = None if limit is None else time.monotonic() + limit
        try:
            worker = self._idle.get(timeout=limit)
        except queue.Empty:
            raise time_limit_error(limit or 0) from None
        if not worker.wait_ready(_left(deadline)) and worker.alive():
            self._idle.put(worker)  # still starting: another query will find it ready
            raise time_limit_error(limit or 0)
        try:
            if not worker.alive():
                raise BrokenPipeError
            worker.connection.send((sparql, max_rows))
        except OSError:  # it died while idle (killed from outside, out of memory)
            self._replace(worker)
            raise QueryError("a query worker had stopped; send the query again") from None
        if not worker.connection.poll(_left(deadline)):
            self._replace(worker)
            raise time_limit_error(limit or 0)
        try:
            answer = worker.connection.recv()
        except EOFError:  # the worker died (out of memory, a crash in Oxigraph)
            self._replace(worker)
            raise QueryError("the query stopped its worker (it may need more memory than there is); "
                             "narrow it") from None
        self._idle.put(worker)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def _replace(self, worker: _Worker) -> None:
        """Stop a worker and start another in the background (starting takes a fraction of a second)."""
        with self._lock:
            self._all.discard(worker)
        worker.stop()
        threading.Thread(target=self._start, name="treatykg-query-worker-start", daemon=True).start()

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers, self._all = self._all, set()
        for worker in workers:
            worker.stop()

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def _left(deadline: float | None) -> float | None:
    return None if deadline is None else max(deadline - time.monotonic(), 0.0)


__all__ = ["WORKERS", "QueryPool"]

if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the pool stops us
    _serve(sys.argv[1], Connection(int(sys.argv[2])))
