"""Charts for models with neurons (a ReLU hidden layer): weights as features x neurons, per-neuron
stacked bars coloured by feature, neuron counts against density, and a small circuit graph.

Arrays in, Altair out, style from core.charts.style (``scale``, colour-blind-safe palettes, titled axes
and legends). Layout: W is [n_features, n_hidden]; column j is neuron j's input weights.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from core.charts.style import (
    INK,
    OKABE_ITO,
    OVERLAY,
    configure,
    diverging,
    emphasis,
    feature_pick,
    ranked_feature_color,
)

GRID_PX = 360  # longest side of a weight grid, in pixels
KIND_COLORS = {"monosemantic": OKABE_ITO[2], "polysemantic": OKABE_ITO[3], "dead": "#BBBBBB"}


def _order(m: int, order: Sequence[int] | None) -> list[int]:
    return list(range(m)) if order is None else [int(j) for j in order]


def weight_heatmap(
    W_k: np.ndarray,
    order: Sequence[int] | None = None,
    title: str = "W: features (rows) x neurons (columns)",
    value_title: str = "weight Wᵢⱼ",
    limit: float | None = None,
    rows: Sequence[int] | None = None,
    scale: float = 1.0,
    followed: int | None = None,
    pickable: bool = False,
) -> alt.Chart:
    """W as a features x neurons grid on a diverging scale pinned at 0 (blue negative, orange positive).

    ``rows`` picks which features (rows) to draw, e.g. only those with noticeable weights in a large model.
    ``followed``: the feature a linked view follows (its row stays, the other rows fade); ``pickable``: a click on
    a cell picks the feature of its row (``core.charts.style.feature_pick``).
    """
    W_k = np.asarray(W_k, dtype=np.float64)
    m = W_k.shape[1]
    feats = list(range(W_k.shape[0])) if rows is None else [int(i) for i in rows]
    cols = _order(m, order)
    lim = float(limit or max(np.abs(W_k).max(), 1e-9))
    df = pd.DataFrame(
        {"feature": np.repeat(feats, m), "neuron": np.tile(np.arange(m), len(feats)), "weight": W_k[feats].ravel()}
    )
    n = len(feats)
    # The grid's longer side stays within GRID_PX however big the text gets (presenter mode scales only the
    # cells of a small grid), and the colour bar sits below it: a 40-neuron grid fits a two-fifths column.
    cell = max(5.0, min(26.0 * scale, GRID_PX / max(n, m)))
    chart = (
        alt.Chart(df)
        .mark_rect()
        .encode(
            x=alt.X("neuron:O", sort=cols, title="neuron j", axis=alt.Axis(labels=m <= 40, labelAngle=0)),
            y=alt.Y("feature:O", sort=feats, title="feature i", axis=alt.Axis(labels=n <= 60)),
            color=alt.Color(
                "weight:Q",
                scale=diverging(lim),
                legend=alt.Legend(title=value_title, orient="bottom"),
            ),
            tooltip=["feature:O", "neuron:O", alt.Tooltip("weight:Q", format=".3f")],
        )
        .properties(width=alt.Step(cell), height=alt.Step(cell), title=title)
    )
    if followed is not None:  # (unfollowed, the spec stays as it was)
        chart = chart.encode(opacity=emphasis(followed))
    if pickable:
        chart = chart.add_params(feature_pick())
    return configure(chart, scale)


def _kind_strip(kinds: list[str], cols: list[int], step: float, title: str, scale: float) -> alt.Chart:
    """One coloured cell per neuron: monosemantic / polysemantic / dead."""
    kind_df = pd.DataFrame({"neuron": np.arange(len(kinds)), "kind": kinds})
    return (
        alt.Chart(kind_df)
        .mark_rect()
        .encode(
            x=alt.X("neuron:O", sort=cols, axis=None),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=list(KIND_COLORS), range=list(KIND_COLORS.values())),
                legend=alt.Legend(title="neuron is", orient="top"),
            ),
            tooltip=["neuron:O", "kind:N"],
        )
        .properties(width=alt.Step(step), height=12 * scale, title=title)
    )


def neuron_stack(
    W_k: np.ndarray,
    kinds: Sequence[str],
    order: Sequence[int] | None = None,
    title: str = "Each neuron's input weights, stacked by feature",
    y_title: str = "weight (positive up, negative down)",
    scale: float = 1.0,
    followed: int | None = None,
    pickable: bool = False,
) -> alt.VConcatChart:
    """Per-neuron stacked bars: one rectangle per weight, height |W_ij|, colour = feature, negative weights below 0.

    A strip above the bars marks each neuron as monosemantic / polysemantic / dead (``kinds``, one per neuron).
    ``followed``: the feature a linked view follows (its segments stay, the other features' fade; the strip
    stays); ``pickable``: a click on a segment picks its feature (``core.charts.style.feature_pick``).
    """
    W_k = np.asarray(W_k, dtype=np.float64)
    n, m = W_k.shape
    cols = _order(m, order)
    if len(kinds) != m:
        raise ValueError(f"need one kind per neuron ({m}), got {len(kinds)}")
    df = pd.DataFrame({"feature": np.repeat(np.arange(n), m), "neuron": np.tile(np.arange(m), n), "w": W_k.ravel()})
    df["size"] = df["w"].abs()
    df = df[df["size"] > 1e-3]
    step = max(8.0, min(40.0, 440.0 / m)) * scale
    x = alt.X("neuron:O", sort=cols, title="neuron j", axis=alt.Axis(labels=m <= 40, labelAngle=0))
    bars = (
        alt.Chart(df)
        .mark_bar(stroke="white", strokeWidth=0.4)
        .encode(
            x=x,
            y=alt.Y("sum(w):Q", title=y_title, stack="zero"),
            color=ranked_feature_color(n),
            order=alt.Order("feature:Q", sort="ascending"),
            tooltip=["neuron:O", "feature:O", alt.Tooltip("w:Q", format=".3f", title="weight")],
        )
        .properties(width=alt.Step(step), height=230 * scale)
    )
    if followed is not None:
        bars = bars.encode(opacity=emphasis(followed))
    if pickable:  # named, so Altair's lifting of the selection to the top of the stack names a known view
        bars = bars.properties(name="neuron_stack_bars").add_params(feature_pick())
    strip = _kind_strip(list(kinds), cols, step, title, scale)
    chart = alt.vconcat(strip, bars, spacing=3).resolve_scale(color="independent")
    # legends below the bars: beside them, the feature legend ran past the page's edge ("featu")
    out = configure(chart, scale)
    out.config.legend.orient, out.config.legend.direction = "bottom", "horizontal"
    return out


def _seed_dots(inv: np.ndarray, seed_counts: np.ndarray, x: alt.X, y: alt.Y) -> alt.Chart:
    """Every seed's monosemantic count as faint dots, sized by how many seeds share that count."""
    sdf = pd.DataFrame({"inv": np.tile(inv, seed_counts.shape[0]), "count": seed_counts.ravel()})
    sdf = sdf.groupby(["inv", "count"]).size().reset_index(name="seeds")
    return (
        alt.Chart(sdf)
        .mark_circle(color=KIND_COLORS["monosemantic"], opacity=0.25)
        .encode(
            x=x,
            y=y,
            size=alt.Size("seeds:Q", legend=alt.Legend(title="seeds with this many monosemantic")),
            tooltip=[alt.Tooltip("seeds:Q", title="seeds"), alt.Tooltip("count:Q", title="monosemantic")],
        )
    )


