"""Progress on the terminal (treatykg.progress): a bar with documents/s and the time left on a
terminal, nothing on a pipe or a log, nothing with --quiet."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from treatykg.cli import main
from treatykg.progress import Silent, TerminalBar, for_terminal

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_with_rate_and_time_left() -> None:
    stream = _Terminal()
    progress = for_terminal(stream=stream)
    assert isinstance(progress, TerminalBar)
    progress.stage("extracting", 40)
    for _ in range(40):
        progress.advance()
    progress.stage("resolving")
    progress.close()
    shown = stream.getvalue()
    assert "extracting" in shown and "40/40" in shown and "doc/s" in shown and "<" in shown
    assert "resolving…" in shown


@pytest.mark.parametrize("stream, quiet", [(io.StringIO(), False), (_Terminal(), True)], ids=["pipe", "quiet"])
def test_a_pipe_or_quiet_gets_nothing(stream: io.StringIO, quiet: bool) -> None:
    progress = for_terminal(quiet=quiet, stream=stream)
    assert isinstance(progress, Silent)
    progress.stage("extracting", 3)
    progress.advance(3)
    progress.close()
    assert stream.getvalue() == ""


def test_build_to_a_pipe_prints_no_bar(tmp_path: Path, capfd: pytest.CaptureFixture) -> None:
    assert main(["build", str(SEEDS), "-o", str(tmp_path / "out"), "--no-cache"]) == 0
    err = capfd.readouterr().err
    assert "doc/s" not in err and "\r" not in err
    assert "5 documents" in err
