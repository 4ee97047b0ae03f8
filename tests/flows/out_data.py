"""Reports written straight into the tables, for the tests of what reads them (exports, status, pages).

The ways in are tested through the services elsewhere; here a test states exactly which revisions
exist, with which classification and when they were submitted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Max

from seemix.directory.models import Participant
from seemix.flows.models import Indicator, Observation, Report, ReportRevision
from seemix.gazetteer.models import Country, CrossingPoint, ReceptionSite

Figure = tuple[
    str, str, int | None
]  # (indicator code, place code — crossing point, site or country —, value)


def make_revision(
    participant: Participant,
    day: date,
    figures: Iterable[Figure],
    *,
    periodicity: str = "daily",
    classification: str = "regional",
    audience: Iterable[Participant] = (),
    submitted_at: datetime | None = None,
    status: str = "submitted",
    user: Any = None,
    note: str = "",
    **observation_fields: Any,
) -> ReportRevision:
    """A new revision of the participant's report for ``day``, superseding its current one."""
    report, _ = Report.objects.get_or_create(
        participant=participant, periodicity=periodicity, period_start=day
    )
    submitted_at = submitted_at or datetime(day.year, day.month, day.day, 20, 0, tzinfo=UTC)
    number = (report.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    if status == "submitted":
        report.revisions.filter(status="submitted", superseded_at__isnull=True).update(
            superseded_at=submitted_at
        )
    seq = (ReportRevision.objects.aggregate(n=Max("change_seq"))["n"] or 0) + 1
    revision = ReportRevision.objects.create(
        report=report,
        participant=participant,
        number=number,
        status=status,
        classification=classification,
        channel="form",
        created_by=user,
        created_at=submitted_at,
        submitted_by=user if status == "submitted" else None,
        submitted_at=submitted_at if status == "submitted" else None,
        change_seq=seq if status == "submitted" else None,
        note=note,
    )
    revision.audience.set(list(audience))
    rows = []
    for indicator_code, place, value in figures:
        fields: dict[str, Any] = {"country_id": participant.code}
        point = CrossingPoint.objects.filter(code=place).first()
        site = ReceptionSite.objects.filter(code=place).first()
        if point:
            fields = {"crossing_point": point, "country_id": point.country_id}
        elif site:
            fields = {"site": site, "country_id": site.country_id}
        elif Country.objects.filter(code=place).exists():
            fields = {"country_id": place}
        rows.append(
            Observation(
                revision=revision,
                indicator=Indicator.objects.get(code=indicator_code),
                date=day,
                value=value,
                **fields,
                **observation_fields,
            )
        )
    Observation.objects.bulk_create(rows)
    revision.observation_count = len(rows)
    revision.save(update_fields=["observation_count"])
    return revision
