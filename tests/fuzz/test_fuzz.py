"""The fuzz targets of tests/fuzz/fuzz_targets.py, run briefly in the test suite (a few
hundred examples in all); `python tests/fuzz/run.py --seconds N` runs them for longer."""

from __future__ import annotations

import pytest
from fuzz_targets import CALLS, TARGETS, make
from hypothesis import HealthCheck

BRIEF = {"document": 100, "metadata": 80, "gold": 80, "sparql": 100, "extract": 30}


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in TARGETS])
def test_fuzz_target_briefly(name: str) -> None:
    before = CALLS[name]
    make(
        name,
        max_examples=BRIEF.get(name, 50),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )()
    assert CALLS[name] - before >= min(BRIEF.get(name, 50), 20)  # it did run examples
