"""ISO 8601 timestamps as handoff reads them, everywhere (file import, `--as-of`): a date, an
optional time, and (only after a time) an offset. A date alone is midnight in the company
timezone; a zone name is refused, never silently dropped; an offset no clock uses (more
than 14 hours, or minutes past 59) is refused, never shifted."""

from __future__ import annotations

import re

DATE = r"\d{4}-\d{2}-\d{2}"
TIME = r"[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?"
OFFSET = r"([zZ]|[+-](0\d|1[0-4])(:?[0-5]\d)?)"
NAIVE_RE = f"{DATE}({TIME})?"
EXACT_RE = DATE + TIME + OFFSET


def is_iso(text: str) -> bool:
    """Whether `text` is a timestamp in one of the accepted ISO 8601 forms."""
    return re.fullmatch(NAIVE_RE, text) is not None or re.fullmatch(EXACT_RE, text) is not None
