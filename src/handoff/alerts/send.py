"""One alert run: what is new for each destination, sent, then marked.

For each destination, the alerts of the run are those of the call list at as_of whose
(lead, stage) that destination has not accepted yet. A lead is sent at its current stage
only: one that went from warning to escalated between two runs gets the escalated alert,
never a late warning; and a stage earlier than one already sent (an older `--as-of`, a
policy change) is not sent either. A destination that fails keeps its alerts pending for the
next run; the others go on, so one failing destination never blocks or repeats another.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from handoff.alerts import messages, transport
from handoff.alerts.config import Destinations
from handoff.alerts.log import AlertLog
from handoff.alerts.queue import Alert, stage_rank
from handoff.alerts.transport import DEFAULT_RETRY, Delivery, RetryPolicy

EXIT_OK, EXIT_PARTIAL, EXIT_NOTHING = 0, 1, 2


@dataclass
class Outcome:
    """What one destination got in a run."""

    destination: str
    new: list[Alert] = field(default_factory=list)  # not yet accepted before the run
    sent: list[Alert] = field(default_factory=list)  # accepted during the run
    error: str | None = None

    @property
    def pending(self) -> int:
        return len(self.new) - len(self.sent)


@dataclass
class RunResult:
    as_of: datetime
    alerts: list[Alert]
    outcomes: list[Outcome]

    @property
    def exit_code(self) -> int:
        """0: every destination has every alert; 1: some delivered, some left pending; 2:
        alerts were due and none was delivered (or no destination is configured)."""
        if not self.outcomes:
            return EXIT_NOTHING
        if all(o.pending == 0 for o in self.outcomes):
            return EXIT_OK
        return EXIT_PARTIAL if any(o.sent for o in self.outcomes) else EXIT_NOTHING


def unsent(alerts: Sequence[Alert], sent: dict[str, set[str]]) -> list[Alert]:
    """The alerts whose lead has neither this stage nor a later one sent already."""
    out = []
    for alert in alerts:
        stages = sent.get(alert.lead_id, set())
        if any(stage_rank(s) >= stage_rank(alert.stage) for s in stages):
            continue
        out.append(alert)
    return out


Sender = Callable[[list[Alert]], Delivery]


def run(
    alerts: Sequence[Alert],
    as_of: datetime,
    destinations: Destinations,
    log: AlertLog,
    retry: RetryPolicy = DEFAULT_RETRY,
    stop: threading.Event | None = None,
) -> RunResult:
    """Send what is new to each configured destination, marking each accepted message."""
    stop = stop or threading.Event()
    outcomes = []
    for name in destinations.names():
        outcome = Outcome(name, unsent(alerts, log.sent(name)))
        outcomes.append(outcome)
        if not outcome.new:
            continue
        if stop.is_set():
            outcome.error = "stopped before sending"
        else:
            for batch, deliver in _messages(name, as_of, outcome.new, destinations, retry, stop):
                if outcome.sent and retry.pause and stop.wait(retry.pause):
                    outcome.error = "stopped before sending"
                    break
                delivery = deliver()
                if not delivery.ok:
                    outcome.error = delivery.error
                    break
                log.mark_sent(name, [a.key for a in batch], as_of)
                outcome.sent += batch
        if outcome.pending:
            log.failed(name, outcome.error or "not sent", outcome.pending, as_of)
    return RunResult(as_of, list(alerts), outcomes)


def _messages(
    name: str,
    as_of: datetime,
    alerts: list[Alert],
    destinations: Destinations,
    retry: RetryPolicy,
    stop: threading.Event,
) -> list[tuple[list[Alert], Callable[[], Delivery]]]:
    """The messages of one destination: (the alerts a message carries, how to deliver it)."""
    if name == "webhook" and destinations.webhook is not None:
        url = destinations.webhook.get_secret_value()
        payload = messages.webhook_payload(as_of, alerts)
        return [(alerts, lambda: transport.post_json(url, payload, retry, stop))]
    if name == "slack" and destinations.slack is not None:
        url = destinations.slack.get_secret_value()

        def slack(body: dict) -> Callable[[], Delivery]:
            return lambda: transport.post_json(url, body, retry, stop)

        return [(chunk, slack(body)) for body, chunk in messages.slack_messages(as_of, alerts)]
    if name == "email" and destinations.email is not None:
        email = destinations.email
        message = messages.alert_email(as_of, alerts)
        return [(alerts, lambda: transport.send_email(email, message, retry, stop))]
    raise ValueError(f"unknown alert destination {name!r}")
