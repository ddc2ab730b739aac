"""Why the phase changes are first-order: each candidate arrangement has its own loss curve, and the
optimum switches where two curves cross at different slopes.

Two settings:

- n = 2, m = 1 (the phase diagram): closed forms from ``core.theory`` for the three candidates (drop
  the extra feature, drop the ordinary one, antipodal pair), per density at a fixed importance r.
- n = 5, m = 2, I = 1 (non-uniform superposition): feature 0's density is ``ratio`` x the others' (0.05).
  The candidates are a pentagon (allowed to distort) and two antipodal pairs with feature 0 dropped.
  Neither has a closed form, so each is optimised against a stratified Monte-Carlo estimate of the
  expected loss (exact weight for every set of active features, uniform values sampled inside it),
  which also gives a standard error.

Losses here use the app's convention (importance-weighted squared error averaged over features), so
they sit on the same scale as a trained model's loss; the paper's sum over features is n times this.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq, minimize

from core import theory

CANDIDATES_N2M1 = ("drop the extra feature", "drop the ordinary feature", "antipodal pair")


def candidate_losses_n2m1(r: float, s: np.ndarray | float) -> dict[str, np.ndarray]:
    """Loss (mean over the 2 features) of each n = 2, m = 1 candidate at importance r, density s."""
    return {
        CANDIDATES_N2M1[0]: theory.drop_cost(r, s) / 2,
        CANDIDATES_N2M1[1]: theory.drop_cost(1.0, s) / 2,
        CANDIDATES_N2M1[2]: theory.antipodal_cost(1.0, r, s) / 2,
    }


def optimal_loss_n2m1(r: float, s: np.ndarray | float) -> np.ndarray:
    """The lowest candidate loss: the envelope whose kink is the phase change."""
    return np.min(np.stack(list(candidate_losses_n2m1(r, s).values())), axis=0)


def crossover_n2m1(r: float) -> float:
    """Density where the antipodal pair's curve crosses the cheaper drop's curve (found by root search)."""

    def gap(s: float) -> float:
        c = candidate_losses_n2m1(r, s)
        return float(c[CANDIDATES_N2M1[2]] - min(c[CANDIDATES_N2M1[0]], c[CANDIDATES_N2M1[1]]))

    return float(brentq(gap, 1e-6, 1.0))


def slopes_at_crossover_n2m1(r: float) -> tuple[float, float]:
    """d(loss)/ds of the pair and of the cheaper drop at the crossover: unequal, so the optimum has a kink."""
    s = crossover_n2m1(r)
    w = min(r, 1.0)
    drop = w * (1 / 3 - s / 2) / 2  # d/ds of w (s/3 - s^2/4) / 2
    pair = (1 + r) * s / 6  # d/ds of (1 + r) s^2 / 12
    return pair, drop


# ---- pentagon versus two digons (n = 5, m = 2) -------------------------------------------------

BASE_DENSITY = 0.05
N, M = 5, 2


@dataclass(frozen=True)
class Sample:
    """A stratified sample: inputs X [K, n] with weights w [K] that sum to 1 (exact set probabilities)."""

    X: np.ndarray
    w: np.ndarray
    stratum: np.ndarray  # [K] index of the active set each row belongs to
    set_probability: np.ndarray  # [2^n]


def stratified_sample(p: np.ndarray, per_set: int, seed: int) -> Sample:
    """One row for the empty set, ``per_set`` rows for every non-empty set of active features.

    Sets with one or two active features (over 99.9% of the probability at p = 0.05) use a midpoint grid,
    so they add no sampling noise; sets with three or more are sampled at random and carry the standard error.
    """
    p = np.asarray(p, dtype=np.float64)
    n = p.size
    rng = np.random.default_rng(seed)
    sets = np.array(list(itertools.product([0, 1], repeat=n)), dtype=bool)
    prob = np.prod(np.where(sets, p, 1 - p), axis=1)
    rows, weights, strata = [], [], []
    for k, active in enumerate(sets):
        values = _grid_values(int(active.sum()), per_set, n, active)
        if values is None:
            values = rng.uniform(size=(per_set, n))
        count = len(values)
        rows.append(values * active)
        weights.append(np.full(count, prob[k] / count))
        strata.append(np.full(count, k))
    return Sample(np.concatenate(rows), np.concatenate(weights), np.concatenate(strata), prob)


def _grid_values(k: int, per_set: int, n: int, active: np.ndarray) -> np.ndarray | None:
    """A midpoint grid over the active values for sets of 0, 1 or 2 active features (None for more)."""
    if k == 0:
        return np.zeros((1, n))
    if k > 2:
        return None
    g = per_set if k == 1 else max(int(round(np.sqrt(per_set))), 2)
    ticks = (np.arange(g) + 0.5) / g
    values = np.zeros((g**k, n))
    values[:, active] = np.stack(np.meshgrid(*[ticks] * k, indexing="ij"), axis=-1).reshape(-1, k)
    return values


def _loss_grad(params: np.ndarray, sample: Sample) -> tuple[float, np.ndarray]:
    W, b = params[: N * M].reshape(N, M), params[N * M :]
    X, w = sample.X, sample.w
    z = X @ W @ W.T + b
    err = np.maximum(z, 0.0) - X
    loss = float(w @ (err**2).sum(axis=1)) / N
    g = 2 * err * (z > 0) * w[:, None] / N  # dL/dz
    dM = X.T @ g
    dW = (dM + dM.T) @ W
    return loss, np.concatenate([dW.ravel(), g.sum(axis=0)])


def row_losses(W: np.ndarray, b: np.ndarray, X: np.ndarray) -> np.ndarray:
    return ((np.maximum(X @ W @ W.T + b, 0.0) - X) ** 2).sum(axis=1) / N


def _random_set(k: int, sample: Sample) -> bool:
    return bin(int(k)).count("1") > 2  # the strata are itertools.product order: k's bits are its active set


def stratified_error(per_row: np.ndarray, sample: Sample) -> float:
    """Standard error of the weighted mean of ``per_row``: sqrt(sum_k P_k^2 var_k / K_k) over the strata."""
    var = 0.0
    for k in np.unique(sample.stratum):
        rows = per_row[sample.stratum == k]
        if rows.size > 1 and _random_set(k, sample):
            var += sample.set_probability[k] ** 2 * rows.var(ddof=1) / rows.size
    return float(np.sqrt(var))


def loss_and_error(W: np.ndarray, b: np.ndarray, sample: Sample) -> tuple[float, float]:
    """Expected loss and its Monte-Carlo standard error."""
    per_row = row_losses(W, b, sample.X)
    return float(sample.w @ per_row), stratified_error(per_row, sample)


def pentagon_start() -> np.ndarray:
    angles = 2 * np.pi * np.arange(N) / N
    W = 1.05 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return np.concatenate([W.ravel(), np.full(N, -0.05)])


def digons_start() -> np.ndarray:
    """Feature 0 dropped (zero weights, bias at its mean), features 1-2 and 3-4 antipodal on the two axes."""
    W = np.array([[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1]], dtype=np.float64)
    return np.concatenate([W.ravel(), [0.0, 0.0, 0.0, 0.0, 0.0]])


@dataclass(frozen=True)
class Candidate:
    name: str
    W: np.ndarray
    b: np.ndarray
    loss: float
    standard_error: float


def optimise(start: np.ndarray, sample: Sample, name: str) -> Candidate:
    """Descend from ``start`` to the nearest local optimum of the sampled loss (the candidate's best form)."""
    fixed_zero = name == "two digons"  # feature 0 stays dropped: its weights are held at 0
    x0 = start.copy()

    def fun(x: np.ndarray) -> tuple[float, np.ndarray]:
        if fixed_zero:
            x = x.copy()
            x[:M] = 0.0
        loss, grad = _loss_grad(x, sample)
        if fixed_zero:
            grad[:M] = 0.0
        return loss, grad

    res = minimize(fun, x0, jac=True, method="L-BFGS-B", options={"maxiter": 400, "gtol": 1e-10})
    x = res.x.copy()
    if fixed_zero:
        x[:M] = 0.0
    W, b = x[: N * M].reshape(N, M), x[N * M :]
    loss, se = loss_and_error(W, b, sample)
    return Candidate(name, W, b, loss, se)


def densities(ratio: float, base: float = BASE_DENSITY) -> np.ndarray:
    p = np.full(N, base)
    p[0] = min(base * ratio, 1.0)
    return p


PER_SET = 500  # rows per non-empty set of active features (31 sets): grid points for 1 or 2 active, draws beyond
PAGE_PER_SET = 150  # the page's lighter setting: ~1 s per ratio, crossing within 0.003 of PER_SET's (seeds 0-2)


@dataclass(frozen=True)
class Comparison:
    ratio: float
    pentagon: Candidate
    digons: Candidate
    difference: float  # pentagon loss - digons loss (negative: the pentagon wins)
    difference_error: float  # paired standard error (same sample for both)


def pentagon_vs_digons(ratio: float, per_set: int = PER_SET, seed: int = 0) -> Comparison:
    """Both candidates optimised on the same sample (common random numbers make the difference precise)."""
    sample = stratified_sample(densities(ratio), per_set, seed)
    pen = optimise(pentagon_start(), sample, "pentagon")
    dig = optimise(digons_start(), sample, "two digons")
    diff_rows = row_losses(pen.W, pen.b, sample.X) - row_losses(dig.W, dig.b, sample.X)
    return Comparison(float(ratio), pen, dig, pen.loss - dig.loss, stratified_error(diff_rows, sample))


def crossing(comparisons: list[Comparison]) -> float | None:
    """Ratio where the loss difference changes sign (linear interpolation in log ratio), None if it does not."""
    for a, b in itertools.pairwise(sorted(comparisons, key=lambda c: c.ratio)):
        if a.difference > 0 >= b.difference:
            t = a.difference / (a.difference - b.difference)
            return float(np.exp(np.log(a.ratio) + t * (np.log(b.ratio) - np.log(a.ratio))))
    return None


PENTAGON_RATIOS = tuple(float(x) for x in np.round(10 ** np.linspace(-1, 0, 11), 3))


# ---- trained n = 2, m = 1 models on the candidate curves ---------------------------------------


def expected_loss(W: np.ndarray, b: np.ndarray, p: float, importance: np.ndarray, grid: int = 400) -> float:
    """A model's exact expected loss (midpoint rule over every set of active features; n <= 2).

    A trained model's recorded loss is one noisy batch estimate, and the best of ten such estimates is
    biased low, so the dots on the curves are recomputed from the weights instead.
    """
    W, b = np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)
    n = W.shape[0]
    if n > 2:
        raise ValueError("exact integration is for n <= 2")
    sample = stratified_sample(np.full(n, p), grid, seed=0)
    err = np.maximum(sample.X @ W @ W.T + b, 0.0) - sample.X
    return float(sample.w @ (err**2 @ np.asarray(importance, dtype=np.float64))) / n


def trained_points_n2m1(W: np.ndarray, b: np.ndarray, r: float, densities: np.ndarray) -> np.ndarray:
    """Expected loss [S, P] of every seed's model (W [S, P, 2, 1], b [S, P, 2]) at importance r."""
    importance = np.array([1.0, r])
    out = np.empty(W.shape[:2])
    for s_i, p_i in np.ndindex(*out.shape):
        out[s_i, p_i] = expected_loss(W[s_i, p_i], b[s_i, p_i], float(densities[p_i]), importance, grid=200)
    return out
