"""Accuracy on web pages as they are saved, chrome and all: the table of the "real pages" issue.

    python scripts/eval_real_pages.py [--pages DIR --labels FILE] [-v]

Default: the look-alike pages in data/labels/real_pages/ (written by us in the shapes real
news pages take; real pages stay outside the repository). Each page is ingested by the real
pipeline (one .txt file = one saved page) and scored against its hand labels:

- articles split right: pages whose number of articles is the labelled one, each labelled
  article found (its first words, ``starts``, inside one article of its own);
- outlet / publication date: labelled articles whose outlet id (labels may name the outlet by
  any alias or domain the registry knows) / date is right;
- person and country recall / precision over the labelled articles (persons match by any of
  the surface forms the label lists; reporters and editors, ``staff``, count neither way);
- visits, meetings, summits: recall and precision of (from, to, date +- 1 day); summits
  match either way round, an unlabelled date (the page does not tell it) matches any date.

With ``--url-names`` each page is saved under a file name made of its address, so the site's
domain is there to read (as when a page is saved by a browser or a crawler).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dashboard.common.textnorm import compact, to_simplified  # noqa: E402
from dashboard.ingest.outlets import load_registry  # noqa: E402
from dashboard.ingest.pipeline import ingest  # noqa: E402
from dashboard.tables import store  # noqa: E402

DEFAULT = ROOT / "data" / "labels" / "real_pages"


_PINYIN_LEAK = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)")


def _norm(text: str) -> str:
    """Compared as the pipeline reads a page: Simplified, no spaces, no pinyin leaked by a
    spam mirror's conversion (習(xí)近平)."""
    return compact(to_simplified(_PINYIN_LEAK.sub("", text or "")))


def _outlet_id(name: str | None) -> str:
    if not name or name == "unknown":
        return "unknown"
    registry = load_registry()
    if name in registry.outlets:
        return name
    outlet = registry.lookup(name)
    return (
        outlet.id if outlet else _norm(name)
    )  # a name nobody registered, as the pipeline reads it


class Score:
    def __init__(self):
        self.n = defaultdict(int)
        self.errors: list[str] = []

    def ratio(self, hit: str, total: str) -> str:
        t = self.n[total]
        return f"{self.n[hit] / t:.2f} ({self.n[hit]}/{t})" if t else "-"


# A label's first 12 characters may cut a leaked syllable in two: 據(j
_CUT_LEAK = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{0,5}$")


def _match_article(articles, starts: str):
    key = _norm(_CUT_LEAK.sub("", starts))
    for i, text in enumerate(articles["norm"]):
        if key and key in text:
            return i
    return None


def _person_hit(surface: str, forms: list[str]) -> bool:
    s = _norm(surface)
    return any(s == f or (len(s) >= 2 and len(f) >= 2 and (s in f or f in s)) for f in forms)


def _event_match(label: dict, pred: dict) -> bool:
    same = (pred["from"], pred["to"]) == (label["from"], label["to"])
    if label["kind"] == "summit" or pred["kind"] == "summit":
        same = same or (pred["from"], pred["to"]) == (label["to"], label["from"])
    if not same:
        return False
    if not label.get("date"):
        return True
    if pred["date"] is None:
        return False
    first, last = _label_window(label["date"])
    slack = timedelta(days=1)
    return pred["date"] - slack <= last and first <= pred["date_end"] + slack


def _label_window(value: str) -> tuple[date, date]:
    """A labelled date: a day, or a month ("2024-06") or year ("2024") when that is all the
    page tells; a prediction matches when its window meets it."""
    parts = [int(x) for x in value.split("-")]
    if len(parts) == 3:
        day = date(*parts)
        return day, day
    if len(parts) == 2:
        first = date(parts[0], parts[1], 1)
        return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def _url_name(lab: dict) -> str:
    """The page's file named after its address, as a browser or a crawler may save it."""
    url = (lab.get("url") or "").split("://", 1)[-1]
    slug = re.sub(r"[^A-Za-z0-9.\-]+", "_", url)[:120].strip("_")
    return f"{slug}__{lab['file']}" if slug else lab["file"]


def evaluate(
    pages: Path, labels_path: Path, score: Score, workers: int = 1, url_names: bool = False
) -> None:
    labels = [json.loads(x) for x in labels_path.read_text(encoding="utf-8").splitlines() if x]
    with tempfile.TemporaryDirectory() as tmp:
        files = [pages / lab["file"] for lab in labels]
        if url_names:  # the same pages, each saved under its address
            (Path(tmp) / "pages").mkdir()
            for lab, file in zip(labels, files, strict=True):
                lab["file"] = _url_name(lab)
                shutil.copy(file, Path(tmp) / "pages" / lab["file"])
            files = [Path(tmp) / "pages" / lab["file"] for lab in labels]
        ingest(files, Path(tmp) / "out", workers=workers, incremental=False)
        tables = store.load_tables(Path(tmp) / "out")
    arts = tables["articles"].copy()
    arts["norm"] = [_norm(t) for t in arts["text"]]
    mentions = tables["mentions"]
    events = tables["events"]
    for lab in labels:
        page = arts[arts["doc"] == lab["file"]].reset_index(drop=True)
        found = [_match_article(page, a["starts"]) for a in lab["articles"]]
        split_ok = len(page) == len(lab["articles"]) and len(set(found) - {None}) == len(found)
        score.n["pages"] += 1
        score.n["split_ok"] += split_ok
        if not split_ok:
            score.errors.append(
                f"{lab['id']} split: {len(page)} article(s), labelled {len(lab['articles'])}: "
                + " | ".join(t[:24] for t in page["text"].str.replace("\n", " "))
            )
        for a, i in zip(lab["articles"], found, strict=True):
            score.n["articles"] += 1
            if i is None:
                score.errors.append(f"{lab['id']} article not found: {a['starts']}")
                score.n["persons_gold"] += len(a["persons"] or [])
                score.n["countries_gold"] += len(set(a["countries"]))
                score.n["events_gold"] += len(a["events"])
                continue
            row = page.iloc[i]
            _score_article(lab, a, row, mentions, events, score)


