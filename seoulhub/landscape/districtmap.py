"""A small SVG choropleth of Seoul's 25 gu from the shipped GeoJSON (no Django, no JavaScript).

The boundaries are southkorea/seoul-maps (JUSO 2015, administrative codes such as 11680 =
강남구; Apache-2.0, 출처: 통계청, 서울 열린데이터광장). Longitude is scaled by cos(latitude) so
the city keeps its shape; paths are computed once per process.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

WIDTH = 320
SHADES = ["#f1f4f8", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]


@dataclass(frozen=True)
class DistrictShape:
    adm_code: str
    name_ko: str
    name_en: str
    path: str
    label_x: float
    label_y: float


@lru_cache(maxsize=4)
def district_shapes(geojson_path: str) -> tuple[tuple[DistrictShape, ...], int]:
    """(shapes, height) for an SVG `WIDTH` wide."""
    features = json.loads(Path(geojson_path).read_text("utf-8"))["features"]
    rings = {f["properties"]["SIG_CD"]: _outer_rings(f["geometry"]) for f in features}
    points = [p for polygon in rings.values() for ring in polygon for p in ring]
    lat0 = sum(lat for _, lat in points) / len(points)
    x_scale = math.cos(math.radians(lat0))
    min_x = min(lon for lon, _ in points) * x_scale
    max_x = max(lon for lon, _ in points) * x_scale
    min_lat, max_lat = min(lat for _, lat in points), max(lat for _, lat in points)
    factor = WIDTH / (max_x - min_x)
    height = round((max_lat - min_lat) * factor)

    def project(lon: float, lat: float) -> tuple[float, float]:
        # Whole units of a 320-wide drawing are finer than the simplified boundaries themselves.
        return round((lon * x_scale - min_x) * factor), round((max_lat - lat) * factor)

    shapes = []
    for feature in features:
        props = feature["properties"]
        projected = [_without_repeats([project(*p) for p in ring]) for ring in rings[props["SIG_CD"]]]
        path = " ".join("M" + " L".join(f"{x},{y}" for x, y in ring) + " Z" for ring in projected)
        flat = [p for ring in projected for p in ring]
        shapes.append(
            DistrictShape(
                props["SIG_CD"],
                props["SIG_KOR_NM"],
                props["SIG_ENG_NM"],
                path,
                round(sum(x for x, _ in flat) / len(flat), 1),
                round(sum(y for _, y in flat) / len(flat), 1),
            )
        )
    return tuple(shapes), height


def _without_repeats(ring: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept = [ring[0]]
    for point in ring[1:]:
        if point != kept[-1]:
            kept.append(point)
    return kept


def _outer_rings(geometry: dict) -> list[list[tuple[float, float]]]:
    if geometry["type"] == "Polygon":
        return [[tuple(p) for p in geometry["coordinates"][0]]]
    if geometry["type"] == "MultiPolygon":
        return [[tuple(p) for p in polygon[0]] for polygon in geometry["coordinates"]]
    raise ValueError(f"Unsupported geometry {geometry['type']!r} in the district map file.")


def shade(count: int, maximum: int) -> str:
    """A colour for a count: the first shade is 'none', the others split 1..maximum evenly."""
    if count <= 0 or maximum <= 0:
        return SHADES[0]
    step = math.ceil(count / maximum * (len(SHADES) - 1))
    return SHADES[max(1, min(step, len(SHADES) - 1))]


def choropleth(geojson_path: str, counts: dict[str, int]) -> dict:
    """Everything a template needs to draw the map: viewBox size and one entry per district."""
    shapes, height = district_shapes(geojson_path)
    maximum = max(counts.values(), default=0)
    return {
        "width": WIDTH,
        "height": height,
        "maximum": maximum,
        "districts": [
            {
                "adm_code": s.adm_code,
                "name_ko": s.name_ko,
                "name_en": s.name_en,
                "path": s.path,
                "x": s.label_x,
                "y": s.label_y,
                "count": counts.get(s.adm_code, 0),
                "fill": shade(counts.get(s.adm_code, 0), maximum),
            }
            for s in shapes
        ],
    }
