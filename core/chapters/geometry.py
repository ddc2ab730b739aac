"""The geometry of superposition: uniform sweeps, feature dimensionality, tegum factors and polytopes.

Uniform superposition: n features of equal importance (I_i = 1) and equal density share m << n
dimensions. Two summaries of a trained W [n, m]:

- dimensions per feature, m / ||W||_F^2 (||W||_F^2 roughly counts the represented features). As the
  features get sparser it falls from 1, lingers ("sticks") at 1/2 while antipodal pairs dominate,
  then falls further;
- each feature's dimensionality D_i (core.analysis.feature_dimensionality), which clusters at the
  fractions of regular polytopes: 3/4 tetrahedron, 2/3 triangle, 1/2 digon, 2/5 pentagon, 3/8 square
  antiprism. sum_i D_i = m when the m dimensions are used efficiently.

Features in orthogonal subspaces do not interact, so a trained W splits into *tegum factors*: the
connected pieces of the graph whose edges are |W_i . W_j|. Each piece is usually a small regular
polytope, which ``identify_factor`` names from its size, the dimensions it spans and its D_i.

Where to draw factors and polytopes (own bases, oblique views, hull edges, the feature graph's layout) is in
``core.chapters.geometry_layout``. Non-uniform superposition (a perturbed pentagon, correlated feature sets) is in
``core.chapters.geometry_nonuniform``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import analysis
from core.config import ToyConfig
from core.precompute import AssetBuilder
from core.presets.geometry import (  # noqa: F401 (re-exported: callers use geometry.<name>)
    DENSE_END_SWEEP,
    NOTEBOOK_SWEEP,
    PAPER_SWEEP,
    notebook_densities,
    paper_densities,
    uniform_config,
)
from core.train import train

# ---- uniform sweeps ----------------------------------------------------------------------------

STICKY_LEVELS = {"1": 1.0, "1/2": 0.5}  # m/||W||_F^2 plateaus: dedicated dimensions, antipodal pairs
D_GUIDES = {"3/4": 0.75, "2/3": 2 / 3, "1/2": 0.5, "2/5": 0.4, "3/8": 0.375}
# |W_i . W_j| below this counts as orthogonal when finding tegum factors. Edges inside the polytopes are
# ||W||^2 times |cos|: pentagon neighbours 0.31, tetrahedron 1/3, triangle 1/2. Trained norms near the dense end
# are about 0.9, not 1, so a trained tetrahedron's edges are 0.25-0.28: 0.3 (the old value) split every one
# into four "other" singletons. At 0.2 they are found, and nothing changes from 1/p = 1.7 on (issue 13, measured).
EDGE_THRESHOLD = 0.2
# The two 10k-step sweeps (n = 400 and n = 200) were built with 0.3; their headers say so. The page relabels
# every density whose weights are stored (all of n = 200's, 9 of n = 400's) at EDGE_THRESHOLD when it loads them.
STORED_EDGE_THRESHOLD = 0.3
NORM_THRESHOLD = 0.5  # features with ||W_i|| at or below this are "not represented"


def inverse_density(densities) -> np.ndarray:
    """1/(1-S) = 1/p, the paper's x axis."""
    return 1.0 / np.asarray(densities, dtype=np.float64)


def nearest_fraction(D: np.ndarray, tol: float = 0.02) -> np.ndarray:
    """The D_GUIDES name (or "1", "0") within ``tol`` of each D_i, else "" (str array, same shape)."""
    names = ["1", *D_GUIDES, "0"]
    values = np.array([1.0, *D_GUIDES.values(), 0.0])
    D = np.asarray(D, dtype=np.float64)
    dist = np.abs(D[..., None] - values)
    best = np.argmin(dist, axis=-1)
    return np.where(np.take_along_axis(dist, best[..., None], -1)[..., 0] <= tol, np.array(names)[best], "")


# ---- tegum factors and polytopes -----------------------------------------------------------------


@dataclass(frozen=True)
class Polytope:
    """A regular arrangement: k features spanning d dimensions, each with D_i = d / k."""

    name: str
    k: int
    d: int

    @property
    def fraction(self) -> float:
        return self.d / self.k

    @property
    def label(self) -> str:
        return f"{self.name} ({self.d}/{self.k})" if self.k > 1 else f"{self.name} (1)"


