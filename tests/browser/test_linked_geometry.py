"""Linked views on the Geometry page's perturbed pentagon (issue 18): a real click on a feature's dot in the
chart of each feature's length follows that feature in the arrows too (one small panel per density)."""

from __future__ import annotations

import re

import pytest

from rig.pages import assert_no_exception, click_button, goto_app, main_text, wait_for_main_text
from tests.browser.test_linked import _chart, _opacity_by_feature, _wait_until_faded

pytestmark = pytest.mark.browser

LENGTHS = "How long each feature's arrow is"
ARROWS = "(×1)"  # the panel at equal densities, one of the arrows' panel titles


def test_a_click_on_a_length_follows_that_feature_in_the_pentagon_arrows(page, app_url):
    goto_app(page, app_url + "/geometry")
    click_button(page, "Step")  # the pentagon's live panel, the page's only one by default
    assert_no_exception(page)
    dots = _chart(page, LENGTHS).locator('svg path[aria-roledescription="circle"]')
    dots.first.wait_for(timeout=30_000)
    target = dots.nth(dots.count() - 2)  # a dot at the highest ratio, where the arrows are well apart
    followed = int(re.search(r"\bfeature: (\d+)", target.get_attribute("aria-label")).group(1))
    target.click()
    assert wait_for_main_text(page, rf"Following feature {followed}\b"), main_text(page)[:600]
    _wait_until_faded(page, _chart(page, ARROWS), followed)
    for title in (LENGTHS, ARROWS):
        drawn = _opacity_by_feature(_chart(page, title), "feature")
        assert set(drawn) == set(range(5)), (title, drawn)
        assert drawn[followed] == {"1"}, (title, drawn)
        assert all(drawn[i] == {"0.2"} for i in drawn if i != followed), (title, drawn)
    assert_no_exception(page)
