"""What people read, checked in a real browser (Playwright driving Debian's chromium) on every
page with the bundled sample, at 1440x900 and 1280x720:

- no money without its currency: a headline whose label is money (the metric registry's money
  metrics, or a label about pipeline, revenue, spend, leak, cost, recovery or value) and every
  amount in a sentence or table cell about those shows the currency's symbol or code;
- no raw column names: the schema's and the per-lead facts' names with an underscore
  (mql_at, owner_id, first_touch_at, response_business_minutes, ...) never appear in the
  visible text, chart text included, outside code blocks;
- a screenshot of each page at each size in test-artifacts/ (people_<page>_<w>x<h>.png).
"""

from __future__ import annotations

import re

import pytest
from test_browser import ARTIFACTS, wait_until_drawn

from handoff.model import EXTENDED_COLUMNS, LEAD_COLUMNS
from handoff.model import definitions as registry
from handoff.policy import Policy
from handoff.schema import TABLES
from handoff.ui import format

pytestmark = pytest.mark.browser

PAGES = [  # (url path, the page's title)
    ("", "This week"),
    ("sla_compliance", "SLA compliance"),
    ("rep_response", "Rep response times"),
    ("dispositions", "Dispositions"),
    ("handoff_to_meeting", "Handoff to meeting"),
    ("revenue_leak", "Revenue leak"),
    ("coverage_staffing", "Coverage and staffing"),
    ("data", "Data"),
]
SIZES = [(1440, 900), (1280, 720)]

POLICY = Policy()
CURRENCY = POLICY.currency
SYMBOL = format.symbol(CURRENCY)
MONEY_WORDS = re.compile(r"pipeline|revenue|spend|leak|cost|recover|contract value|deal value|waste", re.I)
MONEY_LABELS = {registry.label(m.name, POLICY) for m in registry.METRICS if m.unit == "money"}
# An amount worth checking: four or more digits (1,234 or 1234.5) or a short scale (12.3K, 4M).
AMOUNT = re.compile(
    r"(?<![\w.,/:-])(\d{1,3}(?:,\d{3})+|\d{4,})(?:\.\d+)?(?:\s?[KMB]\b)?"
    r"|(?<![\w.,/:-])\d+(?:\.\d+)?\s?[KMB]\b"
)
COUNTED = re.compile(
    r"\s*(leads?|handoffs?|MQLs?|rows?|reps?|SDRs?|touches|meetings?|opportunit|deals?|minutes?|hours?|"
    r"days?|weeks?|business|%|x\b|a month|per\b)",
    re.I,
)
COLUMN_NAMES = sorted(
    {c.name for t in TABLES for c in t.columns if "_" in c.name}
    | {c for c in [*LEAD_COLUMNS, *EXTENDED_COLUMNS] if "_" in c}
)
RAW_NAME = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, COLUMN_NAMES)) + r")(?![A-Za-z0-9_])")

VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || !node.textContent.trim()) continue;
    if (el.closest('code, pre, script, style, noscript, [role="tooltip"]')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0 && el.namespaceURI !== 'http://www.w3.org/2000/svg') continue;
    if (el.closest('details:not([open]) > :not(summary)')) continue;
    out.push(node.textContent.trim());
  }
  return out;
}"""

HEADLINES = """() => Array.from(document.querySelectorAll('[data-testid="stMetric"]')).map(m => [
  (m.querySelector('[data-testid="stMetricLabel"]') || {}).innerText || '',
  (m.querySelector('[data-testid="stMetricValue"]') || {}).innerText || '',
])"""

# Cells of the interactive tables (glide data grid keeps an accessible copy of what it draws)
# and of static tables, by column header.
TABLE_CELLS = """() => {
  const out = [];
  for (const grid of document.querySelectorAll('[data-testid="stDataFrame"], [data-testid="stTable"]')) {
    const rows = Array.from(grid.querySelectorAll('tr'));
    if (!rows.length) continue;
    const headers = Array.from(rows[0].querySelectorAll('th, td')).map(c => c.innerText.trim());
    for (const row of rows.slice(1)) {
      const cells = Array.from(row.querySelectorAll('th, td'));
      cells.forEach((cell, i) => out.push([headers[i] || '', cell.innerText.trim()]));
    }
  }
  return out;
}"""


def has_currency(text: str) -> bool:
    return SYMBOL in text or CURRENCY in text


def unpriced_amounts(line: str) -> list[str]:
    """Amounts in a line about money that carry neither the symbol nor the code next to them."""
    bad = []
    for m in AMOUNT.finditer(line):
        before, after = line[max(0, m.start() - 5) : m.start()], line[m.end() : m.end() + 5]
        if SYMBOL in before or CURRENCY in before or CURRENCY in after:
            continue
        if re.fullmatch(r"(19|20)\d\d", m.group(0)):  # a year
            continue
        if COUNTED.match(line[m.end() :]):  # a count of something, not an amount
            continue
        bad.append(m.group(0))
    return bad


def open_page(browser, url: str, title: str, width: int, height: int):  # noqa: F811 (fixture name)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.get_by_role("heading", name=title).first.wait_for(timeout=90_000)
    wait_until_drawn(page, timeout=90_000)
    page.wait_for_timeout(800)
    return page


def problems_on(page) -> list[str]:
    problems = []
    for label, value in page.evaluate(HEADLINES):
        money = label in MONEY_LABELS or MONEY_WORDS.search(label)
        if money and re.search(r"\d", value) and not has_currency(value):
            problems.append(f"headline {label!r} shows {value!r} without {CURRENCY}")
    for header, cell in page.evaluate(TABLE_CELLS):
        if MONEY_WORDS.search(header) and re.search(r"\d", cell) and not has_currency(cell):
            if not re.search(r"%|\bleads?\b|\bhandoffs?\b|\bx\b", cell):
                problems.append(f"table column {header!r} shows {cell!r} without {CURRENCY}")
    texts = page.evaluate(VISIBLE_TEXT)
    for text in texts:
        if MONEY_WORDS.search(text):
            for amount in unpriced_amounts(text):
                problems.append(f"{amount!r} without {CURRENCY} in: {text[:160]!r}")
    for text in texts:
        for m in RAW_NAME.finditer(text):
            problems.append(f"raw column name {m.group(0)!r} in: {text[:160]!r}")
    return problems


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize(("path", "title"), PAGES, ids=[p or "this_week" for p, _ in PAGES])
def test_people_read_money_with_its_currency_and_no_column_names(server, browser, path, title, width, height):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_page(browser, f"{server}/{path}", title, width, height)
    try:
        errors = page.locator("[data-testid='stException']")
        assert errors.count() == 0, (path, errors.first.inner_text())
        page.screenshot(path=str(ARTIFACTS / f"people_{path or 'this_week'}_{width}x{height}.png"), full_page=True)
        problems = problems_on(page)
        assert not problems, "\n".join(dict.fromkeys(problems))
    finally:
        page.close()


def test_the_checks_catch_what_they_look_for():
    """The patterns above find an unpriced amount and a raw column name (and leave the rest)."""
    assert unpriced_amounts("Pipeline created 125,000 this week") == ["125,000"]
    assert unpriced_amounts(f"Pipeline created {SYMBOL}125,000 this week") == []
    assert unpriced_amounts("Revenue leak 1.2M a year") == ["1.2M"]
    assert unpriced_amounts("Wasted spend on 1,204 leads in 2026") == []
    assert unpriced_amounts("Wasted spend 12,040 on never-contacted leads") == ["12,040"]
    assert unpriced_amounts("Spend since 2026") == []
    assert RAW_NAME.search("Leads without mql_at")
    assert RAW_NAME.search("median response_business_minutes")
    assert not RAW_NAME.search("Leads without an MQL date")
    assert "owner_id" in COLUMN_NAMES and "first_touch_at" in COLUMN_NAMES and "sla_status" in COLUMN_NAMES
