"""Measure the events stage and the date resolver on the hand-labelled sets.

    python scripts/eval_events.py [--mentions auto|pipeline|hand] [-v]

Dates (data/labels/dates.jsonl): each line is a passage, its dispatch date and one date
expression with the date a careful reader gives it. Correct = found, same first and last day
and precision; for vague expressions (approximate windows) the window must be marked
approximate and contain the middle of the labelled window.

Events (data/labels/events.jsonl): the seed articles (located by a substring of their text
after the real ingestion of data/raw) and hand-written reports in the styles of other outlets.
A predicted event matches a labelled one when the country pair is the same (directed for
visits, meetings and departures; unordered for summits) and the labelled date lies within the
predicted date window widened by one day. Per article, duplicates count once on either side.
Precision = matched predictions / predictions, recall = matched labels / labels. Date
accuracy: among matched labels, the share whose date the best match got right at the
labelled precision (exact day; or a month/approximate window containing the labelled date).

Mentions come from the real entity stage (``--mentions pipeline``). While that stage has no
gazetteer of countries yet, ``auto`` falls back to a small hand gazetteer below and says so.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dashboard.common.textnorm import to_simplified  # noqa: E402
from dashboard.ingest import entities as entity_stage  # noqa: E402
from dashboard.ingest.articles import extract_articles  # noqa: E402
from dashboard.ingest.events import build_events  # noqa: E402
from dashboard.ingest.pipeline import PipelineContext  # noqa: E402
from dashboard.ingest.report import IngestReport  # noqa: E402
from dashboard.ingest.timeexpr import find_times  # noqa: E402

LABELS = ROOT / "data" / "labels"

# (surface in Simplified, entity_id, type, country): only for --mentions hand.
HAND_GAZETTEER = [
    ("朝鲜民主主义人民共和国", "PRK", "country", "PRK"),
    ("朝鲜", "PRK", "country", "PRK"),
    ("北韩", "PRK", "country", "PRK"),
    ("俄罗斯联邦", "RUS", "country", "RUS"),
    ("俄罗斯", "RUS", "country", "RUS"),
    ("中国", "CHN", "country", "CHN"),
    ("韩国", "KOR", "country", "KOR"),
    ("南韩", "KOR", "country", "KOR"),
    ("日本", "JPN", "country", "JPN"),
    ("美国", "USA", "country", "USA"),
    ("乌克兰", "UKR", "country", "UKR"),
    ("平壤", "pyongyang", "place", "PRK"),
    ("莫斯科", "moscow", "place", "RUS"),
    ("北京", "beijing", "place", "CHN"),
    ("首尔", "seoul", "place", "KOR"),
    ("东京", "tokyo", "place", "JPN"),
    ("华盛顿", "washington", "place", "USA"),
    ("金正恩", "kim_jong_un", "person", "PRK"),
    ("普京", "putin", "person", "RUS"),
    ("普丁", "putin", "person", "RUS"),
    ("克里沃鲁奇科", "krivoruchko", "person", "RUS"),
    ("克里沃鲁齐科", "krivoruchko", "person", "RUS"),
    ("金琴铁", "kim_kum_chol", "person", "PRK"),
    ("拉夫罗夫", "lavrov", "person", "RUS"),
    ("绍伊古", "shoigu", "person", "RUS"),
    ("别洛乌索夫", "belousov", "person", "RUS"),
    ("崔善姬", "choe_son_hui", "person", "PRK"),
    ("努光铁", "no_kwang_chol", "person", "PRK"),
    ("崔龙海", "choe_ryong_hae", "person", "PRK"),
    ("赵乐际", "zhao_leji", "person", "CHN"),
    ("刘国中", "liu_guozhong", "person", "CHN"),
    ("习近平", "xi_jinping", "person", "CHN"),
    ("王毅", "wang_yi", "person", "CHN"),
    ("尹锡悦", "yoon_suk_yeol", "person", "KOR"),
    ("申源湜", "shin_won_sik", "person", "KOR"),
    ("朴振", "park_jin", "person", "KOR"),
    ("岸田文雄", "kishida", "person", "JPN"),
    ("上川阳子", "kamikawa", "person", "JPN"),
    ("木原稔", "kihara", "person", "JPN"),
    ("拜登", "biden", "person", "USA"),
    ("布林肯", "blinken", "person", "USA"),
]


def hand_mentions(articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Leftmost-longest string matches of HAND_GAZETTEER in text_simplified."""
    names = sorted(HAND_GAZETTEER, key=lambda g: -len(g[0]))
    rows = []
    for a in articles.itertuples(index=False):
        text = a.text_simplified
        taken = [False] * len(text)
        for surface, eid, typ, _country in names:
            i = text.find(surface)
            while i >= 0:
                if not any(taken[i : i + len(surface)]):
                    taken[i : i + len(surface)] = [True] * len(surface)
                    rows.append(
                        (
                            a.article_id,
                            eid,
                            a.text[i : i + len(surface)],
                            typ,
                            i,
                            i + len(surface),
                            "",
                        )
                    )
                i = text.find(surface, i + 1)
    mentions = pd.DataFrame(
        rows, columns=["article_id", "entity_id", "surface", "type", "start", "end", "sentence"]
    )
    ents = {}
    for surface, eid, typ, country in HAND_GAZETTEER:
        ents.setdefault(eid, (eid, typ, surface, "", [surface], country, None, None))
    entities = pd.DataFrame(
        list(ents.values()),
        columns=["entity_id", "type", "name_zh", "name_en", "aliases", "country", "lat", "lon"],
    )
    return mentions, entities


