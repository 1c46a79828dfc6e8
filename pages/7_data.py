"""Data: what is loaded and by whom, the load log, rejects, uploads (confirmed, revertible),
connecting and syncing a CRM, the SLA policy."""

import pandas as pd
import streamlit as st

from handoff.model import views
from handoff.ui import connect, format, loading, page, state

page.ensure_app_routing()
st.title("Data")
data = state.current()
plain = format.plain
current = loading.current_version()
previous = loading.previous_version()
st.caption(
    f"Showing {plain(loading.describe_version(current))}. Numbers as of {plain(loading.when(data.model.as_of))}."
)

# -- going back -------------------------------------------------------------------------------------
CONFIRM = "data_confirm"  # which confirmation is open: "upload" or "revert"


def _dismiss() -> None:
    st.session_state.pop(CONFIRM, None)


def _revert_label() -> str:
    if previous == loading.SAMPLE:
        return "Revert to the bundled sample data"
    return f"Revert to the data loaded at {loading.when(previous.loaded_at)}"


@st.dialog("Go back to the earlier data?", on_dismiss=_dismiss)
def confirm_revert() -> None:
    st.markdown(f"**Will be shown again:** {plain(loading.describe_version(previous))}.")
    st.markdown(
        f"**Now shown, kept:** {plain(loading.describe_version(current))}. The same button brings it back afterwards."
    )
    st.caption("This changes the data on every page, for everyone using this app.")
    yes, no = st.columns(2)
    if yes.button("Revert", type="primary", key="revert_yes", width="stretch"):
        try:
            loading.revert()
        except ValueError as exc:
            st.error(plain(str(exc)))
            return
        _dismiss()
        st.session_state["data_notice"] = "Reverted. The data you replaced is kept: the button below brings it back."
        st.rerun()
    if no.button("Cancel", key="revert_no", width="stretch"):
        _dismiss()
        st.rerun()


if previous is not None:
    with st.container(border=True):
        st.markdown(f"**Earlier data kept:** {plain(loading.describe_version(previous))}.")
        if st.button(_revert_label(), icon=":material/undo:", key="revert"):
            st.session_state[CONFIRM] = "revert"
notice = st.session_state.pop("data_notice", None)
if notice:
    st.success(notice, icon=":material/check_circle:")

# -- what is loaded ---------------------------------------------------------------------------------
left, right = st.columns(2)
with left:
    st.subheader("Rows loaded")
    counts = views.table_counts(data.model)
    counts["table"] = counts["table"].astype(str).str.replace("_", " ").str.capitalize()
    format.table(
        counts.rename(columns={"table": "Table", "rows": "Rows"}),
        "row_counts.csv",
        key="dl_counts",
        columns={"Rows": format.count_column("Rows")},
    )
with right:
    st.subheader("CRM")
    labels = [c.label for c in loading.connectors()]
    if views.sync_status(data.model).empty:
        st.markdown(
            f"No CRM is connected to this data yet. To pull leads straight from {' or '.join(labels)}: "
            "open **Connect** under *CRM connectors* below, fill in the credentials, press **Test "
            "connection**, then **Test and save**, then **Sync now**. Or upload files below."
        )
    else:
        for connector in loading.connectors():
            last = loading.last_sync(connector)
            if last.status is not None:
                finished = f", {loading.when(last.finished_at)}" if last.finished_at is not None else ""
                st.markdown(
                    f"**{connector.label}**: last sync {plain(loading.status_words(last.status))}{plain(finished)}."
                )

st.subheader("Load log")
log = loading.load_log()
if not log:
    st.write("Nothing has been loaded into this data yet.")
for line in log[:20]:
    st.markdown(f"- {plain(line)}")
if len(log) > 20:
    st.caption(f"{len(log) - 20:,} older loads not shown.")
rejects = views.recent_rejects(data.model)
if rejects.empty:
    st.success("No rejected rows.", icon=":material/check_circle:")
else:
    st.warning(f"{len(rejects):,} rejected rows (first 500 shown).")
    format.table(loading.rejects_for_people(rejects), "rejects.csv", key="dl_rejects")

# -- uploading --------------------------------------------------------------------------------------
st.subheader("Upload files")
st.write(
    "The canonical files (reps, leads, activities, meetings, opportunities, owner changes; CSV or Parquet) "
    "are checked row by row by the same import as the command line's; good rows load, bad rows are "
    "reported. An upload **replaces the data on every page, for everyone** using this app: you are asked "
    "to confirm, and the data it replaces is kept so one click on this page brings it back."
)
st.session_state.setdefault("upload_round", 0)
uploader = f"upload_files_{st.session_state['upload_round']}"
files = st.file_uploader("Files", type=["csv", "parquet"], accept_multiple_files=True, key=uploader)
if st.button("Import...", disabled=not files, key="upload_start"):
    st.session_state[CONFIRM] = "upload"


