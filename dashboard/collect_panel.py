"""The pulls page's "State of collection": the last runs, and Collect now with its progress and outcome."""

from __future__ import annotations

import re

import streamlit as st

from dashboard import collect
from dashboard import pull_loaders as loaders
from dashboard.markup import literal

RESULT_KEY = "_collect_result"
SHOW = {"success": st.success, "warning": st.warning, "error": st.error}
# The collector's reasons end with advice for its command line ("check the network or --api-url"): not for this page.
_FLAG_ADVICE = re.compile(r"[:;] [^:;]*--[a-z][a-z-]*[^:;]*$")


def collection_section(url: str, version: tuple, images: tuple[str, ...]) -> None:
    """The last collection runs, the outcome of this session's last click, and the Collect now button."""
    st.subheader("State of collection")
    report = st.session_state.pop(RESULT_KEY, None)
    if report is not None:
        _outcome(report)
    _runs(url, version)
    running = collect.running_since(url)
    if running is not None:
        st.info(f"A collection is running, started at {running:%H:%M:%S} UTC; its counts show here when it ends.")
    allowed = collect.allowed()
    label = f"Collect now ({len(images)} images)" if images else "Collect now (default watchlist)"
    if st.button(
        literal(label),
        disabled=not allowed or running is not None,
        icon=":material/sync:",
        help=None if allowed else "Collecting is switched off on this server.",
    ):
        _run(url, images)


def _runs(url: str, version: tuple) -> None:
    runs = loaders.collection_runs(url, version)
    if runs.empty:
        st.info("No collection has run on this store yet; the histories shown were imported.")
        return
    last = runs.iloc[0]
    status = "finished" if last["complete"] else "did not finish"
    st.write(
        f"Last run #{int(last['run_id'])} ({literal(last['kind'])}) started {last['started_at']:%Y-%m-%d %H:%M} UTC, "
        f"{literal(status)}: {int(last['images_collected'])} collected, {int(last['images_failed'])} failed."
    )
    failures = loaders.run_failures(url, version, int(last["run_id"]))
    if not failures.empty:
        st.dataframe(failures.assign(reason=failures["reason"].map(page_reason)), hide_index=True)
    with st.expander("Recent runs"):
        st.dataframe(runs, hide_index=True)


def _run(url: str, images: tuple[str, ...]) -> None:
    bar = st.progress(0.0, text="Asking Docker Hub…")

    def tell(done: int, total: int | None, image: str) -> None:
        bar.progress(min(done / total, 1.0) if total else 0.0, text=collect.progress_text(done, total, image))

    try:
        report = collect.run_collection(images, url, tell)
    except collect.CollectionRunning as running:
        bar.empty()
        st.info(f"A collection is running, started at {running.started_at:%H:%M:%S} UTC: wait for it to end.")
        return
    loaders.forget_store_version()
    st.session_state[RESULT_KEY] = report
    st.rerun()  # the runs above and every chart then show what was just saved


def _outcome(report: collect.CollectReport) -> None:
    level, sentence = collect.plain_words(report)
    SHOW[level](sentence)
    if report.failures:
        with st.expander(f"Details: {len(report.failures)} images not collected"):
            lines = [f"{image}: {page_reason(reason)}" for image, reason in sorted(report.failures.items())]
            st.code("\n".join(lines), language=None)


def page_reason(reason: str) -> str:
    """A collector's reason without its command-line advice."""
    return _FLAG_ADVICE.sub("", str(reason))
