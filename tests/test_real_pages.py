"""Pages as they are saved from the web: who published them, when, what is chrome, and the
visits they tell. Every page here is written for the test (the shapes of real pages, our words).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.ingest.articles import document_drafts
from dashboard.ingest.outlets import load_registry
from dashboard.ingest.pipeline import ingest
from dashboard.ingest.readers import RawDocument, read_file
from dashboard.ingest.report import IngestReport
from dashboard.tables import store

BODY = "两国领导人就双边关系和共同关心的国际地区问题深入交换意见，同意加强各领域务实合作。"


def drafts(text: str, name: str = "page.txt", meta: dict | None = None):
    doc = RawDocument(name, "page", text, "utf-8", meta=meta or {})
    return document_drafts(doc, load_registry())


def one(text: str, **kw):
    found = drafts(text, **kw)
    assert len(found) == 1, [d.lines[0].text for d in found]
    return found[0]


def outlet(text: str, **kw) -> str | None:
    source = one(text, **kw).source
    return source.id if source else None


# ---------------------------------------------------------------- outlets


@pytest.mark.parametrize(
    "page, expected",
    [
        # a relayed agency closes the dateline: AFP's dispatch, carried by CNA
        (f"（中央社北京12日法新电）法国外长抵达北京。{BODY}", "AFP"),
        # a site's masthead dateline over the agency's: the agency wrote it
        (f"【大纪元3月2日讯】（中央社台北2日电）外交部长今天出访。{BODY}", "CNA"),
        # 据新华社…电 inside another outlet's page
        (f"据新华社莫斯科5月8日电 俄罗斯总统会见来访的外长。{BODY}", "Xinhua"),
        # place first, the agency after it
        (f"首尔5月3日电（韩联社）韩国外长会见日本外相。{BODY}", "Yonhap"),
        # a reporter's byline beats the hosting site's source line
        (f"访欧纪实\n新华社记者王某某\n2024年05月13日 来源：人民网\n{BODY}{BODY}", "Xinhua"),
        # the source inside a date line
        (f"两国外长举行会谈\n发布时间：2016-03-02 10:11 来源：新华网 作者：某某\n{BODY}", "Xinhua"),
        # the opening names it; also under a title read as a paragraph (a question mark)
        (f"央视新闻客户端消息，俄罗斯外长当天抵达北京。{BODY}", "CCTV"),
        (
            f"两国外长时隔五年再会晤?\n中新網消息,據外媒報道,俄罗斯外长抵达北京。{BODY}",
            "China News Service",
        ),
        # a closing attribution
        (f"俄乌代表团在伊斯坦布尔举行会谈。{BODY}（央视新闻）", "CCTV"),
        (f"外长会谈取得成果。{BODY}\n据中新社", "China News Service"),
        # a forum repost's source line: the outlet and its date open the text
        (f"[转贴] 外长会谈\n中央社  2022/12/23  两国外长今天会谈。{BODY}", "CNA"),
        (f"外长会谈\n法新社 2022-11-04 08:56\n{BODY}{BODY}", "AFP"),
        # ... but a paper's masthead and edition date yield to a closing attribution
        (f"齐鲁晚报 2024年05月17日\n外长会谈\n{BODY}{BODY}\n据中新社", "China News Service"),
        # a name that is an ordinary word inside text counts only standing alone
        (f"川普访问日本\n国际中心 2019年04月25日\n来源：上报\n{BODY}", "Up Media"),
        # the outlet, a slash and its desk or reporter; an unbracketed dateline alone on its line
        (f"外长会谈\n聯合報／ 編譯高某某／即時報導\n{BODY}{BODY}", "United Daily News"),
        (f"外长会谈\n中央社巴黎1日綜合外電報導\n{BODY}{BODY}", "CNA"),
        (f"外长会谈\n中央社／ 華盛頓18日綜合外電報導\n{BODY}{BODY}", "CNA"),
        # the closing credit ends the last paragraph; page widgets follow it
        (f"外长会谈\n{BODY}{BODY}(总台记者 王某某)\n上一篇:某某\n•评论\n游客评论", "CCTV"),
        # republished with permission, or copied from the original
        (f"外长会谈\n{BODY}{BODY}\n延伸阅读:\n本文获「香港01」授权转载。", "HK01"),
        (f"外长会谈\n{BODY}{BODY}\n本文转载自联合早报", "Lianhe Zaobao"),
        # a closing source line above an editor's line and a template's placeholders
        (
            f"外长会谈\n{BODY}{BODY}\n(来源:新华社)\n网络编辑:邵某某\n"
            "{{ isview_popup.firstLine }}\n{{ isview_popup.buttonText }}",
            "Xinhua",
        ),
        # an agency named after the day (Canada's Chinese papers), below a picture's caption
        (
            "总理访华\n总理出发前为候选人拉票，图为白鸽飞过总理胸前。(加新社)\n"
            f"（渥太华2日加新社电）{BODY}{BODY}",
            "Canadian Press",
        ),
        # a page glued into one line by a video player's notice; a reporter travelling along
        (
            "外长抵达伦敦 2024年09月10日 To view this video please enable JavaScript, and "
            f"consider upgrading to a web browser that supports HTML5 video 【有线新闻】{BODY}{BODY}",
            "i-Cable News",
        ),
        (f"總統出訪友邦\n華視隨團記者朱某某\n{BODY}{BODY}", "CTS"),
        # a source label with the bar of pages copied from WeChat
        (f"外长会谈\n来源丨央视新闻客户端\n{BODY}{BODY}", "CCTV"),
        (f"中国外交部网站消息，{BODY}{BODY}", "MFA China"),
        # an outlet, a spaced hyphen, then the report
        (f"总书记访华\nVGP - 8月18日上午，{BODY}{BODY}", "VGP"),
        # a stored page's opening date line does not hide the masthead after it
        (f" date 2024-04 【有线新闻】\n{BODY}{BODY}", "i-Cable News"),
        # a byline under a list of the site's other headlines, seven lines down
        (
            "快訊\n師資荒延燒\n東北季風增強\n油價下周調漲\n颱風最新路徑\n日相今會美總統\n"
            f"經濟日報／ 編譯林某某／綜合外電\n{BODY}{BODY}",
            "Economic Daily",
        ),
        # a broadcaster's bracketed name and a dash opening the lead
        (f"越南国家主席访问老挝\n(VOVworld)- 应老挝邀请，{BODY}{BODY}", "VOV"),
    ],
)
def test_the_publisher_is_read_from_what_the_article_says(page, expected):
    assert outlet(page) == expected


@pytest.mark.parametrize(
    "page",
    [
        # a title that opens with an agency it quotes
        f"新华社证实韩国总统将访华四天\n2019-01-08 07:43\n{BODY}{BODY}",
        f"朝中社：两国签署新协定\n{BODY}{BODY}",
        # only quoted in the text
        f"据路透社报道，两国外长当天举行会谈。{BODY}",
        # 上报 as a verb is no outlet
        f"外交部已将此事上报国务院。{BODY}",
        # a paragraph opening "X reported," quotes X
        f"韓聯社報道,南韓總統今日乘專機飛往美國,開啟訪美之旅。{BODY}",
        f"法新社報導，兩國外長當天在巴黎會談。{BODY}",
        # an outlet and a date inside a sentence: quoted
        f"据新华社2024年5月13日报道，两国外长当天会谈。{BODY}",
        # a photo's source names who took the picture
        f"两国元首举行会谈。{BODY}\n两国元首握手。(图片来源:Getty)",
        f"两国外长会谈\n题图来源：视觉中国\n{BODY}{BODY}",
        f"两国外长会谈\n图片来源：路透社\n{BODY}{BODY}",
        # a reporter of the other side is no outlet
        f"两国外长会谈\n{BODY}外长对日本记者表示，会谈富有成果。{BODY}",
        # told to an outlet (another outlet quoting it), an agency's report heading a reprint
        f"两国外长会谈\n{BODY}一名美国官员对路透社表示，双方还讨论了出口管制。{BODY}",
        f"两国外长会谈\n{BODY}总统接受美国有线电视新闻网采访时说，会谈富有成果。{BODY}",
        f"两国外长会谈\n美联社报道：{BODY}{BODY}",
        # a picture's copyright, and the credit closing a picture's description
        f"两国外长会谈\n{BODY}{BODY}\n,图片版权REUTERS",
        f"两国外长会谈\n{BODY}{BODY}\n这张朝中社发布的照片中，两国领导人握手。（Reuters）",
    ],
)
def test_an_outlet_only_quoted_is_not_the_publisher(page):
    assert outlet(page) is None


@pytest.mark.parametrize(
    "page, name, expected",
    [
        (f"两国外长会谈\n{BODY}\n《星岛头条》APP已推出最新版本", "p.txt", "Sing Tao"),
        (f"外长会谈在北京举行 - RTHK\n{BODY}{BODY}", "p.txt", "RTHK"),
        (f"两国外长会谈\n{BODY}{BODY}\n© 2024 BBC. 版权所有", "p.txt", "BBC"),
        # the site's domain, from the name the page was saved under
        (f"两国外长会谈\n{BODY}{BODY}", "news.ltn.com.tw_news_world_4426374.txt", "Liberty Times"),
        (
            f"中英会晤\n【本报综合报道】{BODY}{BODY}",
            "orientaldaily.on.cc_cnt_china_world_20151023_00178_009.html.txt",
            "Oriental Daily News",
        ),
        # a copyright line writing a two-word name run together
        (
            f"两国外长会谈\n{BODY}{BODY}\nCopyright © 2025 SingTao Ltd. All rights reserved",
            "p.txt",
            "Sing Tao",
        ),
        # the site's app named without brackets
        (f"两国外长会谈\n{BODY}{BODY}\n下载法广应用程序跟踪国际时事", "p.txt", "RFI"),
        # told to the outlet's own reporter, and nothing else names a publisher
        (
            f"两国外长会谈\n{BODY}一位学者告诉中新社记者，两国关系稳定。{BODY}",
            "p.txt",
            "China News Service",
        ),
        # ... or to the outlet by name, past a picture's copyright
        (
            f"两国首脑会晤\n,图片版权REUTERS\n{BODY}一位教授对BBC中文说，两国关系稳定。{BODY}",
            "p.txt",
            "BBC",
        ),
        # a broadcaster's own lead: its name, 报道 and a colon
        (f"两国首脑会晤\n韩国国际广播电台报道：{BODY}{BODY}", "p.txt", "KBS"),
    ],
)
def test_a_one_article_page_is_the_sites_when_the_article_names_none(page, name, expected):
    assert outlet(page, name=name) == expected


@pytest.mark.parametrize(
    "page, expected",
    [
        # a source line or a masthead naming a publisher nobody registered: shown by its name
        (
            f"两国总理会谈\n2024-04-15 04:08:47   来源:欧亚新侨网 :某某 编译\n{BODY}{BODY}",
            "欧亚新侨网",
        ),
        (f"两国总理会谈\n{BODY}{BODY}\n（来源：南洋侨声报）", "南洋侨声报"),
        (f"国王访华\n【看见老挝 VisionLao】{BODY}{BODY}", "看见老挝"),
        (f"总理访华\n【看東南亞2018年4月27日訊】{BODY}{BODY}", "看东南亚"),
        # ... but not what only sits where a publisher would
        (f"两国总理会谈\n来源：网络\n{BODY}{BODY}", ""),
        (f"两国总理会谈\n来源: 综合编译\n{BODY}{BODY}", ""),
        (f"两国总理会谈\n图片来源：某某图片网\n{BODY}{BODY}", ""),
        (f"两国总理会谈\n【疫外更忙】{BODY}{BODY}", ""),
        (f"两国总理会谈\n【本报讯】{BODY}{BODY}", ""),
        (f"两国总理会谈\n【新闻快讯】{BODY}{BODY}", ""),
        (f"两国总理会谈\n【温馨提示 Tips】{BODY}{BODY}", ""),
    ],
)
def test_a_publisher_the_registry_does_not_know_is_shown_by_its_name(page, expected):
    found = one(page)
    assert found.source is None and found.source_name == expected


def test_a_masthead_names_an_outlet_registered_by_a_name_that_is_also_a_phrase():
    # 看中国 ("look at China") is Vision Times' name only standing whole, as in its masthead
    assert outlet(f"总理访华\n【看中國2018年4月27日訊】{BODY}{BODY}") == "Vision Times"
    assert outlet(f"外长会谈\n{BODY}我们要客观地看中国的发展。{BODY}") is None


def test_every_report_on_a_registered_outlets_own_site_that_names_none_is_the_sites():
    # a subheading splits the page in two; neither part names a publisher of its own
    page = (
        f"首相将访华\n(博鳌28日讯)首相明天展开访问中国的行程。{BODY}\n"
        f"将在论坛发表演词\n2023年3月29日\n首相周四将在论坛年会上发表演词。{BODY}"
    )
    found = drafts(page, name="www.sinchew.com.my_20230329_1.txt")
    assert len(found) == 2
    assert [d.source.id if d.source else None for d in found] == ["Sin Chew Daily"] * 2
    # ... but a report that names its own publisher keeps it
    page = f"首相将访华\n{BODY}{BODY}\n外长会谈\n（中央社东京5日电）两国外长今天会谈。{BODY}"
    found = drafts(page, name="www.sinchew.com.my_20230329_1.txt")
    assert [d.source.id if d.source else None for d in found][-1] == "CNA"


def test_a_link_written_on_a_page_is_not_the_pages_site():
    page = (
        f"外长会谈\n{BODY}{BODY}\n原文链接：\nhttps://www.rfa.org/mandarin/1.html\n"
        f"外长会谈二\n2024年5月3日\n{BODY}{BODY}"
    )
    found = drafts(page, name="bbs.example.com_thread_1.txt")
    assert len(found) == 2 and all(d.source is None for d in found)


def test_a_photo_credit_is_no_copyright():
    page = f"两国外长会谈\n{BODY}{BODY}\n© AFP 2023 / KAZUHIRO NOGI"
    assert outlet(page) is None


def test_the_site_of_an_unknown_publisher_is_kept_for_display(tmp_path):
    (tmp_path / "www.example-news.com.tw_2024_5.txt").write_text(
        f"两国外长会谈\n{BODY}{BODY}", encoding="utf-8"
    )
    ingest([tmp_path], tmp_path / "out")
    row = store.load_tables(tmp_path / "out", ("articles",))["articles"].iloc[0]
    assert row["source"] == "unknown" and row["site"] == "example-news.com.tw"


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "page, expected",
    [
        # the header clock says when the page was viewed; the labelled line when it was posted
        (
            f"2024年04月19日 星期五\n外长会谈\n发布时间：2015-09-23 03:32:02\n{BODY}",
            date(2015, 9, 23),
        ),
        (f"北京时间 6:41 2024年9月22日\n外长会谈\n2021-06-23\n{BODY}", date(2021, 6, 23)),
        # a paper's edition date under its masthead, when nothing else dates the page
        (f"每日明报 国际\n2024年7月29日星期一\n外长会谈\n{BODY}", date(2024, 7, 29)),
        # a forum post line with its counters
        (f"外长会谈\n512 人阅读 | 3 人回复 | 2024-07-24\n{BODY}", date(2024, 7, 24)),
        # a thread is dated by its first post, not by a reply kept with the text
        (
            f"外长会谈\n发表于2016-4-29 19:36:08 | |阅读模式\n{BODY}{BODY}\n"
            "此君可能是下届首相\n101605hd 发表于2016-5-1 16:56\n好好谈",
            date(2016, 4, 29),
        ),
        # the update time above the publication time
        (
            f"外长会谈\n更新时间:08:40 2019-10-12 HKT\n发布时间:19:52 2019-10-11 HKT\n{BODY}",
            date(2019, 10, 11),
        ),
        (f"外长会谈\n最后更新时间:2018/08/13 09:23\n{BODY}", date(2018, 8, 13)),
        # English, day-first and ROC forms
        (f"外长会谈 Mar 14, 2023\n{BODY}", date(2023, 3, 14)),
        (f"外长会谈\nLast modified on Monday, 21 April 2025 11:08\n{BODY}", date(2025, 4, 21)),
        (f"外长会谈\n发布日期：民国112年5月3日\n{BODY}", date(2023, 5, 3)),
        # a stored page opens with its date; the dateline's day is placed in its month
        (f" date 2024-04-16\n（中央社华盛顿15日专电）{BODY}", date(2024, 4, 15)),
        (f" date 2024-04\n（中央社华盛顿16日专电）{BODY}", date(2024, 4, 16)),
        # the closing stamp after the editors' credit (ROC year 112) places the dateline's day
        (
            f"（中央社东京2日综合外电报导）{BODY}{BODY}(译者:某某/核稿:某某)1120502",
            date(2023, 5, 2),
        ),
        (f"两国外长会谈\n{BODY}{BODY}（编辑：某某）1130131", date(2024, 1, 31)),
        # slashed dates with the year last, when only one reading is possible
        (f"外长会谈\n美国新闻中心\n6/17/2023\n{BODY}", date(2023, 6, 17)),
        (f"外长会谈\n星期二, 12/12/2023 15:30\n{BODY}", date(2023, 12, 12)),
        (f"外长会谈\n25/10/2022\n{BODY}", date(2022, 10, 25)),
        # a site's address beside the timestamp; a source stamp opening the report
        (f"外长会谈\nhttp://www.example-news.com   2023-05-07 14:08:22\n{BODY}", date(2023, 5, 7)),
        (f"外长会谈\n中央社  2022/12/23  {BODY}{BODY}", date(2022, 12, 23)),
        # the time before the date, under a long menu of the site's regions
        (
            "\n".join(f"  • Province {i}" for i in range(50))
            + f"\n外长会谈\n09:06 | 2024/08/18\n{BODY}{BODY}",
            date(2024, 8, 18),
        ),
    ],
)
def test_the_publication_date_is_the_pages_not_its_clock(page, expected):
    assert one(page).published == expected


@pytest.mark.parametrize(
    "url, expected",
    [
        ("www.cna.com.tw_news_aopl_202306180012.aspx.txt", date(2023, 6, 18)),
        # an id opening with the day, then its time and a serial
        ("https://news.example.com.tw/intl/202301/202301052129041.html", date(2023, 1, 5)),
        ("https://cn.example.co.kr/view/ACK20211006000200881", date(2021, 10, 6)),
        ("https://hk.example.cc/cnt/bkn-20231106180102504-1106_00952_001.html", date(2023, 11, 6)),
        # a number too long to open with a day, or no valid day in it
        ("https://www.example.com/news/2023010521290412345678.html", None),
        ("https://www.example.com/a/20231345.html", None),
    ],
)
def test_a_date_in_the_address_dates_a_page_that_says_nothing_else(url, expected):
    page = f"外长会谈\n{BODY}{BODY}"
    if url.startswith("http"):
        assert one(page, meta={"url": url}).published == expected
    else:
        assert one(page, name=url).published == expected


def test_a_pictures_caption_stamp_names_the_outlet_and_the_first_one_dates_the_page():
    """Sputnik's pages print "caption - 俄罗斯卫星通讯社, 1920, 16.03.2023" under each picture
    (the outlet, the picture's width, the day); a later picture may be older."""
    page = (
        f"韩国总统抵达东京\n韩国总统飞抵东京，将与日本首相举行会谈 - 俄罗斯卫星通讯社, 1920, 16.03.2023\n"
        f"{BODY}\n"
        f"韩国总统 - 俄罗斯卫星通讯社, 1920, 14.03.2023\n{BODY}"
    )
    found = one(page)
    assert (found.source.id, found.published) == ("Sputnik", date(2023, 3, 16))
    # A stamp of an outlet nobody registered names no outlet.
    assert one(page.replace("俄罗斯卫星通讯社", "某某图片社")).source is None


def test_each_report_of_a_bundle_keeps_its_own_date_line():
    """A forum post or a database export: the first report's date line is not a date the
    later reports may not pass; a header clock (a date with its weekday) still yields."""
    page = (
        f"日本外相会见菲律宾外长\n2024-05-18\n新华社东京5月18日电 日本外相18日会见菲律宾外长。{BODY}\n"
        f"韩国总统抵达河内\n2024-06-22\n（中央社河内6月22日综合外电报导）韩国总统22日抵达河内。{BODY}"
    )
    assert [d.published for d in drafts(page)] == [date(2024, 5, 18), date(2024, 6, 22)]
    clock = f"2024年04月19日 星期五\n外长会谈\n发布时间：2015-09-23 03:32:02\n{BODY}"
    assert one(clock).published == date(2015, 9, 23)
    # ... and the dateline's day is placed by the date line, not by the clock above it
    dispatch = (
        f"2024年04月25日星期四\n两国首脑会晤\n发布时间:2014-10-01 07:50:00\n"
        f"本报纽约9月29日电(驻美记者某某){BODY}"
    )
    assert one(dispatch).published == date(2014, 9, 29)


def test_a_sentence_opening_with_a_date_does_not_date_the_page():
    assert one(f"外长会谈\n截至2023/05/07，已有三国表态支持。{BODY}{BODY}").published is None


def test_no_date_rather_than_a_guess():
    assert one(f"外长会谈\n{BODY}{BODY}").published is None
    # 3/4/2023 is 3 April in some countries and 4 March in others
    assert one(f"外长会谈\n3/4/2023\n{BODY}{BODY}").published is None


# ---------------------------------------------------------------- chrome


@pytest.mark.parametrize(
    "chrome",
    [
        "本网站使用相关技术提供更好的阅读体验，同时尊重使用者隐私，点这里了解隐私声明。",
        "首相在机场迎接来访的中国国家主席（档案图片）。",
        "▲两国领导人在会谈前握手致意，会谈持续了大约两个小时。",
        "两国外长在联合记者会上回答提问。新华社记者王某摄",
        "责任编辑：张某某",
        "人民网>>国际>>正文",
        "网络编辑：邵某某",
        # a caption telling where each person stands; Taiwan's age gate
        "外交部長林某某（右）接見捷克眾議院副議長（左），就雙邊關係交換意見。",
        "您即將進入之新聞內容需滿18歲方可瀏覽。",
        "{{ isview_popup.firstLine }}{{ isview_popup.highlight }}",
        # a promotion marked with pictographs between two paragraphs of the report
        "⚾世界棒球12強⚾超級循環賽 鎖定 CH51 東森新聞",
        # links to the stories before and after, with their titles
        "上一篇：日本防卫省公布雷达照射事件视频 下一篇：泰国大选日期或再推迟",
        "- 下一篇:特斯拉推出家用电池 让用户不怕停电 2015/4/30",
    ],
)
def test_page_chrome_never_becomes_an_article(chrome):
    found = drafts(f"{chrome}\n外长会谈\n（中央社台北2日电）{BODY}{BODY}")
    assert len(found) == 1
    assert chrome[:8] not in "".join(ln.text for ln in found[0].lines)


@pytest.mark.parametrize(
    "line",
    [
        "韩国法律规定，年满18岁的男性须服兵役，两国就此交换了意见。",
        "🔥习近平抵达莫斯科",
    ],
)
def test_a_line_that_only_looks_like_chrome_stays(line):
    assert line[:8] in "".join(ln.text for ln in one(f"外长会谈\n{line}\n{BODY}{BODY}").lines)


def test_a_title_twice_with_its_bracket_stays():
    page = f"两国元首会晤（更新）\n两国元首会晤（更新）\n{BODY}{BODY}"
    assert "会晤" in "".join(ln.text for ln in one(page).lines)


def test_a_credited_caption_twice_running_is_no_attribution():
    caption = "總統蔡英文(右1)21日下午搭機出訪南太友邦。(中央社)"
    page = f"總統出訪\n{BODY}\n{caption}\n{caption}\n{BODY}"
    assert outlet(page) is None
    assert "搭機" not in "".join(ln.text for ln in one(page).lines)


def test_a_photo_story_of_two_sentences_with_positions_is_kept():
    text = "美國眾議員傑克森(右一)、卡納(右二)周日訪問台灣，外交部司長(左一)到場迎接。外交部發新聞稿表示歡迎。"
    assert "傑克森" in "".join(ln.text for ln in one(f"眾議員訪台\n{text}").lines)


def test_a_paragraph_with_its_pictures_credit_glued_on_is_kept():
    # the page's only paragraph: dropping it as a caption lost the whole report
    found = drafts(f"外长会谈\n{BODY}{BODY}(图/路透社)\n上一篇:某某\n游客评论")
    assert len(found) == 1 and BODY in "".join(ln.text for ln in found[0].lines)


def test_the_sites_summary_above_the_dateline_is_the_reports():
    # the summary restates the report: long as it is, it is no report of its own
    lead = f"应邀请，行政长官10日率团启程前往葡萄牙访问。{BODY}"
    page = f"行政长官访问葡萄牙\n2016-09-12 来源:中新社\n【导读】{lead}\n中新社澳门9月10日电 {lead}{BODY}"
    found = one(page)
    assert found.published == date(2016, 9, 10)


def test_a_list_of_other_stories_below_the_report_makes_no_second_article():
    # one of the headlines opens with its column's bracket, as a byline would
    stories = "\n".join(
        [
            "特区政府举办交流会三司长齐出席多位新丁议员发言",
            "三项控罪均裁定成立他会被怎样判刑?",
            "逾千学生参加全港公民教育常识问答比赛",
            "【通说环球】陆续上新!大湾区世界级机场群来了",
            "学生共悼念南京大屠杀死难者",
        ]
    )
    page = f"行政长官启程出访\n（中央社台北2日电）{BODY}\n香港中通社图片\n{BODY}\n视频\n{stories}"
    assert len(drafts(page)) == 1


def test_a_closing_attribution_after_a_word_with_tu_zhong_stays():
    # 企图中伤 holds 图中 but describes no picture: the closing (新华社) names the publisher
    assert (
        outlet(
            f"外长会谈\n{BODY}{BODY}汪某某说，一些政客企图中伤两国关系，这注定是徒劳的。（新华社）"
        )
        == "Xinhua"
    )


def test_a_related_links_list_is_not_part_of_the_report():
    links = "\n".join(["新闻推荐", "› 菲律宾新总统将与北京谈判", "› 七国集团峰会在日本登场"])
    found = one(f"外长会谈\n{BODY}{BODY}（中央社）\n{links}")
    assert "菲律宾" not in "".join(ln.text for ln in found.lines)
    assert found.source.id == "CNA"  # the closing attribution stays the last line


def test_a_title_and_caption_above_the_dateline_belong_to_the_report():
    page = f"安华谈中马关系\n首相拿督斯里安华。首相拿督斯里安华。\n（吉隆坡21日讯）{BODY}{BODY}"
    assert len(drafts(page)) == 1


def test_a_forums_poster_panel_is_chrome():
    panel = "\n".join(["找回密码", "4万", "主题", "8万", "帖子", "积分", "论坛元老", "Rank: 13"])
    found = drafts(f"{panel}\n中新网5月16日电 {BODY}{BODY}")
    assert len(found) == 1 and found[0].source.id == "China News Service"


def test_a_page_saved_as_html_source_is_read_as_html(tmp_path):
    html = "".join(
        f"<p style='font-size: 19px'>{BODY}</p><div><a href='#'>x</a></div>" for _ in range(3)
    )
    (tmp_path / "page.txt").write_text(html, encoding="utf-8")
    docs = list(read_file(tmp_path / "page.txt", tmp_path, IngestReport()))
    assert docs and "<p" not in docs[0].text and BODY[:10] in docs[0].text


def test_pinyin_leaked_by_a_mirror_is_dropped():
    found = one(f"習(xí)近平會(huì)見外長\n發(fā)佈時(shí)間：2023-09-02\n{BODY}{BODY}")
    assert found.published == date(2023, 9, 2)
    assert "(xí)" not in found.lines[0].text


# ---------------------------------------------------------------- events


def events_of(tmp_path: Path, text: str):
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "page.txt").write_text(text, encoding="utf-8")
    ingest([tmp_path / "docs"], tmp_path / "out", incremental=False)
    events = store.load_tables(tmp_path / "out", ("events",))["events"]
    return [
        (e.kind, e.from_country, e.to_country, e.date if isinstance(e.date, date) else None)
        for e in events.itertuples()
    ]


