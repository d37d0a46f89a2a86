"""Facts and mentions as plain data (treatykg.facts)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest

from treatykg.facts import Fact, Mention, Value

_STATE = Mention("d1", "State", "Peru", 10, 14, date="1950-02-14", via="adjective")
_TREATY = Mention("d1", "Treaty", "Treaty of Lima", 20, 34, group="title-1")


def _fact(predicate: str, obj: Mention | Value) -> Fact:
    return Fact(_STATE, predicate, obj, "d1", 0, 40, "Peru signed the Treaty of Lima in 1950.", "parties",
                confidence=0.9, modality="conditional")


@pytest.mark.parametrize("fact", [_fact("isPartyTo", _TREATY), _fact("signingDate", Value("1950", "gYear"))])
def test_a_fact_comes_back_from_a_pickle_equal_with_every_field(fact):
    again = pickle.loads(pickle.dumps(fact, protocol=5))
    assert again == fact
    assert type(again.object) is type(fact.object)
    assert (again.confidence, again.modality, again.subject.via) == (0.9, "conditional", "adjective")


def test_a_pickle_of_a_fact_is_checked_as_a_new_fact_is():
    # a cache entry is unpickled by calling the class, so a tampered entry cannot hold a bad fact
    tampered = pickle.dumps(_fact("isPartyTo", _TREATY), protocol=5).replace(b"isPartyTo", b"isPartyXX")
    with pytest.raises(ValueError, match="unknown predicate"):
        pickle.loads(tampered)


def test_a_mention_pickled_in_another_process_is_found_by_its_fields():
    """A mention keeps its hash, which the process's string hashing seeds; one from the cache,
    pickled by another build, hashes as a mention made here with the same fields."""
    script = ("import pickle, sys; from treatykg.facts import Mention; "
              "sys.stdout.buffer.write(pickle.dumps(Mention('d1', 'State', 'Peru', 10, 14, date='1950-02-14', "
              "via='adjective'), protocol=5))")
    pickled = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                             env={**os.environ, "PYTHONHASHSEED": "1"}).stdout
    assert {_STATE: "found"}[pickle.loads(pickled)] == "found"
    assert "_hash" not in repr(_STATE)
