"""The experiment-setup chapter: one model at one density, its data, its importances and what it rebuilds.

The chapter looks at one density at a time: a sample batch, how often each feature fires, the
importance of each feature, and what a trained model rebuilds from a batch, against the loss of
outputting 0 and the best linear model's loss. Same recipe and sizes as the basic-results sweep
(``core.chapters.basic_results``), whose presets this module reuses.

Density p = 1 - S throughout (S is sparsity, the chance a feature is zero).
"""

from __future__ import annotations

import numpy as np

from core import theory
from core.config import ToyConfig
from core.data import sample_batch
from core.models import forward


def sample_features(n: int, density: float, batch: int, seed: int = 0, draw: int = 0) -> np.ndarray:
    """A batch x [batch, n] from the paper's data: each feature 0 with chance 1 - p, else U[0, 1].

    ``draw`` numbers successive samples for the same seed, so "draw another batch" is reproducible.
    """
    cfg = ToyConfig(n_features=int(n), n_hidden=1, feature_probability=float(density))
    return sample_batch(cfg, int(batch), int(seed) * 1_000_003 + int(draw))[0].astype(np.float64)


def feature_frequency(x: np.ndarray) -> np.ndarray:
    """Fraction of examples in which each feature is non-zero, [n]."""
    return (np.asarray(x) != 0).mean(axis=0)


def frequency_band(density: float, batch: int, width: float = 2.0) -> tuple[float, float]:
    """Where a feature's observed frequency usually lands: p +- ``width`` binomial standard errors, in [0, 1]."""
    se = np.sqrt(density * (1.0 - density) / batch)
    return float(max(0.0, density - width * se)), float(min(1.0, density + width * se))


def importances(n: int, decay: float) -> np.ndarray:
    """I_i = decay**i for i = 0..n-1."""
    return float(decay) ** np.arange(int(n), dtype=np.float64)


def reconstruct(model: str, W_k: np.ndarray, b_k: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The model's output x' [batch, n] for inputs x [batch, n], from one instance's weights."""
    params = {"W": np.asarray(W_k, dtype=np.float32)[None], "b": np.asarray(b_k, dtype=np.float32)[None]}
    return forward(model, params, np.asarray(x, dtype=np.float32)[None])[0].astype(np.float64)


def loss_levels(density: float, n: int, m: int, decay: float) -> dict[str, float]:
    """Reference levels for a loss chart: outputting 0, and the best any linear model can do."""
    imp = importances(n, decay)
    return {
        "output 0 (untrained level, mean Iᵢ·p/3)": float(theory.untrained_loss(density, imp)),
        "best linear model (closed form)": float(theory.linear_optimal_loss(density, imp, m)),
    }
