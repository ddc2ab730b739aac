"""Smoke tests in a real browser: pages load cleanly, and training can be played and paused."""

from __future__ import annotations

import re
import time

import pytest

from .conftest import click_button, goto_app, main_text, wait_for_app

pytestmark = pytest.mark.browser

STEP_RE = re.compile(r"Step ([\d,]+) of")
PAGES = ["/", "/five-in-two"]


def read_step(page) -> int:
    """The training step shown in the readout ("Step 1,200 of 10,000 · loss 0.0123")."""
    text = main_text(page)
    match = STEP_RE.search(text)
    assert match, f"no 'Step N of M' readout on the page; main area text:\n{text}"
    return int(match.group(1).replace(",", ""))


def assert_no_exception(page) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    if exceptions.count():
        pytest.fail("the app shows an exception:\n" + "\n---\n".join(exceptions.all_inner_texts()))


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly(page, page_log, app_url, path):
    goto_app(page, app_url + path)
    page.wait_for_timeout(1000)  # let late console errors or requests show up
    assert_no_exception(page)
    assert main_text(page).strip(), "the main area is empty"
    page_log.assert_clean()


def test_five_in_two_play_then_pause(page, page_log, app_url):
    goto_app(page, app_url + "/five-in-two")
    assert_no_exception(page)
    assert read_step(page) == 0, "a fresh session should start at step 0"

    click_button(page, "Play")
    deadline = time.monotonic() + 60
    step = read_step(page)
    while step == 0:
        assert time.monotonic() < deadline, "the step never rose above 0 within 60 s of pressing Play"
        assert_no_exception(page)
        page.wait_for_timeout(250)
        step = read_step(page)

    click_button(page, "Pause")
    page.wait_for_timeout(1000)  # a training chunk already under way may still land
    wait_for_app(page)
    paused = read_step(page)
    page.wait_for_timeout(3000)
    wait_for_app(page)
    assert read_step(page) == paused, "the step kept changing after Pause"

    assert_no_exception(page)
    page_log.assert_clean()
