"""What every page shows, as digests: the answers the storage and query layer must keep.

Each page runs under AppTest on three corpora (the bundled post, the look-alike web pages and
a synthetic corpus of seven countries), with its defaults, with narrowed dates and one outlet,
and with the page's own link parameters (a search, a concordance, attention queries, two
outlets compared, an article opened). Every element a reader sees is reduced to a digest of
its content: texts, metrics, tables, charts (their data), the options of pickers (their
labels carry counts). ``tests/data/page_answers.json`` holds the digests recorded from the
code before a change; ``test_page_answers.py`` compares.

Record again (only when a change is meant to change what pages show, say so in the commit):

    python tests/page_answers.py --record
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = ROOT / "tests" / "data" / "page_answers.json"
PAGES = (
    "overview",
    "entities",
    "articles",
    "timeline",
    "relations",
    "keywords",
    "network",
    "compare",
    "attention",
    "concordance",
)
# Elements whose content is not an answer (buttons, downloads whose bytes are the tables
# shown anyway, the word cloud's pixels) or is layout.
SKIPPED = {
    "main",
    "sidebar",
    "event",
    "column",
    "flex_container",
    "expander",
    "tab",
    "button",
    "download_button",
    "imgs",
    "image",
    "toggle",
    "button_group",
    "page_link",
}


def build_corpora(work: Path) -> dict[str, Path]:
    """The three corpora's processed tables under ``work`` (built once, by the pipeline)."""
    sys.path.insert(0, str(ROOT / "src"))
    from dashboard.ingest.pipeline import ingest
    from dashboard.tools.synth import generate

    corpora = {
        "seed": [ROOT / "data" / "raw"],
        "real_pages": [ROOT / "data" / "labels" / "real_pages" / "pages"],
        "synthetic": None,
    }
    built = {}
    for name, inputs in corpora.items():
        out = work / f"{name}_processed"
        if not (out / "manifest.json").exists():
            if inputs is None:
                raw = work / "synthetic_raw"
                generate(raw, 600, seed=5)
                inputs = [raw]
            ingest(inputs, out)
        built[name] = out
    return built


def views(data_dir: Path) -> list[tuple[str, dict]]:
    """(page, link parameters) for every view recorded on one corpus."""
    sys.path.insert(0, str(ROOT / "src"))
    from dashboard.tables.store import load_tables

    articles = load_tables(
        data_dir, ("articles",), only={"articles": ("article_id", "published", "source")}
    )["articles"]
    dates = sorted(str(d)[:10] for d in articles["published"].dropna().unique())
    outlets = articles["source"].value_counts().sort_index(kind="stable")
    outlets = outlets.sort_values(ascending=False, kind="stable").index.tolist()
    narrowed: dict = {"source": outlets[:1]}
    if dates:
        narrowed |= {"from": dates[len(dates) // 4], "to": dates[(3 * len(dates)) // 4]}
    mentions = load_tables(data_dir, ("mentions",), only={"mentions": ("entity_id", "type")})
    countries = mentions["mentions"].query("type == 'country'")["entity_id"].astype(str)
    counted = countries.value_counts().sort_index(kind="stable")
    top = counted.sort_values(ascending=False, kind="stable").index.tolist()[:2]
    pair = "-".join(sorted(top)) if len(top) == 2 else None
    extra = {
        "articles": [{"q": "访问"}, {"article": sorted(articles["article_id"])[0]}],
        "concordance": [{"q": "访问"}, {"q": "俄罗斯 朝鲜", "sort": "left"}],
        "attention": [{"query": ["朝鲜 AND 俄罗斯", "访问 NOT 取消"]}],
        "compare": [{"a": outlets[0], "b": outlets[-1]}],
        "keywords": [{"term": "访问"}],
        # a pair picked: its evidence (co-mention sentences, visits and meetings)
        "relations": [{"pair": pair}, {"pair": pair, "measure": "co"}] if pair else [],
    }
    found = []
    for page in PAGES:
        found += [(page, {}), (page, narrowed)]
        found += [(page, params) for params in extra.get(page, [])]
    return found


def _content(element) -> str | None:
    kind = element.type
    if kind in SKIPPED:
        return None
    if kind == "dataframe" or kind == "table":
        return element.value.to_csv(index=True)
    if kind == "metric":
        return f"{element.label}={element.value} ({element.delta})"
    if kind == "plotly_chart":
        return element.proto.spec
    if kind in ("selectbox", "multiselect", "radio", "segmented_control", "pills"):
        return json.dumps([str(o) for o in element.options], ensure_ascii=False)
    if hasattr(element, "value"):
        try:
            return str(element.value)
        except Exception:  # a widget without a value yet
            return None
    return str(element.proto)


def _elements(node):
    children = getattr(node, "children", None)
    if not isinstance(children, dict):
        return
    for child in children.values():
        yield child
        yield from _elements(child)


def page_digests(data_dir: Path, page: str, params: dict) -> list[list[str]]:
    """[kind, digest, preview] of every element the page shows, in page order."""
    from streamlit.testing.v1 import AppTest

    os.environ["DASHBOARD_DATA"] = str(data_dir)
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=180)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if at.exception:
        raise AssertionError(f"{page} {params}: {at.exception[0].message}")
    found = []
    for element in _elements(at._tree):
        content = _content(element)
        if content is None:
            continue
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
        found.append([element.type, digest, " ".join(content.split())[:60]])
    return found


def view_key(page: str, params: dict) -> str:
    return page + "?" + json.dumps(params, ensure_ascii=False, sort_keys=True)


def answers(corpora: dict[str, Path]) -> dict:
    return {
        name: {view_key(p, q): page_digests(d, p, q) for p, q in views(d)}
        for name, d in corpora.items()
    }


if __name__ == "__main__":
    if "--record" not in sys.argv:
        raise SystemExit(__doc__)
    import tempfile
    import warnings

    warnings.filterwarnings("ignore")
    work = Path(os.environ.get("PAGE_ANSWERS_WORK") or tempfile.mkdtemp(prefix="page_answers_"))
    recorded = answers(build_corpora(work))
    ANSWERS.write_text(json.dumps(recorded, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    n = sum(len(v) for v in recorded.values())
    print(f"recorded {n} views of {len(recorded)} corpora into {ANSWERS.relative_to(ROOT)}")
