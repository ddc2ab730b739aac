"""Closed-form results from the paper, so the app can put "what theory says" next to training.

Data model throughout: features are independent; x_i = 0 with probability 1 - p, else U[0, 1].
So E[x_i] = p/2, E[x_i^2] = p/3 and Var(x_i) = p/3 - p^2/4. Losses use the project's
convention (mean over features of I_i (x_i - x'_i)^2) unless a docstring says "sum".
Weights use the [..., n_features, n_hidden] layout of ``core.analysis``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.analysis import gram

PHASES = ("not learned", "superposition", "dedicated")


def _f(x: np.ndarray | float) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def feature_variance(p: np.ndarray | float) -> np.ndarray:
    """Var(x_i) = p/3 - p^2/4: the loss of dropping a feature and predicting its mean instead."""
    p = _f(p)
    return p / 3 - p**2 / 4


def untrained_loss(p: np.ndarray | float, importance: np.ndarray) -> np.ndarray:
    """mean_i I_i p/3: the loss of outputting 0, a baseline every trained model should beat."""
    imp, p = np.broadcast_arrays(_f(importance), _f(p))
    return (imp * p / 3).mean(axis=-1)


def linear_optimal_loss(p: np.ndarray | float, importance: np.ndarray, m: int) -> np.ndarray:
    """Best loss of the linear model x' = W^T W x + b with m hidden dimensions.

    It keeps m features exactly and predicts the mean (b = p/2) for the rest, so the loss is
    (1/n) sum over dropped features of I_i (p/3 - p^2/4). The kept ones are those with the largest
    I_i Var(x_i) (Eckart-Young), which is simply the top-m importances when p is shared.
    ``p`` broadcasts against ``importance`` [..., n]; the result is [...].
    """
    imp, p = np.broadcast_arrays(_f(importance), _f(p))
    n = imp.shape[-1]
    score = np.sort(imp * feature_variance(p), axis=-1)
    return score[..., : max(n - int(m), 0)].sum(axis=-1) / n


def dense_relu_loss(importance: np.ndarray, m: int) -> np.ndarray:
    """Dense (p = 1) optimum of the ReLU-output model: same as linear, (1/n) sum_dropped I_i / 12.

    With every feature always present, interference is never cheap, so ReLU models behave like PCA.
    """
    return linear_optimal_loss(1.0, importance, m)


def phase_boundary_n2m1(r: np.ndarray | float) -> np.ndarray:
    """Density below which the extra feature (importance r; the other has 1) goes into superposition.

    4r/(2+5r) for r <= 1 and 4/(5+2r) for r >= 1: both come from equating the antipodal-pair
    cost with the cost of dropping the less important feature. Symmetric in log r.
    """
    r = _f(r)
    return np.where(r <= 1, 4 * r / (2 + 5 * r), 4 / (5 + 2 * r))


def drop_cost(w: np.ndarray | float, s: np.ndarray | float) -> np.ndarray:
    """Summed loss of dropping a feature of importance w at density s (its bias is s/2)."""
    return _f(w) * feature_variance(s)


def antipodal_cost(w1: np.ndarray | float, w2: np.ndarray | float, s: np.ndarray | float) -> np.ndarray:
    """Summed loss of an antipodal pair (W = [1, -1], b = 0): error only when both fire, E[min^2] = 1/6."""
    return (_f(w1) + _f(w2)) * _f(s) ** 2 / 6


def theory_phase_n2m1(r: np.ndarray | float, s: np.ndarray | float) -> np.ndarray:
    """Which of the three candidate solutions is cheapest for n = 2, m = 1, per (r, s).

    "superposition" if the antipodal pair is strictly cheapest; otherwise the more important
    feature takes the dimension, so the extra feature is "not learned" (r < 1) or "dedicated" (r >= 1;
    at r = 1 the features are interchangeable and we call it dedicated). Returns a str array.
    """
    r, s = np.broadcast_arrays(_f(r), _f(s))
    pair = antipodal_cost(1.0, r, s)
    best_drop = np.minimum(drop_cost(r, s), drop_cost(1.0, s))
    labels = np.where(r < 1, PHASES[0], PHASES[2])
    return np.where(pair < best_drop, PHASES[1], labels)


def linear_expected_loss(
    W: np.ndarray, b: np.ndarray, p: np.ndarray | float, importance: np.ndarray | float
) -> np.ndarray:
    """Exact expected loss of the linear model x' = W^T W x + b, [...] per instance.

    With A = 1 - W^T W, feature i's error is sum_j A_ij x_j - b_i, whose mean square is
    sum_j A_ij^2 Var(x_j) + (sum_j A_ij E[x_j] - b_i)^2 because the x_j are independent.
    ``p`` and ``importance`` broadcast to [..., n].
    """
    W = _f(W)
    n = W.shape[-2]
    a = np.eye(n) - gram(W)
    shape = W.shape[:-2] + (n,)
    p = np.broadcast_to(_f(p), shape)
    imp = np.broadcast_to(_f(importance), shape)
    var = np.einsum("...ij,...j->...i", a**2, feature_variance(p))
    bias_err = np.einsum("...ij,...j->...i", a, p / 2) - _f(b)
    return (imp * (var + bias_err**2)).mean(axis=-1)


def relu_sq_integral(a: np.ndarray | float, c: np.ndarray | float) -> np.ndarray:
    """Integral over x in [0, 1] of ReLU(a x + c)^2, exactly.

    Equals (ReLU(a + c)^3 - ReLU(c)^3) / (3a); written without the division when both ends are
    positive ((P^2 + PQ + Q^2)/3) so a -> 0 is stable.
    """
    a, c = np.broadcast_arrays(_f(a), _f(c))
    hi, lo = np.maximum(a + c, 0.0), np.maximum(c, 0.0)
    both = (hi > 0) & (lo > 0)
    safe_a = np.where(np.abs(a) > 0, np.abs(a), 1.0)
    one_end = (hi**3 + lo**3) / (3 * safe_a)  # exactly one of hi, lo is non-zero here
    return np.where(both, (hi**2 + hi * lo + lo**2) / 3, np.where((hi > 0) | (lo > 0), one_end, 0.0))


def _quad_integral(u: np.ndarray, w: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Integral of (u x + w)^2 over [lo, hi], expanded to avoid dividing by u."""
    return u**2 * (hi**3 - lo**3) / 3 + u * w * (hi**2 - lo**2) + w**2 * (hi - lo)


