"""The history rule with medians by sorting (flows.history_fast) flags what flows.history flags."""

from __future__ import annotations

import random
from typing import Any

import pytest

from seemix.flows.history import WINDOW, SeriesHistory
from seemix.flows.history_fast import FastSeriesHistory
from seemix.flows.inputs import SourceLocation
from seemix.flows.models import Periodicity


def flags(
    history: SeriesHistory, points: list[tuple[int, int]], before: dict[int, int], periodicity: str
) -> Any:
    series = history.series_for(("key",), periodicity, SourceLocation("f.csv"))
    for row, (index, value) in enumerate(points, start=2):
        series.indexes.append(index)
        series.values.append(value)
        series.rows.append(row)
    minimum = 7 if periodicity == Periodicity.DAILY else 3
    return [p.as_dict() for p in history._flag(series, before, WINDOW[periodicity], minimum)]


@pytest.mark.parametrize("seed", range(40))
def test_the_sorting_medians_flag_the_same_figures_with_the_same_message(seed: int) -> None:
    rng = random.Random(seed)
    periodicity = Periodicity.DAILY if seed % 4 else Periodicity.MONTHLY
    start = 700_000 + rng.randrange(100)
    days = sorted(rng.sample(range(start, start + 120), rng.randrange(1, 90)))
    quiet = rng.choice([0, 3, 50, 400])
    points = [(d, quiet + rng.randrange(0, 1 + quiet // 3 + 5) + (rng.random() < 0.1) * rng.randrange(0, 900))
              for d in days]  # fmt: skip
    before = {start - k: quiet + rng.randrange(0, 9) for k in range(1, rng.randrange(1, 40))}
    expected = flags(SeriesHistory(), points, before, periodicity)
    assert flags(FastSeriesHistory(), points, before, periodicity) == expected


def test_a_jump_in_a_quiet_series_is_flagged_by_both() -> None:
    points = [(700_000 + d, 100 + d % 5) for d in range(12)] + [(700_012, 1000)]
    expected = flags(SeriesHistory(), points, {}, Periodicity.DAILY)
    assert [p["row"] for p in expected] == [14]
    assert flags(FastSeriesHistory(), points, {}, Periodicity.DAILY) == expected
