"""Escaped HTML for the concordance: one row per occurrence, aligned on the hit (the words
before it right-aligned, the hit, the words after it), with the article's date and outlet;
the hit links to the article.

Every piece of article text is escaped before markup is added.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from ..analysis.labels import Labels
from ..common import i18n

i18n.extend(
    {
        "page.concordance": {"zh": "上下文", "en": "Concordance"},
        "concordance.col.meta": {"zh": "日期 · 媒体", "en": "Date · outlet"},
        "concordance.col.left": {"zh": "之前", "en": "Before"},
        "concordance.col.hit": {"zh": "命中", "en": "Hit"},
        "concordance.col.right": {"zh": "之后", "en": "After"},
        "concordance.sorted": {"zh": "按此排序", "en": "sorted by this"},
        "concordance.undated": {"zh": "无日期", "en": "undated"},
        "concordance.open": {"zh": "阅读全文:{title}", "en": "Read the article: {title}"},
    }
)


def concordance_html(
    rows: pd.DataFrame, labels: Labels, hrefs: Sequence[str], sort: str | None = None
) -> str:
    """A table of ``rows`` (analysis.concordance.ROW_COLUMNS): date · outlet, the words
    before the hit (right-aligned, cut at the left), the hit (a link to ``hrefs[i]``, the
    reader), the words after it. The column ``sort`` orders by ('left', 'right') is marked."""
    t = labels.t
    mark = {sort: f' aria-sort="ascending" title="{html.escape(t("concordance.sorted"))}"'}
    head = (
        f'<th class="m">{html.escape(t("concordance.col.meta"))}</th>'
        f'<th class="l"{mark.get("left", "")}>{html.escape(t("concordance.col.left"))}'
        f"{' ↓' if sort == 'left' else ''}</th>"
        f'<th class="h">{html.escape(t("concordance.col.hit"))}</th>'
        f'<th class="r"{mark.get("right", "")}>{html.escape(t("concordance.col.right"))}'
        f"{' ↓' if sort == 'right' else ''}</th>"
    )
    body = []
    for row, href in zip(rows.to_dict("records"), hrefs, strict=True):
        day = labels.date(row.get("published"))
        day = t("concordance.undated") if day == "—" else day
        outlet = labels.outlet(row.get("source"), row.get("site"))
        left = ("…" if row["cut_left"] else "") + str(row["left"])
        right = str(row["right"]) + ("…" if row["cut_right"] else "")
        title = t("concordance.open", title=str(row.get("title") or "")[:80])
        body.append(
            "<tr>"
            f'<td class="m"><span class="d">{html.escape(day)}</span>'
            f'<span class="sep"> · </span><span class="o">{html.escape(outlet)}</span></td>'
            f'<td class="l" lang="zh"><div><span>{html.escape(left)}</span></div></td>'
            f'<td class="h" lang="zh"><a href="{html.escape(href, quote=True)}" target="_self" '
            f'title="{html.escape(title, quote=True)}"><mark class="hit">'
            f"{html.escape(str(row['hit']))}</mark></a></td>"
            f'<td class="r" lang="zh"><div>{html.escape(right)}</div></td>'
            "</tr>"
        )
    return (
        CONCORDANCE_CSS + '<div class="conc-wrap"><table class="conc">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


CONCORDANCE_CSS = """
<style>
.conc-wrap { width: 100%; }
table.conc { border-collapse: collapse; width: 100%; table-layout: auto; font-size: .95rem; }
table.conc th { font-size: .8rem; font-weight: 600; color: #555; padding: .2rem .4rem;
  border-bottom: 1px solid #ccc; white-space: nowrap; text-align: left; }
table.conc th.l { text-align: right; }
table.conc th.h { text-align: center; }
table.conc td { padding: .12rem .4rem; border-bottom: 1px solid #f0f0f0; white-space: nowrap;
  line-height: 1.8; vertical-align: middle; }
table.conc td.m { color: #6b6b6b; font-size: .8rem; width: 1%; }
table.conc td.l, table.conc td.r { width: 50%; max-width: 0; overflow: hidden; }
table.conc td.l > div { display: flex; justify-content: flex-end; overflow: hidden; }
table.conc td.r > div { overflow: hidden; text-overflow: ellipsis; }
table.conc td.h { width: 1%; text-align: center; padding: .12rem .1rem; }
table.conc td.h a { text-decoration: none; color: inherit; }
table.conc mark.hit { background: #ffe066; color: inherit; padding: 0 .15em;
  border-radius: .15em; box-shadow: 0 0 0 2px #e67700; font-weight: 600; }
table.conc tbody tr:hover td { background: #f7f7f9; }
@media (max-width: 640px) {
  table.conc { font-size: .9rem; }
  table.conc td.m { font-size: .7rem; line-height: 1.25; }
  table.conc td.m .sep { display: none; }
  table.conc td.m .d, table.conc td.m .o { display: block; }
  table.conc td.l, table.conc td.r { width: 45%; }
}
</style>
"""
