"""Ingestion: what a user bringing real news files would notice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard.common.textnorm import tighten_spaces, to_simplified
from dashboard.ingest.articles import extract_articles
from dashboard.ingest.pipeline import NothingIngested, ingest
from dashboard.ingest.readers import decode_bytes
from dashboard.ingest.report import IngestReport
from dashboard.tables import store
from dashboard.tables.paths import PROJECT_ROOT

LABELLED = PROJECT_ROOT / "data" / "labels" / "ingestion" / "docs"

REPORT_BODY = (
    "新华社北京7月19日电 外交部发言人19日说，中方注意到朝俄两国的军事合作动向，"
    "呼吁有关各方为缓和半岛局势作出努力。"
)


def articles_of(*paths: Path) -> tuple[pd.DataFrame, IngestReport]:
    report = IngestReport()
    return extract_articles(list(paths), report), report


# --- the seed --------------------------------------------------------------------------


def test_seed_post_becomes_five_reports_with_outlets_and_dates(seed_tables):
    arts = seed_tables["articles"]
    assert len(arts) == 5
    assert arts["source"].tolist() == ["unknown", "KCNA", "unknown", "Yonhap", "unknown"]
    assert [d.isoformat() for d in arts["published"]] == [
        "2024-07-20",
        "2024-07-19",
        "2024-07-19",
        "2024-07-09",
        "2024-07-20",
    ]
    assert arts.loc[1, "title"] == "敬爱的金正恩同志会见俄罗斯联邦军事代表团"


def test_seed_forum_boilerplate_and_image_names_are_gone(seed_tables):
    text = "\n".join(seed_tables["articles"]["text"])
    for junk in [
        "马上注册",
        "人阅读",
        "本版积分规则",
        "PIC0082734.png",
        "立即注册",
        "\nx\n",
        "\n,\n",
    ]:
        assert junk not in text


def test_seed_spaces_around_names_are_removed_but_latin_words_keep_theirs(seed_tables):
    text = "\n".join(seed_tables["articles"]["text"])
    assert "金正恩星期四(7月18日)会见到访的俄罗斯国防部副部长" in text
    assert "本月9日" in text and "《全面战略伙伴关系条约》" in text
    assert "阿列克谢•克里沃鲁奇科" in text
    assert "Bolshoy Gorodskoy" in text


def test_seed_relayed_kcna_report_points_at_the_original(seed_tables):
    arts = seed_tables["articles"].set_index("article_id")
    relay = arts[arts["title"] == "金正恩接待俄副防长率领的军事代表团"].iloc[0]
    original = arts.loc[relay["dup_of"]]
    assert original["source"] == "KCNA"
    assert arts["dup_of"].notna().sum() == 1


def test_outlet_quoted_inside_the_text_is_not_the_outlet(seed_tables):
    arts = seed_tables["articles"]
    reuters_story = arts[arts["text"].str.startswith("俄罗斯媒体报道")].iloc[0]
    assert reuters_story["source"] == "unknown"
    assert "Reuters" in list(reuters_story["quoted_sources"])


# --- formats and encodings ---------------------------------------------------------------


def test_labelled_documents_in_every_encoding_are_read(tmp_path):
    arts, report = articles_of(LABELLED)
    by_doc = arts.groupby("doc")["encoding"].first().to_dict()
    assert by_doc["cna_trad_big5.txt"].startswith("big5")
    assert by_doc["yonhap_gb18030.txt"] == "gb18030"
    assert by_doc["kcna_utf16.txt"].startswith("utf-16") or by_doc["kcna_utf16.txt"] == "utf-16"
    assert by_doc["hk_mingpao_trad.txt"] == "utf-8"


def test_traditional_text_is_kept_as_written_and_analysed_in_simplified():
    arts, _ = articles_of(LABELLED / "cna_trad_big5.txt")
    row = arts.iloc[0]
    assert "北韓外務相崔善姬" in row["text"]
    assert "北韩外务相崔善姬" in row["text_simplified"]
    assert len(row["text"]) == len(row["text_simplified"])
    assert row["script"] == "hant"
    assert row["source"] == "CNA" and row["published"] == date(2024, 11, 4)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "big5", "utf-16", "utf-16-le"])
def test_decode_round_trips_chinese_in_supported_encodings(encoding):
    text = "北韓領導人金正恩會見俄羅斯國防部副部長率領的軍事代表團。\n" * 3
    decoded, _ = decode_bytes(text.encode(encoding))
    assert decoded.lstrip("\ufeff") == text


def test_html_page_main_text_and_metadata(tmp_path):
    arts, _ = articles_of(LABELLED / "xinhua_lavrov.html")
    row = arts.iloc[0]
    assert row["source"] == "Xinhua" and row["published"] == date(2024, 11, 29)
    assert "首页" not in row["text"] and "版权所有" not in row["text"]
    assert "拉夫罗夫29日抵达平壤" in row["text"]


def test_records_map_field_name_variants_and_report_bad_lines():
    arts, report = articles_of(LABELLED / "records.jsonl")
    assert arts["source"].tolist() == ["TASS", "Reuters", "unknown"]
    assert arts["index"].tolist() == [0, 1, 4]  # JSON Lines: position is the line number
    assert arts.iloc[1]["url"] == "https://example.org/reuters/2"
    rejected = {(r.line, r.reason.split(":")[0]) for r in report.rejected}
    assert rejected == {(3, "invalid JSON"), (4, "record has no text")}


def test_csv_with_chinese_column_names():
    arts, _ = articles_of(LABELLED / "records.csv")
    assert arts["source"].tolist() == ["China News Service", "Rodong Sinmun"]
    assert arts["published"].tolist() == [date(2024, 7, 14), date(2024, 10, 8)]


def test_dateline_in_december_of_a_post_from_january_belongs_to_last_year():
    arts, _ = articles_of(LABELLED / "year_boundary.txt")
    assert arts.iloc[0]["published"] == date(2024, 12, 30)


def test_report_without_any_date_has_no_date_rather_than_a_guess():
    arts, _ = articles_of(LABELLED / "yonhap_gb18030.txt")
    assert arts.iloc[0]["source"] == "Yonhap"
    assert pd.isna(arts.iloc[0]["published"])


def test_two_reports_in_one_post_split_at_headline_and_dateline():
    arts, _ = articles_of(LABELLED / "forum_two_reports.txt")
    assert arts["source"].tolist() == ["Global Times", "AFP"]
    assert arts.iloc[1]["title"] == "朝鲜试射新型火箭炮"
    assert "美韩军演与朝鲜回应" not in arts.iloc[0]["text"]  # the thread title is nobody's


def test_space_tightening_keeps_text_readable():
    assert tighten_spaces("  朝鲜 金日成军事综合大学 校长 金琴铁 ( Kim Geum Chol ) 相似") == (
        "朝鲜金日成军事综合大学校长金琴铁(Kim Geum Chol)相似"
    )
    assert (
        tighten_spaces("引述俄罗斯 Telegram 频道 Baza 消息") == "引述俄罗斯 Telegram 频道 Baza 消息"
    )
    assert tighten_spaces("2024 年 7 月 19 日") == "2024年7月19日"


def test_spaces_are_tightened_as_if_the_rules_ran_on_the_whole_line():
    """tighten_spaces runs its rules on the stretches around the spaces only."""
    import random

    from dashboard.common import textnorm

    def whole_line(line: str) -> str:
        line = line.strip(" \t\u3000\u00a0")
        for rule in (
            textnorm._SPACE_CJK_CJK,
            textnorm._SPACE_DIGIT_CJK,
            textnorm._SPACE_IN_BRACKETS,
            textnorm._SPACE_BEFORE_OPEN,
            textnorm._SPACE_BEFORE_PUNCT,
            textnorm._SPACE_AFTER_CLOSE,
        ):
            line = rule.sub("", line)
        if "月" in line or "日" in line or "年" in line:
            line = textnorm._SPACE_IN_DATE_NUMBER.sub("", line)
        return line

    rng = random.Random(5)
    alphabet = list("朝鲜会见年月日号0123456789AbZ,.;:!?，。；：！？、()[]（）《》•·-") + [
        " ",
        " ",
        "\t",
        "\u3000",
        "\u00a0",
        "2024年",
        "7月",
        "19日",
        "Kim Jong",
    ]
    for _ in range(20_000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert tighten_spaces(line) == whole_line(line), repr(line)


def test_to_simplified_keeps_length():
    trad = "北韓外務相崔善姬抵達莫斯科，與俄羅斯外交部長拉夫羅夫舉行會談。"
    assert len(to_simplified(trad)) == len(trad)
    assert to_simplified(trad).startswith("北韩外务相")


# --- bad input -----------------------------------------------------------------------------


def test_bad_inputs_are_reported_and_good_input_next_to_them_is_kept(tmp_path):
    (tmp_path / "good.txt").write_text(REPORT_BODY, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    (tmp_path / "garbage.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "broken.jsonl").write_text(
        '{"text": "' + REPORT_BODY + '"}\n{not json}\n{"text": ""}\n', encoding="utf-8"
    )
    (tmp_path / "notes.pages").write_bytes(b"PK\x03\x04 whatever")  # a Keynote/Pages file
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04 whatever")  # named Word, not one
    out = tmp_path / "out"
    report = ingest([tmp_path, tmp_path / "missing-folder"], out)
    reasons = {(r.file, r.line): r.reason for r in report.rejected}
    assert reasons[("empty.txt", None)] == "empty file"
    assert "binary" in reasons[("image.txt", None)]
    assert ("garbage.txt", None) in reasons
    assert reasons[("broken.jsonl", 2)].startswith("invalid JSON")
    assert reasons[("broken.jsonl", 3)] == "record has no text"
    assert "unsupported" in reasons[("notes.pages", None)]
    assert reasons[("notes.docx", None)].startswith("not a readable Word document")
    assert "does not exist" in reasons[(str(tmp_path / "missing-folder"), None)]
    arts = store.load_tables(out, ("articles",))["articles"]
    assert sorted(arts["doc"]) == ["broken.jsonl", "good.txt"]
    saved = json.loads((out / "ingest_report.json").read_text(encoding="utf-8"))
    assert {(r["file"], r["line"]) for r in saved["rejected"]} == set(reasons)


def test_too_large_file_is_rejected_with_its_size(tmp_path):
    (tmp_path / "big.txt").write_text(REPORT_BODY * 4000, encoding="utf-8")
    (tmp_path / "small.txt").write_text(REPORT_BODY, encoding="utf-8")
    arts, report = articles_of_limit(tmp_path, max_file_mb=0.1)
    assert arts["doc"].tolist() == ["small.txt"]
    assert report.rejected[0].file == "big.txt" and "too large" in report.rejected[0].reason


def articles_of_limit(path: Path, max_file_mb: float):
    report = IngestReport()
    return extract_articles([path], report, max_file_mb=max_file_mb), report


def test_nothing_ingested_raises_and_leaves_previous_tables(tmp_path, seed_processed):
    out = tmp_path / "out"
    ingest([PROJECT_ROOT / "data" / "raw"], out)
    before = store.snapshot(out)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "empty.txt").write_bytes(b"")
    with pytest.raises(NothingIngested):
        ingest([tmp_path / "bad"], out)
    assert store.snapshot(out) == before


def test_interrupted_write_leaves_previous_tables_intact(tmp_path, monkeypatch):
    out = tmp_path / "out"
    ingest([PROJECT_ROOT / "data" / "raw"], out)
    before = store.load_tables(out)
    import pyarrow.parquet as pq

    calls = {"n": 0}
    real_write = pq.write_table

    def failing_write(*args, **kwargs):  # the disk fills up while the third table is written
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(pq, "write_table", failing_write)
    with pytest.raises(OSError):
        ingest([LABELLED], out)
    after = store.load_tables(out)
    pd.testing.assert_frame_equal(after["articles"], before["articles"])
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_tables_from_two_runs_are_detected(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    ingest([PROJECT_ROOT / "data" / "raw"], a)
    ingest([PROJECT_ROOT / "data" / "raw"], b)
    (a / "mentions.parquet").write_bytes((b / "mentions.parquet").read_bytes())
    with pytest.raises(store.StoreError, match="another ingestion run"):
        store.load_tables(a)


def test_categorical_columns_are_written_as_plain_strings(tmp_path):
    """The terms stage builds categoricals; on disk they must stay plain string columns (the
    table contract), and every row group must not carry a copy of all the categories."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    terms = pd.DataFrame(
        {
            "article_id": pd.Categorical(["a2", "a1", "a2"], categories=["a2", "a1", "a3"]),
            "term": pd.Categorical(["朝鲜", "俄罗斯", "俄罗斯"]),
            "count": [2, 1, 1],
        }
    )
    store.write_tables(tmp_path, {"terms": terms}, "{}")
    schema = pq.read_schema(tmp_path / "terms.parquet")
    assert not any(pa.types.is_dictionary(t) for t in schema.types)
    back = store.load_tables(tmp_path, ("terms",))["terms"]
    assert back["article_id"].astype(str).tolist() == ["a2", "a1", "a2"]
    assert back["term"].astype(str).tolist() == ["朝鲜", "俄罗斯", "俄罗斯"]
    assert list(back["term"].cat.categories) == ["俄罗斯", "朝鲜"]  # sorted, as on load


