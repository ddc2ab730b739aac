"""The CSV downloads read back as the tables they describe (pandas writes them, so labels are quoted right)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from core import analysis
from core.config import ToyConfig
from core.train import train
from ui.export import history_csv, measures_csv

# Labels as a page might write them: a comma, quotes and a non-ASCII symbol all have to survive the round trip.
LABELS = ["p = 0.1, r = 2", 'the "dense" one']


@pytest.fixture(scope="module")
def result():
    cfg = ToyConfig(n_features=3, n_hidden=2, feature_probability=[0.1, 1.0], steps=40, batch_size=64, seed=3)
    return train(cfg)


def test_history_csv_reads_back_step_by_step(result):
    table = pd.read_csv(io.StringIO(history_csv(result, LABELS)))
    assert list(table.columns) == ["step", *LABELS]
    assert table["step"].tolist() == list(range(1, len(result.loss_history) + 1))
    np.testing.assert_allclose(table[LABELS].to_numpy(), result.loss_history, rtol=1e-5)  # written to 6 digits


def test_measures_csv_has_one_row_per_instance_and_feature(result):
    table = pd.read_csv(io.StringIO(measures_csv(result, LABELS)))
    n_instances, n_features = result.W.shape[:2]
    assert len(table) == n_instances * n_features
    assert table["instance"].tolist() == [label for label in LABELS for _ in range(n_features)]
    assert table["feature"].tolist() == list(range(n_features)) * n_instances
    np.testing.assert_allclose(table["norm"], np.linalg.norm(result.W, axis=-1).ravel(), rtol=1e-5)
    np.testing.assert_allclose(table["dimensionality"], analysis.feature_dimensionality(result.W).ravel(), rtol=1e-5)
    np.testing.assert_allclose(table["bias"], result.b.ravel(), rtol=1e-5, atol=1e-12)
