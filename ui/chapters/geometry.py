"""Rendering for the "geometry of superposition" chapter: uniform sweeps (precomputed or live) and the
non-uniform experiments (a perturbed pentagon, correlated and anticorrelated feature sets)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from core import analysis
from core.assets import Asset, AssetError, load_asset
from core.chapters import (
    geometry,
    geometry_claims,
    geometry_layout,
    geometry_nonuniform,
    geometry_predict,
    geometry_sweep_claims,
)
from core.charts import common as charts
from core.charts import geometry as geometry_charts
from core.config import ToyConfig
from core.train import TrainResult
from ui import linked, predict
from ui.assets import asset_or_none
from ui.export import show_chart
from ui.live import get_run, live_training
from ui.state import chart_scale

LIVE_N, LIVE_M, LIVE_K = 30, 6, 10  # the uniform sweep trained on the page: seconds, not minutes
SOURCES = {
    "paper": "The paper's model: n = 400, m = 30 (precomputed)",
    "notebook": "The reference notebook's: n = 200, m = 20 (precomputed)",
    "dense_end": "Fine sweep near the dense end: n = 60, m = 6, 30,000 steps (precomputed)",
    "live": f"Small enough to train here: n = {LIVE_N}, m = {LIVE_M} (live)",
}
PENTAGON_RATIOS = 10.0 ** np.linspace(-1.0, 1.0, 7)  # feature 0's density / the others', 0.1 to 10 (1 included)
PENTAGON_LINKED = "geo"  # the pentagon panel's linked views: one feature followed in the arrows and the lengths
PENTAGON_HINT = (
    "Click a feature's arrow tip, its dot in the lengths chart or its legend entry to follow it in both charts."
)
NONUNIFORM = {
    "pentagon": "Change one feature's density in the pentagon (n = 5, m = 2)",
    **{key: ex.title for key, ex in geometry_nonuniform.SET_EXPERIMENTS.items()},
}


@dataclass(frozen=True)
class Sweep:
    """A uniform sweep as the charts need it, from an asset or a live run."""

    key: str
    n: int
    m: int
    summary: geometry.UniformSweepSummary
    W: np.ndarray  # [Kw, n, m] weights kept for some densities
    w_index: np.ndarray  # [Kw] which densities those are


@st.cache_resource(max_entries=8, show_spinner=False)
def _quiet(name: str) -> Asset | None:
    """An asset for a reference curve; missing ones are simply left out (no message)."""
    try:
        return load_asset(name, geometry.UNIFORM_VERSION)
    except AssetError:
        return None


def _from_asset(key: str, asset: Asset) -> Sweep:
    """The sweep with factor labels recomputed at today's edge threshold wherever weights are stored."""
    a = asset.arrays
    stored = geometry.UniformSweepSummary(
        a["densities"].astype(np.float64),
        a["dims_per_feature"].astype(np.float64),
        a["D"].astype(np.float64),
        a["labels"],
    )
    W = a["W"].astype(np.float64)
    summary = geometry_sweep_claims.relabelled(stored, W, a["w_index"])
    c = asset.config["toy_config"]
    return Sweep(key, int(c["n_features"]), int(c["n_hidden"]), summary, W, a["w_index"])


@st.cache_resource(max_entries=4, show_spinner=False)
def quiet_sweep(key: str) -> Sweep | None:
    """A precomputed sweep for the page's prose (relabelled once), or None if its asset is missing."""
    asset = _quiet(geometry.UNIFORM_ASSETS[key])
    return _from_asset(key, asset) if asset is not None else None


def precomputed_sweep(key: str) -> Sweep | None:
    """The paper-scale sweep from assets/, or None (after saying so) if it has not been built."""
    asset = asset_or_none(geometry.UNIFORM_ASSETS[key], geometry.UNIFORM_VERSION)
    if asset is None:
        return None
    c = asset.config["toy_config"]
    st.badge("Precomputed", icon=":material/inventory_2:", color="blue")
    st.caption(
        f"Precomputed by `python -m core.precompute`: n = {c['n_features']}, m = {c['n_hidden']}, importance 1, "
        f"{len(c['feature_probability'])} densities from {c['feature_probability'][0]:.3g} to "
        f"{c['feature_probability'][-1]:.3g}, "
        f"{c['steps']:,} steps, batch {c['batch_size']}, seed {c['seed']}."
    )
    return _from_asset(key, asset)


def live_config(seed: int) -> ToyConfig:
    return geometry.uniform_config(LIVE_N, LIVE_M, geometry.notebook_densities(LIVE_K), seed=seed)


