"""The "mathematical understanding" page through AppTest: its controls drive its charts."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.test_pages import charts, open_page, progress_text

PAGE = "pages/math_understanding.py"
RUN = "mu:run"


def chart_with(at: AppTest, text: str) -> str:
    """The (spec + data) of the first chart whose spec mentions ``text``."""
    for el, serialised in zip(at.get("vega_lite_chart"), charts(at)):
        if text in json.dumps(json.loads(el.proto.spec), ensure_ascii=False):
            return serialised
    raise AssertionError(f"no chart mentions {text!r}")


def metric_labels(at: AppTest) -> list[str]:
    return [m.label for m in at.metric]


def test_live_split_trains_and_follows_the_model_and_density() -> None:
    at = open_page(PAGE)
    assert progress_text(at).startswith("Step 0 of 10,000")
    before = chart_with(at, "the 1-sparse loss")
    at.button(key=f"{RUN}:step").click().run()
    assert not at.exception
    assert progress_text(at).startswith("Step 500 of 10,000")
    assert chart_with(at, "the 1-sparse loss") != before
    assert "Explained by the 0- and 1-sparse terms" in metric_labels(at)
    measured = chart_with(at, "Measured loss against theory")

    at.radio(key="mu_model").set_value("Linear: x' = WᵀWx + b").run()
    assert progress_text(at).startswith("Step 0 of")
    at.button(key=f"{RUN}:step").click().run()
    assert not at.exception
    assert "Exact expected loss of these weights" in metric_labels(at)
    linear = chart_with(at, "Linear model: the exact loss, split")
    assert chart_with(at, "Measured loss against theory") != measured

    at.select_slider(key="mu_density").set_value(0.1).run()
    assert progress_text(at).startswith("Step 0 of")
    at.button(key=f"{RUN}:step").click().run()
    assert chart_with(at, "Linear model: the exact loss, split") != linear


def test_explorer_controls_move_the_landscape_and_breakdown() -> None:
    at = open_page(PAGE)
    land, bars = chart_with(at, "Loss landscape"), chart_with(at, "Where your point")
    response = chart_with(at, "other output after ReLU")
    at.slider(key="mu_w2").set_value(0.5).run()
    assert chart_with(at, "Loss landscape") != land  # the marker moved
    assert chart_with(at, "Where your point") != bars
    assert chart_with(at, "other output after ReLU") != response
    land = chart_with(at, "Loss landscape")
    at.slider(key="mu_b2").set_value(-0.3).run()
    assert chart_with(at, "Loss landscape") != land  # a new surface
    at.radio(key="mu_view").set_value("Full expected loss at density p").run()
    assert not at.exception
    assert "expected summed loss at p = 0.05" in chart_with(at, "Loss landscape")
    full = chart_with(at, "Loss landscape")
    at.select_slider(key="mu_xp").set_value(0.5).run()
    assert chart_with(at, "Loss landscape") != full
    at.button(key="mu_q_drop").click().run()
    assert at.slider(key="mu_w2").value == 0.0 and at.slider(key="mu_b2").value == 0.25


def test_thomson_controls_and_trained_comparison() -> None:
    at = open_page(PAGE)
    arrows = chart_with(at, "Lowest energy found: 5 points in 2-D")
    at.slider(key="mu_k").set_value(7).run()
    assert chart_with(at, "Lowest energy found: 7 points in 2-D") != arrows
    at.radio(key="mu_d").set_value(3).run()
    assert not at.exception
    chart_with(at, "7 points in 3-D")
    energies = chart_with(at, "Cost of packing k points in 3-D")
    at.radio(key="mu_energy").set_value("Electric charges (J. J. Thomson): Σ 1/distance").run()
    assert chart_with(at, "Cost of packing k points in 3-D") != energies
    spectrum = chart_with(at, "Every pairwise angle")
    at.select_slider(key="mu_tp").set_value(0.3).run()
    assert not at.exception
    assert chart_with(at, "Every pairwise angle") != spectrum
    assert "Trained model, p = 0.3" in chart_with(at, "Trained model")


def test_paper_settings_restore_every_section() -> None:
    at = open_page(PAGE)
    at.select_slider(key="mu_density").set_value(0.3).run()
    at.radio(key="mu_model").set_value("Linear: x' = WᵀWx + b").run()
    at.slider(key="mu_w1").set_value(0.2).run()
    at.slider(key="mu_k").set_value(8).run()
    at.button(key="mu_paper").click().run()
    assert not at.exception
    assert at.select_slider(key="mu_density").value == 0.01
    assert at.radio(key="mu_model").value.startswith("ReLU")
    assert at.selectbox(key="mu_size").value.startswith("20 features")
    assert at.slider(key="mu_decay").value == 0.7
    assert at.slider(key="mu_w1").value == 1.0 and at.slider(key="mu_k").value == 5
    assert at.select_slider(key="mu_tp").value == 0.05
    chart_with(at, "the 1-sparse loss")
