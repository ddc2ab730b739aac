"""Superposition as a phase change: the paper's phase diagrams for n = 2, m = 1 and n = 3, m = 2.

Setting: every feature has density p; the last ("extra") feature has importance r relative to the
others (importance 1). For each cell (r, p) of a log-spaced grid we train several models and ask
what happened to the extra feature:

- "not learned": ||W_extra|| is small (it gets no direction; its bias covers its mean),
- "superposition": it is represented and shares its direction with other features
  (superposition sum_{j != extra} (W_extra_hat . W_j)^2 is large),
- "dedicated": it is represented and (nearly) orthogonal to every other feature.

The paper trained several models per cell, dropped the worst (highest loss) and averaged the rest.
We do the same with the extra feature's norm and superposition, then classify the averages
(``reduction="best"`` instead keeps only the lowest-loss model, for comparison).

A whole diagram is one training run: instances are laid out seed-major, [seed, r, p] flattened.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import analysis, theory
from core.config import ToyConfig
from core.precompute import AssetBuilder
from core.presets.phase_change import (  # noqa: F401 (re-exported: callers use phase_change.<name>)
    SETTINGS,
    PhaseGrid,
    asset_grid,
    asset_run,
    density_grid,
    phase_config,
    ratio_grid,
)
from core.train import train

PHASES = theory.PHASES  # ("not learned", "superposition", "dedicated"), indexed by the phase codes below
NOT_LEARNED, SUPERPOSITION, DEDICATED = 0, 1, 2
NORM_THRESHOLD = 0.5  # ||W_extra|| above this counts as represented (a trained norm is ~0 or ~1)
SUPERPOSITION_THRESHOLD = 0.5  # an antipodal partner gives ~1, an orthogonal layout ~0


def cell_grid(n_features: int, ratio: float, density: float, seeds: int) -> PhaseGrid:
    """A one-cell grid: ``seeds`` models of a single (r, p), e.g. to watch one cell train."""
    return PhaseGrid(n_features, np.array([float(ratio)]), np.array([float(density)]), int(seeds))


def extra_feature_stats(W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(||W_extra||, superposition of the extra feature), each [...], for W [..., n, m]."""
    return analysis.feature_norms(W)[..., -1], analysis.superposition(W)[..., -1]


def classify(norm: np.ndarray, sup: np.ndarray) -> np.ndarray:
    """Phase code per entry: NOT_LEARNED if the norm is small, else SUPERPOSITION or DEDICATED.

    The norm is checked first: a tiny W_extra still has a direction, so its superposition can be large.
    """
    norm, sup = np.broadcast_arrays(np.asarray(norm, dtype=np.float64), np.asarray(sup, dtype=np.float64))
    shared = np.where(sup > SUPERPOSITION_THRESHOLD, SUPERPOSITION, DEDICATED)
    return np.where(norm > NORM_THRESHOLD, shared, NOT_LEARNED).astype(np.int8)


REDUCTIONS = ("paper", "best")  # drop the worst and average the rest / keep only the lowest-loss model


def kept_seeds(losses: np.ndarray, reduction: str = "paper") -> np.ndarray:
    """Boolean [S, ...] over the seed axis (0): which models a cell's summary uses.

    "paper": every seed except the one with the highest loss (non-finite counts as worst); with a
    single seed there is nothing to drop. "best": only the lowest-loss seed.
    """
    losses = np.asarray(losses, dtype=np.float64)
    finite = np.where(np.isfinite(losses), losses, np.inf)
    seeds = np.arange(losses.shape[0]).reshape((-1,) + (1,) * (losses.ndim - 1))
    if reduction == "best":
        return seeds == np.argmin(finite, axis=0)[None]
    if reduction != "paper":
        raise ValueError(f"reduction must be one of {REDUCTIONS}, got {reduction!r}")
    if losses.shape[0] == 1:
        return np.ones(losses.shape, dtype=bool)
    return seeds != np.argmax(finite, axis=0)[None]


