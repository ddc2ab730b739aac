"""Browser tests of "predict, then train" (issue 17): a learner predicts, locks, trains and sees the comparison;
in presenter mode the result waits behind "Reveal the result" until the instructor presses it."""

from __future__ import annotations

import functools

import pytest

from rig.live import READOUT_RE, five_in_two_reference, press_play, set_speed, wait_until_finished
from rig.pages import assert_no_exception, assert_no_page_not_found, click_button, goto_app, main_text
from rig.predict import COMPARISON_RE, REVEAL_LABEL, lock_prediction, read_comparison

pytestmark = pytest.mark.browser

SEED, DENSITY, STEPS = 0, 0.05, 1000
SHORT = f"/five-in-two?f52_mode=One+density&f52_density={DENSITY}&f52_steps={STEPS}&f52_seed={SEED}"
KIND = "five_in_two_count"
COUNTS = "from densest to sparsest"  # the page's caption that states the counts


@functools.cache
def _expected_count() -> str:
    """What the page's run must store, from core/ training the same config (rig.live)."""
    _, represented = five_in_two_reference(seed=SEED, density=DENSITY, steps=STEPS)
    return represented  # one density: a single count


def _predict_and_train(page, url: str, value: int) -> None:
    goto_app(page, url)
    assert_no_page_not_found(page)
    lock_prediction(page, KIND, value)
    set_speed(page, "Fast")
    press_play(page)
    final = wait_until_finished(page)
    assert final.step == final.total == STEPS, final


def test_predict_lock_train_and_see_the_comparison(page, page_log, app_url):
    _predict_and_train(page, app_url + SHORT, 3)
    assert read_comparison(page) == ("3", _expected_count())
    assert page.get_by_role("button", name=REVEAL_LABEL).count() == 0, "no reveal step outside presenter mode"
    assert_no_exception(page)
    page_log.assert_clean()


def test_presenter_mode_waits_for_the_reveal(page, page_log, app_url):
    _predict_and_train(page, app_url + SHORT + "&presenter=true", 4)
    text = main_text(page)
    assert READOUT_RE.search(text) and "Finished" in text, "the run itself is on the projector"
    assert not COMPARISON_RE.search(text) and COUNTS not in text, "the result showed before the reveal"
    click_button(page, REVEAL_LABEL)
    assert read_comparison(page) == ("4", _expected_count())
    assert COUNTS in main_text(page), "the counts caption comes back with the reveal"
    assert_no_exception(page)
    page_log.assert_clean()
