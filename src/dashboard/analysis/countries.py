"""Where to put a country on a map (its names are ``analysis.labels.Labels.country``).

Coordinates come from the gazetteer's entities and, for countries it does not place, from
the centroids of the offline base map (``static/topojson/world_110m.json``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..tables.paths import STATIC_DIR

TOPOJSON_DIR = STATIC_DIR / "topojson"
WORLD_TOPOJSON = TOPOJSON_DIR / "world_110m.json"


@lru_cache(maxsize=1)
def topojson_centroids() -> dict[str, tuple[float, float]]:
    """ISO-3 -> (lat, lon) of each country's largest polygon, from the shipped base map.

    Fallback for countries the entities table has no coordinates for.
    """
    try:
        data = json.loads(Path(WORLD_TOPOJSON).read_text(encoding="utf-8"))
    except OSError:
        return {}
    out = {}
    for geom in data["objects"]["countries"]["geometries"]:
        ct = (geom.get("properties") or {}).get("ct")
        if geom.get("id") and ct:
            out[geom["id"]] = (float(ct[1]), float(ct[0]))
    return out


def country_coords(entities: pd.DataFrame) -> dict[str, tuple[float, float]]:
    coords = dict(topojson_centroids())
    if entities is not None and not entities.empty:
        ent = entities[(entities["type"] == "country") & entities["lat"].notna()]
        ent = ent[ent["lon"].notna()]
        for row in ent.itertuples(index=False):
            coords[row.entity_id] = (float(row.lat), float(row.lon))
    return coords