def reduce_seeds(values: np.ndarray, losses: np.ndarray, reduction: str = "paper") -> np.ndarray:
    """Average ``values`` over the kept seeds (axis 0); "paper" = drop the worst, average the rest."""
    values = np.asarray(values, dtype=np.float64)
    keep = kept_seeds(losses, reduction)
    keep = keep.reshape(keep.shape + (1,) * (values.ndim - keep.ndim))
    return np.where(keep, values, 0.0).sum(axis=0) / keep.sum(axis=0)


@dataclass(frozen=True)
class PhaseDiagram:
    """An empirical diagram: per cell [R, P] the reduced norm and superposition of the extra feature."""

    ratios: np.ndarray
    densities: np.ndarray
    norm: np.ndarray  # mean over kept seeds
    superposition: np.ndarray  # mean over kept seeds
    phase: np.ndarray  # int8 codes, from the means
    agreement: np.ndarray  # share of kept seeds whose own phase equals the cell's phase


def empirical_diagram(grid: PhaseGrid, W: np.ndarray, losses: np.ndarray, reduction: str = "paper") -> PhaseDiagram:
    """Reduce a trained grid (W [S*R*P, n, m] or [S, R, P, n, m]; losses likewise) to a diagram."""
    s, nr, npp = grid.shape
    W = np.asarray(W, dtype=np.float64).reshape(s, nr, npp, grid.n_features, -1)
    losses = np.asarray(losses, dtype=np.float64).reshape(s, nr, npp)
    norm, sup = extra_feature_stats(W)
    mean_norm, mean_sup = reduce_seeds(norm, losses, reduction), reduce_seeds(sup, losses, reduction)
    phase = classify(mean_norm, mean_sup)
    own = classify(norm, sup)
    keep = kept_seeds(losses, reduction)
    agreement = ((own == phase[None]) & keep).sum(axis=0) / keep.sum(axis=0)
    return PhaseDiagram(np.asarray(grid.ratios), np.asarray(grid.densities), mean_norm, mean_sup, phase, agreement)


def seed_table(W: np.ndarray, losses: np.ndarray, reduction: str = "paper") -> dict[str, np.ndarray]:
    """One cell's seeds (W [S, n, m], losses [S]): loss, ||W_extra||, its superposition, own phase, kept?"""
    norm, sup = extra_feature_stats(W)
    return {
        "seed": np.arange(len(losses)),
        "loss": np.asarray(losses, dtype=np.float64),
        "norm of extra": norm,
        "superposition of extra": sup,
        "phase": np.array(PHASES)[classify(norm, sup)],
        "kept": kept_seeds(losses, reduction),
    }


# ---- theory ------------------------------------------------------------------------------------


def theory_phase_n3m2(r: np.ndarray | float, s: np.ndarray | float) -> np.ndarray:
    """Cheapest candidate for n = 3, m = 2 (features 0 and 1 importance 1, the extra one importance r).

    Candidates built from the same closed forms as n = 2, m = 1 (unit directions, antipodal pairs
    with b = 0, dropped features predicting their mean):
      extra dropped, the other two orthogonal:           r (s/3 - s^2/4)
      one unit feature dropped, extra gets a direction:    (s/3 - s^2/4)
      extra antipodal to a unit feature, third orthogonal: (1 + r) s^2 / 6
      the unit features antipodal, extra orthogonal:       2 s^2 / 6
    Returns a str array of theory.PHASES labels. For r >= 1 the extra feature always gets its own
    direction; for r < 1 the boundary is the n = 2, m = 1 one, s = 4r / (2 + 5r).
    """
    r, s = np.broadcast_arrays(np.asarray(r, dtype=np.float64), np.asarray(s, dtype=np.float64))
    costs = np.stack(
        [
            theory.drop_cost(r, s),
            theory.drop_cost(1.0, s),
            theory.antipodal_cost(1.0, r, s),
            theory.antipodal_cost(1.0, 1.0, s),
        ]
    )
    labels = np.array([PHASES[NOT_LEARNED], PHASES[DEDICATED], PHASES[SUPERPOSITION], PHASES[DEDICATED]])
    return labels[np.argmin(costs, axis=0)]


