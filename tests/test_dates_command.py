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
