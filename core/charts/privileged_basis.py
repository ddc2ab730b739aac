"""Charts for the "Privileged basis" chapter: features in the plane of two neurons, the loss as the hidden
space turns, and the weights in the neuron basis against the PCA basis.

Arrays in, chart out (every number is computed by core.chapters.privileged_basis or the page); style from
core.charts.style, arrow marks from core.charts.common; every builder takes ``scale`` for projector mode.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from core.charts import common
from core.charts.common import headed_arrows, segments
from core.charts.style import (
    GREY,
    OKABE_ITO,
    axis_limit,
    configure,
    diverging,
    emphasis,
    feature_color,
    feature_pick,
    square_axes,
    titled,
)


def _heat(
    W: np.ndarray, col_name: str, title: str, color: alt.Color, scale: float, followed: int | None, name: str
) -> alt.Chart:
    n, m = W.shape
    rows, cols = np.meshgrid(np.arange(n), np.arange(m), indexing="ij")
    df = pd.DataFrame({"feature": rows.ravel(), "col": cols.ravel(), "w": W.ravel()})
    return (
        alt.Chart(df)
        .mark_rect()
        .encode(
            x=alt.X("col:O", title=col_name),
            y=alt.Y("feature:O", title="feature i"),
            color=color,
            tooltip=["feature:O", alt.Tooltip("col:O", title=col_name), alt.Tooltip("w:Q", format=".3f")],
            opacity=emphasis(followed),
        )
        # cells keep their laptop size in presenter mode (only the text grows), so the pair fits a half-width panel
        .properties(width=alt.Step(22), height=alt.Step(20), title=title, name=name)
    )


HEAT_VIEWS = ("neuron_basis_cells", "pca_basis_cells")  # the two heatmaps' names, where the click selection sits


def basis_heatmaps(
    neuron: np.ndarray,
    pca: np.ndarray,
    title: str,
    scale: float = 1.0,
    followed: int | None = None,
    pickable: bool = False,
) -> alt.HConcatChart:
    """W in the neuron basis beside W in the PCA basis, one diverging colour scale centred at 0.

    Row i of both is feature i (the column ``feature``). ``followed``: the feature a linked view follows (its row
    stays in both heatmaps, the others fade); ``pickable``: a click on a cell of either heatmap picks the feature of
    its row (``core.charts.style.feature_pick``).
    """
    neuron, pca = np.asarray(neuron, dtype=np.float64), np.asarray(pca, dtype=np.float64)
    limit = float(max(np.abs(neuron).max(initial=0), np.abs(pca).max(initial=0), 1e-9))
    color = alt.Color(
        "w:Q",
        scale=diverging(limit),
        legend=alt.Legend(title="weight (blue < 0 < orange)", orient="bottom"),
    )
    left = _heat(neuron, "neuron j", "Neuron basis", color, scale, followed, HEAT_VIEWS[0])
    right = _heat(pca, "principal axis k", "PCA basis", color, scale, followed, HEAT_VIEWS[1])
    chart = alt.hconcat(left, right).resolve_scale(color="shared").properties(title=title)
    if pickable:
        # One selection over both heatmaps, placed by name (as in core.charts.common.arrows_row: added to each,
        # Altair would keep it on one of them only).
        chart.params = [alt.TopLevelSelectionParameter(**feature_pick().param.to_dict(), views=list(HEAT_VIEWS))]
    return configure(chart, scale)


def alignment_bars(
    neuron: np.ndarray, pca: np.ndarray, features: Sequence[int], m: int, title: str, scale: float = 1.0
) -> alt.LayerChart:
    """Each feature's largest |weight| share in the neuron basis and in the PCA basis; a rule at 1/m (spread evenly)."""
    labels = ["neuron basis", "PCA basis"]
    df = pd.DataFrame(
        {
            "feature": np.tile(np.asarray(features), 2),
            "basis": np.repeat(labels, len(features)),
            "share": np.concatenate([np.asarray(neuron)[list(features)], np.asarray(pca)[list(features)]]),
        }
    )
    color = alt.Color("basis:N", scale=alt.Scale(domain=labels, range=[OKABE_ITO[1], OKABE_ITO[0]]), title="basis")
    x = alt.X("share:Q", scale=alt.Scale(domain=[0, 1]), title="largest |weight| share  (1 = one axis only)")
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("feature:O", title="feature i (stored ones)"),
            yOffset="basis:N",
            x=x,
            color=color,
            tooltip=["feature:O", "basis:N", alt.Tooltip("share:Q", format=".3f")],
        )
    )
    even = alt.Chart(pd.DataFrame({"share": [1.0 / m]})).mark_rule(color=GREY, strokeDash=[4, 3]).encode(x="share:Q")
    key = f"dashed: 1/m = {1.0 / m:.2g}, an even spread"
    chart = alt.layer(bars, even).properties(
        width=240 * scale, height=alt.Step(9 * scale), title=titled(title, key, scale)
    )
    return configure(chart, scale)


