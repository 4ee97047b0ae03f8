"""GET /api/v1/reporting-status: who has and has not reported each day or month."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from seemix.flows import status

router = Router(tags=["reporting status"])


class StatusQuery(Schema):
    periodicity: str = "daily"
    date_from: date | None = None
    date_to: date | None = None


class PeriodStatusOut(Schema):
    period_start: date
    state: str
    deadline: datetime
    first_submitted_at: datetime | None


class ParticipantStatusOut(Schema):
    participant: str
    name: str
    reported: int
    late: int
    missing: int
    due: int
    periods: list[PeriodStatusOut]


class ReportingStatusOut(Schema):
    periodicity: str
    date_from: date
    date_to: date
    participants: list[ParticipantStatusOut]


@router.get("/reporting-status", response=ReportingStatusOut, summary="Reporting status")
def reporting_status(request: HttpRequest, filters: Query[StatusQuery]) -> dict[str, Any]:
    """For each participant expected to report (the states) and each period: `reported` (first
    submitted by the deadline), `late` (after it), `missing` (nothing submitted, deadline passed) or
    `due` (deadline not yet passed). Only the first submission time is shown, never a figure."""
    grid = status.reporting_status(
        request.auth,  # type: ignore[attr-defined]
        periodicity=filters.periodicity,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    return {
        "periodicity": grid.periodicity,
        "date_from": grid.date_from,
        "date_to": grid.date_to,
        "participants": [
            {
                "participant": row.participant.code,
                "name": row.participant.name,
                **{state.value: row.count(state) for state in status.ReportingState},
                "periods": [
                    {
                        "period_start": p.period_start,
                        "state": p.state.value,
                        "deadline": p.deadline,
                        "first_submitted_at": p.first_submitted_at,
                    }
                    for p in row.periods
                ],
            }
            for row in grid.participants
        ],
    }
