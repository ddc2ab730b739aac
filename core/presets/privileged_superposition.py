"""Settings of the superposition-in-a-privileged-basis chapter (ReLU-hidden model, n = 10, m = 5)."""

from __future__ import annotations

import numpy as np

from core.config import ToyConfig

N_FEATURES = 10
N_HIDDEN = 5
DECAY = 0.75
# 20,000 steps, not the usual 10,000: with dense features most seeds are still 10-25 % off the
# neuron axes at 10,000 steps (see core.chapters.privileged_superposition).
PAPER_STEPS = 20_000
PAPER_SEEDS = 32  # the paper kept the best of 1000; 32 is what a rebuild can afford


def sweep_densities(count: int = 13, lowest: float = 1e-3) -> list[float]:
    """Densities from 1 (dense) down to ``lowest``, evenly spaced on a log axis."""
    return [float(x) for x in lowest ** np.linspace(0.0, 1.0, count)]


# The chart the learner sees first: seven densities, one decade apart in halves.
SHOWCASE_DENSITIES = [1.0, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001]


def privileged_config(
    densities: list[float],
    decay: float = DECAY,
    steps: int = PAPER_STEPS,
    seed: int = 0,
    n_seeds: int = 1,
    n_features: int = N_FEATURES,
    n_hidden: int = N_HIDDEN,
) -> ToyConfig:
    """The ReLU-hidden model, one instance per density, best of ``n_seeds`` seeds each."""
    return ToyConfig(
        model="relu_hidden",
        n_features=n_features,
        n_hidden=n_hidden,
        feature_probability=[float(p) for p in densities],
        importance=float(decay),
        steps=int(steps),
        seed=int(seed),
        n_seeds=int(n_seeds),
    )


# The paper's neuron-count figure: n = 10, m = 5, I = 0.75^i, 13 densities 1 to 0.001, best of 32.
SWEEP_RUN = privileged_config(sweep_densities(), decay=DECAY, steps=PAPER_STEPS, seed=0, n_seeds=PAPER_SEEDS)
