"""Server-rendered SVG charts (pygal), each shown beside the table of its figures.

Charts take figures and words already translated, and return a ``data:`` URI for an
``<img>``: the SVG runs no script there, needs no JavaScript on the page, and its styles
stay inside the image (the page's Content-Security-Policy forbids inline styles). The
table beside each chart carries the same figures for screen readers and for copying.
"""

from __future__ import annotations

import base64
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import pygal
from pygal.style import Style

# pygal appends to sys.meta_path a finder for its map plugins (pygal.maps.*) that has only
# the old find_module() hook: on Python 3.11 every later import then warns (ImportWarning),
# and 3.12 ignores it. Escouade uses no pygal map plugin, so the finder is taken out.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

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


def _bars_height(labels: Sequence[str], series: int) -> int:
    """Room for each bar and for the legend's rows under the chart."""
    legend_rows = (series + 2) // 3 if series > 1 else 0
    return max(200, 70 + 30 * len(labels) + 28 * legend_rows)


def stacked_bars(labels: Sequence[str], series: Sequence[Series], *, title: str = "") -> str:
    """Horizontal stacked bars: one bar per label (a municipality, a language…), the
    first label at the top."""
    chart = pygal.HorizontalStackedBar(**_config(_bars_height(labels, len(series))), title=title)
    chart.x_labels = list(reversed(labels))
    for one in series:
        chart.add(one.title, list(reversed(one.values)))
    return data_uri(chart.render())


def bars(labels: Sequence[str], values: Sequence[float], *, title: str = "") -> str:
    """Horizontal bars for one series, such as the reasons left out."""
    chart = pygal.HorizontalBar(**_config(_bars_height(labels, 1)), title=title, show_legend=False)
    chart.x_labels = list(reversed(labels))
    chart.add(title or "-", list(reversed(values)))
    return data_uri(chart.render())


def lines(labels: Sequence[str], series: Sequence[Series], *, title: str = "") -> str:
    """A line per series across the weeks; a week without figure leaves a gap."""
    chart = pygal.Line(
        **_config(400),
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
    xs = [p.lon * squash for p in points] or [0.0]
    ys = [p.lat for p in points] or [0.0]
    # Room on the right for the names, around for the largest dots.
    width = max(max(xs) - min(xs), 0.05)
    height = max(max(ys) - min(ys), 0.05)
    chart = pygal.XY(
        xrange=(min(xs) - 0.08 * width, max(xs) + 0.35 * width),
        range=(min(ys) - 0.08 * height, max(ys) + 0.08 * height),
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