def encounters(tmp_path: Path, text: str) -> set[tuple[str, str, str]]:
    """(kind, from, to) of the events of ``text``, dates left out."""
    return {(kind, a, b) for kind, a, b, _ in events_of(tmp_path, text)}


DATED = "外长会谈\n发布时间：2023-03-22 10:00\n"


def test_an_undated_visit_still_counts(tmp_path):
    found = events_of(tmp_path, f"外长会谈\n韩国外交部长官访问日本，与日本外相举行会谈。{BODY}")
    assert ("visit", "KOR", "JPN", None) in found


def test_a_date_written_out_needs_no_publication_date(tmp_path):
    text = f"两国关系\n2024年6月19日，俄罗斯总统普京抵达平壤，开始对朝鲜进行国事访问。{BODY}"
    assert ("visit", "RUS", "PRK", date(2024, 6, 19)) in events_of(tmp_path, text)


@pytest.mark.parametrize(
    "text, expected",
    [
        # the year its sentence states
        (
            "欧洲之行回顾\n3月21日，国家主席习近平抵达罗马，开始对意大利进行国事访问，"
            "这是他2019年的首次出访。",
            ("visit", "CHN", "ITA", date(2019, 3, 21)),
        ),
        # none in its sentence: the background years come first; the report's own year is the
        # latest the text names
        (
            "外长访华\n韩国外交部长官5月13日至14日访问北京，与中国外长举行会谈。"
            "这是自2023年11月以来两国外长首次会面，双方在2024年2月曾通电话。",
            ("visit", "KOR", "CHN", date(2024, 5, 13)),
        ),
        # a year ahead is not the report's, and a count from a month places the day after it
        (
            "首相访韩\n日本首相5月26日访问韩国，与韩国总统举行会谈。这是两国领导人自2023年11月"
            "在旧金山会面以来的首次会晤。两国在2025年即将迎来建交60周年。",
            ("visit", "JPN", "KOR", date(2024, 5, 26)),
        ),
        # a year planned ahead is not the report's, written before or after its year
        (
            "外长访华\n韩国外长5月13日访问北京，与中国外长举行会谈。两国计划在2026年前完成"
            "自贸协定谈判。这是两国2024年首次外长会谈。",
            ("visit", "KOR", "CHN", date(2024, 5, 13)),
        ),
        # a late month of the stated year stays in it
        (
            "首相访韩\n日本首相12月13日访问韩国。这是两国领导人2023年的第二次会谈。",
            ("visit", "JPN", "KOR", date(2023, 12, 13)),
        ),
        # a year stated after the last sentence with an event word
        (
            "外长访华\n韩国外长5月13日访问北京，与中国外长举行会谈。自2023年11月以来，两国关系持续改善。",
            ("visit", "KOR", "CHN", date(2024, 5, 13)),
        ),
    ],
)
def test_without_a_publication_date_a_month_and_day_take_a_year_the_text_states(
    tmp_path, text, expected
):
    found = events_of(tmp_path, f"{text}{BODY}")
    assert [e for e in found if e[0] == "visit"] == [expected]


