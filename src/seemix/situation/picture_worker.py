"""The daily computation of impact levels and alerts, run by `seemix worker`
(SituationConfig.worker_started).

Every ``SWEEP_SECONDS`` the sweeper computes the levels of the latest day with a regional report and
of the day before it (a report filed late changes yesterday's level too), then runs the alert rules
for the same two days. Both are idempotent (services.impact.assess_impact_levels records nothing when
nothing changed; an alert is raised once per kind and key), so any number of workers may sweep at
once; `seemix assess_impact --date D` and `seemix raise_alerts --date D` do the same by hand.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from seemix.core.sweeper import Sweeper
from seemix.situation.alert_rules import run_alert_rules
from seemix.situation.picture_data import latest_day
from seemix.situation.services.impact import assess_impact_levels, regional_reader

logger = logging.getLogger(__name__)

SWEEP_SECONDS = 3600


def assess_latest_days() -> list[date]:
    """Compute the levels and run the alert rules of the latest regionally reported day and the day
    before; the days done."""
    latest = latest_day(regional_reader())
    if latest is None:
        return []
    days = [latest - timedelta(days=1), latest]
    for day in days:
        recorded = assess_impact_levels(day)
        logger.info("impact levels of %s: %d new assessments", day, len(recorded))
        found = run_alert_rules(day)
        logger.info("alert rules of %s: %d findings", day, sum(len(alerts) for alerts in found.values()))
    return days


class ImpactSweeper(Sweeper[list[date]]):
    def __init__(self, interval: float) -> None:
        super().__init__(
            name="impact",
            what="impact-level or alert computation",
            job=assess_latest_days,
            failed=[],
            interval=interval,
        )
