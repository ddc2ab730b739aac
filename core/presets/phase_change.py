"""Settings of the phase-change chapter: the paper's two phase diagrams (n = 2, m = 1 and n = 3, m = 2).

Every feature has density p; the last ("extra") feature has importance r relative to the others
(importance 1). A whole diagram is one training run, instances laid out seed-major, [seed, r, p].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.config import ToyConfig

SETTINGS = {2: 1, 3: 2}  # n_features -> n_hidden for the two diagrams the paper draws


def ratio_grid(count: int = 20) -> np.ndarray:
    """Relative importance r of the extra feature, 0.1 to 10, evenly spaced on a log axis."""
    return 10.0 ** np.linspace(-1.0, 1.0, count)


def density_grid(count: int = 20) -> np.ndarray:
    """Feature density p = 1 - S, from 1 down to 0.01, evenly spaced on a log axis."""
    return 10.0 ** -np.linspace(0.0, 2.0, count)


@dataclass(frozen=True)
class PhaseGrid:
    """The cells of one diagram and how many models are trained per cell."""

    n_features: int
    ratios: np.ndarray  # [R]
    densities: np.ndarray  # [P]
    seeds_per_cell: int

    @property
    def n_hidden(self) -> int:
        return SETTINGS[self.n_features]

    @property
    def shape(self) -> tuple[int, int, int]:
        """(seeds, ratios, densities): how a run's instances reshape."""
        return (self.seeds_per_cell, len(self.ratios), len(self.densities))

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(feature_probability, importance), both [seeds * R * P, n], seed-major then r then p."""
        n, (s, nr, npp) = self.n_features, self.shape
        r = np.broadcast_to(np.asarray(self.ratios, dtype=np.float64)[None, :, None], (s, nr, npp)).ravel()
        p = np.broadcast_to(np.asarray(self.densities, dtype=np.float64)[None, None, :], (s, nr, npp)).ravel()
        importance = np.ones((r.size, n))
        importance[:, -1] = r
        return np.repeat(p[:, None], n, axis=1), importance


def phase_config(
    grid: PhaseGrid, steps: int = 10_000, seed: int = 0, batch_size: int = 1024, eval_batch_size: int = 16_384
) -> ToyConfig:
    """One run training every cell and seed of ``grid`` (ReLU-output model, the paper's optimiser)."""
    if grid.n_features not in SETTINGS:
        raise ValueError(f"phase diagrams are defined for n_features in {sorted(SETTINGS)}, got {grid.n_features}")
    prob, importance = grid.arrays()
    return ToyConfig(
        model="relu_output",
        n_features=grid.n_features,
        n_hidden=grid.n_hidden,
        feature_probability=prob,
        importance=importance,
        steps=steps,
        batch_size=batch_size,
        seed=seed,
        eval_batch_size=eval_batch_size,
    )


def asset_grid(n_features: int) -> PhaseGrid:
    """The paper-resolution diagram: 20 x 20 cells (r 0.1-10, p 1-0.01), 10 models per cell.

    The paper trained several models per cell and dropped the worst; we train 10 (9 are averaged).
    """
    return PhaseGrid(n_features, ratio_grid(20), density_grid(20), 10)


def asset_run(n_features: int) -> ToyConfig:
    """The precomputed diagram's run (the paper's figure): the reference 10,000 steps, batch 1024.

    Final losses use 65,536 samples rather than the default 16,384: the worst model of a cell is
    dropped by its loss, so those losses should be precise.
    """
    return phase_config(asset_grid(n_features), steps=10_000, seed=0, batch_size=1024, eval_batch_size=65_536)
