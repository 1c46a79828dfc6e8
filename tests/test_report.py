"""The weekly alignment pack (`handoff report`, handoff.pack): its numbers are the model's for
the same week, filters and as_of; it is one self-contained file (no script, nothing fetched);
text from the data is escaped.

A small hand-made week, as of Wed 2026-06-24 18:00Z (14:00 in New York, where both reps work,
without public holidays). MQL weeks: A (Mon 06-01) and B (06-08) are mature, C (06-15, the last
complete week: the pack's week) and D (06-22, in progress) are not.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from handmade import act, build_model, lead, meet, minutes_after, opp

from handoff import pack
from handoff.cli import main
from handoff.model import Filters, views
from handoff.model import definitions as registry

AS_OF = "2026-06-24T18:00:00Z"
HOSTILE_COMPANY = "<script>alert(1)</script>"
HOSTILE_TEAM = '<a href="https://evil.example/x">West</a>'
HOSTILE_SOURCE = '"><img src=x onerror=alert(2)>'
A, B = "2026-06-02T14:00:00Z", "2026-06-08T14:00:00Z"
C1, C2 = "2026-06-15T14:00:00Z", "2026-06-19T14:00:00Z"
D = "2026-06-23T14:00:00Z"
FULL = dict(campaign="Spring", company="Acme", title="CTO", segment="SMB")


def tables(hostile: bool = False) -> dict:
    team = HOSTILE_TEAM if hostile else "West"
    company = HOSTILE_COMPANY if hostile else "Globex"
    reps = [
        {"rep_id": "r1", "name": "Ann", "team": "East", "timezone": "America/New_York"},
        {"rep_id": "r2", "name": "Bo", "team": team, "timezone": "America/New_York"},
    ]
    leads = [
        lead("a1", A, source="Demo request", disposition="Qualified", disposition_at=minutes_after(A, 60), **FULL),
        lead("a2", A, disposition="Bad Fit", disposition_at=minutes_after(A, 120)),
        lead("a3", A, owner_id="r2"),
        lead("b1", B, source="Demo request", disposition="Qualified", disposition_at=minutes_after(B, 60), **FULL),
        lead("b2", B, disposition="Wrong Persona", disposition_at=minutes_after(B, 90), **FULL),
        lead("b3", B, owner_id="r2"),
        lead(
            "b4", B, source="Pricing page", owner_id="r2", disposition="Qualified", disposition_at=minutes_after(B, 200)
        ),
        lead("c1", C1, source="Demo request", disposition="Qualified", disposition_at=minutes_after(C1, 30), **FULL),
        lead("c2", C1, owner_id="r2", disposition="Bad Fit", disposition_at=minutes_after(C1, 45), company=company),
        lead("c3", C2, disposition="Wrong Persona", disposition_at=minutes_after(C2, 50), **FULL),
        lead("c4", C2, source=HOSTILE_SOURCE if hostile else "Content download", owner_id="r2"),
        lead("d1", D, source="Demo request"),
    ]
    acts = [
        act("xa1", "a1", minutes_after(A, 3)),
        act("xa2", "a2", minutes_after(A, 30)),
        act("xb1", "b1", minutes_after(B, 2)),
        act("xb2", "b2", minutes_after(B, 60)),
        act("xb4", "b4", minutes_after(B, 10)),
        act("xc1", "c1", minutes_after(C1, 4)),
        act("xc2", "c2", minutes_after(C1, 90)),
        act("xc3", "c3", minutes_after(C2, 20)),
        act("xd1", "d1", minutes_after(D, 1)),
    ]
    meetings = [
        meet("ma1", "a1", "2026-06-03T15:00:00Z"),
        meet("mb1", "b1", "2026-06-09T15:00:00Z"),
        meet("mc1", "c1", "2026-06-16T15:00:00Z"),
    ]
    opps = [
        opp("ob1", "b1", "2026-06-10T15:00:00Z", amount=50000),
        opp("ob4", "b4", "2026-06-11T15:00:00Z", amount=20000),
        opp("oc1", "c1", "2026-06-17T15:00:00Z", amount=30000),
    ]
    return dict(reps=reps, leads=leads, activities=acts, meetings=meetings, opportunities=opps)


WEEK = pd.Timestamp("2026-06-15").date()


@pytest.fixture(scope="module")
def model():
    return build_model(as_of=AS_OF, **tables())


@pytest.fixture(scope="module")
def text(model) -> str:
    return pack.build(model, Filters(), WEEK, source="hand-made")


class Page(HTMLParser):
    """The pack's tiles, tables, attributes and tags, as a reader (or a browser) sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.tiles, self.tables, self.text = [], [], [], [], []
        self._tile = None
        self._part = None
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]
        cls = dict(attrs).get("class", "") or ""
        if tag == "div" and cls.split()[:1] == ["tile"]:
            self._tile = {}
        elif self._tile is not None and tag == "div":
            self._part = cls.split()[0]
            self._tile[self._part] = ""
        if tag == "table":
            self.tables.append([])
        if tag == "tr":
            self._row = []
        if tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row is not None:
            self._row.append(self._cell)
            self._cell = None
        if tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None
        if tag == "div" and self._tile is not None:
            if self._part is not None:
                self._part = None
            else:
                self.tiles.append(self._tile)
                self._tile = None

    def handle_data(self, data):
        self.text.append(data)
        if self._tile is not None and self._part is not None:
            self._tile[self._part] += data
        if self._cell is not None:
            self._cell += data


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    return page


