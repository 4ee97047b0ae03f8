"""Reporting status: for each participant and each day (or month), reported, late, missing or due.

Like HDX's "freshness": a period's figures are due by a deadline; a report first submitted by then is
*reported*, after it *late*; with no submitted revision it is *missing* once the deadline has passed
and *due* before. Only the fact and time of the first submission are shown, never a figure, so the
status of a RESTRICTED report reveals nothing of its content.

Deadlines (settings, read with defaults until they are in settings.py):
- daily: the day after the reported day at SEEMIX_DAILY_REPORT_DEADLINE_HOUR (default 12:00);
- monthly: day SEEMIX_MONTHLY_REPORT_DEADLINE_DAY (default 15) of the next month, at 00:00;
both in the display time zone (TIME_ZONE), where the participants' calendar days are counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seemix.core.access import Principal
from seemix.core.errors import FieldError, Forbidden, InvalidInput
from seemix.directory.models import STATE_KINDS, Participant
from seemix.flows.models import Periodicity, ReportRevision, RevisionStatus

MAX_DAYS = 366
MAX_MONTHS = 60


class ReportingState(StrEnum):
    REPORTED = "reported"
    LATE = "late"
    MISSING = "missing"
    DUE = "due"


STATE_LABELS = {
    ReportingState.REPORTED: gettext_lazy("Reported"),
    ReportingState.LATE: gettext_lazy("Late"),
    ReportingState.MISSING: gettext_lazy("Missing"),
    ReportingState.DUE: gettext_lazy("Due"),
}


@dataclass(frozen=True)
class PeriodStatus:
    period_start: date
    state: ReportingState
    deadline: datetime
    first_submitted_at: datetime | None

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass(frozen=True)
class ParticipantStatus:
    participant: Participant
    periods: list[PeriodStatus]

    def count(self, state: ReportingState) -> int:
        return sum(1 for p in self.periods if p.state == state)


@dataclass(frozen=True)
class StatusGrid:
    periodicity: str
    date_from: date
    date_to: date
    periods: list[date]
    participants: list[ParticipantStatus]


def daily_deadline_hour() -> int:
    return settings.SEEMIX_DAILY_REPORT_DEADLINE_HOUR


def monthly_deadline_day() -> int:
    return settings.SEEMIX_MONTHLY_REPORT_DEADLINE_DAY


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def deadline_for(periodicity: str, period_start: date) -> datetime:
    """When the figures of the period are due (timezone-aware)."""
    if periodicity == Periodicity.MONTHLY:
        due_day = next_month(period_start) + timedelta(days=monthly_deadline_day() - 1)
        return datetime.combine(due_day, time(0, 0), tzinfo=_zone())
    return datetime.combine(period_start + timedelta(days=1), time(daily_deadline_hour(), 0), tzinfo=_zone())


def state_of(first_submitted_at: datetime | None, deadline: datetime, now: datetime) -> ReportingState:
    if first_submitted_at is not None:
        return ReportingState.REPORTED if first_submitted_at <= deadline else ReportingState.LATE
    return ReportingState.MISSING if now > deadline else ReportingState.DUE


def periods_between(periodicity: str, date_from: date, date_to: date) -> list[date]:
    if periodicity == Periodicity.MONTHLY:
        out, month = [], first_of_month(date_from)
        while month <= date_to:
            out.append(month)
            month = next_month(month)
        return out
    return [date_from + timedelta(days=n) for n in range((date_to - date_from).days + 1)]


def reporting_participants() -> list[Participant]:
    """Who is expected to report: the active participants that are states (not agencies or partners)."""
    return list(Participant.objects.filter(is_active=True, kind__in=list(STATE_KINDS)).order_by("name"))


def first_submissions(periodicity: str, periods: list[date]) -> dict[tuple[int, date], datetime]:
    """{(participant id, period start): time of the report's first submitted revision}."""
    if not periods:
        return {}
    rows = (
        ReportRevision.objects.filter(
            status=RevisionStatus.SUBMITTED,
            report__periodicity=periodicity,
            report__period_start__gte=periods[0],
            report__period_start__lte=periods[-1],
        )
        .values("report__participant_id", "report__period_start")
        .annotate(first=Min("submitted_at"))
    )
    return {(r["report__participant_id"], r["report__period_start"]): r["first"] for r in rows}


def default_range(periodicity: str, today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    if periodicity == Periodicity.MONTHLY:
        start = first_of_month(today)
        for _month in range(5):
            start = first_of_month(start - timedelta(days=1))
        return start, first_of_month(today)
    return today - timedelta(days=13), today


def _check(periodicity: str, date_from: date, date_to: date) -> None:
    errors = []
    if periodicity not in Periodicity.values:
        errors.append(FieldError("periodicity", _("Use daily or monthly.")))
    if date_from > date_to:
        errors.append(FieldError("date_from", _("The start date is after the end date.")))
    elif periodicity == Periodicity.DAILY and (date_to - date_from).days >= MAX_DAYS:
        errors.append(FieldError("date_to", _("Ask for at most %(n)d days at a time.") % {"n": MAX_DAYS}))
    elif (
        periodicity == Periodicity.MONTHLY
        and len(periods_between(periodicity, date_from, date_to)) > MAX_MONTHS
    ):
        errors.append(FieldError("date_to", _("Ask for at most %(n)d months at a time.") % {"n": MAX_MONTHS}))
    if errors:
        raise InvalidInput(errors)


def reporting_status(
    principal: Principal,
    *,
    periodicity: str = Periodicity.DAILY,
    date_from: date | None = None,
    date_to: date | None = None,
    now: datetime | None = None,
) -> StatusGrid:
    """Who has and has not reported each period, for the members of the platform."""
    if not (principal.is_member or principal.is_platform_admin):
        raise Forbidden(_("The reporting status is shared with the members of participants only."))
    default_from, default_to = default_range(periodicity if periodicity in Periodicity.values else "daily")
    date_from = date_from or default_from
    date_to = date_to or default_to
    _check(periodicity, date_from, date_to)
    now = now or timezone.now()
    periods = periods_between(periodicity, date_from, date_to)
    firsts = first_submissions(periodicity, periods)
    rows = []
    for participant in reporting_participants():
        cells = []
        for start in periods:
            deadline = deadline_for(periodicity, start)
            first = firsts.get((participant.pk, start))
            cells.append(PeriodStatus(start, state_of(first, deadline, now), deadline, first))
        rows.append(ParticipantStatus(participant, cells))
    return StatusGrid(periodicity, periods[0] if periods else date_from, date_to, periods, rows)


def latest_due_day(now: datetime | None = None) -> date:
    """The most recent day whose daily deadline has passed."""
    now = now or timezone.now()
    day = now.astimezone(_zone()).date()
    while deadline_for(Periodicity.DAILY, day) >= now:
        day -= timedelta(days=1)
    return day


def missing_daily_reports(day: date, now: datetime | None = None) -> list[Participant]:
    """The reporting participants with no submitted daily report for ``day`` once its deadline passed."""
    now = now or timezone.now()
    if now <= deadline_for(Periodicity.DAILY, day):
        return []
    reported = {pk for pk, _start in first_submissions(Periodicity.DAILY, [day])}
    return [p for p in reporting_participants() if p.pk not in reported]
