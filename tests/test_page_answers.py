"""Every page shows what it showed before the storage and query layer changed: the digests of
every element of 81 views on three corpora equal those recorded (tests/page_answers.py says
how they are made, and how to record them when a change is meant to change a page)."""

from __future__ import annotations

import json

import pytest
from page_answers import ANSWERS, answers, build_corpora


@pytest.fixture(scope="module")
def recorded() -> dict:
    return json.loads(ANSWERS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shown(tmp_path_factory) -> dict:
    return answers(build_corpora(tmp_path_factory.mktemp("page_answers")))


def test_every_view_is_recorded(recorded, shown):
    assert {c: sorted(v) for c, v in shown.items()} == {c: sorted(v) for c, v in recorded.items()}
    assert sum(len(v) for v in recorded.values()) >= 80


@pytest.mark.parametrize("corpus", ["seed", "real_pages", "synthetic"])
def test_pages_show_the_recorded_answers(recorded, shown, corpus):
    changed = []
    for view, elements in recorded[corpus].items():
        now = shown[corpus].get(view, [])
        if [e[:2] for e in now] != [e[:2] for e in elements]:
            before = {tuple(e[:2]): e[2] for e in elements}
            after = {tuple(e[:2]): e[2] for e in now}
            lost = [f"{k[0]}: {v}" for k, v in before.items() if k not in after]
            new = [f"{k[0]}: {v}" for k, v in after.items() if k not in before]
            changed.append(f"{view}\n    was: {lost[:3]}\n    now: {new[:3]}")
    assert not changed, f"{len(changed)} view(s) of {corpus} changed:\n" + "\n".join(changed)