def test_a_trip_announced_on_an_earlier_day_is_a_plan(tmp_path):
    text = (
        "外长出访\n外交部发言人24日称，外长5月26日至6月4日应邀对斐济、汤加进行正式访问。"
        f"这是外长2019年的首次出访。{BODY}"
    )
    assert events_of(tmp_path, text) == []


def test_relative_days_are_not_placed_without_a_publication_date(tmp_path):
    text = f"外长会谈\n韩国外长昨天抵达东京访问日本。{BODY}"
    assert events_of(tmp_path, text) == [("visit", "KOR", "JPN", None)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the title is the only place that tells the visit: it counts, undated
        (
            "习近平主席访问西班牙和葡萄牙纪实\n一路走来，友谊长存。",
            [("visit", "CHN", "ESP", None), ("visit", "CHN", "PRT", None)],
        ),
        # so does a comment on it
        (
            "越南主席访华\n越南国家主席一行此次访华旨在推动两国关系。",
            [("visit", "VNM", "CHN", None)],
        ),
        # a comment whose traveller is not told, nor a plan for tomorrow in an undated page
        ("白宫迎客\n这是一周内第三位到访美国的欧洲领袖。", []),
        ("伊朗新闻\n伊朗总统明天访华。双方将签署协议。", []),
    ],
)
def test_an_undated_title_or_comment_alone_tells_its_event(tmp_path, text, expected):
    assert sorted(events_of(tmp_path, f"{text}{BODY}")) == expected


