"""The committed gazetteer: format, one identity per written form, coordinates, key variants.

Run `python tests/test_gazetteer.py` to print the counts per type.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pycountry
import pytest

ROOT = Path(__file__).resolve().parents[1]
GAZETTEER = ROOT / "data" / "gazetteer.csv"
CURATED = ROOT / "data" / "gazetteer_curated.csv"
HEADER = "entity_id,type,name_zh,name_en,aliases,country,lat,lon,abbrev"
SEPARATORS = "•·・‧"


def _load_build_module():
    spec = importlib.util.spec_from_file_location(
        "build_gazetteer", ROOT / "scripts" / "build_gazetteer.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    with GAZETTEER.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def by_alias(rows) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        for alias in r["aliases"].split("|"):
            owners[alias].add(r["entity_id"])
    return owners


def owner(by_alias, alias: str) -> str:
    ids = by_alias.get(alias, set())
    assert len(ids) == 1, f"{alias!r} -> {sorted(ids)}"
    return next(iter(ids))


def test_exact_header_and_utf8():
    first_line = GAZETTEER.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    assert first_line == HEADER


def test_ids_unique_and_well_formed(rows):
    ids = [r["entity_id"] for r in rows]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for r in rows:
        assert r["type"] in {"person", "country", "org", "place"}, r
        if r["type"] == "country":
            assert len(r["entity_id"]) == 3 and r["entity_id"].isupper(), r["entity_id"]
        else:
            prefix, slug = r["entity_id"].split(":", 1)
            assert prefix == r["type"] and slug.isascii() and slug == slug.lower(), r["entity_id"]
        assert r["name_zh"] and r["name_en"], r["entity_id"]
        assert r["name_zh"] in r["aliases"].split("|"), r["entity_id"]


def test_every_alias_maps_to_one_entity(by_alias):
    shared = {a: sorted(ids) for a, ids in by_alias.items() if len(ids) > 1}
    assert not shared, shared


def test_no_alias_is_a_single_character_or_blank(rows):
    for r in rows:
        for alias in r["aliases"].split("|"):
            assert len(alias.strip(SEPARATORS + " ")) >= 2, (r["entity_id"], alias)
            assert alias == alias.strip(), (r["entity_id"], alias)


def test_country_list_is_the_193_un_members_plus_extras(rows):
    build = _load_build_module()
    assert len(build.UN_MEMBERS) == len(set(build.UN_MEMBERS)) == 193
    ids = {r["entity_id"] for r in rows if r["type"] == "country"}
    assert ids == set(build.UN_MEMBERS) | set(build.EXTRA_COUNTRIES)


def test_countries_have_iso3_coordinates_and_their_own_country(rows):
    countries = [r for r in rows if r["type"] == "country"]
    for r in countries:
        assert pycountry.countries.get(alpha_3=r["entity_id"]) is not None, r["entity_id"]
        assert r["country"] == r["entity_id"]
        lat, lon = float(r["lat"]), float(r["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, r["entity_id"]
    # Every UN member state is there (193), plus observers and territories news treats as countries.
    assert len(countries) >= 193 + 3
    assert {"PSE", "TWN", "VAT"} <= {r["entity_id"] for r in countries}
    # Hong Kong and Macau are places of China, as its provinces are
    places = {r["entity_id"]: r["country"] for r in rows if r["type"] == "place"}
    assert places["place:hong_kong"] == places["place:macau"] == "CHN"


def test_country_points_are_where_the_country_is(rows):
    """A swapped or mistyped coordinate would put a country in the wrong hemisphere."""
    point = {
        r["entity_id"]: (float(r["lat"]), float(r["lon"])) for r in rows if r["type"] == "country"
    }
    boxes = {  # (lat_min, lat_max, lon_min, lon_max), generous
        "PRK": (37.5, 43, 124, 131),
        "KOR": (33, 38.7, 125, 130),
        "RUS": (41, 78, 27, 180),
        "CHN": (18, 54, 73, 135),
        "USA": (24, 50, -125, -66),
        "JPN": (30, 46, 129, 146),
        "UKR": (44, 53, 22, 41),
        "FJI": (-21, -12, 176, 180),
        "NZL": (-48, -34, 166, 179),
        "SGP": (1, 1.5, 103.6, 104.1),
    }
    for iso, (a, b, c, d) in boxes.items():
        lat, lon = point[iso]
        assert a <= lat <= b and c <= lon <= d, (iso, point[iso])


def test_places_have_coordinates_persons_and_orgs_do_not(rows):
    known_iso = {c.alpha_3 for c in pycountry.countries}
    for r in rows:
        if r["type"] in ("place", "country"):
            lat, lon = float(r["lat"]), float(r["lon"])
            assert -90 <= lat <= 90 and -180 <= lon <= 180, r["entity_id"]
        else:
            assert r["lat"] == "" and r["lon"] == "", r["entity_id"]
        assert r["country"] == "" or r["country"] in known_iso, r["entity_id"]


def test_abbreviations_are_single_unique_characters_on_countries(rows):
    abbrevs = [(r["entity_id"], r["abbrev"]) for r in rows if r["abbrev"]]
    assert all(len(a) == 1 for _, a in abbrevs), abbrevs
    assert all(i.isupper() and len(i) == 3 for i, _ in abbrevs)
    counts = Counter(a for _, a in abbrevs)
    assert not [a for a, n in counts.items() if n > 1]
    got = dict(abbrevs)
    for iso, a in {
        "PRK": "朝",
        "RUS": "俄",
        "KOR": "韩",
        "CHN": "中",
        "USA": "美",
        "JPN": "日",
        "UKR": "乌",
    }.items():
        assert got[iso] == a


@pytest.mark.parametrize(
    "alias, entity_id",
    [
        ("普丁", "person:vladimir_putin"),
        ("普京", "person:vladimir_putin"),
        ("北韓", "PRK"),
        ("北韩", "PRK"),
        ("朝鮮", "PRK"),
        ("朝鲜民主主义人民共和国", "PRK"),
        ("朝鮮民主主義人民共和國", "PRK"),
        ("南韓", "KOR"),
        ("大韩民国", "KOR"),
        ("俄国", "RUS"),
        ("俄羅斯", "RUS"),
        ("俄罗斯联邦", "RUS"),
        ("美利坚合众国", "USA"),
        ("克里沃鲁齐科", "person:alexei_krivoruchko"),
        ("紹伊古", "person:sergei_shoigu"),
        ("別洛烏索夫", "person:andrei_belousov"),
        ("拉夫羅夫", "person:sergei_lavrov"),
        ("尹錫悅", "person:yoon_suk_yeol"),
        ("習近平", "person:xi_jinping"),
        ("川普", "person:donald_trump"),
        ("澤倫斯基", "person:volodymyr_zelensky"),
        ("賀錦麗", "person:kamala_harris"),
        ("卢光哲", "person:no_kwang_chol"),
        ("金琴铁", "person:kim_geum_chol"),
        ("海参崴", "place:vladivostok"),
        ("伯力", "place:khabarovsk"),
        ("聯合國", "org:un"),
        ("安理会", "org:unsc"),
        ("劳动党", "org:wpk"),
        ("金日成军事大学", "org:kim_il_sung_military_university"),
        ("国情院", "org:rok_nis"),
        ("五角大楼", "org:us_dod"),
    ],
)
def test_key_variants_resolve(by_alias, alias, entity_id):
    assert owner(by_alias, alias) == entity_id


def test_korea_names_follow_mainland_and_taiwan_usage(rows):
    named = {r["entity_id"]: r for r in rows}
    assert named["PRK"]["name_zh"] == "朝鲜" and named["KOR"]["name_zh"] == "韩国"
    # Long official names are aliases, not the display name.
    for iso, short in {
        "RUS": "俄罗斯",
        "USA": "美国",
        "GBR": "英国",
        "IRN": "伊朗",
        "SYR": "叙利亚",
    }.items():
        assert named[iso]["name_zh"] == short


def test_news_outlets_are_not_entities(by_alias):
    with (ROOT / "data" / "outlets.csv").open(encoding="utf-8", newline="") as f:
        outlet_names = {
            a for r in csv.DictReader(f) for a in [r["name_zh"], *r["aliases"].split("|")]
        }
    assert not outlet_names & set(by_alias), sorted(outlet_names & set(by_alias))


def test_ambiguous_and_ordinary_words_are_not_aliases(by_alias):
    # 刚果 is two countries; 中非 is also "China-Africa"; 万象 and 先锋 are ordinary words;
    # 国防部 alone belongs to no single country.
    for word in ["刚果", "中非", "万象", "先锋", "国防部", "东加", "民主党", "政府"]:
        assert word not in by_alias, (word, by_alias.get(word))


def test_build_rejects_an_alias_shared_by_two_entities(tmp_path):
    build = _load_build_module()
    curated = tmp_path / "curated.csv"
    curated.write_text(
        HEADER
        + "\nperson:a_one,person,甲乙,A One,同名,PRK,,,\nperson:b_two,person,丙丁,B Two,同名,KOR,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "g.csv"
    out.write_text(GAZETTEER.read_text(encoding="utf-8"), encoding="utf-8")
    assert build.main(["--curated", str(curated), "--out", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == GAZETTEER.read_text(encoding="utf-8")


def test_committed_file_is_what_the_build_makes(tmp_path):
    """Someone edited gazetteer.csv by hand, or the curated file without rebuilding."""
    build = _load_build_module()
    out = tmp_path / "g.csv"
    out.write_text(GAZETTEER.read_text(encoding="utf-8"), encoding="utf-8")  # keeps country points
    assert build.main(["--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == GAZETTEER.read_text(encoding="utf-8")


def print_counts() -> None:
    with GAZETTEER.open(encoding="utf-8", newline="") as f:
        data = list(csv.DictReader(f))
    counts = Counter(r["type"] for r in data)
    aliases = sum(len(r["aliases"].split("|")) for r in data)
    for t in ("country", "person", "org", "place"):
        print(f"{t:8} {counts[t]:5}")
    print(f"{'total':8} {len(data):5}   aliases {aliases}")


if __name__ == "__main__":
    print_counts()
    sys.exit(0)


@pytest.mark.parametrize(
    "alias, country",
    [
        ("圣文森", "VCT"),
        ("圣克里斯多福", "KNA"),
        ("波黑", "BIH"),
        ("巴新", "PNG"),
        ("千里达", "TTO"),
    ],
)
def test_common_short_names_of_long_country_names(alias, country):
    # the short names news use; the sources give only the long official ones
    from dashboard.ingest.gazetteer import Gazetteer

    assert Gazetteer.load(GAZETTEER).alias_to_id[alias] == country


@pytest.mark.parametrize(
    "alias, entity_id",
    [
        ("根哥布", "person:hage_geingob"),
        ("希奇莱马", "person:hakainde_hichilema"),
        ("范明正", "person:pham_minh_chinh"),  # a common variant of 范明政
        ("马拉佩", "person:james_marape"),
    ],
)
def test_leaders_named_in_relations_news_are_known(alias, entity_id):
    from dashboard.ingest.gazetteer import Gazetteer

    assert Gazetteer.load(GAZETTEER).alias_to_id[alias] == entity_id


@pytest.mark.parametrize("alias", ["尚穆根", "洛伦索", "佩尼亚", "纽西"])
def test_a_common_name_borne_by_many_is_no_alias_of_one_leader(alias):
    from dashboard.ingest.gazetteer import Gazetteer

    assert alias not in Gazetteer.load(GAZETTEER).alias_to_id
