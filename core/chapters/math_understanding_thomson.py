"""The paper's link between toy models and the Thomson problem: unit vectors that repel each other.

Fix every feature's importance and length to 1 and every bias to 0: the toy model's 1-sparse loss L_1 is then
an energy of the feature directions alone (``interference_energy``), and minimising it is a Thomson-style
problem. ``thomson`` solves it numerically; ``compare_with_thomson`` sets a trained model's stored directions
beside the solution with as many points. Weights use the [..., n_features, n_hidden] layout of ``core.analysis``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import analysis


def _f(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


ENERGIES = ("interference", "coulomb")


def _unit(U: np.ndarray) -> np.ndarray:
    return U / np.linalg.norm(U, axis=-1, keepdims=True)


def interference_energy(U: np.ndarray) -> np.ndarray:
    """sum_{i != j} ReLU(U_i . U_j)^2 / 3 for unit vectors U [..., k, d].

    It is exactly the toy model's 1-sparse loss L_1 when importance is 1, every ||W_i|| = 1 and b = 0:
    feature benefit is then 0 and each ordered pair leaks integral_0^1 ReLU(cos x)^2 dx = ReLU(cos)^2 / 3.
    """
    c = analysis.gram(U)
    off = 1.0 - np.eye(c.shape[-1])
    return (np.maximum(c, 0.0) ** 2 * off).sum(axis=(-2, -1)) / 3


def coulomb_energy(U: np.ndarray) -> np.ndarray:
    """sum_{i < j} 1 / |U_i - U_j|: J. J. Thomson's electrons on a sphere."""
    c = np.clip(analysis.gram(U), -1.0, 1.0 - 1e-12)
    k = c.shape[-1]
    rows, cols = np.triu_indices(k, 1)
    return (1.0 / np.sqrt(2.0 - 2.0 * c[..., rows, cols])).sum(axis=-1)


def _energy_grad(U: np.ndarray, energy: str) -> np.ndarray:
    c = analysis.gram(U)
    off = 1.0 - np.eye(c.shape[-1])
    if energy == "interference":
        weight = 4.0 / 3.0 * np.maximum(c, 0.0) * off
    else:
        weight = (2.0 - 2.0 * np.clip(c, -1.0, 1.0 - 1e-6)) ** -1.5 * off
    return weight @ U


@dataclass(frozen=True)
class ThomsonSolution:
    """The best of several gradient-descent runs: U [k, d] unit vectors and its energy."""

    U: np.ndarray
    energy: float
    kind: str


def thomson(k: int, d: int, energy: str = "interference", restarts: int = 12, steps: int = 1500, seed: int = 0):
    """Place k unit vectors in d dimensions to minimise ``energy`` (projected gradient descent, best restart)."""
    if energy not in ENERGIES:
        raise ValueError(f"energy must be one of {ENERGIES}, got {energy!r}")
    if k < 1 or d < 1:
        raise ValueError("need k >= 1 points in d >= 1 dimensions")
    rng = np.random.default_rng(seed)
    U = _unit(rng.normal(size=(restarts, k, d)))
    for step in range(steps):
        g = _energy_grad(U, energy)
        g = g - (g * U).sum(axis=-1, keepdims=True) * U  # move along the sphere only
        size = np.linalg.norm(g, axis=-1, keepdims=True).max(axis=-2, keepdims=True)
        lr = 0.1 * (1.0 - step / steps) + 0.002
        U = _unit(U - lr * g / np.maximum(size, 1.0))
    values = interference_energy(U) if energy == "interference" else coulomb_energy(U)
    best = int(np.argmin(values))
    return ThomsonSolution(U[best], float(values[best]), energy)


def angle_spectrum(U: np.ndarray) -> np.ndarray:
    """Every pairwise angle between the rows of U, in degrees, sorted: a rotation- and order-free fingerprint."""
    c = np.clip(analysis.gram(_unit(_f(U))), -1.0, 1.0)
    rows, cols = np.triu_indices(c.shape[0], 1)
    return np.sort(np.degrees(np.arccos(c[rows, cols])))


def align_2d(U: np.ndarray, target: np.ndarray) -> np.ndarray:
    """U [k, 2] rotated (and reflected if that fits better) to lie closest to ``target`` [k', 2], for drawing.

    Tries every rotation that sends U_0 onto a target direction, with and without a mirror, and keeps the
    one with the smallest summed distance from each rotated point to its nearest target point.
    """
    U, target = _f(U), _unit(_f(target)) if len(target) else _f(target)
    if U.shape[1] != 2 or not len(U) or not len(target):
        return U
    best, best_cost = U, np.inf
    for mirror in (False, True):
        V = U * [1.0, -1.0] if mirror else U
        start = np.arctan2(V[0, 1], V[0, 0])
        for t in target:
            a = np.arctan2(t[1], t[0]) - start
            R = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
            cand = V @ R.T
            cost = np.linalg.norm(cand[:, None, :] - target[None], axis=-1).min(axis=1).sum()
            if cost < best_cost:
                best, best_cost = cand, cost
    return best


@dataclass(frozen=True)
class ThomsonComparison:
    """A trained model's represented directions against the Thomson solution with as many points."""

    directions: np.ndarray  # [k, d] unit vectors of the represented features
    features: np.ndarray  # [k] their indices
    solution: ThomsonSolution
    model_angles: np.ndarray
    thomson_angles: np.ndarray

    @property
    def max_angle_gap(self) -> float:
        """Largest difference between matching sorted pairwise angles, in degrees (0 = same shape)."""
        if self.model_angles.size == 0:
            return 0.0
        return float(np.abs(self.model_angles - self.thomson_angles).max())

    @property
    def model_energy(self) -> float:
        return float(interference_energy(self.directions))


def compare_with_thomson(W_k: np.ndarray, threshold: float = 0.5, **kwargs) -> ThomsonComparison:
    """Normalise the features a model stores (||W_i|| > threshold) and compare their shape with Thomson's."""
    W = _f(W_k)
    keep = np.flatnonzero(analysis.feature_norms(W) > threshold)
    directions = _unit(W[keep]) if keep.size else np.zeros((0, W.shape[1]))
    solution = thomson(max(keep.size, 1), W.shape[1], **kwargs)
    return ThomsonComparison(
        directions, keep, solution, angle_spectrum(directions), angle_spectrum(solution.U[: keep.size])
    )


def cosine_matrix(U: np.ndarray) -> np.ndarray:
    """cos(angle) between every two rows of U [k, d] (rows need not be unit length), [k, k]."""
    return analysis.gram(_unit(_f(U)))


def angle_counts(angles: np.ndarray, decimals: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise angles rounded to ``decimals`` and grouped: (distinct values, how many pairs share each).

    Regular shapes have few distinct angles (a pentagon: 5 pairs at 72 and 5 at 144 degrees), so the
    counts say at a glance which shape a set of directions makes.
    """
    return np.unique(np.round(_f(angles), decimals), return_counts=True)
