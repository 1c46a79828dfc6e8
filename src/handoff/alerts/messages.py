"""The messages: the generic webhook's JSON, Slack Block Kit messages, an email.

Text from the data (company, title, owner, lead id) is escaped where it is drawn: Slack
mrkdwn escapes `&`, `<` and `>` (so a company named `<!channel>` or `<https://x|click>`
is shown as written, never as a mention or a link), the email's HTML part goes through
`html.escape`, and a CRM link is used only when it is an http(s) URL.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage

from handoff.alerts.queue import Alert
from handoff.model.views import due_text

STAGE_LABELS = {"warning": "Warning", "breached": "Breached", "escalated": "Escalated"}
STAGE_MEANING = {
    "warning": "about to breach its SLA",
    "breached": "past its SLA target",
    "escalated": "past its SLA and the escalation time: the manager's turn",
}
SLACK_LEADS_PER_MESSAGE = 40  # Slack takes at most 50 blocks a message
SLACK_FIELD_CHARS = 200  # data text cut to this length, so a section stays far under 3,000
_SAFE_URL = re.compile(r"https?://[^\s<>|\"'`]+", re.IGNORECASE)


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def safe_url(url: str | None) -> str | None:
    """An http(s) URL that can go inside a link unchanged; anything else is dropped."""
    return url if url and _SAFE_URL.fullmatch(url) else None


def minutes_text(minutes: float) -> str:
    """Business minutes as `2 h 05 min`, rounded down (an elapsed time never looks longer)."""
    whole = int(minutes + 1e-9)
    hours, rest = divmod(whole, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def due(alert: Alert) -> str:
    """Time left before the target, or overdue, as the call list says it."""
    return due_text(alert.minutes_left)


# -- the generic webhook -------------------------------------------------------------------------
def webhook_payload(as_of: datetime, alerts: Sequence[Alert]) -> dict:
    """The contract's JSON: as_of and one object per alert."""
    return {
        "as_of": iso_utc(as_of),
        "alerts": [
            {
                "lead_id": a.lead_id,
                "owner_id": a.owner_id,
                "tier": a.tier,
                "stage": a.stage,
                "mql_at": iso_utc(a.mql_at),
                "elapsed_business_minutes": round(a.elapsed_business_minutes, 2),
                "sla_target_business_minutes": round(a.sla_target_business_minutes, 2),
                "crm_url": safe_url(a.crm_url),
            }
            for a in alerts
        ],
    }