def test_rerun_gives_the_same_ids(tmp_path):
    first, _ = articles_of(PROJECT_ROOT / "data" / "raw", LABELLED)
    second, _ = articles_of(PROJECT_ROOT / "data" / "raw", LABELLED)
    assert first["article_id"].tolist() == second["article_id"].tolist()
    assert first["article_id"].is_unique


def test_exact_copy_in_two_files_keeps_both_with_distinct_ids(tmp_path):
    (tmp_path / "a.txt").write_text(REPORT_BODY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(REPORT_BODY, encoding="utf-8")
    arts, _ = articles_of(tmp_path)
    assert len(arts) == 2 and arts["article_id"].is_unique
    assert arts.iloc[1]["dup_of"] == arts.iloc[0]["article_id"]


# --- the command line ------------------------------------------------------------------------


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_cli_ingest_prints_summary_and_exit_status(tmp_path):
    out = tmp_path / "out"
    ok = run_cli("ingest", str(LABELLED), str(tmp_path / "nope"), "--out", str(out))
    assert ok.returncode == 0, ok.stderr
    assert "articles per outlet" in ok.stdout and "Yonhap" in ok.stdout
    assert "records.jsonl:3: invalid JSON" in ok.stdout
    assert (out / "articles.parquet").exists()
    quiet = run_cli("ingest", str(LABELLED), "--out", str(out), "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == ""
    (tmp_path / "empty.txt").write_bytes(b"")
    failed = run_cli("ingest", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "o2"))
    assert failed.returncode != 0
    assert "No article could be read" in failed.stderr


# --- the labelled sets -----------------------------------------------------------------------


def test_labelled_sets_keep_their_accuracy():
    """The hand-labelled sets (scripts/eval_ingestion.py prints the full figures): a change that
    breaks splitting, outlets or dates on any of them fails here."""
    sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
    import eval_ingestion

    for name, (labels, roots) in eval_ingestion.LABEL_SETS.items():
        result = eval_ingestion.evaluate(labels, roots)
        assert result["split_precision"] >= 0.95, (name, result["errors"])
        assert result["split_recall"] >= 0.95, (name, result["errors"])
        assert result["outlet_accuracy"] >= 0.95, (name, result["errors"])
        assert result["date_accuracy"] >= 0.95, (name, result["errors"])


def test_breadcrumbs_and_photo_captions_are_page_chrome():
    from dashboard.ingest.cleaning import clean_page

    page = "\n".join(
        [
            "某某网>>国际频道>>两国领导人会晤专题>>最新报道",
            "论坛 » 国际观察 » 两国领导人举行会谈",
            "▲两国领导人在机场握手。（图／资料照片）",
            "↓总统正在出席峰会↓",
            "新华社北京5月6日电 两国领导人6日在北京举行会谈，双方同意加强合作。",
        ]
    )
    kept, removed = clean_page(page)
    assert [line.text for line in kept] == [
        "新华社北京5月6日电两国领导人6日在北京举行会谈，双方同意加强合作。"
    ]
    assert len(removed) == 4