def tiles(text: str) -> dict[str, dict]:
    return {t["label"]: t for t in parse(text).tiles}


# -- the numbers are the model's ------------------------------------------------------------------
def test_the_status_tiles_are_the_models_numbers(model, text):
    summary = views.this_week(model, Filters(), WEEK).set_index("metric")
    shown = tiles(text)
    for name in ("handoffs", "acceptance_rate", "sla_compliance", "data_completeness"):
        row = summary.loc[name]
        tile = shown[registry.label(name)]
        assert tile["value"] == registry.show(row["current"], row["unit"]), name
    # week C: c1..c4 = 4 handoffs, 4 more than... B had 4: no change
    assert shown["MQLs handed off"]["value"] == "4"
    assert shown["MQLs handed off"]["change"] == "vs last week +0"
    # acceptance: c1 Qualified of c1, c2, c3 dispositioned = 1/3; final (latest MQL Fri + 48 h < as_of)
    assert shown["Acceptance rate"]["value"] == "33.3%"
    assert shown["Acceptance rate"]["status"] == "target 70.0% (-36.7 pts)"


def test_the_meeting_rate_is_the_latest_mature_weeks_and_young_weeks_are_projections(model, text):
    weekly = model.metrics("week").set_index("group")
    b = weekly.loc[pd.Timestamp("2026-06-08")]
    assert b["mature"] and not weekly.loc[pd.Timestamp("2026-06-15"), "mature"]
    tile = tiles(text)["Handoff-to-meeting rate, 2026-W24"]  # week B is the latest mature one
    assert tile["value"] == registry.show(b["handoff_to_meeting_rate"], "share") == "25.0%"  # b1 of b1..b4
    assert tile["status"] == "acceptable (latest mature week)"
    c = weekly.loc[pd.Timestamp("2026-06-15")]
    assert f"booked so far {registry.show(c['booked_so_far'], 'share')} (1 of 4)" in html.unescape(text)
    assert f"projected {registry.show(c['projected'], 'share')}" in html.unescape(text)
    # the young week has no band anywhere: its row of the weekly table says "not mature"
    row = next(r for r in parse(text).tables[-1] if r and r[0] == "2026-W25")
    assert row[3] == "not mature" and row[4] == ""


def test_the_weekly_table_is_the_models_trend(model, text):
    trend = views.weekly(model, Filters(), WEEK, n=12)
    table = parse(text).tables[-1]
    assert [r[0] for r in table[1:]] == [f"{w.isocalendar()[0]}-W{w.isocalendar()[1]:02d}" for w in trend["week"]]
    for row, (_, week) in zip(table[1:], trend.iterrows(), strict=True):
        assert row[1] == registry.show(week["handoffs"], "count")
        if week["mature"]:
            assert row[3] == registry.show(week["handoff_to_meeting_rate"], "share")


def test_pipeline_of_a_young_week_is_so_far(model, text):
    tile = tiles(text)["Pipeline created"]
    assert tile["value"] == "30,000"  # c1's opportunity
    assert tile["status"].startswith("so far, final on ")
    assert tile["change"] == "not compared with last week until final"


def test_the_tables_are_the_models(model, text):
    agenda = views.meeting_agenda(model, Filters(), WEEK)
    tables_ = parse(text).tables
    rejections = next(t for t in tables_ if t[0][0] == "Reason")
    assert [r[0] for r in rejections[1:]] == list(agenda.rejections["reason"])
    teams = next(t for t in tables_ if t[0][0] == "Team")
    assert [r[0] for r in teams[1:]] == list(agenda.by_team["team"])
    east = next(r for r in teams[1:] if r[0] == "East")
    row = agenda.by_team.set_index("team").loc["East"]
    assert east[4] == registry.show(row["sla_compliance"], "share")


def test_the_pack_carries_the_staffing_line(model, text):
    from handoff.model import staffing

    plan = staffing.plan(model)
    line = staffing.coverage_words(plan)
    assert f"{plan.hours_short:,} SDR-hours a week short" in line
    assert html.escape(line) in text


