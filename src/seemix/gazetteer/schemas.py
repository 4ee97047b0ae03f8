"""The gazetteer API's typed input and output. Inputs refuse unknown fields (a typo must not pass).

Countries are named by ISO 3166 alpha-2 code (XK for Kosovo), border sections by the codes of
their two countries in alphabetical order (MK-RS), crossing points and sites by codes that start
with their country's code (RS-SID). Coordinates are WGS 84 decimal degrees; geometry is GeoJSON.
In a PATCH body, a field left out stays as it is.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from seemix.gazetteer.models import (
    BorderSection,
    Country,
    CrossingKind,
    CrossingPoint,
    NodeKind,
    ReceptionSite,
    RouteEdge,
    SiteKind,
    TravelMode,
)
from seemix.gazetteer.queries import node_of


class StrictInput(Schema):
    model_config = ConfigDict(extra="forbid")


def _not_null(value: Any) -> Any:
    # PATCH: leaving a field out keeps it; null is allowed only where the field may be empty.
    if value is None:
        raise ValueError("may not be null; leave the field out to keep its value")
    return value


# Coordinates as [longitude, latitude], GeoJSON's order.
LonLat = tuple[float, float]

# --- countries -------------------------------------------------------------------------------------


class CountryOut(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2 (XK for Kosovo).")
    alpha3: str
    name: str
    local_name: str
    is_seecp_participant: bool
    bbox: list[float] = Field(description="[west, south, east, north] in degrees.")
    label_point: list[float] = Field(
        description="[longitude, latitude] where the country is drawn as a node."
    )

    @staticmethod
    def resolve_bbox(obj: Country) -> list[float]:
        return obj.bbox.as_list()

    @staticmethod
    def resolve_label_point(obj: Country) -> list[float]:
        return [obj.label_longitude, obj.label_latitude]


class CountryDetailOut(CountryOut):
    geometry: dict[str, Any] = Field(description="GeoJSON Polygon or MultiPolygon.")


class CountryIn(StrictInput):
    code: str = Field(description="ISO 3166-1 alpha-2 (XK for Kosovo).")
    alpha3: str = Field(description="ISO 3166-1 alpha-3 (XKX for Kosovo).")
    name: str = Field(description="English short name.")
    local_name: str = ""
    is_seecp_participant: bool = False
    geometry: dict[str, Any] = Field(description="GeoJSON Polygon or MultiPolygon, WGS 84.")
    label_point: LonLat | None = Field(None, description="Computed inside the largest polygon when left out.")


class CountryPatch(StrictInput):
    name: str | None = None
    local_name: str | None = None
    is_seecp_participant: bool | None = None
    geometry: dict[str, Any] | None = None
    label_point: LonLat | None = Field(None, description="null: compute it again.")

    check_not_null = field_validator("name", "local_name", "is_seecp_participant", "geometry", mode="before")(
        _not_null
    )


# --- border sections -------------------------------------------------------------------------------


class BorderSectionOut(Schema):
    code: str = Field(description="The two countries' codes in alphabetical order: MK-RS.")
    name: str
    countries: list[str]

    @staticmethod
    def resolve_countries(obj: BorderSection) -> list[str]:
        return list(obj.country_codes)


class BorderSectionDetailOut(BorderSectionOut):
    geometry: dict[str, Any] = Field(description="GeoJSON (Multi)LineString: the shared border line.")


class BorderSectionIn(StrictInput):
    countries: list[str] = Field(description="The two neighbours' codes, in any order: ['RS', 'MK'].")
    name: str = Field("", description="Defaults to the two countries' names.")
    geometry: dict[str, Any] | None = Field(
        None, description="The shared border line; defaults to the shipped Natural Earth/IFRC line."
    )


class BorderSectionPatch(StrictInput):
    name: str | None = None
    geometry: dict[str, Any] | None = None

    check_not_null = field_validator("name", "geometry", mode="before")(_not_null)


# --- crossing points -------------------------------------------------------------------------------


class CrossingPointOut(Schema):
    code: str
    name: str = Field(description="Official name in the local script.")
    name_latin: str
    country: str
    border_section: str | None
    counterpart: str | None = Field(description="The crossing point facing this one across the border.")
    kind: CrossingKind
    latitude: float
    longitude: float
    notes: str
    updated_at: datetime

    @staticmethod
    def resolve_country(obj: CrossingPoint) -> str:
        return obj.country_id

    @staticmethod
    def resolve_border_section(obj: CrossingPoint) -> str | None:
        return obj.border_section.code if obj.border_section else None

    @staticmethod
    def resolve_counterpart(obj: CrossingPoint) -> str | None:
        return obj.counterpart.code if obj.counterpart else None


class CrossingPointIn(StrictInput):
    code: str = Field(description="The country's code, a hyphen, then capitals, digits, hyphens: RS-SID.")
    name: str = Field(description="Official name in the local script.")
    name_latin: str
    country: str
    kind: CrossingKind
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    border_section: str | None = Field(
        None, description="Required for road, rail and green-border crossings."
    )
    counterpart: str | None = Field(None, description="Code of the crossing point across the border.")
    notes: str = ""


class CrossingPointPatch(StrictInput):
    name: str | None = None
    name_latin: str | None = None
    kind: CrossingKind | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    border_section: str | None = None
    counterpart: str | None = Field(None, description="null unlinks both sides.")
    notes: str | None = None

    check_not_null = field_validator(
        "name", "name_latin", "kind", "latitude", "longitude", "notes", mode="before"
    )(_not_null)


# --- sites -----------------------------------------------------------------------------------------


class CapacityOut(Schema):
    capacity: int
    valid_from: date
    source: str
    recorded_at: datetime


class SiteOut(Schema):
    code: str
    name: str = Field(description="Name in the local script.")
    name_latin: str
    country: str
    kind: SiteKind
    latitude: float
    longitude: float
    opened_on: date | None
    closed_on: date | None
    notes: str
    current_capacity: int | None = Field(description="The latest capacity figure valid today, if any.")
    capacity_since: date | None
    updated_at: datetime

    @staticmethod
    def resolve_country(obj: ReceptionSite) -> str:
        return obj.country_id


class SiteDetailOut(SiteOut):
    capacity_history: list[CapacityOut] = Field(description="Every recorded figure, newest first.")

    @staticmethod
    def resolve_capacity_history(obj: ReceptionSite) -> list[Any]:
        return sorted(obj.capacities.all(), key=lambda c: c.valid_from, reverse=True)


class SiteIn(StrictInput):
    code: str = Field(
        description="The country's code, a hyphen, then capitals, digits, hyphens: HR-OPATOVAC."
    )
    name: str
    name_latin: str
    country: str
    kind: SiteKind
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    opened_on: date | None = None
    closed_on: date | None = None
    notes: str = ""
    capacity: int | None = Field(None, ge=0, description="A first capacity figure, if known.")
    capacity_valid_from: date | None = Field(None, description="Defaults to opened_on.")
    capacity_source: str = ""


class SitePatch(StrictInput):
    name: str | None = None
    name_latin: str | None = None
    kind: SiteKind | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    opened_on: date | None = None
    closed_on: date | None = None
    notes: str | None = None

    check_not_null = field_validator(
        "name", "name_latin", "kind", "latitude", "longitude", "notes", mode="before"
    )(_not_null)


class CapacityIn(StrictInput):
    capacity: int = Field(ge=0, description="Places (persons).")
    valid_from: date
    source: str = Field("", description="Where the figure comes from.")


# --- route graph -----------------------------------------------------------------------------------


class NodeIn(StrictInput):
    kind: NodeKind
    code: str


class NodeOut(Schema):
    kind: NodeKind
    code: str
    name: str
    longitude: float
    latitude: float


class RouteEdgeOut(Schema):
    id: int
    origin: NodeOut
    destination: NodeOut
    typical_days: float
    mode: TravelMode
    valid_from: date | None = Field(description="First day the leg was in use, if known.")
    valid_until: date | None = Field(description="Last day the leg was in use, if it ended.")
    notes: str
    updated_at: datetime

    @staticmethod
    def resolve_origin(obj: RouteEdge) -> Any:
        return node_of(*obj.origin)

    @staticmethod
    def resolve_destination(obj: RouteEdge) -> Any:
        return node_of(*obj.destination)


class RouteEdgeIn(StrictInput):
    origin: NodeIn
    destination: NodeIn
    typical_days: float = Field(ge=0, le=365, description="Typical travel days, to one decimal.")
    mode: TravelMode
    valid_from: date | None = None
    valid_until: date | None = None
    notes: str = ""


class RouteEdgePatch(StrictInput):
    typical_days: float | None = Field(None, ge=0, le=365)
    mode: TravelMode | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    notes: str | None = None

    check_not_null = field_validator("typical_days", "mode", "notes", mode="before")(_not_null)


# --- GeoJSON ---------------------------------------------------------------------------------------


class FeatureOut(Schema):
    type: Literal["Feature"]
    id: str | int
    bbox: list[float] | None = None
    properties: dict[str, Any]
    geometry: dict[str, Any]


class FeatureCollectionOut(Schema):
    type: Literal["FeatureCollection"]
    features: list[FeatureOut]
