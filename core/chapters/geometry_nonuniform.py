"""Non-uniform superposition: the pentagon (n = 5, m = 2, I = 1, p = 0.05) with one feature's density
changed, and sets of correlated or anticorrelated features (the paper's "non-uniform superposition").

Uniform superposition, tegum factors and polytopes are in ``core.chapters.geometry``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import analysis
from core.chapters.geometry import NORM_THRESHOLD
from core.config import ToyConfig

PENTAGON_DENSITY = 0.05


def perturbed_pentagon_config(
    ratios, base_density: float = PENTAGON_DENSITY, steps: int = 10_000, seed: int = 0, n_seeds: int = 3
) -> ToyConfig:
    """n = 5, m = 2, I = 1, density ``base_density``, except feature 0's density is ratio x base (one instance per ratio)."""
    ratios = np.asarray(ratios, dtype=np.float64)
    p = np.full((ratios.size, 5), base_density)
    p[:, 0] = np.clip(base_density * ratios, 1e-6, 1.0)
    return ToyConfig(
        model="relu_output",
        n_features=5,
        n_hidden=2,
        feature_probability=p,
        importance=1.0,
        steps=steps,
        seed=seed,
        n_seeds=n_seeds,
    )


def angle_gaps(W_k: np.ndarray) -> np.ndarray:
    """Angles (degrees) between neighbouring represented feature directions going round the circle (m = 2)."""
    W_k = np.asarray(W_k, dtype=np.float64)
    rep = W_k[analysis.feature_norms(W_k) > NORM_THRESHOLD]
    if rep.shape[0] < 2:
        return np.zeros(0)
    ang = np.sort(np.degrees(np.arctan2(rep[:, 1], rep[:, 0])) % 360)
    return np.diff(np.append(ang, ang[0] + 360))


def neighbour_gaps(W_k: np.ndarray, i: int = 0) -> np.ndarray:
    """Angles (degrees) from feature i to its nearest represented neighbour on each side (m = 2), [2].

    nan if feature i itself is not represented. In the regular pentagon both are 72 degrees.
    """
    W_k = np.asarray(W_k, dtype=np.float64)
    norms = analysis.feature_norms(W_k)
    others = [j for j in range(W_k.shape[0]) if j != i and norms[j] > NORM_THRESHOLD]
    if norms[i] <= NORM_THRESHOLD or not others:
        return np.full(2, np.nan)
    ang = np.degrees(np.arctan2(W_k[:, 1], W_k[:, 0]))
    rel = (ang[others] - ang[i]) % 360
    return np.array([rel.min(), 360 - rel.max()])


# Correlated / anticorrelated feature sets (the paper's settings); each a preset for ToyConfig.
@dataclass(frozen=True)
class SetExperiment:
    title: str
    n_features: int
    sets: tuple[tuple[str, int], ...]
    densities: tuple[float, ...]

    def config(self, steps: int = 10_000, seed: int = 0, n_seeds: int = 8, densities=None) -> ToyConfig:
        """One instance per density (the experiment's own unless ``densities`` is given), importance 1.

        Best of 8 starts: about half the starts of an anticorrelated pair stop in a local minimum.
        """
        return ToyConfig(
            model="relu_output",
            n_features=self.n_features,
            n_hidden=2,
            feature_probability=[float(p) for p in (densities if densities is not None else self.densities)],
            importance=1.0,
            steps=steps,
            seed=seed,
            n_seeds=n_seeds,
            feature_sets=self.sets,
        )


SET_EXPERIMENTS = {
    "correlated": SetExperiment(
        "Two correlated pairs (n = 4, m = 2)", 4, (("correlated", 2), ("correlated", 2)), (0.05, 0.02, 0.01, 0.0025)
    ),
    "anticorrelated": SetExperiment(
        "Two anticorrelated pairs (n = 4, m = 2)",
        4,
        (("anticorrelated", 2), ("anticorrelated", 2)),
        (0.3, 0.2, 0.15, 0.1),
    ),
    "three_pairs": SetExperiment(
        "Three correlated pairs (n = 6, m = 2)",
        6,
        (("correlated", 2), ("correlated", 2), ("correlated", 2)),
        (0.3, 0.1, 0.05, 0.02),
    ),
}


def pair_cosines(W_k: np.ndarray, sets: tuple[tuple[str, int], ...]) -> np.ndarray:
    """Cosine between the two members of each 2-feature set, [n_sets] (nan if a member is not represented)."""
    W_k = np.asarray(W_k, dtype=np.float64)
    norms = analysis.feature_norms(W_k)
    out, start = [], 0
    for _, size in sets:
        a, b = start, start + 1
        ok = norms[a] > NORM_THRESHOLD and norms[b] > NORM_THRESHOLD
        out.append(float(W_k[a] @ W_k[b] / (norms[a] * norms[b])) if ok else np.nan)
        start += size
    return np.array(out)


def pair_relation(cosine: float) -> str:
    """Words for a within-set cosine: antipodal (< -0.8), orthogonal (|cos| < 0.3), together (> 0.8), or between."""
    if not np.isfinite(cosine):
        return "one dropped"
    if cosine < -0.8:
        return "antipodal"
    if abs(cosine) < 0.3:
        return "orthogonal"
    if cosine > 0.8:
        return "side by side"
    return "in between"
