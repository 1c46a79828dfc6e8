"""The docs cannot drift from the metric registry."""

from pathlib import Path

from handoff.model.definitions import METRICS

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_metrics_doc_lists_every_metric():
    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    missing = [m.name for m in METRICS if f"`{m.name}`" not in text]
    assert missing == []


def test_metric_names_are_unique_and_defined():
    names = [m.name for m in METRICS]
    assert len(names) == len(set(names))
    assert all(m.label and m.definition and m.unit for m in METRICS)
