"""A small corpus for the search and reader tests, run through the real pipeline: more
articles with the search word than one page of hits holds, one in Traditional script, one
with markup in it, one cited by an unknown outlet on a known site, one long report with
many hits, and one where the word is only in the title."""

from __future__ import annotations

import json
import random
from pathlib import Path

from dashboard.ingest.pipeline import ingest

WORD = "俄罗斯"
N_PLAIN = 44  # articles with WORD besides the special ones below (more than two pages)
HOSTILE_ID_HINT = "<script>alert('kwic')</script>"

# Neutral sentences that pad articles (shared with attention_corpus).
FILLERS = [
    "双方就地区局势交换了意见。",
    "会谈在友好气氛中进行。",
    "分析人士认为此举意义重大。",
    "两国外长还讨论了经贸合作。",
    "有关方面尚未作出回应。",
    "代表团参观了当地的工厂和学校。",
    "这是今年以来的第三次高层往来。",
    "双方签署了多项合作文件。",
    "媒体对此进行了广泛报道。",
    "专家指出,合作仍面临不少困难。",
    "会后双方举行了联合记者会。",
    "当地民众对代表团表示欢迎。",
    "双方同意加强人文交流。",
    "会谈持续了约两个小时。",
    "此前双方曾多次通电话。",
    "外界关注此次访问的成果。",
]
_PLACES = ["平壤", "莫斯科", "北京", "首尔", "东京", "华盛顿", "河内", "新德里"]
_OUTLETS = ["新华社", "塔斯社", "韩联社", "朝中社", "法新社"]


def _records() -> list[dict]:
    rng = random.Random(7)
    records = []
    for i in range(N_PLAIN):
        day = 1 + i % 28
        place = _PLACES[i % len(_PLACES)]
        fillers = rng.sample(FILLERS, 6)
        text = (
            f"{_OUTLETS[i % len(_OUTLETS)]}{place}7月{day}日电 第{i}号报道:{WORD}代表团{day}日"
            f"抵达{place}。{fillers[0]}{fillers[1]}{fillers[2]}"
            f"报道说,{WORD}方面希望深化合作。{fillers[3]}{fillers[4]}{fillers[5]}"
        )
        records.append(
            {
                "title": f"第{i}号:代表团抵达{place}",
                "text": text,
                "source": _OUTLETS[i % len(_OUTLETS)],
                "published_at": f"2024-07-{day:02d}",
                "url": f"https://news.example.org/2024/07/{i:03d}.html",
            }
        )
    records += [
        {
            "title": "俄羅斯總統普京抵達平壤",
            "text": "中央社台北7月19日電 據塔斯社報導,俄羅斯總統普京19日抵達平壤,開始對朝鮮進行國事訪問。"
            "金正恩在機場迎接。雙方將簽署全面戰略夥伴關係條約。",
            "source": "中央社",
            "published_at": "2024-07-19",
            "url": "https://www.cna.com.tw/news/aopl/202407190001.aspx",
        },
        {
            "title": "一份带标记的报道",
            "text": f"据报道,{HOSTILE_ID_HINT}{WORD}<b>外长</b>拉夫罗夫访问平壤。"
            "<img src=x onerror=alert('kwic')>双方举行会谈。",
            "source": "",
            "published_at": "2024-07-12",
            "url": "https://unknown-site.example.net/a/1.html",
        },
        {
            "title": "长篇述评:中俄关系",
            "text": "据路透社报道,"
            + "".join(
                f"第{k}段:{WORD}与中国的关系在第{k}个方面继续发展,{FILLERS[k % 16]}"
                for k in range(15)
            ),
            "source": "新华社",
            "published_at": "2024-07-20",
            "url": "javascript:alert('url')",
        },
        {
            "title": f"{WORD}代表团离开平壤",
            "text": "代表团20日乘专机离开平壤回国。朝方高级官员到机场送行。双方表示将保持沟通。",
            "source": "朝中社",
            "published_at": "2024-07-21",
            "url": "https://kcna.example/21.html",
        },
    ]
    return records


def build_search_corpus(root: Path) -> Path:
    """Raw records under ``root/raw`` ingested into ``root/processed``; returns the latter."""
    return ingest_records(root, _records())


def ingest_records(root: Path, records: list[dict]) -> Path:
    """``records`` as one JSON-lines file under ``root/raw``, ingested by the real pipeline
    into ``root/processed``; returns the latter."""
    raw = root / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    (raw / "wire.jsonl").write_text(lines + "\n", encoding="utf-8")
    out = root / "processed"
    ingest([raw], out)
    return out
