"""The registry of extractors, one per kind of statement, under stable versioned names."""

from __future__ import annotations

from .abrogation import AbrogationExtractor
from .base import Extractor, registry_name
from .concerns import ConcernsExtractor
from .duration import DurationExtractor
from .entry_into_force import EntryIntoForceExtractor
from .languages import LanguagesExtractor
from .part_of import PartOfExtractor
from .parties import PartiesExtractor
from .plenipotentiaries import PlenipotentiariesExtractor
from .recognition import RecognitionExtractor
from .registration import RegistrationExtractor
from .signatures import SignaturesExtractor
from .signers import SignersExtractor
from .signing import SigningExtractor
from .termination import TerminationExtractor

ALL_EXTRACTORS: tuple[Extractor, ...] = (
    SigningExtractor(),
    EntryIntoForceExtractor(),
    RegistrationExtractor(),
    LanguagesExtractor(),
    DurationExtractor(),
    PartiesExtractor(),
    PlenipotentiariesExtractor(),
    SignaturesExtractor(),
    SignersExtractor(),
    AbrogationExtractor(),
    RecognitionExtractor(),
    TerminationExtractor(),
    ConcernsExtractor(),
    PartOfExtractor(),
)
REGISTRY: dict[str, Extractor] = {registry_name(e): e for e in ALL_EXTRACTORS}


def get_extractor(name: str) -> Extractor:
    """The extractor registered under name; a KeyError lists the known names."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"no extractor {name!r}; known: {', '.join(sorted(REGISTRY))}") from None


__all__ = ["ALL_EXTRACTORS", "REGISTRY", "Extractor", "get_extractor", "registry_name"]
