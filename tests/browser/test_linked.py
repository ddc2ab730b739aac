"""Linked views (issue 18), with real clicks. On "5 in 2", a click on a feature's bar follows that feature in every
chart of the panel: its arrows, its row and column of Wᵀ W and its bar stay opaque while the other features fade.
On the pages with two panels (Basic results, Privileged basis) or a live panel beside precomputed charts
(Computation, Superposition in a privileged basis), a pick in one panel is followed outside it too. Learning
dynamics, Features as directions and Geometry check their own kinds of mark (arrow tips, bar segments, dots)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from rig.pages import assert_no_exception, click_button, goto_app, main_text, wait_for_main_text

pytestmark = pytest.mark.browser

URL = "/five-in-two?f52_mode=One+density&f52_density=0.05&f52_steps=1000"
FADED = "0.2"  # core.charts.style.FADED, as Vega writes it into the SVG


def _charts(page, title: str):
    """Every chart on the page that draws the text ``title`` (in page order)."""
    return page.locator('[data-testid="stVegaLiteChart"]').filter(has=page.locator("text", has_text=title))


def _chart(page, title: str):
    return _charts(page, title).first


def _click_to_follow(page, marks, index: int) -> int:
    """Click mark ``index`` of ``marks`` (a real click), wait for the follow line, and return the feature followed:
    the one the mark's aria-label names."""
    target = marks.nth(index)
    followed = int(re.search(r"\bfeature: (\d+)", target.get_attribute("aria-label")).group(1))
    target.click()
    assert wait_for_main_text(page, rf"Following feature {followed}\b"), main_text(page)[:600]
    return followed


def _index_of_feature(marks, feature: int) -> int:
    """The index, among ``marks``, of the first mark of ``feature``."""
    labels = marks.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    return next(i for i, a in enumerate(labels) if re.search(rf"\bfeature: {feature}(;|$)", a))


def _assert_follows(drawn: dict[int, set[str]], followed: int, features: set[int], where: str = "") -> None:
    """A chart's marks as _opacity_by_feature reads them: every one of ``features`` drawn, ``followed`` opaque, the
    others faded."""
    assert set(drawn) == features, (where, drawn)
    assert drawn[followed] == {"1"}, (where, drawn)
    assert all(drawn[i] == {FADED} for i in drawn if i != followed), (where, drawn)


def _opacity_by_feature(chart, label: str) -> dict[int, set[str]]:
    marks = chart.locator(f'svg [aria-label*="{label}: "]')
    found: dict[int, set[str]] = {}
    for aria, opacity in marks.evaluate_all(
        "els => els.map(e => [e.getAttribute('aria-label'), e.getAttribute('opacity')])"
    ):
        number = re.search(rf"\b{label}: (\d+)(;|$)", aria)
        if number:
            found.setdefault(int(number.group(1)), set()).add(opacity or "1")
    return found


