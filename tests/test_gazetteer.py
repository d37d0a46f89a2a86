"""Knowledge-base names found in text."""

from __future__ import annotations

import pytest

from treatykg.gazetteer import find_names
from treatykg.kb import load_kb

KB = load_kb()


def names_of(text: str) -> list[str]:
    return [text[name.start:name.end] for name in find_names(text, KB)]


@pytest.mark.parametrize("text, found", [
    pytest.param("Great Britain and Northern Ireland", ["Great Britain"], id="northern"),
    pytest.param("la Grande-Bretagne et l'Irlande du Nord", ["Grande-Bretagne"], id="du-nord"),
    pytest.param("the United Kingdom of Great Britain and Northern Ireland",
                 ["United Kingdom of Great Britain and Northern Ireland"], id="in-a-longer-name"),
    pytest.param("North Korea, Corée du Nord and Ireland", ["North Korea", "Corée du Nord", "Ireland"],
                 id="names-that-hold-the-compass-word"),
])
def test_a_region_named_by_a_compass_word_is_not_the_state(text: str, found: list[str]) -> None:
    assert names_of(text) == found
