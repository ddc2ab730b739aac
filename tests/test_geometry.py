"""Geometry of superposition: D_i of regular shapes, tegum factors and polytope names, sum_i D_i = m on
trained models, the sticky 1/2 in the precomputed sweeps, and the non-uniform experiments."""

from __future__ import annotations

import numpy as np
import pytest

from core import analysis
from core.assets import load_asset, same_config
from core.chapters import geometry, geometry_layout, geometry_nonuniform
from core.train import train
from tests.helpers import polygon, square_antiprism, tetrahedron


def embed(blocks: list[np.ndarray], m: int, seed: int = 0) -> np.ndarray:
    """Put each block in its own orthogonal subspace of R^m (a tegum product), then rotate randomly."""
    rows, col = [], 0
    for block in blocks:
        padded = np.zeros((block.shape[0], m))
        padded[:, col : col + block.shape[1]] = block
        rows.append(padded)
        col += block.shape[1]
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(m, m)))
    return np.concatenate(rows) @ q


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        (np.array([[1.0], [-1.0]]), 1 / 2),
        (polygon(3), 2 / 3),
        (tetrahedron(), 3 / 4),
        (polygon(5), 2 / 5),
        (square_antiprism(), 3 / 8),
    ],
)
def test_regular_shapes_have_the_guide_fractions(shape: np.ndarray, expected: float) -> None:
    D = analysis.feature_dimensionality(embed([shape], 6))
    np.testing.assert_allclose(D, expected, atol=1e-9)
    assert set(geometry.nearest_fraction(D)) <= set(geometry.D_GUIDES)


def test_tegum_product_splits_into_named_factors() -> None:
    blocks = [polygon(5) * 1.1, tetrahedron(), np.array([[1.0], [-1.0]]), np.array([[1.0]]), square_antiprism()]
    W = embed(blocks, 2 + 3 + 1 + 1 + 3, seed=3)
    W = np.concatenate([W, 0.01 * np.ones((2, W.shape[1]))])  # two features that are not stored
    factors = geometry.tegum_factors(W)
    assert geometry.census(factors) == {
        "dedicated": 1,
        "digon": 1,
        "tetrahedron": 1,
        "pentagon": 1,
        "square antiprism": 1,
    }
    assert sorted(int(f.features.size) for f in factors) == [1, 2, 4, 5, 8]
    assert {f.name: f.rank for f in factors} == {
        "dedicated": 1,
        "digon": 1,
        "tetrahedron": 3,
        "pentagon": 2,
        "square antiprism": 3,
    }
    np.testing.assert_allclose(analysis.feature_dimensionality(W[:-2]).sum(), W.shape[1], atol=1e-9)
    labels = geometry.factor_labels(W)
    assert geometry.FACTOR_NAMES[labels[-1]] == geometry.NOT_REPRESENTED
    assert [f.name for f in geometry.gallery(factors)] == ["digon", "tetrahedron", "pentagon", "square antiprism"]


def test_an_irregular_cluster_is_not_given_a_polytope_name() -> None:
    squashed = polygon(5) * np.array([1.0, 0.3])  # five directions in 2-D, far from a tight frame
    (factor,) = geometry.tegum_factors(embed([squashed * 1.5], 4))
    assert factor.rank == 2 and factor.name == geometry.OTHER


