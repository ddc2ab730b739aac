"""Page layout shared by the chapters: where the controls go, so the figure comes first on a projector."""

from __future__ import annotations

import streamlit as st

from ui.state import presenting


def settings_box(label: str = "Settings", border: bool = True):
    """The box a chapter's model controls live in: a bordered box normally; in presenter mode a closed
    expander, so the first screen shows the figure and its Play button (the controls stay a click away,
    and their values, from the link or their defaults, apply either way)."""
    if presenting():
        return st.expander(label, expanded=False, icon=":material/tune:")
    return st.container(border=border)


def predict_box():
    """Where a chapter asks for a prediction: inline normally; in presenter mode a closed expander above the Play
    button, opened when the speaker asks the room (the result still waits for the reveal)."""
    if presenting():
        return st.expander("Predict before you train", expanded=False, icon=":material/how_to_vote:")
    return st.container()
