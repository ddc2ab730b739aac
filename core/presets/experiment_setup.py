"""Experiment setup: one model of the basic-results setting, at one density, to watch it train."""

from __future__ import annotations

from core.config import ToyConfig
from core.presets.basic_results import PAPER, basic_results_config


def setup_config(
    model: str = "relu_output",
    n: int = PAPER.n,
    m: int = PAPER.m,
    density: float = 0.1,
    decay: float = PAPER.decay,
    seed: int = 0,
    steps: int = 10_000,
) -> ToyConfig:
    """A single model at one density, for watching the setup train (paper recipe by default)."""
    return basic_results_config(model, n, m, decay, [density], seed, steps)