def live_sweep(seed: int) -> None:
    """Train the small sweep here; the charts redraw as it learns."""
    cfg = live_config(seed)
    densities = geometry.notebook_densities(LIVE_K)
    st.badge("Trained live just now", icon=":material/bolt:", color="orange")
    st.caption(
        f"n = {LIVE_N}, m = {LIVE_M}, importance 1, {LIVE_K} densities 20^−linspace(0, 1, {LIVE_K}), "
        f"{cfg.steps:,} steps, batch 1024, seed {seed}. Press Play."
    )

    def render(view: TrainResult) -> None:
        summary = geometry.summarise(view.W, densities)
        show_sweep(Sweep("live", LIVE_N, LIVE_M, summary, view.W.astype(np.float64), np.arange(LIVE_K)))

    live_training("geo:uniform", cfg, render)


def _reference_curves(current: Sweep) -> list[tuple[str, np.ndarray, np.ndarray]]:
    shown = f"n = {current.n}, m = {current.m} (shown)"
    curves = [(shown, geometry.inverse_density(current.summary.densities), current.summary.dims_per_feature)]
    for key, name in geometry.UNIFORM_ASSETS.items():
        asset = _quiet(name) if key != current.key else None
        if asset is not None:
            c = asset.config["toy_config"]
            label = f"n = {c['n_features']}, m = {c['n_hidden']}"
            curves.append(
                (label, geometry.inverse_density(asset.arrays["densities"]), asset.arrays["dims_per_feature"])
            )
    return curves


def show_sweep(sweep: Sweep) -> None:
    """Dimensions per feature and D_i for every density, then the factors at one chosen density."""
    scale = chart_scale()
    s = sweep.summary
    kind_labels = geometry.kind_labels()
    pick = _density_picker(sweep)
    chosen = float(s.densities[sweep.w_index[pick]])
    size = f"n{sweep.n}-m{sweep.m}"
    left, right = st.columns(2)
    with left:
        curves = _reference_curves(sweep)
        show_chart(
            geometry_charts.dims_per_feature_chart(
                curves, geometry.STICKY_LEVELS, marked=float(geometry.inverse_density(chosen)), scale=scale
            ),
            f"dimensions-per-feature-{size}",
            "geo_dpf",
            alt_text=f"Line chart of dimensions per feature, m / ‖W‖²_F, against the inverse feature density "
            f"1/(1−S) (log scale), one line per model ({'; '.join(c[0] for c in curves)}), with dashed guides at 1 "
            f"and 1/2 and a vertical line at 1/(1−S) = {1 / chosen:.3g}, the model inspected below. The shown model "
            f"goes from {np.nanmax(s.dims_per_feature):.2f} down to {np.nanmin(s.dims_per_feature):.2f}.",
        )
    with right:
        show_chart(
            geometry_charts.dimensionality_chart(
                geometry.inverse_density(s.densities),
                s.D,
                np.array(kind_labels)[s.labels],
                kind_labels,
                geometry.D_GUIDES,
                s.dims_per_feature,
                scale=scale,
            ),
            f"feature-dimensionality-{size}",
            "geo_dims",
            alt_text=f"Scatter plot of every feature's dimensionality D_i against 1/(1−S) (log scale), "
            f"{sweep.n} features at each of {s.densities.size} densities, coloured by the kind of tegum factor it "
            "belongs to, with dashed guides at 3/4, 2/3, 1/2, 2/5 and 3/8 and a solid grey line for dimensions per "
            "feature.",
        )
    factors_at(sweep.W[pick], chosen, sweep.m)


def _density_picker(sweep: Sweep) -> int:
    inv = 1.0 / sweep.summary.densities[sweep.w_index]
    options = list(range(len(inv)))
    # open where the most shapes coexist: pentagons and antiprisms beside the last digons
    # (the dense-end sweep opens at 1/p = 1.5, where a tetrahedron and a triangle sit side by side)
    default = int(np.argmin(np.abs(inv - {"live": 4.0, "dense_end": 1.5}.get(sweep.key, 5.0))))
    return st.select_slider(
        "Look inside the model at 1/(1−S) = (inverse feature density; p = 1 − S in brackets)",
        options,
        value=default,
        format_func=lambda i: f"{inv[i]:.3g} (p = {1 / inv[i]:.3g})",
        key=f"geo_density_{sweep.key}",
        bind="query-params",
        help="The orange line on the left chart marks this density. The graph and gallery below show this model.",
    )


