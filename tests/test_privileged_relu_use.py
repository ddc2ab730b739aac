"""'A limitation of this toy model' on the privileged-basis page: how much the hidden ReLU cuts, per density."""

from __future__ import annotations

import numpy as np
import pytest

from core.assets import load_asset
from core.chapters import privileged_relu_use as relu_use
from core.chapters import privileged_superposition


def _sweep() -> tuple[np.ndarray, np.ndarray]:
    spec = privileged_superposition.BUILDERS["privileged_sweep"]
    a = load_asset("privileged_sweep", spec.version).arrays
    return a["densities"].astype(np.float64), a["W"].astype(np.float64)


def test_clipped_share_on_known_weights() -> None:
    """Non-negative weights: nothing clipped. One feature with a -1 weight on a second neuron, alone: half cut."""
    assert relu_use.relu_clipped_share(np.eye(3), 0.3) == 0.0
    W = np.array([[1.0, -1.0]])
    assert relu_use.relu_clipped_share(W, 0.5) == pytest.approx(0.5)
    assert relu_use.negative_weight_share(W) == pytest.approx(0.5)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dense_models_leave_the_relu_idle_and_sparse_ones_use_it(seed: int) -> None:
    """The page's sentence, on the asset, for three input samples: < 1% cut in the two densest models,
    more than 30% in every model sparser than p = 0.2."""
    densities, W = _sweep()
    clipped = np.array([relu_use.relu_clipped_share(W[i], densities[i], seed=seed) for i in range(len(densities))])
    assert np.all(clipped[:2] < 0.01)
    assert np.all(clipped[densities < 0.2] > 0.3)
    sentence = relu_use.clipping_sentence(densities, clipped)
    assert f"down to p = {densities[1]:.3g}" in sentence and f"{clipped[2:].max():.0%}" in sentence


def test_sentence_only_claims_a_contiguous_idle_range() -> None:
    text = relu_use.clipping_sentence(np.array([1, 0.5, 0.1, 0.01]), np.array([0.0, 0.2, 0.001, 0.9]))
    assert "down to p = 0.5" not in text and "down to p" not in text
    assert "3 sparser models it removes between 0% and 90%" in text
    assert "2 sparser models" in relu_use.clipping_sentence(np.array([1, 0.5, 0.1, 0.01]), np.array([0, 0, 0.5, 0.9]))
