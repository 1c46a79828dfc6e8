"""The architecture, checked: imports point one way, and the model lists its SQL files.

Layers, bottom up: sources -> store -> model -> ui / pages / commands. The sources write
through the store; the model receives a connection and computes (it imports neither the
sources nor the data access in `handoff.data`); the ui and the pages reach data through
`handoff.data` and the model, never the store itself; only the store and the sources import
duckdb, only the ui imports streamlit.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from handoff.model import AGGREGATES, MACROS, PIPELINE

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "handoff"
PAGES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]


def module_name(path: Path) -> str:
    """`src/handoff/model/views.py` -> `handoff.model.views` (a package: its __init__)."""
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(path: Path) -> str:
    if not path.is_relative_to(SRC):
        return ""
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imported(path: Path) -> set[str]:
    return parse_imports(path.read_text(encoding="utf-8"), package_of(path))


def parse_imports(text: str, package: str) -> set[str]:
    """Every module a file imports, in full (`from handoff.sources import files` gives
    `handoff.sources` and `handoff.sources.files`; relative imports are resolved against
    the file's package)."""
    tree = ast.parse(text)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names |= {f"{base}.{a.name}" for a in node.names}
    return names


def imports(path: Path) -> set[str]:
    """Top-level package names a file imports."""
    return {n.split(".")[0] for n in imported(path)}


def modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def in_layer(path: Path, layer: str) -> bool:
    rel = path.relative_to(SRC)
    return rel.parts[0] == layer or rel.with_suffix("").as_posix() == layer


def uses(path: Path, target: str) -> bool:
    """Whether a file imports `target` (a module or package) or anything inside it."""
    return any(n == target or n.startswith(target + ".") for n in imported(path))


def offenders(files, target: str) -> list[str]:
    return [p.relative_to(ROOT).as_posix() for p in files if uses(p, target)]


# -- the direction of imports ------------------------------------------------------------------------
def test_the_model_never_imports_the_sources_or_the_data_access():
    model = [p for p in modules() if in_layer(p, "model")]
    assert model, "the model package was not found"
    assert offenders(model, "handoff.sources") == []
    assert offenders(model, "handoff.data") == []


def test_the_store_imports_no_source_model_or_ui():
    store = SRC / "store.py"
    for target in ("handoff.sources", "handoff.model", "handoff.ui", "handoff.data", "handoff.commands"):
        assert not uses(store, target), target


def test_sources_write_through_the_store_and_never_reach_up():
    sources = [p for p in modules() if in_layer(p, "sources")]
    for target in ("handoff.model", "handoff.ui", "handoff.commands", "handoff.data", "streamlit"):
        assert offenders(sources, target) == [], target


def test_ui_and_pages_never_import_the_store():
    ui = [p for p in modules() if in_layer(p, "ui")]
    assert offenders(ui + PAGES, "handoff.store") == []


def test_pages_reach_data_through_the_ui_only():
    """Pages draw: they ask the ui and the model, never the store, a source or the data access."""
    for target in ("handoff.store", "handoff.sources", "handoff.data", "duckdb"):
        assert offenders(PAGES, target) == [], target


CONNECTOR_MODULES = ("handoff.sources.salesforce", "handoff.sources.hubspot")


def test_commands_ui_and_pages_import_no_connector():
    """`handoff sync NAME` and the Data page loop over the registered connectors."""
    files = [*[p for p in modules() if in_layer(p, "commands") or in_layer(p, "ui")], *PAGES]
    for connector in CONNECTOR_MODULES:
        assert offenders(files, connector) == [], connector


def test_the_sync_command_and_the_data_page_name_no_crm():
    for path in (SRC / "commands" / "sync.py", SRC / "ui" / "loading.py", ROOT / "pages" / "7_data.py"):
        text = path.read_text(encoding="utf-8").lower()
        assert "salesforce" not in text and "hubspot" not in text, path.name


def test_only_store_and_sources_import_duckdb():
    bad = [
        p.relative_to(SRC).as_posix()
        for p in modules()
        if "duckdb" in imports(p) and not (p.name == "store.py" or in_layer(p, "sources"))
    ]
    assert bad == []


def test_only_ui_imports_streamlit():
    bad = [p.relative_to(SRC).as_posix() for p in modules() if "streamlit" in imports(p) and not in_layer(p, "ui")]
    assert bad == []


def test_leak_model_is_pure():
    leak = [p for p in modules() if in_layer(p, "leak")]
    assert leak, "the revenue-leak model was not found"
    for path in leak:
        assert not imports(path) & {"duckdb", "streamlit"}, path.name


def test_pages_hold_no_sql():
    for page in PAGES:
        if page.exists():
            text = page.read_text(encoding="utf-8").upper()
            assert "SELECT " not in text and "DUCKDB" not in text, page.name


# -- the checker itself --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "source,target,expected",
    [
        ("from handoff.sources import files\n", "handoff.sources", True),
        ("from handoff.sources.files import import_dir\n", "handoff.sources", True),
        ("import handoff.sources.salesforce as sf\n", "handoff.sources", True),
        ("def f():\n    from handoff.sources import registry\n", "handoff.sources", True),
        ("from handoff import store\n", "handoff.store", True),
        ("from handoff.storage import x\n", "handoff.store", False),
        ("from ..sources import files\n", "handoff.sources", True),
        ("from . import views\n", "handoff.sources", False),
        ("from .views import x\n", "handoff.model.views", True),
    ],
)
def test_the_checker_sees_every_form_of_import(source, target, expected):
    """As if written in a module of the model package (src/handoff/model/probe.py)."""
    names = parse_imports(source, "handoff.model")
    assert any(n == target or n.startswith(target + ".") for n in names) is expected


def test_every_sql_file_is_used_by_the_model():
    """Each SQL file on disk is named by the model's code, and each named file exists."""
    on_disk = {p.name for p in (SRC / "model" / "sql").glob("*.sql")}
    named = set()
    for path in (SRC / "model").glob("*.py"):
        named |= set(re.findall(r'"([a-z_]+\.sql)"', path.read_text(encoding="utf-8")))
    assert on_disk == named
    assert {n for _, n in PIPELINE} | set(AGGREGATES) | set(MACROS) <= on_disk
