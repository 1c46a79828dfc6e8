"""The architecture, checked: imports point one way, and the model lists its SQL files."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from handoff.model import AGGREGATES, MACROS, PIPELINE

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "handoff"


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_only_store_and_sources_import_duckdb():
    offenders = [
        p.relative_to(SRC).as_posix() for p in modules()
        if "duckdb" in imports(p) and not (p.name == "store.py" or "sources" in p.parts)
    ]
    assert offenders == []


def test_only_ui_imports_streamlit():
    offenders = [p.relative_to(SRC).as_posix() for p in modules() if "streamlit" in imports(p) and "ui" not in p.parts]
    assert offenders == []


def test_leak_model_is_pure():
    leak = SRC / "leak.py"
    if leak.exists():
        assert not imports(leak) & {"duckdb", "streamlit"}


def test_pages_hold_no_sql():
    for page in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        if page.exists():
            text = page.read_text(encoding="utf-8").upper()
            assert "SELECT " not in text and "DUCKDB" not in text, page.name


def test_every_sql_file_is_used_by_the_model():
    """Each SQL file on disk is named by the model's code, and each named file exists."""
    on_disk = {p.name for p in (SRC / "model" / "sql").glob("*.sql")}
    named = set()
    for path in (SRC / "model").glob("*.py"):
        named |= set(re.findall(r'"([a-z_]+\.sql)"', path.read_text(encoding="utf-8")))
    assert on_disk == named
    assert {n for _, n in PIPELINE} | set(AGGREGATES) | set(MACROS) <= on_disk
