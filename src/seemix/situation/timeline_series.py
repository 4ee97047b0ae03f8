"""Daily figures summed per country (or site, or counterpart), with what is needed to classify what
is derived from them: the classification, owner and audience of every revision they come from.

Two ways in: for a principal (``flows.queries.current_revisions``: only what the caller may read) and
for the system (the alert rules: every current revision, the classification carried to the alert).
"As of" a timestamp reads the revisions that were current then (flows keeps every revision).

A country's figure for a day is the sum of its totals (breakdown "") of the indicator over all its
places: the country itself, its crossing points, border sections and sites. A participant reports a
total or its parts, not both (the demo's Greece reports the islands at the border section with
Turkey and the mainland at the country: two disjoint flows).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum

from seemix.core.access import Principal
from seemix.core.classification import Classification
from seemix.flows import queries as flow_queries
from seemix.flows.models import Observation, ReportRevision, RevisionStatus


def system_revisions(as_of: dt.datetime | None = None) -> QuerySet[ReportRevision]:
    revisions = ReportRevision.objects.filter(status=RevisionStatus.SUBMITTED)
    if as_of is None:
        return revisions.filter(superseded_at__isnull=True)
    return revisions.filter(submitted_at__lte=as_of).filter(
        Q(superseded_at__isnull=True) | Q(superseded_at__gt=as_of)
    )


def revisions_for(principal: Principal | None, as_of: dt.datetime | None = None) -> QuerySet[ReportRevision]:
    """The revisions to read: the principal's visible current ones, or (None) the system's."""
    if principal is None:
        return system_revisions(as_of)
    return flow_queries.current_revisions(principal, as_of=as_of)


@dataclass
class Cell:
    """One summed figure, with where it came from."""

    value: int = 0
    revisions: set[int] = field(default_factory=set)


@dataclass
class Sources:
    """Classification of the revisions read: revision id -> (classification, participant id)."""

    revisions: dict[int, tuple[str, int]] = field(default_factory=dict)
    audiences: dict[int, set[int]] = field(default_factory=dict)

    def visibility(self, revision_ids: set[int]) -> tuple[str, int | None, set[int]]:
        """(classification, owner participant or None, audience) of a figure derived from these.

        REGIONAL unless one of them is RESTRICTED; then it may be read by whoever may read every
        restricted one: their common owner with the common audience, or (owners differ) only the
        participants allowed for all of them, as audience.
        """
        restricted = [r for r in revision_ids if self.revisions[r][0] == Classification.RESTRICTED]
        if not restricted:
            return Classification.REGIONAL, None, set()
        owners = {self.revisions[r][1] for r in restricted}
        allowed = None
        for r in restricted:
            readers = {self.revisions[r][1], *self.audiences.get(r, set())}
            allowed = readers if allowed is None else allowed & readers
        allowed = allowed or set()
        if len(owners) == 1:
            owner = owners.pop()
            return Classification.RESTRICTED, owner, allowed - {owner}
        return Classification.RESTRICTED, None, allowed


def daily_sums(
    indicator: str,
    start: dt.date,
    end: dt.date,
    by: tuple[str, ...] = ("country_id",),
    *,
    principal: Principal | None = None,
    as_of: dt.datetime | None = None,
    where: Q | None = None,
) -> tuple[dict[tuple, dict[dt.date, Cell]], Sources]:
    """{(by values...): {day: Cell}} of the indicator's daily totals, start..end inclusive."""
    revisions = revisions_for(principal, as_of).filter(
        report__periodicity="daily", report__period_start__range=(start, end)
    )
    rows = Observation.objects.filter(
        revision__in=revisions.values("pk"),
        indicator__code=indicator,
        breakdown="",
        value__isnull=False,
        date__range=(start, end),
    )
    if where is not None:
        rows = rows.filter(where)
    grouped = rows.values(*by, "date", "revision_id").annotate(total=Sum("value")).order_by()
    out: dict[tuple, dict[dt.date, Cell]] = defaultdict(dict)
    revision_ids: set[int] = set()
    for row in grouped:
        key = tuple(row[name] for name in by)
        cell = out[key].setdefault(row["date"], Cell())
        cell.value += row["total"]
        cell.revisions.add(row["revision_id"])
        revision_ids.add(row["revision_id"])
    return dict(out), sources_of(revision_ids)


def sources_of(revision_ids: set[int]) -> Sources:
    sources = Sources()
    if not revision_ids:
        return sources
    for pk, classification, participant_id in ReportRevision.objects.filter(pk__in=revision_ids).values_list(
        "pk", "classification", "participant_id"
    ):
        sources.revisions[pk] = (classification, participant_id)
    restricted = [pk for pk, (c, _p) in sources.revisions.items() if c == Classification.RESTRICTED]
    if restricted:
        through = ReportRevision.audience.through
        for rev, participant in through.objects.filter(reportrevision_id__in=restricted).values_list(
            "reportrevision_id", "participant_id"
        ):
            sources.audiences.setdefault(rev, set()).add(participant)
    return sources
