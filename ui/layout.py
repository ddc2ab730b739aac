"""Page layout shared by the chapters: what goes on the first screen, so the figure and its Play button come first
on a laptop and on a projector alike (issue 14)."""

from __future__ import annotations

import streamlit as st

from ui.state import presenting, prose


def intro(text: str, key_sentence: str) -> None:
    """A chapter's opening: its key sentence; the full explanation a click away in normal mode (a closed expander
    right under it), left to the speaker in presenter mode, so the figure is on the first screen."""
    if presenting():
        prose(text, key_sentence)
        return
    st.markdown(f"**{key_sentence}**")
    with st.expander("Read the full introduction", expanded=False, icon=":material/menu_book:"):
        st.markdown(text)


def settings_box(label: str = "Settings", border: bool = True):
    """The box a chapter's model controls live in: a closed expander, in both modes, so the first screen shows the
    figure and its Play button (the controls stay a click away, and their values, from the link or their defaults,
    apply either way). ``border`` is kept for callers whose controls draw their own box; an expander has one."""
    del border
    return st.expander(label, expanded=False, icon=":material/tune:")


def predict_box():
    """Where a chapter asks for a prediction: a closed expander right above the Play button, in both modes, opened
    when the learner (or the speaker, asking the room) predicts; the result still waits for the reveal."""
    return st.expander("Predict before you train", expanded=False, icon=":material/how_to_vote:")
