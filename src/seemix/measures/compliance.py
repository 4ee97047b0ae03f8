"""Lead time and compliance with the regional advance-notice target.

Lead time = effective start (the recorded entry into force, else the planned start) minus the first
notification. A measure is "on time" when its lead time is at least SEEMIX_ADVANCE_NOTICE_DAYS.
Compliance per participant and period: of the measures it notified whose effective start falls in
the period (cancelled ones excluded: they never took effect), the share notified on time, over the
planned ones (the target's own measure) and over all of them (the immediate path included, which by
definition gives little or no notice).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings

from seemix.core.access import Principal
from seemix.directory.models import Participant
from seemix.measures.models import Measure, MeasureStatus, NotificationPath
from seemix.measures.queries import measures_visible_to


@dataclass
class ParticipantCompliance:
    participant: Participant
    measures: int = 0
    planned: int = 0
    planned_on_time: int = 0
    immediate: int = 0
    on_time: int = 0
    lead_times_hours: list[float] = field(default_factory=list)

    @property
    def share_planned_on_time(self) -> float | None:
        return round(self.planned_on_time / self.planned, 4) if self.planned else None

    @property
    def share_on_time(self) -> float | None:
        return round(self.on_time / self.measures, 4) if self.measures else None

    @property
    def median_lead_time_hours(self) -> float | None:
        return round(statistics.median(self.lead_times_hours), 1) if self.lead_times_hours else None

    @property
    def shortest_lead_time_hours(self) -> float | None:
        return round(min(self.lead_times_hours), 1) if self.lead_times_hours else None


@dataclass
class ComplianceReport:
    start: date
    end: date
    advance_notice_days: int
    participants: list[ParticipantCompliance]


def advance_notice() -> timedelta:
    return timedelta(days=settings.SEEMIX_ADVANCE_NOTICE_DAYS)


def is_on_time(measure: Measure) -> bool | None:
    lead = measure.lead_time
    return None if lead is None else lead >= advance_notice()


def compliance_for(
    principal: Principal, *, start: date, end: date, participant: str | None = None
) -> ComplianceReport:
    """Compliance of each issuer over the measures the principal may read, effective start in [start, end]."""
    begin = datetime.combine(start, time.min, tzinfo=UTC)
    finish = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    measures = (
        measures_visible_to(principal, issuer=participant)
        .filter(first_notified_at__isnull=False)
        .exclude(status__in=[MeasureStatus.DRAFT, MeasureStatus.CANCELLED])
        .select_related("issuer")
    )
    rows: dict[int, ParticipantCompliance] = {}
    for measure in measures:
        if not begin <= measure.effective_start < finish:
            continue
        row = rows.setdefault(measure.issuer_id, ParticipantCompliance(measure.issuer))
        row.measures += 1
        on_time = bool(is_on_time(measure))
        row.on_time += on_time
        if measure.path == NotificationPath.PLANNED:
            row.planned += 1
            row.planned_on_time += on_time
        else:
            row.immediate += 1
        assert measure.lead_time is not None
        row.lead_times_hours.append(measure.lead_time.total_seconds() / 3600)
    return ComplianceReport(
        start=start,
        end=end,
        advance_notice_days=settings.SEEMIX_ADVANCE_NOTICE_DAYS,
        participants=sorted(rows.values(), key=lambda r: r.participant.code),
    )