def test_an_undated_title_restating_the_event_is_one_row(tmp_path):
    text = f"普京抵达北京\n{DATED}俄罗斯总统普京22日抵达北京，开始对中国进行国事访问。{BODY}"
    assert events_of(tmp_path, text) == [("visit", "RUS", "CHN", date(2023, 3, 22))]


@pytest.mark.parametrize(
    "sentence",
    [
        "日本首相20日将前往印度尼西亚，与总统佐科举行会谈。",  # the joined clause is planned too
        "两国领导人22日出席在雅加达举行的东盟峰会。",  # many countries, no pair
        "韩国总统曾与日本首相举行视频会谈。",  # undated, a call and a past habit
        "尼日利亚总统和南非总统周一(20日)与美国总统进行了电话会谈。",  # dated, still a call
        "日本首相表示，他1月中前不会出访，等于暂时放弃访美行程。",  # given up
        "白宫内部讨论今年稍后派遣国务卿访问中国。",  # discussed, later
        "旅游局推出新活动，旨在鼓励更多中国游客前往澳大利亚旅游。",  # urged
        "美国国务卿原定2月访问中国，但启程之前发生气球事件。",  # called off; 启程之前 a time
        "日本首相22日抵京都参观寺庙。",  # Kyoto, not Beijing
    ],
)
def test_plans_multilateral_summits_and_calls_are_no_events(tmp_path, sentence):
    assert events_of(tmp_path, f"{DATED}{sentence}{BODY}") == []


