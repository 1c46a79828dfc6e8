"""AppTest of the owner-history blocks on the sample: the rep page's accountability table and
the SLA page's escalation share are the model's numbers, under human labels."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from handoff.model import Filters, views
from handoff.model import definitions as registry
from handoff.ui import state

from conftest import APP


def opened(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_rep_page_shows_who_owned_each_breach():
    at = opened("pages/3_rep_response.py")
    labels = [registry.label(n) for n in ("breaches_owned", "reassigned_away", "reassigned_in")]
    shown = next(d.value for d in at.dataframe if set(labels) <= set(d.value.columns))
    expected = views.rep_accountability(state.current().model, Filters())
    assert not {"breaches_owned", "reassigned_away", "reassigned_in"} & set(shown.columns)
    assert list(shown[labels[0]]) == list(expected["breaches_owned"])
    assert list(shown[labels[1]]) == list(expected["reassigned_away"])
    assert list(shown[labels[2]]) == list(expected["reassigned_in"])
    assert expected["breaches_owned"].sum() > 0 and expected["reassigned_away"].sum() > 0  # the sample has history
    assert any(s.value == "Accountability: breaches and reassignments" for s in at.subheader)


def test_the_sla_page_shows_the_share_of_breaches_reassigned_in_time():
    at = opened("pages/2_sla_compliance.py")
    esc = views.escalation(state.current().model, Filters())
    shown = [m for m in at.metric if m.label == registry.label("escalation_rate")]
    assert [m.value for m in shown] == [registry.show(esc["escalation_rate"], "share")]
    counts = f"{int(esc['escalated']):,} of {int(esc['escalation_decided']):,} breaches"
    assert any(counts in c.value for c in at.caption)
