"""The package's shape: which side of the processed tables each module lives on.

    common/    helpers both sides use (script conversion, numpy helpers, the string table)
    tables/    the on-disk contract (schema, store, paths)
    ingest/    raw documents -> tables
    analysis/  tables -> DataFrames
    figures/   DataFrames -> figures
    app/       Streamlit: the page frame, sidebar, URL state
    tools/     the benchmark and its corpus

Imports go one way (app -> analysis/figures -> tables <- ingest), and nothing below app/
imports Streamlit.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "dashboard"

# What each part may import from the package (besides itself).
ALLOWED = {
    "common": set(),
    "tables": {"common"},
    "ingest": {"common", "tables"},
    "analysis": {"common", "tables"},
    "figures": {"common", "tables", "analysis"},
    "app": {"common", "tables", "ingest", "analysis", "figures"},
}
BELOW_APP = ["common", "tables", "ingest", "analysis", "figures", "tools"]


def _modules(part: str) -> list[Path]:
    return sorted((PACKAGE / part).glob("*.py"))


def _imported_parts(path: Path) -> set[str]:
    """The package parts a module imports (relative or absolute imports of dashboard.*)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = path.parent.name
    parts = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                parts.add(own)
            elif node.level == 2:
                if node.module:
                    parts.add(node.module.split(".")[0])
                else:
                    parts.update(alias.name for alias in node.names)
            elif node.level == 0 and (node.module or "").startswith("dashboard."):
                parts.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("dashboard."):
                    parts.add(alias.name.split(".")[1])
    return parts


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_imports_go_one_way(part):
    for path in _modules(part):
        wrong = _imported_parts(path) - ALLOWED[part] - {part}
        assert not wrong, f"{part}/{path.name} imports {sorted(wrong)}"


def test_nothing_below_app_imports_streamlit():
    modules = [
        f"dashboard.{part}.{path.stem}"
        for part in BELOW_APP
        for path in _modules(part)
        if path.stem != "__init__"
    ] + ["dashboard.cli"]
    code = (
        "import sys\n"
        "sys.modules['streamlit'] = None  # any import of it now raises ImportError\n"
        "import importlib\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(len(sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parents[1]
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_the_check_sees_a_wrong_import(tmp_path):
    """The direction check reads relative imports the way the package writes them."""
    module = tmp_path / "analysis" / "bad.py"
    module.parent.mkdir()
    module.write_text("from ..app import page\nfrom .filters import Filters\n")
    assert _imported_parts(module) == {"app", "analysis"}


def test_modules_stay_small_enough_to_read():
    """About 500 lines at most: a module that grows past it mixes jobs; split it along them."""
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 560
    }
    assert not long, long