def test_the_same_pack_from_the_command_line(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    for name, rows in tables().items():
        pd.DataFrame(rows).to_csv(folder / f"{name}.csv", index=False)
    out = tmp_path / "pack.html"
    assert main(["report", "--week", "2026-W25", "--data", str(folder), "--as-of", AS_OF, "--out", str(out)]) == 0
    written = out.read_text(encoding="utf-8")
    shown = tiles(written)
    assert shown["MQLs handed off"]["value"] == "4" and shown["Acceptance rate"]["value"] == "33.3%"
    assert f"data: files in {folder}" in html.unescape(written)


# -- self-contained ------------------------------------------------------------------------------------
def test_the_pack_holds_no_external_reference(text):
    page = parse(text)
    assert not {"script", "link", "img", "iframe", "object", "embed", "base"} & set(page.tags)
    assert [a for a in page.attrs if a[1] in ("src", "href", "xlink:href", "srcset", "action")] == []
    for needle in ("http:", "https:", "//", "url(", "@import"):
        assert needle not in text.lower(), needle
    assert len(text.encode("utf-8")) < pack.MAX_BYTES
    assert "<svg" in text  # the charts are inline


def test_text_from_the_data_is_escaped():
    model = build_model(as_of=AS_OF, **tables(hostile=True))
    text = pack.build(model, Filters(), WEEK)
    page = parse(text)
    assert "script" not in page.tags and "img" not in page.tags and "a" not in page.tags
    assert html.escape(HOSTILE_COMPANY) in text  # the rejected lead's company, as text
    assert HOSTILE_COMPANY not in text
    assert HOSTILE_COMPANY in "".join(page.text)  # a reader sees the name as it is
    assert html.escape(HOSTILE_TEAM) in text and HOSTILE_TEAM not in text
    assert [a for a in page.attrs if a[1] in ("src", "href", "onerror")] == []


# -- the command line ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "week, words",
    [
        ("2026-25", "not an ISO week"),
        ("2026-W99", "no such ISO week"),
        ("2026-W10", "no handoffs with an MQL date in that week"),
    ],
)
def test_a_bad_week_is_a_clear_error(tmp_path, capsys, week, words):
    folder = tmp_path / "data"
    folder.mkdir()
    for name, rows in tables().items():
        pd.DataFrame(rows).to_csv(folder / f"{name}.csv", index=False)
    assert (
        main(["report", "--week", week, "--data", str(folder), "--as-of", AS_OF, "--out", str(tmp_path / "p.html")])
        == 2
    )
    assert words in capsys.readouterr().err
    assert not (tmp_path / "p.html").exists()


def test_the_output_must_be_html_or_pdf_and_never_an_input(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    for name, rows in tables().items():
        pd.DataFrame(rows).to_csv(folder / f"{name}.csv", index=False)
    assert main(["report", "--week", "2026-W25", "--data", str(folder), "--out", str(tmp_path / "p.txt")]) == 2
    assert "FILE.html or FILE.pdf" in capsys.readouterr().err


def test_a_pdf_without_a_browser_says_how_to_get_one(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HANDOFF_CHROMIUM", str(tmp_path / "no-such-browser"))
    folder = tmp_path / "data"
    folder.mkdir()
    for name, rows in tables().items():
        pd.DataFrame(rows).to_csv(folder / f"{name}.csv", index=False)
    assert main(["report", "--week", "2026-W25", "--data", str(folder), "--out", str(tmp_path / "p.pdf")]) == 2
    assert "install chromium" in capsys.readouterr().err
    assert not (tmp_path / "p.pdf").exists()


def test_the_pack_module_stays_in_its_layer():
    root = Path(pack.__file__).parent
    for path in root.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for word in (
            "import streamlit",
            "import duckdb",
            "from handoff.store",
            "from handoff.sources",
            "from handoff.data",
        ):
            assert word not in source, (path.name, word)


def test_metrics_json_carries_the_young_cohort_fields(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    for name, rows in tables().items():
        pd.DataFrame(rows).to_csv(folder / f"{name}.csv", index=False)
    assert main(["metrics", "--data", str(folder), "--as-of", AS_OF, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    weeks = {w["week"]: w for w in report["by_week"]}
    for group in (report["overall"], *report["by_week"], *report["by_tier"], *report["by_rep"]):
        assert {"mature", "booked_so_far", "matures_at", "projected"} <= set(group)
        if not group["mature"]:
            assert group["handoff_to_meeting_rate"] is None and group["meeting_band"] is None
    assert weeks["2026-06-08"]["mature"] and weeks["2026-06-08"]["handoff_to_meeting_rate"] == 0.25
    assert weeks["2026-06-08"]["matures_at"] is None and weeks["2026-06-08"]["projected"] is None
    young = weeks["2026-06-15"]
    assert not young["mature"] and young["booked_so_far"] == 0.25
    assert re.match(r"2026-07-0\dT", young["matures_at"]) and young["projected"] is not None