def _wait_until_faded(page, chart, followed: int, timeout_ms: int = 20_000) -> None:
    """Wait until ``chart`` draws ``followed`` opaque and every other feature faded (the follow line comes with
    the rerun; the charts redraw a moment later). The tests then assert what is drawn."""
    for _ in range(timeout_ms // 250):
        drawn = _opacity_by_feature(chart, "feature")
        if drawn.get(followed) == {"1"} and all(o == {FADED} for i, o in drawn.items() if i != followed):
            return
        page.wait_for_timeout(250)


def _train_both(page, timeout_ms: int) -> None:
    """Press "Train both" and wait until both live panels say they finished."""
    click_button(page, "Train both", wait=False)
    finished = page.locator('[data-testid="stMain"]').get_by_text(re.compile(r"Finished: [\d,]+ steps"))
    for _ in range(timeout_ms // 200):
        if finished.count() == 2:
            break
        page.wait_for_timeout(200)
    assert finished.count() == 2, main_text(page)[:600]


def test_a_click_on_a_bar_follows_that_feature_in_every_chart(page, app_url):
    goto_app(page, app_url + URL)
    click_button(page, "Step")
    assert_no_exception(page)
    norms = _chart(page, "Feature norms")
    bars = norms.locator('svg path[aria-roledescription="bar"]')
    bars.first.wait_for(timeout=30_000)
    followed = _click_to_follow(page, bars, 2)
    _wait_until_faded(page, _chart(page, "Feature norms"), followed)
    for title in ("Feature norms", "p = 0.05"):
        _assert_follows(_opacity_by_feature(_chart(page, title), "feature"), followed, set(range(5)), title)
    # Wᵀ W: the followed feature's row and column stay, the other cells fade
    cells = _chart(page, "Wᵀ W").locator('svg path[aria-label*="; i: "]')
    for aria, opacity in cells.evaluate_all(
        "els => els.map(e => [e.getAttribute('aria-label'), e.getAttribute('opacity')])"
    ):
        i, j = re.search(r"\bi: (\d+); j: (\w+)", aria).groups()
        assert (opacity or "1") == ("1" if followed in (int(i), j if j == "b" else int(j)) else FADED), aria
    click_button(page, "Stop following")
    assert wait_for_main_text(page, r"Click a feature's dot"), main_text(page)[:600]
    for _ in range(80):  # the bars redraw opaque
        if all(o == {"1"} for o in _opacity_by_feature(_chart(page, "Feature norms"), "feature").values()):
            break
        page.wait_for_timeout(250)
    assert all(o == {"1"} for o in _opacity_by_feature(_chart(page, "Feature norms"), "feature").values())


def test_a_pick_in_one_models_panel_is_followed_in_the_other_models_panel(page, app_url):
    """Basic results draws each model in a live panel of its own (a fragment). A click on a bar in the ReLU-output
    panel reruns the whole page, so the linear model's bars and Wᵀ W fade too, and the follow line appears."""
    goto_app(page, app_url + "/basic-results?br_steps=1000")
    _train_both(page, timeout_ms=120_000)
    assert_no_exception(page)
    norms = _charts(page, "Feature norms")
    relu_bars = norms.nth(1).locator('svg path[aria-roledescription="bar"]')
    relu_bars.first.wait_for(timeout=30_000)
    followed = _click_to_follow(page, relu_bars, 4)
    _wait_until_faded(page, norms.nth(0), followed)  # the linear panel redraws with the pick
    _assert_follows(_opacity_by_feature(norms.nth(0), "feature"), followed, set(range(20)), "linear")
    assert_no_exception(page)


def test_a_click_on_an_arrow_tip_in_learning_dynamics_follows_it_in_every_panel_and_in_wtw(page, app_url):
    """Learning dynamics draws the triples' arrows on principal axes: three separate panels that share one click
    selection placed on each panel's tips by name. A real click on a tip must reach the app."""
    goto_app(page, app_url + "/learning-dynamics")
    click_button(page, "Step")
    assert_no_exception(page)
    arrows = _chart(page, "axes 1 and 2")
    tips = arrows.locator('svg path[aria-roledescription="circle"]')
    tips.first.wait_for(timeout=30_000)
    followed = _click_to_follow(page, tips, 3)
    _wait_until_faded(page, _chart(page, "axes 1 and 2"), followed)
    _assert_follows(_opacity_by_feature(_chart(page, "axes 1 and 2"), "feature"), followed, set(range(6)))
    assert_no_exception(page)


def test_a_pick_in_one_privileged_basis_panel_is_followed_in_the_other(page, app_url):
    """Privileged basis, like Basic results, draws each model in a live panel of its own: a click on a feature in
    the second model's arrows reruns the whole page, so the first model's arrows fade too."""
    goto_app(page, app_url + "/privileged-basis?pb_steps=5000")
    _train_both(page, timeout_ms=180_000)
    assert_no_exception(page)
    planes = _charts(page, "on neurons 0 and 1")
    heads = planes.nth(1).locator('svg path[aria-roledescription="point"]')  # the arrowheads (lines are too thin)
    heads.first.wait_for(timeout=30_000)
    labels = heads.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    reach = [np.hypot(*(float(v.replace("−", "-")) for v in re.findall(r"neuron \d: (\S+);", a))) for a in labels]
    longest = int(np.argmax(reach))  # the arrow reaching farthest: its head overlaps no other
    followed = _click_to_follow(page, heads, longest)
    _wait_until_faded(page, planes.nth(0), followed)  # the first model's panel redraws with the pick
    first = _opacity_by_feature(planes.nth(0), "feature")
    assert first.get(followed) == {"1"}, first
    assert len(first) > 1 and all(o == {FADED} for i, o in first.items() if i != followed), first
    assert_no_exception(page)


def test_a_click_on_a_bar_segment_in_features_as_directions_follows_that_feature(page, app_url):
    """Features as directions: the neuron-by-neuron bars carry the click selection on one layer of a layered
    chart; a real click on a feature's segment reaches the app and fades the other feature in both charts."""
    goto_app(page, app_url + "/features-as-directions")
    assert_no_exception(page)
    bars = _chart(page, "The same h, neuron by neuron").locator('svg path[aria-roledescription="bar"]')
    bars.first.wait_for(timeout=30_000)
    assert _click_to_follow(page, bars, _index_of_feature(bars, 1)) == 1
    _wait_until_faded(page, _chart(page, "Your input: h"), 1)
    for title in ("Your input: h", "The same h, neuron by neuron"):
        drawn = _opacity_by_feature(_chart(page, title), "feature")
        assert drawn.get(1) == {"1"} and drawn.get(0) == {FADED}, (title, drawn)
    assert_no_exception(page)


def test_a_click_on_a_node_of_the_live_circuit_follows_it_in_the_first_circuit(page, app_url):
    """Computation in superposition: a click on an input node's disc in the live circuit graph (a fragment) reruns
    the whole page, so the precomputed circuit's W1 rows fade too and the follow line appears."""
    goto_app(page, app_url + "/computation-in-superposition")
    assert_no_exception(page)
    graphs = _charts(page, "Inputs → neurons → outputs")
    inputs = graphs.nth(1).locator('svg path[aria-roledescription="circle"][aria-label^="x: 0;"]')  # x0, x1, x2
    inputs.first.wait_for(timeout=30_000)
    assert inputs.count() == 3
    inputs.nth(1).click()  # x1's disc, the middle input
    assert wait_for_main_text(page, r"Following feature 1\b"), main_text(page)[:600]
    w1 = _charts(page, "W1 (input →")
    _wait_until_faded(page, w1.nth(0), 1)  # the first circuit, outside the live panel, redraws with the pick
    for k in (0, 1):
        _assert_follows(_opacity_by_feature(w1.nth(k), "feature"), 1, {0, 1, 2}, f"W1 #{k}")
    assert_no_exception(page)


def test_a_click_on_a_live_weight_cell_follows_it_in_the_privileged_superposition_stacks(page, app_url):
    """Superposition in a privileged basis: a click on a cell of the live run's weight grid (a fragment) reruns the
    whole page, so the precomputed model's neuron stack fades every other feature's segments."""
    goto_app(page, app_url + "/privileged-superposition")
    assert_no_exception(page)
    grids = _charts(page, "W at p = ")
    cells = grids.nth(1).locator('svg path[aria-label*="; feature: "]')
    cells.first.wait_for(timeout=30_000)
    assert _click_to_follow(page, cells, _index_of_feature(cells, 3)) == 3
    stacks = _charts(page, "Each neuron's input weights")
    _wait_until_faded(page, stacks.nth(0), 3)  # the paper's model, outside the live panel, redraws with the pick
    drawn = _opacity_by_feature(stacks.nth(0), "feature")
    assert drawn.get(3) == {"1"}, drawn
    assert len(drawn) > 1 and all(o == {FADED} for i, o in drawn.items() if i != 3), drawn
    _assert_follows(_opacity_by_feature(grids.nth(1), "feature"), 3, set(range(10)), "the grid clicked")
    assert_no_exception(page)


def test_a_click_on_a_length_follows_that_feature_in_the_pentagon_arrows(page, app_url):
    """The geometry of superposition: a real click on a feature's dot in the chart of each feature's length (the
    perturbed pentagon) follows that feature in the arrows too, one small panel per density."""
    goto_app(page, app_url + "/geometry")
    click_button(page, "Step")  # the pentagon's live panel, the page's only one by default
    assert_no_exception(page)
    lengths, arrows = "How long each feature's arrow is", "(×1)"  # the arrows: the panel at equal densities
    dots = _chart(page, lengths).locator('svg path[aria-roledescription="circle"]')
    dots.first.wait_for(timeout=30_000)
    followed = _click_to_follow(page, dots, dots.count() - 2)  # a dot at the highest ratio: the arrows well apart
    _wait_until_faded(page, _chart(page, arrows), followed)
    for title in (lengths, arrows):
        _assert_follows(_opacity_by_feature(_chart(page, title), "feature"), followed, set(range(5)), title)
    assert_no_exception(page)