def test_drawing_helpers_keep_the_geometry() -> None:
    W = embed([tetrahedron()], 8, seed=1)
    coords = geometry_layout.own_basis(W)
    assert coords.shape == (4, 3)
    np.testing.assert_allclose(coords @ coords.T, W @ W.T, atol=1e-9)  # same shape, fewer coordinates
    xy, depth = geometry_layout.view_3d(coords)
    np.testing.assert_allclose(np.hypot(np.hypot(xy[:, 0], xy[:, 1]), depth), 1.0)  # a rotation
    assert len(geometry_layout.hull_edges(coords)) == 6
    assert len(geometry_layout.hull_edges(square_antiprism())) == 16  # square faces keep 4 edges, no diagonals
    assert len(geometry_layout.hull_edges(polygon(5))) == 5


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_graph_layout_draws_each_factor_apart_with_its_own_edges(seed: int) -> None:
    pentagon, digon = polygon(5) * 1.2, np.array([[1.0], [-1.0]])
    W = embed([pentagon, digon], 2 + 1 + 3, seed=seed)  # three spare dimensions: the rotation mixes them in
    factors = geometry.tegum_factors(W)
    layout = geometry_layout.graph_layout(W, factors)
    assert sorted(layout.features.tolist()) == list(range(7))
    slot = {int(f): xy for f, xy in zip(layout.features, layout.xy)}
    centre = np.mean([slot[i] for i in range(5)], axis=0)
    ring = np.array([slot[i] - centre for i in range(5)])
    np.testing.assert_allclose(np.linalg.norm(ring, axis=1), np.linalg.norm(ring[0]), rtol=1e-9)  # still regular
    assert np.abs(ring).max() == pytest.approx(1.0)  # scaled to fill its slot
    assert np.linalg.norm(slot[5] - slot[6]) == pytest.approx(2.0)  # the digon's two ends, opposite
    assert min(np.linalg.norm(slot[i] - slot[j]) for i in range(5) for j in (5, 6)) > 0.9  # separate slots
    kinds = {int(f): k for f, k in zip(layout.features, layout.kinds)}
    assert {kinds[i] for i in range(5)} == {"pentagon"} and kinds[5] == kinds[6] == "digon"
    pairs = {frozenset(int(layout.features[e]) for e in edge) for edge in layout.edges}
    # a pentagon's neighbours overlap 1.44 cos 72° = 0.445, its diagonals 1.44 cos 144° = -1.165 (|.| counts)
    assert len(pairs) == 5 + 5 + 1 and frozenset((5, 6)) in pairs
    assert np.all(layout.weights >= geometry.EDGE_THRESHOLD)


def test_polytope_view_of_a_tetrahedron_and_a_triangle() -> None:
    W = embed([tetrahedron() * 1.1, polygon(3)], 3 + 2, seed=4)
    factors = {f.name: f for f in geometry.tegum_factors(W)}
    tetra = geometry_layout.polytope_view(W, factors["tetrahedron"])
    assert tetra.ideal == (3, 4) and tetra.rank == 3 and tetra.mean_D == pytest.approx(0.75)
    assert len(tetra.edges) == 6 and np.ptp(tetra.depth) > 0  # 3-D: seen obliquely, some tips nearer
    np.testing.assert_allclose(np.hypot(np.linalg.norm(tetra.xy, axis=1), tetra.depth), 1.1)  # lengths kept
    tri = geometry_layout.polytope_view(W, factors["triangle"])
    assert tri.ideal == (2, 3) and len(tri.edges) == 3 and np.all(tri.depth == 0)
    np.testing.assert_allclose(np.linalg.norm(tri.xy, axis=1), 1.0)
    assert sorted(tri.features.tolist()) == [4, 5, 6]


def test_sum_of_dimensionalities_is_m_after_training() -> None:
    """Trained uniform models use their m dimensions fully; an untrained (random) W does not."""
    n, m = 20, 5
    densities = [0.3, 0.1, 0.03]
    result = train(geometry.uniform_config(n, m, densities, steps=10_000, seed=0), threads=2)
    sums = analysis.feature_dimensionality(result.W).sum(axis=-1)
    np.testing.assert_allclose(sums, m, atol=0.05)
    random_W = np.random.default_rng(0).normal(size=(n, m)) * np.sqrt(2 / (n + m))
    assert abs(analysis.feature_dimensionality(random_W).sum() - m) > 0.5


# ---- precomputed uniform sweeps -------------------------------------------------------------------


@pytest.mark.parametrize("key", list(geometry.UNIFORM_ASSETS))
def test_uniform_assets_match_their_config(key: str) -> None:
    name = geometry.UNIFORM_ASSETS[key]
    builder = geometry.BUILDERS[name]
    asset = load_asset(name, version=builder.version)
    assert same_config(asset.config, builder.config)
    c, a, cfg = asset.config, asset.arrays, asset.toy_config
    k, n, m = cfg.n_instances, cfg.n_features, cfg.n_hidden
    np.testing.assert_allclose(a["densities"], cfg.broadcast()[0][:, 0], rtol=1e-6)
    assert a["D"].shape == a["labels"].shape == (k, n) and a["dims_per_feature"].shape == (k,)
    assert a["W"].shape == (len(c["weights_kept_for"]), n, m)
    np.testing.assert_array_equal(a["w_index"], c["weights_kept_for"])
    # the stored summaries are those of the stored weights
    W = a["W"].astype(np.float64)
    np.testing.assert_allclose(analysis.dimensions_per_feature(W), a["dims_per_feature"][a["w_index"]], rtol=2e-3)
    np.testing.assert_allclose(analysis.feature_dimensionality(W), a["D"][a["w_index"]], atol=5e-3)