POLYTOPES = (
    Polytope("dedicated", 1, 1),
    Polytope("digon", 2, 1),
    Polytope("triangle", 3, 2),
    Polytope("tetrahedron", 4, 3),
    Polytope("pentagon", 5, 2),
    Polytope("square antiprism", 8, 3),
)
OTHER = "other"
NOT_REPRESENTED = "not represented"
FACTOR_NAMES = (*(p.name for p in POLYTOPES), OTHER, NOT_REPRESENTED)  # codes stored in assets


@dataclass(frozen=True)
class Factor:
    """One tegum factor of a trained model: which features, the dimensions they span, what it looks like."""

    features: np.ndarray  # indices into the model's features
    rank: int
    D: np.ndarray  # each member's D_i
    name: str  # a POLYTOPES name, or OTHER


def span_rank(W_f: np.ndarray, rel_tol: float = 0.25) -> int:
    """Dimensions a set of directions really spans: singular values above rel_tol x the largest.

    0.25, not 0.15: trained tetrahedra near the dense end leak a little into a fourth dimension (the fine sweep's
    4-feature factors at 1/p = 1.3 and 1.35 have a 4th singular value between 0.15 and 0.25 of the largest).
    """
    s = np.linalg.svd(np.asarray(W_f, dtype=np.float64), compute_uv=False)
    return int((s > rel_tol * s.max()).sum()) if s.size and s.max() > 0 else 0


def identify_factor(W_f: np.ndarray, D_f: np.ndarray, tol: float = 0.1) -> str:
    """Name a factor from its size k, its span d and its members' D_i (their mean within ``tol`` of d/k).

    The tolerance is loose on purpose: weak leftover interference with other factors lowers every D_i a
    little (a digon touching a pentagon has D_i near 0.42, not 1/2) without changing the shape.
    """
    k, d = W_f.shape[0], span_rank(W_f)
    for poly in POLYTOPES:
        if poly.k == k and poly.d == d and abs(float(np.mean(D_f)) - poly.fraction) <= tol:
            return poly.name
    return OTHER


def tegum_factors(W_k: np.ndarray, threshold: float = EDGE_THRESHOLD) -> list[Factor]:
    """Split one model's represented features into tegum factors, largest first.

    Features are linked when |W_i . W_j| >= threshold; the connected pieces are the factors.
    Features with ||W_i|| <= NORM_THRESHOLD are left out (they are not represented).
    """
    W_k = np.asarray(W_k, dtype=np.float64)
    keep = np.flatnonzero(analysis.feature_norms(W_k) > NORM_THRESHOLD)
    if keep.size == 0:
        return []
    D = analysis.feature_dimensionality(W_k)
    # imported here: every page loads this module (core.predictions), and scipy.sparse took 0.14 s to import
    from scipy.sparse.csgraph import connected_components

    adjacency = np.abs(analysis.gram(W_k[keep])) >= threshold
    count, labels = connected_components(adjacency, directed=False)
    factors = []
    for c in range(count):
        members = keep[labels == c]
        Wf = W_k[members]
        factors.append(Factor(members, span_rank(Wf), D[members], identify_factor(Wf, D[members])))
    return sorted(factors, key=lambda f: (-f.features.size, int(f.features[0])))


def factor_labels(W_k: np.ndarray, threshold: float = EDGE_THRESHOLD) -> np.ndarray:
    """Per feature, the code (index into FACTOR_NAMES) of the factor it belongs to, int8 [n]."""
    codes = np.full(np.asarray(W_k).shape[0], FACTOR_NAMES.index(NOT_REPRESENTED), dtype=np.int8)
    for factor in tegum_factors(W_k, threshold):
        codes[factor.features] = FACTOR_NAMES.index(factor.name)
    return codes


def kind_labels() -> tuple[str, ...]:
    """FACTOR_NAMES with each polytope's fraction d/k, for legends: "tetrahedron (3/4)", ..., "other"."""
    return (*(p.label for p in POLYTOPES), OTHER, NOT_REPRESENTED)


def census(factors: list[Factor]) -> dict[str, int]:
    """How many factors of each kind, in FACTOR_NAMES order, zeros left out."""
    counts = {name: 0 for name in FACTOR_NAMES}
    for factor in factors:
        counts[factor.name] += 1
    return {k: v for k, v in counts.items() if v}


def gallery(factors: list[Factor]) -> list[Factor]:
    """One example factor of each polytope found (dedicated features left out), in POLYTOPES order."""
    first: dict[str, Factor] = {}
    for factor in factors:
        if factor.name not in first and factor.name != "dedicated":
            first[factor.name] = factor
    order = [p.name for p in POLYTOPES] + [OTHER]
    return [first[name] for name in order if name in first]


