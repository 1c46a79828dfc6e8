"""Shared fixtures; the dataset builders are in `handmade.py`. The order the test files run in
under pytest-xdist (the long ones first) is set here too."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

# About how many seconds each long file takes on a 2-core machine (pytest --durations=0 summed by
# file). `make test` hands whole files to the xdist workers (--dist loadfile) in the collection
# order, so the long files are put first and the many short ones fill in at the end: no worker is
# left running a long file alone while the other one has finished. Files not listed keep their
# place after these. A rough figure is enough; refresh it when a file gets much longer or shorter.
LONG_FILES = {
    "app/test_browser_tables.py": 245,
    "app/test_browser_people.py": 198,
    "engines/test_spark_parity.py": 160,
    "app/test_browser_urls.py": 134,
    "app/test_browser.py": 131,
    "sources/test_salesforce_crash.py": 116,
    "app/test_browser_meeting.py": 77,
    "sources/test_salesforce.py": 70,
    "sources/test_hubspot_crash.py": 67,
    "app/test_browser_leak.py": 57,
    "app/test_xss.py": 56,
    "model/test_data_checks.py": 56,
    "test_calendar.py": 54,
    "app/test_leak_page.py": 42,
    "model/test_incremental.py": 40,
    "alerts/test_alert_runs.py": 36,
    "sources/test_hubspot.py": 35,
    "sources/test_files_hostile.py": 34,
    "app/test_people_pages.py": 33,
    "sources/test_salesforce_owner_history.py": 30,
    "test_faults.py": 27,
    "app/test_meeting.py": 27,
    "test_persist.py": 26,
    "app/test_call_list_page.py": 26,
    "alerts/test_alert_destinations.py": 25,
    "app/test_pages.py": 24,
}


def pytest_configure(config: pytest.Config) -> None:
    # xdist would queue the files with the most tests first (many quick ones), not the long ones
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def _seconds(item: pytest.Item) -> int:
    try:
        return LONG_FILES.get(item.path.relative_to(TESTS).as_posix(), 0)
    except ValueError:
        return 0


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long files first; a stable sort, so each file's tests keep their order and stay together."""
    items.sort(key=lambda item: -_seconds(item))


@pytest.fixture
def ny_rep() -> dict:
    return {"rep_id": "r1", "name": "Ann", "team": "East", "timezone": "America/New_York", "country": "US"}
