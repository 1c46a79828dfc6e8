"""Connector settings are bounded and strict like the policy's: every number refuses `true`,
inf, nan and 1e300 by name, and an unknown key is refused by name."""

from __future__ import annotations

import pytest

from handoff.sources import registry
from handoff.sources.connector import SyncError
from handoff.sources.hubspot import HubSpotSettings
from handoff.sources.salesforce import SalesforceConfig

NUMERIC = {
    SalesforceConfig: [
        "lookback_seconds", "bulk_threshold", "api_limit_stop", "retries", "backoff_seconds", "bulk_poll_seconds",
    ],
    HubSpotSettings: [
        "lookback_seconds", "page_size", "batch_size", "retries", "backoff_seconds", "retry_after_max_seconds",
    ],
}
CASES = [(model, name) for model, names in NUMERIC.items() for name in names]


def numeric_fields(model) -> list[str]:
    return [name for name, info in model.model_fields.items() if info.annotation in (int, float)]


def test_the_list_of_numeric_settings_is_complete():
    """A new numeric setting must be added above, so it is bounded and strict too."""
    assert {m.section: sorted(numeric_fields(m)) for m in NUMERIC} == {m.section: sorted(n) for m, n in NUMERIC.items()}
    assert {type(registry.get(n).settings({})) for n in registry.names()} == set(NUMERIC)


@pytest.mark.parametrize("model,name", CASES, ids=[f"{m.section}.{n}" for m, n in CASES])
@pytest.mark.parametrize("value", [True, float("inf"), float("nan"), 1e300, -1e300, "5"], ids=repr)
def test_every_numeric_setting_is_bounded_and_strict(model, name, value):
    with pytest.raises(SyncError, match=rf"\[{model.section}\] is invalid: {name}: ") as raised:
        model.parse({name: value})
    assert "1e+300" not in str(raised.value) and "inf" not in str(raised.value).replace("invalid", "")


@pytest.mark.parametrize("model,name", CASES, ids=[f"{m.section}.{n}" for m, n in CASES])
def test_the_defaults_are_within_the_bounds(model, name):
    default = model.model_fields[name].default
    assert model.parse({name: default}).model_dump()[name] == default


@pytest.mark.parametrize("model", list(NUMERIC), ids=lambda m: m.section)
def test_an_unknown_setting_is_refused_by_name(model):
    with pytest.raises(SyncError, match=rf"\[{model.section}\] is invalid: lookback_minutes: unknown setting"):
        model.parse({"lookback_minutes": 5})


def test_the_cli_refuses_a_salesforce_setting_out_of_bounds(tmp_path, capsys):
    from handoff.cli import main

    cfg = tmp_path / "handoff.toml"
    for line, problem in (
        ("retries = true", "retries: must be a whole number"),
        ("backoff_seconds = inf", "backoff_seconds: must be a finite number"),
        ("bulk_threshold = 1e300", "bulk_threshold: must be a whole number"),
        ("lookback_seconds = 99999999", "lookback_seconds: Input should be less than or equal to 604800"),
        ("bulk_treshold = 10", "bulk_treshold: unknown setting"),
    ):
        cfg.write_text(f"[salesforce]\n{line}\n")
        assert main(["sync", "salesforce", "--db", str(tmp_path / "h.duckdb"), "--config", str(cfg)]) == 2
        err = capsys.readouterr().err
        assert problem in err and len(err.strip().splitlines()) == 1