@pytest.mark.parametrize(
    "sentence, pair",
    [
        ("韩国总统尹锡悦22日飞抵东京羽田机场。", ("KOR", "JPN")),
        ("朝鲜领导人金正恩22日乘专列抵俄。", ("PRK", "RUS")),
        ("越南国家主席22日到达北京。", ("VNM", "CHN")),
        ("印度总理22日来到印尼雅加达，开始为期两天的访问。", ("IND", "IDN")),
        # 京 for Beijing after a travel verb (not 京都, Kyoto)
        ("韩国总统特使22日抵京，开始访问。", ("KOR", "CHN")),
        ("美国总统22日抵华都受到欢迎。", ("USA", "CHN")),  # 都 after another side is "all"
    ],
)
def test_arrivals_are_visits_in_their_other_words(tmp_path, sentence, pair):
    assert ("visit", *pair, date(2023, 3, 22)) in events_of(tmp_path, f"{DATED}{sentence}{BODY}")


def test_a_visit_under_way_is_where_it_happens_on_the_reports_day(tmp_path):
    text = f"{DATED}新加坡总理李显龙正在中国访问。{BODY}"
    assert events_of(tmp_path, text) == [("visit", "SGP", "CHN", date(2023, 3, 22))]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # who was met before is not who travels on
        (
            "俄罗斯总统普京22日在符拉迪沃斯托克结束与朝鲜领导人金正恩的会晤后，直接飞往北京。",
            ("departure", "RUS", "CHN"),
        ),
        # leaving a city abroad: the traveller's country, not the city's
        (
            "美国总统特朗普结束访华行程，22日登上专机离开北京，转往越南出席会议。",
            ("departure", "USA", "VNM"),
        ),
    ],
)
def test_a_departure_is_the_travellers(tmp_path, sentence, expected):
    assert (*expected, date(2023, 3, 22)) in events_of(tmp_path, f"{DATED}{sentence}{BODY}")


def test_who_sees_a_traveller_off_is_no_destination(tmp_path):
    # the country left is the host, and those at the airport (its officials, the traveller's
    # ambassador) name no destination: no departure from Germany by Germany, nor to China
    text = f"{DATED}离开德国时，德国政府高级官员、中国驻德国大使等22日到机场送行。{BODY}"
    assert [e for e in events_of(tmp_path, text) if e[0] == "departure"] == []


def test_a_province_opening_an_airlines_name_is_the_airline(tmp_path):
    text = f"{DATED}泰国总理22日乘坐海南航空航班抵达北京访问。{BODY}"
    assert ("visit", "THA", "CHN", date(2023, 3, 22)) in events_of(tmp_path, text)


def test_a_meeting_in_a_province_is_hosted_by_its_country(tmp_path):
    text = f"{DATED}中国外长王毅22日在福建南平同新加坡外长维文举行会谈。{BODY}"
    assert events_of(tmp_path, text) == [("meeting", "SGP", "CHN", date(2023, 3, 22))]


