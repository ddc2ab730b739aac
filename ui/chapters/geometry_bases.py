"""Widgets for 'local almost-orthogonal bases': a uniform-sweep model's W^T W grouped by tegum factor."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.chapters import geometry, geometry_bases
from core.charts import geometry as geometry_charts
from ui.assets import asset_or_none
from ui.export import show_chart
from ui.state import chart_scale

ASSET = "uniform_n200_m20"
DEFAULT_INDEX = 10  # 1/p = 4.84: digons, pentagons and a square antiprism side by side


def block_section() -> None:
    asset = asset_or_none(ASSET, geometry.UNIFORM_VERSION)
    if asset is None:
        return
    a, c = asset.arrays, asset.config["toy_config"]
    kept = [int(i) for i in a["w_index"]]
    inverse = 1 / a["densities"].astype(np.float64)
    pick = st.select_slider(
        "Inverse density 1/p of the model to show (n = 200, m = 20, precomputed)",
        kept,
        value=DEFAULT_INDEX if DEFAULT_INDEX in kept else kept[-1],
        format_func=lambda i: f"{inverse[i]:.3g}",
        key="geo_blocks_density",
    )
    W_k = a["W"].astype(np.float64)[kept.index(pick)]
    view = geometry_bases.block_view(W_k)
    st.badge("Precomputed", icon=":material/inventory_2:", color="blue")
    if not view.names:
        st.caption(f"At 1/p = {inverse[pick]:.3g} no feature is represented.")
        return
    title = f"Wᵀ W grouped by tegum factor, 1/p = {inverse[pick]:.3g}"
    chart = geometry_charts.factor_blocks(view.gram, view.block, title, scale=chart_scale())
    alt_text = (
        f"Wᵀ W of the n = {c['n_features']}, m = {c['n_hidden']} model at 1/p = {inverse[pick]:.3g}, reordered into "
        f"{len(view.names)} diagonal blocks, one per tegum factor."
    )
    show_chart(chart, f"wtw-blocks-{inverse[pick]:.3g}", "geo_blocks", alt_text=alt_text)
    st.caption(block_caption(view, int(c["n_hidden"])))


def block_caption(view: geometry_bases.BlockView, m: int) -> str:
    """What the chart shows, from its numbers."""
    rep = int((view.block >= 0).sum())
    counts = {name: view.names.count(name) for name in dict.fromkeys(view.names)}
    kinds = ", ".join(f"{v} {k}{'s' if v > 1 else ''}" for k, v in counts.items())
    text = f"{rep} represented features in {len(view.names)} tegum factors ({kinds}). "
    if np.isfinite(view.within):
        text += f"Inside a factor the mean |Wᵢ·Wⱼ| is {view.within:.2f}; "
    if np.isfinite(view.between):
        text += f"between factors it is {view.between:.3f} (at most {view.between_max:.2f}). "
    agree = bool(np.all(view.ranks == view.spans))
    text += f"The blocks' ranks add up to {int(view.ranks.sum())} against m = {m} dimensions" + (
        ", and each block's rank equals the number of dimensions its features span." if agree else "."
    )
    if view.ranks.sum() > m:
        text += " More than m: the factors are only almost orthogonal, so their subspaces overlap a little."
    return text
