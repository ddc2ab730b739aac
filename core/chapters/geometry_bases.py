"""Local almost-orthogonal bases: W^T W seen whole, with features grouped by tegum factor.

Within a tegum factor features share a few dimensions and interfere; different factors sit in (nearly)
orthogonal subspaces, so reordering the features by factor turns the n x n matrix W^T W into blocks
along the diagonal with (nearly) zeros between them. Each block is the Gram matrix of the factor's
k directions, which span only d dimensions, so the block has rank d < k: a polytope is a low-rank block
(a pentagon is a 5 x 5 block of rank 2; a digon a 2 x 2 block of rank 1).

Here W is [n, m] (row i = W_i), so the app's "W^T W" (feature by feature) is ``W @ W.T``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import analysis
from core.chapters import geometry

RANK_TOL = 0.15**2  # eigenvalues of a block above this x its largest count (span_rank's 0.15, squared)


@dataclass(frozen=True)
class BlockView:
    """W^T W reordered so each tegum factor is one diagonal block (unrepresented features last)."""

    order: np.ndarray  # [n] feature index at each position
    gram: np.ndarray  # [n, n] reordered W^T W
    block: np.ndarray  # [n] factor number of each position (-1: not represented)
    names: list[str]  # factor names, by factor number
    within: float  # mean |W_i . W_j| over pairs i != j in the same factor
    between: float  # mean |W_i . W_j| over pairs of represented features in different factors
    between_max: float  # largest such value
    ranks: np.ndarray  # [factors] numerical rank of each factor's block
    spans: np.ndarray  # [factors] dimensions each factor's directions span (geometry.span_rank)


def block_rank(block: np.ndarray, rel_tol: float = RANK_TOL) -> int:
    """Numerical rank of a symmetric PSD block: eigenvalues above rel_tol x the largest."""
    eig = np.linalg.eigvalsh(np.asarray(block, dtype=np.float64))
    return int((eig > rel_tol * eig.max()).sum()) if eig.size and eig.max() > 0 else 0


def block_view(W_k: np.ndarray) -> BlockView:
    """Group one model's features (W_k [n, m]) by tegum factor, largest factor first, and measure the blocks."""
    W_k = np.asarray(W_k, dtype=np.float64)
    factors = geometry.tegum_factors(W_k)
    order = np.concatenate([f.features for f in factors]) if factors else np.zeros(0, int)
    rest = np.setdiff1d(np.arange(W_k.shape[0]), order)
    block = np.concatenate(
        [np.repeat(np.arange(len(factors)), [f.features.size for f in factors]), -np.ones(rest.size)]
    )
    order = np.concatenate([order, rest]).astype(int)
    gram = analysis.gram(W_k)[np.ix_(order, order)]
    rep = block >= 0
    same = (block[:, None] == block[None, :]) & rep[:, None] & rep[None, :] & ~np.eye(block.size, dtype=bool)
    other = (block[:, None] != block[None, :]) & rep[:, None] & rep[None, :]
    mag = np.abs(gram)
    ranks = np.array([block_rank(analysis.gram(W_k[f.features])) for f in factors], dtype=int)
    return BlockView(
        order,
        gram,
        block.astype(int),
        [f.name for f in factors],
        float(mag[same].mean()) if same.any() else float("nan"),
        float(mag[other].mean()) if other.any() else float("nan"),
        float(mag[other].max()) if other.any() else float("nan"),
        ranks,
        np.array([f.rank for f in factors], dtype=int),
    )


def ideal_polytope_gram(k: int, d: int) -> np.ndarray:
    """W^T W of a regular k-gon (unit vectors at angles 2 pi i / k in the plane): k x k, rank 2."""
    if d != 2:
        raise ValueError("only planar polygons")
    angles = 2 * np.pi * np.arange(k) / k
    W = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return W @ W.T