def test_hong_kong_and_macau_are_china_not_countries_of_their_own(tmp_path):
    # a visit to Hong Kong is a visit to China; Macau's 澳 in a compound is Macau, not Australia
    def countries() -> set[str]:
        mentions = store.load_tables(tmp_path / "out", ("mentions",))["mentions"]
        return set(mentions.loc[mentions["type"] == "country", "entity_id"].astype(str))

    text = f"{DATED}刚果民主共和国总统22日抵达香港，开始对中国进行国事访问。{BODY}"
    assert events_of(tmp_path, text) == [("visit", "COD", "CHN", date(2023, 3, 22))]
    assert countries() == {"COD", "CHN"}
    text = f"{DATED}澳门特区行政长官22日率团启程前往葡萄牙访问，澳葡双方将加强合作。{BODY}"
    assert events_of(tmp_path, text) == [("departure", "CHN", "PRT", date(2023, 3, 22))]
    assert countries() == {"PRT"}


def test_a_name_known_for_one_country_under_another_countrys_office_is_someone_else(tmp_path):
    # Hungary's president Novák, not Russia's deputy prime minister Novak
    text = f"{DATED}土耳其总统22日抵达布达佩斯，与匈牙利总统诺瓦克举行会谈。{BODY}"
    assert ("meeting", "TUR", "HUN", date(2023, 3, 22)) in events_of(tmp_path, text)
    assert not [e for e in events_of(tmp_path, text) if "RUS" in e]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("中国驻柬埔寨大使22日拜会柬埔寨首相洪玛奈。", ("meeting", "CHN", "KHM")),
        ("马来西亚首相安华22日到印尼雅加达展开为期2天的访问。", ("visit", "MYS", "IDN")),
        ("美国国务卿22日在埃及短暂停留后转抵以色列访问。", ("visit", "USA", "ISR")),
        # 稍后 in a report is later that day, not a plan
        ("美国总统22日稍后与中国国家主席会晤。", ("meeting", "USA", "CHN")),
    ],
)
def test_calls_and_stops_on_the_way_are_told_in_more_words(tmp_path, sentence, expected):
    found = {e[:3] for e in events_of(tmp_path, f"{DATED}{sentence}{BODY}")}
    assert expected in found or (expected[0], expected[2], expected[1]) in found


def test_a_country_opening_the_sentence_is_the_traveller(tmp_path):
    # (not the country the rest of the article names most)
    text = f"{DATED}中国代表团22日抵达平壤。美国对此表示关注，美国官员称美国将观察。{BODY}"
    assert ("visit", "CHN", "PRK", date(2023, 3, 22)) in events_of(tmp_path, text)


def test_a_trip_to_a_list_of_countries_has_no_traveller_among_them(tmp_path):
    text = f"{DATED}今年2月访问了哈萨克斯坦及乌兹别克斯坦。{BODY}"
    assert not [e for e in events_of(tmp_path, text) if {"KAZ", "UZB"} <= set(e)]


@pytest.mark.parametrize(
    "sentence",
    ["中国消费者22日抵制日本商品。", "美国总统22日表示，美国的援助远不抵俄罗斯的投入。"],
)
def test_a_boycott_or_a_comparison_is_no_arrival(tmp_path, sentence):
    assert events_of(tmp_path, f"{DATED}{sentence}{BODY}") == []


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # 会见中国… is not 会见中 (during the meeting), nor 会见前总统 会见前 (before it)
        ("日本首相22日在东京会见中国外长。", ("meeting", "CHN", "JPN")),
        ("中国国家主席22日在北京会见前美国国务卿。", ("meeting", "USA", "CHN")),
    ],
)
def test_who_is_met_is_no_time_of_the_meeting(tmp_path, sentence, expected):
    assert (*expected, date(2023, 3, 22)) in events_of(tmp_path, f"{DATED}{sentence}{BODY}")


def test_a_meeting_that_names_a_time_leaves_the_flight_after_it(tmp_path):
    text = f"{DATED}美国总统22日结束与朝鲜领导人金正恩的会晤后飞往北京。{BODY}"
    assert ("departure", "USA", "CHN", date(2023, 3, 22)) in events_of(tmp_path, text)


def test_what_a_meeting_discussed_leaves_it_an_event(tmp_path):
    text = f"{DATED}俄罗斯总统普京在莫斯科与到访的以色列总理举行会晤，讨论双边和国际问题。{BODY}"
    assert {(a, b) for _, a, b, _ in events_of(tmp_path, text)} == {("ISR", "RUS")}


def test_the_traveller_is_not_where_the_train_came_from(tmp_path):
    text = f"{DATED}日本首相岸田文雄21日从波兰乘坐火车抵达乌克兰首都基辅，开始访问乌克兰。{BODY}"
    assert ("visit", "JPN", "UKR", date(2023, 3, 21)) in events_of(tmp_path, text)
    assert not [e for e in events_of(tmp_path, text) if "POL" in e[1:3]]


def test_a_venue_is_no_side_of_a_summit(tmp_path):
    text = f"{DATED}日中首脑会谈22日在泰国曼谷举行，两国领导人就双边关系交换意见。{BODY}"
    found = events_of(tmp_path, text)
    assert found and not [e for e in found if "THA" in e[1:3]]


def test_one_sentence_gives_one_row_per_encounter(tmp_path):
    text = f"{DATED}国家主席习近平22日同俄罗斯总统普京举行会谈，会谈后两国元首共同会见记者。{BODY}"
    found = events_of(tmp_path, text)
    assert len(found) == 1 and found[0][0] == "summit"


def test_the_next_clause_dates_an_encounter_its_own_clause_leaves_undated(tmp_path):
    text = f"{DATED}美国总统与中国国家主席的会晤，台湾时间22日上午已在韩国釜山正式展开。{BODY}"
    assert [e[1:] for e in events_of(tmp_path, text)] == [("USA", "CHN", date(2023, 3, 22))]


@pytest.mark.parametrize(
    "sentence",
    [
        # a date things are counted from, the day someone spoke of it, another event's date
        "这是南非总统首次访问中国，也是他自2018年2月起担任总统以来的第三次出访。",
        "外界关注台湾代表是否与日本首相会晤，外交部长今(21)日备询说，正在安排。",
        "美国国务卿抵达北京后，将于25日与中国外长会谈。",
    ],
)
def test_the_next_clause_does_not_date_an_encounter_with_what_is_not_its_day(tmp_path, sentence):
    found = events_of(tmp_path, f"{DATED}{sentence}{BODY}")
    assert not [e for e in found if e[3] is not None], found


def test_a_later_plan_in_the_next_clause_leaves_the_meeting_undated_not_lost(tmp_path):
    text = f"{DATED}中国国家主席会见美国国务卿，双方同意下月举行新一轮对话。{BODY}"
    assert events_of(tmp_path, text) == [("meeting", "USA", "CHN", None)]


@pytest.mark.parametrize(
    "sentence",
    [
        # the date of taking an office is not the visit's
        "马来西亚首相安华去年11月担任首相后首次访问中国。",
        "朝鲜领导人今年1月再次被推举为委员长后首次出访俄罗斯。",
        # 以来 + 访问 holds no 来访: the date before it is a reference point
        "美国国务卿布林肯是自2018年10月以来访问中国的最高级别美国官员。",
        # nor is it an earlier visit when anything but the count follows it
        "韩国总统12日抵达东京，这是自2020年疫情以来首次访问日本。",
        "美国国务卿布林肯12日抵达北京，是自2018年10月以来访问中国的最高级别美国官员。",
        "欧巴马12日抵达河内，是继2000年的柯林顿之后第二位访问越南的美国总统。",
    ],
)
def test_a_reference_date_does_not_date_the_visit(tmp_path, sentence):
    text = f"{DATED}{sentence}{BODY}"
    found = events_of(tmp_path, text)
    assert found and all(row[3] is None or row[3] >= date(2023, 3, 1) for row in found), found


