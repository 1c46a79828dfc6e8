"""The Salesforce connection: a retrying HTTPS session, API-limit watching, paged reads.

simple-salesforce does the requests; this module adds what it lacks for a safe sync:
bounded retries with backoff (429, 5xx, dropped connections), a stop before the org's
daily API allowance runs out, REST pages (following nextRecordsUrl) and Bulk API 2.0
result pages, both as DataFrames of raw Salesforce field values.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pandas as pd
import requests
from requests.adapters import HTTPAdapter
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceError,
    SalesforceExpiredSession,
    SalesforceMalformedRequest,
    SalesforceOperationError,
    SalesforceRefusedRequest,
    SalesforceResourceNotFound,
)

from handoff.sources.connector import ApiLimitReached, RetryPolicy, SyncError, Unavailable

log = logging.getLogger(__name__)

_LIMIT_RE = re.compile(r"(?:^|[;\s])api-usage=(\d+)/(\d+)")


class SalesforceUnavailable(Unavailable):
    pass


def retrying_session(retry: RetryPolicy | None = None) -> requests.Session:
    """A requests session that retries 429/5xx and dropped connections by the shared policy."""
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=(retry or RetryPolicy()).urllib3())
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


@dataclass
class ApiUsage:
    used: int | None = None
    total: int | None = None

    @property
    def ratio(self) -> float | None:
        if self.used is None or not self.total:
            return None
        return self.used / self.total


def _error_text(exc: SalesforceError) -> tuple[str, str]:
    """(errorCode, message) of a Salesforce error answer, without URLs or headers."""
    content = exc.content
    if isinstance(content, list) and content and isinstance(content[0], dict):
        return str(content[0].get("errorCode", "")), str(content[0].get("message", ""))
    if isinstance(content, dict):
        return str(content.get("errorCode", "")), str(content.get("message", ""))
    return "", str(content)[:200]


class Connection:
    """One authenticated Salesforce client plus the limit watch."""

    def __init__(
        self,
        credentials,
        *,
        limit_stop: float = 0.9,
        retry: RetryPolicy | None = None,
        bulk_wait: float = 1.0,
        timeout: float = 120.0,
        api_version: str = "59.0",
    ):
        self.usage = ApiUsage()
        self.limit_stop = limit_stop
        self.bulk_wait = bulk_wait
        self.timeout = timeout
        self.requests = 0
        session = retrying_session(retry)
        session.hooks["response"].append(self._watch)
        self.session = session
        try:
            if credentials.access_token is not None:
                self.sf = Salesforce(
                    instance_url=credentials.instance_url,
                    session_id=credentials.access_token.get_secret_value(),
                    session=session,
                    version=api_version,
                )
            else:
                self.sf = Salesforce(
                    username=credentials.username,
                    password=credentials.password.get_secret_value(),
                    security_token=credentials.security_token.get_secret_value(),
                    domain=credentials.domain,
                    session=session,
                    version=api_version,
                )
        except SalesforceError as exc:
            code, message = _error_text(exc)
            raise SyncError(f"Salesforce login failed: {code or message}".strip()) from None
        except requests.RequestException as exc:
            raise SalesforceUnavailable(f"Salesforce login failed: {type(exc).__name__}") from None

    @property
    def instance_url(self) -> str:
        """The address the client talks to (simple-salesforce always speaks https to its host)."""
        return f"https://{self.sf.sf_instance}"

    # -- limits ---------------------------------------------------------------------------
    def _watch(self, response: requests.Response, *args, **kwargs) -> None:
        self.requests += 1
        info = response.headers.get("Sforce-Limit-Info")
        if info:
            m = _LIMIT_RE.search(info)
            if m:
                self.usage = ApiUsage(int(m.group(1)), int(m.group(2)))

    def check_limit(self) -> None:
        """Raise ApiLimitReached before a request when the org is at its stop threshold."""
        ratio = self.usage.ratio
        if ratio is not None and ratio >= self.limit_stop:
            raise ApiLimitReached(
                f"Salesforce API limit nearly reached ({self.usage.used} of {self.usage.total} "
                f"daily requests used; the sync stops at {self.limit_stop:.0%}). "
                "Work done so far is saved; run the sync again later to continue."
            )

    # -- calls ----------------------------------------------------------------------------
    def call(self, fn: Callable, *args, **kwargs):
        """Run one client call, turning its failures into SyncErrors without secrets."""
        self.check_limit()
        try:
            return fn(*args, **kwargs)
        except SalesforceRefusedRequest as exc:
            code, message = _error_text(exc)
            if code == "REQUEST_LIMIT_EXCEEDED":
                raise ApiLimitReached(
                    "Salesforce API limit reached (REQUEST_LIMIT_EXCEEDED). Work done so far is "
                    "saved; run the sync again when the org's allowance resets."
                ) from None
            raise SyncError(f"Salesforce refused the request: {code} {message}".strip()) from None
        except SalesforceExpiredSession:
            raise SyncError(
                "Salesforce rejected the session (INVALID_SESSION_ID): the access token is "
                "expired or wrong; get a new one or use username + password + security token."
            ) from None
        except SalesforceMalformedRequest as exc:
            code, message = _error_text(exc)
            raise SyncError(f"Salesforce rejected a query: {code} {message}".strip()) from None
        except SalesforceResourceNotFound as exc:
            code, message = _error_text(exc)
            raise SyncError(f"Salesforce has no such resource for this user: {code} {message}".strip()) from None
        except SalesforceError as exc:
            code, message = _error_text(exc)
            raise SalesforceUnavailable(
                f"Salesforce answered {exc.status} after retries: {code} {message}".strip()
            ) from None
        except SalesforceOperationError as exc:
            raise SyncError(f"Salesforce Bulk API job failed: {str(exc)[:300]}") from None
        except requests.RequestException as exc:
            raise SalesforceUnavailable(
                f"Salesforce could not be reached after retries ({type(exc).__name__})."
            ) from None

    def describe_fields(self, obj: str) -> dict[str, str]:
        """Field name -> Salesforce type of an object."""
        result = self.call(getattr(self.sf, obj).describe)
        return {f["name"]: f.get("type", "") for f in result.get("fields", [])}

    def count(self, soql_from_where: str) -> int:
        result = self.call(
            self.sf.query,
            f"SELECT COUNT() {soql_from_where}",
            include_deleted=True,
            timeout=self.timeout,
        )
        return int(result.get("totalSize", 0))

    def rest_pages(self, soql: str, include_deleted: bool = True) -> Iterator[pd.DataFrame]:
        """REST query pages (up to 2,000 records each), following nextRecordsUrl until done."""
        result = self.call(self.sf.query, soql, include_deleted=include_deleted, timeout=self.timeout)
        while True:
            yield records_frame(result.get("records", []))
            if result.get("done", True):
                return
            result = self.call(
                self.sf.query_more,
                result["nextRecordsUrl"],
                identifier_is_url=True,
                timeout=self.timeout,
            )

    def bulk_pages(
        self, obj: str, soql: str, include_deleted: bool = True, max_records: int = 50000
    ) -> Iterator[pd.DataFrame]:
        """Bulk API 2.0 query result pages as DataFrames of strings (empty -> None)."""
        bulk_type = getattr(self.sf.bulk2, obj)
        method = bulk_type.query_all if include_deleted else bulk_type.query
        pages = method(soql, max_records=max_records, wait=self.bulk_wait)
        while True:
            self.check_limit()
            try:
                text = self.call(next, pages)
            except StopIteration:
                return
            yield csv_frame(text)


def records_frame(records: list[dict]) -> pd.DataFrame:
    rows = [{k: v for k, v in r.items() if k != "attributes"} for r in records]
    return pd.DataFrame(rows, dtype=object)


def csv_frame(text: str) -> pd.DataFrame:
    if not text.strip():
        return pd.DataFrame(dtype=object)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    frame = frame.astype(object)
    return frame.mask(frame == "", None)
