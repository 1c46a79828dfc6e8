"""The leak package stays pure and keeps its public names where pages and commands find them."""

from __future__ import annotations

import ast
from pathlib import Path

import handoff.leak as leak
from handoff.schema import SPEED_BUCKET_NAMES, SPEED_BUCKETS

PACKAGE = Path(leak.__file__).resolve().parent
FORBIDDEN = {"duckdb", "streamlit", "plotly", "handoff.model", "handoff.store", "handoff.ui", "handoff.sources",
             "handoff.commands", "handoff.calendar", "handoff.policy"}


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_leak_modules_import_no_database_ui_or_model():
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) > 1
    for path in modules:
        bad = {n for n in imported(path) if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)}
        assert bad == set(), f"{path.name} imports {bad}"


def test_public_names_are_reexported():
    for name in leak.__all__:
        assert getattr(leak, name) is not None, name
    assert callable(leak.compute) and callable(leak.sensitivity) and callable(leak.assumptions)


def test_buckets_are_the_schema_speed_buckets():
    assert leak.BUCKETS == tuple(name for name, _ in SPEED_BUCKETS)
    assert (*leak.BUCKETS, leak.NEVER) == SPEED_BUCKET_NAMES


def test_every_input_the_sensitivity_moves_has_a_label():
    assert set(leak.LABELS) == set(leak.SCALARS) | set(leak.FAMILIES)
    assert set(leak.sensitivity(leak.default_inputs())["label"]) >= {leak.LABELS[n] for n in leak.SCALARS}
