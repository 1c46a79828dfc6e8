"""The docs cannot drift from the metric registry: docs/metrics.md is generated from it."""

from pathlib import Path

from handoff.model import docs
from handoff.model.definitions import LISTS, METRICS
from handoff.policy import policy_from_dict

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_metrics_doc_lists_every_metric():
    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    missing = [m.name for m in (*METRICS, *LISTS) if f"`{m.name}`" not in text]
    assert missing == []


def test_metric_names_are_unique_and_defined():
    names = [m.name for m in METRICS]
    assert len(names) == len(set(names))
    assert all(m.label and m.definition and m.unit for m in METRICS)


def test_metrics_doc_is_the_generated_one():
    """Regenerate with `python -m handoff.model.docs` after changing the registry."""
    assert (DOCS / "metrics.md").read_text(encoding="utf-8") == docs.render()


def test_the_docs_show_the_default_policy_and_follow_another():
    text = docs.render()
    assert "within 10 business days of mql_at" in text and "Target 70%." in text
    other = docs.render(policy_from_dict({"meeting_window_days": 5, "acceptance_target": 0.6}))
    assert "within 5 business days of mql_at" in other and "Target 60%." in other
    assert "- Acceptance rate: 60.0%, the policy's `acceptance_target`." in other


def test_the_import_guide_names_every_column_of_every_table():
    from handoff.schema import TABLES

    guide = (Path(__file__).resolve().parents[1] / "docs" / "import.md").read_text()
    for table in TABLES:
        row = next(line for line in guide.splitlines() if line.startswith(f"| `{table.name}` |"))
        for column in table.column_names:
            assert column in row, f"docs/import.md does not name {table.name}.{column}"
