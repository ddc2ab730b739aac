"""Settings of the computation-in-superposition chapter (the absolute-value model)."""

from __future__ import annotations

import numpy as np

from core.config import ToyConfig


def abs_config(
    n_features: int,
    n_hidden: int,
    densities: list[float],
    decay: float = 1.0,
    steps: int = 10_000,
    seed: int = 0,
    n_seeds: int = 1,
) -> ToyConfig:
    """The absolute-value model, one instance per density, best of ``n_seeds`` seeds."""
    return ToyConfig(
        model="abs",
        n_features=int(n_features),
        n_hidden=int(n_hidden),
        feature_probability=[float(p) for p in densities],
        importance=float(decay),
        steps=int(steps),
        seed=int(seed),
        n_seeds=int(n_seeds),
    )


def circuit_config(seed: int = 0, n_seeds: int = 8, steps: int = 10_000) -> ToyConfig:
    """The paper's circuit: n = 3 features, m = 6 neurons, I = 1, dense (p = 1)."""
    return abs_config(3, 6, [1.0], decay=1.0, steps=steps, seed=seed, n_seeds=n_seeds)


# The paper's sweep: n = 100, m = 40, I = 0.8^i, 10 densities from 1 to 0.001, best of 3 seeds.
SWEEP_RUN = abs_config(100, 40, [float(x) for x in 10.0 ** -np.linspace(0.0, 3.0, 10)], decay=0.8, seed=0, n_seeds=3)
# The paper's circuit figure, best of 16 seeds (more than the live page's 8, so the stored one is the cleanest).
CIRCUIT_RUN = circuit_config(seed=0, n_seeds=16, steps=10_000)
