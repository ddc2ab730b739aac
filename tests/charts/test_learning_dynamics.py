"""Chart builders of the learning-dynamics chapter, on hand-made arrays: D_i and loss on one time axis,
the guides, the jump and replay rules, and the shape measures."""

from __future__ import annotations

import numpy as np
import pytest

from core.charts import learning_dynamics as learning_dynamics_charts
from core.charts import style
from tests.helpers import dataset_with, encodings

STEPS = np.array([0.0, 100.0, 200.0])
D = np.array([[0.1, 0.2], [0.5, 0.3], [0.5, 0.0]])  # [T, n]


def rules(spec: dict, what: str) -> list[dict]:
    return [row for rows in spec["datasets"].values() for row in rows if row.get("what") == what]


def test_dimensionality_lines_one_line_per_feature_with_guides_and_rules() -> None:
    chart = learning_dynamics_charts.dimensionality_lines(STEPS, D, [3, 8], jump_steps=[150.0], marker=100.0)
    spec = chart.to_dict()
    rows = dataset_with(spec, "feature")
    assert [(r["step"], r["feature"], r["D"]) for r in rows[:4]] == [
        (0.0, 3, 0.1),
        (0.0, 8, 0.2),
        (100.0, 3, 0.5),
        (100.0, 8, 0.3),
    ]
    guides = dataset_with(spec, "level")
    assert [g["D"] for g in guides] == pytest.approx([1, 3 / 4, 2 / 3, 1 / 2, 2 / 5, 3 / 8])
    assert [r["step"] for r in rules(spec, "jump")] == [150.0]
    assert [r["step"] for r in rules(spec, "replay step")] == [100.0]
    colour = next(e for e in encodings(spec, "color") if "field" in e)
    assert colour["scale"]["domain"] == [3, 8] and colour["scale"]["range"] == style.OKABE_ITO[:2]
    with pytest.raises(ValueError):
        learning_dynamics_charts.dimensionality_lines(STEPS, D, [3])


def test_dimensionality_lines_in_one_colour_and_on_a_log_axis() -> None:
    spec = learning_dynamics_charts.dimensionality_lines(STEPS, D, log_x=True, one_colour=True).to_dict()
    assert not [e for e in encodings(spec, "color") if "field" in e]  # no legend: one colour for all
    assert min(r["step"] for r in dataset_with(spec, "feature")) == 1.0  # step 0 drawn at 1 on a log axis
    x = next(e for e in encodings(spec, "x") if "scale" in e)
    assert x["scale"] == {"type": "log", "domain": [1.0, 200.0]} and "log" in x["title"]


def test_loss_line_drops_non_positive_losses() -> None:
    spec = learning_dynamics_charts.loss_line(STEPS, np.array([1.0, 0.0, 0.25])).to_dict()
    assert dataset_with(spec, "loss") == [{"step": 0.0, "loss": 1.0}, {"step": 200.0, "loss": 0.25}]
    (y,) = encodings(spec, "y")
    assert y["scale"]["type"] == "log"


def test_dynamics_panel_stacks_both_on_a_shared_time_axis() -> None:
    spec = learning_dynamics_charts.dynamics_panel(STEPS, D, np.array([1.0, 0.5, 0.2]), marker=200.0).to_dict()
    assert len(spec["vconcat"]) == 2
    assert spec["resolve"]["scale"]["x"] == "shared"
    domains = {tuple(e["scale"]["domain"]) for e in encodings(spec, "x") if "scale" in e}
    assert domains == {(0.0, 200.0)}  # both charts, and their rules, on the same steps
    assert len(rules(spec, "replay step")) == 1  # the two charts share one table of rules
    assert spec["autosize"]["type"] == "pad"


def test_measures_lines_one_colour_per_measure() -> None:
    measures = {"length": np.array([0.1, 0.5, 1.0]), "alignment": np.array([0.9, 0.2, 0.0])}
    spec = learning_dynamics_charts.measures_lines(STEPS, measures, marker=100.0).to_dict()
    rows = dataset_with(spec, "measure")
    assert [(r["measure"], r["step"], r["value"]) for r in rows] == [
        ("length", 0.0, 0.1),
        ("length", 100.0, 0.5),
        ("length", 200.0, 1.0),
        ("alignment", 0.0, 0.9),
        ("alignment", 100.0, 0.2),
        ("alignment", 200.0, 0.0),
    ]
    (colour,) = encodings(spec, "color")
    assert colour["scale"]["domain"] == ["length", "alignment"]


def test_dimensionality_strip_sorts_features_by_D() -> None:
    spec = learning_dynamics_charts.dimensionality_strip(np.array([0.2, 0.5, 0.0, 0.75]), 400).to_dict()
    rows = dataset_with(spec, "rank")
    assert [(r["rank"], r["D"]) for r in rows] == [(0, 0.75), (1, 0.5), (2, 0.2), (3, 0.0)]
    x = next(e for e in encodings(spec, "x") if "title" in e)
    assert x["title"] == "features, sorted by D_i (of 400)"
