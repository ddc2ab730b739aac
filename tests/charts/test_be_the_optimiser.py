"""Chart builders of "Be the optimiser", on hand-made arrays: the arrows drawn and the loss bars with whiskers."""

from __future__ import annotations

import numpy as np
import pytest

from core.charts import be_the_optimiser as optimiser_charts
from core.charts import style
from tests.helpers import axis_titles, dataset_with, encodings, marks, panel_titles, pentagon, spec_of, titles


def test_loss_bars_one_bar_per_model_with_two_standard_error_whiskers() -> None:
    names = ["yours", "trained", "exact"]
    losses, errors = [0.05, 0.03, 0.04], [0.005, 0.001, 0.0]
    spec = spec_of(optimiser_charts.loss_bars(names, losses, errors))
    rows = dataset_with(spec, "loss")
    assert [r["model"] for r in rows] == names
    assert [r["loss"] for r in rows] == losses
    np.testing.assert_allclose([r["lo"] for r in rows], [0.04, 0.028, 0.04])
    np.testing.assert_allclose([r["hi"] for r in rows], [0.06, 0.032, 0.04])
    assert marks(spec) == ["bar", "rule"]
    x = encodings(spec, "x")
    assert [e["field"] for e in x] == ["loss", "lo"]
    assert encodings(spec, "x2")[0]["field"] == "hi"
    assert all(e["field"] == "model" and e["sort"] is None for e in encodings(spec, "y"))  # the given order
    assert axis_titles(spec, "x") == {"expected loss (training units: mean over features)"}
    assert spec["height"] == 40 * 3


def test_arrangements_yours_alone_or_beside_the_trained_model() -> None:
    importance = np.ones(5)
    alone = spec_of(optimiser_charts.arrangements(pentagon(), None, importance))
    rows = dataset_with(alone, "x")
    np.testing.assert_allclose([[r["x"], r["y"]] for r in rows], pentagon())
    assert "Your model: feature directions Wᵢ" in titles(alone)
    both = spec_of(optimiser_charts.arrangements(pentagon(), pentagon(2.0), importance))
    assert panel_titles(both) == ["Your model", "Trained model (best of 4)"]
    rows = next(iter(both["datasets"].values()))
    norms = {(r["panel"], r["feature"]): r["norm"] for r in rows}
    assert len(norms) == 10
    assert norms[(0, 0)] == pytest.approx(1.0) and norms[(1, 4)] == pytest.approx(2.0)
    assert all(e["scale"]["range"] == style.OKABE_ITO[:5] for e in encodings(both, "color") if "scale" in e)
