"""Progress on the terminal for long builds: a bar with documents/s and the time left.

Silent unless the stream is a terminal, and always silent when asked to be (--quiet), so logs
and pipes never fill with bar redraws.
"""

from __future__ import annotations

import sys
from typing import Protocol, TextIO


class Progress(Protocol):
    """What a build reports as it goes."""

    def stage(self, name: str, total: int | None = None) -> None:
        """A stage begins; total is how many documents it goes through (None: not counted)."""

    def advance(self, done: int = 1) -> None:
        """done more documents of the current stage are finished."""

    def close(self) -> None:
        """The build is over."""


class Silent:
    """Reports nothing."""

    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, done: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class TerminalBar:
    """A tqdm bar per counted stage (documents/s, estimated time left), a line per other stage."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.bar = None

    def stage(self, name: str, total: int | None = None) -> None:
        from tqdm import tqdm

        self._finish()
        if total is None:
            self.stream.write(f"{name}…\n")
            self.stream.flush()
            return
        self.bar = tqdm(total=total, desc=name, unit="doc", file=self.stream, leave=True,
                        bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} "
                                   "[{elapsed}<{remaining}, {rate_fmt}]")

    def advance(self, done: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(done)

    def close(self) -> None:
        self._finish()

    def _finish(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def for_terminal(*, quiet: bool = False, stream: TextIO | None = None) -> Progress:
    """A bar on stream (default stderr) when it is a terminal and not quiet; otherwise silence."""
    stream = stream if stream is not None else sys.stderr
    if quiet or not stream.isatty():
        return Silent()
    return TerminalBar(stream)
