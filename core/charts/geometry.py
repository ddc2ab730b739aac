"""Altair charts for the geometry chapter: dimensions per feature, D_i, the feature graph, polytopes.

Arrays in, charts out; colours, fonts and titles from ``core.charts.style``. Factor kinds (the names in
core.chapters.geometry.FACTOR_NAMES, passed in as ``kind_names``) get fixed colours in that order, so every
chart on the page uses the same colour for the same shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import altair as alt
import numpy as np
import pandas as pd

from core.charts import style

# In FACTOR_NAMES order: dedicated, digon, triangle, tetrahedron, pentagon, square antiprism, other, not represented.
FACTOR_PALETTE = [style.INK, *style.OKABE_ITO[:6], "#BBBBBB"]
# no orange: the marked density is vermilion
SERIES_COLOURS = [style.OKABE_ITO[0], style.OKABE_ITO[2], style.OKABE_ITO[4], style.OKABE_ITO[5]]
MARK_COLOUR = style.OKABE_ITO[3]
X_TITLE = "1/(1−S) = 1/p, inverse feature density (log scale)"
DPF_TITLE = "dimensions per feature, m / ‖W‖²_F"


class GraphLayout(Protocol):
    """What ``feature_graph`` draws (core.chapters.geometry_layout.graph_layout returns one)."""

    xy: np.ndarray  # [N, 2]
    features: np.ndarray  # [N]
    kinds: np.ndarray  # [N] factor names
    D: np.ndarray  # [N]
    edges: np.ndarray  # [E, 2] rows joined
    weights: np.ndarray  # [E]


class PolytopeView(Protocol):
    """What one gallery panel draws (core.chapters.geometry_layout.polytope_view returns one)."""

    name: str
    features: np.ndarray  # [k]
    xy: np.ndarray  # [k, 2]
    depth: np.ndarray  # [k]
    edges: np.ndarray  # [E, 2]
    rank: int
    mean_D: float
    ideal: tuple[int, int] | None  # (d, k)


def factor_colours(kind_names: Sequence[str]) -> dict[str, str]:
    """Factor name -> its fixed colour."""
    return dict(zip(kind_names, FACTOR_PALETTE))


def _factor_colour(
    kind_names: Sequence[str], title: str | None = "tegum factor it belongs to", columns: int = 4
) -> alt.Color:
    legend = alt.Legend(title=title, orient="bottom", columns=columns) if title else None
    colours = factor_colours(kind_names)
    return alt.Color("kind:N", scale=alt.Scale(domain=list(colours), range=list(colours.values())), legend=legend)


def _log_x(values: np.ndarray) -> alt.Scale:
    """A log x scale just wide enough for the data (no rounding out to whole decades)."""
    v = np.asarray(values, dtype=np.float64)
    return alt.Scale(type="log", domain=[float(v.min()) / 1.15, float(v.max()) * 1.15], nice=False)


def _level_rules(levels: dict[str, float], width: float, scale: float, y_title: str) -> list[alt.Chart]:
    df = pd.DataFrame({"y": list(levels.values()), "name": list(levels)})
    rules = alt.Chart(df).mark_rule(color=style.GUIDE, strokeDash=[4, 3]).encode(y=alt.Y("y:Q", title=y_title))
    names = alt.Chart(df).mark_text(align="left", dx=4, color=style.INK, fontSize=11 * scale)
    return [rules, names.encode(y="y:Q", text="name:N", x=alt.value(width))]


def dims_per_feature_chart(
    series: Sequence[tuple[str, np.ndarray, np.ndarray]],
    levels: dict[str, float],
    marked: float | None = None,
    scale: float = 1.0,
) -> alt.LayerChart:
    """m/||W||_F^2 against 1/(1-S): one line per (label, inverse densities, values), ``levels`` as dashed rules.

    ``marked`` is an inverse density 1/(1-S) to draw a vertical line at.
    """
    rows = [
        {"x": float(x), "y": float(v), "run": label}
        for label, xs, vs in series
        for x, v in zip(xs, vs)
        if np.isfinite(v)
    ]
    df = pd.DataFrame(rows)
    labels = [s[0] for s in series]
    width = 360 * scale
    colour = alt.Color(
        "run:N",
        scale=alt.Scale(domain=labels, range=SERIES_COLOURS[: len(labels)]),
        legend=alt.Legend(title="model", orient="bottom", direction="vertical"),
    )
    base = alt.Chart(df).encode(
        x=alt.X("x:Q", scale=_log_x(df["x"]), title=X_TITLE),
        y=alt.Y("y:Q", scale=alt.Scale(domain=[0, 1.05]), title=DPF_TITLE),
        color=colour,
        tooltip=["run:N", alt.Tooltip("x:Q", format=".3g", title="1/(1−S)"), alt.Tooltip("y:Q", format=".3f")],
    )
    layers = _level_rules(levels, width, scale, DPF_TITLE)
    layers += [base.mark_line(strokeWidth=2 * scale), base.mark_circle(size=35 * scale**2, opacity=1)]
    if marked is not None:
        mark = pd.DataFrame({"x": [float(marked)]})
        layers.append(alt.Chart(mark).mark_rule(color=MARK_COLOUR, strokeWidth=1.5 * scale).encode(x="x:Q"))
    key = "dashed: the levels 1 and 1/2" + (" · orange line: the density inspected below" if marked is not None else "")
    chart = alt.layer(*layers).properties(
        width=width, height=260 * scale, title=style.titled("Dimensions per feature", key, scale)
    )
    return style.configure(chart, scale)


def _jittered(inverse_density: np.ndarray, D: np.ndarray, kinds: np.ndarray) -> pd.DataFrame:
    """One row per (density, feature), x jittered a little so stacked points stay visible (fixed seed)."""
    x = np.asarray(inverse_density, dtype=np.float64)
    D = np.asarray(D, dtype=np.float64).reshape(x.size, -1)
    n = D.shape[1]
    rng = np.random.default_rng(0)
    jitter = np.exp(rng.uniform(-0.04, 0.04, x.size * n))
    return pd.DataFrame({"x": np.repeat(x, n) * jitter, "D": D.ravel(), "kind": np.asarray(kinds).reshape(-1)})


def dimensionality_chart(
    inverse_density: np.ndarray,
    D: np.ndarray,
    kinds: np.ndarray,
    kind_names: Sequence[str],
    guides: dict[str, float],
    dims_per_feature: np.ndarray | None = None,
    scale: float = 1.0,
) -> alt.LayerChart:
    """Every feature's D_i [K, n] against 1/(1-S) [K], coloured by its factor's name ``kinds`` [K, n].

    ``guides`` are drawn as dashed rules; ``dims_per_feature`` [K] (optional) as a solid grey line.
    """
    df = _jittered(inverse_density, D, kinds)
    width = min(300 * scale, 430)  # a canvas chart (many points): with its legend, it must fit half a page unscaled
    y_title = "feature dimensionality D_i"
    points = (
        alt.Chart(df)
        .mark_circle(size=18 * scale**2, opacity=0.55)
        .encode(
            x=alt.X("x:Q", scale=_log_x(df["x"]), title=X_TITLE),
            y=alt.Y("D:Q", scale=alt.Scale(domain=[0, 1.05]), title=y_title),
            color=_factor_colour(kind_names, columns=2),  # as narrow as the plot: a canvas chart must fit unscaled
            tooltip=["kind:N", alt.Tooltip("x:Q", format=".3g", title="1/(1−S)"), alt.Tooltip("D:Q", format=".3f")],
        )
    )
    layers = [*_level_rules(guides, width, scale, y_title), points]
    line = dims_per_feature is not None
    if line:
        dpf = pd.DataFrame({"x": np.asarray(inverse_density, dtype=np.float64), "D": np.asarray(dims_per_feature)})
        layers.append(alt.Chart(dpf).mark_line(color=style.INK, strokeWidth=1.5 * scale).encode(x="x:Q", y="D:Q"))
    key = "dashed: D = d/k for k features spread over d dimensions" + (
        " · solid grey line: dimensions per feature" * line
    )
    chart = alt.layer(*layers).properties(
        width=width, height=300 * scale, title=style.titled("Every feature's D_i", key, scale)
    )
    return style.configure(chart, scale)


def _graph_frames(layout: GraphLayout) -> tuple[pd.DataFrame, pd.DataFrame]:
    xy = np.asarray(layout.xy, dtype=np.float64).reshape(-1, 2)
    nodes = pd.DataFrame(
        {"feature": np.asarray(layout.features), "x": xy[:, 0], "y": xy[:, 1], "kind": layout.kinds, "D": layout.D}
    )
    a, b = np.asarray(layout.edges, dtype=np.int64).reshape(-1, 2).T
    edges = pd.DataFrame({"x": xy[a, 0], "y": xy[a, 1], "x2": xy[b, 0], "y2": xy[b, 1], "w": layout.weights})
    if edges.empty:  # one invisible edge keeps the layer's fields defined
        edges = pd.DataFrame({"x": [0.0], "y": [0.0], "x2": [0.0], "y2": [0.0], "w": [0.0]})
    return nodes, edges


def feature_graph(layout: GraphLayout, kind_names: Sequence[str], scale: float = 1.0) -> alt.LayerChart:
    """Features as nodes at ``layout.xy``, edges weighted by |W_i . W_j|; each tegum factor drawn apart."""
    nodes, edge_df = _graph_frames(layout)
    hidden = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    x, y = alt.X("x:Q", axis=hidden), alt.Y("y:Q", axis=hidden)
    lines = (
        alt.Chart(edge_df)
        .mark_rule(color=style.INK)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth("w:Q", scale=alt.Scale(domain=[0, 1], range=[0.3, 3 * scale]), legend=None),
            opacity=alt.Opacity("w:Q", scale=alt.Scale(domain=[0, 1], range=[0.15, 0.9]), legend=None),
        )
    )
    tip = ["feature:O", "kind:N", alt.Tooltip("D:Q", format=".3f")]
    dots = (
        alt.Chart(nodes)
        .mark_circle(size=55 * scale**2, opacity=1, stroke="white", strokeWidth=0.5)
        .encode(x=x, y=y, color=_factor_colour(kind_names, None), tooltip=tip)
    )
    side = 300 * scale
    key = "dot colour: the kind of tegum factor, as in the D_i chart · thicker line: larger overlap"
    title = style.titled("Feature graph (edges: |Wᵢ · Wⱼ|)", key, scale)
    chart = alt.layer(lines, dots).properties(width=side, height=side, title=title)
    return style.configure(chart, scale)


def _polytope_frames(view: PolytopeView) -> tuple[pd.DataFrame, pd.DataFrame]:
    xy = np.asarray(view.xy, dtype=np.float64)
    tips = pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1], "x0": 0.0, "y0": 0.0, "depth": view.depth})
    tips["feature"] = [str(int(f)) for f in view.features]
    a, b = np.asarray(view.edges, dtype=np.int64).reshape(-1, 2).T
    hull = pd.DataFrame({"x": xy[a, 0], "y": xy[a, 1], "x2": xy[b, 0], "y2": xy[b, 1]})
    if hull.empty:
        hull = pd.DataFrame({"x": [0.0], "y": [0.0], "x2": [0.0], "y2": [0.0]})
    return tips, hull


def _polytope_panel(view: PolytopeView, colour: str, scale: float) -> alt.LayerChart:
    tips, hull = _polytope_frames(view)
    lim = float(np.abs(np.asarray(view.xy)).max(initial=1.0) * 1.25)
    sc = alt.Scale(domain=[-lim, lim], nice=False)
    axis = alt.Axis(labels=False, ticks=False, grid=False, title=None)
    x, y = alt.X("x:Q", scale=sc, axis=axis), alt.Y("y:Q", scale=sc, axis=axis)
    depth_op = alt.Opacity("depth:Q", scale=alt.Scale(range=[0.35, 1.0]), legend=None)
    spokes = (
        alt.Chart(tips)
        .mark_rule(color=colour, strokeWidth=2 * scale)
        .encode(x=x, y=y, x2="x0:Q", y2="y0:Q", opacity=depth_op)
    )
    edges = alt.Chart(hull).mark_rule(color=style.GUIDE, strokeDash=[3, 2]).encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
    dots = (
        alt.Chart(tips)
        .mark_circle(size=50 * scale**2, color=colour)
        .encode(x=x, y=y, opacity=depth_op, tooltip=["feature:N"])
    )
    side = 150 * scale
    return alt.layer(edges, spokes, dots).properties(width=side, height=side, title=_panel_title(view, scale))


def _panel_title(view: PolytopeView, scale: float) -> alt.TitleParams:
    """Name, size and span, and D_i: the ideal d/k beside the measured mean."""
    measured = f"mean D = {view.mean_D:.2f}"
    frac = f"D = {view.ideal[0]}/{view.ideal[1]} ({measured})" if view.ideal else measured
    subtitle = [f"{len(view.features)} features in {view.rank}-D", frac]  # two lines: fits a 150 px panel
    return alt.TitleParams(view.name, subtitle=subtitle, fontSize=13 * scale)


def polytope_gallery(views: Sequence[PolytopeView], kind_names: Sequence[str], scale: float = 1.0) -> alt.ConcatChart:
    """One panel per factor, drawn in the space it spans (3-D ones in an oblique view, nearer = darker)."""
    colours = factor_colours(kind_names)
    panels = [_polytope_panel(v, colours.get(v.name, style.INK), scale) for v in views]
    if not panels:
        empty = pd.DataFrame({"text": ["no polytopes at this density"]})
        panels = [
            alt.Chart(empty).mark_text(fontSize=13 * scale).encode(text="text:N").properties(width=200, height=60)
        ]
    return style.configure(alt.concat(*panels, columns=3).properties(title="Polytopes found"), scale)


def norms_vs_density(
    ratios: np.ndarray, norms: np.ndarray, scale: float = 1.0, followed: int | None = None, pickable: bool = False
) -> alt.LayerChart:
    """Pentagon experiment: ||W_i|| [K, n] of every feature against feature 0's relative density [K] (log).

    ``followed``: the feature a linked view follows (its line stays, the others fade); ``pickable``: a click on a
    feature's dot or legend entry picks it (the selection ``style.FEATURE_PICK``)."""
    ratios = np.asarray(ratios, dtype=np.float64)
    norms = np.asarray(norms, dtype=np.float64)
    k, n = norms.shape
    df = pd.DataFrame({"ratio": np.repeat(ratios, n), "norm": norms.ravel(), "feature": np.tile(np.arange(n), k)})
    colour = alt.Color(
        "feature:N",
        scale=alt.Scale(domain=list(range(n)), range=style.OKABE_ITO[:n]),
        legend=alt.Legend(title="feature i", orient="bottom", columns=5),
    )
    base = alt.Chart(df).encode(
        x=alt.X(
            "ratio:Q", scale=alt.Scale(type="log"), title="density of feature 0 ÷ density of the others (log scale)"
        ),
        y=alt.Y("norm:Q", title="‖Wᵢ‖"),
        color=colour,
        opacity=style.emphasis(followed),
        tooltip=["feature:N", alt.Tooltip("ratio:Q", format=".3g"), alt.Tooltip("norm:Q", format=".3f")],
    )
    dots = base.mark_circle(size=40 * scale**2)
    if pickable:
        dots = dots.add_params(style.feature_pick(legend=True))
    chart = alt.layer(base.mark_line(strokeWidth=2 * scale), dots)
    return style.configure(
        chart.properties(width=300 * scale, height=220 * scale, title="How long each feature's arrow is"), scale
    )


