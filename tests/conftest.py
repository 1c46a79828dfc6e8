"""Shared fixtures; the dataset builders are in `handmade.py`."""

from __future__ import annotations

import pytest


@pytest.fixture
def ny_rep() -> dict:
    return {"rep_id": "r1", "name": "Ann", "team": "East", "timezone": "America/New_York", "country": "US"}
