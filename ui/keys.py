"""Keyboard shortcuts for a page's main live-training panel: Space plays or pauses, → steps, 0 resets.

Streamlit binds a button's ``shortcut`` in the browser and ignores it while a text or number field has
focus (plain keys then type, as they should). Two buttons with the same shortcut on one page would clash,
so only the first live panel a page draws (its main one) gets them: app.py calls ``new_page_run`` before
each page runs, and the first panel to ``claim`` wins. Play and Pause share Space: only one of the two is
enabled at a time, and a disabled button binds nothing.

Reset uses 0 ("back to step 0"), not R: Streamlit reserves R (rerun) and C (clear caches).
"""

from __future__ import annotations

import streamlit as st

OWNER = "keys:owner"  # session key: the live panel that holds this page run's shortcuts
PLAY_PAUSE = "Space"
STEP = "Right"
RESET = "0"

# What each key does, in the order the help lists them (the key as a learner reads it, then the action).
HELP = (
    ("Space", "Play, or Pause while training"),
    ("→", "Step: train a little, then stop"),
    ("0", "Reset to step 0 (same seed)"),
)


def new_page_run() -> None:
    """Forget the last run's owner: the next panel drawn is this page's main one."""
    st.session_state.pop(OWNER, None)


def claim(key: str) -> bool:
    """True for the page's main live panel: the first to ask in this page run (or the one that already has)."""
    return st.session_state.setdefault(OWNER, key) == key


def shortcuts_help() -> None:
    """A small keyboard button that opens the list of shortcuts."""
    with st.popover("", icon=":material/keyboard:", help="Keyboard shortcuts"):
        lines = "\n".join(f"| {k} | {what} |" for k, what in HELP)
        st.markdown("| key | action |\n| --- | --- |\n" + lines)
        st.caption("They work once you have clicked on the page, while no text or number field has the cursor.")
