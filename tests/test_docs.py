"""The documents a newcomer reads point at files that are there."""

from __future__ import annotations

import re

import pytest

from dashboard.tables.paths import PROJECT_ROOT

DOCS = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
# [text](target) and ![alt](target): local targets only (no scheme, no in-page anchor).
LINK = re.compile(r"!?\[[^\]]*\]\((?P<target>[^)\s#]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_local_link_and_image_of_a_document_exists(doc):
    missing = [
        m["target"]
        for m in LINK.finditer(doc.read_text(encoding="utf-8"))
        if "://" not in m["target"]
        and not m["target"].startswith("mailto:")
        and not (doc.parent / m["target"]).exists()
    ]
    assert not missing, f"{doc.name} links to files that are not there: {missing}"


def test_the_readme_shows_screenshots_of_both_languages():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    shots = re.findall(r"!\[[^\]]*\]\((docs/screenshots/[^)]+)\)", readme)
    assert any("-zh-" in s for s in shots) and any("-en-" in s for s in shots)
