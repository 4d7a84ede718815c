"""Page cleaning: boilerplate removal and line classes.

Each line of a raw page is tightened (spaces some sites put around words), converted to
Simplified for matching, dropped when it is page chrome (forum boilerplate, counters, image
file names, quote blocks, share bars), and classified: dateline, date line, byline, headline
or body. Splitting and the outlet and date decisions read these classes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..common.textnorm import (
    HAN,
    count_han,
    normalize_width,
    tighten_spaces,
    to_simplified,
)
from .pubdate import DATE_NUMBER, FULL_DATE

# --- line classes ------------------------------------------------------------------------

_BOILERPLATE = [
    re.compile(p)
    for p in [
        r"(马上|立即|免费)注册|没有账号|登录后才可以|才可以(下载|查看|回复|回帖)|本版积分规则|本帖隐藏内容|游客，?如果您要查看",
        r"^((登录|注册|返回列表|快速回复|回复|只看该作者|使用道具|举报|收藏|分享|点赞|打印|关闭窗口|上一篇|下一篇|上一主题|下一主题)[|｜/ ]*)+$",
        r"[0-9]+\s*人(阅读|回复|浏览|评论|围观)|(阅读|回复|浏览|查看|点击|评论)\s*[:：]?\s*[0-9]+\s*([|｜]|$)",
        r"^(发表于|發表於|本帖最后由|责任编辑|責任編輯|编辑[:：]|校对[:：]|版权所有|版權所有|copyright|©|all rights reserved|扫一扫|关注我们|相关阅读|相关新闻|相关内容|推荐阅读|热门推荐|分享到|分享|订阅|跳过此内容|图像来源|图片来源|图像加注文字|图片说明|签名[:：]|转载请注明)",
        r"^(首页|主页|当前位置[:：]?)\s*[>＞»/]|[>＞»]\s*正文$",
        # A breadcrumb trail: 人民网>>专题>>最新报道, 军事论坛 » 国际观察 » 标题.
        r"^[^。！？]*?(>>|＞＞|»|›)[^。！？]*(>>|＞＞|»|›)",
        r"^[【\[]?(责编|編輯|编辑)[:：]",
        r"版权所有|版權所有|all rights reserved|未经授权.{0,6}不得转载|只看该作者",
        r"^(小字号|大字号|中字号|字号[:：]|引用[:：]|阅读原文|点击关注|在看$)",
        # links to the previous and next stories: 上一篇：某某, - 下一篇:某某 2015/4/28
        r"^[-•·\s]*(上一篇|下一篇|上一条|下一条|上篇|下篇)\s*[:：]",
    ]
]
# Page chrome that is not boilerplate word for word, by class (each seen on many sites):
# - a photo caption or credit: ends with its credit in brackets ((档案图片), （图／达志影像／美联社）,
#   (浦田晃之介摄影)), opens with a caption mark (▲, 图为, 图：) or names the photographer
#   (新华社记者某某摄);
# - a cookie, privacy, browser or paywall notice;
# - an editor or proofreader line (编辑 某某, 责任编辑：某某, 【编辑:某某】);
# - a forum's poster panel (主题 / 帖子 / 积分 / 论坛元老 / Rank: 13 / 4万).
_CAPTION = re.compile(
    r"[（(][^()（）]{0,30}(?:摄影?|图片?|照片|档案|资料|供图|提供|photo|图源)[^()（）]{0,24}[)）]\s*[。.]?\s*$"
    r"|^(?:▲|△|▼|图为|图片为|图/|图：|图:|photo\s*[:：])"
    r"|(?:记者|通讯员|摄影师?)\s*\S{2,8}\s*摄[)）]?\s*$"
    # 总统蔡英文(右1)21日下午搭机出访。(中央社), 林佳龙（右）接见…（左）: where a person stands
    # in the picture, in a caption of one sentence
    r"|^[^。！？]*[\u4e00-\u9fff][（(](?:前排|后排|前|后)?[左右中](?:[一二三四五六七八九1-9]|起)?[)）]"
    r"[^。！？]*[。！？]?[^。！？]*$"
    # …前为候选人拉票，图为白鸽飞过他胸前。(加新社): what the picture shows, then its credit
    r"|[，,。；;]\s*图为[^()（）]{2,80}[（(][^()（）]{2,16}[)）]\s*[。.]?\s*$"
    r"|©\s*\S{2,16}?\s*(?:照片|图片|photo|(?:19|20)\d\d\s*/)",
    re.IGNORECASE,
)
_NOTICE = re.compile(
    r"cookie|隐私(?:权|政策|声明|条款|保护)|使用条款|浏览器|browser|阅读体验|您已阅读\s*\d+%"
    r"|订阅以继续|(?:继续|剩余)阅读|付费(?:阅读|订阅)"
    # Taiwan's age gate: 您即将进入之新闻内容需满18岁方可浏览, 电脑网路内容分级处理办法
    r"|满\s*18\s*岁(?:方可|才可|，?\s*进入|。?\s*离开)|未满\s*18\s*岁|内容分级处理办法|^限制级$"
    r"|^本(?:网站|站)(?:亦|也|将|会)?(?:提供|使用|采用|为|不|所)",
    re.IGNORECASE,
)
_EDITOR = re.compile(
    r"^[【\[(（]?(?:责任编辑|责编|(?:网络|网页|新媒体|值班|执行|文字|图片|撰稿)?编辑|编审|校对|审核|审校"
    r"|监制|主编|编译|翻译)"
    r"\s*[:：/／|]?\s*[^\s，。,:：]{2,4}(?:[\s、/]\S{2,4}){0,3}[】\])）]?$"
)
_FORUM_PANEL = re.compile(
    r"^(?:主题|帖子|积分|精华|金币|威望|贡献|在线时间|注册时间|最后登录|论坛元老|阅读权限|rank\s*[:：].*|uid\s*\d*|\d+(?:\.\d+)?\s*万?)$",
    re.IGNORECASE,
)
# A list of links to other stories starts here; its items are headlines, not this report.
_LINKS_HEADER = re.compile(
    r"^[【\[]?(?:(?:相关|推荐|延伸|热门|更多|最新|热点|猜你|编辑推荐|精彩|你可能|为你推荐|往期|本类|专题|今日|看更多)"
    r"[^\s，。,]{0,8}(?:阅读|新闻|推荐|文章|报道|内容|喜欢|专题|图片|视频|排行|要闻|链接|热点)?"
    r"|(?:新闻|文章|热门|精彩|编辑|小编|热点)推荐|(?:新闻|热门|点击|阅读)排行(?:榜)?)"
    r"[】\]]?\s*[:：>»]?$"
)

# Characters one of these must hold: a cheap test before the patterns, which cannot skip ahead.
_NOTICE_HINT = re.compile(r"[Cc隐条浏rB读阅费本满分限]")


def _is_caption(simplified: str) -> bool:
    if not (
        simplified.rstrip("。. ").endswith((")", "）", "摄"))
        or "左" in simplified
        or "右" in simplified
        or "中)" in simplified
        or "中）" in simplified
        or simplified[:1] in "▲△▼图pP"
        or "摄" in simplified
        or "©" in simplified
    ):
        return False
    return bool(_CAPTION.search(simplified))


_TRAILING_BRACKET = re.compile(r"[（(][^()（）]{0,40}[)）]\s*[。.]?\s*$")


def _paragraph_with_credit(simplified: str) -> bool:
    """Sentences of the report with their picture's credit glued on (…深入交换意见。(图/路透社)):
    a caption is one sentence, a paragraph two or more. The paragraph stays."""
    m = _TRAILING_BRACKET.search(simplified)
    # (a photographer's credit, 新华社记者某某摄, closes two-sentence captions: those stay chrome)
    return m is not None and sum(simplified[: m.start()].count(end) for end in "。！？") >= 2


# A navigation row: several short words separated by spaces or bars, no sentence punctuation.
_NAV_ROW = re.compile(r"^(?:[^\s|｜，。,.!?！？]{1,4}[\s|｜]+){4,}[^\s|｜，。,.!?！？]{1,4}$")
# An image file name, possibly followed by forum attachment details "(86.3 KB, 下载次数: 3)".
_IMAGE_LINE = re.compile(
    r"^[\w\-.()\[\] ]+\.(png|jpe?g|gif|webp|bmp|svg|tiff?)(\s*[(（][^)）]{0,40}[)）])?$",
    re.IGNORECASE,
)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
# A photo or video caption marked by an arrow or triangle pointing at the picture (▲普京与金正恩
# 握手。（图／路透）, ↓总统正在出席峰会↓), however long.
_CAPTION_MARK = re.compile(r"^[▲▼△▽↑↓]")
# "引用：某网友 发表于 ...": the lines below it, up to a blank line, quote another post.
_QUOTE_HEADER = re.compile(r"^(引用|引用自|quote)\s*[:：]", re.IGNORECASE)
_HAS_WORD = re.compile(rf"[{HAN}A-Za-z0-9]")
# Spam mirrors leak the pinyin of converted characters: 習(xí)近平, 網(wǎng).
_PINYIN_LEAK = re.compile(rf"(?<=[{HAN}])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{{1,6}}\)")
# A template's placeholders a page saved before its script ran: {{ isview_popup.firstLine }}.
_TEMPLATE_ONLY = re.compile(r"^(?:\s*(?:\{\{[^{}]*\}\}|\{%[^{}]*%\}|\$\{[^{}]*\}))+\s*$")
_PLAYER_NOTICE = re.compile(
    r"\s*(?:To view this video please enable JavaScript[^\n]{0,120}?supports HTML5 video\.?"
    r"|Your browser does not support the video tag\.?)\s*",
    re.IGNORECASE,
)
# Pictographs (⚾, ✕) on a button or beside a promotion's words (锁定, 订阅 ...); a title may
# carry one too (🔥习近平抵达莫斯科), so they alone decide nothing.
_PICTOGRAPH = re.compile("[\u2600-\u27bf\U0001f300-\U0001faff]")
_PROMOTION_WORDS = re.compile("锁定|订阅|下载|关注|点击|直播|频道|加入|追踪|看更多|按赞|分享")
_SHORT_LATIN = re.compile(r"^[A-Za-z]{1,2}$")  # the 'x' of a close button, stray 'OK'
TERMINAL = tuple("。！？!?；;…”」』\"'.")

# Dateline: [outlet][reporter][place][year?][month?]day 电/讯, e.g. 新华社北京7月19日电,
# 韩联社首尔7月9日电, 中央社记者王小明台北19日电, (法新社首尔19日).
# A relaying agency may close it (中央社北京29日法新电: AFP's dispatch, relayed by CNA); a
# roundup ends 综合外电报导 (中央社东京2日综合外电报导).
DATELINE = re.compile(
    r"^[（(【\[]?据?(?P<pre>[^，。,：:（）()\[\]【】\d据另]{0,24}?)\s*"
    rf"(?:(?P<y>(?:19|20)\d{{2}})年)?(?:(?P<m>{DATE_NUMBER})月)?(?P<d>{DATE_NUMBER})日\s*"
    r"(?:(?P<relay>法新|路透|美联|共同|韩联|塔斯|德新|埃菲|安莎|彭博|俄新|合众|卫星|加新)?(?(relay)社?)(?:专)?[电讯]"
    # unbracketed, the line is the dateline alone: 中央社巴黎1日综合外电报导
    r"|(?:综合外电|综合)?(?:报导|报道)(?=[）)】\]]|\s*$)|[）)】\]](?=\s*\S))"
)
# A date line: opens with a full date (after an optional 发布时间： / 发布/ label) and carries
# little else: a time, a weekday, 更新, or 来源：outlet.
# DPRK media prefix the Juche year: 主体113(2024)年7月21日.
DATE_LINE = re.compile(
    r"^(?:[^\d，。,]{0,6}?[:：/]\s*)?(?:主体\s*\d{1,3}\s*)?"
    # the clock first: 09:06 | 2024/08/18
    r"(?:[0-2]?\d:[0-5]\d(?::[0-5]\d)?\s*[|｜·]?\s*)?" + FULL_DATE.pattern + r"(?P<rest>.*)$"
)
DATE_LINE_SOURCE = re.compile(
    r"(?:来源|來源|稿源)\s*[:：]\s*(?P<src>[^|｜\s].{0,30}?)\s*(?:[|｜]|$)"
)
BYLINE = re.compile(
    r"^(?:(?:来源|來源|稿源|消息来源|出处|source)\s*[:：]\s*(?P<src>\S.{0,30})|[【\[](?P<bracket>[^】\]]{2,30})[】\]])",
    re.IGNORECASE,
)

# A byline line: short, opens with an outlet name (美国之音中文网/记者林澄, BBC News, 中文), or an
# outlet and place before a dash (美国之音华盛顿—).
BYLINE_MAX = 30


@dataclass
class Line:
    text: str  # as written, spaces tightened
    simplified: str
    kind: str = "body"  # dateline | date | headline | body
    dateline: re.Match | None = None


def _is_boilerplate(simplified: str, raw: str = "", spaced_page: bool = False) -> bool:
    if (
        not _HAS_WORD.search(simplified)
        or _SHORT_LATIN.match(simplified)
        or _TEMPLATE_ONLY.match(simplified)
        or (
            len(simplified) <= 60
            and _PICTOGRAPH.search(simplified)
            and (count_han(simplified) <= 4 or _PROMOTION_WORDS.search(simplified))
        )
    ):
        return True
    if len(simplified) <= 200 and (
        (_is_caption(simplified) and not _paragraph_with_credit(simplified))
        or (_NOTICE_HINT.search(simplified) and _NOTICE.search(simplified))
        or _EDITOR.match(simplified)
        or _FORUM_PANEL.match(simplified)
    ):
        return True
    # On a page that puts spaces around every word, a headline looks like a navigation row.
    if raw and not spaced_page and _NAV_ROW.match(raw.strip()):
        return True
    if _IMAGE_LINE.match(simplified) or _CAPTION_MARK.match(simplified):
        return True
    if len(simplified) <= 80:
        return any(p.search(simplified.casefold()) for p in _BOILERPLATE)
    return False


def _classify(line: Line) -> None:
    s = line.simplified
    m = DATELINE.match(s)
    if m and count_han(m.group(0)) >= 2:
        line.kind, line.dateline = "dateline", m
        return
    m = DATE_LINE.match(s)
    if m and count_han(DATE_LINE_SOURCE.sub("", m["rest"])) <= 8:
        line.kind = "date"
        return
    if BYLINE.match(s) and len(s) <= BYLINE_MAX + 10 and not s.endswith(TERMINAL):
        line.kind = "byline"
        return
    if (
        count_han(s) >= 4
        and len(s) <= 50
        and not s.endswith(TERMINAL)
        and "，" not in s
        and "," not in s
    ):
        line.kind = "headline"


_HAN_SPACE_HAN = re.compile(f"[{HAN}] +[{HAN}]")


def _is_spaced_page(raw_lines: list[str]) -> bool:
    """True when the page puts spaces between Chinese words in its running text (as some
    forums do): in at least a third of the lines that hold sentences."""
    sentences = [ln for ln in raw_lines if count_han(ln) >= 15]
    if not sentences:
        return False
    spaced = sum(1 for ln in sentences if len(_HAN_SPACE_HAN.findall(ln.strip())) >= 3)
    return spaced * 3 >= len(sentences)


def clean_page(text: str) -> tuple[list[Line], list[str]]:
    """Cleaned content lines, and the boilerplate lines removed (they may hold the page date)."""
    kept: list[Line] = []
    removed: list[str] = []
    # A video player's fallback notice (video.js) glues the page's parts into one line.
    raw_lines = _PLAYER_NOTICE.sub("\n", normalize_width(text)).splitlines()
    spaced_page = _is_spaced_page(raw_lines)
    in_quote = in_links = False
    for raw in raw_lines:
        if "(" in raw:
            raw = _PINYIN_LEAK.sub("", raw)
        tight = _MARKDOWN_HEADING.sub("", tighten_spaces(raw))
        if not tight:
            in_quote = False  # a forum quote block ends at a blank line
            continue
        simplified = to_simplified(tight)
        raw_simplified = simplified if raw == tight else to_simplified(raw)
        if in_links and not _is_sentence(simplified):
            removed.append(simplified)  # an item of a related-links list
            continue
        in_links = bool(_LINKS_HEADER.match(simplified))
        if in_links or in_quote or _is_boilerplate(simplified, raw_simplified, spaced_page):
            in_quote = in_quote or bool(_QUOTE_HEADER.match(simplified))
            removed.append(simplified)
            continue
        if (
            kept
            and simplified == kept[-1].simplified
            and (credit := _TRAILING_BRACKET.search(simplified))
            and simplified[: credit.start()].rstrip().endswith(("。", "！", "？"))
        ):
            # the same credited line twice running: a picture's alternative text and caption
            removed += [kept.pop().simplified, simplified]
            continue
        line = Line(tight, simplified)
        _classify(line)
        kept.append(line)
    # A title with commas is still the title when a date line follows it.
    for above, below in zip(kept, kept[1:], strict=False):
        if above.kind == "body" and below.kind == "date" and _is_title(above.simplified):
            above.kind = "headline"
    return kept, removed


def _is_sentence(simplified: str) -> bool:
    """Running text (a link list's item is a headline: short, no full stop)."""
    return count_han(simplified) >= 30 or simplified.endswith(("。", "”", "」"))


def _is_title(simplified: str) -> bool:
    return (
        count_han(simplified) >= 4 and len(simplified) <= 50 and not simplified.endswith(TERMINAL)
    )


def has_body(lines: list[Line]) -> bool:
    return any(ln.kind in ("body", "dateline") and count_han(ln.simplified) >= 15 for ln in lines)
