"""The incremental sync runner: what every connector must get right, done once.

    summary = run(connector, store, config, credentials, full=False, progress=cb)

For each object the connector declares, in order:

- **Cursor.** Read records modified at or after the saved cursor less `lookback_seconds`
  (`>=`, so records sharing the cursor's instant are read again, never missed; rows are
  upserted by id, so rereading changes nothing). Within a page, rows are ordered by
  (modification time, id) and a batch is deduplicated by id keeping the newest. The saved
  cursor is the newest modification time written, never later than the sync's start.
- **Transactions.** A page's rows, deletions and rejects are written in one transaction with
  the cursor the page justifies (ordered reads move it page by page, unordered ones with
  their last page), so a killed sync resumes where it stopped and a rerun equals a clean run.
- **Deletes and `--full`.** Deleted ids the connector reports are deleted (except for
  objects that keep them: owners); a full read (`--full`, a first sync, or a connector that
  re-reads) then deletes the object's stored rows the CRM no longer returned.
- **Rejects.** Rows missing a required value, or holding an implausible one, go to the rejects
  table with their object, record id, column and reason, as the file import words them (the
  column kinds of `handoff.schema`, the bounds of the policy): timestamps before `valid_from`
  or after `valid_to` (default a day from now; planned dates up to five years later), numbers
  not finite, negative amounts or over 1e12, ids with control or invisible characters. The
  other records load; the summary counts the rejected ones (the CLI then exits 1).
- **Limits.** An `ApiLimitReached` stops the sync cleanly: the load is recorded as `stopped`
  with everything written so far (the CLI exits 3). Retries are the connector client's, built
  from `RetryPolicy`.
- **Progress and summary.** `progress(done, total, message)` as pages arrive; the returned
  `LoadSummary` counts added, changed, deleted and rejected rows per table, with notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd

from handoff.policy import Policy
from handoff.sources.connector import (
    ApiLimitReached,
    Batch,
    Connector,
    ConnectorSettings,
    Context,
    ObjectSpec,
    Plan,
    Progress,
    Session,
    lookahead,
)
from handoff.sources.convert import Bounds, split_rejects
from handoff.store import LoadSummary, Store

__all__ = ["run", "one_tier_note", "ONE_TIER_PREFIX"]

ONE_TIER_PREFIX = "Every one of the "


def run(
    connector: Connector,
    store: Store,
    config: ConnectorSettings | Mapping[str, Any] | None,
    credentials: Any,
    full: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
    tier_map: Mapping[str, str] | None = None,
    policy: Policy | None = None,
) -> LoadSummary:
    """Pull the CRM into `store`. Returns what was added, changed, deleted and rejected.

    Raises a SyncError (ApiLimitReached, Unavailable, MissingCredentials, ...) with a message
    fit for the user; work committed before the error is kept, and so is the cursor that
    covers it. With the policy's `tier_map`, a summary note says when every synced handoff
    falls in one tier. The `policy` bounds plausible values (default: the default policy).
    """
    settings = connector.settings(config)
    if credentials is None:
        raise connector.missing_credentials()
    started = (now or datetime.now(UTC)).astimezone(UTC)
    summary = LoadSummary()
    unknown = settings.unknown()
    if unknown:
        summary.notes.append(f"Unknown [{connector.name}] setting(s) ignored: {', '.join(unknown)}.")
    load_id = store.begin_load("sync", connector.name)
    status = "failed"
    try:
        context = Context(store, connector.name, started, summary.notes)
        bounds = Bounds.of(policy)
        _Run(connector, settings, store, full, progress, context, summary, load_id, credentials, bounds).execute()
        if tier_map is not None:
            note = one_tier_note(connector, store, tier_map)
            if note:
                summary.notes.append(note)
        status = "rejects" if summary.total("rejected") else "ok"
        store.set_meta("origin", connector.name)  # the data now comes from this CRM (its record links)
    except ApiLimitReached:
        status = "stopped"
        raise
    finally:
        try:
            store.finish_load(load_id, status, summary)
        except Exception:  # the store may be mid-failure; the original error matters more
            pass
    return summary


class _Run:
    def __init__(
        self,
        connector: Connector,
        settings: ConnectorSettings,
        store: Store,
        full: bool,
        progress: Progress | None,
        context: Context,
        summary: LoadSummary,
        load_id: int,
        credentials: Any,
        bounds: Bounds,
    ):
        self.connector, self.settings, self.store, self.full = connector, settings, store, full
        self.source = connector.name
        self.progress_cb = progress
        self.context = context
        self.started = context.started
        self.summary = summary
        self.load_id = load_id
        self.credentials = credentials
        self.bounds = bounds
        self.rejected: set[tuple[str, str]] = set()  # (table, id): a record read twice is rejected once
        self.done = 0
        self.total: int | None = None

    def progress(self, message: str) -> None:
        if self.progress_cb is not None:
            self.progress_cb(self.done, self.total, message)

    # -- the run ----------------------------------------------------------------------------
    def execute(self) -> None:
        self.progress(f"Connecting to {self.connector.label}")
        session = self.connector.open(self.credentials, self.settings, self.context)
        try:
            specs = self.connector.objects(self.settings)
            plans = []
            for spec in specs:
                self.progress(f"Counting {spec.name} records")
                plans.append((spec, session.plan(spec, self.since(spec))))
            self.total = sum(p.total or 0 for _, p in plans)
            for spec, plan in plans:
                self.read_object(session, spec, plan)
            for spec, batch in session.follow_ups():
                with self.store.transaction():
                    self.write(spec, batch)
            self.progress("Done")
        finally:
            for note in session.close():
                self.context.note(note)

    def since(self, spec: ObjectSpec) -> datetime | None:
        if self.full or not spec.incremental:
            return None
        cursor = self.store.get_cursor(self.source, spec.name)
        if cursor is None:
            return None
        return cursor - timedelta(seconds=getattr(self.settings, "lookback_seconds", 0))

    def read_object(self, session: Session, spec: ObjectSpec, plan: Plan) -> None:
        self.progress(f"Reading {spec.name}{f' ({plan.label})' if plan.label else ''}")
        for ids in session.deletions(spec, plan.since):
            with self.store.transaction():
                self.delete(spec, ids)
        seen: set[str] = set()
        fetched = 0
        newest: datetime | None = None
        finished = False
        for batch, last in lookahead(session.batches(spec, plan)):
            fetched += batch.fetched
            if batch.newest is not None:
                newest = batch.newest if newest is None else max(newest, batch.newest)
            with self.store.transaction():
                seen |= self.write(spec, batch)
                if last:
                    self.finish(spec, plan, newest, seen, fetched)
                    finished = True
                elif plan.ordered and newest is not None and spec.incremental:
                    # Pages arrive in modification order: everything up to this page's newest
                    # instant is written, so the cursor may move with it.
                    self.store.set_cursor(self.source, spec.name, min(newest, self.started))
            self.done += batch.fetched
            if plan.total is None:  # an object read without a count grows the total as it arrives
                self.total = (self.total or 0) + batch.fetched
            total = f" of {plan.total:,}" if plan.total is not None else ""
            self.progress(f"{spec.name}: {fetched:,}{total} read")
        if not finished:
            with self.store.transaction():
                self.finish(spec, plan, newest, seen, fetched)

    def finish(self, spec: ObjectSpec, plan: Plan, newest: datetime | None, seen: set[str], fetched: int) -> None:
        """The object's last step, in the transaction of its last page: cursor, state, reconcile."""
        if newest is not None and spec.incremental:
            self.store.set_cursor(self.source, spec.name, min(newest, self.started))
        for key, value in plan.state.items():
            self.store.set_meta(f"{self.source}:{key}", value)
        if plan.since is None:
            if plan.total is not None and fetched != plan.total:
                self.context.note(
                    f"{spec.name}: {fetched:,} records read, {self.connector.label} counted {plan.total:,}."
                )
            self.reconcile(spec, seen)

    # -- writing ----------------------------------------------------------------------------
    def write(self, spec: ObjectSpec, batch: Batch) -> set[str]:
        """A batch's deletions, rejects and rows (inside the caller's transaction); returns the
        ids of the rows written."""
        self.delete(spec, batch.deleted)
        rows = ordered_unique(batch.rows, spec.key)
        if rows.empty:
            return set()
        if spec.tag:
            rows["crm_object"] = spec.tag
        good, rejects = split_rejects(rows, spec.table, f"{self.source}:{spec.name}", self.bounds)
        if not rejects.empty:
            ids = rejects["record_id"].astype(str)
            new = ~ids.map(lambda i: (spec.table, i) in self.rejected)
            self.rejected |= {(spec.table, i) for i in ids}
            self.store.add_rejects(self.load_id, rejects[new.to_numpy()])
            self.summary.count("rejected", spec.table, ids[new].nunique())
        if not good.empty:
            result = self.store.upsert(spec.table, good.reset_index(drop=True))
            if result.added:
                self.summary.count("added", spec.table, result.added)
            if result.changed:
                self.summary.count("changed", spec.table, result.changed)
        return set(good[spec.key].astype(str))

    def delete(self, spec: ObjectSpec, ids: list[str]) -> None:
        if not ids or spec.keep_deleted:
            return
        n = self.store.delete(spec.table, list(ids))
        if n:
            self.summary.count("deleted", spec.table, n)

    def reconcile(self, spec: ObjectSpec, seen: set[str]) -> None:
        """After reading every record of an object: delete its stored rows the CRM no longer has."""
        if spec.keep_deleted:
            return
        key = spec.key
        if spec.id_prefix:
            query, params = f'SELECT "{key}" FROM {spec.table} WHERE "{key}" LIKE ?', [spec.id_prefix + "%"]
        elif spec.tag:
            query = f"SELECT \"{key}\" FROM {spec.table} WHERE json_extract_string(extra, '$.crm_object') = ?"
            params = [spec.tag]
        else:
            return
        stored = [r[0] for r in self.store.con.execute(query, params).fetchall()]
        self.delete(spec, [i for i in stored if i not in seen])