def eval_dates(verbose: bool) -> None:
    rows = [json.loads(x) for x in (LABELS / "dates.jsonl").read_text().splitlines() if x.strip()]
    ok = 0
    for r in rows:
        found = [
            t
            for t in find_times(r["text"], date.fromisoformat(r["anchor"]))
            if t.text.replace(" ", "") == r["expr"].replace(" ", "")
        ]
        d0, d1 = date.fromisoformat(r["date"]), date.fromisoformat(r["date_end"])
        good = False
        if found:
            t = found[0]
            if r["approximate"]:
                mid = d0 + (d1 - d0) / 2
                good = (
                    t.approximate and t.precision == r["precision"] and t.date <= mid <= t.date_end
                )
            else:
                good = (t.date, t.date_end, t.precision) == (
                    d0,
                    d1,
                    r["precision"],
                ) and not t.approximate
        ok += good
        if verbose and not good:
            got = [
                (t.text, str(t.date), str(t.date_end), t.precision) for t in found
            ] or "not found"
            print(
                f"  DATE MISS {r['expr']!r} in {r['text']!r}: want {r['date']}..{r['date_end']} {r['precision']}, got {got}"
            )
    print(f"dates: {ok}/{len(rows)} correct = {ok / len(rows):.3f}  (data/labels/dates.jsonl)")


def _articles(rows: list[dict]) -> pd.DataFrame:
    seed = extract_articles([ROOT / "data" / "raw"], IngestReport())
    out = []
    for r in rows:
        if "seed_match" in r:
            hit = seed[seed["text_simplified"].str.contains(r["seed_match"], regex=False)]
            if len(hit) != 1:
                raise SystemExit(
                    f"seed label {r['id']}: {len(hit)} articles match {r['seed_match']!r}"
                )
            a = hit.iloc[0].to_dict()
            a["article_id"] = r["id"]
            out.append(a)
        else:
            out.append(
                {
                    "article_id": r["id"],
                    "published": date.fromisoformat(r["published"]),
                    "text": r["text"],
                    "text_simplified": to_simplified(r["text"]),
                    "source": r["source"],
                }
            )
    return pd.DataFrame(out)


def _pair(kind: str, a: str, b: str) -> tuple:
    return tuple(sorted((a, b))) if kind in ("summit", "signing") else (a, b)


def _matches(pred: dict, gold: dict) -> bool:
    both_summits = pred["kind"] in ("summit", "signing") and gold["kind"] in ("summit", "signing")
    if both_summits:  # who hosted is often unsaid: compare the pair unordered
        if {pred["from_country"], pred["to_country"]} != {gold["from"], gold["to"]}:
            return False
    elif (pred["from_country"], pred["to_country"]) != (gold["from"], gold["to"]):
        return False
    if pred["date"] is None or pd.isna(pred["date"]):
        return False  # an undated prediction cannot place a dated event
    g = date.fromisoformat(gold["date"])
    return pred["date"] - timedelta(days=1) <= g <= pred["date_end"] + timedelta(days=1)


def _date_right(pred: dict, gold: dict) -> bool:
    g = date.fromisoformat(gold["date"])
    if gold["precision"] == "day":
        return pred["date_precision"] == "day" and not pred["approximate"] and pred["date"] == g
    return pred["date_precision"] != "day" and pred["date"] <= g <= pred["date_end"]


