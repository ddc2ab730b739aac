"""The "mathematical understanding" page through AppTest: its controls drive its charts."""

from __future__ import annotations

import numpy as np

from tests.helpers import Chart, metric_labels, moved, open_page, page_charts, progress_text

PAGE = "views/math_understanding.py"
RUN = "mu:run"


def chart_with(at, text: str) -> Chart:
    """The first chart whose spec mentions ``text`` (several charts on this page share words)."""
    found = [c for c in page_charts(at) if c.mentions(text)]
    assert found, f"no chart mentions {text!r}"
    return found[0]


def term_values(chart: Chart, term: str) -> list[float]:
    return [v for t, v in zip(chart.column("term"), chart.column("value")) if t == term]


def your_point(chart: Chart) -> tuple[float, float]:
    """Where the landscape's "your point" marker sits: your (w1, w2)."""
    xs, ys = chart.column("x", having=("marker",)), chart.column("y", having=("marker",))
    [point] = [(x, y) for m, x, y in zip(chart.column("marker"), xs, ys) if m == "your point"]
    return point


def trained_angles(chart: Chart) -> list[tuple[float, int]]:
    """The trained model's (angle, number of pairs) bars in the pairwise-angle spectrum."""
    rows = zip(chart.column("arrangement"), chart.column("angle"), chart.column("pairs"))
    return sorted((round(angle, 6), pairs) for who, angle, pairs in rows if who == "trained model")


def test_live_split_trains_and_follows_the_model_and_density() -> None:
    at = open_page(PAGE)
    assert progress_text(at).startswith("Step 0 of 10,000")
    before = chart_with(at, "the 1-sparse loss")
    at.button(key=f"{RUN}:step").click().run()
    assert not at.exception
    assert progress_text(at).startswith("Step 500 of 10,000")
    assert set(before.column("step")) == {0}
    assert max(chart_with(at, "the 1-sparse loss").column("step")) > 0  # the split is followed over training
    assert "Explained by the 0- and 1-sparse terms" in metric_labels(at)
    measured = chart_with(at, "Measured loss against theory")

    at.radio(key="mu_model").set_value("Linear: x' = WᵀWx + b").run()
    assert progress_text(at).startswith("Step 0 of")
    at.button(key=f"{RUN}:step").click().run()
    assert not at.exception
    assert "Exact expected loss of these weights" in metric_labels(at)
    linear = chart_with(at, "Linear model: the exact loss, split")
    relu_losses = term_values(measured, "measured training loss")
    linear_losses = term_values(chart_with(at, "Measured loss against theory"), "measured training loss")
    assert len(relu_losses) == len(linear_losses) > 0 and not np.allclose(relu_losses, linear_losses)

    at.select_slider(key="mu_density").set_value(0.1).run()
    assert progress_text(at).startswith("Step 0 of")
    at.button(key=f"{RUN}:step").click().run()
    assert moved(linear, chart_with(at, "Linear model: the exact loss, split"), "value")  # another density


def test_explorer_controls_move_the_landscape_and_breakdown() -> None:
    at = open_page(PAGE)
    land, bars = chart_with(at, "Loss landscape"), chart_with(at, "Where your point")
    response = chart_with(at, "other output after ReLU")
    at.slider(key="mu_w2").set_value(0.5).run()
    assert your_point(land) == (1.0, -1.0)  # the default (w1, w2)
    assert your_point(chart_with(at, "Loss landscape")) == (1.0, 0.5)  # the marker moved to w2 = 0.5
    assert moved(bars, chart_with(at, "Where your point"), "value")
    assert moved(response, chart_with(at, "other output after ReLU"), "y")
    land = chart_with(at, "Loss landscape")
    at.slider(key="mu_b2").set_value(-0.3).run()
    assert moved(land, chart_with(at, "Loss landscape"), "loss")  # a new surface
    at.radio(key="mu_view").set_value("Full expected loss at density p").run()
    assert not at.exception
    assert chart_with(at, "Loss landscape").mentions("expected summed loss at p = 0.05")
    full = chart_with(at, "Loss landscape")
    at.select_slider(key="mu_xp").set_value(0.5).run()
    assert moved(full, chart_with(at, "Loss landscape"), "loss")
    at.button(key="mu_q_drop").click().run()
    assert at.slider(key="mu_w2").value == 0.0 and at.slider(key="mu_b2").value == 0.25


def test_thomson_controls_and_trained_comparison() -> None:
    at = open_page(PAGE)
    arrows = chart_with(at, "Lowest energy found: 5 points in 2-D")
    at.slider(key="mu_k").set_value(7).run()
    assert arrows.rows() == [5] and chart_with(at, "Lowest energy found: 7 points in 2-D").rows() == [7]
    at.radio(key="mu_d").set_value(3).run()
    assert not at.exception
    chart_with(at, "7 points in 3-D")
    energies = chart_with(at, "Cost of packing k points in 3-D")
    at.radio(key="mu_energy").set_value("Electric charges (J. J. Thomson): Σ 1/distance").run()
    assert moved(energies, chart_with(at, "Cost of packing k points in 3-D"), "energy")
    spectrum = chart_with(at, "Every pairwise angle")
    at.select_slider(key="mu_tp").set_value(0.3).run()
    assert not at.exception
    assert trained_angles(chart_with(at, "Every pairwise angle")) != trained_angles(spectrum)
    assert chart_with(at, "Trained model").title() == "Trained model, p = 0.3"


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