@pytest.mark.parametrize(
    "text, earlier",
    [
        (
            "国家主席习近平12日抵达河内，开始对越南进行国事访问。"
            "这是习近平继2015年11月和2017年11月之后第三次访问越南。",
            {date(2015, 11, 1), date(2017, 11, 1)},
        ),
        # the pronoun is the visitor named before, not the host he met
        (
            "新加坡总理李显龙21日在北京与中国国家主席习近平会面。这是他自2019年4月以来首次访华。",
            {date(2019, 4, 1)},
        ),
        (
            "沙特国王萨勒曼20日抵达北京，開始對中國進行國事訪問，是他繼2016年1月之後再次訪問中國。",
            {date(2016, 1, 1)},
        ),
        (
            "韩国外长12日抵达北京，这是韩国外长自2019年以后时隔4年再次访华。",
            {date(2019, 1, 1)},
        ),
        (
            "中国国家主席习近平今日抵达韩国釜山，这是他自2014年7月以后，时隔9年再次访韩。",
            {date(2014, 7, 1)},
        ),
    ],
)
def test_the_earlier_visits_a_visit_is_counted_from_are_events(tmp_path, text, earlier):
    found = events_of(tmp_path, f"{DATED}{text}{BODY}")
    assert {row[3] for row in found if row[3] and row[3].year < 2023} == earlier, found
    pair = {(row[1], row[2]) for row in found if row[3] in earlier}
    assert len(pair) == 1 and found[0][1:3] in pair  # the same traveller and host


def test_each_date_listed_before_a_visit_is_a_visit(tmp_path):
    text = "伊朗总统20日抵达利雅得。此前，伊朗总统曾于2007年和2012年两次访问沙特。"
    found = events_of(tmp_path, f"{DATED}{text}{BODY}")
    years = {row[3].year for row in found if row[1:3] == ("IRN", "SAU") and row[3]}
    assert {2007, 2012} <= years, found
    # 分别: each date goes with its own trip
    text = "去年6月和9月，蒙古国总统分别访问了中国和俄罗斯。"
    found = events_of(tmp_path, f"{DATED}{text}{BODY}")
    assert len({row[3] for row in found if row[1] == "MNG"}) <= 1, found


@pytest.mark.parametrize(
    "text, expected",
    [
        # a family name and a title are the person named in full, here the traveller; a city
        # passed through on the way is a route, not who travels
        (
            "總統蔡英文18日出席記者會。蔡總統3月19日啟程出訪,去程過境紐約,再依序訪問瓜地馬拉。",
            ("visit", "TWN", "GTM"),
        ),
        # 来台 / 访台 / 抵台: Taiwan is the host
        ("日本前首相森喜朗20日下午來台，明天將出席追思禮拜。", ("visit", "JPN", "TWN")),
        ("宏都拉斯總統葉南德茲今晚抵台。", ("visit", "HND", "TWN")),
        # a time zone is no side of the trip
        ("日本首相岸田文雄于20日下午1时半(台湾时间中午12时半)抵达南韩。", ("visit", "JPN", "KOR")),
        # 曾经 is no route
        ("1997年，時任美國眾議院議長金瑞契曾經訪台。", ("visit", "USA", "TWN")),
        # 抵 and a city: arrived there
        ("我外長林佳龍十一日抵布拉格，出席展覽開幕式。", ("visit", "TWN", "CZE")),
    ],
)
def test_travel_told_with_a_title_a_route_or_taiwans_short_name(tmp_path, text, expected):
    assert expected in encounters(tmp_path, f"{DATED}{text}{BODY}")


@pytest.mark.parametrize(
    "text, expected",
    [
        # a dated lead: the trip named as a noun is the visit
        ("3月18日，俄罗斯总统普京开启访华之行。", ("visit", "RUS", "CHN", date(2023, 3, 18))),
        # 亲自 is no route
        ("美国总统拜登18日亲自前往日本。", ("departure", "USA", "JPN", date(2023, 3, 18))),
        # a plan in another clause does not reach a clause with its own subject
        (
            "普京18日表示将加强合作，他当天在平壤会见了朝鲜领导人金正恩。",
            ("meeting", "RUS", "PRK", date(2023, 3, 18)),
        ),
    ],
)
def test_rules_of_this_round_leave_these_events_alone(tmp_path, text, expected):
    found = events_of(tmp_path, f"{DATED}{text}{BODY}")
    assert any(row[:3] == expected[:3] and row[3] == expected[3] for row in found), found


def test_an_earlier_visit_in_the_sentence_of_this_one(tmp_path):
    text = "沙特国王18日抵达利雅得。伊朗总统18日抵达利雅得，他曾于2007年和2012年两次访问沙特。"
    found = events_of(tmp_path, f"{DATED}{text}{BODY}")
    days = sorted(row[3] for row in found if row[1:3] == ("IRN", "SAU") and row[3])
    assert days == [date(2007, 1, 1), date(2012, 1, 1), date(2023, 3, 18)], found


def test_a_city_passed_through_is_no_destination(tmp_path):
    found = encounters(tmp_path, f"{DATED}總統蔡英文今出訪加勒比海4友邦去程過境紐約。{BODY}")
    assert not [row for row in found if row[2] == "USA"], found


@pytest.mark.parametrize(
    "sentence",
    [
        "美国企业纷纷来华投资，两国经贸合作持续深化。",
        "越来越多的日本游客来台旅游。",
        "英国首相施凯尔、美国总统特朗普相继释出访中意愿。",
        # a date another clause gives does not make a departure named as a time an event
        "2月初，一只气球飞越美国上空，美国国务卿布林肯不得不在出发当天取消了访华行程。",
        "两国签署协议，以人民币抵扣部分债务，美国表示抵制。",
        # decided is not done
        "韩国总统尹锡悦还决定当地时间16日与日本首相石破茂单独举行首脑会谈。",
        "双方合作抵不过美国的压力。",
        "后来台湾举行了选举。",
        "中国总理来华府访问。",
    ],
)
def test_business_travel_or_a_decision_is_no_visit(tmp_path, sentence):
    assert encounters(tmp_path, f"{DATED}{sentence}{BODY}") == set()


def test_an_arrival_earlier_on_the_reports_day_is_dated(tmp_path):
    found = events_of(tmp_path, f"{DATED}總統蔡英文稍早抵達洛杉磯，展開過境行程。{BODY}")
    assert ("visit", "TWN", "USA", date(2023, 3, 21)) in found, found


def test_a_clause_without_a_subject_goes_on_with_the_plan_before_it(tmp_path):
    text = "总统赖清德今天将展开友邦之旅，去程将过境夏威夷，依序访问马绍尔群岛及帛琉。"
    assert encounters(tmp_path, f"{DATED}{text}{BODY}") == set()
    # a clause with its own subject tells its own event
    text = "两国将加强合作，马绍尔群岛总统20日访问台湾。"
    assert ("visit", "MHL", "TWN") in encounters(tmp_path, f"{DATED}{text}{BODY}")


def test_a_meeting_expected_is_no_event_beside_the_arrival(tmp_path):
    text = "美国国务卿布林肯10日抵达伦敦，预料周二与英国首相施纪贤会晤。"
    assert encounters(tmp_path, f"{DATED}{text}{BODY}") == {("visit", "USA", "GBR")}


