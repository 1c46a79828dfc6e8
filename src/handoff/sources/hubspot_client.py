"""The HubSpot connection: hubspot-api-client with an explicit retry policy, the search API's
10,000-result cap handled by re-windowing, batch reads with property history, v4
associations, owners, archived records and the account's details (its portal id).

hubspot-api-client talks to HubSpot through urllib3; its retries are the shared
`RetryPolicy` (429 and 5xx, Retry-After honoured up to a cap, every method: searches and
batch reads are POSTs), except that an answer saying the portal's daily limit is used up is
never retried: the sync stops cleanly (`ApiLimitReached`). Answers are read as JSON
(`_preload_content=False`): the client's generated models cost more than the whole rest of
the sync, and the connector needs plain records anyway.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from hubspot import HubSpot

from handoff.sources.connector import ApiLimitReached, RetryPolicy, SyncError, Unavailable

log = logging.getLogger(__name__)

SEARCH_CAP = 10_000  # the search API answers at most this many results per query
SEARCH_PAGE_MAX = 200
HISTORY_BATCH = 50  # batch read inputs per request when asking for property history
ASSOCIATION_BATCH = 1000
DAILY = "X-HubSpot-RateLimit-Daily-Remaining"


class HubSpotUnavailable(Unavailable):
    pass


def is_daily_limit(response: Any) -> bool:
    """Whether an answer says the portal's daily API allowance is used up (429 with policy
    DAILY, or the daily-remaining header at 0): waiting seconds cannot help."""
    if getattr(response, "status", None) != 429:
        return False
    headers = getattr(response, "headers", None) or {}
    if str(headers.get(DAILY, "")).strip() == "0":
        return True
    return _policy(getattr(response, "data", b"")) == "DAILY"


def _policy(body: Any) -> str:
    try:
        data = json.loads(body or b"{}")
    except (TypeError, ValueError):
        return ""
    return str(data.get("policyName", "")).upper() if isinstance(data, dict) else ""


def _message(body: Any) -> str:
    """HubSpot's own words from an error body (category and message; never a header)."""
    try:
        data = json.loads(body or b"{}")
    except (TypeError, ValueError):
        return ""
    if not isinstance(data, dict):
        return ""
    return " ".join(str(data[k]) for k in ("category", "message") if data.get(k))[:300]


def ms(ts: datetime) -> int:
    """An instant as HubSpot's search filters take it: epoch milliseconds."""
    return int(ts.astimezone(UTC).timestamp() * 1000)


@dataclass
class Search:
    """One object's search: records with `prop` in [lo, hi] (epoch ms, inclusive; None: open)."""

    object_type: str
    prop: str
    properties: list[str]
    lo: int | None
    hi: int
    page_size: int = 100
    ties_seen: set[str] = field(default_factory=set)


