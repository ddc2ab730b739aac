"""Be the optimiser: the expected loss of a hand-built 5-in-2 model, at any feature density.

The learner places each feature's direction W_i (angle, length) and bias b_i by hand; this module
says what that model would lose, in the app's training units: the importance-weighted squared error
of x' = ReLU(Wᵀ W x + b), averaged over features (``core.models.loss_per_instance``).

How the expectation is computed (and why it is mostly exact). Feature i's error depends on x_i and
on the interference s_i = Σ_{j≠i} (W_i·W_j) x_j. Given s_i, the average over x_i has a closed form:
(1 − p) ReLU(s_i + b_i)² when x_i = 0, plus p ∫₀¹ (x − ReLU(||W_i||² x + s_i + b_i))² dx when it
fires (``core.theory``'s integrals). Which of the other features fire is summed over exactly (all
2^(n−1) patterns with their probabilities). Only the *values* of the other active features are
sampled: a seeded Monte-Carlo over uniform draws, shared by every pattern. So the 0- and 1-sparse
parts (no other feature firing) are exact, a pattern whose active features do not interfere with i
(W_i·W_j = 0) is exact, and the standard error reported is that of the remaining part, computed
from the per-draw totals (the draws are shared, so their covariances are included).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from core.theory import _benefit_integral, relu_sq_integral

N_FEATURES = 5
DRAWS = 20_000  # uniform draws of the other features' values: SE about 0.2% of a pentagon's loss at p = 0.3 to 1, less when sparser


@dataclass(frozen=True)
class Expected:
    """A hand-built model's expected loss, its Monte-Carlo standard error, and a plain-words problem, if any."""

    loss: float
    standard_error: float
    per_feature: np.ndarray  # I_i E[(x_i - x'_i)^2], [n]; loss = per_feature.mean()
    problem: str = ""


def weights_from_polar(angles_deg, lengths) -> np.ndarray:
    """W [n, 2] from each feature's angle (degrees, anticlockwise from hidden dimension 1) and length."""
    a = np.radians(np.asarray(angles_deg, dtype=np.float64))
    r = np.asarray(lengths, dtype=np.float64)
    return np.stack([r * np.cos(a), r * np.sin(a)], axis=-1)


def polar_from_weights(W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(angles in degrees in [0, 360), lengths) of the rows of W [n, 2]: what the controls show."""
    W = np.asarray(W, dtype=np.float64)
    return np.degrees(np.arctan2(W[:, 1], W[:, 0])) % 360.0, np.linalg.norm(W, axis=1)


def pentagon(length: float = 1.0, bias: float = 0.0, n: int = N_FEATURES) -> tuple[np.ndarray, np.ndarray]:
    """A regular n-gon of directions (feature i at 360 i / n degrees), equal lengths and biases: (W, b)."""
    W = weights_from_polar(np.arange(n) * 360.0 / n, np.full(n, length))
    return W, np.full(n, float(bias))


def dense_solution(n: int = N_FEATURES) -> tuple[np.ndarray, np.ndarray]:
    """The dense optimum: features 0 and 1 on the axes with length 1, the rest dropped with bias ½ (their mean)."""
    W = np.zeros((n, 2))
    W[0, 0] = W[1, 1] = 1.0
    b = np.full(n, 0.5)
    b[:2] = 0.0
    return W, b


def _problem(W: np.ndarray, b: np.ndarray, p: float, importance: np.ndarray) -> str:
    if W.ndim != 2 or W.shape[1] != 2 or b.shape != (W.shape[0],) or importance.shape != b.shape:
        return f"need W [n, 2], b [n] and importance [n]; got {W.shape}, {b.shape}, {importance.shape}"
    if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
        return "every length, angle and bias must be a finite number"
    if not 0.0 < p <= 1.0:
        return f"the density p must be in (0, 1]; got {p}"
    return ""


def expected_loss(
    W: np.ndarray, b: np.ndarray, p: float, importance: np.ndarray, seed: int = 0, draws: int = DRAWS
) -> Expected:
    """E over the data of mean_i I_i (x_i − ReLU(Wᵀ W x + b)_i)², each feature firing with probability p.

    Bad input (wrong shapes, non-finite numbers, p outside (0, 1]) gives a NaN loss and a ``problem``
    saying what is wrong, so a page can show the sentence instead of a traceback. All lengths 0 is
    not bad input: it is the model that stores nothing, and its loss is what the biases alone achieve.
    """
    W, b = np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)
    importance = np.asarray(importance, dtype=np.float64)
    problem = _problem(W, b, float(p), importance)
    if problem:
        return Expected(float("nan"), float("nan"), np.full(b.shape, np.nan), problem)
    n = W.shape[0]
    G = W @ W.T
    values = np.random.default_rng(seed).random((draws, n))
    per_draw = np.zeros((draws, n))  # feature i's expected error given draw d, summed over patterns
    others = [[j for j in range(n) if j != i] for i in range(n)]
    for i in range(n):
        for pattern in itertools.product((0, 1), repeat=n - 1):
            active = [j for j, on in zip(others[i], pattern) if on]
            weight = p ** len(active) * (1.0 - p) ** (n - 1 - len(active))
            if weight == 0.0:
                continue
            c = values[:, active] @ G[i, active] + b[i] if active else np.full(draws, b[i])
            off = np.maximum(c, 0.0) ** 2
            on = _benefit_integral(np.full(draws, G[i, i]), c)
            per_draw[:, i] += weight * ((1.0 - p) * off + p * on)
    per_feature = importance * per_draw.mean(axis=0)
    totals = (per_draw * importance).mean(axis=1)
    se = float(totals.std(ddof=1) / np.sqrt(draws)) if draws > 1 else float("nan")
    return Expected(float(per_feature.mean()), se, per_feature)


def one_sparse_limit(W: np.ndarray, b: np.ndarray, p: float, importance: np.ndarray) -> float:
    """The loss from the 0- and 1-sparse inputs alone (every other feature silent), exact; a check on the above."""
    W, b = np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)
    G = W @ W.T
    n = W.shape[0]
    none = (1.0 - p) ** n * np.sum(importance * np.maximum(b, 0.0) ** 2)
    one = 0.0
    for i in range(n):
        benefit = importance[i] * _benefit_integral(np.array(G[i, i]), np.array(b[i]))
        leak = sum(importance[j] * relu_sq_integral(G[i, j], b[j]) for j in range(n) if j != i)
        one += p * (1.0 - p) ** (n - 1) * (benefit + leak)
    return float((none + one) / n)


REFERENCES = {
    "Regular pentagon (length 1.1, bias −0.1)": pentagon(1.1, -0.1),
    "Dense solution (top two on the axes)": dense_solution(),
}


def comparison(
    mine: Expected, p: float, importance: np.ndarray, trained: tuple[np.ndarray, np.ndarray] | None = None
) -> list[tuple[str, Expected]]:
    """(name, expected loss) of the learner's model, the two reference arrangements and, if given, the trained
    model, all scored the same way at density p (so the trained model is judged by the same yardstick)."""
    rows = [("Your model", mine)]
    rows += [(name, expected_loss(W, b, p, importance)) for name, (W, b) in REFERENCES.items()]
    if trained is not None:
        rows.append(("Trained model", expected_loss(*trained, p, importance)))
    return rows
