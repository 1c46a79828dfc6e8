"""Data: what is loaded, the import report and rejects, uploads, the SLA policy, sync."""

import dataclasses

import pandas as pd
import streamlit as st

from handoff.model import views
from handoff.ui import format, loading, page, state

page.ensure_app_routing()
st.title("Data")
data = state.current()
ORIGINS = {"sample": "Sample data (synthetic)", "database": "Database file", "upload": "Uploaded files"}
st.caption(
    f"Showing: **{ORIGINS.get(data.origin, data.origin)}** · {data.detail} · numbers as of "
    f"{data.model.as_of:%Y-%m-%d %H:%M} UTC"
)

left, right = st.columns(2)
with left:
    st.subheader("Rows loaded")
    format.table(views.table_counts(data.model), "row_counts.csv", key="dl_counts")
with right:
    st.subheader("Last sync")
    syncs = views.sync_status(data.model)
    if syncs.empty:
        st.write(f"No CRM sync yet ({' or '.join(c.label for c in loading.connectors())}).")
    else:
        format.table(syncs, "sync_state.csv", key="dl_sync")

st.subheader("Loads and rejects")
format.table(views.load_history(data.model), "loads.csv", key="dl_loads")
report = data.import_report
if report is not None:
    st.dataframe(pd.DataFrame([dataclasses.asdict(f) for f in report.files]), hide_index=True)
    for note in report.notes:
        st.caption(note)
rejects = views.recent_rejects(data.model)
if rejects.empty:
    st.success("No rejected rows.", icon=":material/check_circle:")
else:
    st.warning(f"{len(rejects):,} rejected rows (first 500 shown).")
    format.table(rejects, "rejects.csv", key="dl_rejects")

st.subheader("Upload files")
st.write(
    "The canonical files (`reps`, `leads`, `activities`, `meetings`, `opportunities`, CSV or Parquet) "
    "are checked row by row by the same import as `handoff import`; good rows load, bad rows are "
    "reported. The upload replaces the data shown until the next upload or sync."
)
with st.form("upload", clear_on_submit=True):
    files = st.file_uploader("Files", type=["csv", "parquet"], accept_multiple_files=True)
    submitted = st.form_submit_button("Import")
if submitted and files:
    bar = st.progress(0.0, "Importing")
    try:
        result = loading.import_uploads(files, lambda i, n, msg: bar.progress(min(i / max(n or 1, 1), 1.0), msg))
    except ValueError as exc:
        st.error(str(exc))
    else:
        st.success(f"Imported. {result.rejected:,} rows rejected.")
        st.code(result.format(), language=None)
        st.button("Show the new data")

st.header("CRM connectors")
for connector in loading.connectors():
    st.subheader(connector.label)
    try:
        settings = loading.settings_table(connector)
    except ValueError as exc:
        st.error(str(exc))
        settings = None
    try:
        creds = loading.credentials(connector)
    except ValueError as exc:
        st.error(str(exc))
        creds = None
    last = loading.last_sync(connector)
    if last.status is None:
        st.write(f"No {connector.label} sync in the data shown.")
    else:
        st.write(
            f"Last sync: **{last.status}**"
            + (f", finished {last.finished_at:%Y-%m-%d %H:%M} UTC" if last.finished_at is not None else "")
        )
        for note in last.notes:
            (st.warning if loading.is_one_tier_note(note) else st.caption)(note)
    if not last.cursors.empty:
        format.table(last.cursors, f"{connector.name}_cursors.csv", key=f"dl_cursors_{connector.name}")
    if settings is not None:
        with st.expander(f"Settings: [{connector.name}] in handoff.toml (see {connector.docs})"):
            st.dataframe(settings, hide_index=True, width="stretch")
    if creds is None:
        st.write(f"No {connector.label} credentials are configured. Add them to `.streamlit/secrets.toml`:")
        st.code(connector.secrets_example, language="toml")
        st.write(f"or set {connector.environment_hint} in the environment, then reload this page.")
    elif settings is not None:
        full = st.checkbox("Full sync (re-read everything and reconcile deletions)", key=f"full_{connector.name}")
        if st.button("Sync now", type="primary", key=f"sync_{connector.name}"):
            bar = st.progress(0.0, f"Connecting to {connector.label}")

            def on_progress(done, total, message, bar=bar):
                bar.progress(min(done / total, 1.0) if total else 0.0, message)

            try:
                summary = loading.sync(connector, creds, full, on_progress)
            except ValueError as exc:
                st.error(str(exc))
            else:
                bar.progress(1.0, "Done")
                st.success("Sync finished.")
                st.dataframe(loading.summary_table(summary), hide_index=True)
                for note in summary.notes:
                    (st.warning if loading.is_one_tier_note(note) else st.caption)(note)

st.subheader("SLA policy in force")
st.caption("From handoff.toml in the working folder (defaults where it says nothing).")
st.table(pd.DataFrame(state.policy().summary(), columns=["Setting", "Value"]).set_index("Setting"))
