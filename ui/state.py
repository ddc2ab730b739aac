"""Session-state defaults, declared once, and the shared sidebar controls.

Every key that more than one page reads lives here, so a page never guesses a default.
"""

from __future__ import annotations

import streamlit as st

DEFAULTS: dict[str, object] = {
    "presenter": False,  # larger fonts and marks for a projector
}

PRESENTER_SCALE = 1.6


def init_state() -> None:
    """Fill in any missing defaults (called by app.py before a page runs)."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)


def chart_scale() -> float:
    """The scale every chart builder gets: 1.0 on a laptop, bigger in presenter mode."""
    return PRESENTER_SCALE if st.session_state.get("presenter") else 1.0


def sidebar_controls() -> None:
    """Controls every page shares."""
    with st.sidebar:
        st.toggle(
            "Presenter mode",
            key="presenter",
            help="Bigger chart text and marks, so a lecture room can read them from the back.",
        )


def _apply(values: dict[str, object]) -> None:
    for key, value in values.items():
        st.session_state[key] = value


def preset_button(label: str, values: dict[str, object], key: str, help: str | None = None) -> None:
    """A button that sets several widgets (by key) at once, e.g. back to the paper's exact settings.

    It works through on_click, so the widgets show the new values on the very next run.
    """
    st.button(label, key=key, on_click=_apply, args=(values,), help=help, icon=":material/restart_alt:")
