"""The reference data shipped in ``gazetteer/data/`` (see its PROVENANCE.md), read once per process."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def _read(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@cache
def country_features() -> dict[str, dict[str, Any]]:
    """{alpha-2 code: GeoJSON feature} of the shipped Natural Earth 1:50m countries."""
    return {f["properties"]["code"]: f for f in _read("countries.geojson")["features"]}


@cache
def border_line_features() -> dict[tuple[str, str], dict[str, Any]]:
    """{(a, b) in alphabetical order: GeoJSON feature} of the shipped shared border lines."""
    return {tuple(f["properties"]["countries"]): f for f in _read("border_lines.geojson")["features"]}


def shipped_border_line(a: str, b: str) -> dict[str, Any] | None:
    """The shipped border line between two countries (any order), or None if they share none."""
    feature = border_line_features().get((min(a, b), max(a, b)))
    return feature["geometry"] if feature else None


@cache
def seed() -> dict[str, Any]:
    """countries, crossing points, sites, capacities and route edges of the 2015-2016 route."""
    return _read("seed.json")
