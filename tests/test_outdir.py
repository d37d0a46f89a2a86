"""Tests for treatykg.outdir and write_build: OUT is replaced atomically, builds take turns.

The SIGKILL test kills builds at random moments and checks after each kill that OUT is absent
(never built) or a whole, valid build; never a mix, never missing once it existed.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from treatykg import BuildLockedError, BuildResult, build_graph, write_build
from treatykg.build import OUTPUT_FILES
from treatykg.cli import main
from treatykg.errors import OutputError
from treatykg.export import serialize
from treatykg.outdir import CACHE_NAME, build_lock, builds_folder, link_or_copy
from treatykg.store import STORE_DIR

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"
ONE_SEED = SEEDS / "001_a0a716b3fa45f372.txt"
OTHER_SEED = SEEDS / "003_c77ecd885610d986.txt"


@pytest.fixture(scope="module")
def results() -> tuple[BuildResult, BuildResult]:
    """Two different builds (of two seed documents)."""
    return build_graph([ONE_SEED]), build_graph([OTHER_SEED])


_PARSED: set[bytes] = set()


def _valid(out: Path) -> bool:
    """Whether out is a whole build: every file there and graph.ttl parses (each content once)."""
    if not all((out / name).is_file() and (out / name).stat().st_size > 0 for name in OUTPUT_FILES):
        return False
    if not any((out / STORE_DIR).iterdir()):
        return False
    data = (out / "graph.ttl").read_bytes()
    if data not in _PARSED:
        assert len(Graph().parse(data=data.decode("utf-8"), format="turtle")) > 0
        _PARSED.add(data)
    return True


def _builds(out: Path) -> list[Path]:
    """The builds kept for OUT (its build cache, also in the builds folder, left out)."""
    return [p for p in builds_folder(out).iterdir() if p.name != CACHE_NAME]


def _leftovers(out: Path) -> list[str]:
    """What builds leave next to OUT besides OUT and its builds folder."""
    return sorted(p.name for p in out.parent.iterdir() if p.name not in (out.name, builds_folder(out).name))


@pytest.mark.parametrize("builds", [pytest.param(3, id="three-builds")])
def test_write_build_out_links_to_whole_build_and_prunes(
    tmp_path: Path, results: tuple[BuildResult, BuildResult], builds: int
) -> None:
    out = tmp_path / "out"
    for index in range(builds):
        write_build(results[index % 2], out)
    assert out.is_symlink() and _valid(out)
    assert (out / "graph.ttl").read_bytes() == (
        builds_folder(out) / os.readlink(out).split("/")[-1] / "graph.ttl"
    ).read_bytes()
    assert len(_builds(out)) == 2  # the current build and the previous one
    assert _leftovers(out) == []


@pytest.mark.parametrize(
    "junk", [pytest.param((".tmp-killed", ".out.link-999999"), id="killed-build-leftovers")]
)
def test_write_build_removes_what_killed_builds_left(
    tmp_path: Path, results: tuple[BuildResult, BuildResult], junk: tuple[str, str]
) -> None:
    out = tmp_path / "out"
    write_build(results[0], out)
    (builds_folder(out) / junk[0]).mkdir()
    (builds_folder(out) / junk[0] / "graph.ttl").write_text("half a graph", encoding="utf-8")
    (tmp_path / junk[1]).symlink_to(".out.builds/nothing")
    write_build(results[1], out)
    assert not (builds_folder(out) / junk[0]).exists() and not os.path.lexists(tmp_path / junk[1])


@pytest.mark.parametrize("content", [pytest.param(("graph.ttl", "shacl-report.txt"), id="old-build")])
def test_write_build_migrates_real_folder_in_one_step(
    tmp_path: Path, results: tuple[BuildResult, BuildResult], content: tuple[str, ...]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name in content:
        (out / name).write_text("old", encoding="utf-8")
    write_build(results[0], out)
    assert out.is_symlink() and _valid(out)
    (legacy,) = [p for p in builds_folder(out).iterdir() if p.name.endswith(".legacy")]
    assert sorted(p.name for p in legacy.iterdir()) == sorted(
        content
    )  # kept for readers until the next build
    write_build(results[1], out)
    assert not legacy.exists()


@pytest.mark.parametrize("name", [pytest.param("notes.md", id="foreign-folder")])
def test_write_build_never_replaces_a_folder_that_is_not_a_build(
    tmp_path: Path, results: tuple[BuildResult, BuildResult], name: str
) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / name).write_text("my notes", encoding="utf-8")
    with pytest.raises(OutputError, match="does not hold a treatykg build"):
        write_build(results[0], out)
    assert [p.name for p in out.iterdir()] == [name] and not out.is_symlink()


@pytest.mark.parametrize("name", [pytest.param("out", id="file-in-the-way")])
def test_write_build_refuses_file_in_the_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    (tmp_path / name).write_text("x", encoding="utf-8")
    assert main(["build", str(ONE_SEED), "-o", str(tmp_path / name), "-q"]) == 2
    err = capsys.readouterr().err
    assert "exists and is not a folder" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("target", [pytest.param("elsewhere/real-out", id="user-link")])
def test_write_build_follows_a_link_the_user_made(
    tmp_path: Path, results: tuple[BuildResult, BuildResult], target: str
) -> None:
    (tmp_path / target).parent.mkdir()
    (tmp_path / "out").symlink_to(tmp_path / target)
    for result in results:
        write_build(result, tmp_path / "out")
        assert os.readlink(tmp_path / "out") == str(tmp_path / target)  # the user's link is left alone
        assert (tmp_path / target).is_symlink() and _valid(tmp_path / "out")
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == serialize(results[1].graph, "ttl")


@pytest.mark.parametrize("errno", [pytest.param(28, id="disk-full")])
def test_write_build_disk_full_keeps_previous(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, results: tuple[BuildResult, BuildResult], errno: int
) -> None:
    out = tmp_path / "out"
    write_build(results[0], out)
    before = (out / "graph.ttl").read_bytes()
    real = Path.open

    def full(self: Path, mode: str = "r", *args: object, **kwargs: object):
        if self.name == "graph.trig" and "w" in mode:
            raise OSError(errno, os.strerror(errno), str(self))
        return real(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", full)
    with pytest.raises(OutputError, match="No space left on device.*previous build, if any, is unchanged"):
        write_build(results[1], out)
    assert (out / "graph.ttl").read_bytes() == before and _valid(out)
    assert [p.name for p in _builds(out)] == [os.readlink(out).split("/")[-1]]


# ---------------------------------------------------------------- the lock


@pytest.mark.parametrize("wait", [pytest.param(0.2, id="short-wait")])
def test_write_build_locked_refuses_naming_the_holder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], results: tuple[BuildResult, BuildResult], wait: float
) -> None:
    out = tmp_path / "out"
    write_build(results[0], out)
    before = (out / "graph.ttl").read_bytes()
    with build_lock(out, timeout=0):
        with pytest.raises(
            BuildLockedError, match=rf"another build \(process {os.getpid()}\) is writing here"
        ):
            write_build(results[1], out, lock_timeout=wait)
        assert main(["build", str(OTHER_SEED), "-o", str(out), "-q", "--wait", "0"]) == 2
    err = capsys.readouterr().err
    assert "is writing here (waited 0 s)" in err and len(err.strip().splitlines()) == 1
    assert (out / "graph.ttl").read_bytes() == before


@pytest.mark.parametrize("hold", [pytest.param(0.5, id="half-a-second")])
def test_write_build_waits_for_the_other_build(
    tmp_path: Path, results: tuple[BuildResult, BuildResult], hold: float
) -> None:
    out = tmp_path / "out"
    taken = threading.Event()

    def other_build() -> None:
        with build_lock(out, timeout=0):
            taken.set()
            time.sleep(hold)

    holder = threading.Thread(target=other_build)
    holder.start()
    taken.wait()
    started = time.monotonic()
    write_build(results[0], out, lock_timeout=30)
    holder.join()
    assert time.monotonic() - started >= hold * 0.8 and _valid(out)


@pytest.mark.parametrize("content", [pytest.param("dead", id="dead-pid"), pytest.param("", id="empty-lock")])
def test_write_build_stale_lock_does_not_block(
    tmp_path: Path, results: tuple[BuildResult, BuildResult], content: str
) -> None:
    out = tmp_path / "out"
    if content == "dead":
        finished = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
        )
        content = finished.stdout.strip()  # the process id of a process that has ended
    (tmp_path / ".out.lock").write_text(content, encoding="ascii")
    started = time.monotonic()
    write_build(results[0], out, lock_timeout=0)
    assert time.monotonic() - started < 5 and _valid(out) and not (tmp_path / ".out.lock").exists()


@pytest.mark.parametrize("writers", [pytest.param(4, id="four-threads")])
def test_concurrent_builds_never_interleave(
    tmp_path: Path, results: tuple[BuildResult, BuildResult], writers: int
) -> None:
    out = tmp_path / "out"
    errors: list[BaseException] = []

    def build(index: int) -> None:
        try:
            write_build(results[index % 2], out, lock_timeout=60)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=build, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    expected = [serialize(r.graph, "ttl") for r in results]
    assert (out / "graph.ttl").read_bytes() in expected
    finished = (out / "graph.ttl").read_bytes() == expected[0]
    assert (out / "graph.trig").read_bytes() == serialize(results[0 if finished else 1].dataset, "trig")


# ---------------------------------------------------------------- killed at any moment

_SERVER = """
import os, signal, sys
from treatykg import build_graph, serialize, write_build
from treatykg.cli import main
seed, warm = sys.argv[1], sys.argv[2]
# warm up without writing: a process that has opened an Oxigraph store must not fork builders
# (RocksDB's threads do not survive a fork, so a forked child's store would hang)
result = build_graph([seed])
serialize(result.quads, "ttl")
print("ready", flush=True)
for line in sys.stdin:
    mode, number, out = line.split(maxsplit=2)
    out = out.strip()
    child = os.fork()
    if child == 0:
        try:
            if mode == "event":  # die just before the number-th file-system call of one write_build
                seen = [0]
                writes = os.O_WRONLY | os.O_RDWR | os.O_CREAT
                def hook(name, args):  # calls that change the file system (reading ones change nothing)
                    if name == "open":
                        mode, flags = args[1], args[2]
                        changes = any(c in mode for c in "wax+") if mode else bool(flags & writes)
                    else:
                        changes = name in ("os.mkdir", "os.rename", "os.symlink", "os.remove", "os.rmdir",
                                           "os.chmod", "os.truncate", "shutil.rmtree", "ctypes.call_function")
                    if changes:
                        seen[0] += 1
                        if seen[0] > int(number):
                            os.kill(os.getpid(), signal.SIGKILL)
                sys.addaudithook(hook)
                write_build(result, out)
                os._exit(3)  # finished before the number-th call
            while True:  # a whole CLI build, or only its writing phase (the kills then land in it)
                main(["build", seed, "-o", out, "-q"]) if mode == "cli" else write_build(result, out)
        finally:
            os._exit(0)
    print(child, flush=True)
    status = os.waitpid(child, 0)[1]
    print("finished" if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 3 else "killed", flush=True)
