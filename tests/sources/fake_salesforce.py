"""A local fake Salesforce org speaking the REST and Bulk API 2.0 over HTTPS on 127.0.0.1.

Data lives in memory (`fake.records[object][id] -> dict`); answers use Salesforce's
documented formats: query results with `attributes`, `totalSize`, `done` and
`nextRecordsUrl`; datetimes as `2026-03-09T14:05:00.000+0000`; Bulk 2.0 query jobs
(create, poll, results) with CSV pages, `Sforce-Locator` and `Sforce-NumberOfRecords`;
`Sforce-Limit-Info` on every answer; errors as `[{"errorCode", "message"}]`.
SOQL is evaluated only as far as the connector needs: the object, the selected fields,
`AND`-joined comparisons and `IN` lists, ORDER BY, COUNT(), and IsDeleted via queryAll.

Field history: `set_status` and `set_owner` write LeadHistory rows as tracking does, only for
the fields in `tracked` (an owner change is two rows, the ids and the names, as Salesforce
writes them); FieldDefinition answers IsFieldHistoryTracked from `tracked`. Objects in
`hidden` are what a user without access sees: describe 404 NOT_FOUND, queries INVALID_TYPE.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import socket
import ssl
import tempfile
import threading
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import trustme
from fake_server import FakeServer

PREFIX = {
    "User": "005", "Lead": "00Q", "Task": "00T", "Event": "00U", "Opportunity": "006",
    "LeadHistory": "017", "Contact": "003", "Group": "00G",
}
FIELDS = {
    "User": ["Id", "Name", "Email", "Department", "Title", "TimeZoneSidKey", "CountryCode",
             "Country", "IsActive", "CreatedDate", "SystemModstamp"],
    "Lead": ["Id", "CreatedDate", "LastModifiedDate", "OwnerId", "LeadSource", "Company", "Title",
             "Country", "Status", "NumberOfEmployees", "ConvertedDate", "ConvertedContactId",
             "ConvertedOpportunityId", "IsConverted", "IsDeleted", "SystemModstamp"],
    "LeadHistory": ["Id", "LeadId", "Field", "DataType", "OldValue", "NewValue", "CreatedDate", "IsDeleted"],
    "FieldDefinition": ["Id", "EntityDefinitionId", "QualifiedApiName", "IsFieldHistoryTracked"],
    "Task": ["Id", "WhoId", "OwnerId", "TaskSubtype", "Type", "CallType", "CompletedDateTime",
             "CreatedDate", "CallDisposition", "Subject", "Status", "IsDeleted", "SystemModstamp"],
    "Event": ["Id", "WhoId", "OwnerId", "CreatedDate", "StartDateTime", "Subject", "IsDeleted",
              "SystemModstamp"],
    "Opportunity": ["Id", "Name", "CreatedDate", "Amount", "StageName", "IsClosed", "IsWon",
                    "CloseDate", "IsDeleted", "SystemModstamp"],
}
API = "/services/data/v59.0"


def sf_id(prefix: str, n: int) -> str:
    return f"{prefix}8c{n:010d}AAA"


def rest_value(v):
    if isinstance(v, datetime):
        return v.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{v.microsecond // 1000:03d}+0000"
    if isinstance(v, date):
        return v.isoformat()
    return v


class FakeSalesforce(FakeServer):
    def __init__(self, token: str = "00DFAKE!AQ8AQTopSecretAccessToken.x9", *, page_size: int = 2000,
                 bulk_page_size: int = 50000, api_limit: int = 15000, bulk_datetimes: str = "epoch_ms",
                 start: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)):
        self.token = token
        self.page_size = page_size
        self.bulk_page_size = bulk_page_size
        self.api_limit = api_limit
        self.api_used = 0
        self.bulk_datetimes = bulk_datetimes
        self.clock = start
        self.fields = {k: list(v) for k, v in FIELDS.items()}
        self.records: dict[str, dict[str, dict]] = {k: {} for k in FIELDS}
        self.counter = itertools.count(1)
        self.log: list[tuple[str, str, str]] = []  # (method, route, soql or "")
        self.faults: list[dict] = []
        self.cursors: dict[str, list[dict]] = {}
        self.jobs: dict[str, dict] = {}
        self.lock = threading.RLock()
        self.tracked: dict[str, set[str]] = {"Lead": {"Status", "OwnerId"}}
        self.hidden: set[str] = set()
        self.names: dict[str, str] = {}  # queue id -> name (users: their Name)
        self._server = None

    # -- data -------------------------------------------------------------------------------------
    def tick(self, seconds: float = 1) -> datetime:
        self.clock += timedelta(seconds=seconds)
        return self.clock

    def add(self, obj: str, id: str | None = None, **values) -> str:
        with self.lock:
            rid = id or sf_id(PREFIX[obj], next(self.counter))
            rec = {f: None for f in self.fields[obj]}
            rec.update({"Id": rid, "IsDeleted": False})
            if "CreatedDate" in rec:
                rec["CreatedDate"] = self.clock
            if "LastModifiedDate" in rec:
                rec["LastModifiedDate"] = self.clock
            if "SystemModstamp" in rec:
                rec["SystemModstamp"] = self.clock
            rec.update(values)
            self.records[obj][rid] = rec
            return rid

    def update(self, obj: str, rid: str, stamp: datetime | None = None, **values) -> None:
        with self.lock:
            rec = self.records[obj][rid]
            rec.update(values)
            if "SystemModstamp" in rec:
                rec["SystemModstamp"] = stamp or self.clock
            if "LastModifiedDate" in rec:
                rec["LastModifiedDate"] = stamp or self.clock

    def set_status(self, lead_id: str, status: str, at: datetime | None = None) -> None:
        """Change a lead's Status and write the LeadHistory row, as field history tracking does."""
        at = at or self.clock
        old = self.records["Lead"][lead_id]["Status"]
        self.update("Lead", lead_id, stamp=at, Status=status)
        if "Status" in self.tracked.get("Lead", ()):
            self.add("LeadHistory", LeadId=lead_id, Field="Status", DataType="Text", OldValue=old, NewValue=status,
                     CreatedDate=at)

    def owner_name(self, owner_id: str | None) -> str | None:
        if owner_id is None:
            return None
        user = self.records["User"].get(owner_id)
        return user["Name"] if user else self.names.get(owner_id, f"Queue {owner_id[-6:]}")

    def set_owner(self, lead_id: str, owner_id: str, at: datetime | None = None) -> tuple[str, str] | None:
        """Change a lead's owner; with Owner tracked, the two LeadHistory rows Salesforce writes
        (ids, then names, same instant). Returns (id row, name row)."""
        at = at or self.clock
        old = self.records["Lead"][lead_id]["OwnerId"]
        self.update("Lead", lead_id, stamp=at, OwnerId=owner_id)
        if "OwnerId" not in self.tracked.get("Lead", ()):
            return None
        ids = self.add("LeadHistory", LeadId=lead_id, Field="Owner", DataType="EntityId", OldValue=old,
                       NewValue=owner_id, CreatedDate=at)
        names = self.add("LeadHistory", LeadId=lead_id, Field="Owner", DataType="Text",
                         OldValue=self.owner_name(old), NewValue=self.owner_name(owner_id), CreatedDate=at)
        return ids, names

    def delete(self, obj: str, rid: str) -> None:
        self.update(obj, rid, IsDeleted=True)
        if obj == "Lead":  # its history goes to the recycle bin with it
            for rec in self.records["LeadHistory"].values():
                if rec["LeadId"] == rid:
                    rec["IsDeleted"] = True

    def purge(self, obj: str, rid: str) -> None:
        with self.lock:
            del self.records[obj][rid]

    def add_field(self, obj: str, name: str, values: dict[str, object] | None = None) -> None:
        """A custom field created in the org: it appears in describe; setting values does not
        change SystemModstamp (as when an admin backfills a new field by formula/default)."""
        with self.lock:
            self.fields[obj].append(name)
            for rid, rec in self.records[obj].items():
                rec[name] = (values or {}).get(rid)

    def fail(self, action, route: str = "", times: int = 1, retry_after: str | None = None) -> None:
        """Queue a fault for the next `times` requests whose route contains `route`:
        an HTTP status (429, 503, ...) or "drop" (close the connection without an answer)."""
        self.faults.append({"action": action, "route": route, "times": times, "retry_after": retry_after})

    def count(self, route: str = "") -> int:
        return sum(1 for _, r, _ in self.log if route in r)

    def soqls(self) -> list[str]:
        return [q for _, _, q in self.log if q]

    # -- server -----------------------------------------------------------------------------------
    def start(self, tmpdir: str | Path | None = None) -> FakeSalesforce:
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1")
        tmp = Path(tmpdir or tempfile.mkdtemp())
        self.ca_file = str(tmp / "fake-sf-ca.pem")
        ca.cert_pem.write_to_path(self.ca_file)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(ctx)
        self.instance_url = self.serve(_Handler, ctx)
        return self

    # -- SOQL ---------------------------------------------------------------------------------------
    def run_soql(self, soql: str, include_deleted: bool):
        m = re.match(
            r"\s*SELECT\s+(?P<fields>.+?)\s+FROM\s+(?P<obj>\w+)(?:\s+WHERE\s+(?P<where>.+?))?"
            r"(?:\s+ORDER\s+BY\s+(?P<order>.+?))?(?:\s+LIMIT\s+(?P<limit>\d+))?\s*$",
            soql, re.I | re.S,
        )
        if not m:
            raise SoqlError("MALFORMED_QUERY", "unexpected token")
        obj = m["obj"]
        if obj not in self.records or obj in self.hidden:
            raise SoqlError("INVALID_TYPE", f"sObject type '{obj}' is not supported.")
        if obj == "FieldDefinition":
            self.records[obj] = {
                f"{entity}.{name}": {"Id": f"{entity}.{name}", "EntityDefinitionId": entity, "QualifiedApiName": name,
                                     "IsFieldHistoryTracked": name in self.tracked.get(entity, ()),
                                     "IsDeleted": False}
                for entity in ("Lead",) for name in self.fields[entity]
            }
        fields = [f.strip() for f in m["fields"].split(",")]
        is_count = fields == ["COUNT()"]
        if not is_count:
            for f in fields:
                if f not in self.fields[obj]:
                    raise SoqlError("INVALID_FIELD", f"No such column '{f}' on entity '{obj}'.")
        conds = [parse_condition(c, obj, self.fields[obj]) for c in split_and(m["where"])] if m["where"] else []
        rows = [
            r for r in self.records[obj].values()
            if (include_deleted or not r.get("IsDeleted")) and all(c(r) for c in conds)
        ]
        if m["order"]:
            keys = [k.strip().split()[0] for k in m["order"].split(",")]
            rows.sort(key=lambda r: tuple(_sortable(r.get(k)) for k in keys))
        if m["limit"]:
            rows = rows[: int(m["limit"])]
        return obj, (None if is_count else fields), rows


