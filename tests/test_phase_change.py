"""Phase diagrams: classification of the extra feature, the paper's seed reduction, the n = 3 theory,
the empirical n = 2, m = 1 diagram against the closed forms, and the precomputed diagrams."""

from __future__ import annotations

import numpy as np
import pytest

from core import theory
from core.assets import load_asset, same_config
from core.chapters import phase_change
from core.train import train

NL, SP, DE = phase_change.NOT_LEARNED, phase_change.SUPERPOSITION, phase_change.DEDICATED


# ---- classification ----------------------------------------------------------------------------


def test_classify_the_three_n2m1_solutions() -> None:
    W = np.array(
        [
            [[1.0], [-1.0]],  # antipodal pair: the extra feature shares the dimension
            [[0.0], [1.0]],  # the extra feature has the dimension alone
            [[1.0], [1e-3]],  # the extra feature is (almost) not stored
            [[0.1], [1.0]],  # a faint partner does not make it superposition
        ]
    )
    norm, sup = phase_change.extra_feature_stats(W)
    np.testing.assert_allclose(norm, [1.0, 1.0, 1e-3, 1.0])
    np.testing.assert_allclose(sup, [1.0, 0.0, 1.0, 0.01])  # a tiny W_extra still points somewhere
    np.testing.assert_array_equal(phase_change.classify(norm, sup), [SP, DE, NL, DE])


def test_classify_n3m2_layouts() -> None:
    pair_plus_orthogonal = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])  # extra antipodal to feature 0
    units_paired = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0]])  # extra gets the second dimension
    dropped = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    codes = phase_change.classify(
        *phase_change.extra_feature_stats(np.stack([pair_plus_orthogonal, units_paired, dropped]))
    )
    np.testing.assert_array_equal(codes, [SP, DE, NL])


# ---- the paper's reduction -----------------------------------------------------------------------


def test_drop_the_worst_and_average_the_rest() -> None:
    losses = np.array([[0.1, 5.0], [0.9, 1.0], [0.2, 3.0]])  # [seeds, cells]; worst: seed 1, then seed 0
    values = np.array([[10.0, 1.0], [-50.0, 2.0], [20.0, 3.0]])
    np.testing.assert_array_equal(phase_change.kept_seeds(losses), [[True, False], [False, True], [True, True]])
    np.testing.assert_allclose(phase_change.reduce_seeds(values, losses), [15.0, 2.5])
    np.testing.assert_allclose(phase_change.reduce_seeds(values, losses, "best"), [10.0, 2.0])


def test_reduction_edge_cases() -> None:
    np.testing.assert_allclose(phase_change.reduce_seeds([[4.0]], [[1.0]]), [4.0])  # one seed: nothing to drop
    losses = np.array([0.5, np.nan, 0.7])  # a diverged model counts as the worst
    np.testing.assert_array_equal(phase_change.kept_seeds(losses), [True, False, True])
    np.testing.assert_allclose(phase_change.reduce_seeds([1.0, 100.0, 3.0], losses), 2.0)
    with pytest.raises(ValueError):
        phase_change.kept_seeds(losses, "median")


def test_empirical_diagram_ignores_the_worst_model() -> None:
    grid = phase_change.PhaseGrid(2, np.array([0.5]), np.array([0.05, 1.0]), 3)
    pair, dropped = np.array([[1.0], [-1.0]]), np.array([[1.0], [0.0]])
    # cell (0.5, 0.05): two good models in superposition and a stuck one (highest loss) that dropped it
    # cell (0.5, 1.0): every model dropped the extra feature
    W = np.stack([np.stack([pair, dropped]), np.stack([dropped, dropped]), np.stack([pair, dropped])])
    losses = np.array([[1.0, 2.0], [9.0, 2.0], [1.1, 2.0]])
    d = phase_change.empirical_diagram(grid, W.reshape(6, 2, 1), losses.ravel())
    np.testing.assert_array_equal(d.phase, [[SP, NL]])
    np.testing.assert_allclose(d.norm, [[1.0, 0.0]])
    np.testing.assert_allclose(d.agreement, [[1.0, 1.0]])


def test_phase_config_lays_out_seed_then_ratio_then_density() -> None:
    grid = phase_change.PhaseGrid(3, np.array([0.1, 10.0]), np.array([1.0, 0.5, 0.01]), 2)
    cfg = phase_change.phase_config(grid, steps=10, seed=4)
    p, imp = cfg.broadcast()
    assert (cfg.n_features, cfg.n_hidden, cfg.n_instances) == (3, 2, 12)
    np.testing.assert_allclose(imp[:, :2], 1.0)
    np.testing.assert_allclose(imp[:, 2].reshape(2, 2, 3)[1, :, 0], [0.1, 10.0])
    np.testing.assert_allclose(p.reshape(2, 2, 3, 3)[0, 1, :, 0], [1.0, 0.5, 0.01])
    np.testing.assert_allclose(p[:, 0], p[:, 2])  # every feature shares the cell's density


# ---- theory ---------------------------------------------------------------------------------------


