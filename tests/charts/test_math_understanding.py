"""Chart builders of the "mathematical understanding" chapter, on hand-made arrays: the data inside each
chart and the encodings that give it meaning (colours per term, log axes, diverging scale pinned at 0)."""

from __future__ import annotations

import numpy as np
import pytest

from core.charts import math_understanding as math_understanding_charts
from core.charts import style
from tests.helpers import dataset_with, encodings, titles


def test_term_chart_keeps_its_size_and_hides_vanishing_terms() -> None:
    steps = np.array([0.0, 10.0, 20.0])
    chart = math_understanding_charts.loss_terms_over_training(
        [("feature benefit", steps, [1.0, 0.5, 0.2]), ("0-sparse L₀ (positive biases)", steps, [0.0, 1e-9, 0.1])],
        "t",
        "y",
        floor_ratio=1e-5,
    )
    spec = chart.to_dict()
    assert spec["autosize"]["type"] == "pad"  # Streamlit's default "fit" would squeeze the plot behind the legend
    rows = dataset_with(spec, "value")
    assert len(rows) == 4 and min(r["value"] for r in rows) == pytest.approx(0.1)
    (y,) = encodings(spec, "y")
    assert y["scale"]["type"] == "log" and y["title"] == "y"


def test_term_chart_fixed_colours_and_dashes_for_theory() -> None:
    steps = np.array([0.0, 1.0])
    curves = [("interference", steps, [0.3, 0.2]), ("exact expected loss", steps, [0.5, 0.4])]
    spec = math_understanding_charts.loss_terms_over_training(
        curves, "t", "y", dashed=["exact expected loss"], log_y=False
    ).to_dict()
    assert len(dataset_with(spec, "value")) == 4  # linear axis: nothing dropped
    (colour,) = encodings(spec, "color")
    assert colour["scale"]["domain"] == ["interference", "exact expected loss"]
    assert colour["scale"]["range"] == ["#D55E00", style.INK]  # vermilion for interference on every chart
    (dash,) = encodings(spec, "strokeDash")
    assert dash["scale"]["range"] == [[1, 0], [6, 3]]
    (y,) = encodings(spec, "y")
    assert y["scale"] == {"zero": True}


def test_per_feature_terms_stacks_one_bar_per_feature_and_term() -> None:
    parts = {"feature benefit": np.array([0.1, 0.2, 0.3]), "interference": np.array([0.0, 0.5, 0.25])}
    spec = math_understanding_charts.per_feature_terms(parts, "Per feature", "loss").to_dict()
    rows = dataset_with(spec, "term")
    assert len(rows) == 6
    got = {(r["feature"], r["term"]): r["value"] for r in rows}
    assert got[(1, "interference")] == pytest.approx(0.5) and got[(2, "feature benefit")] == pytest.approx(0.3)
    (x,) = encodings(spec, "x")
    assert x["stack"] == "zero" and x["title"] == "loss"
    (colour,) = encodings(spec, "color")
    assert colour["scale"]["range"] == ["#0072B2", "#D55E00"]
    assert "Per feature" in titles(spec)


def test_term_bars_keep_the_given_order_and_colour_by_kind() -> None:
    names = ["own error", "leak", "both on"]
    spec = math_understanding_charts.term_bars(
        names, np.array([0.2, 0.0, 0.05]), ["feature benefit", "interference", "both features on"], "Pieces", "loss"
    ).to_dict()
    rows = dataset_with(spec, "piece")
    assert [r["piece"] for r in rows] == names and [r["value"] for r in rows] == [0.2, 0.0, 0.05]
    (y,) = encodings(spec, "y")
    assert y["sort"] == names
    (colour,) = encodings(spec, "color")
    assert colour["scale"]["domain"] == ["feature benefit", "interference", "both features on"]
    assert colour["scale"]["range"] == ["#0072B2", "#D55E00", "#009E73"]
    zero = math_understanding_charts.term_bars(["a"], np.zeros(1), ["interference"], "t", "x").to_dict()
    (x,) = encodings(zero, "x")
    assert x["scale"]["domain"][1] > 0  # all-zero bars still get an axis


