"""AppTests for the linked views of "Learning dynamics": a feature picked in one geometry chart (an arrow tip, a
row of Wᵀ W, a PCA dot) is followed in every geometry chart of the live run, and stays followed while replaying."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.charts.style import FEATURE_PICK
from tests.helpers import Chart, captions, chart_with, markdown_text, open_page

DYNAMICS = "views/learning_dynamics.py"
UNIFORM = "Uniform superposition (n = 12, m = 4)"
ARROWS = "axes 1 and 2"  # the first panel's title of the triples' arrow plots
PCA = "% of variance"  # the axis titles of the uniform setting's PCA plot
GRAM = "WᵀW and b at step"  # its title (a Step trains up to 1,000 steps, fewer on a slow machine)


def reports_picks(at: AppTest) -> int:
    """How many charts on the page send a FEATURE_PICK click back to the app (on_select set for that selection)."""
    return sum(FEATURE_PICK in el.proto.selection_mode for el in at.get("vega_lite_chart"))


def fades(chart: Chart) -> bool:
    """Whether the chart fades features (an emphasis test on some feature)."""
    return "datum.feature == " in chart.text or "datum.row == " in chart.text


def following(at: AppTest) -> bool:
    return "Following feature" in markdown_text(at)


def test_dynamics_triples_link_the_arrows_and_gram_through_the_replay() -> None:
    at = open_page(DYNAMICS)
    at.button(key="ld:run:step").click().run()  # the geometry is drawn once a few snapshots exist
    linked = [chart_with(at, ARROWS), chart_with(at, GRAM)]
    assert all(FEATURE_PICK in c.text and not fades(c) for c in linked), "pickable, nothing followed"
    assert reports_picks(at) == 2
    assert "Click an arrow's tip or a row of Wᵀ W" in captions(at) and not following(at)

    at.session_state["ld_followed"] = 4  # what a click on feature 4's tip records
    at.run()
    assert not at.exception
    assert "Following feature 4" in markdown_text(at)
    arrows, gram = chart_with(at, ARROWS), chart_with(at, GRAM)
    assert "datum.feature == 4" in arrows.text
    assert "datum.row == 4 || datum.col == 4" in gram.text

    at.slider(key="ld_replay").set_value(100).run()  # scrubbing back keeps the pick
    assert "Following feature 4" in markdown_text(at)
    assert "datum.feature == 4" in chart_with(at, ARROWS).text
    assert "datum.row == 4" in chart_with(at, "WᵀW and b at step 100").text

    at.button(key="ld_unfollow").click().run()
    assert not following(at)
    assert not fades(chart_with(at, ARROWS)) and not fades(chart_with(at, "WᵀW and b at step 100"))


def test_dynamics_uniform_links_the_gram_and_pca() -> None:
    at = open_page(DYNAMICS)
    at.radio(key="ld_setting").set_value(UNIFORM).run()
    at.button(key="ld:run:step").click().run()
    linked = [chart_with(at, GRAM), chart_with(at, PCA)]
    assert all(FEATURE_PICK in c.text and not fades(c) for c in linked), "pickable, nothing followed"
    assert reports_picks(at) == 2
    assert "Click a row of Wᵀ W or a dot of the PCA plot" in captions(at) and not following(at)

    at.session_state["ld_followed"] = 9  # a feature only the 12-feature setting has
    at.run()
    assert "Following feature 9" in markdown_text(at)
    gram, pca = chart_with(at, GRAM), chart_with(at, PCA)
    assert "datum.row == 9 || datum.col == 9" in gram.text
    assert "datum.feature == 9" in pca.text
    assert sorted(pca.column("feature")) == list(range(12))  # the field a click on a dot reports

    at.button(key="ld_unfollow").click().run()
    assert not following(at)
    assert not fades(chart_with(at, GRAM)) and not fades(chart_with(at, PCA))
