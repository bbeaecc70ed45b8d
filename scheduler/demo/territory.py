"""The demo's territory: the municipalities of the Drummond MRC, from
``drummond_municipalities.csv``, and points near their centres."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from ..models import Municipality
from ..models import Organisation

TIMEZONE = "America/Toronto"
MUNICIPALITIES_CSV = Path(__file__).with_name("drummond_municipalities.csv")

#: The populations' attribution, kept with each one (CC BY asks for it).
POPULATION_SOURCE = "Simplemaps Canada Cities Database (basic), CC BY 4.0"

RURAL_FOCUS = ("Wickham", "L'Avenir", "Saint-Majorique-de-Grantham", "Saint-Félix-de-Kingsey")


def load_municipalities(org: Organisation) -> dict[str, Municipality]:
    lines = [
        line
        for line in MUNICIPALITIES_CSV.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    towns = {}
    for row in csv.DictReader(lines):
        towns[row["name"]] = Municipality(
            organisation=org,
            name=row["name"],
            region=row["province"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            population=int(row["population"]) if row.get("population") else None,
            population_source=POPULATION_SOURCE if row.get("population") else None,
        )
    return towns


def near(rng: random.Random, town: Municipality, km: float) -> tuple[float, float]:
    """A point within about ``km`` of the town centre."""
    return (
        round(town.lat + rng.uniform(-km, km) / 111.0, 5),
        round(town.lon + rng.uniform(-km, km) / 78.0, 5),
    )
