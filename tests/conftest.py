"""Shared fixtures; the dataset builders are in `handmade.py`. The order the test files run in
under pytest-xdist (the long ones first) is set here too."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

# The long test files, queued first and in this order. `make test` hands whole files to the
# xdist workers (--dist loadfile) in the collection order, each worker starting with two, so the
# long files go first and the many short ones fill in at the end: no worker is left running a long
# file alone while the other one has finished. The real-browser files (chromium and an app server
# each) alternate with files that run in-process or on the JVM, so the two workers seldom render
# pages at the same time. The seconds are about what each file takes on a 2-core machine (pytest
# --durations=0 summed by file); files not listed keep their place after these.
LONG_FILES = [
    ("app/test_browser_tables.py", 245),
    ("engines/test_spark_parity.py", 160),
    ("app/test_browser_people.py", 198),
    ("sources/test_salesforce_crash.py", 116),
    ("app/test_browser_urls.py", 134),
    ("sources/test_salesforce.py", 70),
    ("app/test_browser.py", 131),
    ("sources/test_hubspot_crash.py", 67),
    ("app/test_browser_meeting.py", 77),
    ("model/test_data_checks.py", 56),
    ("app/test_browser_leak.py", 57),
    ("test_calendar.py", 54),
    ("app/test_xss.py", 56),
    ("app/test_leak_page.py", 42),
    ("model/test_incremental.py", 40),
    ("alerts/test_alert_runs.py", 36),
    ("sources/test_hubspot.py", 35),
    ("sources/test_files_hostile.py", 34),
    ("app/test_people_pages.py", 33),
    ("sources/test_salesforce_owner_history.py", 30),
    ("test_faults.py", 27),
    ("app/test_meeting.py", 27),
    ("test_persist.py", 26),
    ("app/test_call_list_page.py", 26),
    ("alerts/test_alert_destinations.py", 25),
    ("app/test_pages.py", 24),
]
QUEUE = {name: place for place, (name, _seconds) in enumerate(LONG_FILES)}


def pytest_configure(config: pytest.Config) -> None:
    # xdist would queue the files with the most tests first (many quick ones), not the long ones
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def _place(item: pytest.Item) -> int:
    try:
        return QUEUE.get(item.path.relative_to(TESTS).as_posix(), len(QUEUE))
    except ValueError:
        return len(QUEUE)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long files first, in the order above; a stable sort, so each file's tests keep their
    order and stay together, and the other files keep theirs."""
    items.sort(key=_place)


@pytest.fixture
def ny_rep() -> dict:
    return {"rep_id": "r1", "name": "Ann", "team": "East", "timezone": "America/New_York", "country": "US"}
