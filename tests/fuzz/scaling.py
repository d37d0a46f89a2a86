"""How extraction time grows with the length of one document, per shape of text.

Usage: python tests/fuzz/scaling.py [--size N] [--factor F] [--budget SECONDS] [SHAPE ...]

For each shape it times treatykg.build.extract_document on N and F*N characters and prints the
ratio; linear work gives about F, quadratic about F*F. A shape over --budget seconds at N is
reported as "too slow" without the second run. The regexes behind a slow shape are found with
`--regexes`, which times every compiled pattern of the annotation and extractor modules alone.
Reported to the lead (issue 7): whitespace runs, repeated names and CJK text are superlinear.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED_TEXT = "\n\n".join(
    p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "seeds").glob("*.txt"))
)

SHAPES = {
    "letters": lambda n: "a" * n,
    "digits": lambda n: "1" * n,
    "dots": lambda n: ". " * (n // 2),
    "seed-text": lambda n: (SEED_TEXT * (n // len(SEED_TEXT) + 1))[:n],
    "seed-one-line": lambda n: (SEED_TEXT.replace("\n", " ") * (n // len(SEED_TEXT) + 1))[:n],
    "html-nesting": lambda n: ("<div>" * n)[:n],
    "spaces": lambda n: " " * n,
    "newlines": lambda n: "\n" * n,
    "space-newline": lambda n: (" \n" * n)[:n],
    "tabs": lambda n: "\t" * n,
    "treaty-treaty": lambda n: ("Treaty " * n)[:n],
    "cjk-title": lambda n: ("中苏友好同盟互助条约" * n)[:n],
    "signed-at": lambda n: ("Signed at Moscow " * n)[:n],
    "names": lambda n: ("Chou En-lai, " * n)[:n],
}

PATTERN_MODULES = ["annotate", "gazetteer", "instruments", "segment", "dates", "textview", "names"]


def time_extract(text: str) -> float:
    from treatykg.build import extract_document
    from treatykg.document import Document
    from treatykg.kb import load_kb

    kb = load_kb()
    started = time.perf_counter()
    extract_document(Document("scaling", text), kb)
    return time.perf_counter() - started


def scale(shapes: list[str], size: int, factor: int, budget: float) -> int:
    slow = 0
    for name in shapes:
        small = time_extract(SHAPES[name](size))
        if small > budget:
            print(f"{name:15s} {small:8.2f} s at {size}: too slow", flush=True)
            slow += 1
            continue
        large = time_extract(SHAPES[name](size * factor))
        ratio = large / max(small, 1e-6)
        verdict = "superlinear" if ratio > factor * 2.5 else "ok"
        slow += verdict != "ok"
        print(
            f"{name:15s} {small:8.3f} s at {size}, {large:8.3f} s at {size * factor}: "
            f"x{ratio:5.1f} {verdict}",
            flush=True,
        )
    return slow


def regexes(shapes: list[str], size: int) -> None:
    import treatykg.extractors as extractors

    names = [f"treatykg.{m}" for m in PATTERN_MODULES]
    names += [f"treatykg.extractors.{m.name}" for m in pkgutil.iter_modules(extractors.__path__)]
    for module_name in names:
        for attribute, value in vars(importlib.import_module(module_name)).items():
            if not isinstance(value, re.Pattern):
                continue
            for shape in shapes:
                timings = []
                for length in (size, 2 * size):
                    text = SHAPES[shape](length)
                    started = time.perf_counter()
                    for _ in value.finditer(text):
                        pass
                    timings.append(time.perf_counter() - started)
                if timings[1] > 0.05:
                    print(
                        f"{module_name}.{attribute} on {shape}: {timings[0]:.3f} s at {size}, "
                        f"{timings[1]:.3f} s "
                        f"at {2 * size} (x{timings[1] / max(timings[0], 1e-9):.1f})",
                        flush=True,
                    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shapes", nargs="*", default=list(SHAPES))
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--factor", type=int, default=4)
    parser.add_argument("--budget", type=float, default=10.0)
    parser.add_argument("--regexes", action="store_true", help="time each compiled pattern alone")
    args = parser.parse_args()
    if args.regexes:
        regexes(args.shapes, args.size)
        return 0
    return 1 if scale(args.shapes, args.size, args.factor, args.budget) else 0


if __name__ == "__main__":
    sys.exit(main())
