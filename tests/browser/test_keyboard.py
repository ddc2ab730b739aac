"""Keyboard shortcuts of the main live panel (issue 18), pressed in a real browser on "5 features in 2 dimensions":
→ steps, Space plays and then pauses, 0 resets (Streamlit reserves R for its own rerun), and keys typed in a
number field stay in the field. tests/test_keys.py checks which panel binds them."""

from __future__ import annotations

import pytest

from rig.live import read_step, set_speed, wait_for_step_above
from rig.pages import assert_no_exception, button_name, goto_app, reveal, wait_for_app, wait_for_main_text

pytestmark = pytest.mark.browser

F52 = "/five-in-two?predict=off&f52_steps=1000"  # 1,000 steps: Step (1/20 of the run) trains 50
PAUSE_HOLD_MS = 2500  # after a pausing Space, the step must not move for this long


def _unfocus(page) -> None:
    """The main area has the keyboard focus, and no control does: keys go to the page's shortcuts. (Streamlit
    listens inside the app, so keys sent to the bare <body> of a page no one has clicked yet do nothing.)"""
    page.evaluate(
        "() => { document.activeElement?.blur(); document.querySelector('[data-testid=\"stMain\"]').focus(); }"
    )


def _wait_for_bound(page, *shortcuts: str) -> None:
    """Wait until the browser has bound these shortcuts (Streamlit's names: "space", "right", "0"). It binds a
    button's shortcut a moment after drawing it, and only while the button is enabled. Streamlit keeps its
    bindings in the hotkeys-js registry it exposes as window.hotkeys."""
    page.wait_for_function(
        "(want) => { const bound = (window.hotkeys?.getAllKeyCodes() || []).map(k => k.shortcut);"
        " return want.every(s => bound.includes(s)); }",
        arg=list(shortcuts),
        timeout=30_000,
        polling=100,
    )


def _press(page, key: str) -> None:
    """Press a key on the page (no control focused), once the shortcuts are bound."""
    _wait_for_bound(page, "space", "right", "0")
    _unfocus(page)
    page.keyboard.press(key)


def _step_with_arrow(page, expected: int = 50) -> None:
    _press(page, "ArrowRight")
    wait_for_step_above(page, expected - 50, timeout_ms=30_000)
    wait_for_app(page)
    assert read_step(page) == expected, "→ should train one Step (50 of 1,000 steps)"


def test_arrow_steps_space_plays_and_pauses_zero_resets(page, page_log, app_url):
    goto_app(page, app_url + F52)
    assert read_step(page) == 0
    assert page.locator('[data-testid="stPopover"]').count() == 1, "one keyboard-help popover: the main panel's"
    _step_with_arrow(page)

    set_speed(page, "Slow")  # 10 steps a tick: the run cannot finish before the second Space
    _press(page, "Space")
    started = wait_for_step_above(page, 50)
    wait_for_step_above(page, started)  # still rising: it plays
    pause = page.get_by_role("button", name=button_name("Pause")).first
    pause.wait_for(state="visible")
    page.wait_for_function("(b) => !b.disabled", arg=pause.element_handle(), timeout=30_000)
    page.wait_for_timeout(500)  # Play's binding goes and Pause's comes in the same redraw
    _press(page, "Space")
    page.get_by_role("button", name=button_name("Play")).first.wait_for(state="visible")
    page.wait_for_timeout(1000)
    wait_for_app(page)
    paused = read_step(page)
    assert 50 < paused < 1000, paused
    page.wait_for_timeout(PAUSE_HOLD_MS)
    assert read_step(page) == paused, "the second Space did not pause"

    _press(page, "0")
    assert wait_for_main_text(page, r"Step 0 of 1,000"), "0 should reset the run to step 0"
    assert_no_exception(page)
    page_log.assert_clean()


def test_keys_typed_in_a_number_field_stay_there(page, page_log, app_url):
    goto_app(page, app_url + F52)
    _step_with_arrow(page)
    seed = page.locator(".st-key-f52_seed input").first
    reveal(page, seed)
    _wait_for_bound(page, "space", "right", "0")
    seed.click()
    for key in ["0", "r", "ArrowRight", "Space"]:  # reset, Streamlit's rerun, step, play: none may fire here
        page.keyboard.press(key)
    page.wait_for_timeout(1500)
    wait_for_app(page)
    assert read_step(page) == 50, "a key typed in the seed field reached the live panel"
    assert page.get_by_role("button", name=button_name("Play")).first.is_enabled(), "Space in the field started Play"
    _step_with_arrow(page, 100)  # out of the field, the same key steps: the binding was there all along
    assert_no_exception(page)
    page_log.assert_clean()
