"""The prediction box (ui/predict.py) in the browser: enter a number, lock it, read the graded comparison."""

from __future__ import annotations

import re

from rig.pages import APP_IDLE_TIMEOUT_MS, click_button, main_text, reveal, wait_for_main_text, wait_for_rerun

# "You predicted **3**; the trained model: **5**. ..." as rendered text (the bold is gone)
COMPARISON_RE = re.compile(r"You predicted (\S+); the trained model: (\S+?)\.")
REVEAL_LABEL = "Reveal the result"


def enter_prediction(page, kind: str, value: int) -> None:
    """Type a number into the box of question `kind` (ui.predict's widget key starts predict_<kind>_) and commit it."""
    box = page.locator(f'[class*="st-key-predict_{kind}_"] input[type="number"]').first
    reveal(page, box)  # in presenter mode the question sits in a closed expander
    box.fill(str(value))
    box.press("Enter")  # a number input sends its value on Enter (or on leaving the field)
    wait_for_rerun(page, APP_IDLE_TIMEOUT_MS)


def lock_prediction(page, kind: str, value: int) -> None:
    """Enter `value` and press "Lock my prediction"; checks the box then shows it as locked."""
    enter_prediction(page, kind, value)
    click_button(page, "Lock my prediction")
    assert wait_for_main_text(page, rf"Your prediction: {value} \(locked\)"), main_text(page)[:2000]


def read_comparison(page, timeout_ms: int = 30_000) -> tuple[str, str]:
    """(predicted, result) from the graded comparison, once it is on the page."""
    assert wait_for_main_text(page, COMPARISON_RE.pattern, timeout_ms), (
        "no 'You predicted ...; the trained model: ...' on the page:\n" + main_text(page)[:3000]
    )
    m = COMPARISON_RE.search(main_text(page))
    assert m, "the comparison is in the page's text but not in its rendered text"
    return m.group(1), m.group(2)
