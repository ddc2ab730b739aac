"""Self-check questions: the learner commits to an answer in their head, then opens the reveal."""

from __future__ import annotations

import streamlit as st


def self_check(items: list[tuple[str, str]]) -> None:
    """A "Check yourself" section: each (question, answer) is an expander that opens on demand."""
    st.subheader("Check yourself")
    for number, (question, answer) in enumerate(items, start=1):
        with st.expander(f"{number}. {question}"):
            st.markdown(answer)
