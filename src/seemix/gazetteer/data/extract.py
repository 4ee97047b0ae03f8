"""Rebuild countries.geojson and border_lines.geojson from the shared data set (see PROVENANCE.md).

Run from the checkout:  .venv/bin/python src/seemix/gazetteer/data/extract.py ../shared/data/geometry
It is a maintainer's tool, not part of the running application; its output is checked in.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from seemix.gazetteer.geometry import BBox, bounding_box, label_point

HERE = Path(__file__).resolve().parent
COUNTRIES_SOURCE = "see_countries_natural_earth_50m_independent.geojson"
BORDERS_SOURCE = "europe_borders_lines_ifrc.geojson"
TOPOJSON_SOURCE = "natural_earth_5.1.2_countries-independent-50m.json"
# Natural Earth's adm0_a3 -> ISO 3166 alpha-2. Natural Earth writes Kosovo as KOS, the IFRC lines
# once as XKO; ISO 3166 has no entry for Kosovo, which uses the user-assigned XK.
A3_TO_A2 = {
    "ALB": "AL",
    "AUT": "AT",
    "BGR": "BG",
    "BIH": "BA",
    "CYP": "CY",
    "CZE": "CZ",
    "DEU": "DE",
    "GRC": "GR",
    "HRV": "HR",
    "HUN": "HU",
    "ITA": "IT",
    "KOS": "XK",
    "XKO": "XK",
    "MDA": "MD",
    "MKD": "MK",
    "MNE": "ME",
    "ROU": "RO",
    "SRB": "RS",
    "SVK": "SK",
    "SVN": "SI",
    "TUR": "TR",
    "UKR": "UA",
}
# Pairs that share a land border but have no line in the IFRC file: taken from the arcs that the
# two countries' polygons share in Natural Earth's TopoJSON.
TOPOLOGY_PAIRS = [("HR", "ME")]
DECIMALS = 5
# The IFRC lines were drawn from an older Natural Earth than the outlines: they stray by up to 0.002°.
# A line further outside either country's box belongs to another pair (the file labels the
# Serbia-Montenegro line SRB-BIH as well as MNE-SRB): it is dropped.
STRAY_DEGREES = 0.01


def rounded(node: Any) -> Any:
    if isinstance(node, float):
        return round(node, DECIMALS)
    if isinstance(node, list):
        return [rounded(child) for child in node]
    return node


def countries(source: Path) -> dict[str, Any]:
    data = json.loads((source / COUNTRIES_SOURCE).read_text())
    features = []
    for feature in sorted(data["features"], key=lambda f: A3_TO_A2[f["properties"]["adm0A3"]]):
        props = feature["properties"]
        geometry = {
            "type": feature["geometry"]["type"],
            "coordinates": rounded(feature["geometry"]["coordinates"]),
        }
        lon, lat = label_point(geometry)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": A3_TO_A2[props["adm0A3"]],
                    "adm0_a3": props["adm0A3"],
                    "natural_earth_name": props["nameLong"],
                    "label_point": [lon, lat],
                },
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def ifrc_lines(source: Path, boxes: dict[str, BBox]) -> dict[tuple[str, str], tuple[list[Any], list[str]]]:
    """{(a, b): (lines, source feature ids)}, one side's drawing per pair (the file draws some twice)."""
    data = json.loads((source / BORDERS_SOURCE).read_text())
    by_direction: dict[tuple[str, str], list[Any]] = {}
    for feature in data["features"]:
        props = feature["properties"]
        a, b = A3_TO_A2.get(props["adm0_a3_1"]), A3_TO_A2.get(props["adm0_a3_2"])
        if a is None or b is None or a == b or a not in boxes or b not in boxes:
            continue
        by_direction.setdefault((a, b), []).append(feature)
    pairs: dict[tuple[str, str], tuple[list[Any], list[str]]] = {}
    for a, b in sorted(by_direction):
        key = (min(a, b), max(a, b))
        if key in pairs:
            continue
        # Prefer the drawing from the alphabetically first country's side; merge its features and
        # drop exact duplicates (SVK-UKR appears twice).
        chosen = by_direction.get(key) or by_direction[(key[1], key[0])]
        lines: list[Any] = []
        ids: list[str] = []
        for feature in chosen:
            for line in rounded(feature["geometry"]["coordinates"]):
                extent = bounding_box({"type": "LineString", "coordinates": line})
                inside = all(extent.within(boxes[code], margin=STRAY_DEGREES) for code in key)
                if not inside:
                    print(f"dropped a line of {feature['properties']['adm0_1-2']} lying outside {key}")
                elif line not in lines:
                    lines.append(line)
            ids.append(feature["properties"]["adm0_1-2"])
        pairs[key] = (lines, ids)
    return pairs


def topology_lines(source: Path, a: str, b: str) -> list[Any]:
    topology = json.loads((source / TOPOJSON_SOURCE).read_text())
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    geometries = {
        A3_TO_A2.get(g["properties"].get("adm0A3", "")): g
        for g in topology["objects"]["countries"]["geometries"]
    }

    def arc_ids(geometry: dict[str, Any]) -> set[int]:
        def walk(node: Any) -> set[int]:
            if isinstance(node, int):
                return {node if node >= 0 else ~node}
            return set().union(*(walk(child) for child in node)) if node else set()

        return walk(geometry["arcs"])

    lines = []
    for index in sorted(arc_ids(geometries[a]) & arc_ids(geometries[b])):
        x = y = 0
        line = []
        for dx, dy in topology["arcs"][index]:
            x, y = x + dx, y + dy
            line.append(
                [round(x * scale[0] + translate[0], DECIMALS), round(y * scale[1] + translate[1], DECIMALS)]
            )
        lines.append(line)
    return lines


def border_lines(source: Path, boxes: dict[str, BBox]) -> dict[str, Any]:
    features = []
    pairs = ifrc_lines(source, boxes)
    for a, b in TOPOLOGY_PAIRS:
        assert (a, b) not in pairs, f"{a}-{b} is in the IFRC file now: drop it from TOPOLOGY_PAIRS"
    for (a, b), (lines, ids) in sorted(pairs.items()):
        features.append(_line_feature(a, b, lines, "ifrc", ids))
    for a, b in TOPOLOGY_PAIRS:
        features.append(_line_feature(a, b, topology_lines(source, a, b), "natural_earth_topology", []))
    features.sort(key=lambda f: f["properties"]["section"])
    return {"type": "FeatureCollection", "features": features}


def _line_feature(a: str, b: str, lines: list[Any], origin: str, ids: list[str]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"section": f"{a}-{b}", "countries": [a, b], "origin": origin, "source_features": ids},
        "geometry": {"type": "MultiLineString", "coordinates": lines},
    }


def main(source: Path) -> None:
    collection = countries(source)
    boxes = {f["properties"]["code"]: bounding_box(f["geometry"]) for f in collection["features"]}
    (HERE / "countries.geojson").write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"
    )
    lines = border_lines(source, boxes)
    (HERE / "border_lines.geojson").write_text(
        json.dumps(lines, ensure_ascii=False, separators=(",", ":")) + "\n"
    )
    print(f"{len(collection['features'])} countries, {len(lines['features'])} border lines")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[3].parent / "shared" / "data" / "geometry")
