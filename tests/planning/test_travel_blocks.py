"""A large territory is measured and scaled a block of rows at a time, to the same integers.

Above ``exact_up_to`` places the geodesic model measures a block of rows at a time and
``build_travel_matrix`` scales each block as it comes, so the real-valued matrices are never
whole (250 MB for the 4,000 places of the XL week). The integers must be those of measuring
everything first and scaling it with ``scale_matrices``.
"""

from __future__ import annotations

import random

from scheduler.planning import Location
from scheduler.planning import scale_matrices
from scheduler.planning.travel import GeodesicTravel
from scheduler.planning.travel import TravelOptions
from scheduler.planning.travel import build_travel_matrix


def _places(n: int) -> list[Location]:
    rng = random.Random(7)
    return [
        Location(f"p{k}", 45.9 + rng.gauss(0, 0.1), -72.5 + rng.gauss(0, 0.1), rng.choice("ur"))
        for k in range(n)
    ]


def test_blockwise_build_equals_scaling_the_whole_measure() -> None:
    options = TravelOptions(zone_speed_kmh={"u": 35.0, "r": 70.0})
    for n, exact in ((40, 150), (600, 150)):
        model = GeodesicTravel(1.3, 50.0, options.zone_speed_kmh, exact_up_to=exact)
        places = _places(n)
        built = build_travel_matrix(places, model, options)
        seconds, metres = model.measure(places)
        whole = scale_matrices(
            seconds, metres, stop_min=options.stop_min, walking_kmh=options.walking_kmh
        )
        assert built.size == n
        for name in ("minutes", "metres", "walk_minutes"):
            assert [list(r) for r in getattr(built, name)] == [
                list(r) for r in getattr(whole, name)
            ], name
        assert built.minutes[0][0] == 0 and max(built.minutes[0]) > 0
