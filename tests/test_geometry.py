"""Geometry of superposition: D_i of regular shapes, tegum factors and polytope names, sum_i D_i = m on
trained models, the sticky 1/2 in the precomputed sweeps, and the non-uniform experiments."""

from __future__ import annotations

import numpy as np
import pytest

from core import analysis
from core.assets import load_asset, same_config
from core.chapters import geometry, geometry_layout, geometry_nonuniform, geometry_sweep_claims
from core.train import Trainer, train
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


@pytest.mark.parametrize("key", ["paper", "notebook"])  # the fine sweep's levels: test_sums_of_D_sit_just_below_m_...
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


# ---- issue 13, defect 4: tetrahedra, the order of shapes, sum D_i <= m, the sticky level ------------------


def test_a_tetrahedron_with_trained_norms_is_found() -> None:
    """Trained norms near the dense end are about 0.9, so a tetrahedron's edges are 0.9^2/3 = 0.27 (the old 0.3
    threshold split it into four singletons)."""
    W = embed([tetrahedron() * 0.9, np.array([[0.9]])], 4, seed=2)
    factors = geometry.tegum_factors(W)
    assert [f.name for f in factors] == ["tetrahedron", "dedicated"]


def test_sum_of_dimensionalities_is_at_most_m() -> None:
    """Sum D_i <= m for any W (random ones fall short); equality for a tight frame such as the pentagon."""
    rng = np.random.default_rng(3)
    for _ in range(200):
        n, m = int(rng.integers(3, 40)), int(rng.integers(1, 8))
        W = rng.normal(size=(n, m)) * rng.exponential(size=(n, 1))
        assert analysis.feature_dimensionality(W).sum() <= m + 1e-9
    assert analysis.feature_dimensionality(rng.normal(size=(60, 6))).sum() < 6 * 0.97
    np.testing.assert_allclose(analysis.feature_dimensionality(polygon(5)).sum(), 2.0)


def _fine() -> geometry.UniformSweepSummary:
    asset = load_asset(geometry.UNIFORM_ASSETS["dense_end"])
    a = asset.arrays
    stored = geometry.UniformSweepSummary(
        a["densities"].astype(np.float64),
        a["dims_per_feature"].astype(np.float64),
        a["D"].astype(np.float64),
        a["labels"],
    )
    return geometry_sweep_claims.relabelled(stored, a["W"], a["w_index"])


def test_fine_sweep_shows_every_shape_the_page_names_in_density_order() -> None:
    spans = {s.name: s for s in geometry_sweep_claims.shape_spans(_fine())}
    assert {"tetrahedron", "triangle", "digon", "pentagon", "square antiprism"} <= set(spans)
    # tetrahedra and triangles come before the digons' plateau, pentagons and antiprisms after its start
    assert spans["tetrahedron"].first < spans["digon"].first and spans["triangle"].first < spans["digon"].first
    assert spans["pentagon"].first > spans["digon"].first and spans["square antiprism"].first > spans["digon"].first
    # the stored labels (built at today's threshold) agree with labels recomputed from W
    a = load_asset(geometry.UNIFORM_ASSETS["dense_end"]).arrays
    np.testing.assert_array_equal(_fine().labels, a["labels"])


def test_paper_sweeps_have_no_tetrahedron_and_2_3_only_before_the_plateau() -> None:
    """What the page says of the 10k-step sweeps: no feature at 3/4 (+-0.02) anywhere; 2/3 only below 1/p = 2."""
    for key in ("paper", "notebook"):
        a = load_asset(geometry.UNIFORM_ASSETS[key]).arrays
        inv, names = 1 / a["densities"].astype(np.float64), geometry.nearest_fraction(a["D"].astype(np.float64))
        assert not (names == "3/4").any()
        assert np.all(inv[(names == "2/3").any(axis=1)] < 2.0)


