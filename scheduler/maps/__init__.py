"""Route maps: what a day or a week looks like on a map.

A map is built from days (a plan's routes, or a volunteer's appointments) and the
organisation's sites and municipalities (:mod:`.layout`), then either projected for an
SVG drawn on the server (:mod:`.drawing`), which always works (no network, no
JavaScript, printable), or handed to the interactive map as plain data when
``[MAPS]`` names a tile server. No Flask, no Babel: the words come from the templates.
"""

from .days import Day
from .days import Stop
from .days import days_from_appointments
from .days import days_from_plan
from .days import local_day_bounds
from .drawing import Drawing
from .drawing import draw
from .layout import RouteMap
from .layout import map_data
from .layout import route_map
from .settings import MapSettings

__all__ = [
    "Day",
    "Drawing",
    "MapSettings",
    "RouteMap",
    "Stop",
    "days_from_appointments",
    "days_from_plan",
    "draw",
    "local_day_bounds",
    "map_data",
    "route_map",
]
