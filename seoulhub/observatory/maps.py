"""Plotly figures (rendered offline: the page loads plotly.js from our static files)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import math

import plotly.graph_objects as go
from django.conf import settings
from django.utils.html import format_html
from plotly.colors import sample_colorscale

COLOURS = "Blues"
MISSING_COLOUR = "#d9d9d9"
SEOUL_LATITUDE = 37.55


@lru_cache(maxsize=1)
def seoul_geojson() -> dict:
    path = Path(settings.DATA_DIR, "seoul-maps", "juso2015_seoul_municipalities_geo_simple.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _rings(geometry: dict):
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for polygon in polygons:
        yield from polygon


def _outline(geometry: dict) -> tuple[list, list]:
    xs, ys = [], []
    for ring in _rings(geometry):
        xs += [point[0] for point in ring] + [None]
        ys += [point[1] for point in ring] + [None]
    return xs, ys


PERCENT_VALUES = {"share_of_seoul", "growth"}


def choropleth_html(rows: list[dict], value_key: str, colorbar_title: str, div_id: str = "district-map") -> str:
    """A choropleth of the 25 gu drawn as filled outlines on plain axes, so it needs no map
    tiles or world topology from the internet. Districts without a value are grey, not zero."""
    by_code = {row["adm_code"]: row for row in rows}
    values = [row[value_key] for row in rows if row.get(value_key) is not None]
    low, high = (min(values), max(values)) if values else (0, 1)
    figure = go.Figure()
    for feature in seoul_geojson()["features"]:
        code = feature["properties"]["SIG_CD"]
        row = by_code.get(code, {"name": feature["properties"]["SIG_KOR_NM"]})
        value = row.get(value_key)
        if value is None:
            colour, label = MISSING_COLOUR, f"{row['name']}: –"
        else:
            position = (value - low) / (high - low) if high > low else 0.5
            colour = sample_colorscale(COLOURS, [0.1 + 0.9 * position])[0]
            if value_key in PERCENT_VALUES:
                label = f"{row['name']}: {value:.1%}"
            else:
                label = f"{row['name']}: {value:,.3g}" if isinstance(value, float) else f"{row['name']}: {value:,}"
        xs, ys = _outline(feature["geometry"])
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=colour,
                mode="lines",
                line={"color": "white", "width": 1},
                hoveron="fills",
                hoverinfo="text",
                text=label,
                name=row["name"],
                meta=code,
                showlegend=False,
            )
        )
    if values:  # an invisible marker carries the colour bar
        figure.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                showlegend=False,
                hoverinfo="skip",
                marker={
                    "colorscale": COLOURS,
                    "cmin": low,
                    "cmax": high,
                    "color": [low],
                    "showscale": True,
                    "colorbar": {
                        "title": {"text": colorbar_title, "side": "top"},
                        "orientation": "h",
                        "y": -0.02,
                        "yanchor": "top",
                        "thickness": 12,
                        "len": 0.8,
                        "tickformat": ".0%" if value_key in PERCENT_VALUES else "",
                    },
                },
            )
        )
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    figure.update_xaxes(**hidden)
    figure.update_yaxes(**hidden, scaleanchor="x", scaleratio=1 / math.cos(math.radians(SEOUL_LATITUDE)))
    # The title goes in the page (a figcaption wraps on a phone; a plot title would be cut off).
    figure.update_layout(
        margin={"l": 0, "r": 0, "t": 10, "b": 60},
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"family": "NanumGothic, 'Noto Sans KR', sans-serif"},
    )
    return figure_div(
        figure, div_id, {"displaylogo": False, "responsive": True, "displayModeBar": False}, css_class="map-figure"
    )


def bar_html(labels: list[str], values: list[float], title: str, div_id: str) -> str:
    figure = go.Figure(go.Bar(x=labels, y=values, marker_color="#2b6cb0"))
    figure.update_layout(title={"text": title}, margin={"l": 40, "r": 10, "t": 40, "b": 80}, height=320)
    return figure_div(figure, div_id, {"displaylogo": False, "responsive": True, "displayModeBar": False})


def grouped_bar_html(labels: list[str], series: dict[str, list[float]], title: str, div_id: str) -> str:
    """Bars of several series side by side (e.g. last month and this month)."""
    colours = ["#a0aec0", "#2b6cb0", "#2f855a"]
    figure = go.Figure(
        [
            go.Bar(name=name, x=labels, y=values, marker_color=colours[i % len(colours)])
            for i, (name, values) in enumerate(series.items())
        ]
    )
    figure.update_layout(
        title={"text": title},
        barmode="group",
        margin={"l": 40, "r": 10, "t": 40, "b": 100},
        height=340,
        legend={"orientation": "h", "y": 1.1},
    )
    return figure_div(figure, div_id, {"displaylogo": False, "responsive": True, "displayModeBar": False})


def figure_div(figure: go.Figure, div_id: str, config: dict, css_class: str = "") -> str:
    """The figure as an empty <div> carrying its JSON; static/seoulhub/charts.js draws it.
    (figure.to_html would add an inline <script>, which the Content-Security-Policy refuses, and
    its default_height a style attribute: give the box's size to a CSS class instead, e.g.
    "map-figure" in seoulhub.css.)"""
    return format_html(
        '<div id="{}" class="{}" data-figure="{}" data-config="{}"></div>',
        div_id,
        f"plotly-figure {css_class}".strip(),
        figure.to_json(),
        json.dumps(config),
    )
