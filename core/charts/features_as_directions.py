"""Charts for the "Features as directions" chapter: a hidden vector as a sum of feature directions, neuron by
neuron, a batch of inputs in hidden space, and a toy word-embedding table whose properties are directions.

Arrays in, chart out (every number is computed by core.chapters.features_as_directions or the page); style from
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
    INK,
    OKABE_ITO,
    axis_limit,
    configure,
    emphasis,
    feature_color,
    feature_pick,
    pc_titles,
    square_axes,
    titled,
)


def _linked_arrows(arrows: alt.LayerChart, opacity: dict, pickable: bool = False) -> alt.LayerChart:
    """The layers of ``common.headed_arrows`` (line, head) with a linked view's opacity; ``pickable`` puts the click
    selection on the heads. A Vega-Lite click selection listens to its whole layered view, so a click on any mark
    of the chart that has a ``feature`` (a line, a head, a number) picks that feature."""
    out = arrows.copy(deep=False)  # keeps the data, which alt.layer moved up from the layers
    out.layer = [part.encode(opacity=opacity) for part in arrows.layer]
    if pickable:
        out.layer[-1] = out.layer[-1].add_params(feature_pick())
    return out


def sum_of_directions(
    directions: np.ndarray,
    pieces: np.ndarray,
    axis_names: tuple[str, str] = ("PC1", "PC2"),
    title: str = "Your input: h = Σ xᵢ Wᵢ, tip to tail",
    scale: float = 1.0,
    followed: int | None = None,
    pickable: bool = False,
) -> alt.LayerChart:
    """Faint dashed W_i from the origin; solid x_i W_i chained tip to tail; a grey arrow for the sum h.

    ``directions`` [n, 2] are the W_i and ``pieces`` [n, 2] the x_i W_i, both in the plotted plane
    (``core.chapters.features_as_directions.feature_contributions``). Laying the pieces tip to tail
    is layout, like stacking bars; a zero piece (x_i = 0) is not drawn.

    ``followed``: the feature a linked view follows (its arrows and number stay, the other features' fade; the sum
    h, no feature, stays); ``pickable``: a click on a feature's arrow, dashed or solid, or its number picks it
    (``core.charts.style.feature_pick``; the ``feature`` column holds the indices as text, "3", which
    ``ui.linked.picked_feature`` and the emphasis test ``datum.feature == 3`` both read as the number).
    """
    directions = np.asarray(directions, dtype=np.float64)
    pieces = np.asarray(pieces, dtype=np.float64).reshape(-1, 2)
    n = directions.shape[0]
    ends = np.cumsum(pieces, axis=0)
    starts = ends - pieces
    total = ends[-1:] if n else np.zeros((1, 2))
    x, y = square_axes(axis_limit(directions, ends), axis_names)
    color = feature_color(n)
    fade = emphasis(followed)
    names = [str(i) for i in range(n)]
    full = segments(np.zeros_like(directions), directions, feature=names)
    layers = [_linked_arrows(headed_arrows(full, x, y, color, 1.2 * scale, dash=[4, 3]), fade, pickable)]
    active = np.any(pieces != 0, axis=1)
    if active.any():
        chain = segments(starts[active], ends[active], feature=[names[i] for i in np.flatnonzero(active)])
        layers.append(_linked_arrows(headed_arrows(chain, x, y, color, 3 * scale), fade))
        layers.append(headed_arrows(segments(np.zeros((1, 2)), total, feature=["h"]), x, y, INK, 2 * scale))
    labels = pd.DataFrame({"x": directions[:, 0], "y": directions[:, 1], "feature": names, "text": names})
    layers.append(
        alt.Chart(labels)
        .mark_text(dx=8 * scale, dy=-8 * scale, fontSize=12 * scale, fontWeight="bold")
        .encode(x=x, y=y, color=alt.value(common.LABEL_INK), text="text:N")  # dark: yellow text is unreadable
        .encode(opacity=fade)
    )
    side = 300 * scale
    key = "dashed: each direction Wᵢ · solid: xᵢWᵢ, tip to tail · grey: the sum h"
    return configure(alt.layer(*layers).properties(width=side, height=side, title=titled(title, key, scale)), scale)


def neuron_contributions(
    contribs: np.ndarray,
    h: np.ndarray,
    title: str = "The same h, neuron by neuron",
    scale: float = 1.0,
    followed: int | None = None,
    pickable: bool = False,
) -> alt.LayerChart:
    """Stacked bars: neuron j's value h_j split into the pieces x_i W_ij [n, m] from each feature, with h_j [m]
    (the hidden vector) as a tick.

    ``followed``: the feature a linked view follows (its pieces stay, the other features' fade; the ticks stay);
    ``pickable``: a click on a piece picks its feature (``core.charts.style.feature_pick``).
    """
    contribs = np.asarray(contribs, dtype=np.float64)
    n, m = contribs.shape
    df = pd.DataFrame(
        {
            "neuron": np.tile(np.arange(m), n),
            "feature": np.repeat([str(i) for i in range(n)], m),
            "value": contribs.ravel(),
        }
    )
    totals = pd.DataFrame({"neuron": np.arange(m), "h": np.asarray(h, dtype=np.float64)})
    y = alt.Y("neuron:O", title="hidden dimension j")
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("value:Q", title="xᵢ·Wᵢⱼ stacked (tick = hⱼ)"),
            color=feature_color(n),
            tooltip=["neuron:O", "feature:N", alt.Tooltip("value:Q", format=".3f")],
            opacity=emphasis(followed),
        )
    )
    if pickable:
        bars = bars.add_params(feature_pick())
    tick = (
        alt.Chart(totals)
        .mark_tick(color=INK, thickness=3 * scale, size=20 * scale)
        .encode(y=y, x="h:Q", tooltip=[alt.Tooltip("h:Q", format=".3f", title="h_j")])
    )
    chart = alt.layer(bars, tick).properties(width=300 * scale, height=alt.Step(26 * scale), title=title)
    return configure(chart, scale)


def hidden_cloud(
    points: np.ndarray,
    features: np.ndarray,
    neurons: np.ndarray,
    ratio: np.ndarray,
    title: str = "Real inputs in hidden space (PCA view)",
    scale: float = 1.0,
) -> alt.LayerChart:
    """Grey dots: hidden vectors of a batch; coloured arrows: W_i; dashed grey arrows: the neuron axes e_j."""
    points, features, neurons = (np.asarray(a, dtype=np.float64) for a in (points, features, neurons))
    names = pc_titles(ratio, digits=0)
    x, y = square_axes(axis_limit(points, features, neurons, floor=1.0), names)
    dots = (
        alt.Chart(pd.DataFrame({"x": points[:, 0], "y": points[:, 1]}))
        .mark_circle(size=12 * scale**2, opacity=0.35, color=GREY)
        .encode(x=x, y=y)
    )
    axes_df = segments(np.zeros_like(neurons), neurons, label=[f"neuron {j}" for j in range(neurons.shape[0])])
    neuron_arrows = headed_arrows(axes_df, x, y, INK, 1.2 * scale, dash=[5, 4])
    neuron_text = (
        alt.Chart(axes_df)
        .mark_text(dx=6 * scale, dy=10 * scale, fontSize=10 * scale, color=INK)
        .encode(x=x, y=y, text="label:N")
    )
    n = features.shape[0]
    feat = segments(np.zeros_like(features), features, feature=[str(i) for i in range(n)])
    feature_arrows = headed_arrows(feat, x, y, feature_color(n, "feature i (arrow = Wᵢ)"), 3 * scale)
    side = 300 * scale
    key = "grey dots: hidden vectors of sampled inputs · dashed grey: the neuron axes"
    chart = alt.layer(dots, neuron_arrows, neuron_text, feature_arrows).properties(
        width=side, height=side, title=titled(title, key, scale)
    )
    return configure(chart, scale)


def analogy_bars(words: Sequence[str], sims: Sequence[float], title: str, scale: float = 1.0) -> alt.Chart:
    """Cosine similarity of a - b + c to each candidate word, best first; the winner is highlighted."""
    df = pd.DataFrame({"word": list(words), "cos": list(sims)})
    df["rank"] = np.where(np.arange(len(df)) == 0, "nearest word", "other words")
    color = alt.Color(
        "rank:N", scale=alt.Scale(domain=["nearest word", "other words"], range=[OKABE_ITO[1], GREY]), legend=None
    )
    chart = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("word:N", sort=None, title=None),
            x=alt.X("cos:Q", title="cosine similarity to a − b + c", scale=alt.Scale(domain=[-1, 1])),
            color=color,
            tooltip=["word:N", alt.Tooltip("cos:Q", format=".3f")],
        )
        .properties(
            width=200 * scale, height=alt.Step(20 * scale), title=titled(title, "orange: the nearest word", scale)
        )
    )
    return configure(chart, scale)


def embedding_map(
    coords: np.ndarray,
    words: Sequence[str],
    group: Sequence[str],
    ratio: np.ndarray,
    arrows: np.ndarray,
    group_title: str,
    domain: Sequence[str] | None = None,
    title: str = "Word vectors, top two principal axes",
    scale: float = 1.0,
) -> alt.LayerChart:
    """Labelled word points coloured by ``group`` (Okabe-Ito in ``domain`` order, default first seen);
    ``arrows`` [k, 2, 2] (start, end) drawn grey, e.g. man → woman."""
    coords = np.asarray(coords, dtype=np.float64)
    arrows = np.asarray(arrows, dtype=np.float64).reshape(-1, 2, 2)
    names = pc_titles(ratio, digits=0)
    x, y = square_axes(axis_limit(coords, arrows), names)
    df = pd.DataFrame({"x": coords[:, 0], "y": coords[:, 1], "word": list(words), "group": list(group)})
    domain = list(domain) if domain is not None else list(dict.fromkeys(group))
    color = alt.Color(
        "group:N",
        scale=alt.Scale(domain=domain, range=OKABE_ITO[: len(domain)]),
        legend=alt.Legend(title=group_title, orient="top"),
    )
    base = alt.Chart(df).encode(x=x, y=y, color=color, tooltip=["word:N", "group:N"])
    points = base.mark_circle(size=70 * scale**2, opacity=0.9)
    text = base.mark_text(dx=7 * scale, dy=-7 * scale, fontSize=11 * scale, align="left").encode(text="word:N")
    layers = [points, text]
    if arrows.size:
        layers.append(headed_arrows(segments(arrows[:, 0], arrows[:, 1]), x, y, INK, 1.8 * scale))
    side = 290 * scale
    key = "grey arrows: the analogy's two steps" if arrows.size else ""
    return configure(alt.layer(*layers).properties(width=side, height=side, title=titled(title, key, scale)), scale)


def direction_strip(
    words: Sequence[str], proj: np.ndarray, has: Sequence[bool], attribute: str, scale: float = 1.0
) -> alt.Chart:
    """Each word's coordinate along one estimated direction, coloured by whether the word has the property."""
    df = pd.DataFrame({"word": list(words), "proj": np.asarray(proj, dtype=np.float64)})
    df["has"] = [f"{attribute}: yes" if h else f"{attribute}: no" for h in has]
    domain = [f"{attribute}: no", f"{attribute}: yes"]
    chart = (
        alt.Chart(df)
        .mark_circle(size=90 * scale**2, opacity=0.9)
        .encode(
            x=alt.X("proj:Q", title=f"position along the estimated {attribute} direction"),
            y=alt.Y("word:N", sort=alt.EncodingSortField("proj", order="descending"), title=None),
            color=alt.Color(
                "has:N",
                scale=alt.Scale(domain=domain, range=[OKABE_ITO[0], OKABE_ITO[1]]),
                legend=alt.Legend(title="word", orient="top"),
            ),
            tooltip=["word:N", alt.Tooltip("proj:Q", format=".3f")],
        )
        .properties(width=190 * scale, height=alt.Step(18 * scale), title=f"One direction, one property: {attribute}")
    )
    return configure(chart, scale)
