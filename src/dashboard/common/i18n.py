"""Every string the interface shows, in Simplified Chinese (default) and English.

One table: ``STRINGS[key] = {"zh": ..., "en": ...}``. Pages that own their own strings
register them at import time with :func:`extend` instead of editing this file::

    from dashboard import i18n
    i18n.extend({"timeline.title": {"zh": "时间线", "en": "Timeline"}})

and look them up with ``i18n.t("timeline.title", lang)`` (or the page's ``ctx.t``).
Strings may contain ``str.format`` fields: ``t("n_articles", lang, n=3)``.
"""

from __future__ import annotations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

STRINGS: dict[str, dict[str, str]] = {
    # app and navigation
    "app.title": {"zh": "双边关系新闻看板", "en": "Bilateral relations news dashboard"},
    "page.overview": {"zh": "概览", "en": "Overview"},
    "page.entities": {"zh": "实体频次", "en": "Entities"},
    "page.articles": {"zh": "文章", "en": "Articles"},
    "page.timeline": {"zh": "时间线", "en": "Timeline"},
    "page.relations": {"zh": "国家关系", "en": "Relations"},
    "page.keywords": {"zh": "关键词", "en": "Keywords"},
    # sidebar filters
    "filters.header": {"zh": "筛选", "en": "Filters"},
    "filters.language": {"zh": "界面语言", "en": "Language"},
    "filters.from": {"zh": "起始日期", "en": "From"},
    "filters.to": {"zh": "截止日期", "en": "To"},
    "filters.sources": {"zh": "媒体", "en": "Outlets"},
    "filters.sources_help": {
        "zh": "括号内为文章数;不选即全部媒体",
        "en": "Article counts in brackets; none selected means all outlets",
    },
    "filters.sources_placeholder": {"zh": "全部媒体", "en": "All outlets"},
    "filters.once": {"zh": "同一报道只计一次", "en": "Count each story once"},
    "filters.once_help": {
        "zh": "去掉被判定为其他文章转载或近似重复的文章",
        "en": "Drop articles flagged as relays or near-duplicates of an earlier one",
    },
    "filters.reset": {"zh": "重置筛选", "en": "Reset filters"},
    "filters.undated": {"zh": "包括无日期的文章({n} 篇)", "en": "Include undated articles ({n})"},
    "filters.undated_help": {
        "zh": "无法确定发布日期的文章。包括时计入计数、实体、关系和关键词,但不出现在时间轴上;"
        "各时间图会注明未画出的篇数。",
        "en": "Articles whose publication date could not be found. When included they count "
        "in totals, entities, relations and keywords, but have no place on a time axis; "
        "every time chart says how many it leaves out.",
    },
    "filters.summary": {"zh": "{n} 篇文章", "en": "{n} articles"},
    "filters.summary_undated": {"zh": "(其中 {n} 篇无日期)", "en": " ({n} undated)"},
    "filters.summary_no_undated": {"zh": "(不含无日期文章)", "en": " (undated left out)"},
    "filters.summary_more": {"zh": " 等 {n} 家", "en": " and {n} more"},
    "filters.summary_help": {
        "zh": "当前筛选条件;在侧栏中修改。",
        "en": "The current selection; change it in the sidebar.",
    },
    "notice.dates_outside": {
        "zh": "链接中的日期 {value} 不在本语料的时间范围内,现显示全部日期 {shown}。",
        "en": "The link's dates {value} lie outside this corpus; all its dates, {shown}, "
        "are shown instead.",
    },
    "notice.from_clamped": {
        "zh": "链接的起始日期 {value} 早于本语料最早的文章,从 {shown} 开始显示。",
        "en": "The link's start date {value} is before this corpus's first article; shown "
        "from {shown}.",
    },
    "notice.to_clamped": {
        "zh": "链接的截止日期 {value} 晚于本语料最新的文章,显示至 {shown}。",
        "en": "The link's end date {value} is after this corpus's last article; shown to {shown}.",
    },
    "notice.bad_param": {
        "zh": "链接参数 {name}={value} 无效,已改用默认值。",
        "en": "Link parameter {name}={value} is not valid; the default is used.",
    },
    "notice.from_after_to": {
        "zh": "起始日期晚于截止日期,已对调。",
        "en": "The start date was after the end date; they were swapped.",
    },
    # data loading
    "data.building": {
        "zh": "首次启动:正在从原始文档构建数据表……",
        "en": "First start: building the tables from the raw documents…",
    },
    "data.stage": {"zh": "{stage}:{done}/{total}", "en": "{stage}: {done}/{total}"},
    "data.built": {"zh": "数据表已构建:{n} 篇文章。", "en": "Tables built: {n} articles."},
    "data.no_raw": {
        "zh": "没有已处理的数据表,原始文档目录 {path} 中也没有可读取的文章。",
        "en": "No processed tables, and no readable article in the raw folder {path}.",
    },
    "data.missing": {
        "zh": "数据文件夹 {path} 不存在。",
        "en": "The data folder {path} does not exist.",
    },
    "data.empty": {
        "zh": "数据文件夹 {path} 中没有已处理的数据表。",
        "en": "The data folder {path} holds no processed tables.",
    },
    "data.partial": {
        "zh": "数据文件夹 {path} 中的数据表不完整:",
        "en": "The data folder {path} holds an incomplete set of tables:",
    },
    "data.damaged": {
        "zh": "数据文件夹 {path} 中的数据表无法读取:",
        "en": "The tables in {path} cannot be read:",
    },
    "data.command": {
        "zh": "在终端中运行以下命令即可构建数据表(看板不会自行写入您指定的文件夹):",
        "en": "Build them with this command in a terminal (the dashboard never writes into a "
        "folder you named by itself):",
    },
    "data.rebuild": {
        "zh": "用原来的文档重新构建",
        "en": "Rebuild from the documents that built them",
    },
    "data.rebuild_from": {
        "zh": "上次构建这些数据表的文档:{inputs}",
        "en": "These tables were built from: {inputs}",
    },
    "data.rebuild_confirm": {
        "zh": "重新构建会用新的导入结果替换 {path} 中的数据表。确定吗?",
        "en": "Rebuilding replaces the tables in {path} with a new ingestion. Go ahead?",
    },
    "data.rebuild_yes": {"zh": "确定,重新构建", "en": "Yes, rebuild"},
    "data.rebuild_no": {"zh": "取消", "en": "Cancel"},
    "data.rebuild_failed": {"zh": "重新构建失败:{error}", "en": "Rebuild failed: {error}"},
    "data.texts_unreadable": {
        "zh": "文章全文无法读取:{error} 请重新运行导入命令。",
        "en": "The article texts cannot be read: {error} Run the ingestion again.",
    },
    # shared words
    "empty.selection": {
        "zh": "当前筛选下没有文章。请放宽日期或媒体筛选,或点击侧栏的“重置筛选”。",
        "en": "No article matches the current filters. Widen the dates or outlets, or press "
        "“Reset filters” in the sidebar.",
    },
    "empty.entities": {
        "zh": "当前筛选下没有识别出的实体。",
        "en": "No entity was found in the current selection.",
    },
    "empty.events": {
        "zh": "当前筛选下没有识别出的访问或会谈。",
        "en": "No visit or meeting was found in the current selection.",
    },
    "col.date": {"zh": "日期", "en": "Date"},
    "col.source": {"zh": "媒体", "en": "Outlet"},
    "col.reports": {"zh": "报道篇数", "en": "Reports"},
    "col.title": {"zh": "标题", "en": "Title"},
    "col.count": {"zh": "次数", "en": "Count"},
    "col.mentions": {"zh": "提及次数", "en": "Mentions"},
    "col.articles": {"zh": "文章数", "en": "Articles"},
    "col.entity": {"zh": "实体", "en": "Entity"},
    "col.name_en": {"zh": "英文名", "en": "English name"},
    "col.aliases": {"zh": "别名", "en": "Aliases"},
    "col.type": {"zh": "类型", "en": "Type"},
    "col.sentence": {"zh": "句子", "en": "Sentence"},
    "col.kind": {"zh": "类型", "en": "Kind"},
    "col.route": {"zh": "出访国 → 到访国", "en": "From → to"},
    "col.evidence": {"zh": "依据", "en": "Evidence"},
    "col.duplicate": {"zh": "重复", "en": "Duplicate"},
    "col.link": {"zh": "阅读", "en": "Read"},
    "col.read": {"zh": "原文", "en": "read"},
    "articles.relay": {"zh": "转载", "en": "relay"},
    "col.outlets": {"zh": "报道媒体", "en": "Outlets"},
    "col.time_expr": {"zh": "原文时间", "en": "Read from"},
    "type.all": {"zh": "全部类型", "en": "All types"},
    "type.person": {"zh": "人物", "en": "Person"},
    "type.country": {"zh": "国家", "en": "Country"},
    "type.org": {"zh": "机构", "en": "Organization"},
    "type.place": {"zh": "地点", "en": "Place"},
    "kind.visit": {"zh": "访问", "en": "Visit"},
    "kind.meeting": {"zh": "会见", "en": "Meeting"},
    "kind.summit": {"zh": "峰会", "en": "Summit"},
    "kind.departure": {"zh": "启程", "en": "Departure"},
    "source.unknown": {"zh": "未知媒体", "en": "Unknown outlet"},
    # overview
    "overview.title": {"zh": "概览", "en": "Overview"},
    "overview.articles": {"zh": "文章", "en": "Articles"},
    "overview.outlets": {"zh": "媒体", "en": "Outlets"},
    "overview.span": {"zh": "时间跨度", "en": "Date span"},
    "overview.span_value": {"zh": "{start} 至 {end}", "en": "{start} to {end}"},
    "overview.entities": {"zh": "实体", "en": "Entities"},
    "overview.events": {"zh": "访问与会谈", "en": "Visits and meetings"},
    "overview.per_D": {"zh": "每日文章数(按媒体)", "en": "Articles per day, by outlet"},
    "overview.per_W": {"zh": "每周文章数(按媒体)", "en": "Articles per week, by outlet"},
    "overview.per_M": {"zh": "每月文章数(按媒体)", "en": "Articles per month, by outlet"},
    "overview.per_period_how.count": {
        "zh": "计数方式:每篇文章按其发布日期计一次,颜色表示媒体(各图中同一媒体颜色相同)。"
        "所选时间超过三个月时按周(周一起)计,超过两年时按月计。",
        "en": "How counted: each article once, on its publication date; colour = outlet (the "
        "same on every chart). Over three months the bars are weeks (from Monday), over two "
        "years months.",
    },
    "overview.per_period_how.share": {
        "zh": "占比:该媒体在所选范围内有日期的文章中,落在该时段的比例;便于比较大小不同的媒体的报道节奏。"
        "断开处表示该时段没有任何媒体发文。",
        "en": "Share: of each outlet's dated articles in the selection, the part published in "
        "the period, so outlets of different sizes compare. A break in a line is a period in "
        "which no outlet published.",
    },
    "overview.measure": {"zh": "显示", "en": "Show"},
    "overview.measure.count": {"zh": "篇数", "en": "Counts"},
    "overview.measure.share": {"zh": "占该媒体的比例", "en": "Share of the outlet's articles"},
    "overview.share_axis": {"zh": "占该媒体文章的比例", "en": "Share of the outlet's articles"},
    "overview.undated_not_drawn": {
        "zh": "另有 {n} 篇无日期的文章计入上方总数,但不在图中。",
        "en": "{n} undated articles count in the totals above but are not in the chart.",
    },
    "overview.undated_help": {
        "zh": "其中 {n} 篇无法确定发布日期(可在侧栏中排除)。",
        "en": "Of which {n} have no publication date (leave them out in the sidebar).",
    },
    "overview.published_on": {
        "zh": "发布于 {date}(事件日期未知)",
        "en": "published {date} (event date unknown)",
    },
    "overview.n_reports": {"zh": "{n} 篇报道", "en": "{n} reports"},
    "overview.one_report": {"zh": "1 篇报道", "en": "1 report"},
    "outlet.other": {"zh": "其他媒体", "en": "Other outlets"},
    "period.axis.D": {"zh": "日期", "en": "Date"},
    "period.axis.W": {"zh": "周(起始日)", "en": "Week (first day)"},
    "period.axis.M": {"zh": "月份", "en": "Month"},
    "period.hover.D": {"zh": "%{x|%Y-%m-%d}", "en": "%{x|%Y-%m-%d}"},
    "period.hover.W": {"zh": "%{x|%Y-%m-%d} 起一周", "en": "week of %{x|%Y-%m-%d}"},
    "period.hover.M": {"zh": "%{x|%Y-%m}", "en": "%{x|%Y-%m}"},
    "overview.top_entities": {"zh": "提及最多的实体", "en": "Most mentioned entities"},
    "overview.top_entities_how": {
        "zh": "计数方式:当前筛选内文章中该实体(含别名)的每次提及计一次。",
        "en": "How counted: every mention of the entity (any alias) in the selected articles.",
    },
    "overview.latest_events": {"zh": "最新的访问与会谈", "en": "Latest visits and meetings"},
    "overview.latest_events_how": {
        "zh": "按事件日期从新到旧;每行是一个事件(多篇报道合并),显示最新一篇报道中的原句、报道它的所有媒体和报道篇数(点击可在时间线上查看全部报道)。"
        "日期只精确到月或年时只写到月或年。",
        "en": "Newest event date first; one row per event (several reports merged), showing "
        "the newest report's sentence, every outlet that reported it and how many reports "
        "tell it (click for all of them on the timeline). A date known only to the month or "
        "year is written only to the month or year.",
    },
    # entities page
    "entities.title": {"zh": "实体频次", "en": "Entity frequencies"},
    "entities.type": {"zh": "实体类型", "en": "Entity type"},
    "entities.top_n": {"zh": "显示前 N 个", "en": "Show top N"},
    "entities.bar_how": {
        "zh": "计数方式:当前筛选内文章中的每次提及计一次(别名合并为同一实体)。点击条形可查看原句。",
        "en": "How counted: every mention in the selected articles, aliases merged into one "
        "entity. Click a bar to see the sentences.",
    },
    "entities.per_outlet": {"zh": "各媒体比较", "en": "Outlets compared"},
    "entities.outlet_measure.share": {
        "zh": "提及该实体的文章占比",
        "en": "Share of the outlet's articles",
    },
    "entities.outlet_measure.count": {"zh": "提及次数", "en": "Mentions"},
    "entities.per_outlet_how.share": {
        "zh": "每格:该媒体在当前筛选中的文章里,提及该实体的文章所占比例(不受媒体大小影响)。"
        "媒体按文章总数排列;第 14 家以后合并为“其他媒体”。",
        "en": "Each cell: of the outlet's articles in the selection, the share that mention the "
        "entity (fair to small outlets). Outlets by size; beyond the 14th they are summed as "
        "“Other outlets”.",
    },
    "entities.per_outlet_how.count": {
        "zh": "每格:该实体在该媒体文章中的提及次数(大媒体自然更多;比较请用“占比”)。",
        "en": "Each cell: mentions of the entity in the outlet's articles (bigger outlets have "
        "more of everything; compare with “share”).",
    },
    "entities.heat_hover": {
        "zh": "提及它的文章 %{customdata[0]} / 该媒体文章 %{customdata[1]};提及 %{customdata[2]} 次",
        "en": "%{customdata[0]} of the outlet's %{customdata[1]} articles; %{customdata[2]} mentions",
    },
    "entities.trend": {"zh": "提及趋势", "en": "Mentions over time"},
    "entities.trend_pick": {"zh": "选择实体", "en": "Choose entities"},
    "entities.trend_measure.count": {"zh": "提及次数", "en": "Mentions"},
    "entities.trend_measure.share": {"zh": "提及它的文章占比", "en": "Share of articles"},
    "entities.trend_how.count": {
        "zh": "计数方式:所选实体每{period}(按文章发布日期)的提及次数;没有任何文章的时段不画条形。",
        "en": "How counted: mentions of the chosen entities per {period} (article publication "
        "date); a period without any article has no bar.",
    },
    "entities.trend_how.share": {
        "zh": "占比:每{period}所选文章中提及该实体的文章比例;没有任何文章的时段是断开的空白,而不是零。",
        "en": "Share: of the selected articles of each {period}, the part that mention the "
        "entity; a period without any article is a gap in the line, not a zero.",
    },
    "entities.trend_share_axis": {"zh": "提及它的文章占比", "en": "Share of articles"},
    "entities.trend_undated": {
        "zh": "{n} 篇无日期的文章不在图中。",
        "en": "{n} undated articles are not in the chart.",
    },
    "period.name.D": {"zh": "天", "en": "day"},
    "period.name.W": {"zh": "周", "en": "week"},
    "period.name.M": {"zh": "月", "en": "month"},
    "entities.search_it": {"zh": "在全文中搜索它 ↗", "en": "Search the texts for it ↗"},
    "entities.download_sentences": {
        "zh": "下载全部 {n} 句(CSV)",
        "en": "Download all {n} sentences (CSV)",
    },
    "list.page": {"zh": "页码(共 {pages} 页)", "en": "Page (of {pages})"},
    "list.showing": {"zh": "第 {first}–{last} 条,共 {n} 条", "en": "{first}–{last} of {n}"},
    "entities.sentences": {
        "zh": "提及“{name}”的句子({n} 句)",
        "en": "Sentences that mention “{name}” ({n})",
    },
    "entities.sentences_none": {"zh": "原句", "en": "Sentences"},
    "entities.sentences_hint": {
        "zh": "点击上方条形图中的一个实体,即可在此列出提及它的句子。",
        "en": "Click an entity's bar above to list the sentences that mention it.",
    },
    "entities.download": {"zh": "下载 CSV", "en": "Download CSV"},
    # articles page
    "articles.title": {"zh": "文章", "en": "Articles"},
    "articles.search": {"zh": "全文搜索", "en": "Search the text"},
    "articles.search_help": {
        "zh": "繁体和简体都可以;在标题和正文中查找",
        "en": "Simplified or Traditional; searches titles and text",
    },
    "articles.list_capped": {
        "zh": "下拉列表只列出最新的 {n} 篇;用搜索框或筛选缩小范围以找到其他文章。",
        "en": "The list offers the newest {n}; search or narrow the filters to reach the others.",
    },
    "articles.list_how": {
        "zh": "共 {n} 篇,按发布日期从新到旧。",
        "en": "{n} articles, newest first.",
    },
    "articles.no_match": {
        "zh": "没有文章包含“{q}”。",
        "en": "No article contains “{q}”.",
    },
    "articles.pick": {"zh": "选择文章", "en": "Choose an article"},
    "articles.dup_of": {
        "zh": "此文与下面这篇较早的文章近似重复(转载或改写):",
        "en": "This article near-duplicates (relays or rewrites) this earlier article:",
    },
    "articles.not_found": {
        "zh": "链接中的文章 {id} 不存在,已显示列表中的第一篇。",
        "en": "Article {id} from the link does not exist; showing the first one in the list.",
    },
    "articles.filtered_out": {
        "zh": "链接中的文章不在当前筛选范围内,仍予显示。",
        "en": "The linked article is outside the current filters; shown anyway.",
    },
    "articles.legend": {
        "zh": "高亮:人物、国家、机构、地点。",
        "en": "Highlighted: people, countries, organizations, places.",
    },
    "articles.meta": {"zh": "{source} · {date} · {script}", "en": "{source} · {date} · {script}"},
    "script.hans": {"zh": "简体", "en": "Simplified"},
    "script.hant": {"zh": "繁体", "en": "Traditional"},
}


def extend(strings: dict[str, dict[str, str]]) -> None:
    """Register more strings (a page's own). Later registrations win for the same key."""
    for key, by_lang in strings.items():
        missing = [lang for lang in LANGS if lang not in by_lang]
        if missing:
            raise ValueError(f"string {key!r} lacks languages {missing}")
        STRINGS[key] = dict(by_lang)


def t(key: str, lang: str = DEFAULT_LANG, **fields: object) -> str:
    """The string for ``key`` in ``lang``; an unknown key shows as itself (never crashes)."""
    by_lang = STRINGS.get(key)
    if by_lang is None:
        return key
    text = by_lang.get(lang) or by_lang[DEFAULT_LANG]
    return text.format(**fields) if fields else text


def normalize_lang(value: object) -> str | None:
    """The language code for a URL value, or None when it is not one we have."""
    if isinstance(value, str) and value.strip().lower() in LANGS:
        return value.strip().lower()
    return None
