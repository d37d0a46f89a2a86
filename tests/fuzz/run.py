"""Run each fuzz target of tests/fuzz/fuzz_targets.py for a while and report what broke.

Usage:
    python tests/fuzz/run.py --seconds 60                 # every target, 60 s each, with hypothesis
    python tests/fuzz/run.py --seconds 60 sparql gold     # some targets
    python tests/fuzz/run.py --seconds 60 --engine atheris   # coverage-guided (pip install atheris)
    python tests/fuzz/run.py --seconds 60 --strict        # known crashes count as failures

Exit status 0 when no target failed. A failure prints hypothesis's shrunk falsifying example
(or atheris's crash file) so that it can become a regression test.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def run_hypothesis(name: str, seconds: float) -> tuple[int, str | None]:
    """Batches of examples with fresh seeds until the time is up; (examples, failure or None)."""
    import fuzz_targets
    from hypothesis import HealthCheck, seed

    deadline = time.monotonic() + seconds
    rng = random.Random()
    while time.monotonic() < deadline:
        batch = fuzz_targets.make(
            name,
            max_examples=200,
            deadline=None,
            database=None,
            print_blob=True,
            suppress_health_check=list(HealthCheck),
        )
        try:
            seed(rng.getrandbits(64))(batch)()
        except BaseException as error:  # a falsified contract: report it and stop this target
            if isinstance(error, KeyboardInterrupt):
                raise
            return fuzz_targets.CALLS[name], "".join(traceback.format_exception(error))[-4000:]
    return fuzz_targets.CALLS[name], None


def run_atheris_child(name: str, seconds: float, artifacts: Path) -> None:
    """Inside a child process: fuzz one target with atheris until the time is up."""
    import atheris

    with atheris.instrument_imports(include=["treatykg"]):
        import fuzz_targets
    atheris.Setup(
        [
            sys.argv[0],
            f"-max_total_time={int(seconds)}",
            "-timeout=60",
            "-rss_limit_mb=4096",
            f"-artifact_prefix={artifacts}/",
            "-print_final_stats=1",
        ],
        fuzz_targets.make(name, database=None).hypothesis.fuzz_one_input,
    )
    atheris.Fuzz()


def run_atheris(name: str, seconds: float, strict: bool) -> tuple[int, str | None]:
    artifacts = Path(tempfile.mkdtemp(prefix=f"fuzz-{name}-"))
    command = [
        sys.executable,
        __file__,
        "--child",
        name,
        "--seconds",
        str(seconds),
        "--artifacts",
        str(artifacts),
    ]
    if strict:
        command.append("--strict")
    finished = subprocess.run(command, capture_output=True, text=True)
    log = finished.stderr
    runs = next(
        (line.split()[-1] for line in log.splitlines() if "stat::number_of_executed_units" in line), "0"
    )
    if finished.returncode != 0:
        return int(runs), f"atheris exit {finished.returncode}; crash files in {artifacts}\n{log[-4000:]}"
    return int(runs), None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help="target names (default: all)")
    parser.add_argument("--seconds", type=float, default=30.0, help="time per target")
    parser.add_argument("--engine", choices=["hypothesis", "atheris"], default="hypothesis")
    parser.add_argument(
        "--strict", action="store_true", help="known crashes (fuzz_targets.KNOWN_CRASHES) fail"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--artifacts", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    import fuzz_targets

    fuzz_targets.STRICT["value"] = args.strict
    if args.child:
        run_atheris_child(args.child, args.seconds, args.artifacts)
        return 0
    names = args.targets or list(fuzz_targets.TARGETS)
    unknown = sorted(set(names) - set(fuzz_targets.TARGETS))
    if unknown:
        parser.error(f"unknown targets {unknown}; known: {', '.join(fuzz_targets.TARGETS)}")
    failed = 0
    for name in names:
        started = time.monotonic()
        runner = run_atheris if args.engine == "atheris" else None
        examples, failure = (
            runner(name, args.seconds, args.strict) if runner else run_hypothesis(name, args.seconds)
        )
        elapsed = time.monotonic() - started
        print(
            f"{name:10s} {examples:8d} inputs in {elapsed:6.1f} s: {'FAILED' if failure else 'ok'}",
            flush=True,
        )
        if failure:
            failed += 1
            print(failure, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