@pytest.mark.parametrize("key", list(geometry.UNIFORM_ASSETS))
def test_uniform_sweep_claims(key: str) -> None:
    a = load_asset(geometry.UNIFORM_ASSETS[key]).arrays
    m = load_asset(geometry.UNIFORM_ASSETS[key]).toy_config.n_hidden
    inv, dpf = 1 / a["densities"].astype(np.float64), a["dims_per_feature"].astype(np.float64)
    assert abs(dpf[0] - 1.0) < 0.03  # dense: one dimension per stored feature
    near_three = np.abs(np.log(inv / 3.0)) < np.log(1.25)  # 1/(1-S) within a factor 1.25 of 3
    assert near_three.any()
    np.testing.assert_allclose(dpf[near_three], 0.5, atol=0.03)  # the sticky 1/2
    # sum_i D_i = m: within 0.1 at every density of the paper-scale sweeps (the strict 0.05 claim is
    # checked on freshly trained models above; the largest sweep sits a little below m on the plateau)
    np.testing.assert_allclose(a["D"].astype(np.float64).sum(axis=1), m, atol=0.1)
    assert dpf[-1] < 0.45  # sparse: below the plateau


def test_notebook_sweep_plateau_is_made_of_digons() -> None:
    a = load_asset(geometry.UNIFORM_ASSETS["notebook"]).arrays
    inv = 1 / a["densities"].astype(np.float64)
    k = int(np.argmin(np.abs(inv - 3.0)))
    names = np.array(geometry.FACTOR_NAMES)[a["labels"][k]]
    stored = names != geometry.NOT_REPRESENTED
    assert stored.sum() >= 20 and np.all(names[stored] == "digon")
    np.testing.assert_allclose(a["D"][k][stored].astype(np.float64), 0.5, atol=0.03)


# ---- non-uniform superposition --------------------------------------------------------------------


def test_perturbed_pentagon() -> None:
    ratios = [0.1, 1.0, 10.0]
    W = train(geometry_nonuniform.perturbed_pentagon_config(ratios, steps=10_000, seed=0), threads=2).W
    sparse, regular, dense = W
    assert analysis.feature_norms(sparse)[0] < 0.5  # much sparser: feature 0 is dropped ...
    np.testing.assert_allclose(
        np.sort(geometry_nonuniform.angle_gaps(sparse)), 90.0, atol=5.0
    )  # ... the rest: two digons
    np.testing.assert_allclose(geometry_nonuniform.angle_gaps(regular), 72.0, atol=4.0)  # the pentagon
    assert np.all(geometry_nonuniform.neighbour_gaps(dense, 0) > 74.0)  # much denser: its neighbours move away


@pytest.mark.parametrize(
    ("kind", "densities", "relation"),
    [
        ("correlated", (0.05, 0.0025), "orthogonal"),
        # Anticorrelated pairs at 0.3: about half the random starts reach the antipodal pairs (loss 0 on this
        # data); the rest stop with orthogonal pairs, a local minimum with higher loss (measured: 58 and 44 of 96
        # starts with two different init generators). Best of 8 starts, as the page trains them.
        ("anticorrelated", (0.3,), "antipodal"),
    ],
)
def test_correlated_and_anticorrelated_pairs(kind: str, densities: tuple[float, ...], relation: str) -> None:
    ex = geometry_nonuniform.SET_EXPERIMENTS[kind]
    W = train(ex.config(steps=10_000, seed=0, densities=densities), threads=2).W
    for W_k in W:
        assert [geometry_nonuniform.pair_relation(c) for c in geometry_nonuniform.pair_cosines(W_k, ex.sets)] == [
            relation
        ] * 2


def test_three_correlated_pairs_collapse_onto_their_sum() -> None:
    ex = geometry_nonuniform.SET_EXPERIMENTS["three_pairs"]
    W = train(ex.config(steps=10_000, seed=0, n_seeds=2, densities=ex.densities[:1]), threads=2).W[0]
    cos = geometry_nonuniform.pair_cosines(W, ex.sets)
    collapsed = np.flatnonzero(cos > 0.95)
    assert collapsed.size >= 1
    for j in collapsed:  # both members along (a + b)/sqrt(2): each has length about 1/sqrt(2)
        np.testing.assert_allclose(analysis.feature_norms(W[2 * j : 2 * j + 2]), 1 / np.sqrt(2), atol=0.08)