def test_loss_heatmap_cells_are_centred_on_the_grid_points() -> None:
    x, y = np.array([0.0, 1.0, 2.0]), np.array([-1.0, 1.0])
    loss = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])  # rows follow y
    chart = math_understanding_charts.loss_heatmap(
        x, y, loss, "a", "b", [("here", 1.0, 1.0)], "Surface", guide=((0.0, 0.0), (2.0, 1.0))
    )
    spec = chart.to_dict()
    cells = dataset_with(spec, "loss")
    assert len(cells) == 6
    at = {(r["cx"], r["cy"]): r for r in cells}
    assert at[(2.0, -1.0)]["loss"] == 3.0 and at[(0.0, 1.0)]["loss"] == 4.0
    assert at[(1.0, 1.0)]["x"] == pytest.approx(0.5) and at[(1.0, 1.0)]["y"] == pytest.approx(0.0)  # half a step
    x_domains = {tuple(e["scale"]["domain"]) for e in encodings(spec, "x") if "scale" in e}
    y_domains = {tuple(e["scale"]["domain"]) for e in encodings(spec, "y") if "scale" in e}
    assert x_domains == {(-0.5, 2.5)} and y_domains == {(-2.0, 2.0)}  # cells, guide and markers share the axes
    markers = dataset_with(spec, "marker")
    assert markers == [{"marker": "here", "x": 1.0, "y": 1.0}]
    (colour,) = encodings(spec, "color")
    assert colour["scale"] == {"scheme": style.SEQUENTIAL, "type": "sqrt"}
    assert spec["width"] == spec["height"]


def test_relu_response_one_panel_per_active_feature() -> None:
    x = np.linspace(0.0, 1.0, 3)
    curves = {"target x": x, "own output": x, "other output before ReLU": x - 0.5, "other output after ReLU": 0 * x}
    spec = math_understanding_charts.relu_response([("first", x, curves), ("second", x, curves)]).to_dict()
    rows = dataset_with(spec, "curve")
    assert len(rows) == 2 * 4 * 3 and {r["panel"] for r in rows} == {"first", "second"}
    assert spec["facet"]["column"]["sort"] == ["first", "second"]
    (dash,) = encodings(spec, "strokeDash")
    assert dash["scale"]["range"] == [[6, 3], [1, 0], [6, 3], [1, 0]]  # target and "before ReLU" dashed


def test_angle_spectrum_dot_size_counts_pairs() -> None:
    series = {"pentagon": (np.array([72.0, 144.0]), np.array([5, 5])), "square": (np.array([90.0, 180.0]), [4, 2])}
    spec = math_understanding_charts.angle_spectrum(series, "Angles").to_dict()
    rows = dataset_with(spec, "pairs")
    assert {(r["arrangement"], r["angle"], r["pairs"]) for r in rows} == {
        ("pentagon", 72.0, 5),
        ("pentagon", 144.0, 5),
        ("square", 90.0, 4),
        ("square", 180.0, 2),
    }
    (size,) = encodings(spec, "size")
    assert size["legend"]["values"] == [2, 4, 5]
    (x,) = encodings(spec, "x")
    assert x["scale"]["domain"] == [0, 180]


def test_energy_by_count_highlights_the_chosen_count() -> None:
    spec = math_understanding_charts.energy_by_count(np.arange(2, 6), np.array([0.0, 0.1, 0.4, 0.9]), 4, "E", "e")
    rows = dataset_with(spec.to_dict(), "energy")
    assert [r["chosen"] for r in rows] == ["other k", "other k", "chosen k", "other k"]
    assert [r["energy"] for r in rows] == [0.0, 0.1, 0.4, 0.9]


def test_cosine_heatmap_draws_the_given_matrix_on_a_diverging_scale() -> None:
    cos = np.array([[1.0, -0.5], [-0.5, 1.0]])
    spec = math_understanding_charts.cosine_heatmap(cos, "Cosines").to_dict()
    rows = dataset_with(spec, "cos")
    assert len(rows) == 4
    off = next(r for r in rows if r["i"] == 0 and r["j"] == 1)
    assert off["cos"] == -0.5 and off["angle"] == pytest.approx(120.0)
    (colour,) = encodings(spec, "color")
    assert colour["scale"]["scheme"] == style.DIVERGING and colour["scale"]["domainMid"] == 0
    assert colour["scale"]["domain"] == [-1, 1]
