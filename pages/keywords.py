"""Keywords: a cloud of the filtered corpus and one per chosen outlet, side by side.

Thin: filters -> cloud.cloud_data (pure, tested in tests/test_cloud.py) -> cloud image and table.
Page parameters in the URL: ``weight`` (frequency|tfidf|distinctive), ``outlet`` (repeated:
the outlets shown side by side), ``term`` (the term whose sentences are listed).
"""

from functools import partial

import streamlit as st

from dashboard import analysis, figures
from dashboard.app import links, markup, page, widgets
from dashboard.common import i18n

i18n.extend(
    {
        "keywords.weight": {"zh": "权重", "en": "Weighting"},
        "keywords.weight.frequency": {"zh": "词频", "en": "Raw frequency"},
        "keywords.weight.tfidf": {"zh": "TF-IDF", "en": "TF-IDF"},
        "keywords.weight.distinctive": {"zh": "特色词(对数几率)", "en": "Distinctive (log-odds)"},
        "keywords.explain.frequency": {
            "zh": "当前显示:词频。字越大,该词在所选文章中出现次数越多。",
            "en": "Shown: raw frequency. The bigger the word, the more often it occurs in the selected articles.",
        },
        "keywords.explain.tfidf": {
            "zh": "当前显示:TF-IDF。出现次数乘以逆文档频率(见于越少文章的词权重越高)。",
            "en": "Shown: TF-IDF. Occurrences times inverse document frequency (words found in fewer articles weigh more).",
        },
        "keywords.explain.distinctive": {
            "zh": "当前显示:特色词。带信息性狄利克雷先验的对数几率比 z 值(Monroe 等, 2008):"
            "全部筛选结果与语料库其余部分比较;各媒体与所显示的其他媒体比较。只显示 z > 0 的词。",
            "en": "Shown: distinctive words. z-scores of the log-odds ratio with an informative Dirichlet "
            "prior (Monroe, Colaresi & Quinn 2008): the whole selection against the rest of the corpus; "
            "each outlet against the other outlets in the selection. Only words with z > 0.",
        },
        "keywords.outlets": {"zh": "并排比较的媒体", "en": "Outlets side by side"},
        "keywords.outlets_help": {
            "zh": "每个媒体一幅词云,数量不限",
            "en": "One cloud per outlet, as many as you like",
        },
        "keywords.all": {"zh": "全部筛选结果", "en": "Whole selection"},
        "keywords.n_articles": {"zh": "{n} 篇文章", "en": "{n} articles"},
        "keywords.note.no_articles": {
            "zh": "该媒体在当前筛选中没有文章。",
            "en": "No article of this outlet in the selection.",
        },
        "keywords.note.no_terms": {"zh": "没有可显示的词。", "en": "No terms to show."},
        "keywords.note.no_contrast": {
            "zh": "没有可比较的文章(特色词需要筛选范围之外或其他媒体的文章)。",
            "en": "Nothing to compare with (distinctive words need articles outside the selection or other outlets).",
        },
        "keywords.col.rank": {"zh": "名次", "en": "Rank"},
        "keywords.col.term": {"zh": "词", "en": "Term"},
        "keywords.col.weight": {"zh": "权重", "en": "Weight"},
        "keywords.col.count": {"zh": "次数", "en": "Count"},
        "keywords.col.articles": {"zh": "文章数", "en": "Articles"},
        "keywords.table_help": {
            "zh": "点选一行即可查看使用该词的句子。",
            "en": "Select a row to see the sentences that use the term.",
        },
        "keywords.png": {"zh": "下载 PNG", "en": "Download PNG"},
        "keywords.csv": {"zh": "下载 CSV", "en": "Download CSV"},
        "keywords.term": {"zh": "查看句子的词", "en": "Show sentences for"},
        "keywords.term_none": {"zh": "(未选择)", "en": "(none)"},
        "keywords.sentences": {
            "zh": "含“{term}”的句子:{n} 句",
            "en": "Sentences with “{term}”: {n}",
        },
        "keywords.sentences_capped": {
            "zh": "含“{term}”的句子:最新的 {n} 句(更多请用全文搜索)",
            "en": "Sentences with “{term}”: the newest {n} (search the texts for all of them)",
        },
        "keywords.sentences_csv": {
            "zh": "下载这些句子(CSV)",
            "en": "Download these sentences (CSV)",
        },
        "keywords.search_it": {"zh": "在全文中搜索它 ↗", "en": "Search the texts for it ↗"},
        "keywords.whole_is_corpus": {
            "zh": "(所选即整个语料,没有可比较的对象)",
            "en": " (the selection is the whole corpus: nothing to compare it with)",
        },
        "keywords.cloud_is_picture": {
            "zh": "词云是一张图片;要查看某个词的原句,请在下表中点选该词。",
            "en": "The cloud is a picture: pick a term in the table below to see its sentences.",
        },
        "keywords.col.sentence": {"zh": "句子", "en": "Sentence"},
        "keywords.col.source": {"zh": "媒体", "en": "Outlet"},
        "keywords.col.published": {"zh": "日期", "en": "Date"},
        "keywords.col.link": {"zh": "文章", "en": "Article"},
        "keywords.open": {"zh": "打开", "en": "open"},
        "keywords.cloud_alt": {"zh": "{label}的关键词云", "en": "Keyword cloud of {label}"},
    }
)

