"""Publishing an output folder atomically, and the lock that keeps two builds apart.

OUT is a symbolic link to a complete build in the hidden sibling folder `.OUT.builds/`. A build
is written in full into `.OUT.builds/.tmp-*`, synced to disk, renamed to its final name there,
and only then published by renaming a fresh link over OUT: rename(2) replaces a link in one step,
so a reader, or a build killed at any moment, finds the previous build or the new one, whole.
`OUT/graph.ttl` reads through the link as before. The previous build is kept for readers still
in it; older ones, and the leftovers of killed builds, are removed by the next build.

An OUT that is a real folder from an older treatykg (it holds graph.ttl or graph.trig, or is
empty) is exchanged for the link in one step with renameat2(RENAME_EXCHANGE) on Linux; where
that call is missing it is moved into `.OUT.builds/` first, the one moment (a rename long) at
which a kill leaves OUT missing until the next build. A folder that does not look like a build
is never replaced.

Two builds into one OUT take turns through `.OUT.lock`, an advisory lock (flock) holding the
builder's process id: the second waits up to a timeout, then fails with BuildLockedError. The
kernel drops the lock of a killed process, so a stale lock file never blocks.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import BuildLockedError, OutputError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

BUILD_MARKERS = ("graph.trig", "graph.ttl")
CACHE_NAME = "cache"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """Put source's bytes at target: a hard link where the file system allows one (a file that is
    never changed in place, written once more for nothing), else a copy."""
    try:
        os.link(source, target)
    except OSError:  # another file system, or no links there
        shutil.copyfile(source, target)


def builds_folder(out: Path) -> Path:
    """The hidden sibling folder holding OUT's builds."""
    return out.parent / f".{out.name}.builds"


def cache_folder(out: Path) -> Path:
    """Where builds into OUT keep their cache: `.OUT.builds/cache`, which pruning leaves alone."""
    return builds_folder(_real_out(out)) / CACHE_NAME


def published_build(out: Path) -> Path | None:
    """The folder of the build OUT shows (None: no build yet, or a folder from an older treatykg)."""
    out = _real_out(out)
    return builds_folder(out) / Path(os.readlink(out)).name if _is_ours(out) else None


def _is_ours(out: Path) -> bool:
    """Whether OUT is a link this module made (relative, into .OUT.builds/)."""
    if not out.is_symlink():
        return False
    target = Path(os.readlink(out))
    return not target.is_absolute() and target.parent == Path(f".{out.name}.builds")


def _real_out(out: Path) -> Path:
    """OUT as an absolute path; a link the user made is followed to the folder it names."""
    out = Path(os.path.abspath(out))
    for _ in range(40):  # follow the user's links, one at a time, up to ours or a real path
        if not out.is_symlink() or _is_ours(out):
            break
        out = Path(os.path.abspath(out.parent / os.readlink(out)))
    else:
        raise OutputError(f"{out}: too many levels of symbolic links; choose another -o")
    if not out.name or out == out.parent:
        raise OutputError(f"{out}: cannot be an output folder; name a folder such as out")
    return out


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _holder(lock: Path) -> str:
    try:
        pid = int(lock.read_text(encoding="ascii").strip() or "0")
    except (OSError, ValueError):
        return "another build"
    return f"another build (process {pid})" if pid and _pid_alive(pid) else "another build"


@contextlib.contextmanager
def build_lock(out: Path, *, timeout: float = 60.0) -> Iterator[Path]:
    """Hold OUT's lock, waiting up to timeout seconds for another build to finish."""
    lock = out.parent / f".{out.name}.lock"
    deadline = time.monotonic() + max(timeout, 0.0)
    while True:
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        if _try_lock(descriptor):
            try:  # the file may have been removed by the build that held it: lock the one at the path
                same = os.stat(lock).st_ino == os.fstat(descriptor).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
        os.close(descriptor)
        if time.monotonic() >= deadline:
            raise BuildLockedError(f"{out}: {_holder(lock)} is writing here (waited {timeout:g} s); wait for it to "
                                   f"finish, or build into another folder with -o")
        time.sleep(0.05)
    try:
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode("ascii"))
        yield lock
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()
        os.close(descriptor)  # closing drops the flock


def _try_lock(descriptor: int) -> bool:
    if fcntl is None:  # pragma: no cover - Windows
        import msvcrt
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _seal(folder: Path) -> None:
    """Sync the folder's files and folders (the store's) to disk."""
    for path in folder.iterdir():
        if path.is_dir():
            _seal(path)
        else:
            _fsync(path)
    _fsync(folder)


def _check_replaceable(out: Path) -> None:
    if _is_ours(out) or not os.path.lexists(out):
        return
    if not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder; remove it or choose another -o")
    names = sorted(p.name for p in out.iterdir())
    if names and not any(marker in names for marker in BUILD_MARKERS):
        raise OutputError(f"{out}: is a folder that does not hold a treatykg build ({', '.join(names[:3])}…); "
                          f"it is left alone: choose another -o")


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result != 0:
        error = ctypes.get_errno()
        if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system cannot
            return False
        raise OSError(error, os.strerror(error), str(second))
    return True


def _point(out: Path, build: Path) -> None:
    """Make OUT a link to build, in one rename."""
    link = out.parent / f".{out.name}.link-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    os.symlink(os.path.relpath(build, out.parent), link)
    if os.path.lexists(out) and not out.is_symlink():  # a real folder from an older treatykg
        legacy = build.parent / f"{build.name}.legacy"
        if _exchange(link, out):
            os.rename(link, legacy)  # the old folder, now at the link's name
            return
        os.rename(out, legacy)
    os.replace(link, out)


def _prune(out: Path, keep: set[str]) -> None:
    """Remove older builds and what killed builds left behind (the caller holds the lock)."""
    for path in builds_folder(out).iterdir():
        if path.name in keep or path.name == CACHE_NAME:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()
    for link in out.parent.glob(f".{out.name}.link-*"):
        with contextlib.suppress(OSError):
            link.unlink()


def publish(out: Path, write: Callable[[Path], None], *, lock_timeout: float = 60.0) -> Path:
    """Write a build with write(folder) and publish it atomically as OUT; return OUT's real path."""
    out = _real_out(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with build_lock(out, timeout=lock_timeout):
            _check_replaceable(out)
            builds = builds_folder(out)
            builds.mkdir(exist_ok=True)
            previous = Path(os.readlink(out)).name if _is_ours(out) else None
            staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=builds))
            try:
                umask = os.umask(0)
                os.umask(umask)
                staging.chmod(0o777 & ~umask)
                write(staging)
                _seal(staging)
                build = builds / f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{secrets.token_hex(6)}"
                while build.exists():
                    build = build.with_name(build.name + "+")
                os.rename(staging, build)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            _fsync(builds)
            _point(out, build)
            _fsync(out.parent)
            _prune(out, {build.name, previous or build.name, f"{build.name}.legacy"})
    except OSError as error:
        raise OutputError(f"{out}: cannot write the build here ({error.strerror or error}); the previous "
                          f"build, if any, is unchanged") from error
    return out


def write_file(path: Path, data: bytes) -> None:
    """Write a file atomically (a temporary sibling renamed over it); OutputError when it cannot be."""
    path = Path(path)
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as error:
        raise OutputError(f"{path}: cannot be written ({error.strerror or error}); choose another -o") from error