def _benefit_integral(alpha: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Integral over [0, 1] of (x - ReLU(alpha x + b))^2 for alpha >= 0.

    The ReLU is active on [lo, 1] with lo = clip(-b/alpha, 0, 1); below lo the output is 0 so the error is x.
    """
    safe = np.where(alpha > 0, alpha, 1.0)
    lo = np.where(alpha > 0, np.clip(-b / safe, 0.0, 1.0), np.where(b > 0, 0.0, 1.0))
    return lo**3 / 3 + _quad_integral(1.0 - alpha, -b, lo, np.ones_like(lo))


@dataclass(frozen=True)
class OneSparseTerms:
    """Per-active-feature pieces of the ReLU model's 1-sparse loss (summed over outputs), [..., n].

    feature_benefit[i] = I_i integral (x - ReLU(||W_i||^2 x + b_i))^2 dx (how badly i reconstructs itself);
    interference[i] = sum_{j != i} I_j integral ReLU((W_j . W_i) x + b_j)^2 dx (damage i does to others).
    Their sum is E[sum_j I_j (x_j - x'_j)^2 | only feature i is active].
    """

    feature_benefit: np.ndarray
    interference: np.ndarray

    @property
    def total(self) -> np.ndarray:
        return self.feature_benefit + self.interference


def one_sparse_terms(W: np.ndarray, b: np.ndarray, importance: np.ndarray | float) -> OneSparseTerms:
    """The 1-sparse loss of x' = ReLU(W^T W x + b) split into benefit and interference, in closed form.

    This term dominates at high sparsity, which is why the paper uses it to explain the geometry:
    ReLU makes negative interference free and a negative bias turns small positive interference negative.
    """
    W, b = _f(W), _f(b)
    g = gram(W)
    n = g.shape[-1]
    imp = np.broadcast_to(_f(importance), W.shape[:-2] + (n,))
    diag = np.diagonal(g, axis1=-2, axis2=-1)
    benefit = imp * _benefit_integral(diag, b)
    # cell [i, j]: feature i active (value x), output j receives (W_j . W_i) x + b_j
    per_pair = imp[..., None, :] * relu_sq_integral(g, b[..., None, :])
    interference = (per_pair * (1.0 - np.eye(n))).sum(axis=-1)
    return OneSparseTerms(benefit, interference)


def zero_sparse_term(b: np.ndarray, importance: np.ndarray | float) -> np.ndarray:
    """sum_i I_i ReLU(b_i)^2: the loss when no feature fires, a penalty on positive biases."""
    b = _f(b)
    return (_f(importance) * np.maximum(b, 0.0) ** 2).sum(axis=-1)


def linear_loss_split(W: np.ndarray, importance: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """(feature benefit, interference) of the linear model, each [...], summed over features.

    benefit = sum_i I_i (1 - ||W_i||^2)^2, interference = sum_{i != j} I_j (W_j . W_i)^2.
    This is the paper's form: b = 0 and features with E[x_i x_j] = delta_ij (unit second moment,
    uncorrelated), so it is not our uniform-data loss; its point is that superposition (non-zero
    W_j . W_i) only ever adds loss in a linear model.
    """
    g = gram(W)
    n = g.shape[-1]
    imp = np.broadcast_to(_f(importance), g.shape[:-1])
    diag = np.diagonal(g, axis1=-2, axis2=-1)
    benefit = (imp * (1.0 - diag) ** 2).sum(axis=-1)
    interference = (imp[..., None, :] * g**2 * (1.0 - np.eye(n))).sum(axis=(-2, -1))
    return benefit, interference
