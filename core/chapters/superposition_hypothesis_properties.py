"""The superposition hypothesis, part 2: superposition as a property of W, and the paper's hierarchy of properties.

Each property implies the one before it (decomposable, then linear, then in superposition or not, then
basis-aligned), so the verdicts nest: a property under a "no" is not applicable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import analysis, registry
from core.chapters.features_as_directions import hidden_of

# --------------------------------------------------------------------------------------------
# Superposition as a property of W, and the hierarchy of properties
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GramCheck:
    """Is the Gram matrix W^T W of the represented features invertible?

    represented: indices with ||W_i|| > threshold; eigenvalues: of their Gram matrix, largest first;
    rank: eigenvalues above tol x the largest; in_superposition: rank < number represented.
    """

    represented: np.ndarray
    eigenvalues: np.ndarray
    rank: int
    m: int
    in_superposition: bool


def gram_check(W_k: np.ndarray, threshold: float = 0.5, tol: float = 1e-6) -> GramCheck:
    """The paper's criterion, on the features the model actually stores (a dropped feature is not superposed)."""
    W_k = np.asarray(W_k, dtype=np.float64)
    rep = np.flatnonzero(analysis.feature_norms(W_k) > threshold)
    ev = np.sort(np.linalg.eigvalsh(analysis.gram(W_k[rep])))[::-1] if rep.size else np.zeros(0)
    rank = int((ev > tol * ev.max()).sum()) if ev.size else 0
    return GramCheck(rep, ev, rank, W_k.shape[1], bool(rep.size >= 2 and rank < rep.size))


EXACT_TOL = 1e-9  # float64 rounding
APPROX_TOL = 0.05  # 5 % relative error
ALIGNED = 0.9  # mean largest-|weight| share for "basis-aligned" (same cut as a monosemantic neuron)
PARTLY_ALIGNED = 0.6


@dataclass(frozen=True)
class PropertyCheck:
    """One row of the checklist: verdict is "yes", "approximately", "partly", "no" or "not applicable"."""

    name: str
    verdict: str
    measure: float
    detail: str


def _verdict(err: float) -> str:
    return "yes" if err < EXACT_TOL else "approximately" if err < APPROX_TOL else "no"


def _diag_embed(x: np.ndarray) -> np.ndarray:
    """[batch, n] -> [batch, n, n] with x on each diagonal."""
    return x[:, :, None] * np.eye(x.shape[1])[None]


def decomposability_error(model: str, W_k: np.ndarray, x: np.ndarray) -> float:
    """||h(x) - sum_i h(x_i e_i)|| / ||h(x)|| over a batch: does each feature contribute on its own?"""
    x2 = np.asarray(x, dtype=np.float64).reshape(-1, np.asarray(W_k).shape[0])
    h = hidden_of(model, W_k, x2)
    singles = _diag_embed(x2)  # [batch, n, n]: row i is x_i e_i
    parts = hidden_of(model, W_k, singles.reshape(-1, x2.shape[1])).reshape(x2.shape[0], x2.shape[1], -1)
    denom = np.linalg.norm(h)
    return float(np.linalg.norm(h - parts.sum(axis=1)) / denom) if denom > 0 else 0.0


def linearity_error(model: str, W_k: np.ndarray, x: np.ndarray) -> float:
    """||h(x) - sum_i x_i h(e_i)|| / ||h(x)|| over a batch: is every feature a fixed direction, added up?

    This is the paper's linearity, h(x) = sum_i x_i W_i, on whole inputs. It contains additivity (the
    decomposability test) and homogeneity (each part is x_i times a fixed vector). Testing homogeneity alone
    would pass any ReLU(W x) on inputs >= 0, since ReLU(x_i w) = x_i ReLU(w) for x_i >= 0.
    """
    x2 = np.asarray(x, dtype=np.float64).reshape(-1, np.asarray(W_k).shape[0])
    h = hidden_of(model, W_k, x2)
    units = hidden_of(model, W_k, np.eye(x2.shape[1]))  # h(e_i): [n, m]
    denom = np.linalg.norm(h)
    return float(np.linalg.norm(h - x2 @ units) / denom) if denom > 0 else 0.0