def factors_at(W_k: np.ndarray, density: float, m: int) -> None:
    """The feature graph and the polytopes of one model, with a count of what was found."""
    scale = chart_scale()
    factors = geometry.tegum_factors(W_k)
    counts = geometry.census(factors)
    stored = sum(f.features.size for f in factors)
    found = ", ".join(f"{v} × {k}" for k, v in counts.items()) or "none"
    st.markdown(
        f"**At 1/(1−S) = {1 / density:.3g}:** {stored} of {W_k.shape[0]} features are stored (‖Wᵢ‖ > "
        f"{geometry.NORM_THRESHOLD}); they form {len(factors)} tegum factors: {found}. "
        f"Σ Dᵢ = {analysis.feature_dimensionality(W_k).sum():.2f} (m = {m})."
    )
    left, right = st.columns([1, 1.3])
    with left:
        show_chart(
            geometry_charts.feature_graph(
                geometry_layout.graph_layout(W_k, factors), geometry.FACTOR_NAMES, scale=scale
            ),
            f"feature-graph-density-{density:.3g}",
            "geo_graph",
            alt_text=f"Network diagram of the {stored} stored features at 1/(1−S) = {1 / density:.3g}: dots coloured "
            f"by the kind of tegum factor, lines joining features with |Wᵢ · Wⱼ| ≥ {geometry.EDGE_THRESHOLD}; "
            f"{len(factors)} separate clusters ({found}).",
        )
        st.caption(
            f"Each dot is a stored feature; a line joins two features with |Wᵢ · Wⱼ| ≥ {geometry.EDGE_THRESHOLD} "
            "(thicker = larger), coloured as in the Dᵢ chart. Features in different clusters are (almost) orthogonal: "
            "each cluster is a tegum factor, drawn in its own plane."
        )
    with right:
        _gallery(W_k, factors, density, scale)


def _gallery(W_k: np.ndarray, factors: list[geometry.Factor], density: float, scale: float) -> None:
    shown = geometry.gallery(factors)
    show_chart(
        geometry_charts.polytope_gallery(
            [geometry_layout.polytope_view(W_k, f) for f in shown], geometry.FACTOR_NAMES, scale=scale
        ),
        f"polytopes-density-{density:.3g}",
        "geo_gallery",
        alt_text=f"Gallery of {len(shown)} small diagrams, one per kind of polytope found "
        f"({', '.join(f.name for f in shown) or 'none'}), each drawn in the space it spans with a line from the "
        "centre for every feature and dashed edges.",
    )
    st.caption(
        "One example of each shape, drawn in the space it spans. Lines from the centre are the features; dashed "
        "lines are the polytope's edges. 3-D shapes are tilted so you can see them; darker = nearer to you."
    )


# ---- non-uniform superposition -------------------------------------------------------------------


PAIR_QUESTIONS = {"correlated": "geometry_correlated_pair", "anticorrelated": "geometry_anticorrelated_pair"}


def nonuniform_config(kind: str, seed: int) -> ToyConfig:
    if kind == "pentagon":
        return geometry_nonuniform.perturbed_pentagon_config(PENTAGON_RATIOS, seed=seed)
    return geometry_nonuniform.SET_EXPERIMENTS[kind].config(seed=seed)


def nonuniform_run(kind: str, seed: int) -> None:
    cfg = nonuniform_config(kind, seed)
    st.badge("Trained live just now", icon=":material/bolt:", color="orange")
    if kind in PAIR_QUESTIONS:
        predict.ask(PAIR_QUESTIONS[kind], f"seed{seed}", started=get_run("geo:nonuniform", cfg).trainer.step > 0)
    live_training("geo:nonuniform", cfg, lambda view: _nonuniform_panel(kind, view))


def _nonuniform_panel(kind: str, view: TrainResult) -> None:
    if kind == "pentagon":
        _pentagon_panel(view)
        return
    ex = geometry_nonuniform.SET_EXPERIMENTS[kind]
    titles = [f"p = {p:g}" for p in ex.densities]
    show_chart(
        charts.arrows_row(view.W, titles, scale=chart_scale(), columns=4),
        f"{kind}-feature-arrows",
        f"geo_nu_{kind}_arrows",
        alt_text=f"{len(titles)} arrow diagrams of the {view.W.shape[1]} features' directions in "
        f"{view.W.shape[2]} dimensions, one per density ({', '.join(titles)}).",
    )
    st.dataframe(_pair_table(ex, view.W), hide_index=True, width="content")
    if view.steps_done > 0:
        st.caption(geometry_nonuniform.shape_caption(ex.densities, view.W, ex.sets))
        if kind in PAIR_QUESTIONS:
            relation = geometry_predict.typical_relation(view.W, ex.sets)
            predict.reveal(
                PAIR_QUESTIONS[kind], f"seed{view.config.seed}", relation, view.steps_done >= view.config.steps
            )


