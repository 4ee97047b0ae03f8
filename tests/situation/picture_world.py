"""Fixtures of the picture tests: the gazetteer, indicators, participants and a way to report figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from seemix.core.classification import Classification
from seemix.directory.models import Participant
from seemix.flows.models import Channel
from seemix.flows.services import submit_observations
from tests.flows.conftest import gazetteer, indicators, principal_of, row  # noqa: F401  (fixtures)

DAY = date(2015, 10, 21)


@pytest.fixture
def world(gazetteer: None, indicators: None, participants: dict[str, Participant]) -> dict[str, Participant]:  # noqa: F811
    return participants


@pytest.fixture
def report(world: dict[str, Participant]) -> Callable[..., Any]:
    """report("RS", [("RS-SID", "EXITS", 100, "HR"), ...], day=..., classification=..., audience=[...])
    submits one participant's daily figures (a second call for the same day is a revision)."""

    def submit(
        code: str,
        figures: list[tuple[str, str, int | None, str]],
        *,
        day: date = DAY,
        classification: str = Classification.REGIONAL,
        audience: tuple[str, ...] = (),
    ) -> Any:
        rows = [
            row(place, value, day=day, indicator=indicator, counterpart=counterpart, number=i + 2)
            for i, (place, indicator, value, counterpart) in enumerate(figures)
        ]
        return submit_observations(
            actor=None,
            participant=world[code],
            rows=rows,
            channel=Channel.API,
            classification=classification,
            audience=[world[a] for a in audience],
        )

    return submit
