"""Tests for the treatykg package: its names load from their modules when first asked for, and are
what an eager import gave."""

from __future__ import annotations

import subprocess
import sys


def _run(script: str) -> str:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          check=True)
    return done.stdout.strip()


def test_importing_the_package_loads_no_module_of_its_own() -> None:
    loaded = _run("import sys, treatykg; print(sorted(m for m in sys.modules if m.startswith('treatykg.')))")
    assert loaded == "[]"


def test_every_name_of_the_api_is_there_and_from_its_module() -> None:
    script = (
        "import importlib, treatykg\n"
        "assert sorted(treatykg.__all__) == sorted(treatykg._MODULE_OF)\n"
        "assert set(treatykg.__all__) <= set(dir(treatykg))\n"
        "for name in treatykg.__all__:\n"
        "    module = importlib.import_module(treatykg._MODULE_OF[name], 'treatykg')\n"
        "    assert getattr(treatykg, name) is getattr(module, name), name\n"
        "print('ok')\n"
    )
    assert _run(script) == "ok"


def test_validate_and_evaluate_stay_functions_when_their_modules_load_first() -> None:
    """A submodule loaded by another (the build loads treatykg.validate) is named in its package;
    the API's functions of those names keep their place, as with an eager import."""
    script = (
        "import treatykg.build, treatykg.evaluate\n"
        "from treatykg import evaluate, validate\n"
        "import treatykg\n"
        "print(callable(validate), callable(evaluate), treatykg.validate is validate,\n"
        "      treatykg.dates.__name__)\n"
    )
    assert _run(script) == "True True True treatykg.dates"


def test_an_unknown_name_is_an_attribute_error() -> None:
    script = "import treatykg\ntry:\n    treatykg.no_such_name\nexcept AttributeError as e:\n    print(e)\n"
    assert _run(script) == "module 'treatykg' has no attribute 'no_such_name'"
