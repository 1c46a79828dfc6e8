"""A local fake HubSpot portal speaking the CRM v3 / v4 APIs over HTTP on 127.0.0.1.

The real hubspot-api-client is pointed at it (`HubSpot(host="http://127.0.0.1:PORT")`) and
makes real requests. Answers follow HubSpot's documented shapes:

- `GET /crm/v3/owners/` (limit, after, archived): owners with teams, `paging.next.after`.
- `POST /crm/v3/objects/{type}/search`: filterGroups (OR of ANDs; EQ, NEQ, GT, GTE, LT, LTE,
  HAS_PROPERTY), one sort, properties, limit (at most 200), after (an offset); `total`,
  `results` and `paging.next.after`. Like HubSpot, a query answers at most `search_cap`
  results (10,000): asking for an offset at or past it is a 400. Records sharing the sort
  value come back in an order of their own (not by id), as HubSpot gives no tie order.
  Datetime filters take epoch milliseconds.
- `POST /crm/v3/objects/{type}/batch/read`: `propertiesWithHistory` (newest first; at most 50
  inputs then, else 100); missing ids are reported as errors with status 207.
- `GET /crm/v3/objects/{type}?archived=true`: the archived records, paged.
- `POST /crm/v4/associations/{from}/{to}/batch/read`: `results[].from.id`, `to[].toObjectId`
  with `associationTypes`; more than `association_page` associations page per record.
- `GET /account-info/v3/details`: `portalId` (`portal_id`), `uiDomain` (`ui_domain`; None
  leaves it out), time zone, currency, data hosting location.
- Every answer carries `X-HubSpot-RateLimit-Daily` / `-Daily-Remaining`; past `daily_limit`
  requests the answer is HubSpot's daily-limit 429 (`policyName: DAILY`). `fail()` queues
  faults (429 with or without Retry-After, 5xx, a dropped connection) by route.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import socket
import threading
import zlib
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlparse

from fake_server import FakeServer

UTC = UTC
TYPES = ("contacts", "calls", "emails", "meetings", "deals")
MODIFIED = {"contacts": "lastmodifieddate"}  # the others: hs_lastmodifieddate
CREATED = {"contacts": "createdate", "deals": "createdate"}  # the others: hs_createdate
DATETIME_PROPS = {
    "createdate",
    "lastmodifieddate",
    "hs_createdate",
    "hs_lastmodifieddate",
    "hs_timestamp",
    "hs_meeting_start_time",
    "closedate",
    "hubspot_owner_assigneddate",
    "hs_v2_date_entered_marketingqualifiedlead",
    "hs_lifecyclestage_marketingqualifiedlead_date",
    "hs_v2_date_entered_salesqualifiedlead",
    "hs_lifecyclestage_salesqualifiedlead_date",
}
ASSOCIATION_TYPES = {"calls": 194, "emails": 198, "meetings": 200, "deals": 3}


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def epoch_ms(dt: datetime) -> int:
    return int(dt.astimezone(UTC).timestamp() * 1000)


def modified_prop(object_type: str) -> str:
    return MODIFIED.get(object_type, "hs_lastmodifieddate")


class FakeHubSpot(FakeServer):
    def __init__(
        self,
        token: str = "pat-na1-11111111-2222-3333-4444-TopSecretHubSpotToken",
        *,
        search_cap: int = 10_000,
        daily_limit: int = 10**9,
        start: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        association_page: int = 500,
    ):
        self.token = token
        self.search_cap = search_cap
        self.daily_limit = daily_limit
        self.daily_used = 0
        self.association_page = association_page
        self.portal_id: object = 62515
        self.ui_domain: str | None = "app.hubspot.com"
        self.clock = start
        self.ids = itertools.count(1001)
        self.owners: dict[str, dict] = {}
        self.records: dict[str, dict[str, dict]] = {t: {} for t in TYPES}
        self.history: dict[tuple[str, str, str], list[dict]] = {}
        self.links: dict[tuple[str, str], list[str]] = {}  # (type, id) -> contact ids
        self.log: list[tuple[str, str, dict]] = []
        self.faults: list[dict] = []
        self.lock = threading.RLock()
        self._cache: dict[str, list[dict]] = {}
        self._server = None

    # -- data ---------------------------------------------------------------------------------------
    def tick(self, seconds: float = 1) -> datetime:
        self.clock += timedelta(seconds=seconds)
        return self.clock

    def add_owner(
        self,
        first: str,
        last: str,
        email: str | None = None,
        team: str | None = None,
        archived: bool = False,
        id: str | None = None,
    ) -> str:
        with self.lock:
            oid = id or str(next(self.ids))
            self.owners[oid] = {
                "id": oid,
                "email": email,
                "firstName": first,
                "lastName": last,
                "userId": int(oid) + 5000,
                "createdAt": iso(self.clock),
                "updatedAt": iso(self.clock),
                "archived": archived,
                "teams": [{"id": "1", "name": team, "primary": True}] if team else [],
            }
            return oid

    def add(
        self,
        object_type: str,
        id: str | None = None,
        modified: datetime | None = None,
        contacts: list[str] | None = None,
        **props,
    ) -> str:
        """A record created now (the clock); `props` are property values (datetimes become ISO)."""
        with self.lock:
            rid = id or str(next(self.ids))
            created = props.pop(CREATED.get(object_type, "hs_createdate"), None) or self.clock
            rec = {"id": rid, "archived": False, "createdAt": iso(created), "properties": {"hs_object_id": rid}}
            self.records[object_type][rid] = rec
            rec["properties"][CREATED.get(object_type, "hs_createdate")] = iso(created)
            for name, value in props.items():
                rec["properties"][name] = _text(value)  # its history: this value since creation
            self._touch(object_type, rid, modified or self.clock)
            if contacts is not None:
                self.links[(object_type, rid)] = [str(c) for c in contacts]
            return rid

    def update(self, object_type: str, rid: str, at: datetime | None = None, **props) -> None:
        """Change properties (each change recorded in the property's history) at `at` (the clock)."""
        with self.lock:
            at = at or self.clock
            for name, value in props.items():
                self._set(object_type, rid, name, value, at)
            self._touch(object_type, rid, at)

    def associate(self, object_type: str, rid: str, contacts: list[str], at: datetime | None = None) -> None:
        with self.lock:
            self.links[(object_type, rid)] = [str(c) for c in contacts]
            self._touch(object_type, rid, at or self.clock)

    def archive(self, object_type: str, rid: str, at: datetime | None = None) -> None:
        with self.lock:
            rec = self.records[object_type][rid]
            rec["archived"] = True
            rec["archivedAt"] = iso(at or self.clock)
            self._cache.clear()

    def _set(self, object_type: str, rid: str, name: str, value, at: datetime) -> None:
        rec = self.records[object_type][rid]
        key = (object_type, rid, name)
        if key not in self.history:
            self.history[key] = self._initial(object_type, rec, name)
        text = _text(value)
        rec["properties"][name] = text
        self.history[key].insert(0, _entry(text, iso(at)))

    def property_history(self, object_type: str, rec: dict, name: str) -> list[dict]:
        """Newest first, as HubSpot gives it; a value set at creation and never changed has one entry."""
        return list(self.history.get((object_type, rec["id"], name)) or self._initial(object_type, rec, name))

    @staticmethod
    def _initial(object_type: str, rec: dict, name: str) -> list[dict]:
        value = rec["properties"].get(name)
        return [_entry(value, rec["createdAt"])] if value is not None else []

    def _touch(self, object_type: str, rid: str, at: datetime) -> None:
        rec = self.records[object_type][rid]
        rec["properties"][modified_prop(object_type)] = iso(at)
        rec["updatedAt"] = iso(at)
        self._cache.clear()

    def fail(
        self, action, route: str = "", times: int = 1, retry_after: str | None = None, method: str | None = None
    ) -> None:
        """Queue a fault for the next `times` requests whose path contains `route`: an HTTP
        status (429, 500, 503, ...) or "drop" (close the connection without an answer)."""
        self.faults.append(
            {"action": action, "route": route, "times": times, "retry_after": retry_after, "method": method}
        )

    def count(self, route: str = "", method: str | None = None) -> int:
        return sum(1 for m, r, _ in self.log if route in r and (method is None or m == method))

    # -- server ---------------------------------------------------------------------------------------
    def start(self) -> FakeHubSpot:
        self.base_url = self.serve(_Handler)
        return self

    # -- search -----------------------------------------------------------------------------------------
    def search(self, object_type: str, body: dict) -> tuple[int, dict]:
        groups = body.get("filterGroups") or []
        if len(groups) > 5 or any(len(g.get("filters", [])) > 6 for g in groups):
            return 400, _error("VALIDATION_ERROR", "too many filter groups or filters")
        limit = int(body.get("limit") or 10)
        if limit > 200:
            return 400, _error("VALIDATION_ERROR", "limit must be at most 200")
        offset = int(body.get("after") or 0)
        if offset >= self.search_cap:
            return 400, _error("VALIDATION_ERROR", f"The search request cannot page beyond {self.search_cap} results.")
        sorts = body.get("sorts") or [{"propertyName": "hs_object_id", "direction": "ASCENDING"}]
        if len(sorts) > 1:
            return 400, _error("VALIDATION_ERROR", "only one sort is allowed")
        key = json.dumps([object_type, groups, sorts], sort_keys=True)
        hits = self._cache.get(key)
        if hits is None:
            hits = self._window(object_type, groups, sorts[0])
            if hits is None:
                live = [r for r in self.records[object_type].values() if not r["archived"]]
                hits = [r for r in live if not groups or any(all(_match(r, f) for f in g["filters"]) for g in groups)]
                hits.sort(
                    key=lambda r: _order(sorts[0]["propertyName"], r), reverse=sorts[0].get("direction") == "DESCENDING"
                )
            self._cache[key] = hits
        wanted = body.get("properties") or []
        page = hits[offset : offset + limit]
        default = ["hs_object_id", CREATED.get(object_type, "hs_createdate"), modified_prop(object_type)]
        results = [self._public(object_type, r, [*default, *wanted]) for r in page]
        out = {"total": len(hits), "results": results}
        if offset + limit < len(hits):
            out["paging"] = {"next": {"after": str(offset + limit), "link": "?after=" + str(offset + limit)}}
        return 200, out

    def _window(self, object_type: str, groups: list[dict], sort: dict) -> list[dict] | None:
        """A range of the sort property (one group of GT/GTE/LT/LTE/EQ filters on it, ascending)
        cut from the records sorted once, by bisection; None for any other query."""
        prop = sort.get("propertyName")
        if sort.get("direction", "ASCENDING") != "ASCENDING" or len(groups) != 1:
            return None
        filters = groups[0].get("filters", [])
        if not filters or any(f.get("propertyName") != prop or f.get("operator") not in RANGE for f in filters):
            return None
        ordered = self._cache.get(f"sorted:{object_type}:{prop}")
        if ordered is None:
            live = [r for r in self.records[object_type].values() if not r["archived"]]
            live.sort(key=lambda r: _order(prop, r))
            ordered = [(_order(prop, r), r) for r in live]
            self._cache[f"sorted:{object_type}:{prop}"] = ordered
        lo = 0
        hi = bisect.bisect_left(ordered, ((1, float("-inf")), -1), key=lambda x: x[0])  # records without it
        for f in filters:
            value, op = float(f["value"]), f["operator"]
            if op in ("GT", "GTE", "EQ"):
                edge = bisect.bisect_right if op == "GT" else bisect.bisect_left
                lo = max(lo, edge(ordered, ((0, value), -1 if op != "GT" else 2**32), key=lambda x: x[0]))
            if op in ("LT", "LTE", "EQ"):
                edge = bisect.bisect_left if op == "LT" else bisect.bisect_right
                hi = min(hi, edge(ordered, ((0, value), 2**32 if op != "LT" else -1), key=lambda x: x[0]))
        return [r for _, r in ordered[lo:hi]]

    def _public(self, object_type: str, rec: dict, props: list[str], history: list[str] | None = None) -> dict:
        out = {
            "id": rec["id"],
            "properties": {p: rec["properties"].get(p) for p in props},
            "createdAt": rec["createdAt"],
            "updatedAt": rec["updatedAt"],
            "archived": rec["archived"],
        }
        if rec.get("archivedAt"):
            out["archivedAt"] = rec["archivedAt"]
        if history:
            out["propertiesWithHistory"] = {p: self.property_history(object_type, rec, p) for p in history}
        return out


def _text(value) -> str | None:
    return iso(value) if isinstance(value, datetime) else (None if value is None else str(value))


def _entry(value: str | None, timestamp: str) -> dict:
    return {"value": value or "", "timestamp": timestamp, "sourceType": "CRM_UI", "sourceId": "userId:1"}


def _error(category: str, message: str) -> dict:
    return {"status": "error", "message": message, "correlationId": "00000000-fake", "category": category}


RANGE = ("GT", "GTE", "LT", "LTE", "EQ")


@functools.cache
def _sortable(prop: str, value):
    """(0, comparable value) for a property value; (1, 0) when it has none (sorts last)."""
    if value is None:
        return (1, 0)
    if prop in DATETIME_PROPS:
        return (0, epoch_ms(datetime.fromisoformat(value.replace("Z", "+00:00"))))
    try:
        return (0, float(value))
    except ValueError:
        return (0, value)


def _order(prop: str, rec: dict):
    """The search order: by the property, then in an order of the fake's own (not by id)."""
    return (_sortable(prop, rec["properties"].get(prop)), zlib.crc32(rec["id"].encode()))


def _match(rec: dict, flt: dict) -> bool:
    prop, op = flt.get("propertyName"), flt.get("operator", "EQ")
    raw = rec["properties"].get(prop)
    if op == "HAS_PROPERTY":
        return raw not in (None, "")
    if op == "NOT_HAS_PROPERTY":
        return raw in (None, "")
    if raw is None:
        return False
    have = _sortable(prop, raw)[1]
    want_text = flt.get("value")
    want = float(want_text) if isinstance(have, (int, float)) else want_text
    return {
        "EQ": have == want,
        "NEQ": have != want,
        "GT": have > want,
        "GTE": have >= want,
        "LT": have < want,
        "LTE": have <= want,
    }[op]


class _Handler(BaseHTTPRequestHandler):
    fake: FakeHubSpot
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def setup(self):
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm and delayed
        # ACKs hold every answer ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _send(self, status: int, body: dict | None, headers: dict | None = None):
        data = json.dumps(body).encode() if body is not None else b""
        fake = self.fake
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-HubSpot-RateLimit-Daily", str(fake.daily_limit))
        self.send_header("X-HubSpot-RateLimit-Daily-Remaining", str(max(fake.daily_limit - fake.daily_used, 0)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def _dispatch(self, method: str):
        fake = self.fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return self._send(400, _error("VALIDATION_ERROR", "invalid JSON"))
        url = urlparse(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        params["properties"] = parse_qs(url.query).get("properties", [])
        route = url.path
        with fake.lock:
            fake.log.append((method, route, body))
            action = fault = None
            for f in fake.faults:
                if f["times"] > 0 and f["route"] in route and (f["method"] in (None, method)):
                    f["times"] -= 1
                    action, fault = f["action"], f
                    break
        if action == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if isinstance(action, int):
            headers = {"Retry-After": fault["retry_after"]} if fault["retry_after"] is not None else {}
            if action == 429:
                return self._send(
                    429,
                    {**_error("RATE_LIMITS", "You have reached your secondly limit."), "policyName": "SECONDLY"},
                    headers,
                )
            return self._send(action, _error("INTERNAL_ERROR", "injected"), headers)
        if self.headers.get("Authorization") != f"Bearer {fake.token}":
            return self._send(401, _error("INVALID_AUTHENTICATION", "Authentication credentials not found."))
        with fake.lock:
            fake.daily_used += 1
            if fake.daily_used > fake.daily_limit:
                return self._send(
                    429,
                    {
                        **_error("RATE_LIMITS", "You have reached your daily limit."),
                        "errorType": "RATE_LIMIT",
                        "policyName": "DAILY",
                    },
                )
            status, answer = self._route(method, route.rstrip("/"), params, body)
        self._send(status, answer)

    # -- endpoints ----------------------------------------------------------------------------------------
    def _route(self, method: str, route: str, params: dict, body: dict) -> tuple[int, dict]:
        fake = self.fake
        parts = route.strip("/").split("/")
        if method == "GET" and route == "/account-info/v3/details":
            details = {
                "portalId": fake.portal_id,
                "accountType": "STANDARD",
                "timeZone": "US/Eastern",
                "companyCurrency": "USD",
                "additionalCurrencies": [],
                "utcOffset": "-05:00",
                "utcOffsetMilliseconds": -18000000,
                "uiDomain": fake.ui_domain,
                "dataHostingLocation": "eu1" if fake.ui_domain and "eu1" in fake.ui_domain else "na1",
            }
            return 200, {k: v for k, v in details.items() if v is not None}
        if method == "GET" and route == "/crm/v3/owners":
            archived = params.get("archived", "false").lower() == "true"
            owners = [o for o in fake.owners.values() if o["archived"] == archived]
            return self._paged(owners, params)
        if parts[:3] == ["crm", "v3", "objects"] and len(parts) >= 4 and parts[3] in TYPES:
            object_type = parts[3]
            if method == "POST" and parts[4:] == ["search"]:
                return fake.search(object_type, body)
            if method == "POST" and parts[4:] == ["batch", "read"]:
                return self._batch_read(object_type, body)
            if method == "GET" and len(parts) == 4:
                archived = params.get("archived", "false").lower() == "true"
                recs = [r for r in fake.records[object_type].values() if r["archived"] == archived]
                recs.sort(key=lambda r: int(r["id"]))
                status, page = self._paged(recs, params)
                page["results"] = [
                    fake._public(object_type, r, params.get("properties") or ["hs_object_id"]) for r in page["results"]
                ]
                return status, page
        if method == "POST" and parts[:3] == ["crm", "v4", "associations"] and parts[5:] == ["batch", "read"]:
            return self._associations(parts[3], parts[4], body)
        return 404, _error("OBJECT_NOT_FOUND", f"no route {method} {route}")

    def _paged(self, items: list, params: dict) -> tuple[int, dict]:
        limit = int(params.get("limit") or 10)
        if limit > 100:
            return 400, _error("VALIDATION_ERROR", "limit must be at most 100")
        offset = int(params.get("after") or 0)
        page = {"results": items[offset : offset + limit]}
        if offset + limit < len(items):
            page["paging"] = {"next": {"after": str(offset + limit), "link": "?after=" + str(offset + limit)}}
        return 200, page

    def _batch_read(self, object_type: str, body: dict) -> tuple[int, dict]:
        fake = self.fake
        inputs = [str(i.get("id")) for i in body.get("inputs", [])]
        history = body.get("propertiesWithHistory") or []
        if history and len(inputs) > 50:
            return 400, _error(
                "VALIDATION_ERROR",
                "The maximum number of inputs supported in a batch request for property histories is 50.",
            )
        if len(inputs) > 100:
            return 400, _error("VALIDATION_ERROR", "at most 100 inputs")
        found, missing = [], []
        for rid in inputs:
            rec = fake.records[object_type].get(rid)
            if rec is None or rec["archived"]:
                missing.append(rid)
            else:
                found.append(fake._public(object_type, rec, body.get("properties") or [], history))
        now = iso(datetime.now(UTC))
        answer = {"status": "COMPLETE", "results": found, "startedAt": now, "completedAt": now}
        if missing:
            answer["numErrors"] = 1
            answer["errors"] = [
                {
                    "status": "error",
                    "category": "OBJECT_NOT_FOUND",
                    "message": f"Could not get some {object_type} objects, they may be deleted or not exist.",
                    "context": {"ids": missing},
                }
            ]
            return 207, answer
        return 200, answer

    def _associations(self, from_type: str, to_type: str, body: dict) -> tuple[int, dict]:
        fake = self.fake
        if to_type != "contacts":
            return 400, _error("VALIDATION_ERROR", "the fake knows associations to contacts only")
        results = []
        for item in body.get("inputs", []):
            rid = str(item.get("id"))
            links = fake.links.get((from_type, rid), [])
            if not links:
                continue
            offset = int(item.get("after") or 0)
            chunk = links[offset : offset + fake.association_page]
            result = {
                "from": {"id": rid},
                "to": [
                    {
                        "toObjectId": int(c),
                        "associationTypes": [
                            {
                                "category": "HUBSPOT_DEFINED",
                                "typeId": ASSOCIATION_TYPES.get(from_type, 1),
                                "label": None,
                            }
                        ],
                    }
                    for c in chunk
                ],
            }
            if offset + fake.association_page < len(links):
                result["paging"] = {"next": {"after": str(offset + fake.association_page)}}
            results.append(result)
        now = iso(datetime.now(UTC))
        return 200, {"status": "COMPLETE", "results": results, "startedAt": now, "completedAt": now}