def _pentagon_panel(view: TrainResult) -> None:
    scale = chart_scale()
    p0 = geometry_nonuniform.PENTAGON_DENSITY * PENTAGON_RATIOS
    titles = [f"p₀ = {p:.3g} (×{r:.2g})" for p, r in zip(p0, PENTAGON_RATIOS)]
    # Inside the live panel: a click in either chart reruns the panel, and with it this line.
    followed = linked.follow_bar(PENTAGON_LINKED, view.W.shape[1], PENTAGON_HINT)
    show_chart(
        charts.arrows_row(view.W, titles, scale=scale, columns=4, followed=followed, pickable=True),
        "perturbed-pentagon-arrows",
        "geo_nu_arrows",
        **linked.link(PENTAGON_LINKED, "arrows"),
        alt_text=f"{len(titles)} arrow diagrams of the 5 features' directions in 2 dimensions, one per density of "
        f"feature 0, from {p0[0]:.3g} to {p0[-1]:.3g}; the other features have density {geometry_nonuniform.PENTAGON_DENSITY:g}.",
    )
    left, right = st.columns(2)
    norms = analysis.feature_norms(view.W)
    show_chart(
        geometry_charts.norms_vs_density(PENTAGON_RATIOS, norms, scale=scale, followed=followed, pickable=True),
        "perturbed-pentagon-norms",
        "geo_nu_norms",
        **linked.link(PENTAGON_LINKED, "norms"),
        alt_text="Line chart of each feature's length ‖Wᵢ‖ against feature 0's density divided by the others' (log "
        f"scale, {PENTAGON_RATIOS[0]:.2g} to {PENTAGON_RATIOS[-1]:.2g}), one line per feature; feature 0's length "
        f"goes from {norms[0, 0]:.2f} to {norms[-1, 0]:.2f}.",
        where=left,
    )
    st.caption(pentagon_drop_caption(view))
    gaps = np.stack([geometry_nonuniform.neighbour_gaps(W_k, 0) for W_k in view.W])
    middle = gaps[len(gaps) // 2]
    show_chart(
        geometry_charts.gaps_vs_density(PENTAGON_RATIOS, gaps, scale=scale),
        "perturbed-pentagon-angles",
        "geo_nu_gaps",
        alt_text="Line chart of the angle from feature 0 to its neighbour on each side against its relative density "
        f"(log scale), with a dashed line at 72° (a regular pentagon); at equal densities the angles are "
        f"{middle[0]:.0f}° and {middle[1]:.0f}°.",
        where=right,
    )


def pentagon_drop_caption(view: TrainResult) -> str:
    """Where this run stores or drops feature 0, read from its weights (nothing before training)."""
    if view.steps_done == 0:
        return "Untrained: press Play to see where feature 0 is dropped."
    switch = geometry_claims.drop_switch(PENTAGON_RATIOS, view.W)
    when = "after training" if view.steps_done >= view.config.steps else f"at step {view.steps_done:,}"
    if switch.highest_dropped is None:
        return f"In this run ({when}) feature 0 is stored (‖W₀‖ > 0.5) at every ratio."
    text = f"In this run ({when}) feature 0 is dropped (‖W₀‖ ≤ 0.5) up to ×{switch.highest_dropped:.2g}"
    if switch.kept_from is not None:
        text += f" and stored from ×{switch.kept_from:.2g} up"
    return text + (
        "."
        if switch.monotone
        else "; in between it flips: each ratio keeps the start with the lowest recent training loss, and that noisy "
        "number can pick a worse start."
    )


def _pair_table(ex: geometry_nonuniform.SetExperiment, W: np.ndarray) -> pd.DataFrame:
    rows = []
    for p, W_k in zip(ex.densities, W):
        cos = geometry_nonuniform.pair_cosines(W_k, ex.sets)
        row = {"density p": p}
        for j, c in enumerate(cos):
            row[f"features {2 * j} & {2 * j + 1}"] = f"{geometry_nonuniform.pair_relation(c)} (cos {c:+.2f})"
        rows.append(row)
    return pd.DataFrame(rows)