class Client:
    """One authenticated hubspot-api-client plus what a safe sync needs around it."""

    def __init__(self, credentials, retry: RetryPolicy | None = None, timeout: float = 120.0):
        self.requests = 0
        self.timeout = timeout
        self.daily_remaining: int | None = None
        loggers = {name: logging.getLogger(name).level for name in ("urllib3", *self._packages())}
        client = HubSpot(
            access_token=credentials.access_token.get_secret_value(),
            host=credentials.base_url.rstrip("/"),
            retry=(retry or RetryPolicy()).urllib3(stop=is_daily_limit),
        )
        crm = client.crm
        self.objects = crm.objects.basic_api
        self.search_api = crm.objects.search_api
        self.batch_api = crm.objects.batch_api
        self.owners_api = crm.owners.owners_api
        self.associations = crm.associations.v4.batch_api
        # The generated configuration sets the urllib3 and package loggers to WARNING each time
        # it is built; the application's logging levels are the application's.
        for name, level in loggers.items():
            logging.getLogger(name).setLevel(level)

    @staticmethod
    def _packages() -> tuple[str, ...]:
        return ("hubspot.crm.objects", "hubspot.crm.owners", "hubspot.crm.associations.v4")

    # -- calls --------------------------------------------------------------------------------
    def call(self, fn, *args, **kwargs) -> dict:
        """One API call, its answer as JSON; failures become SyncErrors without secrets."""
        from urllib3.exceptions import HTTPError

        self.requests += 1
        try:
            response = fn(*args, _preload_content=False, _request_timeout=self.timeout, **kwargs)
        except HTTPError as exc:
            raise HubSpotUnavailable(f"HubSpot could not be reached after retries ({type(exc).__name__}).") from None
        except Exception as exc:  # the client's ApiException family
            raise self.failure(exc) from None
        remaining = response.headers.get(DAILY)
        if remaining is not None and str(remaining).strip().isdigit():
            self.daily_remaining = int(remaining)
        try:
            return json.loads(response.data or b"{}")
        except ValueError:
            raise HubSpotUnavailable("HubSpot answered with something that is not JSON.") from None

    def failure(self, exc: Exception) -> SyncError:
        status = getattr(exc, "status", None)
        body = getattr(exc, "body", None)
        headers = getattr(exc, "headers", None) or {}
        words = _message(body)
        if status == 429 and (str(headers.get(DAILY, "")).strip() == "0" or _policy(body) == "DAILY"):
            return ApiLimitReached(
                "HubSpot's daily API limit for this portal is reached. Work done so far is saved; "
                "run the sync again tomorrow to continue."
            )
        if status == 429:
            return HubSpotUnavailable(f"HubSpot kept answering 429 (rate limit) after retries. {words}".strip())
        if status == 401:
            return SyncError("HubSpot rejected the access token (401): check the private app's token.")
        if status == 403:
            return SyncError(f"HubSpot refused the request (403): the private app lacks a scope. {words}".strip())
        if status is not None and status >= 500:
            return HubSpotUnavailable(f"HubSpot answered {status} after retries. {words}".strip())
        if status:
            return SyncError(f"HubSpot rejected a request ({status}). {words}".strip())
        return HubSpotUnavailable(f"HubSpot could not be reached after retries ({type(exc).__name__}).")

    # -- the account ---------------------------------------------------------------------------
    def account_details(self) -> dict:
        """GET /account-info/v3/details (portalId, uiDomain, ...): the client has no API class
        for it, so it goes through the same generated client (same retries, auth and pool)."""
        api_client = self.objects.api_client
        return self.call(
            api_client.call_api,
            "/account-info/v3/details",
            "GET",
            header_params={"Accept": "application/json"},
            auth_settings=["oauth2"],
        )

    # -- owners -------------------------------------------------------------------------------
    def owners(self, archived: bool) -> Iterator[list[dict]]:
        after = None
        while True:
            # The client would send a Python bool as "True"; the API documents "true".
            page = self.call(self.owners_api.get_page, limit=100, after=after, archived=str(archived).lower())
            yield page.get("results", [])
            after = ((page.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                return

    # -- archived records ---------------------------------------------------------------------
    def archived(self, object_type: str) -> Iterator[list[str]]:
        """Ids of the object's archived records, a page at a time."""
        after = None
        while True:
            page = self.call(
                self.objects.get_page, object_type, limit=100, after=after, archived="true", properties=["hs_object_id"]
            )
            yield [str(r["id"]) for r in page.get("results", [])]
            after = ((page.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                return

    # -- search -------------------------------------------------------------------------------
    def count(self, search: Search) -> int:
        body = self.body(search, [self.window(search, search.lo, search.hi)], search.prop, limit=1)
        return int(self.call(self.search_api.do_search, search.object_type, body).get("total", 0))

    @staticmethod
    def window(search: Search, lo: int | None, hi: int, equal: int | None = None, after_id: str | None = None) -> dict:
        p = search.prop
        if equal is not None:
            filters = [
                {"propertyName": p, "operator": "GTE", "value": str(equal)},
                {"propertyName": p, "operator": "LTE", "value": str(equal)},
            ]
            if after_id is not None:
                filters.append({"propertyName": "hs_object_id", "operator": "GT", "value": str(after_id)})
            return {"filters": filters}
        filters = [{"propertyName": p, "operator": "LTE", "value": str(hi)}]
        if lo is not None:
            filters.insert(0, {"propertyName": p, "operator": "GTE", "value": str(lo)})
        return {"filters": filters}

    @staticmethod
    def body(search: Search, groups: list[dict], sort: str, limit: int, after: int = 0) -> dict:
        body = {
            "filterGroups": groups,
            "sorts": [{"propertyName": sort, "direction": "ASCENDING"}],
            "properties": search.properties,
            "limit": limit,
        }
        if after:
            body["after"] = str(after)
        return body

    def pages(self, search: Search) -> Iterator[list[dict]]:
        """Every record of the search, ascending by the modification property, in pages.

        A query answers at most 10,000 results. When a window reaches that cap, every record
        modified before the last one read has been seen; the records sharing the last
        instant T are then read by id (T exactly, hs_object_id greater than the last id read,
        in windows of 10,000), and the next window starts just after T. Each window reads at
        least one new record or ends the search, so the loop ends even when more than 10,000
        records share one instant. Records seen twice (ties already read) are skipped.
        """
        lo = search.lo
        while True:
            last_ts, capped = None, False
            seen_at_last: set[str] = set()
            for results, at_cap in self._query(search, [self.window(search, lo, search.hi)], search.prop):
                capped = at_cap
                for r in results:
                    ts = r["_ms"] = self.stamp(r, search.prop)
                    if ts != last_ts:
                        last_ts, seen_at_last = ts, set()
                    seen_at_last.add(str(r["id"]))
                yield results
            if not capped or last_ts is None:
                return
            yield from self._ties(search, last_ts, seen_at_last)
            lo = last_ts + 1

    def _ties(self, search: Search, at: int, seen: set[str]) -> Iterator[list[dict]]:
        after_id = None
        while True:
            capped, last_id = False, None
            for results, at_cap in self._query(
                search, [self.window(search, None, search.hi, equal=at, after_id=after_id)], "hs_object_id"
            ):
                capped = at_cap
                if results:
                    last_id = str(results[-1]["id"])
                fresh = [r for r in results if str(r["id"]) not in seen]
                if fresh:
                    yield fresh
            if not capped or last_id is None:
                return
            after_id = last_id

    def _query(self, search: Search, groups: list[dict], sort: str) -> Iterator[tuple[list[dict], bool]]:
        """(results, capped) per page of one query; capped: the next page would pass the cap."""
        offset = 0
        limit = min(search.page_size, SEARCH_PAGE_MAX)
        while True:
            page = self.call(
                self.search_api.do_search, search.object_type, self.body(search, groups, sort, limit, offset)
            )
            results = page.get("results", [])
            nxt = ((page.get("paging") or {}).get("next") or {}).get("after")
            if not nxt or not results:
                yield results, False
                return
            offset = int(nxt)
            if offset >= SEARCH_CAP:
                yield results, True
                return
            yield results, False

    @staticmethod
    def stamp(record: dict, prop: str) -> int:
        """A record's modification instant in epoch ms (ISO 8601 or epoch ms in HubSpot's answers)."""
        value = (record.get("properties") or {}).get(prop) or record.get("updatedAt")
        text = str(value)
        if text.isdigit():
            return int(text)
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        return ms(dt)

    # -- batch reads --------------------------------------------------------------------------
    def history(self, object_type: str, ids: list[str], properties: list[str]) -> list[dict]:
        """Records with `propertiesWithHistory` (batch read, 50 ids a request)."""
        out = []
        for i in range(0, len(ids), HISTORY_BATCH):
            body = {
                "inputs": [{"id": x} for x in ids[i : i + HISTORY_BATCH]],
                "properties": [],
                "propertiesWithHistory": properties,
            }
            out.extend(self.call(self.batch_api.read, object_type, body, archived="false").get("results", []))
        return out

    def associated(self, from_type: str, to_type: str, ids: list[str]) -> dict[str, list[str]]:
        """id -> associated ids (v4 batch associations, following each record's own paging)."""
        found: dict[str, list[str]] = {}
        pending = [{"id": x} for x in ids]
        while pending:
            batch, pending = pending[:ASSOCIATION_BATCH], pending[ASSOCIATION_BATCH:]
            page = self.call(self.associations.get_page, from_type, to_type, {"inputs": batch})
            for result in page.get("results", []):
                source = str((result.get("from") or {}).get("id"))
                found.setdefault(source, []).extend(str(t.get("toObjectId")) for t in result.get("to", []))
                after = ((result.get("paging") or {}).get("next") or {}).get("after")
                if after:
                    pending.append({"id": source, "after": after})
        return found