@st.dialog("Replace the data for everyone?", width="medium", on_dismiss=_dismiss)
def confirm_upload(chosen: list) -> None:
    try:
        names = loading.upload_names(chosen)
    except ValueError as exc:
        st.error(plain(str(exc)))
        return
    size = sum(f.size for f in chosen)
    st.markdown(f"**Will be imported:** {plain(', '.join(names))} ({size / 1e6:,.1f} MB).")
    st.markdown(f"**Will be replaced, and kept:** {plain(loading.describe_version(current))}.")
    if previous is not None and previous != loading.SAMPLE:
        st.caption(
            f"The earlier copy kept now ({plain(loading.describe_version(previous))}) is discarded: "
            "one earlier version is kept."
        )
    st.session_state.setdefault("loader_name", st.session_state.get("loader_name_kept") or loading.default_loader())
    st.text_input("Your name, for the load log", key="loader_name")
    yes, no = st.columns(2)
    if yes.button("Replace the data", type="primary", key="upload_yes", width="stretch"):
        who = st.session_state.get("loader_name", "")
        st.session_state["loader_name_kept"] = who
        bar = st.progress(0.0, "Importing")
        try:
            report = loading.import_uploads(
                chosen, who, lambda i, n, msg: bar.progress(min(i / max(n or 1, 1), 1.0), msg)
            )
        except ValueError as exc:
            st.error(plain(str(exc)))
            return
        _dismiss()
        st.session_state["upload_round"] += 1
        st.session_state["upload_result"] = (loading.report_lines(report), report.rejected, list(report.notes))
        st.rerun()
    if no.button("Cancel", key="upload_no", width="stretch"):
        _dismiss()
        st.rerun()


result = st.session_state.pop("upload_result", None)
if result is not None:
    lines, rejected, notes = result
    st.success(
        f"Imported: the data on every page is now the files you uploaded ({rejected:,} rows rejected).",
        icon=":material/check_circle:",
    )
    for line in [*lines, *notes]:
        st.markdown(f"- {plain(line)}")

if st.session_state.get(CONFIRM) == "upload":
    if files:
        confirm_upload(files)
    else:
        _dismiss()
elif st.session_state.get(CONFIRM) == "revert" and previous is not None:
    confirm_revert()

# -- CRM connectors ---------------------------------------------------------------------------------
st.header("CRM connectors")
for connector in loading.connectors():
    st.subheader(connector.label)
    try:
        settings = loading.settings_table(connector)
    except ValueError as exc:
        st.error(plain(str(exc)))
        settings = None
    try:
        creds = loading.credentials(connector)
    except ValueError as exc:
        st.error(plain(str(exc)))
        creds = None
    last = loading.last_sync(connector)
    if last.status is None:
        st.write(f"No {connector.label} sync in the data shown.")
    else:
        st.write(
            f"Last sync: **{loading.status_words(last.status)}**"
            + (f", finished {loading.when(last.finished_at)}" if last.finished_at is not None else "")
        )
        for note in last.notes:
            (st.warning if loading.is_one_tier_note(note) else st.caption)(plain(note))
    if not last.cursors.empty:
        format.table(last.cursors, f"{connector.name}_cursors.csv", key=f"dl_cursors_{connector.name}")
    if settings is not None:
        with st.expander(f"Settings: [{connector.name}] in handoff.toml (see {connector.docs})"):
            st.dataframe(settings, hide_index=True, width="stretch")
    if creds is None:
        st.write(
            f"Not connected: no {connector.label} credentials yet. Fill in the form below (or set "
            f"{connector.environment_hint} in the environment; see {connector.docs})."
        )
    else:
        st.caption(f"Credentials from {connect.configured_where(connector)}.")
    connect.form(connector, expanded=creds is None)
    if creds is not None and settings is not None:
        full = st.checkbox("Full sync (re-read everything and reconcile deletions)", key=f"full_{connector.name}")
        if st.button("Sync now", type="primary", key=f"sync_{connector.name}"):
            bar = st.progress(0.0, f"Connecting to {connector.label}")

            def on_progress(done, total, message, bar=bar):
                bar.progress(min(done / total, 1.0) if total else 0.0, message)

            who = st.session_state.get("loader_name_kept") or loading.default_loader()
            try:
                summary = loading.sync(connector, creds, full, on_progress, who)
            except ValueError as exc:
                st.error(plain(str(exc)))
            else:
                bar.progress(1.0, "Done")
                st.success("Sync finished.")
                st.dataframe(loading.summary_table(summary), hide_index=True)
                for note in summary.notes:
                    (st.warning if loading.is_one_tier_note(note) else st.caption)(plain(note))

st.subheader("SLA policy in force")
st.caption("From handoff.toml in the working folder (defaults where it says nothing).")
st.table(pd.DataFrame(state.policy().summary(), columns=["Setting", "Value"]).set_index("Setting"))

st.subheader("Alerts")
alerts_sent, alert_failures = views.alerts_sent(data.model), views.alert_failures(data.model)
if alerts_sent.empty and alert_failures.empty:
    st.caption("No alerts sent from this database yet: `handoff alert` sends the breach queue (docs/alerts.md).")
else:
    st.caption("The latest alerts `handoff alert` delivered, newest first (each lead once per stage).")
    st.dataframe(alerts_sent, hide_index=True)
    if not alert_failures.empty:
        st.caption("Failed deliveries: their alerts are sent by the next run.")
        st.dataframe(alert_failures, hide_index=True)
