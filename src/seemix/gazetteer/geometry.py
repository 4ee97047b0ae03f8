"""Plain GeoJSON geometry helpers: bounding boxes, point-in-polygon, label points, shape checks.

No Django and no GIS library: the gazetteer's geometry is small (Natural Earth 1:50m) and only needs
these few planar operations on longitude/latitude degrees (WGS 84, as GeoJSON prescribes).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Position = tuple[float, float]
Ring = list[Position]

AREA_TYPES = frozenset({"Polygon", "MultiPolygon"})
LINE_TYPES = frozenset({"LineString", "MultiLineString"})
KM_PER_DEGREE_LAT = 111.32


@dataclass(frozen=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def contains(self, lon: float, lat: float, *, margin: float = 0.0) -> bool:
        return (
            self.min_lon - margin <= lon <= self.max_lon + margin
            and self.min_lat - margin <= lat <= self.max_lat + margin
        )

    def intersects(self, other: BBox, *, margin: float = 0.0) -> bool:
        return not (
            other.min_lon > self.max_lon + margin
            or other.max_lon < self.min_lon - margin
            or other.min_lat > self.max_lat + margin
            or other.max_lat < self.min_lat - margin
        )

    def within(self, other: BBox, *, margin: float = 0.0) -> bool:
        return other.contains(self.min_lon, self.min_lat, margin=margin) and other.contains(
            self.max_lon, self.max_lat, margin=margin
        )

    def as_list(self) -> list[float]:
        """GeoJSON's bbox order: [west, south, east, north]."""
        return [self.min_lon, self.min_lat, self.max_lon, self.max_lat]


def positions(geometry: dict[str, Any]) -> Iterator[Position]:
    """Every position of a Point, LineString, Polygon or their Multi* forms."""

    def walk(node: Any) -> Iterator[Position]:
        if node and isinstance(node[0], int | float):
            yield float(node[0]), float(node[1])
        else:
            for child in node:
                yield from walk(child)

    yield from walk(geometry["coordinates"])


def bounding_box(geometry: dict[str, Any]) -> BBox:
    lons, lats = zip(*positions(geometry), strict=True)
    return BBox(min(lons), min(lats), max(lons), max(lats))


def polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    """The polygons (outer ring first, then holes) of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        raw = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        raw = geometry["coordinates"]
    else:
        raise ValueError(f"not an area geometry: {geometry['type']}")
    return [[[(float(x), float(y)) for x, y, *_ in ring] for ring in polygon] for polygon in raw]


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains_point(geometry: dict[str, Any], lon: float, lat: float) -> bool:
    """Whether (lon, lat) lies inside the Polygon/MultiPolygon (holes excluded)."""
    for outer, *holes in polygons(geometry):
        if _in_ring(lon, lat, outer) and not any(_in_ring(lon, lat, hole) for hole in holes):
            return True
    return False


def _segment_distance_km(lon: float, lat: float, a: Position, b: Position) -> float:
    # Local equirectangular projection around the point: good to well under 1% at these distances.
    kx = KM_PER_DEGREE_LAT * math.cos(math.radians(lat))
    ax, ay = (a[0] - lon) * kx, (a[1] - lat) * KM_PER_DEGREE_LAT
    bx, by = (b[0] - lon) * kx, (b[1] - lat) * KM_PER_DEGREE_LAT
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
    return math.hypot(ax + t * dx, ay + t * dy)


def distance_to_boundary_km(geometry: dict[str, Any], lon: float, lat: float) -> float:
    """Approximate distance in km from (lon, lat) to the nearest edge of the area's rings."""
    best = math.inf
    for polygon in polygons(geometry):
        for ring in polygon:
            for a, b in itertools.pairwise(ring):
                best = min(best, _segment_distance_km(lon, lat, a, b))
    return best


def _ring_area(ring: Ring) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring))) / 2


def label_point(geometry: dict[str, Any], *, grid: int = 24) -> Position:
    """A point well inside the largest polygon, for drawing a country as a node of the route graph.

    The bounding-box centre can fall outside a country (Croatia's falls in Bosnia and Herzegovina),
    so this searches a grid over the largest polygon for the inside point farthest from its edges.
    """
    largest = max(polygons(geometry), key=lambda polygon: _ring_area(polygon[0]))
    area = {"type": "Polygon", "coordinates": [[list(p) for p in ring] for ring in largest]}
    box = bounding_box(area)
    best: tuple[float, Position] = (-1.0, ((box.min_lon + box.max_lon) / 2, (box.min_lat + box.max_lat) / 2))
    for i in range(1, grid):
        for j in range(1, grid):
            lon = box.min_lon + (box.max_lon - box.min_lon) * i / grid
            lat = box.min_lat + (box.max_lat - box.min_lat) * j / grid
            if contains_point(area, lon, lat):
                depth = distance_to_boundary_km(area, lon, lat)
                if depth > best[0]:
                    best = (depth, (round(lon, 4), round(lat, 4)))
    return best[1]


def _is_position(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) in (2, 3)
        and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value)
        and -180 <= value[0] <= 180
        and -90 <= value[1] <= 90
    )


def geometry_problem(geometry: Any, allowed: frozenset[str]) -> str | None:
    """Why ``geometry`` is not a valid GeoJSON geometry of one of the ``allowed`` types, or None."""
    if not isinstance(geometry, dict) or "type" not in geometry or "coordinates" not in geometry:
        return "Give a GeoJSON geometry object with 'type' and 'coordinates'."
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind not in allowed:
        return f"The geometry type must be {' or '.join(sorted(allowed))}, not {kind!r}."

    def line(value: Any) -> bool:
        return isinstance(value, list) and len(value) >= 2 and all(_is_position(p) for p in value)

    def ring(value: Any) -> bool:
        return line(value) and len(value) >= 4 and list(value[0])[:2] == list(value[-1])[:2]

    def polygon(value: Any) -> bool:
        return isinstance(value, list) and len(value) >= 1 and all(ring(r) for r in value)

    checks = {
        "Point": _is_position,
        "LineString": line,
        "MultiLineString": lambda v: isinstance(v, list) and len(v) >= 1 and all(line(x) for x in v),
        "Polygon": polygon,
        "MultiPolygon": lambda v: isinstance(v, list) and len(v) >= 1 and all(polygon(x) for x in v),
    }
    if not checks[kind](coords):
        return (
            f"The {kind} coordinates are malformed: positions are [longitude, latitude] within "
            "[-180, 180] and [-90, 90], lines have two or more positions, rings are closed with four or more."
        )
    return None
