"""Where export rows come from: the observations the principal may read, through flows.queries.

``observations_visible_to`` is the one way in (classification and audience applied there), so an
export holds exactly what GET /api/v1/observations would list for the same filters, never more.

An export may hold millions of rows: the observation query reads the observation table alone
(no join per row), and what rows share — the revision's report, participant and classification,
the indicator, the place's code and name — is looked up from small dictionaries filled once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from seemix.core.access import Principal
from seemix.flows import queries
from seemix.flows.exports.rows import ExportRow
from seemix.flows.models import Indicator, ReportRevision
from seemix.gazetteer.models import BorderSection, Country, CrossingPoint, ReceptionSite

# Rows fetched per round trip (a server-side cursor on PostgreSQL): memory stays flat.
FETCH_ROWS = 5000

_FIELDS = (
    "date", "revision_id", "indicator_id", "country_id", "crossing_point_id", "site_id", "border_section_id",
    "counterpart_country_id", "breakdown", "breakdown_value", "value", "is_estimate", "is_provisional",
)  # fmt: skip


def observations_for_export(principal: Principal, **filters: Any) -> QuerySet[Any]:
    """The visible observations as value tuples, by date and report. Raises what the query raises
    (InvalidInput for a bad filter) before anything is streamed."""
    observations = queries.observations_visible_to(principal, **filters)
    return observations.order_by("date", "revision_id", "pk").values_list(*_FIELDS)


class _Lookups:
    def __init__(self) -> None:
        self.indicators = {
            pk: (code, unit) for pk, code, unit in Indicator.objects.values_list("pk", "code", "unit")
        }
        self.crossing_points = dict(
            (pk, (code, name))
            for pk, code, name in CrossingPoint.objects.values_list("pk", "code", "name_latin")
        )
        self.sites = {
            pk: (code, name)
            for pk, code, name in ReceptionSite.objects.values_list("pk", "code", "name_latin")
        }
        self.sections = {
            pk: (code, name) for pk, code, name in BorderSection.objects.values_list("pk", "code", "name")
        }
        self.countries = dict(Country.objects.values_list("code", "name"))
        self.revisions: dict[int, tuple[Any, ...]] = {}

    def load_revisions(self, ids: set[int]) -> None:
        missing = ids - self.revisions.keys()
        if not missing:
            return
        rows = ReportRevision.objects.filter(pk__in=missing).values_list(
            "pk",
            "report__periodicity",
            "participant__code",
            "classification",
            "report_id",
            "number",
            "submitted_at",
        )
        for pk, *rest in rows:
            self.revisions[pk] = tuple(rest)

    def place(
        self, country: str, point: int | None, site: int | None, section: int | None
    ) -> tuple[str, str, str]:
        if point is not None:
            return ("crossing_point", *self.crossing_points[point])
        if site is not None:
            return ("site", *self.sites[site])
        if section is not None:
            return ("border_section", *self.sections[section])
        return "country", country, self.countries.get(country, country)


def export_rows(values: QuerySet[Any]) -> Iterator[ExportRow]:
    lookups = _Lookups()
    batch: list[tuple[Any, ...]] = []
    for row in values.iterator(chunk_size=FETCH_ROWS):
        batch.append(row)
        if len(batch) >= FETCH_ROWS:
            yield from _rows(batch, lookups)
            batch = []
    yield from _rows(batch, lookups)


def _rows(batch: list[tuple[Any, ...]], lookups: _Lookups) -> Iterator[ExportRow]:
    lookups.load_revisions({row[1] for row in batch})
    for (day, revision, indicator, country, point, site, section, counterpart, breakdown, breakdown_value,
         value, estimate, provisional) in batch:  # fmt: skip
        periodicity, participant, classification, report, number, submitted_at = lookups.revisions[revision]
        code, unit = lookups.indicators[indicator]
        place_type, place_code, place_name = lookups.place(country, point, site, section)
        yield ExportRow(
            day, periodicity, participant, country, place_type, place_code, place_name, code, unit,
            counterpart or "", breakdown, breakdown_value, value, estimate, provisional, classification,
            report, number, submitted_at,
        )  # fmt: skip
