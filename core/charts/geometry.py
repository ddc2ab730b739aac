"""Altair charts for the geometry chapter: dimensions per feature, D_i, the feature graph, polytopes.

Arrays in, charts out (same conventions as core.charts.common). Factor kinds (core.chapters.geometry.FACTOR_NAMES)
get fixed Okabe-Ito colours so every chart on the page uses the same colour for the same shape.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from core import analysis
from core.chapters import geometry
from core.charts.common import OKABE_ITO, configure

FACTOR_COLOURS = dict(
    zip(
        geometry.FACTOR_NAMES,
        ["#000000", OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2], OKABE_ITO[3], OKABE_ITO[4], OKABE_ITO[5], "#BBBBBB"],
    )
)
SERIES_COLOURS = [OKABE_ITO[0], OKABE_ITO[2], OKABE_ITO[4]]  # no orange: the marked density is vermilion
MARK_COLOUR = OKABE_ITO[3]
X_TITLE = "1/(1−S) = 1/p, inverse feature density (log scale)"
DPF_TITLE = "dimensions per feature, m / ‖W‖²_F"


def _factor_colour(title: str | None = "tegum factor it belongs to") -> alt.Color:
    legend = alt.Legend(title=title, orient="bottom", columns=4) if title else None
    return alt.Color(
        "kind:N", scale=alt.Scale(domain=list(FACTOR_COLOURS), range=list(FACTOR_COLOURS.values())), legend=legend
    )


def _titled(title: str, subtitle: str, scale: float) -> alt.TitleParams:
    """A title with a short key under it (one line per " · " part), so a downloaded figure explains its marks
    without the page around it."""
    lines = [part for part in subtitle.split(" · ") if part]
    return alt.TitleParams(title, subtitle=lines or "", subtitleFontSize=11 * scale, subtitleColor="#444444")


def _log_x(values: np.ndarray) -> alt.Scale:
    """A log x scale just wide enough for the data (no rounding out to whole decades)."""
    v = np.asarray(values, dtype=np.float64)
    return alt.Scale(type="log", domain=[float(v.min()) / 1.15, float(v.max()) * 1.15], nice=False)


def _level_rules(levels: dict[str, float], width: float, scale: float, y_title: str) -> list[alt.Chart]:
    df = pd.DataFrame({"y": list(levels.values()), "name": list(levels)})
    rules = alt.Chart(df).mark_rule(color="#999999", strokeDash=[4, 3]).encode(y=alt.Y("y:Q", title=y_title))
    names = alt.Chart(df).mark_text(align="left", dx=4, color="#555555", fontSize=11 * scale)
    return [rules, names.encode(y="y:Q", text="name:N", x=alt.value(width))]


def dims_per_feature_chart(
    series: Sequence[tuple[str, np.ndarray, np.ndarray]], marked: float | None = None, scale: float = 1.0
) -> alt.LayerChart:
    """m/||W||_F^2 against 1/(1-S), one line per (label, densities, values), sticky levels 1 and 1/2 marked."""
    rows = [
        {"x": 1.0 / float(p), "y": float(v), "run": label}
        for label, ps, vs in series
        for p, v in zip(ps, vs)
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
    layers = _level_rules(geometry.STICKY_LEVELS, width, scale, DPF_TITLE)
    layers += [base.mark_line(strokeWidth=2 * scale), base.mark_circle(size=35 * scale**2, opacity=1)]
    if marked is not None:
        mark = pd.DataFrame({"x": [1.0 / marked]})
        layers.append(alt.Chart(mark).mark_rule(color=MARK_COLOUR, strokeWidth=1.5 * scale).encode(x="x:Q"))
    key = "dashed: the levels 1 and 1/2" + (" · orange line: the density inspected below" if marked is not None else "")
    chart = alt.layer(*layers).properties(
        width=width, height=260 * scale, title=_titled("Dimensions per feature", key, scale)
    )
    return configure(chart, scale)


def dimensionality_chart(
    densities: np.ndarray,
    D: np.ndarray,
    labels: np.ndarray,
    dims_per_feature: np.ndarray | None = None,
    scale: float = 1.0,
) -> alt.LayerChart:
    """Every feature's D_i against 1/(1-S), coloured by the tegum factor it sits in, guides at the fractions.

    ``labels`` are codes into geometry.FACTOR_NAMES [K, n]; ``dims_per_feature`` (optional) is drawn as a line.
    """
    x = 1.0 / np.asarray(densities, dtype=np.float64)
    D = np.asarray(D, dtype=np.float64).reshape(x.size, -1)
    n = D.shape[1]
    kinds = np.array(geometry.FACTOR_NAMES)[np.asarray(labels).reshape(x.size, n)]
    rng = np.random.default_rng(0)  # a little horizontal jitter so stacked points stay visible
    df = pd.DataFrame(
        {"x": np.repeat(x, n) * np.exp(rng.uniform(-0.04, 0.04, x.size * n)), "D": D.ravel(), "kind": kinds.ravel()}
    )
    width = 360 * scale
    y_title = "feature dimensionality D_i"
    points = (
        alt.Chart(df)
        .mark_circle(size=18 * scale**2, opacity=0.55)
        .encode(
            x=alt.X("x:Q", scale=_log_x(df["x"]), title=X_TITLE),
            y=alt.Y("D:Q", scale=alt.Scale(domain=[0, 1.05]), title=y_title),
            color=_factor_colour(),
            tooltip=["kind:N", alt.Tooltip("x:Q", format=".3g", title="1/(1−S)"), alt.Tooltip("D:Q", format=".3f")],
        )
    )
    layers = [*_level_rules(geometry.D_GUIDES, width, scale, y_title), points]
    line = dims_per_feature is not None
    if line:
        dpf = pd.DataFrame({"x": x, "D": np.asarray(dims_per_feature, dtype=np.float64)})
        layers.append(alt.Chart(dpf).mark_line(color="black", strokeWidth=1.5 * scale).encode(x="x:Q", y="D:Q"))
    key = "dashed: D = d/k for k features spread over d dimensions" + (" · black line: dimensions per feature" * line)
    chart = alt.layer(*layers).properties(
        width=width, height=300 * scale, title=_titled("Every feature's D_i", key, scale)
    )
    return configure(chart, scale)


def _factor_positions(W_k: np.ndarray, factors: list[geometry.Factor]) -> tuple[pd.DataFrame, float]:
    """Node positions: each factor in its own grid slot, drawn in its own 2-D principal plane."""
    cols = max(1, int(np.ceil(np.sqrt(len(factors)))))
    rows = []
    for slot, factor in enumerate(factors):
        coords = geometry.own_basis(W_k[factor.features], dims=2)
        coords = np.pad(coords, ((0, 0), (0, 2 - coords.shape[1])))
        radius = np.abs(coords).max(initial=0) or 1.0
        cx, cy = 3.0 * (slot % cols), -3.0 * (slot // cols)
        for j, feature in enumerate(factor.features):
            x, y = coords[j] / radius
            rows.append({"feature": int(feature), "x": cx + x, "y": cy + y, "kind": factor.name, "D": factor.D[j]})
    return pd.DataFrame(rows), 3.0 * cols


def feature_graph(W_k: np.ndarray, factors: list[geometry.Factor], scale: float = 1.0) -> alt.LayerChart:
    """Features as nodes, edges weighted by |W_i . W_j|; each connected piece (tegum factor) drawn apart."""
    nodes, extent = _factor_positions(W_k, factors)
    if nodes.empty:
        nodes = pd.DataFrame({"feature": [], "x": [], "y": [], "kind": [], "D": []})
    where = {int(f): (x, y) for f, x, y in zip(nodes["feature"], nodes["x"], nodes["y"])}
    edges = [
        {"x": where[i][0], "y": where[i][1], "x2": where[j][0], "y2": where[j][1], "w": w}
        for i, j, w in analysis.feature_graph_edges(W_k, min_weight=geometry.EDGE_THRESHOLD)
        if i in where and j in where
    ]
    edge_df = pd.DataFrame(edges or [{"x": 0.0, "y": 0.0, "x2": 0.0, "y2": 0.0, "w": 0.0}])
    hidden = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    x, y = alt.X("x:Q", axis=hidden), alt.Y("y:Q", axis=hidden)
    lines = (
        alt.Chart(edge_df)
        .mark_rule(color="#555555")
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth("w:Q", scale=alt.Scale(domain=[0, 1], range=[0.3, 3 * scale]), legend=None),
            opacity=alt.Opacity("w:Q", scale=alt.Scale(domain=[0, 1], range=[0.15, 0.9]), legend=None),
        )
    )
    dots = (
        alt.Chart(nodes)
        .mark_circle(size=55 * scale**2, opacity=1, stroke="white", strokeWidth=0.5)
        .encode(x=x, y=y, color=_factor_colour(None), tooltip=["feature:O", "kind:N", alt.Tooltip("D:Q", format=".3f")])
    )
    side = 300 * scale
    key = "dot colour: the kind of tegum factor, as in the D_i chart · thicker line: larger overlap"
    title = _titled("Feature graph (edges: |W_i · W_j|)", key, scale)
    chart = alt.layer(lines, dots).properties(width=side, height=side, title=title)
    return configure(chart, scale)


def _polytope_panel(W_f: np.ndarray, factor: geometry.Factor, scale: float) -> alt.LayerChart:
    coords = geometry.own_basis(W_f, dims=max(1, min(factor.rank, 3)))
    if coords.shape[1] == 3:
        xy, depth = geometry.view_3d(coords)
        edge_pts = coords
    else:
        xy = np.pad(coords, ((0, 0), (0, 2 - coords.shape[1])))
        depth, edge_pts = np.zeros(len(xy)), coords
    tips = pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1], "x0": 0.0, "y0": 0.0, "depth": depth})
    tips["feature"] = [str(int(f)) for f in factor.features]
    hull = [
        {"x": xy[a, 0], "y": xy[a, 1], "x2": xy[b, 0], "y2": xy[b, 1]} for a, b in geometry.hull_edges(edge_pts)
    ] or [{"x": 0.0, "y": 0.0, "x2": 0.0, "y2": 0.0}]
    lim = float(np.abs(xy).max(initial=1.0) * 1.25)
    sc = alt.Scale(domain=[-lim, lim], nice=False)
    axis = alt.Axis(labels=False, ticks=False, grid=False, title=None)
    x, y = alt.X("x:Q", scale=sc, axis=axis), alt.Y("y:Q", scale=sc, axis=axis)
    colour = FACTOR_COLOURS.get(factor.name, "#000000")
    depth_op = alt.Opacity("depth:Q", scale=alt.Scale(range=[0.35, 1.0]), legend=None)
    spokes = (
        alt.Chart(tips)
        .mark_rule(color=colour, strokeWidth=2 * scale)
        .encode(x=x, y=y, x2="x0:Q", y2="y0:Q", opacity=depth_op)
    )
    edges = (
        alt.Chart(pd.DataFrame(hull))
        .mark_rule(color="#777777", strokeDash=[3, 2])
        .encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
    )
    dots = (
        alt.Chart(tips)
        .mark_circle(size=50 * scale**2, color=colour)
        .encode(x=x, y=y, opacity=depth_op, tooltip=["feature:N"])
    )
    side = 150 * scale
    return alt.layer(edges, spokes, dots).properties(width=side, height=side, title=_panel_title(factor, scale))


def _panel_title(factor: geometry.Factor, scale: float) -> alt.TitleParams:
    """Name, size and span, and D_i: the ideal d/k beside the measured mean."""
    poly = next((p for p in geometry.POLYTOPES if p.name == factor.name), None)
    measured = f"mean D = {factor.D.mean():.2f}"
    frac = f"D = {poly.d}/{poly.k} ({measured})" if poly else measured
    subtitle = [f"{factor.features.size} features in {factor.rank}-D", frac]  # two lines: fits a 150 px panel
    return alt.TitleParams(factor.name, subtitle=subtitle, fontSize=13 * scale)


def polytope_gallery(W_k: np.ndarray, factors: list[geometry.Factor], scale: float = 1.0) -> alt.ConcatChart:
    """One panel per factor, drawn in the space it spans (3-D ones in an oblique view, nearer = darker)."""
    W_k = np.asarray(W_k, dtype=np.float64)
    panels = [_polytope_panel(W_k[f.features], f, scale) for f in factors]
    if not panels:
        empty = pd.DataFrame({"text": ["no polytopes at this density"]})
        panels = [
            alt.Chart(empty).mark_text(fontSize=13 * scale).encode(text="text:N").properties(width=200, height=60)
        ]
    return configure(alt.concat(*panels, columns=3).properties(title="Polytopes found"), scale)


def norms_vs_density(ratios: np.ndarray, W: np.ndarray, scale: float = 1.0) -> alt.Chart:
    """Pentagon experiment: ||W_i|| of every feature against feature 0's relative density (log)."""
    ratios = np.asarray(ratios, dtype=np.float64)
    norms = analysis.feature_norms(W)  # [K, 5]
    k, n = norms.shape
    df = pd.DataFrame(
        {
            "ratio": np.repeat(ratios, n),
            "norm": norms.ravel(),
            "feature": np.tile([f"feature {i}" for i in range(n)], k),
        }
    )
    names = [f"feature {i}" for i in range(n)]
    colour = alt.Color(
        "feature:N",
        scale=alt.Scale(domain=names, range=OKABE_ITO[:n]),
        legend=alt.Legend(title="feature", orient="bottom", columns=5),
    )
    base = alt.Chart(df).encode(
        x=alt.X(
            "ratio:Q", scale=alt.Scale(type="log"), title="density of feature 0 ÷ density of the others (log scale)"
        ),
        y=alt.Y("norm:Q", title="‖W_i‖"),
        color=colour,
        tooltip=["feature:N", alt.Tooltip("ratio:Q", format=".3g"), alt.Tooltip("norm:Q", format=".3f")],
    )
    chart = alt.layer(base.mark_line(strokeWidth=2 * scale), base.mark_circle(size=40 * scale**2, opacity=1))
    return configure(
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
        scale=alt.Scale(domain=sides, range=OKABE_ITO[5:7]),
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
    rule = pentagon.mark_rule(color="#999999", strokeDash=[4, 3]).encode(y="gap:Q")
    text = pentagon.mark_text(align="left", dx=4, dy=-6, color="#555555", fontSize=11 * scale).encode(
        y="gap:Q", text="name:N", x=alt.value(0)
    )
    lines = alt.layer(
        rule, text, base.mark_line(strokeWidth=2 * scale), base.mark_circle(size=40 * scale**2, opacity=1)
    )
    title = "How much room feature 0 gets (blank where it is dropped)"
    return configure(lines.properties(width=300 * scale, height=220 * scale, title=title), scale)