K_OUTLETS, K_TERM = "kw_outlets", "kw_term"
TOP = 30
SENTENCE_LIMIT = 500  # sentences cut from the texts for one term (a scan of the selection)
SENTENCES_PER_PAGE = 50

ctx = page.page_setup("keywords")
st.title(ctx.t("page.keywords"))
if ctx.empty:
    page.empty_selection(ctx)

# The outlets side by side: from the link when it names any, else the two largest.
available = analysis.keywords.outlets_by_size(ctx.articles)
if K_OUTLETS not in st.session_state:
    linked = ctx.query_values("outlet")
    for bad in [o for o in linked if o not in available]:
        ctx.notice(ctx.t("notice.bad_param", name="outlet", value=bad[:80]))
    chosen = [o for o in linked if o in available]
    st.session_state[K_OUTLETS] = chosen or [o for o in available if o != "unknown"][:2]
else:  # the shared filters may have removed an outlet since
    st.session_state[K_OUTLETS] = [o for o in st.session_state[K_OUTLETS] if o in available]
outlets = st.multiselect(
    ctx.t("keywords.outlets"),
    available,
    key=K_OUTLETS,
    format_func=ctx.source_label,
    help=ctx.t("keywords.outlets_help"),
)
ctx.set_query("outlet", outlets)
# Raw counts favour the biggest outlet and the words every outlet uses: comparing two or
# more outlets starts from what sets each apart.
weighting = widgets.url_selectbox(
    ctx,
    "weight",
    list(analysis.keywords.WEIGHTINGS),
    key="kw_weight",
    label=ctx.t("keywords.weight"),
    format_func=lambda w: ctx.t(f"keywords.weight.{w}"),
    default="distinctive" if len(outlets) >= 2 else "frequency",
)
st.info(ctx.t(f"keywords.explain.{weighting}"))


@st.cache_data(max_entries=128, show_spinner=False)
def cached_cloud(version, filters, weighting, outlet, width, per_row, _corpus, _articles):
    """One cloud per (ingestion run, filters, weighting, outlet, size): image, table, note.
    An outlet's own names are never its keywords (the whole selection's cloud leaves out
    the names of the outlets in it)."""
    own = [outlet] if outlet is not None else analysis.keywords.outlets_by_size(_articles)
    exclude = analysis.labels.outlet_name_terms(own, _corpus.source_names)

    def weighed(weighting: str) -> analysis.keywords.CloudData:
        return analysis.keywords.cloud_data(
            _articles,
            _corpus.terms,
            weighting,
            outlet,
            top=TOP,
            exclude=exclude,
            everything=_corpus.articles,
        )

    data = weighed(weighting)
    if outlet is None and data.note == "no_contrast":
        # The selection is the whole corpus: nothing for its distinctive words to stand out
        # from. Its cloud shows plain frequency and says so; the outlets' clouds compare.
        weighting = "frequency"
        data = weighed(weighting)
    png = figures.cloud.cloud_png(
        data.weights.head(figures.cloud.MAX_CLOUD_WORDS).to_dict(),
        width,
        width // 2,
        min_word_px=figures.cloud.min_word_pixels(width, per_row),
    )
    return png, data.table, data.articles, data.note, weighting


def select_term(table_key: str, terms: list[str]) -> None:
    rows = st.session_state[table_key].selection.rows
    if rows:
        st.session_state[K_TERM] = terms[rows[0]]