def test_sums_of_D_sit_just_below_m_and_the_sticky_level_is_half() -> None:
    fine = _fine()
    lo, hi = geometry_sweep_claims.packing(fine, 6)
    assert 0.99 <= lo <= hi <= 1.0 + 1e-3
    one = geometry_sweep_claims.level_span(fine, *geometry_sweep_claims.ONE_LEVEL)
    half = geometry_sweep_claims.level_span(fine, *geometry_sweep_claims.HALF_LEVEL)
    assert one is not None and half is not None
    assert one[1] <= 1.3 and half[1] - half[0] >= 0.99  # "1" holds only near 1/p = 1; 1/2 over a wide range
    note = geometry_sweep_claims.plateau_note(fine, None)
    assert f"1/p = {one[0]:.3g} to {one[1]:.3g}" in note and f"1/p = {half[0]:.3g} to {half[1]:.3g}" in note


# ---- issue 13, defect 5: what a pair's cosine is called, and the hexagon ----------------------------------


@pytest.mark.parametrize(
    ("cosine", "words"),
    [
        (1.0, "collapsed onto their sum"),  # a pair stored as its sum (was "side by side")
        (0.42, "side by side"),  # neighbours in the hexagon, 65 degrees (was "in between")
        (0.26, "side by side"),  # neighbours in a pentagon (was "orthogonal")
        (0.05, "orthogonal"),
        (0.85, "in between"),
        (-0.5, "in between"),
        (-0.95, "antipodal"),
        (np.nan, "one dropped"),
    ],
)
def test_pair_relation_words(cosine: float, words: str) -> None:
    assert geometry_nonuniform.pair_relation(cosine) == words


@pytest.mark.parametrize("seed", [0, 1])
def test_three_correlated_pairs_form_a_hexagon_when_sparse(seed: int) -> None:
    """The page's run (best of 8, picked as the live view picks): at 0.1 one pair collapsed and two side by side;
    at 0.02 and 0.005 a hexagon with each pair adjacent. The old densities (0.3-0.02) showed no hexagon in
    best-of-5 runs picked by eval loss (issue 13 research)."""
    ex = geometry_nonuniform.SET_EXPERIMENTS["three_pairs"]
    # the page's exact run: each instance's start depends on its place in the density list
    trainer = Trainer(ex.config(seed=seed), threads=2)
    trainer.advance(ex.config().steps)
    pick = [ex.densities.index(p) for p in (0.1, 0.02, 0.005)]
    W = trainer.view().W[pick]
    words = sorted(geometry_nonuniform.pair_relation(c) for c in geometry_nonuniform.pair_cosines(W[0], ex.sets))
    assert words == ["collapsed onto their sum", "side by side", "side by side"]
    for W_k in W[1:]:
        assert geometry_nonuniform.is_hexagon(W_k, ex.sets)
        gaps = np.sort(geometry_nonuniform.angle_gaps(W_k))
        np.testing.assert_allclose(gaps[:3], 55, atol=6)  # between pairs
        np.testing.assert_allclose(gaps[3:], 65, atol=6)  # within a pair
    caption = geometry_nonuniform.shape_caption((0.1, 0.02, 0.005), W, ex.sets)
    assert caption.count("a hexagon, pairs adjacent") == 2 and "1 collapsed onto their sum" in caption


def test_is_hexagon_rejects_collapsed_pairs_and_mixed_order() -> None:
    sets = geometry_nonuniform.SET_EXPERIMENTS["three_pairs"].sets
    angle = np.radians([0, 65, 120, 185, 240, 305])  # pairs (0,1), (2,3), (4,5) adjacent
    hexagon = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    assert geometry_nonuniform.is_hexagon(hexagon, sets)
    assert not geometry_nonuniform.is_hexagon(hexagon[[0, 2, 1, 3, 4, 5]], sets)  # pairs not adjacent
    collapsed = hexagon.copy()
    collapsed[1] = collapsed[0]
    assert not geometry_nonuniform.is_hexagon(collapsed, sets)
