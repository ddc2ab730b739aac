"""Say so when a shared link carries values the page cannot use.

Streamlit's query-parameter binding already refuses malformed or out-of-range values (the widget
keeps its default and the value leaves the URL), but silently. The frame snapshots the link before
the page runs; afterwards, a bound widget's parameter that is still in the URL was taken, and one
that left the URL was either refused or equal to the default (Streamlit drops defaults from the URL),
which comparing it with the widget's value tells apart. The learner gets one message naming every
refused value and the value used instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import streamlit as st

SHOWN_CHARS = 40  # a hostile link may carry a very long value: show only its start
FRAME_KEYS = {"hide"}  # read by the frame itself (ui.state.hidden_keys), not by a widget


CHECKED_KEY = "_link_checked_page"


def link_values(page_path: str) -> dict[str, list[str]]:
    """The link's parameters before the page runs (every value of each key), on a page's first run only.

    Later reruns come from the learner's own clicks, which Streamlit writes to the URL as the
    widgets run; comparing then would flag the learner's own change as a refused link value.
    """
    if st.session_state.get(CHECKED_KEY) == page_path:
        return {}
    st.session_state[CHECKED_KEY] = page_path
    return {key: [str(v) for v in st.query_params.get_all(key)] for key in st.query_params}


def _same_number(raw: str, value: float) -> bool:
    try:
        return math.isclose(float(raw), float(value), rel_tol=1e-9, abs_tol=1e-12)
    except (TypeError, ValueError, OverflowError):
        return False


def _same(raw: Sequence[str], value: object) -> bool:
    """Whether the widget ended up with the value the link asked for."""
    if not raw:
        return True
    if isinstance(value, bool):
        return raw[-1].strip().lower() == str(value).lower()
    if isinstance(value, int | float):
        return _same_number(raw[-1], value)
    if isinstance(value, list | tuple):
        parts = list(raw) if len(raw) == len(value) else raw[-1].split(",")
        return len(parts) == len(value) and all(_same([p], v) for p, v in zip(parts, value))
    return raw[-1] == str(value)


def refused(before: dict[str, list[str]]) -> list[tuple[str, str, object]]:
    """(key, value asked for, value used) for every bound widget that did not take the link's value."""
    out = []
    for key, raw in before.items():
        if key in FRAME_KEYS or key not in st.session_state:
            continue  # not a control on this page (another page's, or a parameter nobody reads)
        if st.query_params.get_all(key) == raw:
            continue  # Streamlit kept it in the URL: the widget took it (as its option label, say)
        value = st.session_state[key]
        if not _same(raw, value):
            out.append((key, raw[-1] if raw else "", value))
    return out


def _short(text: str) -> str:
    text = text.replace("`", "'")
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def report_refused(where, before: dict[str, list[str]]) -> None:
    """One warning in ``where`` listing the link's values the page could not use."""
    bad = refused(before)
    if not bad:
        return
    items = ", ".join(f"`{key}` = `{_short(asked)}` (using `{_short(str(used))}`)" for key, asked, used in bad)
    where.warning(
        f"This link asked for values the page cannot use, so it shows defaults instead: {items}. "
        "Check the link, or set the controls by hand.",
        icon=":material/link_off:",
    )
