"""Server-rendered SVG charts (pygal), each shown beside the table of its figures.

Charts take figures and words already translated, and return a ``data:`` URI for an
``<img>``: the SVG runs no script there, needs no JavaScript on the page, and its styles
stay inside the image (the page's Content-Security-Policy forbids inline styles). The
table beside each chart carries the same figures for screen readers and for copying.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

import pygal
from pygal.style import Style

#: Colours that keep 3:1 contrast on white and stay apart for common colour blindness
#: (Okabe–Ito palette, darkened where needed).
PALETTE = ("#0b5394", "#b45f06", "#38761d", "#741b47", "#5b5b5b", "#0086a8", "#a61c00")
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f1f1f",
    foreground_strong="#1f1f1f",
    foreground_subtle="#6b6b6b",
    colors=PALETTE,
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=15,
    value_font_size=12,
)
#: Unmet demand per 1,000 inhabitants, from none to most: light to dark.
SHADES = ("#fde0c5", "#f9a66c", "#e4572e", "#a4161a", "#5c0a0c")


@dataclass(frozen=True, slots=True)
class Series:
    title: str
    values: Sequence[float | None]


def _config(height: int) -> dict[str, object]:
    return {
        "style": STYLE,
        "js": [],
        "width": 720,
        "height": height,
        "disable_xml_declaration": False,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 3,
        "truncate_legend": -1,
        "truncate_label": 28,
        "margin": 12,
        "print_values": False,
    }


def data_uri(svg: bytes | str) -> str:
    raw = svg.encode("utf-8") if isinstance(svg, str) else svg
    return "data:image/svg+xml;base64," + base64.b64encode(raw).decode("ascii")


def stacked_bars(labels: Sequence[str], series: Sequence[Series], *, title: str = "") -> str:
    """Horizontal stacked bars: one bar per label (a municipality, a language…)."""
    chart = pygal.HorizontalStackedBar(**_config(max(220, 60 + 34 * len(labels))), title=title)
    chart.x_labels = list(labels)
    for one in series:
        chart.add(one.title, list(one.values))
    return data_uri(chart.render())


def bars(labels: Sequence[str], values: Sequence[float], *, title: str = "") -> str:
    """Horizontal bars for one series, such as the reasons left out."""
    chart = pygal.HorizontalBar(
        **_config(max(200, 60 + 34 * len(labels))), title=title, show_legend=False
    )
    chart.x_labels = list(labels)
    chart.add(title or "-", list(values))
    return data_uri(chart.render())


def lines(labels: Sequence[str], series: Sequence[Series], *, title: str = "") -> str:
    """A line per series across the weeks; a week without figure leaves a gap."""
    chart = pygal.Line(
        **_config(360),
        title=title,
        x_label_rotation=30,
        show_minor_x_labels=False,
        allow_interruptions=True,
    )
    chart.x_labels = list(labels)
    chart.x_labels_major = list(labels)[:: max(1, len(labels) // 12)]
    for one in series:
        chart.add(one.title, list(one.values))
    return data_uri(chart.render())


@dataclass(frozen=True, slots=True)
class MapPoint:
    name: str
    lat: float
    lon: float
    #: Unmet requests per 1,000 inhabitants; None when the population is unknown.
    per_thousand: float | None
    unmet: int


def shade(value: float | None, highest: float) -> str:
    """The shade of a municipality: five steps from the lowest to the highest rate."""
    if value is None or highest <= 0:
        return "#d9d9d9"
    step = min(len(SHADES) - 1, int(value / highest * len(SHADES)))
    return SHADES[step]


def territory_map(points: Sequence[MapPoint], *, legend: str, unknown: str) -> str:
    """Municipalities at their centres, shaded and sized by unmet demand per 1,000
    inhabitants. Longitude is scaled by the cosine of the latitude so distances look right."""
    import math

    highest = max((p.per_thousand or 0.0 for p in points), default=0.0)
    mean_lat = sum(p.lat for p in points) / len(points) if points else 0.0
    squash = math.cos(math.radians(mean_lat))
    chart = pygal.XY(
        **_config(480),
        stroke=False,
        show_legend=False,
        show_x_labels=False,
        show_y_labels=False,
        show_x_guides=False,
        show_y_guides=False,
        print_labels=True,
        title=legend,
    )
    values = []
    for p in points:
        rate = p.per_thousand
        values.append(
            {
                "value": (p.lon * squash, p.lat),
                "label": p.name if rate is None else f"{p.name} ({rate:g})",
                "color": shade(rate, highest),
                "node": {"r": 5 + (14 * rate / highest if rate and highest else 0)},
            }
        )
    chart.add(unknown, values)
    return data_uri(chart.render())