def gaps_vs_density(ratios: np.ndarray, gaps: np.ndarray, scale: float = 1.0) -> alt.LayerChart:
    """Pentagon experiment: angle from feature 0 to its neighbours against its relative density; 72° marked."""
    ratios = np.asarray(ratios, dtype=np.float64)
    gaps = np.asarray(gaps, dtype=np.float64)  # [K, 2]
    df = pd.DataFrame(
        {
            "ratio": np.repeat(ratios, 2),
            "gap": gaps.ravel(),
            "side": np.tile(["neighbour on one side", "neighbour on the other side"], ratios.size),
        }
    ).dropna()
    sides = ["neighbour on one side", "neighbour on the other side"]
    colour = alt.Color(
        "side:N",
        scale=alt.Scale(domain=sides, range=style.OKABE_ITO[5:7]),
        legend=alt.Legend(title="angle to", orient="bottom"),
    )
    base = alt.Chart(df).encode(
        x=alt.X(
            "ratio:Q", scale=alt.Scale(type="log"), title="density of feature 0 ÷ density of the others (log scale)"
        ),
        y=alt.Y("gap:Q", scale=alt.Scale(domain=[0, 180]), title="angle from feature 0 (degrees)"),
        color=colour,
        tooltip=[alt.Tooltip("ratio:Q", format=".3g"), alt.Tooltip("gap:Q", format=".1f"), "side:N"],
    )
    pentagon = alt.Chart(pd.DataFrame({"gap": [72.0], "name": ["72° (regular pentagon)"]}))
    rule = pentagon.mark_rule(color=style.GUIDE, strokeDash=[4, 3]).encode(y="gap:Q")
    text = pentagon.mark_text(align="left", dx=4, dy=-6, color=style.INK, fontSize=11 * scale).encode(
        y="gap:Q", text="name:N", x=alt.value(0)
    )
    lines = alt.layer(
        rule, text, base.mark_line(strokeWidth=2 * scale), base.mark_circle(size=40 * scale**2, opacity=1)
    )
    title = "How much room feature 0 gets (blank where it is dropped)"
    return style.configure(lines.properties(width=300 * scale, height=220 * scale, title=title), scale)