def test_n3m2_theory_follows_the_candidate_costs() -> None:
    r = np.array([0.1, 0.3, 0.6])
    edge = theory.phase_boundary_n2m1(r)
    np.testing.assert_array_equal(phase_change.theory_phase_n3m2(r, edge * 0.98), ["superposition"] * 3)
    np.testing.assert_array_equal(phase_change.theory_phase_n3m2(r, edge * 1.02), ["not learned"] * 3)
    # r > 1: pairing the two unit features (cost 2 s^2/6) beats pairing the extra one ((1 + r) s^2/6)
    s = np.array([0.01, 0.1, 0.5, 1.0])
    np.testing.assert_array_equal(phase_change.theory_phase_n3m2(3.0, s), ["dedicated"] * 4)
    assert theory.antipodal_cost(1.0, 1.0, 0.1) < theory.antipodal_cost(1.0, 3.0, 0.1)


@pytest.mark.parametrize("n", [2, 3])
def test_drawn_boundaries_separate_the_theory_phases(n: int) -> None:
    for rs, ps in phase_change.theory_boundaries(n):
        if np.all(rs == 1.0):  # the vertical part: the phases left and right of r = 1 differ
            for p in np.geomspace(max(ps.min(), 0.01), min(ps.max(), 1.0), 5):
                assert phase_change.theory_codes(n, 0.97, p) != phase_change.theory_codes(n, 1.03, p), (n, p)
            continue
        for r, p in zip(rs[1:-1:7], ps[1:-1:7]):  # the curve: the phases above and below it differ
            assert phase_change.theory_codes(n, r, p * 0.97) != phase_change.theory_codes(n, r, p * 1.03), (n, r, p)


def far_from_border(n: int, r: np.ndarray, p: np.ndarray, dr: float = 0.2, dp: float = 0.3) -> np.ndarray:
    """Cells whose theory phase is the same everywhere within +-dr decades in r and +-dp decades in p."""
    centre = phase_change.theory_codes(n, r, p)
    same = np.ones(r.shape, dtype=bool)
    for fr in (-dr, 0.0, dr):
        for fp in (-dp, 0.0, dp):
            same &= phase_change.theory_codes(n, r * 10**fr, np.minimum(p * 10**fp, 1.0)) == centre
    return same


def test_trained_n2m1_diagram_matches_theory_away_from_the_border() -> None:
    """A coarse 6 x 6 diagram, 3 models per cell, reduced as in the paper."""
    grid = phase_change.PhaseGrid(2, phase_change.ratio_grid(6), phase_change.density_grid(6), 3)
    result = train(phase_change.phase_config(grid, steps=10_000, seed=1), threads=2)
    diagram = phase_change.empirical_diagram(grid, result.W, result.loss)
    r, p = np.meshgrid(grid.ratios, grid.densities, indexing="ij")
    far = far_from_border(2, r, p)
    assert far.sum() >= 18  # most of the grid is not near a border
    agree = diagram.phase == phase_change.theory_codes(2, r, p)
    assert agree[far].mean() >= 0.8, (diagram.phase, phase_change.theory_codes(2, r, p))
    assert set(np.unique(diagram.phase)) == {NL, SP, DE}  # all three phases appear


# ---- precomputed diagrams -------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 3])
def test_phase_assets_match_their_config(n: int) -> None:
    builder = phase_change.BUILDERS[phase_change.ASSET_NAMES[n]]
    asset = load_asset(phase_change.ASSET_NAMES[n], version=builder.version)
    assert same_config(asset.config, builder.config)
    grid = phase_change.grid_from_config(asset.config)
    s, nr, npp = grid.shape
    assert asset.arrays["W"].shape == (s, nr, npp, n, n - 1)
    assert asset.arrays["b"].shape == (s, nr, npp, n)
    assert asset.arrays["loss"].shape == (s, nr, npp) and np.isfinite(asset.arrays["loss"]).all()
    cfg = asset.toy_config  # ToyConfig.from_dict of the stored config
    assert cfg.n_instances == s * nr * npp and cfg.n_features == n
    p, imp = cfg.broadcast()  # instances are [seed, ratio, density]; the last feature's importance is the ratio
    np.testing.assert_array_equal(p[:, 0].reshape(s, nr, npp)[0, 0], grid.densities)
    np.testing.assert_array_equal(imp[:, -1].reshape(s, nr, npp)[0, :, 0], grid.ratios)


@pytest.mark.parametrize("n", [2, 3])
def test_paper_resolution_diagrams_agree_with_theory(n: int) -> None:
    asset = load_asset(phase_change.ASSET_NAMES[n])
    grid = phase_change.grid_from_config(asset.config)
    r, p = np.meshgrid(grid.ratios, grid.densities, indexing="ij")
    expected = phase_change.theory_codes(n, r, p)
    far = far_from_border(n, r, p)
    paper = phase_change.empirical_diagram(grid, asset.arrays["W"], asset.arrays["loss"]).phase == expected
    best = phase_change.empirical_diagram(grid, asset.arrays["W"], asset.arrays["loss"], "best").phase == expected
    if n == 2:
        assert paper[far].mean() >= 0.9 and best[far].mean() >= 0.95
    else:  # n = 3: many starts get stuck pairing the extra feature when r > 1; the best model rarely does
        assert paper[far].mean() >= 0.7 and best[far].mean() >= 0.9
    assert best.mean() >= paper.mean()
