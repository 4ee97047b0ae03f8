"""Load the reference data every installation needs: participants, the gazetteer, the indicators."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seemix.directory.services import load_participants
from seemix.flows.services import load_indicators
from seemix.gazetteer.services import load_gazetteer


@dataclass(frozen=True)
class ReferenceSummary:
    participants: Any
    gazetteer: Any
    indicators: Any


def load_reference() -> ReferenceSummary:
    return ReferenceSummary(
        participants=load_participants(actor=None),
        gazetteer=load_gazetteer(actor=None),
        indicators=load_indicators(actor=None),
    )