def test_a_day_stated_before_the_trigger_is_a_happening_not_a_plan(tmp_path):
    # no publication date and no year: the arrival counts, undated, though a plan follows it
    text = f"外长访华\n7月13日，俄罗斯外交部长抵达中国，将出席上海合作组织外长会议。{BODY}"
    assert ("visit", "RUS", "CHN", None) in events_of(tmp_path, text)
    # without the day, "will attend" leaves the sentence in doubt
    text = f"外长访华\n俄罗斯外交部长抵达中国，将出席上海合作组织外长会议。{BODY}"
    assert events_of(tmp_path, text) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "在马来西亚首都吉隆坡出席东盟会议的美国国务卿当天会晤了中国外交部长王毅。",
        "在印尼首都雅加达出席会议的美国国务卿当天会晤了中国外交部长王毅。",
        # a city naming a gathering is where, not who
        "正在参加慕尼黑安全会议的美国国务卿当天与中国外交部长王毅举行了会晤。",
    ],
)
def test_a_meeting_in_a_third_countrys_capital_is_the_subjects(tmp_path, sentence):
    # the city of a third country is the venue, not a side: nobody hosts, the subject goes first
    found = events_of(tmp_path, f"{DATED}{sentence}{BODY}")
    assert [(k, a, b) for k, a, b, _ in found] == [("meeting", "USA", "CHN")]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # destinations listed after 对 or after the visit word: a row for each
        (
            "3月21日，国家主席习近平对意大利、摩纳哥和法国进行国事访问。",
            {("visit", "CHN", "ITA"), ("visit", "CHN", "MCO"), ("visit", "CHN", "FRA")},
        ),
        (
            "3月21日，德国总理已经访问了美国、乌克兰及土耳其。",
            {("visit", "DEU", "USA"), ("visit", "DEU", "UKR"), ("visit", "DEU", "TUR")},
        ),
        # guests listed with their titles and names: a row for each guest's country
        (
            "3月21日，习近平在北京分别会见喀麦隆总统比亚、埃塞俄比亚总理阿比和赞比亚总统希奇莱马。",
            # heads of state and government on both sides: summits
            {("summit", "CMR", "CHN"), ("summit", "ETH", "CHN"), ("summit", "ZMB", "CHN")},
        ),
        # the destination after 到/赴 when the visit is what is done there
        (
            "新加坡国务资政李显龙3月21日起，到中国进行6天访问。",
            {("visit", "SGP", "CHN")},
        ),
        # the traveller named earlier in the sentence is the person, not the last country
        (
            "习近平近来频频出访，3月访问了越南、新加坡等，3月21日到中东对沙特和埃及进行国事访问。",
            {
                ("visit", "CHN", "VNM"),
                ("visit", "CHN", "SGP"),
                ("visit", "CHN", "SAU"),
                ("visit", "CHN", "EGY"),
            },
        ),
    ],
)
def test_the_destinations_of_a_visit_and_the_guests_of_a_host(tmp_path, sentence, expected):
    found = encounters(tmp_path, f"{DATED}{sentence}{BODY}")
    assert found == expected


def test_a_scrap_above_the_report_does_not_make_the_page_a_bundle():
    # a font-size widget's 字 above the headline, a cross-head inside the report
    page = (
        f"字\n首相将访华\n(博鳌28日讯)首相明天展开访问中国的行程。{BODY}\n{BODY}\n"
        f"将在论坛发表演词\n首相周四将在论坛年会上发表演词。{BODY}\nADVERTISEMENT"
    )
    assert "发表演词" in "".join(ln.text for ln in one(page).lines)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # a summit of many does not outrank the visit in its clause; who invited does not travel
        (
            "习近平3月21日离开北京，应普京邀请，对俄罗斯和德国进行国事访问并出席二十国集团峰会。",
            {("departure", "CHN", "RUS"), ("visit", "CHN", "RUS"), ("visit", "CHN", "DEU")},
        ),
        # a city naming a gathering is no venue when the text says where the meeting was
        ("3月21日，李强在天津会见出席夏季达沃斯论坛的越南总理。", {("meeting", "VNM", "CHN")}),
        # 受到/感受到 go nowhere; a list describing a later noun names no destinations
        ("3月21日，日本首相感受到中国开始重视日本企业访问团的诚意。", set()),
        (
            "3月21日，印度总理莫迪访问了乌克兰和俄罗斯占领的克里米亚地区。",
            {("visit", "IND", "UKR")},
        ),
        # where the traveller had just arrived is where the meeting was: the other side hosts
        ("3月21日，王毅抵达莫斯科后会见了俄罗斯外长。", {("meeting", "CHN", "RUS")}),
        ("抵美后，习近平3月21日会见了美国前国务卿。", {("meeting", "CHN", "USA")}),
        # travellers listed before the visit word, with their titles and names: a row each
        (
            "3月21日，喀麦隆总统比亚、纳米比亚总统根哥布先后对中国进行国事访问。",
            {("visit", "CMR", "CHN"), ("visit", "NAM", "CHN")},
        ),
        (
            "3月21日，法国总统和德国总理抵达北京，访问中国。",
            {("visit", "FRA", "CHN"), ("visit", "DEU", "CHN")},
        ),
    ],
)
def test_who_travels_where_in_harder_sentences(tmp_path, sentence, expected):
    found = encounters(tmp_path, f"{DATED}{sentence}{BODY}")
    assert found == expected


def test_a_role_on_the_trip_is_no_office_taken(tmp_path):
    text = f"{DATED}中国公安部长3月21日担任团长率中国代表团访问日本。{BODY}"
    assert ("visit", "CHN", "JPN", date(2023, 3, 21)) in events_of(tmp_path, text)


@pytest.mark.parametrize(
    "sentence",
    [
        "7月13日，美国总统拜登通过视频与中国国家主席习近平举行会谈。",
        "7月13日，韩国外长表示，他曾多次访问朝鲜。",
    ],
)
def test_a_stated_day_does_not_make_a_call_or_a_habit_an_event(tmp_path, sentence):
    assert events_of(tmp_path, f"外长会谈\n{sentence}{BODY}") == []


@pytest.mark.parametrize(
    "text, kept",
    [
        # the summit months before went CHN -> USA; the meeting on neutral ground keeps its order
        (
            "这是美国总统与中国国家主席去年11月在加州举行首脑峰会以来的最高级别会晤。"
            "3月21日，美国国务卿在慕尼黑安全会议期间与中国外交部长王毅举行了会晤。",
            ("meeting", "USA", "CHN"),
        ),
        # a month-long visit is the same trip as a meeting in it: the summit takes its direction
        (
            "国家主席习近平本月对美国进行国事访问。3月19日，美国总统拜登与习近平举行会谈。",
            ("summit", "CHN", "USA"),
        ),
    ],
)
def test_a_direction_told_by_word_order_comes_only_from_the_same_trip(tmp_path, text, kept):
    found = encounters(tmp_path, f"{DATED}{text}{BODY}")
    kind, a, b = kept
    assert kept in found and (kind, b, a) not in found


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # a Singapore paper's opening (雅加达综合讯) is where the report was filed, not a side
        (
            "（雅加达综合讯）美国国务卿3月21日在印度尼西亚首都雅加达与中国外长王毅举行会谈。",
            {("meeting", "USA", "CHN")},
        ),
        # 出任首相 dates the office, not the visit; 访中美洲 is no visit to China
        ("马来西亚首相安华去年11月出任首相后首次访问中国。", {("visit", "MYS", "CHN")}),
        ("3月21日，台湾地区领导人启程出访中美洲。", set()),
    ],
)
def test_openings_offices_and_regions(tmp_path, sentence, expected):
    found = events_of(tmp_path, f"{DATED}{sentence}{BODY}")
    assert {(k, a, b) for k, a, b, _ in found} == expected
    assert all(d is None or d >= date(2023, 3, 1) for *_, d in found)
