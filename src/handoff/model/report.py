"""Moved: the `handoff metrics --json` data is `handoff.model.summary`; "report" now means the
weekly alignment pack (`handoff.pack`, `handoff report`). This alias remains only while the
Coverage and staffing page (handoff.ui.staffing) still imports `no_handoffs` from here."""

from handoff.model.summary import no_handoffs

__all__ = ["no_handoffs"]