def ordered_unique(rows: pd.DataFrame, key: str) -> pd.DataFrame:
    """Rows ordered by (modification time, id), one per id: the newest (the last one read on
    equal times)."""
    if rows.empty:
        return rows.reset_index(drop=True)
    order = pd.DataFrame({"i": rows[key].astype(str).values, "n": range(len(rows))})
    if "_modified" in rows.columns:
        order["s"] = pd.Series(rows["_modified"]).array
        order = order.sort_values(["s", "i", "n"], kind="stable", na_position="first")
    else:
        order = order.sort_values(["i", "n"], kind="stable")
    order = order.drop_duplicates("i", keep="last")
    if "_modified" in rows.columns:
        order = order.sort_values(["s", "i"], kind="stable", na_position="first")
    return rows.iloc[order["n"].to_numpy()].reset_index(drop=True)


def one_tier_note(connector: Connector, store: Store, tier_map: Mapping[str, str]) -> str | None:
    """A note when every handoff synced from this connector falls in one tier (the lead's tier,
    else the policy's tier map from its source, else low), with the connector's hint."""
    leads = [s for s in connector_objects(connector) if s.table == "leads"]
    if not leads:
        return None
    spec = leads[0]
    if spec.id_prefix:
        where, params = "lead_id LIKE ?", [spec.id_prefix + "%"]
    elif spec.tag:
        where, params = "json_extract_string(extra, '$.crm_object') = ?", [spec.tag]
    else:
        return None
    rows = store.con.execute(
        f"SELECT tier, source, count(*) FROM leads WHERE mql_at IS NOT NULL AND {where} GROUP BY ALL", params
    ).fetchall()
    if not rows:
        return None
    mapped = {str(k).strip().lower(): v for k, v in tier_map.items()}
    tiers = {tier or mapped.get(str(source or "").strip().lower(), "low") for tier, source, _ in rows}
    if len(tiers) != 1:
        return None
    n = sum(r[2] for r in rows)
    return (
        f"{ONE_TIER_PREFIX}{n:,} {connector.label} handoffs is tier {tiers.pop()}. {connector.one_tier_hint}"
    ).strip()


def connector_objects(connector: Connector) -> tuple[ObjectSpec, ...]:
    return connector.objects(connector.settings({}))
