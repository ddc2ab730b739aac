"""Linked views: a click on a feature in one chart (a mark or a legend entry) follows that feature in every
linked chart of the page, so "feature 3" can be traced from its arrow to its row of Wᵀ W to its norm.

The charts carry a click selection named ``core.charts.style.FEATURE_PICK``; the pick is kept per page in
session state, and the page's builders get it as ``followed`` (the other features fade).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.charts.style import FEATURE_PICK


def _state_key(page: str) -> str:
    return f"{page}_followed"


def _moved_key(page: str) -> str:
    return f"{page}_pick_moved"


def followed(page: str, n_features: int | None = None) -> int | None:
    """The feature this page follows, or None; with ``n_features``, None too when the model has no such feature
    (a pick kept from a model with more features)."""
    feature = st.session_state.get(_state_key(page))
    if feature is not None and n_features is not None and not 0 <= feature < n_features:
        return None
    return feature


def picked_feature(event: Any) -> int | None:
    """The feature a chart's selection event picked (field ``feature``, or ``row`` on a Wᵀ W heatmap), or None."""
    try:
        points = event["selection"][FEATURE_PICK]
    except (KeyError, TypeError):
        return None
    for point in points or []:
        for field in ("feature", "row"):
            try:
                return int(point[field])
            except (KeyError, TypeError, ValueError):
                continue
    return None


def link(page: str, chart: str) -> dict:
    """Keyword arguments for ``ui.export.show_chart`` that make a chart with a FEATURE_PICK selection set the
    followed feature when clicked (a click on empty space leaves it as it is)."""
    widget_key = f"{page}_{chart}_pick"

    def on_pick() -> None:
        feature = picked_feature(st.session_state.get(widget_key))
        if feature is not None:
            st.session_state[_state_key(page)] = feature
            st.session_state[_moved_key(page)] = True  # for catch_up: the bar may be outside this chart's fragment

    return {"widget_key": widget_key, "on_select": on_pick, "selection_mode": FEATURE_PICK}


HINT = "Click a feature's dot, bar or Wᵀ W row to follow it through every chart on this panel."


def follow_bar(page: str, n_features: int, hint: str = HINT) -> int | None:
    """A line saying which feature is followed, with a button to stop; returns the followed feature (None when
    none is, or when the pick no longer exists because the model has fewer features). ``hint`` says how to
    pick one on this page's charts."""
    st.session_state.pop(_moved_key(page), None)  # this bar shows the pick from here on
    feature = followed(page, n_features)
    if feature is None:
        st.session_state[_state_key(page)] = None  # a pick this model cannot show is dropped
    if feature is None:
        st.caption(hint)
        return None
    text, button = st.columns([4, 1], vertical_alignment="center")
    text.markdown(f"**Following feature {feature}**: the other features are faded.")
    button.button("Stop following", key=f"{page}_unfollow", on_click=_unfollow, args=(page,))
    return feature


def catch_up(page: str) -> None:
    """For a live panel (a fragment) whose page draws the follow bar outside it, or draws several panels: when a
    click in this panel changed the pick, rerun the whole page, so the bar and every panel show the new pick
    (a click inside a fragment otherwise reruns that fragment only)."""
    if st.session_state.pop(_moved_key(page), False):
        st.rerun()


def _unfollow(page: str) -> None:
    st.session_state[_state_key(page)] = None
