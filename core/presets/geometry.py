"""Settings of the geometry chapter: uniform sweeps, the perturbed pentagon, correlated feature sets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.config import ToyConfig

# ---- uniform superposition (the paper's "feature dimensionality" figure) -------------------------


def notebook_densities(count: int = 20) -> np.ndarray:
    """The reference notebook's densities: 20 ** -linspace(0, 1, count), from 1 down to 0.05."""
    return 20.0 ** -np.linspace(0.0, 1.0, count)


def paper_densities(count: int = 24) -> np.ndarray:
    """A wider sweep for the paper-scale run: from 1 down to 0.01 (1/(1-S) up to 100)."""
    return 100.0 ** -np.linspace(0.0, 1.0, count)


def uniform_config(
    n: int, m: int, densities, steps: int = 10_000, seed: int = 0, batch_size: int = 1024, n_seeds: int = 1
) -> ToyConfig:
    """n features of importance 1 in m dimensions, one instance per density (ReLU-output model)."""
    return ToyConfig(
        model="relu_output",
        n_features=n,
        n_hidden=m,
        feature_probability=[float(p) for p in densities],
        importance=1.0,  # r = 1, so I_i = 1 ** i = 1 for every feature
        steps=steps,
        batch_size=batch_size,
        seed=seed,
        n_seeds=n_seeds,
    )


# The paper's size (n = 400, m = 30) over 24 densities from 1 to 0.01 (wider than the notebook's, so
# the curve runs past the sticky 1/2), one seed per density, the reference 10,000 steps.
PAPER_SWEEP = uniform_config(400, 30, paper_densities(24))
# The reference notebook's smaller sweep (n = 200, m = 20, its 20 densities down to 0.05).
NOTEBOOK_SWEEP = uniform_config(200, 20, notebook_densities(20))

# A fine sweep near the dense end: n = 60, m = 6, 30,000 steps, 17 densities from 1/p = 1 to 4.
# Why: the two sweeps above have only 2-3 densities between 1/p = 1 and 2 and stop at 10,000 steps, where
# the dense-end models still carry dozens of half-learned features; they never show a tetrahedron (3/4).
# Measured (issue 13, /work/notes/r2-geometry-hypothesis.md, 1g): this grid shows tetrahedra (1/p 1.4-1.5),
# triangles (1.45-1.6), digons (1.6-3.5), a pentagon (3.5-4) and a square antiprism (4), and both plateaus;
# about 2 minutes of CPU.
DENSE_END_INVERSE = (1.0, 1.1, 1.2, 1.25, 1.3, 1.35, 1.4, 1.45, 1.5, 1.6, 1.7, 1.8, 2.0, 2.5, 3.0, 3.5, 4.0)
DENSE_END_SWEEP = uniform_config(60, 6, [1.0 / x for x in DENSE_END_INVERSE], steps=30_000)

# ---- non-uniform superposition -------------------------------------------------------------------

PENTAGON_DENSITY = 0.05  # the paper's pentagon: n = 5, m = 2, I = 1 at this density


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
        # Sparse enough for the hexagon: at 0.3-0.02 best-of-5 runs keep collapsed pairs (a pair stored as its
        # sum) and pentagons; all three pairs sit side by side in a hexagon only from about 0.01 down (measured
        # 0.01, 0.005, 0.003; issue 13). Below about 0.002 the loss is too noisy to pick the best start.
        (0.3, 0.1, 0.02, 0.01, 0.005, 0.003),
    ),
}
