"""The paper's experiment settings, in one place, so a "paper settings" button means one thing.

One module per part of the paper, named like its chapter (``core.presets.phase_change`` ...). Each
named setting is a ToyConfig, or a function returning one when the learner may change part of it;
a comment says which figure it reproduces and why its seeds and steps are what they are. Pages
change only what the learner changed. This package imports nothing from ``core.chapters``, so the
chapters import their settings from here (and re-export them under their old names).

This module holds the introduction's setting (the paper's first figure: 5 features in 2 dimensions).
"""

from __future__ import annotations

import numpy as np

from core.config import ToyConfig


def intro_densities(count: int = 10, lowest: float = 0.05) -> list[float]:
    """Densities from 1 down to ``lowest``, evenly spaced on a log axis (the paper's intro figure)."""
    return [float(x) for x in lowest ** np.linspace(0.0, 1.0, count)]


def intro_5in2(
    densities: list[float] | None = None, decay: float = 0.9, seed: int = 0, steps: int = 10_000
) -> ToyConfig:
    """The intro figure: 5 features in 2 dimensions, importance 0.9**i, one instance per density.

    One seed and the reference recipe (10,000 steps, AdamW lr 1e-3, batch 1024), as in the paper's
    notebook: the figure shows one trained model per density.
    """
    return ToyConfig(
        model="relu_output",
        n_features=5,
        n_hidden=2,
        feature_probability=densities if densities is not None else intro_densities(),
        importance=decay,
        steps=steps,
        seed=seed,
    )


def label_density(p: float) -> str:
    """How every chart names an instance: the density and the paper's 1/(1-S) axis."""
    return f"p = {p:.3g}  (1/(1−S) = {1.0 / p:.3g})"
