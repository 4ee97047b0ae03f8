"""Where export rows come from: the observations the principal may read, through flows.queries.

``observations_visible_to`` is the one way in (classification and audience applied there), so an
export holds exactly what GET /api/v1/observations would list for the same filters, never more.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from seemix.core.access import Principal
from seemix.flows import queries
from seemix.flows.exports.rows import ExportRow

# Rows fetched per round trip (a server-side cursor on PostgreSQL): memory stays flat.
FETCH_ROWS = 5000

_FIELDS = (
    "date",
    "revision__report__periodicity",
    "revision__participant__code",
    "country_id",
    "crossing_point__code",
    "crossing_point__name_latin",
    "site__code",
    "site__name_latin",
    "border_section__code",
    "border_section__name",
    "country__name",
    "indicator__code",
    "indicator__unit",
    "counterpart_country_id",
    "breakdown",
    "breakdown_value",
    "value",
    "is_estimate",
    "is_provisional",
    "revision__classification",
    "revision__report_id",
    "revision__number",
    "revision__submitted_at",
)


def observations_for_export(principal: Principal, **filters: Any) -> QuerySet[Any]:
    """The visible observations as value tuples, in a stable order. Raises what the query raises
    (InvalidInput for a bad filter) before anything is streamed."""
    observations = queries.observations_visible_to(principal, **filters)
    return observations.order_by(
        "date",
        "revision__participant__code",
        "indicator__code",
        "country_id",
        "crossing_point__code",
        "site__code",
        "border_section__code",
        "counterpart_country_id",
        "breakdown",
        "breakdown_value",
        "pk",
    ).values_list(*_FIELDS)


def _place(values: tuple[Any, ...]) -> tuple[str, str, str]:
    (cp_code, cp_name, site_code, site_name, section_code, section_name, country_name) = values
    if cp_code:
        return "crossing_point", cp_code, cp_name
    if site_code:
        return "site", site_code, site_name
    if section_code:
        return "border_section", section_code, section_name
    return "country", "", country_name


def export_rows(values: QuerySet[Any]) -> Iterator[ExportRow]:
    for v in values.iterator(chunk_size=FETCH_ROWS):
        place_type, place_code, place_name = _place(v[4:11])
        yield ExportRow(
            date=v[0],
            periodicity=v[1],
            participant=v[2],
            country=v[3],
            place_type=place_type,
            place_code=place_code or v[3],
            place_name=place_name,
            indicator=v[11],
            unit=v[12],
            counterpart=v[13] or "",
            breakdown=v[14],
            breakdown_value=v[15],
            value=v[16],
            estimate=v[17],
            provisional=v[18],
            classification=v[19],
            report=v[20],
            revision=v[21],
            submitted_at=v[22],
        )
