"""``python -m dashboard dates``: one JSON array of date expressions per stdin line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date

from dashboard import cli
from dashboard.tables.paths import PROJECT_ROOT

LINES = [
    "外长昨晚抵达首尔，上周五会见了总统。",
    "",
    "代表团2017年8月11日至22日訪問越南，為期兩天。",  # Traditional, as some outlets write
    "兩國19年底建交",
]
WANT = [
    [
        {
            "text": "昨晚",
            "start": "2024-07-18",
            "end": "2024-07-18",
            "precision": "day",
            "approximate": False,
        },
        {
            "text": "上周五",
            "start": "2024-07-12",
            "end": "2024-07-12",
            "precision": "day",
            "approximate": False,
        },
    ],
    [],
    [
        {
            "text": "2017年8月11日至22日",
            "start": "2017-08-11",
            "end": "2017-08-22",
            "precision": "day",
            "approximate": False,
        }
    ],
    [
        {
            "text": "19年底",
            "start": "2019-11-01",
            "end": "2019-12-31",
            "precision": "month",
            "approximate": True,
        }
    ],
]


def run_main(monkeypatch, capsys, text: str, *args: str) -> list:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    assert cli.main(["dates", *args]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_one_array_per_line_resolved_against_ref(monkeypatch, capsys):
    assert run_main(monkeypatch, capsys, "\n".join(LINES) + "\n", "--ref", "2024-07-19") == WANT


def test_without_ref_today_is_the_reference(monkeypatch, capsys):
    before = date.today().isoformat()
    (got,) = run_main(monkeypatch, capsys, "总统今天抵达北京")
    assert got[0]["text"] == "今天" and got[0]["start"] in {before, date.today().isoformat()}


def test_the_command_runs_as_a_program():
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "dates", "--ref", "2024-07-19"],
        input="\n".join(LINES).encode("utf-8"),  # no newline after the last line
        capture_output=True,
        cwd=PROJECT_ROOT,
        timeout=120,
        check=True,
    )
    out = proc.stdout.decode("utf-8")
    assert "昨晚" in out  # not escaped: ensure_ascii=False
    assert [json.loads(line) for line in out.splitlines()] == WANT


def test_a_bad_ref_is_refused():
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "dates", "--ref", "2024-13-01"],
        input=b"",
        capture_output=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert proc.returncode == 2 and b"not an ISO date" in proc.stderr


def spans(monkeypatch, capsys, line: str, ref: str = "2024-07-19") -> list[tuple[str, str, str]]:
    (got,) = run_main(monkeypatch, capsys, line, "--ref", ref)
    return [(g["text"], g["start"], g["end"]) for g in got]


def test_a_date_followed_by_since_runs_up_to_the_reference_day(monkeypatch, capsys):
    assert spans(monkeypatch, capsys, "双方自2022年3月起暂停对话") == [
        ("2022年3月起", "2022-03-01", "2024-07-19")
    ]
    assert spans(monkeypatch, capsys, "两国关系自去年10月以来持续升温") == [
        ("去年10月以来", "2023-10-01", "2024-07-19")
    ]
    assert spans(monkeypatch, capsys, "该协议从2019年起至今有效") == [
        ("2019年起至今", "2019-01-01", "2024-07-19")
    ]
    # 起 opening a word is no "since": 2019年起草的协议 is a draft of 2019.
    assert spans(monkeypatch, capsys, "2019年起草的协议") == [
        ("2019年", "2019-01-01", "2019-12-31")
    ]


def test_a_date_still_to_come_followed_by_before_runs_from_the_reference_day(monkeypatch, capsys):
    assert spans(monkeypatch, capsys, "双方同意在明年3月之前完成谈判") == [
        ("明年3月之前", "2024-07-19", "2025-03-31")
    ]
    assert spans(monkeypatch, capsys, "目标是2030年以前实现") == [
        ("2030年以前", "2024-07-19", "2030-12-31")
    ]
    # A past date before 前 keeps its own span (nothing is open about it).
    assert spans(monkeypatch, capsys, "2019年前已有先例") == [
        ("2019年", "2019-01-01", "2019-12-31")
    ]


def test_lengths_of_time_since_and_within(monkeypatch, capsys):
    assert spans(monkeypatch, capsys, "五个多月以来双方多次会晤") == [
        ("五个多月以来", "2024-02-01", "2024-07-19")
    ]
    assert spans(monkeypatch, capsys, "两年多以来") == [("两年多以来", "2022-01-01", "2024-07-19")]
    assert spans(monkeypatch, capsys, "须在30日内答复") == [("30日内", "2024-07-19", "2024-08-18")]
    assert spans(monkeypatch, capsys, "一年半以内") == [("一年半以内", "2024-07-19", "2026-01-31")]
    # Windows that were read before stay as they were: 近5年来 is a length, 未来10天 a window.
    assert spans(monkeypatch, capsys, "未来10天内") == [("未来10天内", "2024-07-19", "2024-07-28")]


def test_the_events_stage_does_not_take_an_open_range_as_an_event_date():
    from dashboard.ingest.timeexpr import find_times

    (since,) = find_times("自2022年3月起", date(2024, 7, 19))
    assert (since.date, since.date_end) == (date(2022, 3, 1), date(2022, 3, 31))
