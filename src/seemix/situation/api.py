"""GET /api/v1/situation (the picture of a day) and the impact levels of border sections."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from seemix.core.access import Principal
from seemix.gazetteer import queries as gazetteer_queries
from seemix.situation.picture import Picture, build_picture
from seemix.situation.picture_params import parse_as_of, parse_day
from seemix.situation.schemas import AssessmentOut, ImpactIn, PictureOut
from seemix.situation.services import impact

router = Router(tags=["situation"])


def _principal(request: HttpRequest) -> Principal:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _measure(m: Any) -> dict[str, Any]:
    return {
        "id": m.id,
        "title": m.title,
        "type": m.type,
        "issuer": m.issuer,
        "status": m.status,
        "starts": m.starts,
        "ends": m.ends,
    }


def picture_as_dict(picture: Picture) -> dict[str, Any]:
    """The picture in the shape of PictureOut (the page's map and the API share it)."""
    t = picture.totals
    return {
        "date": picture.day,
        "as_of": picture.as_of,
        "latest_date": picture.latest_day,
        "totals": {
            "arrivals": t.arrivals,
            "exits": t.exits,
            "present": t.present,
            "stranded": t.stranded,
            "capacity": t.capacity,
            "occupancy": t.occupancy,
        },
        "countries": [
            {
                "code": c.code,
                "name": c.name,
                "arrivals": c.arrivals,
                "exits": c.exits,
                "exits_by_destination": dict(sorted(c.exits_by_destination.items())),
                "present": c.present,
                "stranded": c.stranded,
                "capacity": c.capacity,
                "occupancy": c.occupancy,
            }
            for c in picture.countries
        ],
        "border_sections": [
            {
                "code": s.code,
                "name": s.name,
                "countries": [s.country_a, s.country_b],
                "flow": s.flow,
                "directions": [
                    {
                        "origin": d.origin,
                        "destination": d.destination,
                        "counted_by_origin": d.counted_by_origin,
                        "counted_by_destination": d.counted_by_destination,
                        "difference": d.difference,
                        "flow": d.flow,
                        "basis": d.basis,
                    }
                    for d in s.directions
                ],
                "stranded": s.stranded,
                "impact": None
                if s.impact is None
                else {
                    "level": s.impact.level,
                    "source": s.impact.source,
                    "reason": s.impact.reason,
                    "participant": s.impact.participant,
                    "recorded_at": s.impact.created_at,
                },
                "measures_in_force": [_measure(m) for m in s.measures_in_force],
                "measures_announced": [_measure(m) for m in s.measures_announced],
            }
            for s in picture.sections
        ],
        "crossing_points": [
            {
                "code": p.code,
                "name": p.name,
                "country": p.country,
                "border_section": p.border_section,
                "state": p.state,
                "arrivals": p.arrivals,
                "exits": p.exits,
            }
            for p in picture.crossing_points
        ],
        "sites": [
            {
                "code": s.code,
                "name": s.name,
                "country": s.country,
                "kind": s.kind,
                "state": s.state,
                "capacity": s.capacity,
                "present": s.present,
                "occupancy": s.occupancy,
            }
            for s in picture.sites
        ],
        "legs": [
            {
                "origin": g.origin,
                "destination": g.destination,
                "border_section": g.section,
                "flow": g.flow,
                "basis": g.basis,
            }
            for g in picture.legs
        ],
        "freshness": [
            {
                "participant": f.participant,
                "name": f.name,
                "latest_day": f.latest_day,
                "last_submitted_at": f.last_submitted_at,
                "days_behind": f.days_behind,
            }
            for f in picture.freshness
        ],
    }


@router.get("/situation", response=PictureOut, summary="The regional picture of a day")
def situation(request: HttpRequest, date: str | None = None, as_of: str | None = None) -> Any:
    """Per country, border section, crossing point and site, the figures of `date` (default: the
    latest day with a report you may read) as they were known at `as_of` (default: now). Only
    figures you may read are counted: a RESTRICTED report you are not in the audience of adds
    nothing to any figure or total."""
    day, moment = parse_day(date, "date"), parse_as_of(as_of, "as_of")
    return picture_as_dict(build_picture(_principal(request), day, moment))


def _assessment(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "border_section": row.border_section.code,
        "day": row.day,
        "level": row.level,
        "source": row.source,
        "reason": row.reason,
        "evidence": row.evidence,
        "participant": row.participant.code if row.participant_id else None,
        "recorded_at": row.created_at,
    }


@router.get(
    "/situation/border-sections/{code}/impact",
    response=list[AssessmentOut],
    summary="Impact levels of a border section, with their history",
)
def impact_history(
    request: HttpRequest,
    code: str,
    date_from: str | None = None,
    date_to: str | None = None,
    as_of: str | None = None,
) -> Any:
    """Every assessment recorded for the section (computed and set by hand), newest day first."""
    section = gazetteer_queries.border_section_for(_principal(request), code)
    rows = impact.impact_history(
        section,
        date_from=parse_day(date_from, "date_from"),
        date_to=parse_day(date_to, "date_to"),
        as_of=parse_as_of(as_of),
    )
    return [_assessment(r) for r in rows]


@router.post(
    "/situation/border-sections/{code}/impact",
    response={201: AssessmentOut},
    summary="Set a border section's impact level for a day (coordinators of its two countries)",
)
def set_impact(request: HttpRequest, code: str, payload: ImpactIn) -> Any:
    principal = _principal(request)
    section = gazetteer_queries.border_section_for(principal, code)
    row = impact.set_impact_level(
        section, day=payload.day, level=payload.level, reason=payload.reason, actor=principal
    )
    return Status(201, _assessment(row))
