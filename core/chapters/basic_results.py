"""The paper's basic results: presets, checks and per-density summaries of the sweep.

"Basic results" (the paper's second figure) trains two models, linear and ReLU output, on
n = 20 features squeezed into m = 5 hidden dimensions with importance I_i = 0.7**i, one instance
per feature density p in 1, .3, .1, .03, .01, .003, .001. A larger variant uses n = 80, m = 20,
I_i = 0.9**i. (The "Experiment setup" chapter, one density at a time, is core.chapters.experiment_setup;
it reuses the presets here.)

Density p = 1 - S throughout (S is sparsity, the chance a feature is zero).
Weights use the layout of ``core.analysis``: [..., n_features, n_hidden].
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core import analysis, theory
from core.config import ToyConfig
from core.presets.basic_results import (  # noqa: F401 (re-exported: callers use basic_results.<name>)
    LARGE,
    MODELS,
    PAPER,
    PAPER_DENSITIES,
    Setting,
    basic_results_config,
    basic_results_pair,
    large_config,
    sorted_densities,
)

MODEL_NAMES = {"linear": "Linear model", "relu_output": "ReLU-output model"}
# What a learner may pick from: the paper's seven densities and a few in between.
DENSITY_OPTIONS = (1.0, 0.5, 0.3, 0.2, 0.1, 0.05, 0.03, 0.02, 0.01, 0.005, 0.003, 0.002, 0.001)
THRESHOLD = 0.5  # ||W_i|| above this counts as "represented"


def settings_problems(n: int, m: int, densities: Iterable[float]) -> list[str]:
    """Plain-language reasons the chosen settings cannot make the experiment (empty = fine)."""
    problems = []
    if not list(densities):
        problems.append("Pick at least one feature density p to train.")
    if m >= n:
        problems.append(
            f"With m = {m} hidden dimensions and only n = {n} features every feature gets its own dimension, "
            "so there is nothing to squeeze. Choose fewer hidden dimensions than features (m < n)."
        )
    return problems


# ---- measures ---------------------------------------------------------------------------------


def represented_superposition(W: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """Superposition sum_{j != i} (W_hat_i . W_j)^2 for represented features, 0 for dropped ones, [..., n].

    A dropped feature keeps a tiny leftover direction; normalising it gives a meaningless unit
    vector whose overlaps say nothing, so dropped features are reported as 0.
    """
    return np.where(analysis.represented(W, threshold), analysis.superposition(W), 0.0)


def total_superposition(W: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """Sum of ``represented_superposition`` over features, [...]: 0 when every kept feature is orthogonal."""
    return represented_superposition(W, threshold).sum(axis=-1)


def closest_partner_cosine(W: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """For each represented feature, the most negative cosine to another represented feature, [..., n].

    About -1 means it sits in an antipodal pair; 0 means it shares no line with anyone. Dropped
    features (and features with no represented partner) get 0.
    """
    W = np.asarray(W, dtype=np.float64)
    rep = analysis.represented(W, threshold)
    norms = np.where(rep, analysis.feature_norms(W), 1.0)
    unit = W / norms[..., None]
    cos = unit @ np.swapaxes(unit, -1, -2)
    both = rep[..., :, None] & rep[..., None, :] & ~np.eye(W.shape[-2], dtype=bool)
    return np.minimum(np.where(both, cos, 0.0).min(axis=-1), 0.0)


def feature_table(W_k: np.ndarray, threshold: float = THRESHOLD) -> pd.DataFrame:
    """One row per feature of one instance W_k [n, m]: its norm ||W_i||, its superposition (0 when dropped,
    see ``represented_superposition``) and whether it is represented (||W_i|| > threshold): the numbers
    of the norm bars and the feature-direction view."""
    W_k = np.asarray(W_k, dtype=np.float64)
    return pd.DataFrame(
        {
            "feature": np.arange(W_k.shape[0]),
            "norm": analysis.feature_norms(W_k),
            "superposition": represented_superposition(W_k, threshold),
            "represented": analysis.represented(W_k, threshold),
        }
    )


@dataclass(frozen=True)
class DensitySweepSummary:
    """One number per instance (density) of a sweep, for the overview chart and the tests."""

    densities: np.ndarray  # [I]
    n_represented: np.ndarray  # [I]
    total_superposition: np.ndarray  # [I]
    in_superposition: np.ndarray  # [I] bool, W^T W of the represented features is singular
    loss: np.ndarray  # [I] the run's loss (as reported by the TrainResult)
    linear_optimum: np.ndarray  # [I] the best linear model's loss, closed form
    untrained: np.ndarray  # [I] the loss of outputting 0


def summarize(W: np.ndarray, loss: np.ndarray, cfg: ToyConfig) -> DensitySweepSummary:
    """Per-density numbers of a basic-results run with weights ``W`` [I, n, m]."""
    p, imp = cfg.broadcast()
    return DensitySweepSummary(
        densities=p[:, 0].copy(),
        n_represented=analysis.n_represented(W, THRESHOLD),
        total_superposition=total_superposition(W),
        in_superposition=np.array([analysis.is_in_superposition(w, threshold=THRESHOLD) for w in W]),
        loss=np.asarray(loss, dtype=np.float64),
        linear_optimum=linear_optima(cfg),
        untrained=theory.untrained_loss(p, imp),
    )


def overview_table(summaries: dict[str, DensitySweepSummary]) -> pd.DataFrame:
    """One row per (model name, density): features represented, total superposition, and the loss divided by
    the best linear model's loss (1 = as good as any linear model), for the overview chart."""
    frames = [
        pd.DataFrame(
            {
                "model": name,
                "density": s.densities,
                "represented": s.n_represented,
                "superposition": s.total_superposition,
                "relative loss": s.loss / s.linear_optimum,
            }
        )
        for name, s in summaries.items()
    ]
    return pd.concat(frames, ignore_index=True)


def linear_optima(cfg: ToyConfig) -> np.ndarray:
    """The best linear model's loss for every instance of ``cfg``, closed form, [I]."""
    p, imp = cfg.broadcast()
    return theory.linear_optimal_loss(p, imp, cfg.n_hidden)


def nearest_density(densities: Iterable[float], target: float = 0.1) -> float:
    """The density closest to ``target`` on a log axis (the default instance to inspect)."""
    options = sorted_densities(densities)
    return min(options, key=lambda p: abs(np.log(p) - np.log(target)))
