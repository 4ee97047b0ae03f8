"""GET /api/v1/observations/export: the observations the caller may read, as a file.

The filters are those of GET /api/v1/observations and go through the same query
(``flows.queries.observations_visible_to``), so an export never holds more than the list would.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema

from seemix.core.errors import FieldError, InvalidInput
from seemix.flows.exports import FORMATS, render
from seemix.flows.exports.source import export_rows, observations_for_export

router = Router(tags=["observations"])
FILTERS = (
    "indicator",
    "participant",
    "place",
    "breakdown",
    "breakdown_value",
    "periodicity",
    "date_from",
    "date_to",
    "as_of",
)


class ExportQuery(Schema):
    format: str = "csv"
    indicator: str | None = None
    participant: str | None = None
    place: str | None = None
    breakdown: str | None = None
    breakdown_value: str | None = None
    periodicity: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    as_of: datetime | None = None

    def filters(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in FILTERS if getattr(self, name) is not None}


def export_response(principal: object, fmt: str, filters: dict[str, object]) -> StreamingHttpResponse:
    """The streamed file. Bad filters raise here, before the first byte is sent."""
    if fmt not in FORMATS:
        raise InvalidInput(FieldError("format", f"Use one of: {', '.join(FORMATS)}."))
    spec = FORMATS[fmt]
    values = observations_for_export(principal, **filters)  # type: ignore[arg-type]
    meta = {"generated_at": timezone.now().isoformat(), "filters": {k: str(v) for k, v in filters.items()}}
    response = StreamingHttpResponse(
        render(fmt, export_rows(values), meta=meta), content_type=spec.media_type
    )
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response["Content-Disposition"] = f'attachment; filename="seemix-observations-{stamp}.{spec.extension}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get("/observations/export", summary="Export observations", response={200: None})
def export_observations(request: HttpRequest, query: Query[ExportQuery]) -> StreamingHttpResponse:
    """The observations visible to the caller as `csv`, `xlsx`, `hxl` (CSV with a hashtag row),
    `sdmx-csv` (SDMX-CSV 1.0), `sdmx-ml` (SDMX-ML 2.1 generic data) or `json`, streamed.
    Takes the filters of GET /observations."""
    return export_response(request.auth, query.format, query.filters())  # type: ignore[attr-defined]
