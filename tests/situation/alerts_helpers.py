"""Helpers of the alerts, timelines and capacity tests: figures submitted through flows' own service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from seemix.core.classification import Classification
from seemix.flows.inputs import ObservationInput, SourceLocation
from seemix.flows.services import load_indicators, submit_observations


def submit(
    participant: Any,
    figures: Iterable[tuple[str, dt.date, str, int, str]],
    *,
    classification: str = Classification.REGIONAL,
    audience: Sequence[Any] = (),
) -> None:
    """figures: (indicator, day, place, value, counterpart) rows, submitted as the system."""
    load_indicators()
    rows = [
        ObservationInput(SourceLocation("test", "", i + 2), day, indicator, place, value, counterpart)
        for i, (indicator, day, place, value, counterpart) in enumerate(figures)
    ]
    submit_observations(
        actor=None, participant=participant, rows=rows, classification=classification, audience=audience
    )


def days(start: dt.date, n: int) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range(n)]