def neuron_counts_chart(
    densities: np.ndarray,
    counts: dict[str, np.ndarray],
    seed_counts: np.ndarray | None = None,
    n_neurons: int | None = None,
    marker: float | None = None,
    title: str = "Neurons by kind, from dense (left) to sparse (right)",
    scale: float = 1.0,
) -> alt.LayerChart:
    """Counts of monosemantic / polysemantic / dead neurons against 1/p (log axis).

    ``seed_counts`` [n_seeds, instances] (monosemantic counts of every seed) are drawn as faint dots,
    so the learner sees how typical the kept (lowest-loss) seed is.
    """
    p = np.asarray(densities, dtype=np.float64)
    inv = 1.0 / p
    kinds = [k for k in KIND_COLORS if k in counts]
    df = pd.DataFrame(
        {
            "inv": np.tile(inv, len(kinds)),
            "p": np.tile(p, len(kinds)),
            "count": np.concatenate([np.asarray(counts[k], dtype=np.float64) for k in kinds]),
            "kind": np.repeat(kinds, p.size),
        }
    )
    x = alt.X("inv:Q", scale=alt.Scale(type="log"), title="1/(1−S) = 1/p (inverse feature density, log scale)")
    top = n_neurons if n_neurons is not None else float(df["count"].max())
    y = alt.Y("count:Q", title="neurons", scale=alt.Scale(domain=[0, top + 0.3], nice=False))
    color = alt.Color(
        "kind:N",
        scale=alt.Scale(domain=kinds, range=[KIND_COLORS[k] for k in kinds]),
        legend=alt.Legend(title="neuron is"),
    )
    tooltip = ["kind:N", alt.Tooltip("p:Q", format=".3g", title="density p"), "count:Q"]
    base = alt.Chart(df).encode(x=x, y=y, color=color, tooltip=tooltip)
    layers = [base.mark_line(strokeWidth=2.5 * scale), base.mark_point(filled=True, size=60 * scale**2)]
    if seed_counts is not None:
        layers.insert(0, _seed_dots(inv, np.asarray(seed_counts, dtype=np.float64), x, y))
    if marker is not None:
        mdf = pd.DataFrame({"inv": [1.0 / marker]})
        layers.append(alt.Chart(mdf).mark_rule(color=INK, strokeDash=[4, 3]).encode(x=x))
    chart = alt.layer(*layers).properties(width=460 * scale, height=240 * scale, title=title)
    return configure(chart, scale)