class SoqlError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _sortable(v):
    if v is None:
        return (0, "")
    if isinstance(v, datetime):
        return (1, v.timestamp())
    return (1, v)


def split_and(where: str) -> list[str]:
    return [p for p in re.split(r"\s+AND\s+", where.strip(), flags=re.I) if p]


def parse_literal(text: str):
    text = text.strip()
    if text.startswith("'"):
        return text[1:-1].replace("\\'", "'").replace("\\\\", "\\")
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if text.lower() == "null":
        return None
    if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", text):
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    try:
        return float(text)
    except ValueError:
        raise SoqlError("MALFORMED_QUERY", f"unexpected token: {text}") from None


def parse_condition(cond: str, obj: str, known: list[str]):
    m = re.fullmatch(r"\s*(\w+)\s+IN\s*\((.*)\)\s*", cond, re.I | re.S)
    if m:
        field = m[1]
        values = {parse_literal(v) for v in re.findall(r"'(?:[^'\\]|\\.)*'|[^,\s]+", m[2])}
        if field not in known:
            raise SoqlError("INVALID_FIELD", f"No such column '{field}' on entity '{obj}'.")
        return lambda r: r.get(field) in values
    m = re.fullmatch(r"\s*(\w+)\s*(>=|<=|!=|=|>|<)\s*(.+?)\s*", cond, re.S)
    if not m:
        raise SoqlError("MALFORMED_QUERY", f"unexpected token: {cond}")
    field, op, value = m[1], m[2], parse_literal(m[3])
    if field not in known:
        raise SoqlError("INVALID_FIELD", f"No such column '{field}' on entity '{obj}'.")
    ops = {
        ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
        "<": lambda a, b: a < b, "=": lambda a, b: a == b, "!=": lambda a, b: a != b,
    }

    def check(r):
        v = r.get(field)
        if v is None or value is None:
            return (op == "=") == (v is value) if op in ("=", "!=") else False
        return ops[op](v, value)

    return check


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSalesforce
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    # -- plumbing ---------------------------------------------------------------------------------
    def _send(self, status: int, body, content_type: str = "application/json", headers: dict | None = None):
        data = body if isinstance(body, bytes) else (
            body.encode() if isinstance(body, str) else json.dumps(body).encode()
        )
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Sforce-Limit-Info", f"api-usage={self.fake.api_used}/{self.fake.api_limit}")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, code: str, message: str):
        self._send(status, [{"message": message, "errorCode": code}])

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_PATCH(self):
        self._dispatch("PATCH")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def _dispatch(self, method: str):
        fake = self.fake
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlparse(self.path)
        params = parse_qs(url.query)
        route = url.path[len(API):] if url.path.startswith(API) else url.path
        soql = params.get("q", [""])[0]
        with fake.lock:
            fake.log.append((method, route, soql))
            for fault in fake.faults:
                if fault["times"] > 0 and fault["route"] in route:
                    fault["times"] -= 1
                    action = fault["action"]
                    break
            else:
                action = None
        if action == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if isinstance(action, int):
            headers = {"Retry-After": fault["retry_after"]} if fault["retry_after"] else {}
            code = "REQUEST_LIMIT_EXCEEDED" if action == 403 else "SERVER_UNAVAILABLE"
            return self._send(action, [{"message": "injected", "errorCode": code}], headers=headers)
        if self.headers.get("Authorization") != f"Bearer {fake.token}":
            return self._error(401, "INVALID_SESSION_ID", "Session expired or invalid")
        with fake.lock:
            fake.api_used += 1
            if fake.api_used > fake.api_limit:
                return self._error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
        try:
            with fake.lock:
                self._route(method, route, params, body)
        except SoqlError as exc:
            self._error(400, exc.code, exc.message)

    # -- endpoints ---------------------------------------------------------------------------------
    def _route(self, method, route, params, body):
        fake = self.fake
        if method == "GET" and route.rstrip("/") in ("/query", "/queryAll"):
            obj, fields, rows = fake.run_soql(params["q"][0], route.startswith("/queryAll"))
            if fields is None:
                return self._send(200, {"totalSize": len(rows), "done": True, "records": []})
            rendered = [self._rest_record(obj, fields, r) for r in rows]
            qid = f"01g{len(fake.cursors):06d}"
            fake.cursors[qid] = rendered
            return self._send(200, self._rest_page(qid, 0))
        m = re.fullmatch(r"/query(?:All)?/(01g\d+)-(\d+)", route)
        if method == "GET" and m:
            return self._send(200, self._rest_page(m[1], int(m[2])))
        m = re.fullmatch(r"/sobjects/(\w+)/describe/?", route)
        if method == "GET" and m:
            if m[1] not in fake.fields or m[1] in fake.hidden:
                return self._error(404, "NOT_FOUND", "The requested resource does not exist")
            return self._send(200, {
                "name": m[1], "queryable": True,
                "fields": [{"name": f, "type": _field_type(f)} for f in fake.fields[m[1]]],
            })
        if method == "POST" and route.rstrip("/") == "/jobs/query":
            spec = json.loads(body)
            include_deleted = spec["operation"] == "queryAll"
            obj, fields, rows = fake.run_soql(spec["query"], include_deleted)
            jid = f"750{len(fake.jobs):015d}"
            fake.jobs[jid] = {"obj": obj, "fields": fields, "rows": rows, "polls": 0,
                              "operation": spec["operation"]}
            return self._send(200, self._job_info(jid, "UploadComplete"))
        m = re.fullmatch(r"/jobs/query/(\w+)", route)
        if method == "GET" and m:
            job = fake.jobs[m[1]]
            job["polls"] += 1
            return self._send(200, self._job_info(m[1], "JobComplete" if job["polls"] > 1 else "InProgress"))
        m = re.fullmatch(r"/jobs/query/(\w+)/results", route)
        if method == "GET" and m:
            return self._bulk_results(m[1], params)
        return self._error(404, "NOT_FOUND", "The requested resource does not exist")

    def _rest_record(self, obj, fields, r):
        rec = {"attributes": {"type": obj, "url": f"{API}/sobjects/{obj}/{r['Id']}"}}
        for f in fields:
            rec[f] = rest_value(r.get(f))
        return rec

    def _rest_page(self, qid: str, offset: int) -> dict:
        rows = self.fake.cursors[qid]
        end = offset + self.fake.page_size
        page = {"totalSize": len(rows), "done": end >= len(rows), "records": rows[offset:end]}
        if end < len(rows):
            page["nextRecordsUrl"] = f"{API}/query/{qid}-{end}"
        return page

    def _job_info(self, jid: str, state: str) -> dict:
        job = self.fake.jobs[jid]
        return {
            "id": jid, "operation": job["operation"], "object": job["obj"],
            "createdById": "005FAKE", "createdDate": rest_value(self.fake.clock), "state": state,
            "concurrencyMode": "Parallel", "contentType": "CSV", "apiVersion": 59.0,
            "lineEnding": "LF", "columnDelimiter": "COMMA",
            "numberRecordsProcessed": len(job["rows"]) if state == "JobComplete" else 0,
        }

    def _bulk_value(self, v):
        if v is None:
            return ""
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, datetime):
            if self.fake.bulk_datetimes == "epoch_ms":
                return str(int(v.timestamp() * 1000))
            return v.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        if isinstance(v, date):
            return v.isoformat()
        return str(v)

    def _bulk_results(self, jid: str, params):
        job = self.fake.jobs[jid]
        offset = int(params.get("locator", ["0"])[0])
        size = min(int(params.get("maxRecords", ["50000"])[0]), self.fake.bulk_page_size)
        rows = job["rows"][offset : offset + size]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(job["fields"])
        for r in rows:
            writer.writerow([self._bulk_value(r.get(f)) for f in job["fields"]])
        nxt = offset + size
        locator = str(nxt) if nxt < len(job["rows"]) else "null"
        self._send(200, out.getvalue(), "text/csv", {
            "Sforce-Locator": locator, "Sforce-NumberOfRecords": str(len(rows)),
        })


def _field_type(name: str) -> str:
    if name == "Id" or name.endswith("Id"):
        return "reference" if name != "Id" else "id"
    if name.endswith("Date") or name.endswith("DateTime") or name == "SystemModstamp":
        return "datetime"
    if name.startswith("Is"):
        return "boolean"
    return "string"
