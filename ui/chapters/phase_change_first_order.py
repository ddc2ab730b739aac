"""Widgets for 'why the borders are sharp': candidate loss curves, their crossing, and trained models on them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core.chapters import geometry_claims, phase_change
from core.chapters import phase_change_first_order as first_order
from core.charts import phase_change as phase_change_charts
from ui.assets import asset_or_none
from ui.export import show_chart
from ui.state import chart_scale

CURVE_DENSITIES = 10 ** np.linspace(-2, 0, 200)
PENTAGON_RATIOS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)


@st.cache_data(show_spinner=False)
def _trained(ratio: float) -> tuple[float, np.ndarray, np.ndarray, int] | None:
    """The precomputed row nearest ``ratio``: (its r, densities, each density's best expected loss, models per cell)."""
    asset = asset_or_none(phase_change.ASSET_NAMES[2], phase_change.ASSET_VERSION)
    if asset is None:
        return None
    grid = phase_change.grid_from_config(asset.config)
    ri = int(np.argmin(np.abs(np.log(grid.ratios / ratio))))
    W, b = asset.arrays["W"].astype(np.float64)[:, ri], asset.arrays["b"].astype(np.float64)[:, ri]
    exact = first_order.trained_points_n2m1(W, b, float(grid.ratios[ri]), grid.densities)
    return float(grid.ratios[ri]), np.asarray(grid.densities), exact.min(axis=0), int(grid.seeds_per_cell)


def n2m1_curves(ratio: float) -> None:
    trained = _trained(ratio)
    r = trained[0] if trained is not None else ratio
    curves = first_order.candidate_losses_n2m1(r, CURVE_DENSITIES)
    cross = first_order.crossover_n2m1(r)
    pair_slope, drop_slope = first_order.slopes_at_crossover_n2m1(r)
    points = None
    if trained is not None:
        points = pd.DataFrame(
            {"x": trained[1], "loss": trained[2], "label": f"best of {trained[3]} precomputed models"}
        )
    chart = phase_change_charts.candidate_curves(
        CURVE_DENSITIES,
        curves,
        "feature density p (log scale)",
        crossover=cross,
        points=points,
        title=f"n = 2, m = 1, r = {r:.3g}: the three candidates",
        scale=chart_scale(),
    )
    alt_text = f"Loss of three candidate arrangements against density at r = {r:.3g}; they cross at p = {cross:.3g}."
    show_chart(chart, f"first-order-n2m1-r{r:.3g}", "pc_first_order", alt_text=alt_text)
    st.caption(n2m1_caption(r, trained))


def n2m1_caption(r: float, trained: tuple | None) -> str:
    """What the n = 2, m = 1 chart shows, from its numbers (``trained`` as returned by ``_trained``)."""
    cross = first_order.crossover_n2m1(r)
    pair_slope, drop_slope = first_order.slopes_at_crossover_n2m1(r)
    text = (
        f"At r = {r:.3g} the antipodal pair becomes cheapest below p = {cross:.3g}, where its curve meets the "
        f"cheaper drop's. There the pair's loss rises with slope {pair_slope:.3g} per unit of density and the "
        f"drop's with slope {drop_slope:.3g}: the optimal loss has a kink."
    )
    if trained is None:
        return text
    densities, best, seeds = trained[1], trained[2], trained[3]
    ratio_to_best = best / first_order.optimal_loss_n2m1(r, densities)
    text += (
        f" Dots: the lowest expected loss (integrated from the stored weights) among the {seeds} precomputed "
        f"models at each density; they sit between {ratio_to_best.min():.0%} and {ratio_to_best.max():.0%} of "
        "the lower curve."
    )
    at = float(densities[int(np.argmin(ratio_to_best))])
    if ratio_to_best.min() < 0.99 and cross / 3 < at < cross:
        text += (
            f" The biggest gap, at p = {at:.3g}, is just below the crossing: a trained pair also tunes its norms and "
            "bias, and so beats the idealised pair (unit weights, zero bias) a little."
        )
    return text


@st.cache_data(show_spinner="Optimising both arrangements at each density (a few seconds)…")
def _pentagon(seed: int) -> list[first_order.Comparison]:
    return [first_order.pentagon_vs_digons(x, per_set=first_order.PAGE_PER_SET, seed=seed) for x in PENTAGON_RATIOS]


def pentagon_curves(seed: int = 0) -> None:
    comparisons = _pentagon(seed)
    x = np.array([c.ratio for c in comparisons])
    curves = {
        "pentagon (allowed to distort)": np.array([c.pentagon.loss for c in comparisons]),
        "two digons, feature 0 dropped": np.array([c.digons.loss for c in comparisons]),
    }
    errors = {
        "pentagon (allowed to distort)": np.array([c.pentagon.standard_error for c in comparisons]),
        "two digons, feature 0 dropped": np.array([c.digons.standard_error for c in comparisons]),
    }
    cross = first_order.crossing(comparisons)
    chart = phase_change_charts.candidate_curves(
        x,
        curves,
        "feature 0's density ÷ the others' (0.05) (log scale)",
        crossover=cross,
        errors=errors,
        title="n = 5, m = 2: pentagon against two digons",
        scale=chart_scale(),
    )
    alt_text = (
        f"Expected loss of a pentagon and of two digons against feature 0's relative density; they cross at {cross}."
    )
    show_chart(chart, "first-order-pentagon-digons", "pc_first_order_pentagon", alt_text=alt_text)
    scan = geometry_claims.FINE_SCAN
    collapsed = [c.ratio for c in comparisons if np.linalg.norm(c.pentagon.W[0]) < geometry_claims.STORED]
    worst = max(max(c.pentagon.standard_error, c.digons.standard_error) for c in comparisons)
    text = (
        f"Both arrangements optimised here against the same sample (seed {seed}); the largest standard error of a "
        f"point is {worst:.1e}, far below the gap between the curves away from the crossing. "
        + (f"They cross at {cross:.2f}× the others' density. " if cross is not None else "They do not cross here. ")
        + f"Trained models (the Geometry chapter's fine scan, seeds {scan.seeds[0]}–{scan.seeds[-1]}) drop feature 0 "
        f"up to {min(scan.highest_dropped):.2f}–{max(scan.highest_dropped):.2f}× and keep it from "
        f"{min(scan.kept_from):.2f}–{max(scan.kept_from):.2f}×."
    )
    if collapsed:
        text += (
            f" At {', '.join(f'{v:g}×' for v in collapsed)} descent from a pentagon no longer stays a pentagon: "
            "it ends in the digons, so the pentagon curve there is the digons' loss."
        )
    st.caption(text)
