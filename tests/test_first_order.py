"""The first-order evidence on the Phase change page: candidate loss curves, their crossing, trained models on them."""

from __future__ import annotations

import numpy as np
import pytest

from core.assets import load_asset
from core.chapters import geometry_claims, phase_change
from core.chapters import phase_change_first_order as first_order


@pytest.mark.parametrize("r", [0.1, 0.3, 0.7, 1.0, 2.0, 5.0, 10.0])
def test_n2m1_crossover_is_the_closed_form_border(r: float) -> None:
    """The root of (pair - cheaper drop) equals 4r/(2+5r) (r <= 1) or 4/(5+2r) (r >= 1), written out here."""
    expected = 4 * r / (2 + 5 * r) if r <= 1 else 4 / (5 + 2 * r)
    assert first_order.crossover_n2m1(r) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("r", [0.1, 0.5, 1.0, 3.0])
def test_n2m1_curves_cross_at_an_angle(r: float) -> None:
    """Unequal slopes at the crossing (a kink in the optimal loss), checked by finite differences of the envelope."""
    s, h = first_order.crossover_n2m1(r), 1e-5
    left = (first_order.optimal_loss_n2m1(r, s) - first_order.optimal_loss_n2m1(r, s - h)) / h
    right = (first_order.optimal_loss_n2m1(r, s + h) - first_order.optimal_loss_n2m1(r, s)) / h
    pair, drop = first_order.slopes_at_crossover_n2m1(r)
    assert float(left) == pytest.approx(pair, rel=1e-3) and float(right) == pytest.approx(drop, rel=1e-3)
    assert pair > 1.5 * drop


def test_candidate_losses_match_a_direct_simulation() -> None:
    """The closed forms (mean over features) against exact integration of the candidate weights."""
    r, s = 2.0, 0.2
    imp = np.array([1.0, r])
    pair = first_order.expected_loss(np.array([[1.0], [-1.0]]), np.zeros(2), s, imp)
    drop_extra = first_order.expected_loss(np.array([[1.0], [0.0]]), np.array([0.0, s / 2]), s, imp)
    c = first_order.candidate_losses_n2m1(r, s)
    assert pair == pytest.approx(float(c["antipodal pair"]), rel=3e-3)  # 20 x 20 midpoint grid
    assert drop_extra == pytest.approx(float(c["drop the extra feature"]), rel=1e-3)


@pytest.mark.parametrize("ri", [2, 10, 15])
def test_best_trained_models_sit_on_the_lower_curve(ri: int) -> None:
    """The page's dots: the best of 10 precomputed models per density is within 10% of the optimal candidate
    (only below it near the crossing, where a trained pair tunes norms and bias), never more than 1% above."""
    asset = load_asset(phase_change.ASSET_NAMES[2], phase_change.ASSET_VERSION)
    grid = phase_change.grid_from_config(asset.config)
    W, b = asset.arrays["W"].astype(np.float64)[:, ri], asset.arrays["b"].astype(np.float64)[:, ri]
    r = float(grid.ratios[ri])
    best = first_order.trained_points_n2m1(W, b, r, grid.densities).min(axis=0)
    ratio = best / first_order.optimal_loss_n2m1(r, grid.densities)
    assert ratio.max() < 1.01 and ratio.min() > 0.9
    far = np.abs(np.log(grid.densities / first_order.crossover_n2m1(r))) > np.log(3)
    assert np.all(np.abs(ratio[far] - 1) < 0.02)


def test_monte_carlo_standard_errors_are_honest() -> None:
    """Across 4 sample seeds the pentagon's loss (re-optimised each time) scatters by about its stated error."""
    runs = [first_order.pentagon_vs_digons(0.3, per_set=300, seed=s) for s in range(4)]
    losses = np.array([c.pentagon.loss for c in runs])
    errors = np.array([c.pentagon.standard_error for c in runs])
    assert np.all(errors > 0) and np.all(errors < 1e-2 * losses)
    assert np.all(np.abs(losses - losses.mean()) < 5 * errors.mean())


def test_pentagon_digon_crossover_lies_in_the_trained_range() -> None:
    """Seeds 0 and 1, at the page's sample size: the crossing sits between the fine scan's lowest 'dropped' and highest 'kept' ratio."""
    scan = geometry_claims.FINE_SCAN
    for seed in (0, 1):
        cs = [
            first_order.pentagon_vs_digons(x, per_set=first_order.PAGE_PER_SET, seed=seed)
            for x in (0.2, 0.25, 0.3, 0.35)
        ]
        assert all(c.difference_error < 0.2 * abs(c.difference) for c in cs if abs(c.ratio - 0.26) > 0.02)
        cross = first_order.crossing(cs)
        assert cross is not None and min(scan.highest_dropped) <= cross <= max(scan.kept_from)


@pytest.mark.parametrize("r", [0.1, 1.0, 3.0])
def test_page_caption_reads_the_curves_and_the_asset(r: float) -> None:
    """The n = 2, m = 1 caption formats the crossing, both slopes and the dots' range from the data; it claims the
    biggest gap is just below the crossing only where that is so (with this asset it is, for these rows)."""
    from ui.chapters.phase_change_first_order import n2m1_caption

    asset = load_asset(phase_change.ASSET_NAMES[2], phase_change.ASSET_VERSION)
    grid = phase_change.grid_from_config(asset.config)
    ri = int(np.argmin(np.abs(np.log(grid.ratios / r))))
    rr = float(grid.ratios[ri])
    W, b = asset.arrays["W"].astype(np.float64)[:, ri], asset.arrays["b"].astype(np.float64)[:, ri]
    best = first_order.trained_points_n2m1(W, b, rr, grid.densities).min(axis=0)
    text = n2m1_caption(rr, (rr, grid.densities, best, grid.seeds_per_cell))
    pair, drop = first_order.slopes_at_crossover_n2m1(rr)
    assert f"below p = {first_order.crossover_n2m1(rr):.3g}" in text and f"{pair:.3g}" in text and f"{drop:.3g}" in text
    ratio = best / first_order.optimal_loss_n2m1(rr, grid.densities)
    assert f"between {ratio.min():.0%} and {ratio.max():.0%}" in text
    at = grid.densities[int(np.argmin(ratio))]
    assert ("just below the crossing" in text) == bool(
        first_order.crossover_n2m1(rr) / 3 < at < first_order.crossover_n2m1(rr)
    )
    assert "just below the crossing" in text