def _score_article(lab, a, row, mentions, events, score: Score) -> None:
    pid = lab["id"]
    want = _outlet_id(a["outlet"])
    score.n["outlet_ok"] += row["source"] == want
    if row["source"] != want:
        score.errors.append(f"{pid} outlet {row['source']}, labelled {want} ({a['outlet']})")
    got_date = row["published"].isoformat() if row["published"] else None
    score.n["date_ok"] += got_date == a["published"]
    if got_date != a["published"]:
        score.errors.append(f"{pid} date {got_date}, labelled {a['published']}")

    ms = mentions[mentions["article_id"] == row["article_id"]]
    if a["persons"] is not None:  # a set may leave persons unlabelled (null): not scored
        _score_persons(pid, a, ms, score)
    _score_countries_events(pid, a, ms, row, events, score)


def _score_persons(pid, a, ms, score: Score) -> None:
    people = ms[ms["type"] == "person"]
    gold = [[_norm(f) for f in p["forms"] + [p["name"]]] for p in a["persons"]]
    staff = [_norm(s) for s in a.get("staff", [])]
    found = {
        i for i, forms in enumerate(gold) if any(_person_hit(s, forms) for s in people["surface"])
    }
    score.n["persons_gold"] += len(gold)
    score.n["persons_found"] += len(found)
    for i, forms in enumerate(gold):
        if i not in found:
            score.errors.append(f"{pid} person missed: {forms[0]}")
    for entity, group in people.groupby("entity_id", observed=True):
        surfaces = list(group["surface"].astype(str))
        if any(_person_hit(s, [x]) for s in surfaces for x in staff):
            continue
        score.n["persons_pred"] += 1
        if any(_person_hit(s, forms) for s in surfaces for forms in gold):
            score.n["persons_right"] += 1
        else:
            score.errors.append(f"{pid} person wrong: {surfaces[0]} ({entity})")


def _score_countries_events(pid, a, ms, row, events, score: Score) -> None:
    got = set(ms.loc[ms["type"] == "country", "entity_id"].astype(str))
    want_c = set(a["countries"])
    score.n["countries_gold"] += len(want_c)
    score.n["countries_found"] += len(want_c & got)
    score.n["countries_pred"] += len(got)
    score.n["countries_right"] += len(got & want_c)
    if got != want_c:
        score.errors.append(
            f"{pid} countries missed {sorted(want_c - got)} wrong {sorted(got - want_c)}"
        )

    ev = events[events["article_id"] == row["article_id"]]
    preds, seen = [], set()
    for e in ev.itertuples(index=False):
        d = e.date if isinstance(e.date, date) else None
        end = e.date_end if isinstance(e.date_end, date) else d
        key = (e.kind == "summit", e.from_country, e.to_country, d)
        if key in seen:
            continue
        seen.add(key)
        preds.append(
            {
                "kind": e.kind,
                "from": e.from_country,
                "to": e.to_country,
                "date": d,
                "date_end": end,
                "evidence": e.evidence,
            }
        )
    score.n["events_gold"] += len(a["events"])
    for g in a["events"]:
        if any(_event_match(g, p) for p in preds):
            score.n["events_found"] += 1
        else:
            score.errors.append(
                f"{pid} event missed: {g['kind']} {g['from']}->{g['to']} {g.get('date')}"
            )
    score.n["events_pred"] += len(preds)
    for p in preds:
        if any(_event_match(g, p) for g in a["events"]):
            score.n["events_right"] += 1
        else:
            score.errors.append(
                f"{pid} event wrong: {p['kind']} {p['from']}->{p['to']} {p['date']}: "
                f"{str(p['evidence'])[:50]}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT / "pages")
    parser.add_argument("--labels", type=Path, default=DEFAULT / "labels.jsonl")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--url-names",
        action="store_true",
        help="save each page under a file name made of its URL (the domain is then a signal)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()
    score = Score()
    evaluate(args.pages, args.labels, score, args.workers, args.url_names)
    n = score
    rows = [
        ("articles split right (pages)", n.ratio("split_ok", "pages")),
        ("outlet", n.ratio("outlet_ok", "articles")),
        ("publication date", n.ratio("date_ok", "articles")),
        ("person recall", n.ratio("persons_found", "persons_gold")),
        ("person precision", n.ratio("persons_right", "persons_pred")),
        ("country recall", n.ratio("countries_found", "countries_gold")),
        ("country precision", n.ratio("countries_right", "countries_pred")),
        ("events recall (from, to, date +-1)", n.ratio("events_found", "events_gold")),
        ("events precision", n.ratio("events_right", "events_pred")),
    ]
    print(f"{args.labels}: {n.n['pages']} pages, {n.n['articles']} labelled articles")
    for name, value in rows:
        print(f"  {name:<38} {value}")
    if args.verbose:
        print("\n".join(score.errors))


if __name__ == "__main__":
    main()
