"""The demo's picture of 2015-16: the impact levels and alerts of every day of the real data.

The worker computes them for the latest days only (a live system's "today"), so the demo computes
the whole period once, through the same services (``assess_impact_levels``, ``run_alert_rules``):
a visitor opening the picture of 21 Oct 2015 sees the levels and alerts of that day. The alerts are
recorded without deliveries (``replaying_history``): nobody is emailed about a day of 2015. A second
run finds the period done and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from seemix.situation.alert_rules import run_alert_rules
from seemix.situation.models import ImpactAssessment, SituationAlert
from seemix.situation.services.alerts import replaying_history
from seemix.situation.services.impact import assess_impact_levels
from seemix.situation.services.reconciliation import reconcile_route

FIRST_DAY = date(2015, 10, 1)
LAST_DAY = date(2016, 4, 18)
RECONCILED_TO = date(2016, 3, 8)


@dataclass(frozen=True)
class DemoSituation:
    days: int
    assessments: int
    alerts: int
    skipped: bool = False


def load_demo_situation(
    first: date = FIRST_DAY, last: date = LAST_DAY, progress: Callable[[date], None] | None = None
) -> DemoSituation:
    """Compute the impact levels and run the alert rules for every day from ``first`` to ``last``."""
    if ImpactAssessment.objects.filter(day=last).exists():
        return DemoSituation(days=0, assessments=0, alerts=0, skipped=True)
    alerts_before = SituationAlert.objects.count()
    assessments = 0
    day = first
    with replaying_history():
        while day <= last:
            assessments += len(assess_impact_levels(day))
            run_alert_rules(day)
            if progress is not None:
                progress(day)
            day += timedelta(days=1)
        if first <= RECONCILED_TO:
            reconcile_route(None, first, min(last, RECONCILED_TO), raise_alerts=True)
    return DemoSituation(
        days=(last - first).days + 1,
        assessments=assessments,
        alerts=SituationAlert.objects.count() - alerts_before,
    )
