"""A small corpus for the attention and concordance tests, run through the real pipeline:
three outlets over three weeks of July 2024 with three days on which nobody published,
articles naming North Korea as 朝鲜 and only as 北韩, visits that were called off (取消) and
visits that were not, one report in Traditional script, two undated reports, and one whose
text carries markup."""

from __future__ import annotations

import random
from pathlib import Path

from search_corpus import FILLERS, ingest_records

OUTLETS = ["新华社", "塔斯社", "朝中社"]
DAYS = [d for d in range(1, 22) if d not in (8, 9, 10)]  # nobody published on 8–10 July
HOSTILE = "<script>alert('conc')</script><img src=x onerror=alert('conc')>"

# What an article says, by (day + outlet number) % 4.
_LEADS = [
    "朝鲜与俄罗斯第{i}次签署合作协议,朝鲜方面表示满意。",
    "代表团第{i}次访问平壤,受到热烈欢迎。",
    "原定第{i}次访问因故取消,双方将另行商定日期。",
    "据北韩媒体第{i}次报道,俄罗斯对此表示关注。",
]


def _records() -> list[dict]:
    rng = random.Random(11)
    records = []
    i = 0
    for day in DAYS:
        for k, outlet in enumerate(OUTLETS):
            i += 1
            lead = _LEADS[(day + k) % 4].format(i=i)
            fillers = "".join(rng.sample(FILLERS, 6))
            records.append(
                {
                    "title": f"第{i}号报道",
                    "text": f"{lead}{fillers}",
                    "source": outlet,
                    "published_at": f"2024-07-{day:02d}",
                    "url": f"https://news.example.org/2024/07/{i:03d}.html",
                }
            )
    records += [
        {
            "title": "朝鮮與俄羅斯舉行會談",
            "text": "朝鮮與俄羅斯代表團五日在莫斯科舉行會談,雙方就合作交換了意見。會談持續兩小時。",
            "source": "中央社",
            "published_at": "2024-07-05",
            "url": "https://www.cna.com.tw/news/aopl/202407050001.aspx",
        },
        {
            "title": "无日期的评论一",
            "text": "评论说,朝鲜和俄罗斯的合作引人注目。" + "".join(FILLERS[:5]),
            "source": "新华社",
            "url": "https://news.example.org/undated/1.html",
        },
        {
            "title": "无日期的评论二",
            "text": "另一篇评论指出,朝鲜同俄罗斯的往来日益频繁。" + "".join(FILLERS[5:10]),
            "source": "塔斯社",
            "url": "https://news.example.org/undated/2.html",
        },
        {
            "title": "一份带标记的报道",
            "text": f"据报道,{HOSTILE}朝鲜代表团抵达莫斯科。" + "".join(FILLERS[10:14]),
            "source": "新华社",
            "published_at": "2024-07-06",
            "url": "https://news.example.org/2024/07/hostile.html",
        },
    ]
    return records


def build_attention_corpus(root: Path) -> Path:
    """Raw records under ``root/raw`` ingested into ``root/processed``; returns the latter."""
    return ingest_records(root, _records())