def theory_codes(n_features: int, r: np.ndarray | float, s: np.ndarray | float) -> np.ndarray:
    """Theory phase codes (int8) for the n = 2 or n = 3 diagram."""
    if n_features == 2:
        labels = theory.theory_phase_n2m1(r, s)
    elif n_features == 3:
        labels = theory_phase_n3m2(r, s)
    else:
        raise ValueError(f"no theory for n_features={n_features}")
    return _codes(labels)


def _codes(labels: np.ndarray) -> np.ndarray:
    """Phase names to int8 codes (indices into PHASES)."""
    out = np.zeros(np.shape(labels), dtype=np.int8)
    for code, name in enumerate(PHASES):
        out[np.asarray(labels) == name] = code
    return out


def theory_boundaries(n_features: int, ratios: np.ndarray | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """The theoretical phase boundaries as polylines [(r, p), ...] on the diagram's ranges.

    n = 2: the curve p = phase_boundary_n2m1(r), plus the line r = 1 above it (where "not learned"
    meets "dedicated"). n = 3: the same curve for r <= 1 and the whole line r = 1.
    """
    r = np.asarray(ratios if ratios is not None else 10.0 ** np.linspace(-1.1, 1.1, 221), dtype=np.float64)
    top, bottom = 2.0, 0.005  # beyond the diagrams' edges: charts clip the lines at their borders
    knee = float(theory.phase_boundary_n2m1(1.0))
    if n_features == 2:
        return [(r, theory.phase_boundary_n2m1(r)), (np.array([1.0, 1.0]), np.array([knee, top]))]
    if n_features == 3:
        left = r[r <= 1.0]
        return [(left, theory.phase_boundary_n2m1(left)), (np.array([1.0, 1.0]), np.array([bottom, top]))]
    raise ValueError(f"no theory for n_features={n_features}")


# ---- precomputed assets --------------------------------------------------------------------------


def grid_from_config(config: dict) -> PhaseGrid:
    """The PhaseGrid of an asset: its cells are builder parameters, n comes from the stored ToyConfig."""
    return PhaseGrid(
        int(config["toy_config"]["n_features"]),
        np.asarray(config["ratios"], dtype=np.float64),
        np.asarray(config["densities"], dtype=np.float64),
        int(config["seeds_per_cell"]),
    )


def _asset_params(grid: PhaseGrid) -> dict:
    return {
        "ratios": [float(x) for x in grid.ratios],
        "densities": [float(x) for x in grid.densities],
        "seeds_per_cell": grid.seeds_per_cell,
        "layout": "instances are [seed, r, p]; W [S, R, P, n, m] float16, b [S, R, P, n] float16, loss [S, R, P]",
    }


def build_phase_asset(config: dict) -> dict[str, np.ndarray]:
    """Train every cell and seed of the diagram; keep the weights (small: n <= 3) and each seed's loss."""
    grid = grid_from_config(config)
    result = train(ToyConfig.from_dict(config["toy_config"]), threads=2)
    s, nr, npp = grid.shape
    n, m = grid.n_features, grid.n_hidden
    return {
        "W": result.W.reshape(s, nr, npp, n, m).astype(np.float16),
        "b": result.b.reshape(s, nr, npp, n).astype(np.float16),
        "loss": result.loss.reshape(s, nr, npp).astype(np.float32),
    }


ASSET_NAMES = {2: "phase_n2_m1", 3: "phase_n3_m2"}
ASSET_VERSION = 1

BUILDERS = {
    ASSET_NAMES[n]: AssetBuilder(
        version=ASSET_VERSION,
        toy_config=asset_run(n),
        params=_asset_params(asset_grid(n)),
        build=build_phase_asset,
        about=f"phase diagram n={n}, m={SETTINGS[n]}: 20 x 20 cells (r 0.1-10, p 1-0.01) x 10 seeds, 10k steps",
    )
    for n in SETTINGS
}
