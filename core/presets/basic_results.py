"""Settings of the experiment-setup and basic-results chapters (the paper's second figure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.config import ToyConfig

MODELS = ("linear", "relu_output")
# The paper's seven densities p = 1 - S (S = 0, 0.7, 0.9, 0.97, 0.99, 0.997, 0.999).
PAPER_DENSITIES = (1.0, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001)


@dataclass(frozen=True)
class Setting:
    """A size of the basic-results experiment: n features, m hidden dimensions, importance decay r."""

    n: int
    m: int
    decay: float
    label: str


# The figure's main setting, and the larger variant the paper also shows.
PAPER = Setting(20, 5, 0.7, "n = 20, m = 5, I = 0.7ⁱ")
LARGE = Setting(80, 20, 0.9, "n = 80, m = 20, I = 0.9ⁱ")


def sorted_densities(densities: Iterable[float]) -> list[float]:
    """Distinct densities, densest first (the order of the paper's figure)."""
    return sorted({float(p) for p in densities}, reverse=True)


def basic_results_config(
    model: str = "relu_output",
    n: int = PAPER.n,
    m: int = PAPER.m,
    decay: float = PAPER.decay,
    densities: Iterable[float] = PAPER_DENSITIES,
    seed: int = 0,
    steps: int = 10_000,
) -> ToyConfig:
    """One run of the basic-results sweep: one instance per density, importance decay**i.

    The defaults are the paper's: n = 20, m = 5, I_i = 0.7**i, the seven densities, and the
    reference training recipe (AdamW lr 1e-3, weight decay 0.01, batch 1024, 10,000 steps).
    """
    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, got {model!r}")
    return ToyConfig(
        model=model,
        n_features=int(n),
        n_hidden=int(m),
        feature_probability=sorted_densities(densities),
        importance=float(decay),
        steps=int(steps),
        seed=int(seed),
    )


def large_config(model: str = "relu_output", seed: int = 0, steps: int = 10_000) -> ToyConfig:
    """The paper's larger variant: n = 80, m = 20, I_i = 0.9**i, same seven densities."""
    return basic_results_config(model, LARGE.n, LARGE.m, LARGE.decay, PAPER_DENSITIES, seed, steps)


def basic_results_pair(**settings) -> dict[str, ToyConfig]:
    """The linear and the ReLU-output run with the same settings, keyed by model (the figure's two rows)."""
    return {model: basic_results_config(model, **settings) for model in MODELS}
