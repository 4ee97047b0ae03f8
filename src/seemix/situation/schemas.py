"""The typed answers of the situation picture API (GET /api/v1/situation and the impact levels)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class CountryOut(Schema):
    code: str
    name: str
    arrivals: int | None
    exits: int | None
    exits_by_destination: dict[str, int]
    present: int | None
    stranded: int | None
    capacity: int | None
    occupancy: float | None


class DirectionOut(Schema):
    origin: str
    destination: str
    counted_by_origin: int | None
    counted_by_destination: int | None
    difference: int | None
    flow: int | None
    basis: str


class MeasureRefOut(Schema):
    id: int
    title: str
    type: str
    issuer: str
    status: str
    starts: datetime
    ends: datetime | None


class ImpactOut(Schema):
    level: str
    source: str
    reason: str
    participant: str
    recorded_at: datetime


class SectionOut(Schema):
    code: str
    name: str
    countries: list[str]
    flow: int | None
    directions: list[DirectionOut]
    stranded: int | None
    impact: ImpactOut | None
    measures_in_force: list[MeasureRefOut]
    measures_announced: list[MeasureRefOut]


class CrossingPointOut(Schema):
    code: str
    name: str
    country: str
    border_section: str | None
    state: str
    arrivals: int | None
    exits: int | None


class SiteOut(Schema):
    code: str
    name: str
    country: str
    kind: str
    state: str
    capacity: int | None
    present: int | None
    occupancy: float | None


class LegOut(Schema):
    origin: str
    destination: str
    border_section: str | None
    flow: int | None
    basis: str


class TotalsOut(Schema):
    arrivals: int | None
    exits: int | None
    present: int | None
    stranded: int | None
    capacity: int | None
    occupancy: float | None


class FreshnessOut(Schema):
    participant: str
    name: str
    latest_day: date | None
    last_submitted_at: datetime | None
    days_behind: int | None


class PictureOut(Schema):
    date: date | None
    as_of: datetime | None
    latest_date: date | None
    totals: TotalsOut
    countries: list[CountryOut]
    border_sections: list[SectionOut]
    crossing_points: list[CrossingPointOut]
    sites: list[SiteOut]
    legs: list[LegOut]
    freshness: list[FreshnessOut]


class AssessmentOut(Schema):
    id: int
    border_section: str
    day: date
    level: str
    source: str
    reason: str
    evidence: dict
    participant: str | None
    recorded_at: datetime


class ImpactIn(Schema):
    day: date
    level: str
    reason: str
