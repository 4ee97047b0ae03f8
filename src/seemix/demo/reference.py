"""Load the reference data every installation needs: participants and the gazetteer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seemix.directory.services import load_participants
from seemix.gazetteer.services import load_gazetteer


@dataclass(frozen=True)
class ReferenceSummary:
    participants: Any
    gazetteer: Any


def load_reference() -> ReferenceSummary:
    return ReferenceSummary(participants=load_participants(actor=None), gazetteer=load_gazetteer(actor=None))