def _circuit_frames(
    W1: np.ndarray, W2: np.ndarray, min_weight: float, fi: list[int], hj: list[int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(edges, nodes) of the three-column graph: inputs at x = 0, neurons at 1, outputs at 2."""
    n, m = W1.shape

    def ys(count: int) -> np.ndarray:
        return np.linspace(0.0, 1.0, count) if count > 1 else np.array([0.5])

    y_in, y_h = ys(n), ys(m)
    # Each edge belongs to a feature (column "feature"): an input edge to the feature it reads, an output edge to
    # the feature it writes. So do the input and output nodes; a neuron node belongs to none (feature null).
    edges = [
        (0.0, y_in[i], 1.0, y_h[j], W1[i, j], f"x{fi[i]} → h{hj[j]}", fi[i])
        for i in range(n)
        for j in range(m)
        if abs(W1[i, j]) >= min_weight
    ] + [
        (1.0, y_h[j], 2.0, y_in[o], W2[o, j], f"h{hj[j]} → y{fi[o]}", fi[o])
        for j in range(m)
        for o in range(n)
        if abs(W2[o, j]) >= min_weight
    ]
    e = pd.DataFrame(edges, columns=["x", "y", "x2", "y2", "w", "edge", "feature"])
    e["sign"] = np.where(e["w"] > 0, "positive", "negative")
    e["abs"] = e["w"].abs()
    nodes = pd.DataFrame(
        {
            "x": [0.0] * n + [1.0] * m + [2.0] * n,
            "y": list(y_in) + list(y_h) + list(y_in),
            "label": [f"x{i}" for i in fi] + [f"h{j}" for j in hj] + [f"y{o}" for o in fi],
            "feature": pd.array(fi + [None] * m + fi, dtype="Int64"),
        }
    )
    return e, nodes


def circuit_graph(
    W1: np.ndarray,
    W2: np.ndarray,
    min_weight: float = 0.05,
    title: str = "The circuit",
    features: Sequence[int] | None = None,
    neurons: Sequence[int] | None = None,
    scale: float = 1.0,
    followed: int | None = None,
    pickable: bool = False,
) -> alt.LayerChart:
    """Inputs -> neurons -> outputs as a layered graph; edge colour = sign (orange +, blue -), width = |weight|.

    W1 [n, m] input weights, W2 [n, m] output weights; ``features`` / ``neurons`` name the rows and
    columns (indices in the full model) when drawing a piece of a larger model.

    Feature i owns its input node x_i, its output node y_i, the edges out of x_i and the edges into y_i (the
    column ``feature``, as named by ``features``). ``followed``: the feature a linked view follows (its nodes and
    edges stay, the other features' fade; neurons stay); ``pickable``: a click on an input or output node (the
    disc or its name) picks its feature (``core.charts.style.feature_pick``).
    """
    W1 = np.asarray(W1, dtype=np.float64)
    W2 = np.asarray(W2, dtype=np.float64)
    fi = list(range(W1.shape[0])) if features is None else [int(f) for f in features]
    hj = list(range(W1.shape[1])) if neurons is None else [int(j) for j in neurons]
    edges, nodes = _circuit_frames(W1, W2, min_weight, fi, hj)
    top = float(edges["abs"].max()) if len(edges) else 1.0
    x = alt.X("x:Q", scale=alt.Scale(domain=[-0.25, 2.25]), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[-0.1, 1.1], reverse=True), axis=None)
    sign = alt.Color(
        "sign:N",
        scale=alt.Scale(domain=["positive", "negative"], range=["#E69F00", "#0072B2"]),
        legend=alt.Legend(title="weight sign", orient="bottom", direction="horizontal"),
    )
    lines = alt.Chart(edges)
    if followed is not None:  # (unfollowed, every edge keeps its slight transparency)
        lines = lines.encode(opacity=emphasis(followed))
    lines = lines.mark_rule(opacity=0.8).encode(
        x=x,
        y=y,
        x2="x2:Q",
        y2="y2:Q",
        color=sign,
        strokeWidth=alt.StrokeWidth(
            "abs:Q",
            # from 0, so equal weights get equal widths (a data-fitted domain exaggerates tiny differences)
            scale=alt.Scale(domain=[0, top], range=[0.5, 6 * scale]),
            legend=alt.Legend(title="|weight| (line width)", orient="bottom", direction="horizontal"),
        ),
        tooltip=["edge:N", alt.Tooltip("w:Q", format=".2f", title="weight")],
    )
    node = alt.Chart(nodes).encode(x=x, y=y)
    if followed is not None:  # a neuron node (feature null) belongs to no feature: it stays
        node = node.encode(opacity=emphasis(followed, keep_unowned=True))
    dots = node.mark_circle(size=420 * scale**2, color="#FFFFFF", stroke=INK, opacity=1)
    text = node.mark_text(fontSize=11 * scale, fontWeight="bold", color=OVERLAY)
    text = text.encode(text="label:N")  # on the white discs, whatever the page
    heads = pd.DataFrame({"x": [0.0, 1.0, 2.0], "y": [-0.08] * 3, "t": ["inputs x", "neurons h", "outputs y'"]})
    head = alt.Chart(heads).mark_text(fontSize=12 * scale, color=INK).encode(x=x, y=y, text="t:N")
    if pickable:
        # On the discs; in a layered chart Vega-Lite listens for the click on the whole view, so a click on a
        # node's name (drawn over the disc's middle) or on an edge picks the feature of that mark too.
        dots = dots.add_params(feature_pick())
    chart = alt.layer(lines, dots, text, head)
    return configure(chart.properties(width=420 * scale, height=300 * scale, title=title), scale)
