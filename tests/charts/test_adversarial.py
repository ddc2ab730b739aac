"""Chart builders of the adversarial-vulnerability chapter, on hand-made arrays: rows, log axis, colours, titles."""

from __future__ import annotations

import numpy as np
import pytest

from core.charts import adversarial as adversarial_charts
from core.charts import style
from tests.helpers import axis_titles, dataset_with, datasets_with, encodings, marks, spec_of, subtitles, titles


def test_vulnerability_sweep_two_series_against_inverse_density_on_log_axis() -> None:
    densities = np.array([1.0, 0.1, 0.01])
    vulnerability = np.array([1.0, 2.5, 6.0])
    features_per_dim = np.array([1.0, 1.8, 3.0])
    spec = spec_of(adversarial_charts.vulnerability_sweep(densities, vulnerability, features_per_dim, title="Sweep"))
    rows = dataset_with(spec, "measure")
    assert len(rows) == 6
    by_measure: dict[str, list[tuple[float, float]]] = {}
    for r in rows:
        by_measure.setdefault(r["measure"], []).append((r["inverse density"], r["value"]))
    assert set(by_measure) == {adversarial_charts.VULNERABILITY, adversarial_charts.FEATURES_PER_DIM}
    np.testing.assert_allclose(by_measure[adversarial_charts.VULNERABILITY], [(1, 1.0), (10, 2.5), (100, 6.0)])
    np.testing.assert_allclose(by_measure[adversarial_charts.FEATURES_PER_DIM], [(1, 1.0), (10, 1.8), (100, 3.0)])
    assert datasets_with(spec, "y") == [[{"y": 1.0}]]  # the dashed level of a model without superposition
    x = [e for e in encodings(spec, "x") if "scale" in e]
    assert len(x) == 1 and x[0]["field"] == "inverse density" and x[0]["scale"]["type"] == "log"
    assert axis_titles(spec, "x") == {adversarial_charts.X_TITLE}
    colours = encodings(spec, "color")
    assert len(colours) == 1 and colours[0]["field"] == "measure"
    assert colours[0]["scale"]["domain"] == [adversarial_charts.VULNERABILITY, adversarial_charts.FEATURES_PER_DIM]
    assert colours[0]["scale"]["range"] == style.OKABE_ITO[:2]
    assert sorted(marks(spec)) == ["line", "rule"]
    assert "Sweep" in titles(spec)
    assert any("dashed line: 1" in s for s in subtitles(spec))


def test_vulnerability_sweep_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError):
        adversarial_charts.vulnerability_sweep(np.array([1.0, 0.1]), np.array([1.0]), np.array([1.0, 2.0]))


def test_training_comparison_three_panels_one_bar_per_model() -> None:
    labels = ["ordinary", "adversarial"]
    fpd, vul, loss = [2.0, 1.1], [4.0, 1.5], [0.012, 0.034]
    spec = spec_of(adversarial_charts.training_comparison(labels, fpd, vul, loss, title="Compare"))
    panels = spec["hconcat"]
    assert len(panels) == 3
    tables = [spec["datasets"][p["data"]["name"]] for p in panels]
    assert [[(r["model"], r["value"]) for r in t] for t in tables] == [
        [("ordinary", 2.0), ("adversarial", 1.1)],
        [("ordinary", 4.0), ("adversarial", 1.5)],
        [("ordinary", 0.012), ("adversarial", 0.034)],
    ]
    assert [p["encoding"]["y"]["title"] for p in panels] == ["features per dimension", "vulnerability", "clean loss"]
    assert all(p["encoding"]["x"]["sort"] == labels and p["encoding"]["x"]["field"] == "model" for p in panels)
    for c in encodings(spec, "color"):
        assert c["scale"]["domain"] == labels and c["scale"]["range"] == style.OKABE_ITO[:2]
        assert c["legend"] is None  # the x axis already names each bar
    assert marks(spec) == ["bar"] * 3
    assert "Compare" in titles(spec)


def test_training_comparison_labels_become_strings() -> None:
    spec = spec_of(adversarial_charts.training_comparison([1, 2], [1.0, 2.0], [3.0, 4.0], [5.0, 6.0]))
    assert {r["model"] for rows in datasets_with(spec, "model") for r in rows} == {"1", "2"}