def factor_blocks(gram: np.ndarray, block: np.ndarray, title: str, scale: float = 1.0) -> alt.LayerChart:
    """W^T W with features already reordered by tegum factor (``block`` [n]: factor number per position,
    -1 for unrepresented features, which are left out), on a diverging scale, with a thin box around each
    factor's diagonal block."""
    gram, block = np.asarray(gram, dtype=np.float64), np.asarray(block)
    keep = np.flatnonzero(block >= 0)
    g = gram[np.ix_(keep, keep)]
    n = keep.size
    rows, cols = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    cells = pd.DataFrame({"row": rows.ravel(), "col": cols.ravel(), "value": g.ravel()})
    limit = float(max(np.abs(g).max(initial=0), 1e-9))
    colour = alt.Color("value:Q", scale=style.diverging(limit), legend=alt.Legend(title="Wᵢ · Wⱼ"))
    size = 420 * scale
    x = alt.X("col:Q", title="feature position (grouped by tegum factor)", scale=alt.Scale(domain=[0, n]))
    y = alt.Y("row:Q", title="feature position", scale=alt.Scale(domain=[n, 0]))
    tip = [alt.Tooltip("row:Q"), alt.Tooltip("col:Q"), alt.Tooltip("value:Q", format=".3f")]
    cells["row1"], cells["col1"] = cells["row"] + 1, cells["col"] + 1
    heat = alt.Chart(cells).mark_rect().encode(x=x, x2="col1:Q", y=y, y2="row1:Q", color=colour, tooltip=tip)
    b = block[keep]
    starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]])
    ends = np.r_[starts[1:], n]
    boxes = pd.DataFrame({"lo": starts, "hi": ends})
    frame = (
        alt.Chart(boxes)
        .mark_rect(fill=None, stroke=style.INK, strokeWidth=0.8 * scale)
        .encode(x="lo:Q", x2="hi:Q", y="lo:Q", y2="hi:Q")
    )
    chart = alt.layer(heat, frame).properties(width=size, height=size, title=title)
    return style.configure(chart, scale)
