"""`handoff report --send`: the weekly pack to the alert destinations.

Email gets the pack attached (the HTML file, or the PDF when one was written); Slack and the
generic webhook get a short message naming the week (no file: Slack's incoming webhooks take
none). Each destination is tried once per command, with the same bounded retries as alerts.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from handoff.alerts import transport
from handoff.alerts.config import Destinations
from handoff.alerts.messages import iso_utc, slack_escape
from handoff.alerts.transport import DEFAULT_RETRY, Delivery, RetryPolicy


@dataclass(frozen=True)
class Pack:
    week: str  # ISO week, such as 2026-W46
    label: str  # the week in words, such as week of 9 Nov 2026
    filename: str
    content: bytes
    as_of: datetime

    @property
    def subtype(self) -> str:
        return "pdf" if self.filename.lower().endswith(".pdf") else "html"


def pack_email(pack: Pack) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"Weekly handoff pack: {pack.week} ({pack.label})"
    message.set_content(
        f"The weekly marketing-to-sales handoff pack of {pack.week} ({pack.label}), as of "
        f"{iso_utc(pack.as_of)}, is attached ({pack.filename}).\n"
    )
    if pack.subtype == "pdf":
        message.add_attachment(pack.content, maintype="application", subtype="pdf", filename=pack.filename)
    else:  # text, so its charset is declared
        message.add_attachment(pack.content.decode("utf-8"), subtype="html", filename=pack.filename)
    return message


def slack_message(pack: Pack, emailed: bool) -> dict:
    where = " It was emailed to the pack's recipients." if emailed else ""
    text = f"The weekly handoff pack of {slack_escape(pack.week)} ({slack_escape(pack.label)}) is ready.{where}"
    return {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def webhook_message(pack: Pack) -> dict:
    return {"as_of": iso_utc(pack.as_of), "report": {"week": pack.week, "label": pack.label, "file": pack.filename}}


def send_pack(
    pack: Pack, destinations: Destinations, retry: RetryPolicy = DEFAULT_RETRY, stop: threading.Event | None = None
) -> dict[str, Delivery]:
    """Each configured destination's delivery, email first (the others say whether it went)."""
    results: dict[str, Delivery] = {}
    if destinations.email is not None:
        results["email"] = transport.send_email(destinations.email, pack_email(pack), retry, stop)
    emailed = "email" in results and results["email"].ok
    if destinations.slack is not None:
        results["slack"] = transport.post_json(
            destinations.slack.get_secret_value(), slack_message(pack, emailed), retry, stop
        )
    if destinations.webhook is not None:
        results["webhook"] = transport.post_json(
            destinations.webhook.get_secret_value(), webhook_message(pack), retry, stop
        )
    return results