def multi_feature_inputs(
    n: int, batch: int, seed: int, low: int = 2, high: int = 4, signed: bool = False
) -> np.ndarray:
    """[batch, n] inputs with ``low``..``high`` active features each, values uniform on (0, 1] (or +-).

    Additivity can only fail when two features are active at once. Sparse training data almost never has
    that (at p = 0.001 none of 256 inputs does), so the checklist adds these inputs on purpose.
    """
    rng = np.random.default_rng(seed)
    x = np.zeros((batch, n))
    for row in x:
        idx = rng.choice(n, size=int(rng.integers(low, min(high, n) + 1)), replace=False)
        row[idx] = 1.0 - rng.random(idx.size)
        if signed:
            row[idx] *= rng.choice([-1.0, 1.0], size=idx.size)
    return x


def check_inputs(train_batch: np.ndarray, seed: int, extra: int = 256, signed: bool = False) -> np.ndarray:
    """The inputs the checklist tests on: the rows of a training batch [batch, n] with >= 2 active features,
    plus ``extra`` rows with 2-4 active features (``multi_feature_inputs``), so additivity is always exercised."""
    x = np.asarray(train_batch, dtype=np.float64).reshape(-1, np.asarray(train_batch).shape[-1])
    multi = x[(x != 0).sum(axis=1) >= 2]
    return np.vstack([multi, multi_feature_inputs(x.shape[1], extra, seed, signed=signed)])


NOT_APPLICABLE = "not applicable"


def _holds(verdict: str) -> bool:
    return verdict in ("yes", "approximately")


def property_checklist(model: str, W_k: np.ndarray, x: np.ndarray, threshold: float = 0.5) -> list[PropertyCheck]:
    """The paper's hierarchy, evaluated on one trained model's hidden layer with inputs x [batch, n].

    Each property presupposes the one above it, so the verdicts nest: below a "no" every row reads
    "not applicable". Decomposable: h(x) is the sum of one-feature parts h(x_i e_i). Linear: moreover each part
    is x_i times a fixed direction (error of the whole linear prediction, so it is never smaller than the
    additivity error). In superposition: the stored features' Gram matrix is singular. Basis-aligned: each
    stored feature sits on one neuron (only asked with a privileged basis).
    """
    W_k = np.asarray(W_k, dtype=np.float64)
    dec = decomposability_error(model, W_k, x)
    lin = max(dec, linearity_error(model, W_k, x))
    g = gram_check(W_k, threshold)
    dec_v = _verdict(dec)
    lin_v = _verdict(lin) if _holds(dec_v) else NOT_APPLICABLE
    sup_v = ("yes" if g.in_superposition else "no") if _holds(lin_v) else NOT_APPLICABLE
    above = "" if _holds(lin_v) else " (the properties above it fail, so the question does not arise)"
    checks = [
        PropertyCheck("Decomposable", dec_v, dec, f"h(x) vs the sum of one-feature inputs h(xᵢeᵢ): error {dec:.2g}"),
        PropertyCheck("Linear", lin_v, lin, f"h(x) vs Σᵢ xᵢ·h(eᵢ): error {lin:.2g}"),
        PropertyCheck(
            "In superposition",
            sup_v,
            float(g.represented.size),
            f"{g.represented.size} features stored in m = {g.m} dimensions; Gram matrix rank {g.rank}" + above,
        ),
    ]
    if registry.get(model).hidden != "none":  # an activation acts on each neuron on its own
        share = analysis.basis_alignment(np.asarray(W_k, dtype=np.float64))[g.represented]
        mean = float(share.mean()) if share.size else 0.0
        verdict = "yes" if mean >= ALIGNED else "partly" if mean >= PARTLY_ALIGNED else "no"
        detail = f"mean largest-|weight| share over neurons {mean:.2f} (yes ≥ {ALIGNED}, partly ≥ {PARTLY_ALIGNED})"
        checks.append(
            PropertyCheck("Basis-aligned", verdict if _holds(lin_v) else NOT_APPLICABLE, mean, detail + above)
        )
    else:
        detail = "no activation function on the hidden layer, so any rotation gives the same model"
        checks.append(PropertyCheck("Basis-aligned", NOT_APPLICABLE, float("nan"), detail))
    return checks
