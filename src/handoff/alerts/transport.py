"""Delivery: an HTTP POST of JSON and an SMTP message, each retried within bounds.

HTTP goes through urllib (the standard library), which writes nothing to `logging`: a webhook
URL is a secret (Slack's path is its token), and urllib3's debug log would print the path of
every request. Answers: 2xx is delivered; 429 waits for its Retry-After (at most
`retry_after_max` seconds, else the alert is left for the next run), 5xx and connection
failures are retried with exponential backoff, up to `attempts` tries; any other answer
(4xx, a redirect) is not retried. A failure is told by kind ("HTTP 503", "connection
refused"), never with the URL. Waits end early when `stop` is set (SIGINT/SIGTERM under
`--every`): what was not delivered stays pending.
"""

from __future__ import annotations

import json
import os
import smtplib
import socket
import ssl
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Any

from handoff.alerts.config import Email


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries per message within one run
    backoff: float = 1.0  # seconds before the 2nd try; doubled each time
    backoff_max: float = 30.0
    retry_after_max: float = 60.0  # a longer Retry-After leaves the message for the next run
    timeout: float = 20.0  # seconds to connect, and per read
    pause: float = 1.0  # between two messages to one webhook (Slack allows about one a second)


DEFAULT_RETRY = RetryPolicy()


@dataclass(frozen=True)
class Delivery:
    ok: bool
    error: str | None = None  # the kind of failure, without secrets
    attempts: int = 1


def tls_context() -> ssl.SSLContext:
    """The standard trust store; REQUESTS_CA_BUNDLE or SSL_CERT_FILE name another one."""
    cafile = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE")
    return ssl.create_default_context(cafile=cafile if cafile and os.path.isfile(cafile) else None)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # a redirect is an answer, not followed
        return None


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPSHandler(context=tls_context()), _NoRedirect())


def connection_error(exc: BaseException) -> str:
    """A failed connection in words, from its type only (the message may hold the URL)."""
    reason: Any = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "host not found"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return "TLS certificate not trusted"
    if isinstance(reason, ssl.SSLError):
        return "TLS error"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(reason, ConnectionError):
        return "connection dropped"
    return f"connection failed ({type(reason).__name__})"


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks to wait (a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def post_json(
    url: str, payload: Any, retry: RetryPolicy = DEFAULT_RETRY, stop: threading.Event | None = None
) -> Delivery:
    """POST `payload` as JSON until a 2xx, a final answer, or the tries run out."""
    stop = stop or threading.Event()
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    opener = _opener()
    error = "not sent"
    for attempt in range(1, retry.attempts + 1):
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "handoff-alert"},
        )
        wait: float | None = None
        try:
            with opener.open(request, timeout=retry.timeout) as answer:
                answer.read(65536)
                return Delivery(True, attempts=attempt)
        except urllib.error.HTTPError as exc:
            status = exc.code
            after = retry_after(exc.headers.get("Retry-After") if exc.headers else None)
            exc.close()
            error = f"HTTP {status}"
            if status == 429:
                if after is not None and after > retry.retry_after_max:
                    return Delivery(False, f"HTTP 429, retry after {after:.0f} s: left for the next run", attempt)
                wait = after
            elif status < 500:
                return Delivery(False, error, attempt)
        except (urllib.error.URLError, OSError) as exc:
            error = connection_error(exc)
        if attempt == retry.attempts:
            break
        if wait is None:
            wait = min(retry.backoff * 2 ** (attempt - 1), retry.backoff_max)
        if stop.wait(wait):
            return Delivery(False, f"{error}; stopped before retrying", attempt)
    return Delivery(False, f"{error} after {retry.attempts} tries", retry.attempts)


def send_email(
    settings: Email, message: EmailMessage, retry: RetryPolicy = DEFAULT_RETRY, stop: threading.Event | None = None
) -> Delivery:
    """Send one message through the policy's SMTP server (STARTTLS unless turned off, port 465:
    TLS from the start), logging in when a user is set. Connection failures and temporary (4xx)
    SMTP answers are retried; a permanent answer (5xx, a refused login) is not."""
    stop = stop or threading.Event()
    del message["From"], message["To"]
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.to)
    error = "not sent"
    for attempt in range(1, retry.attempts + 1):
        try:
            _smtp_send(settings, message, retry.timeout)
            return Delivery(True, attempts=attempt)
        except smtplib.SMTPAuthenticationError as exc:
            return Delivery(False, f"SMTP login refused ({exc.smtp_code})", attempt)
        except smtplib.SMTPRecipientsRefused:
            return Delivery(False, "SMTP server refused every recipient", attempt)
        except smtplib.SMTPNotSupportedError:
            return Delivery(False, "SMTP server does not offer STARTTLS or AUTH", attempt)
        except smtplib.SMTPResponseException as exc:
            error = f"SMTP {exc.smtp_code}"
            if exc.smtp_code >= 500:
                return Delivery(False, error, attempt)
        except smtplib.SMTPException as exc:
            error = f"SMTP error ({type(exc).__name__})"
        except OSError as exc:
            error = connection_error(exc)
        if attempt == retry.attempts:
            break
        if stop.wait(min(retry.backoff * 2 ** (attempt - 1), retry.backoff_max)):
            return Delivery(False, f"{error}; stopped before retrying", attempt)
    return Delivery(False, f"{error} after {retry.attempts} tries", retry.attempts)


def _smtp_send(settings: Email, message: EmailMessage, timeout: float) -> None:
    smtp: smtplib.SMTP
    if settings.port == 465:
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=tls_context())
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    with smtp:
        if settings.port != 465 and settings.starttls:
            smtp.starttls(context=tls_context())
        if settings.user:
            _login(smtp, settings.user, settings.password.get_secret_value() if settings.password else "")
        smtp.send_message(message, from_addr=settings.sender, to_addrs=list(settings.to))


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """Log in once, with PLAIN or LOGIN when offered (smtplib's `login` would try each
    mechanism in turn with the same password, three refusals where one tells the story)."""
    smtp.ehlo_or_helo_if_needed()
    offered = smtp.esmtp_features.get("auth", "").upper().split()
    for mechanism in ("PLAIN", "LOGIN"):
        if mechanism in offered:
            smtp.user, smtp.password = user, password
            smtp.auth(mechanism, getattr(smtp, f"auth_{mechanism.lower()}"))
            return
    smtp.login(user, password)