"""


class Builder:
    """A process that has imported treatykg and built a seed, and forks builders to be killed."""

    def __init__(self, warm: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SERVER, str(ONE_SEED), str(warm)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.readline() == "ready"

    def readline(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def start(self, mode: str, number: int, out: Path) -> int:
        """Fork a builder; its process id."""
        assert self.process.stdin is not None
        self.process.stdin.write(f"{mode} {number} {out}\n")
        self.process.stdin.flush()
        return int(self.readline())


@pytest.fixture(scope="module")
def builder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builder]:
    server = Builder(tmp_path_factory.mktemp("warm") / "out")
    yield server
    server.process.kill()
    server.process.wait()


@pytest.fixture(scope="module")
def legacy_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A whole build as a real folder, the way treatykg before issue 7 left OUT."""
    out = tmp_path_factory.mktemp("legacy") / "out"
    assert main(["build", str(ONE_SEED), "-o", str(out), "-q"]) == 0
    folder = out.parent / "real"
    shutil.copytree(out, folder)
    return folder


def _check(out: Path, seen: dict[Path, bool]) -> None:
    if not os.path.lexists(out):
        assert not seen[out], f"{out} vanished after it had been built"
        return
    assert _valid(out), f"{out} is not a whole build"
    seen[out] = True


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks warm builders")
@pytest.mark.parametrize("seed", [pytest.param(7, id="seed-7")])
def test_build_killed_at_random_moments_leaves_out_whole(
    tmp_path: Path, builder: Builder, legacy_build: Path, seed: int
) -> None:
    """20 SIGKILLs at random.Random(seed) delays of builders forked from a `python -c` process
    that has imported treatykg (so that each kill lands in a build, not in the imports): half
    run `treatykg build` through cli.main, half only its writing phase, so that most kills land
    there. After each kill, each OUT is absent and never built, or a whole build. One OUT
    starts as a real folder left by an older treatykg."""
    rng = random.Random(seed)
    fresh, legacy = tmp_path / "fresh" / "out", tmp_path / "legacy" / "out"
    shutil.copytree(legacy_build, legacy)
    seen = {fresh: False, legacy: True}
    for kill in range(20):
        out, mode = (fresh, legacy)[kill % 2], ("cli", "write")[kill // 2 % 2]
        child = builder.start(mode, 0, out)
        time.sleep(rng.uniform(0.0, 0.5 if mode == "cli" else 0.2))
        os.kill(child, signal.SIGKILL)
        assert builder.readline() == "killed"
        _check(fresh, seen)
        _check(legacy, seen)
    for out in (fresh, legacy):  # one clean build tidies up after the killed ones
        assert main(["build", str(ONE_SEED), "-o", str(out), "-q"]) == 0
        assert _valid(out) and _leftovers(out) == [] and len(_builds(out)) <= 2


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks warm builders")
@pytest.mark.parametrize(
    "start", [pytest.param("link", id="over-a-build"), pytest.param("real", id="over-a-real-folder")]
)
def test_build_killed_before_each_file_operation_leaves_out_whole(
    tmp_path: Path, builder: Builder, legacy_build: Path, start: str
) -> None:
    """The builder kills itself just before its 1st, 2nd, … call that changes the file system
    (Python audit events: open for writing, mkdir, rename, symlink, remove, the renameat2 call …)
    until a build finishes: every step of writing and swapping is interrupted once, and OUT
    stays a whole build."""
    out = tmp_path / "out"
    for number in range(200):
        for junk in [
            *builds_folder(out).glob(".tmp-*"),
            *tmp_path.glob(".out.link-*"),
        ]:  # what the last kill left
            shutil.rmtree(junk) if junk.is_dir() and not junk.is_symlink() else junk.unlink()
        if start == "real" or number == 0:
            shutil.rmtree(builds_folder(out), ignore_errors=True)
            if os.path.lexists(out):
                out.unlink() if out.is_symlink() else shutil.rmtree(out)
            shutil.copytree(legacy_build, out)
            if start == "link":
                assert main(["build", str(ONE_SEED), "-o", str(out), "-q"]) == 0
        builder.start("event", number, out)
        outcome = builder.readline()
        assert _valid(out), f"a kill before file operation {number} left {out} broken"
        if outcome == "finished":
            break
    assert 10 < number < 200 and out.is_symlink()


def test_link_or_copy_links_a_file_on_the_same_file_system(tmp_path: Path) -> None:
    source, target = tmp_path / "graph.nq", tmp_path / "out.nq"
    source.write_bytes(b"<a:s> <a:p> <a:o> .\n")
    link_or_copy(source, target)
    assert target.read_bytes() == source.read_bytes()
    assert target.stat().st_ino == source.stat().st_ino


def test_link_or_copy_copies_where_no_link_can_be_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(source: object, target: object) -> None:
        raise OSError("Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    source, target = tmp_path / "graph.nq", tmp_path / "out.nq"
    source.write_bytes(b"<a:s> <a:p> <a:o> .\n")
    link_or_copy(source, target)
    assert target.read_bytes() == source.read_bytes()
    assert target.stat().st_ino != source.stat().st_ino
