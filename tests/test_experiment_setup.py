"""core.chapters.experiment_setup: one model at one density, its sample batches, importances, output and loss levels."""

from __future__ import annotations

import numpy as np
import pytest

from core.chapters.experiment_setup import (
    feature_frequency,
    frequency_band,
    importances,
    loss_levels,
    reconstruct,
    sample_features,
)
from core.presets.experiment_setup import setup_config


def test_setup_config_is_one_instance() -> None:
    cfg = setup_config("linear", n=7, m=2, density=0.05, decay=0.9, seed=3)
    assert cfg.n_instances == 1 and cfg.model == "linear" and cfg.seed == 3
    assert np.allclose(cfg.broadcast()[0], 0.05)


def test_reconstruct_matches_the_model_equations() -> None:
    W = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
    b = np.array([0.1, -0.2, 0.0])
    x = np.array([[0.5, 0.0, 0.8]])
    linear = x @ W @ W.T + b
    assert np.allclose(reconstruct("linear", W, b, x), linear)
    assert np.allclose(reconstruct("relu_output", W, b, x), np.maximum(linear, 0))
    assert linear[0, 1] < 0  # the pair's negative interference, which the ReLU removes


# ---- the setup page's data helpers -------------------------------------------------------------


@pytest.mark.parametrize("density", [1.0, 0.3, 0.03])
def test_sample_features_fire_at_the_chosen_density(density: float) -> None:
    batch = 20_000
    x = sample_features(10, density, batch, seed=1)
    assert x.shape == (batch, 10) and x.min() >= 0 and x.max() <= 1
    se = np.sqrt(density * (1 - density) / batch)
    # + 2/batch: U[0, 1) in float32 can itself return exactly 0 (chance 2**-24 per draw)
    assert np.all(np.abs(feature_frequency(x) - density) <= 5 * se + 2 / batch)
    nonzero = x[x != 0]
    assert nonzero.mean() == pytest.approx(0.5, abs=5 * np.sqrt(1 / 12 / nonzero.size))


def test_draws_are_reproducible_and_distinct() -> None:
    a = sample_features(6, 0.5, 64, seed=2, draw=0)
    assert np.array_equal(a, sample_features(6, 0.5, 64, seed=2, draw=0))
    assert not np.array_equal(a, sample_features(6, 0.5, 64, seed=2, draw=1))


def test_frequency_band_is_two_standard_errors_clipped() -> None:
    lo, hi = frequency_band(0.1, 1024)
    se = np.sqrt(0.1 * 0.9 / 1024)
    assert (lo, hi) == pytest.approx((0.1 - 2 * se, 0.1 + 2 * se))
    assert frequency_band(1.0, 1024) == (1.0, 1.0)
    assert frequency_band(0.001, 1024)[0] == 0.0


def test_loss_levels_are_the_closed_forms() -> None:
    levels = list(loss_levels(0.1, 20, 5, 0.7).values())
    imp = importances(20, 0.7)
    assert levels[0] == pytest.approx(np.mean(imp) * 0.1 / 3)
    assert levels[1] == pytest.approx(imp[5:].sum() * (0.1 / 3 - 0.01 / 4) / 20)
