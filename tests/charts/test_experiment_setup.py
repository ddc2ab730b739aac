"""core.charts.experiment_setup on hand-made arrays."""

from __future__ import annotations

import numpy as np
import pytest

from core.charts import experiment_setup as es_charts
from core.charts import style
from tests.helpers import dataset_with, datasets_with, encodings, spec_of, titles


def test_batch_heatmap_one_panel_per_array_and_grey_zeros() -> None:
    a = np.array([[0.0, 0.5], [1.0, 0.0], [0.25, 0.75]])
    b = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])
    spec = spec_of(es_charts.batch_heatmap([a, b], ["input", "output"]))
    assert [p["title"] for p in spec["hconcat"]] == ["input", "output"]
    tables = datasets_with(spec, "example")
    assert len(tables) == 2
    for table, x in zip(tables, (a, b)):
        assert len(table) == 6
        assert {(r["example"], r["feature"]): r["value"] for r in table} == {
            (i, j): x[i, j] for i in range(3) for j in range(2)
        }
    first, second = encodings(spec, "color")
    assert first == second  # one colour scale for both panels
    color = first
    # grey means "reads 0.00 or below" in both panels: an output of 0.001 or -0.2 is as grey as an exact 0
    assert color["condition"]["value"] == es_charts.ZERO_GREY and "datum.value < 0.005" in color["condition"]["test"]
    assert color["scale"]["domain"] == [0, 1] and color["scale"]["scheme"] == style.SEQUENTIAL
    assert spec["resolve"]["scale"]["color"] == "shared"
    with pytest.raises(ValueError):
        es_charts.batch_heatmap([a, b], ["only one"])


def test_frequency_bars_counts_band_and_chosen_density() -> None:
    freq = np.array([0.1, 0.0, 0.125])
    spec = spec_of(es_charts.frequency_bars(freq, 0.1, (0.05, 0.15), batch=80))
    bars = dataset_with(spec, "frequency")
    assert [(r["feature"], r["frequency"], r["count"]) for r in bars] == [(0, 0.1, 8), (1, 0.0, 0), (2, 0.125, 10)]
    assert dataset_with(spec, "lo") == [{"lo": 0.05, "hi": 0.15}]
    (line,) = datasets_with(spec, "p")
    assert line == [{"p": 0.1, "label": "chosen density p = 0.1"}]
    assert "How often each feature fired in 80 examples" in titles(spec)


def test_importance_bars_values_and_axis_from_zero() -> None:
    imp = 0.5 ** np.arange(4)
    spec = spec_of(es_charts.importance_bars(imp))
    assert [r["importance"] for r in dataset_with(spec, "importance")] == [1.0, 0.5, 0.25, 0.125]
    (y,) = [e for e in encodings(spec, "y") if "scale" in e]
    assert y["scale"]["domain"] == [0, 1.0]
    assert es_charts.importance_bars(np.array([2.0, 1.0])).to_dict()["encoding"]["y"]["scale"]["domain"] == [0, 2.0]


def test_loss_with_levels_drops_non_positive_values_and_names_levels() -> None:
    steps = np.array([0, 10, 20])
    losses = np.array([[0.5], [0.0], [0.1]])  # a zero cannot go on a log axis
    spec = spec_of(es_charts.loss_with_levels(steps, losses, {"output 0": 0.2, "impossible": 0.0}))
    assert [(r["step"], r["loss"]) for r in dataset_with(spec, "step")] == [(0, 0.5), (20, 0.1)]
    levels = dataset_with(spec, "name")
    assert levels == [{"name": "output 0", "loss": 0.2}]
    assert any(e.get("scale", {}).get("type") == "log" for e in encodings(spec, "y"))
