"""Pages as a browser saves them: the address written into a saved HTML page, and the page
inside a single-file web archive (.mhtml). The text names no publisher, so the site the
page was saved from is what tells the outlet (and, in the address, the date)."""

from __future__ import annotations

from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

from dashboard.ingest.pipeline import ingest
from dashboard.tables import store

REPORT = (
    "<h1>两国外长举行会谈</h1>"
    + "<p>日本外相上川阳子18日在东京会见到访的菲律宾外长马纳罗，双方就海洋安全交换意见。</p>"
    + "<p>两国外长同意加强防务合作，并就地区局势深入交换意见，表示将保持密切沟通。</p>" * 3
)


# The same report in Traditional characters, for a page in Big5.
REPORT_BIG5 = (
    "<h1>兩國外長舉行會談</h1>"
    + "<p>日本外相上川陽子18日在東京會見到訪的菲律賓外長馬納羅，雙方就海洋安全交換意見。</p>"
    + "<p>兩國外長同意加強防務合作，並就地區局勢深入交換意見，表示將保持密切溝通。</p>" * 3
)


def page_html(report: str = REPORT) -> str:
    return f"<html><head><title>外長</title></head><body><article>{report}</article></body></html>"


def articles(folder: Path):
    report = ingest([folder], folder.parent / "out")
    return report, store.load_tables(folder.parent / "out", ("articles",))["articles"]


def mhtml(html: str, address: str | None, charset: str = "utf-8") -> bytes:
    """A web archive as Chrome writes one: multipart/related, the page quoted-printable."""
    archive = MIMEMultipart("related", type="text/html")
    if address:
        archive["Snapshot-Content-Location"] = address
    archive["Subject"] = "外长会谈"
    part = MIMEText(html, "html", charset)
    if address:
        part["Content-Location"] = address
    archive.attach(part)
    archive.attach(MIMEText("body { color: black }", "css"))
    return archive.as_bytes()


def test_a_saved_html_page_is_its_sites_by_the_address_the_browser_wrote(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    saved = "<!-- saved from url=(0050)https://news.ltn.com.tw/news/world/paper/1620000 -->\n"
    (raw / "外长会谈.html").write_text(saved + page_html(), encoding="utf-8")
    single_file = (
        "<!--\n Page saved with SingleFile \n url: https://www.zaobao.com.sg/news/world/"
        "story20240518-1234 \n saved date: Sat May 18 2024 10:00:00 GMT+0800\n-->"
    )
    (raw / "会谈.html").write_text(single_file + page_html(), encoding="utf-8")
    (raw / "无地址.html").write_text(page_html(), encoding="utf-8")
    _, found = articles(raw)
    by_file = dict(zip(found["doc"], found["source"], strict=True))
    assert by_file == {
        "外长会谈.html": "Liberty Times",
        "会谈.html": "Lianhe Zaobao",
        "无地址.html": "unknown",
    }


def test_a_web_archive_is_read_as_the_page_it_holds(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    address = "https://www.zaobao.com.sg/news/world/story20240518-1234"
    (raw / "会谈.mhtml").write_bytes(mhtml(page_html(), address))
    # A page in Big5, as its archive declares.
    (raw / "舊頁.mht").write_bytes(
        mhtml(page_html(REPORT_BIG5), "https://news.ltn.com.tw/1", "big5")
    )
    report, found = articles(raw)
    rows = found.set_index("doc")
    assert rows.loc["会谈.mhtml", "source"] == "Lianhe Zaobao"
    assert str(rows.loc["会谈.mhtml", "published"])[:10] == "2024-05-18"  # from the address
    assert "上川阳子18日在东京会见" in rows.loc["会谈.mhtml", "text"]
    assert rows.loc["舊頁.mht", "source"] == "Liberty Times"
    assert "上川陽子18日在東京會見" in rows.loc["舊頁.mht", "text"]
    assert not report.rejected


def test_an_archive_without_a_page_is_told_and_skipped_the_next_file_read(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    empty = MIMEMultipart("related")
    empty.attach(MIMEText("body { color: black }", "css"))
    (raw / "a_styles.mhtml").write_bytes(empty.as_bytes())
    (raw / "b_page.mhtml").write_bytes(mhtml(page_html(), None))
    report, found = articles(raw)
    assert list(found["doc"]) == ["b_page.mhtml"]
    assert [(r.file, r.reason) for r in report.rejected] == [
        ("a_styles.mhtml", "the web archive holds no HTML page")
    ]


# ---------------------------------------------------------------- Word documents


def word_file(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> None:
    """A .docx written by python-docx, as Word writes one: paragraphs, then a table."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    document.save(path)


def test_a_word_export_of_two_reports_gives_two_articles_with_their_outlets(tmp_path):
    """A news database's export: two reports in one Word file, each under its headline, date
    line and dateline; a table of figures at the end stays text of the last report."""
    raw = tmp_path / "raw"
    raw.mkdir()
    word_file(
        raw / "剪报.docx",
        [
            "日本外相会见菲律宾外长",
            "2024-05-18",
            "新华社东京5月18日电 日本外相上川阳子18日在东京会见到访的菲律宾外长马纳罗，"
            "双方就海洋安全交换意见，同意加强防务合作。",
            "两国外长还就地区局势深入交换意见，表示将保持密切沟通。",
            "韩国总统抵达河内",
            "2024-06-22",
            "（中央社河内6月22日综合外电报导）韩国总统22日抵达河内，开始对越南进行国事访问，"
            "并将与越南国家主席举行会谈。",
            "两国领导人将就经贸合作和地区局势交换意见。",
        ],
        table=[["项目", "数额"], ["双边贸易额", "870亿美元"]],
    )
    report, found = articles(raw)
    assert not report.rejected
    rows = found.sort_values("published")
    assert list(rows["source"]) == ["Xinhua", "CNA"]
    assert [str(d)[:10] for d in rows["published"]] == ["2024-05-18", "2024-06-22"]
    assert "上川阳子18日在东京会见" in rows.iloc[0]["text"]
    assert "双边贸易额" in rows.iloc[1]["text"]  # the table's cells are read


def test_a_file_named_docx_that_is_not_one_is_told_and_skipped(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a_broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (raw / "b_empty.docx").write_bytes(b"")
    word_file(raw / "c_good.docx", ["日本外相会见菲律宾外长", REPORT_WORDS])
    report, found = articles(raw)
    assert list(found["doc"]) == ["c_good.docx"]
    reasons = {r.file: r.reason for r in report.rejected}
    assert set(reasons) == {"a_broken.docx", "b_empty.docx"}
    assert reasons["a_broken.docx"].startswith("not a readable Word document")


REPORT_WORDS = (
    "新华社东京5月18日电 日本外相上川阳子18日在东京会见到访的菲律宾外长马纳罗，"
    "双方就海洋安全交换意见，同意加强防务合作。"
)


def test_a_zip_bomb_named_docx_is_refused_before_it_is_unpacked(tmp_path):
    import zipfile

    raw = tmp_path / "raw"
    raw.mkdir()
    with zipfile.ZipFile(raw / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("word/document.xml", b"\0" * (300 * 2**20))  # 300 MB of zeros
    word_file(raw / "good.docx", ["日本外相会见菲律宾外长", REPORT_WORDS])
    assert (raw / "bomb.docx").stat().st_size < 2**20
    report, found = articles(raw)
    assert list(found["doc"]) == ["good.docx"]
    (rejected,) = report.rejected
    assert rejected.file == "bomb.docx" and rejected.reason.endswith("refused as a zip bomb")