# -- Slack -----------------------------------------------------------------------------------------
def slack_escape(text: object, limit: int = SLACK_FIELD_CHARS) -> str:
    """Text for Slack mrkdwn: `&`, `<`, `>` escaped (Slack's only control characters), cut to
    `limit` characters first so an escape is never cut in half."""
    value = str(text)
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_lead(alert: Alert) -> str:
    company = slack_escape(alert.company or "(no company)")
    url = safe_url(alert.crm_url)
    name = f"<{url}|{company}>" if url else company
    who = f" · {slack_escape(alert.title)}" if alert.title else ""
    owner = slack_escape(alert.owner_name or alert.owner_id or "unassigned")
    return (
        f"*{STAGE_LABELS[alert.stage]}*: {name}{who}\n"
        f"Lead {slack_escape(alert.lead_id)} · owner {owner} · {alert.tier} tier · "
        f"{minutes_text(alert.elapsed_business_minutes)} business since MQL "
        f"(target {minutes_text(alert.sla_target_business_minutes)}), {due(alert)} · "
        f"MQL {alert.mql_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    )


def counts_text(alerts: Sequence[Alert]) -> str:
    counts = {stage: sum(a.stage == stage for a in alerts) for stage in STAGE_LABELS}
    return ", ".join(f"{n} {stage}" for stage, n in counts.items() if n)


def slack_messages(as_of: datetime, alerts: Sequence[Alert]) -> list[tuple[dict, list[Alert]]]:
    """Slack messages of at most SLACK_LEADS_PER_MESSAGE leads each, with the alerts each
    carries (marked sent when that message is accepted)."""
    out = []
    total = len(alerts)
    for start in range(0, total, SLACK_LEADS_PER_MESSAGE):
        chunk = list(alerts[start : start + SLACK_LEADS_PER_MESSAGE])
        part = f" (part {start // SLACK_LEADS_PER_MESSAGE + 1} of {-(-total // SLACK_LEADS_PER_MESSAGE)})"
        heading = f"{total} lead{'s' if total != 1 else ''} need a first touch: {counts_text(alerts)}"
        if total <= SLACK_LEADS_PER_MESSAGE:
            part = ""
        blocks: list[dict] = [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{heading}*{part}"}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f"handoff, as of {iso_utc(as_of)}"}]},
        ]
        blocks += [{"type": "section", "text": {"type": "mrkdwn", "text": slack_lead(a)}} for a in chunk]
        out.append(({"text": heading + part, "blocks": blocks}, chunk))
    return out


# -- email -------------------------------------------------------------------------------------------
def email_subject(alerts: Sequence[Alert]) -> str:
    n = len(alerts)
    return f"{n} lead{'s' if n != 1 else ''} need a first touch: {counts_text(alerts)}"


def email_text(as_of: datetime, alerts: Sequence[Alert]) -> str:
    lines = [f"Leads that need a first touch, as of {iso_utc(as_of)}:", ""]
    for a in alerts:
        lines.append(
            f"- {STAGE_LABELS[a.stage].upper()}: {a.company or '(no company)'}" + (f", {a.title}" if a.title else "")
        )
        lines.append(
            f"  lead {a.lead_id}, owner {a.owner_name or a.owner_id or 'unassigned'}, {a.tier} tier, "
            f"{minutes_text(a.elapsed_business_minutes)} business since MQL "
            f"(target {minutes_text(a.sla_target_business_minutes)}), {due(a)}"
        )
        url = safe_url(a.crm_url)
        if url:
            lines.append(f"  {url}")
    lines += ["", "Sent by handoff alert; each lead is sent once per stage."]
    return "\n".join(lines) + "\n"


def email_html(as_of: datetime, alerts: Sequence[Alert]) -> str:
    e = html.escape
    rows = []
    for a in alerts:
        url = safe_url(a.crm_url)
        company = e(a.company or "(no company)")
        name = f'<a href="{e(url, quote=True)}">{company}</a>' if url else company
        rows.append(
            "<tr>"
            f"<td><b>{e(STAGE_LABELS[a.stage])}</b></td><td>{name}</td><td>{e(a.title or '')}</td>"
            f"<td>{e(a.lead_id)}</td><td>{e(a.owner_name or a.owner_id or 'unassigned')}</td><td>{e(a.tier)}</td>"
            f"<td>{e(minutes_text(a.elapsed_business_minutes))} (target "
            f"{e(minutes_text(a.sla_target_business_minutes))})</td><td>{e(due(a))}</td>"
            "</tr>"
        )
    head = "".join(
        f"<th align='left'>{h}</th>"
        for h in ("Stage", "Company", "Title", "Lead", "Owner", "Tier", "Business time since MQL", "Due")
    )
    return (
        "<!doctype html><html><body>"
        f"<p>Leads that need a first touch, as of {e(iso_utc(as_of))}:</p>"
        f"<table cellpadding='4' cellspacing='0' border='1'><tr>{head}</tr>{''.join(rows)}</table>"
        "<p>Sent by handoff alert; each lead is sent once per stage.</p></body></html>"
    )


def alert_email(as_of: datetime, alerts: Sequence[Alert]) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = email_subject(alerts)
    message.set_content(email_text(as_of, alerts))
    message.add_alternative(email_html(as_of, alerts), subtype="html")
    return message