def rotation_loss(
    angles: np.ndarray, losses: np.ndarray, chosen: float, chosen_loss: float, title: str, scale: float = 1.0
) -> alt.LayerChart:
    """Loss on a fixed batch against rotation angle; a dot marks the chosen angle."""
    df = pd.DataFrame({"angle": np.asarray(angles, dtype=np.float64), "loss": np.asarray(losses, dtype=np.float64)})
    lo, hi = float(df["loss"].min()), float(df["loss"].max())
    pad = max(0.05 * (hi - lo), 0.02 * abs(hi), 1e-12)
    y = alt.Y("loss:Q", scale=alt.Scale(domain=[lo - pad, hi + pad], zero=False), title="loss on a fixed batch")
    x = alt.X("angle:Q", title="rotation angle θ (degrees)", scale=alt.Scale(domain=[0, 360]))
    line = alt.Chart(df).mark_line(strokeWidth=2 * scale, color=OKABE_ITO[0]).encode(x=x, y=y)
    dot_df = pd.DataFrame({"angle": [chosen], "loss": [chosen_loss]})
    dot = (
        alt.Chart(dot_df)
        .mark_circle(size=110 * scale**2, color=OKABE_ITO[3], opacity=1)
        .encode(x=x, y=y, tooltip=[alt.Tooltip("angle:Q", title="θ"), alt.Tooltip("loss:Q", format=".6g")])
    )
    head = titled(title, f"red dot: your angle θ = {chosen:g}°", scale)
    return configure(alt.layer(line, dot).properties(width=300 * scale, height=200 * scale, title=head), scale)


def plane_arrows(
    W2: np.ndarray,
    axis_names: tuple[str, str],
    title: str,
    scale: float = 1.0,
    followed: int | None = None,
    pickable: bool = False,
) -> alt.LayerChart:
    """Features as arrows in the plane of two chosen axes (the first two columns of W2), labelled at the tip.

    No legend (the tips carry the numbers); arrows shorter than 0.25 in this plane are left unlabelled and those
    shorter than 0.05 undrawn, so the origin does not turn into a pile of digits and arrowheads.

    ``followed``: the feature a linked view follows (its arrow and number stay, the others fade); ``pickable``: a
    click on an arrow or its number picks its feature (``core.charts.style.feature_pick``; a Vega-Lite click
    selection listens to its whole layered view). The ``feature`` column holds the indices as text ("3"), which
    ``ui.linked.picked_feature`` and the emphasis test ``datum.feature == 3`` both read as the number.
    """
    W2 = np.asarray(W2, dtype=np.float64)[:, :2]
    n = W2.shape[0]
    x, y = square_axes(axis_limit(W2, floor=1.0), axis_names)
    df = segments(np.zeros((n, 2)), W2, feature=[str(i) for i in range(n)], length=np.linalg.norm(W2, axis=1))
    df = df[df["length"] >= 0.05]  # a dropped feature would only leave an arrowhead at the origin
    color = feature_color(n).legend(None)
    fade = emphasis(followed)
    long = df[df["length"] >= 0.25]
    text = alt.Chart(long).mark_text(dx=8 * scale, dy=-8 * scale, fontSize=11 * scale, fontWeight="bold")
    text = text.encode(x=x, y=y, text="feature:N", color=alt.value(common.LABEL_INK))  # dark: yellow text is unreadable
    arrows = headed_arrows(df, x, y, color, 2.2 * scale)
    arrows.layer = [part.encode(opacity=fade) for part in arrows.layer]
    if pickable:
        arrows.layer[-1] = arrows.layer[-1].add_params(feature_pick())  # on the heads; the lines pick as well
    side = 240 * scale
    chart = alt.layer(arrows, text.encode(opacity=fade)).properties(width=side, height=side, title=title)
    return configure(chart, scale)