# ---- uniform sweep summaries and assets ----------------------------------------------------------


@dataclass(frozen=True)
class UniformSweepSummary:
    """What the charts draw for a uniform sweep of K densities."""

    densities: np.ndarray  # [K]
    dims_per_feature: np.ndarray  # [K], m / ||W||_F^2
    D: np.ndarray  # [K, n]
    labels: np.ndarray  # [K, n] int8 codes into FACTOR_NAMES


def summarise(W: np.ndarray, densities) -> UniformSweepSummary:
    """Dimensions per feature, D_i and factor labels of every instance of a sweep, W [K, n, m]."""
    W = np.asarray(W, dtype=np.float64)
    labels = np.stack([factor_labels(W_k) for W_k in W]) if len(W) else np.zeros((0, W.shape[1]), np.int8)
    return UniformSweepSummary(
        np.asarray(densities, dtype=np.float64),
        analysis.dimensions_per_feature(W),
        analysis.feature_dimensionality(W),
        labels,
    )


def _uniform_params(keep_w: list[int], edge_threshold: float = EDGE_THRESHOLD) -> dict:
    """Builder-only parameters of a uniform sweep asset (the training itself is its ToyConfig)."""
    return {
        "edge_threshold": edge_threshold,
        "factor_names": list(FACTOR_NAMES),
        "weights_kept_for": keep_w,
        "layout": "dims_per_feature [K] f32, loss [K] f32, D [K, n] f16, labels [K, n] int8, W [len(w_index), n, m] f16",
    }


def build_uniform_asset(config: dict) -> dict[str, np.ndarray]:
    """Train the sweep; keep the per-density summaries, and W only where the config asks (size)."""
    cfg = ToyConfig.from_dict(config["toy_config"])
    densities = cfg.probability_array()[:, 0]  # one density per instance, shared by every feature
    result = train(cfg, threads=2)
    summary = summarise(result.W, densities)
    keep = np.asarray(config["weights_kept_for"], dtype=np.int16)
    return {
        "densities": densities.astype(np.float32),
        "dims_per_feature": summary.dims_per_feature.astype(np.float32),
        "loss": result.loss.astype(np.float32),
        "D": summary.D.astype(np.float16),
        "labels": summary.labels,
        "W": result.W[keep].astype(np.float16),
        "w_index": keep,
    }


UNIFORM_ASSETS = {"paper": "uniform_n400_m30", "notebook": "uniform_n200_m20", "dense_end": "uniform_n60_m6_dense"}
UNIFORM_VERSION = 1
_PAPER_P = PAPER_SWEEP.probability_array()[:, 0]
_NOTEBOOK_P = NOTEBOOK_SWEEP.probability_array()[:, 0]
# The paper-scale sweep keeps weights for a few densities only (400 x 30 per density would make the file large).
_PAPER_KEEP = [int(np.argmin(np.abs(1 / _PAPER_P - x))) for x in (1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 12.0, 20.0)]

BUILDERS = {
    UNIFORM_ASSETS["paper"]: AssetBuilder(
        version=UNIFORM_VERSION,
        toy_config=PAPER_SWEEP,
        params=_uniform_params(_PAPER_KEEP, STORED_EDGE_THRESHOLD),
        build=build_uniform_asset,
        about="uniform superposition n=400, m=30 (the paper's), 24 densities 1 to 0.01, 10k steps",
    ),
    UNIFORM_ASSETS["notebook"]: AssetBuilder(
        version=UNIFORM_VERSION,
        toy_config=NOTEBOOK_SWEEP,
        params=_uniform_params(list(range(len(_NOTEBOOK_P))), STORED_EDGE_THRESHOLD),
        build=build_uniform_asset,
        about="uniform superposition n=200, m=20 (the reference notebook's), 20 densities 1 to 0.05, 10k steps",
    ),
    UNIFORM_ASSETS["dense_end"]: AssetBuilder(
        version=UNIFORM_VERSION,
        toy_config=DENSE_END_SWEEP,
        params=_uniform_params(list(range(len(DENSE_END_SWEEP.feature_probability)))),
        build=build_uniform_asset,
        about="uniform superposition n=60, m=6, 17 densities 1/p = 1 to 4, 30k steps (tetrahedra, triangles)",
    ),
}
