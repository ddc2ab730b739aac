"""Where to draw the geometry chapter's shapes: each tegum factor in the space it spans.

A trained W has m dimensions (30 in the paper), but each tegum factor spans at most 3 of them. These
functions find a factor's own basis, turn 3-D factors for an oblique view, find the polytope's edges
(convex hull), and lay the feature graph out with every factor in its own slot. The charts
(core.charts.geometry) draw the arrays returned here and do no maths of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import ConvexHull, QhullError

from core import analysis
from core.chapters.geometry import EDGE_THRESHOLD, POLYTOPES, Factor, span_rank


def own_basis(W_f: np.ndarray, dims: int | None = None) -> np.ndarray:
    """A factor's directions in an orthonormal basis of the space they span, [k, d] (d <= 3).

    The basis is the factor's own principal axes (uncentred SVD), so a tetrahedron becomes 3-D
    coordinates and a pentagon 2-D, whatever the m of the model.
    """
    W_f = np.asarray(W_f, dtype=np.float64)
    d = min(dims or span_rank(W_f), 3, W_f.shape[1])
    _, _, vt = np.linalg.svd(W_f, full_matrices=False)
    return W_f @ vt[: max(d, 1)].T


def view_3d(coords: np.ndarray, yaw: float = 0.6, pitch: float = 0.45) -> tuple[np.ndarray, np.ndarray]:
    """Rotate 3-D points for an oblique view; returns (screen x-y [k, 2], depth [k], larger = nearer)."""
    c = np.asarray(coords, dtype=np.float64)
    c = np.pad(c, ((0, 0), (0, max(0, 3 - c.shape[1]))))
    cy, sy, cp, sp = np.cos(yaw), np.sin(yaw), np.cos(pitch), np.sin(pitch)
    yaw_m = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    pitch_m = np.array([[1, 0, 0], [0, cp, -sp], [0, sp, cp]])
    r = c @ yaw_m.T @ pitch_m.T
    return r[:, :2], r[:, 2]


def hull_edges(coords: np.ndarray, tol: float = 1e-3) -> list[tuple[int, int]]:
    """Edges of the convex hull of a factor's points (2-D or 3-D), face diagonals of flat faces removed.

    These are the polytope's edges, drawn between the tips of the feature vectors.
    """
    pts = np.asarray(coords, dtype=np.float64)
    k, d = pts.shape
    if k < 3 or d < 2:
        return [(0, 1)] if k == 2 else []
    try:
        hull = ConvexHull(pts)
    except QhullError:
        return []
    if d == 2:
        return sorted({tuple(sorted(map(int, s))) for s in hull.simplices})
    faces: dict[tuple[int, int], list[np.ndarray]] = {}
    for simplex, eq in zip(hull.simplices, hull.equations):
        for a, b in ((0, 1), (1, 2), (0, 2)):
            faces.setdefault(tuple(sorted((int(simplex[a]), int(simplex[b])))), []).append(eq[:3])
    return sorted(e for e, normals in faces.items() if len(normals) < 2 or abs(normals[0] @ normals[1]) < 1 - tol)


@dataclass(frozen=True)
class GraphLayout:
    """The feature graph ready to draw: stored features as nodes, overlapping pairs as edges."""

    features: np.ndarray  # [N] feature indices
    xy: np.ndarray  # [N, 2] node positions
    kinds: np.ndarray  # [N] name of the factor each node belongs to
    D: np.ndarray  # [N] each node's D_i
    edges: np.ndarray  # [E, 2] int, rows of ``features`` joined by an edge
    weights: np.ndarray  # [E] |W_i . W_j|


def graph_layout(W_k: np.ndarray, factors: list[Factor], threshold: float = EDGE_THRESHOLD) -> GraphLayout:
    """Each factor in its own slot of a square grid, drawn in its own 2-D principal plane (largest coordinate 1, slots 3 apart).

    Factors are orthogonal to each other, so one shared projection would pile them on top of each other;
    drawing each in the plane it spans keeps every polygon's shape visible.
    """
    W_k = np.asarray(W_k, dtype=np.float64)
    cols = max(1, int(np.ceil(np.sqrt(len(factors)))))
    xy, kinds, D = [np.zeros((0, 2))], [], []
    for slot, factor in enumerate(factors):
        coords = own_basis(W_k[factor.features], dims=2)
        coords = np.pad(coords, ((0, 0), (0, 2 - coords.shape[1])))
        radius = np.abs(coords).max(initial=0) or 1.0
        xy.append(coords / radius + [3.0 * (slot % cols), -3.0 * (slot // cols)])
        kinds += [factor.name] * factor.features.size
        D.append(factor.D)
    features = np.concatenate([f.features for f in factors]).astype(np.int64) if factors else np.zeros(0, np.int64)
    row = {int(f): r for r, f in enumerate(features)}
    pairs = [(row[i], row[j], w) for i, j, w in analysis.feature_graph_edges(W_k, threshold) if i in row and j in row]
    edges = np.array([p[:2] for p in pairs], dtype=np.int64).reshape(-1, 2)
    weights = np.array([p[2] for p in pairs], dtype=np.float64)
    return GraphLayout(
        features, np.concatenate(xy), np.array(kinds, dtype=str), np.concatenate([np.zeros(0), *D]), edges, weights
    )


@dataclass(frozen=True)
class PolytopeView:
    """One factor drawn in the space it spans: screen positions of its feature tips and its hull edges."""

    name: str
    features: np.ndarray  # [k] feature indices
    xy: np.ndarray  # [k, 2] screen positions (3-D factors seen obliquely)
    depth: np.ndarray  # [k] larger = nearer the viewer (0 for flat factors)
    edges: np.ndarray  # [E, 2] int, rows of ``xy`` joined by a hull edge
    rank: int  # dimensions the factor spans
    mean_D: float
    ideal: tuple[int, int] | None  # (d, k) of the named polytope, None for "other"


def polytope_view(W_k: np.ndarray, factor: Factor) -> PolytopeView:
    """Coordinates in the factor's own basis (up to 3-D), an oblique view of 3-D ones, and the hull edges."""
    coords = own_basis(np.asarray(W_k, dtype=np.float64)[factor.features], dims=max(1, min(factor.rank, 3)))
    if coords.shape[1] == 3:
        xy, depth = view_3d(coords)
    else:
        xy, depth = np.pad(coords, ((0, 0), (0, 2 - coords.shape[1]))), np.zeros(len(coords))
    edges = np.array(hull_edges(coords), dtype=np.int64).reshape(-1, 2)
    poly = next((p for p in POLYTOPES if p.name == factor.name), None)
    ideal = (poly.d, poly.k) if poly else None
    return PolytopeView(factor.name, factor.features, xy, depth, edges, factor.rank, float(factor.D.mean()), ideal)