def eval_events(mode: str, verbose: bool, split: str) -> None:
    rows = [
        json.loads(x)
        for name in ("events.jsonl", "events_unseen.jsonl")
        for x in (LABELS / name).read_text(encoding="utf-8").splitlines()
        if x.strip()
    ]
    rows = [r for r in rows if split == "all" or r.get("split", "dev") == split]
    articles = _articles(rows)
    used = mode
    if mode in ("auto", "pipeline"):
        ctx = PipelineContext({"articles": articles}, IngestReport())
        entity_stage.run(ctx)
        mentions, entities = ctx.tables["mentions"], ctx.tables["entities"]
        has_countries = (entities["type"] == "country").any() if not entities.empty else False
        used = "pipeline"
        if mode == "auto" and not has_countries:
            used = "hand (the entity stage found no country yet)"
            mentions, entities = hand_mentions(articles)
    else:
        mentions, entities = hand_mentions(articles)
    events = build_events(articles, mentions, entities)
    tp_pred = n_pred = tp_gold = n_gold = date_ok = 0
    lead_ok = lead_n = 0
    names = {}
    if not entities.empty:
        for e in entities.itertuples(index=False):
            names[e.entity_id] = {
                e.name_zh,
                *(e.aliases if isinstance(e.aliases, list | tuple) else []),
            }
    for r in rows:
        preds = events[events["article_id"] == r["id"]].to_dict("records")
        seen, uniq = set(), []
        for p in preds:
            key = (_pair(p["kind"], p["from_country"], p["to_country"]), p["date"], p["date_end"])
            if key not in seen:
                seen.add(key)
                uniq.append(p)
        golds = r["events"]
        n_pred += len(uniq)
        n_gold += len(golds)
        for p in uniq:
            hit = any(_matches(p, g) for g in golds)
            tp_pred += hit
            if verbose and not hit:
                print(
                    f"  FALSE {r['id']}: {p['kind']} {p['from_country']}->{p['to_country']} {p['date']} ({p['time_expr']}) | {p['evidence'][:60]}"
                )
        for g in golds:
            m = [p for p in preds if _matches(p, g)]
            tp_gold += bool(m)
            if m:
                right = any(_date_right(p, g) for p in m)
                date_ok += right
                if verbose and not right:
                    got = sorted({(str(p["date"]), p["date_precision"], p["time_expr"]) for p in m})
                    print(f"  DATE {r['id']}: want {g['date']} ({g['precision']}), got {got}")
                if g.get("lead_name"):
                    lead_n += 1
                    lead_ok += any(
                        isinstance(p["lead"], str)
                        and any(g["lead_name"] in n for n in names.get(p["lead"], {p["lead"]}))
                        for p in m
                    )
            elif verbose:
                print(f"  MISSED {r['id']}: {g['kind']} {g['from']}->{g['to']} {g['date']}")
    precision = tp_pred / n_pred if n_pred else 0.0
    recall = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(
        f"events [{split}]: mentions from {used}; {len(rows)} articles, {n_gold} labelled events, {n_pred} predicted"
    )
    print(
        f"  precision {precision:.3f} ({tp_pred}/{n_pred})  recall {recall:.3f} ({tp_gold}/{n_gold})  F1 {f1:.3f}"
    )
    print(
        f"  date accuracy of matched events {date_ok}/{tp_gold} = {date_ok / max(tp_gold, 1):.3f}"
    )
    print(f"  lead found for matched events with a labelled lead {lead_ok}/{lead_n}")
    seed = events[events["article_id"].str.startswith("seed-")]
    if not seed.empty:
        print(
            f"  seed stories: {seed['story_id'].nunique()} from {len(seed)} event rows: {sorted(seed['story_id'].unique())}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mentions", choices=["auto", "pipeline", "hand"], default="auto")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument(
        "--split",
        choices=["dev", "heldout", "unseen", "all"],
        default=None,
        help="dev: written while building the rules; heldout: written afterwards, measured once; "
        "unseen: events_unseen.jsonl, written by someone who never read the code (default: each)",
    )
    args = ap.parse_args()
    eval_dates(args.verbose)
    for split in [args.split] if args.split else ["dev", "heldout", "unseen", "all"]:
        eval_events(args.mentions, args.verbose, split)


if __name__ == "__main__":
    main()
