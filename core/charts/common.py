"""Altair chart builders: numpy arrays in, ``alt.Chart`` out.

The builders several chapters share (feature arrows, W^T W heatmaps, norms, loss curves, PCA views),
and the arrow marks several chapter modules draw with. Colours, fonts and padding come from
``core.charts.style``.

Builders do no science: Gram matrices, norms, superposition and PCA coordinates are computed by the
caller (``core.analysis``, ``core.chapters.*``) and passed in. What a builder may compute is layout:
axis ranges, arrowhead angles, and the length of an arrow it draws.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from core.charts.style import (
    GUIDE,
    INK,
    OKABE_ITO,
    SEQUENTIAL,
    axis_limit,
    category_color,
    configure,
    diverging,
    emphasis,
    feature_pick,
    pc_titles,
    square_axes,
    whole_title,
)

DIMENSIONALITY_GUIDES = {"1": 1.0, "3/4": 0.75, "2/3": 2 / 3, "1/2": 0.5, "2/5": 0.4, "3/8": 0.375}
GUIDES_MIDDLE = ["1", "3/4", "2/3", "1/2"]  # far enough apart to sit centred on their rules


LABELLED_LEGEND_MAX = 12  # marks that carry their own text label need no long legend
LABEL_INK = INK  # text labels: readable on the light and the dark theme (style.INK)
LABEL_MIN_REACH = 0.2  # a point nearer the origin than this share of the farthest one gets no text label


HIDDEN_AXES = ("hidden dimension 1", "hidden dimension 2")


def _arrow_marks(
    base: alt.Chart, scale: float, followed: int | None = None, pickable: bool = False, legend: bool = False
) -> list[alt.Chart]:
    """A line from the origin to W_i, a dot at its tip and the feature's number: the three layers.

    ``followed``: the feature a linked view follows (the others fade); ``pickable``: a click on a tip (or a
    legend entry) picks its feature (the selection ``style.FEATURE_PICK``).
    """
    base = base.encode(opacity=emphasis(followed))
    lines = base.mark_rule(strokeWidth=2.5 * scale).encode(x2="x0:Q", y2="y0:Q")
    tips = base.mark_circle(size=70 * scale**2)
    if pickable:
        tips = tips.add_params(feature_pick(legend=legend))
    # The number is dark, not the feature's colour: Okabe-Ito yellow text on white is unreadable (contrast 1.2);
    # the dot beside it carries the colour.
    labels = base.mark_text(dx=9 * scale, dy=-9 * scale, fontSize=12 * scale, fontWeight="bold", color=LABEL_INK)
    return [lines, tips, labels.encode(text="feature:N", color=alt.value(LABEL_INK))]


def _arrow_frame(W: np.ndarray, importance: np.ndarray | None) -> tuple[pd.DataFrame, list]:
    """One row per (panel, feature) of W [panels, n, 2], and the tooltip that goes with it."""
    k, n, _ = W.shape
    df = pd.DataFrame(
        {
            "panel": np.repeat(np.arange(k), n),
            "feature": np.tile(np.arange(n), k),
            "x": W[:, :, 0].ravel(),
            "y": W[:, :, 1].ravel(),
            "x0": 0.0,
            "y0": 0.0,
            # an arrow's length in the plane it is drawn in: layout, like the axis range, not a measure
            "norm": np.hypot(W[:, :, 0], W[:, :, 1]).ravel(),
        }
    )
    tooltip = ["feature:N", alt.Tooltip("norm:Q", format=".3f", title="‖Wᵢ‖")]
    if importance is not None:
        df["importance"] = np.tile(np.asarray(importance, dtype=np.float64), k)
        tooltip.append(alt.Tooltip("importance:Q", format=".3g"))
    return df, tooltip


def _check_2d(W: np.ndarray) -> np.ndarray:
    """W as float64 [panels, n, 2]."""
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 3 or W.shape[2] != 2:
        raise ValueError(f"feature arrows need [n_features, 2] weights, got {W.shape[1:]}")
    return W


def _arrow_layer(
    W_k: np.ndarray,
    title: str,
    limit: float,
    importance: np.ndarray | None,
    scale: float,
    axes: tuple[str, str] = HIDDEN_AXES,
    followed: int | None = None,
    tips_name: str | None = None,
) -> alt.LayerChart:
    """One panel of arrows; ``followed`` fades the other features, ``tips_name`` names the layer of tips (so a
    selection defined above the panel can be placed on it, see ``arrows_row``)."""
    W = _check_2d(np.asarray(W_k, dtype=np.float64)[None])
    df, tooltip = _arrow_frame(W, importance)
    x, y = square_axes(limit, axes)
    color = category_color("feature", list(range(W.shape[1])), "feature i", legend_max=LABELLED_LEGEND_MAX)
    base = alt.Chart(df).encode(x=x, y=y, color=color, tooltip=tooltip)
    side = 280 * scale
    lines, tips, labels = _arrow_marks(base, scale, followed)
    if tips_name is not None:
        tips = tips.properties(name=tips_name)
    return alt.layer(lines, tips, labels).properties(width=side, height=side, title=whole_title(title))


GRID_SIDE, GRID_SPACING = 250, 8  # five panels and one y axis fit a laptop-width page


def _arrow_grid(
    W: np.ndarray,
    titles: Sequence[str],
    limit: float,
    importance: np.ndarray | None,
    scale: float,
    columns: int,
    followed: int | None = None,
    pickable: bool = False,
) -> alt.FacetChart:
    """All panels from one table, faceted: about ten times cheaper to build and serialise than a concat
    of separate charts, which matters because live pages redraw this several times a second."""
    df, tooltip = _arrow_frame(W, importance)
    x, y = square_axes(limit, HIDDEN_AXES)
    color = category_color("feature", list(range(W.shape[1])), "feature i", LABELLED_LEGEND_MAX, below=True)
    base = alt.Chart().encode(x=x, y=y, color=color, tooltip=tooltip)
    side = GRID_SIDE * scale
    header = alt.Header(
        title=None,
        # panel number -> its title, one line per " · " part: a one-line title wider than its panel widens the column
        labelExpr=f"split({json.dumps([str(t) for t in titles])}[datum.value], ' · ')",
        labelFontSize=13 * scale / 0.6,
        labelFontWeight="bold",
        labelAnchor="start",
        labelLimit=0,
    )
    marks = _arrow_marks(base, scale, followed, pickable, legend=W.shape[1] <= LABELLED_LEGEND_MAX)
    layered = alt.layer(*marks, data=df).properties(width=side, height=side)
    return layered.facet(facet=alt.Facet("panel:O", header=header), columns=columns, spacing=GRID_SPACING)


def feature_arrows(
    W_k: np.ndarray, title: str = "Feature directions Wᵢ", importance: np.ndarray | None = None, scale: float = 1.0
) -> alt.LayerChart:
    """Each feature as a line from the origin to W_i (m = 2), coloured by feature index."""
    return configure(_arrow_layer(W_k, title, axis_limit(W_k, floor=1.0), importance, scale), scale)


def arrows_row(
    W: np.ndarray,
    titles: Sequence[str],
    importance: np.ndarray | None = None,
    scale: float = 1.0,
    columns: int = 5,
    axes: Sequence[tuple[str, str]] | None = None,
    followed: int | None = None,
    pickable: bool = False,
) -> alt.ConcatChart | alt.FacetChart:
    """Small multiples for a sweep, W [instances, n, 2], ``columns`` per row; one shared axis range so sizes compare.

    ``followed`` and ``pickable`` link the grid to the page's other charts (see ``_arrow_marks``).

    ``axes`` names each panel's x and y axes when they are not the hidden dimensions (e.g. principal axes).
    """
    W = _check_2d(W)
    if len(titles) != W.shape[0]:
        raise ValueError(f"need one title per instance ({W.shape[0]}), got {len(titles)}")
    axes = list(axes) if axes is not None else [HIDDEN_AXES] * W.shape[0]
    if len(axes) != W.shape[0]:
        raise ValueError(f"need one pair of axis names per instance ({W.shape[0]}), got {len(axes)}")
    limit = axis_limit(W, floor=1.0)
    # Bigger panels (presenter mode) get fewer per row, so the row keeps about the same width.
    per_row = max(1, min(columns, int(columns / scale + 0.5)) if scale > 1 else columns)
    if all(tuple(a) == HIDDEN_AXES for a in axes):
        grid = _arrow_grid(W, titles, limit, importance, scale * 0.6, per_row, followed, pickable)
        return configure(grid, scale)
    tips = [f"arrow_tips_{k}" for k in range(W.shape[0])]
    panels = [
        _arrow_layer(W[k], str(t), limit, importance, scale * 0.6, tuple(axes[k]), followed, tips[k])
        for k, t in enumerate(titles)
    ]
    chart = alt.concat(*panels, columns=per_row)
    if pickable:
        # One selection over every panel's tips, placed by name. (Added to each panel, Altair would merge the
        # copies itself, with a warning and a list of views that names one that does not exist.)
        pick = feature_pick(legend=W.shape[1] <= LABELLED_LEGEND_MAX).param.to_dict()
        chart.params = [alt.TopLevelSelectionParameter(**pick, views=tips)]
    return configure(chart, scale)


def gram_frames(gram: np.ndarray, b_k: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """(W^T W cells, bias cells, colour limit): the data of every W^T W-and-bias picture.

    ``gram`` [n, n] is W^T W as the paper writes it (entry i, j = W_i . W_j, ``core.analysis.gram``)."""
    g = np.asarray(gram, dtype=np.float64)
    b = np.asarray(b_k, dtype=np.float64)
    n = g.shape[0]
    rows, cols = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    cells = pd.DataFrame({"row": rows.ravel(), "col": cols.ravel(), "value": g.ravel()})
    bias = pd.DataFrame({"row": np.arange(n), "col": "b", "value": b})
    limit = float(max(np.abs(g).max(initial=0), np.abs(b).max(initial=0), 1e-9))
    return cells, bias, limit


def gram_heatmap(
    gram: np.ndarray,
    b_k: np.ndarray,
    title: str = "Wᵀ W and bias b",
    scale: float = 1.0,
    followed: int | None = None,
    pickable: bool = False,
) -> alt.HConcatChart:
    """W^T W [n, n] (diagonal ||W_i||², off-diagonal interference) beside the bias column, on one diverging scale.

    ``followed``: the feature a linked view follows (its row and column stay, the rest fade); ``pickable``: a
    click on a cell picks the feature of its row (the selection ``style.FEATURE_PICK``, field ``row``).
    """
    cells, bias, limit = gram_frames(gram, b_k)
    n = len(bias)
    color = alt.Color("value:Q", scale=diverging(limit), legend=alt.Legend(title="value (blue < 0 < orange)"))
    cell = max(8.0, min(24.0, 360.0 / n)) * scale
    y = alt.Y("row:O", title="feature i (output)")
    tip = [alt.Tooltip("row:O", title="i"), alt.Tooltip("col:N", title="j"), alt.Tooltip("value:Q", format=".3f")]
    heat = (
        alt.Chart(cells)
        .mark_rect()
        .encode(
            x=alt.X("col:O", title="feature j (input)"),
            y=y,
            color=color,
            tooltip=tip,
            opacity=emphasis(followed, "row", "col"),
        )
        .properties(width=cell * n, height=cell * n, title="Wᵀ W")
    )
    if pickable:
        heat = heat.add_params(feature_pick("row"))
    bias_chart = (
        alt.Chart(bias)
        .mark_rect()
        .encode(
            x=alt.X("col:N", title="bias"),
            y=alt.Y("row:O", title=None),
            color=color,
            tooltip=tip,
            opacity=emphasis(followed, "row"),
        )
        .properties(width=cell, height=cell * n, title="b")
    )
    chart = alt.hconcat(heat, bias_chart).resolve_scale(color="shared").properties(title=title)
    return configure(chart, scale)


def norm_bars(
    norms: np.ndarray,
    superposition: np.ndarray,
    title: str = "Feature norms ‖Wᵢ‖",
    scale: float = 1.0,
    followed: int | None = None,
    pickable: bool = False,
) -> alt.Chart:
    """Horizontal bars of ||W_i|| [n]; colour shows how much of feature i's direction other features share
    (``superposition`` [n], Σ_j≠i (Ŵ_i·W_j)², as ``core.analysis.superposition`` computes it).

    Features with ||W_i|| <= 0.5 (not represented) are grey. ``followed`` and ``pickable`` link the bars to the
    page's other charts (the followed feature's bar stays, the rest fade; a click on a bar picks its feature).
    """
    sup = np.asarray(superposition, dtype=np.float64)
    df = pd.DataFrame(
        {"feature": np.arange(sup.size), "norm": np.asarray(norms, dtype=np.float64), "superposition": sup}
    )
    # A feature that is not represented has no meaningful direction: grey, not a superposition colour. (Not a NaN
    # colour: Vega-Lite drops a mark whose quantitative colour is invalid, and the bar would vanish.)
    df["represented"] = df["norm"] > 0.5
    df["colour"] = np.where(df["represented"], np.clip(sup, 0.0, 1.0), 0.0)
    # below the bars, not beside them: beside, the long title pushed the chart past a half column
    legend = alt.Legend(title="superposition Σⱼ≠ᵢ(Ŵᵢ·Wⱼ)² (≥ 1 clipped)", orient="bottom", gradientLength=200 * scale)
    chart = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("feature:O", title="feature i"),
            x=alt.X("norm:Q", title="‖Wᵢ‖"),
            color=alt.condition(
                "datum.represented",
                alt.Color("colour:Q", scale=alt.Scale(scheme=SEQUENTIAL, domain=[0, 1]), legend=legend),
                alt.value("#bbbbbb"),
            ),
            tooltip=["feature:O", alt.Tooltip("norm:Q", format=".3f"), alt.Tooltip("superposition:Q", format=".3f")],
            opacity=emphasis(followed),
        )
        # A step height (per bar), not a total: Streamlit overrides fixed heights on discrete axes.
        .properties(width=260 * scale, height=alt.Step(max(6.0, min(22.0, 320.0 / sup.size)) * scale), title=title)
    )
    if pickable:
        chart = chart.add_params(feature_pick())
    return configure(chart, scale)


def loss_curve(
    steps: np.ndarray,
    losses: np.ndarray,
    labels: Sequence[str],
    log_y: bool = True,
    title: str = "Training loss",
    legend_title: str = "instance",
    scale: float = 1.0,
) -> alt.Chart:
    """Loss against step, one line per instance; on a log axis non-positive values are dropped."""
    steps = np.asarray(steps, dtype=np.float64)
    losses = np.asarray(losses, dtype=np.float64).reshape(steps.size, -1)
    labels = [str(x) for x in labels]
    if len(labels) != losses.shape[1]:
        raise ValueError(f"need one label per loss column ({losses.shape[1]}), got {len(labels)}")
    df = pd.DataFrame({"step": np.repeat(steps, len(labels)), "loss": losses.ravel(), "run": labels * steps.size})
    if log_y:
        df = df[df["loss"] > 0]
    y_scale = alt.Scale(type="log") if log_y else alt.Scale(zero=False)
    chart = (
        alt.Chart(df)
        .mark_line(strokeWidth=2 * scale)
        .encode(
            x=alt.X("step:Q", title="training step"),
            y=alt.Y("loss:Q", scale=y_scale, title="loss" + (" (log scale)" if log_y else "")),
            color=category_color("run", labels, legend_title),
            tooltip=["run:N", "step:Q", alt.Tooltip("loss:Q", format=".4g")],
        )
        .properties(width=420 * scale, height=260 * scale, title=title)
    )
    return configure(chart, scale)


def labels_off_origin(coords: np.ndarray, labels: Sequence[str]) -> list[str]:
    """The labels of points away from the origin; "" for those near it (features a model barely stores all
    sit there, and their numbers would pile into one unreadable blot; the tooltip still names them)."""
    reach = np.hypot(coords[:, 0], coords[:, 1])
    far = reach >= LABEL_MIN_REACH * (reach.max() if reach.size else 0.0)
    return [label if keep else "" for label, keep in zip(labels, far)]


def pca_scatter(
    coords: np.ndarray,
    labels: Sequence[str],
    explained_variance_ratio: np.ndarray,
    title: str = "Feature directions, top two principal axes",
    scale: float = 1.0,
    followed: int | None = None,
    pickable: bool = False,
) -> alt.LayerChart:
    """Points in a 2-D PCA basis, equal axes, axis titles give each axis's share of variance.

    Row i of ``coords`` is feature i (the column ``feature``; ``labels`` are the texts shown). ``followed``: the
    feature a linked view follows (its point and label stay, the rest fade); ``pickable``: a click on a point
    picks its feature (the selection ``style.FEATURE_PICK``, field ``feature``).
    """
    coords = np.asarray(coords, dtype=np.float64)
    ratio = np.asarray(explained_variance_ratio, dtype=np.float64)
    labels = [str(x) for x in labels]
    df = pd.DataFrame({"feature": np.arange(len(labels)), "x": coords[:, 0], "y": coords[:, 1], "label": labels})
    df["shown"] = labels_off_origin(coords, labels)
    names = pc_titles(ratio)
    x, y = square_axes(axis_limit(coords, floor=1.0), names)
    color = category_color("label", labels, "feature", legend_max=LABELLED_LEGEND_MAX)
    base = alt.Chart(df).encode(x=x, y=y, color=color, tooltip=["label:N", "x:Q", "y:Q"])
    if followed is not None:  # (unfollowed, the points keep their slight transparency)
        base = base.encode(opacity=emphasis(followed))
    points = base.mark_circle(size=70 * scale**2, opacity=0.9)
    if pickable:
        points = points.add_params(feature_pick())
    text = base.mark_text(dx=8 * scale, dy=-8 * scale, fontSize=11 * scale, color=LABEL_INK)
    text = text.encode(text="shown:N", color=alt.value(LABEL_INK))
    side = 300 * scale
    return configure(alt.layer(points, text).properties(width=side, height=side, title=title), scale)


def dimensionality_scatter(
    x: np.ndarray,
    D: np.ndarray,
    title: str = "Feature dimensionality Dᵢ",
    x_title: str = "1/(1−S) = 1/p (inverse feature density, log scale)",
    scale: float = 1.0,
) -> alt.LayerChart:
    """D_i per feature against a per-instance x (log), with guide lines at the polytope fractions.

    Points are one colour (no legend needed); grey rules mark 1, 3/4, 2/3, 1/2, 2/5 and 3/8.
    """
    x = np.asarray(x, dtype=np.float64)
    D = np.asarray(D, dtype=np.float64).reshape(x.size, -1)
    if np.any(x <= 0):
        raise ValueError("x is drawn on a log axis and must be positive")
    n = D.shape[1]
    df = pd.DataFrame({"x": np.repeat(x, n), "D": D.ravel(), "feature": np.tile(np.arange(n), x.size)})
    guides = pd.DataFrame({"D": list(DIMENSIONALITY_GUIDES.values()), "name": list(DIMENSIONALITY_GUIDES)})
    y_title = "Dᵢ = ‖Wᵢ‖² / Σⱼ (Ŵᵢ·Wⱼ)²"
    rules = alt.Chart(guides).mark_rule(color=GUIDE, strokeDash=[4, 3]).encode(y=alt.Y("D:Q", title=y_title))
    width = 440 * scale
    # labels just right of the plot; 2/5 and 3/8 are 0.025 apart, closer than a line of text, so 2/5 sits
    # above its rule and 3/8 below its own
    names = [
        alt.Chart(guides)
        .transform_filter(alt.FieldOneOfPredicate(field="name", oneOf=group))
        .mark_text(align="left", baseline=baseline, dx=4, color=INK, fontSize=10 * scale)
        .encode(y=alt.Y("D:Q", title=y_title), text="name:N", x=alt.value(width))
        for group, baseline in (
            (GUIDES_MIDDLE, "middle"),
            (["2/5"], "bottom"),
            (["3/8"], "top"),
        )
    ]
    points = (
        alt.Chart(df)
        .mark_circle(size=30 * scale**2, opacity=0.6, color=OKABE_ITO[0])
        .encode(
            x=alt.X("x:Q", scale=alt.Scale(type="log"), title=x_title),
            y=alt.Y("D:Q", scale=alt.Scale(domain=[0, 1.05]), title=y_title),
            tooltip=["feature:O", alt.Tooltip("x:Q", format=".3g"), alt.Tooltip("D:Q", format=".3f")],
        )
    )
    chart = alt.layer(rules, *names, points).properties(width=width, height=280 * scale, title=title)
    return configure(chart, scale)


def hidden_pca(
    coords: np.ndarray,
    groups: Sequence[str],
    explained_variance_ratio: np.ndarray,
    directions: np.ndarray | None = None,
    title: str = "Hidden activations, top two principal axes",
    scale: float = 1.0,
) -> alt.LayerChart:
    """A cloud of hidden vectors in PCA coordinates, coloured by which feature was active.

    ``directions`` [n, 2] (feature directions projected on the same axes) are drawn as grey lines.
    """
    coords = np.asarray(coords, dtype=np.float64)
    ratio = np.asarray(explained_variance_ratio, dtype=np.float64)
    df = pd.DataFrame({"x": coords[:, 0], "y": coords[:, 1], "active": list(groups)})
    names = pc_titles(ratio)
    reach = coords if directions is None else np.vstack([coords, directions])
    x, y = square_axes(axis_limit(reach, floor=0.1), names)
    domain = sorted(set(df["active"]), key=lambda g: (not g.startswith("feature"), g))
    color = category_color("active", domain, "active input feature")
    points = alt.Chart(df).mark_circle(size=18 * scale**2, opacity=0.6).encode(x=x, y=y, color=color)
    layers = [points]
    if directions is not None:
        d = np.asarray(directions, dtype=np.float64)
        lines = pd.DataFrame(
            {
                "x": np.ravel(np.column_stack([np.zeros(len(d)), d[:, 0]])),
                "y": np.ravel(np.column_stack([np.zeros(len(d)), d[:, 1]])),
                "feature": np.repeat([f"W_{i}" for i in range(len(d))], 2),
            }
        )
        layers.append(
            alt.Chart(lines)
            .mark_line(color=INK, strokeDash=[4, 3], strokeWidth=1.5 * scale)
            .encode(x=x, y=y, detail="feature:N")
        )
    side = 300 * scale
    return configure(alt.layer(*layers).properties(width=side, height=side, title=title), scale)


def segments(starts: np.ndarray, ends: np.ndarray, **cols) -> pd.DataFrame:
    """One row per arrow from starts [k, 2] to ends [k, 2] (columns x0, y0, x, y), plus extra columns."""
    starts, ends = np.asarray(starts, dtype=np.float64), np.asarray(ends, dtype=np.float64)
    return pd.DataFrame({"x0": starts[:, 0], "y0": starts[:, 1], "x": ends[:, 0], "y": ends[:, 1], **cols})


def headed_arrows(
    df: pd.DataFrame, x: alt.X, y: alt.Y, color, width: float, dash: list[int] | None = None
) -> alt.LayerChart:
    """Segments (x0, y0) -> (x, y) with a triangle head at (x, y); ``color`` is an encoding or a fixed value."""
    df = df.assign(angle=90 - np.degrees(np.arctan2(df["y"] - df["y0"], df["x"] - df["x0"])))
    enc = {"color": color} if not isinstance(color, str) else {}
    fixed = {"color": color} if isinstance(color, str) else {}
    base = alt.Chart(df).encode(x=x, y=y, **enc)
    line = base.mark_rule(strokeWidth=width, strokeDash=dash or [], **fixed).encode(x2="x0:Q", y2="y0:Q")
    head = base.mark_point(shape="triangle", filled=True, size=60 * width, opacity=1, **fixed).encode(
        angle=alt.Angle("angle:Q", scale=None)
    )
    return alt.layer(line, head)