panels = [None] + list(outlets)
per_row = 1 if len(panels) == 1 else min(len(panels), 3)
width = 900 if per_row == 1 else 600
shown_terms: list[str] = []
filter_key = ctx.filters  # frozen: every field (dates, outlets, once, undated) is in the key
for row_start in range(0, len(panels), per_row):
    columns = st.columns(per_row)
    for column, outlet in zip(columns, panels[row_start : row_start + per_row], strict=False):
        label = ctx.t("keywords.all") if outlet is None else ctx.source_label(outlet)
        png, table, n_articles, note, drawn_as = cached_cloud(
            ctx.corpus.version,
            filter_key,
            weighting,
            outlet,
            width,
            per_row,
            ctx.corpus,
            ctx.articles,
        )
        slug = "all" if outlet is None else outlet.replace(" ", "_")
        with column:
            color = ctx.colors.get(outlet) if outlet is not None else None
            st.html(markup.swatch_heading_html(label, color))
            st.caption(
                ctx.t("keywords.n_articles", n=ctx.labels.number(n_articles))
                + " · "
                + ctx.t(f"keywords.weight.{drawn_as}")
                + (ctx.t("keywords.whole_is_corpus") if drawn_as != weighting else "")
            )
            if note:
                st.info(ctx.t(f"keywords.note.{note}"))
                continue
            st.image(png, width="stretch", alt=ctx.t("keywords.cloud_alt", label=label))
            st.caption(ctx.t("keywords.cloud_is_picture"))
            table_key = f"kw_table_{slug}"
            st.dataframe(
                table,
                key=table_key,
                hide_index=True,
                height=300,
                on_select=partial(select_term, table_key, table["term"].tolist()),
                selection_mode="single-row",
                column_config={
                    "rank": st.column_config.NumberColumn(
                        ctx.t("keywords.col.rank"), width="small"
                    ),
                    "term": st.column_config.TextColumn(ctx.t("keywords.col.term")),
                    "weight": st.column_config.ProgressColumn(
                        ctx.t("keywords.col.weight"),
                        min_value=0.0,
                        max_value=float(table["weight"].max()) if len(table) else 1.0,
                        format="localized" if drawn_as == "frequency" else "%.2f",
                    ),
                    "count": st.column_config.NumberColumn(
                        ctx.t("keywords.col.count"), format="localized"
                    ),
                    "articles": st.column_config.NumberColumn(
                        ctx.t("keywords.col.articles"), format="localized"
                    ),
                },
            )
            st.caption(ctx.t("keywords.table_help"))
            left, right = st.columns(2)
            left.download_button(
                ctx.t("keywords.png"),
                png,
                file_name=page.export_name(ctx, "keywords", slug, weighting, ext="png"),
                mime="image/png",
                key=f"kw_png_{slug}",
                on_click="ignore",
            )
            right.download_button(
                ctx.t("keywords.csv"),
                partial(analysis.export.to_csv, table),
                file_name=page.export_name(ctx, "keywords", slug, weighting),
                mime="text/csv",
                key=f"kw_csv_{slug}",
                on_click="ignore",
            )
        shown_terms += [t for t in table["term"] if t not in shown_terms]

# Provenance: the sentences behind a term (from a table row or this box; kept in the URL).
linked_term = st.session_state.get(K_TERM) or ctx.query_value("term")
options = (
    [""] + shown_terms + ([linked_term] if linked_term and linked_term not in shown_terms else [])
)
term = widgets.url_selectbox(
    ctx,
    "term",
    options,
    key=K_TERM,
    label=ctx.t("keywords.term"),
    format_func=lambda t: t or ctx.t("keywords.term_none"),
)
if term:
    with page.texts_or_notice(ctx):
        sentences = analysis.keywords.selection_term_sentences(
            ctx.corpus, ctx.filters, term, limit=SENTENCE_LIMIT
        )
    labels = ctx.labels
    capped = len(sentences) >= SENTENCE_LIMIT
    st.subheader(
        ctx.t(
            "keywords.sentences_capped" if capped else "keywords.sentences",
            term=term,
            n=labels.number(len(sentences)),
        )
    )
    st.html(links.more_links_html(ctx, analysis.query.as_phrase(term), search=term))
    # Newest first, the term marked where it was found; a page at a time.
    at = widgets.url_page(ctx, "tpage", len(sentences), SENTENCES_PER_PAGE, key=f"kw_tpage_{term}")
    shown = sentences.iloc[at * SENTENCES_PER_PAGE : (at + 1) * SENTENCES_PER_PAGE]
    st.html(
        figures.sentences.sentences_html(
            shown,
            [
                [(int(s), int(e))]
                for s, e in zip(shown["match_start"], shown["match_end"], strict=True)
            ],
            [
                f"{labels.date(p)} · {labels.outlet(s)}"
                for p, s in zip(shown["published"], shown["source"], strict=True)
            ],
            [page.article_link(ctx, a) for a in shown["article_id"]],
        )
    )
    st.download_button(
        ctx.t("keywords.sentences_csv"),
        data=partial(analysis.export.to_csv, sentences),
        file_name=page.export_name(ctx, "sentences", term),
        mime="text/csv",
        key="kw_sentences_csv",
    )
