"""Altair builders for the opening chapters (features as directions, privileged basis, superposition hypothesis).

Same style as core/charts/common.py: arrays in, chart out, no maths beyond shaping DataFrames, colour-blind-safe
palettes (Okabe-Ito for categories, the diverging "blueorange" pinned at 0 for signed weights), axis and
legend titles that say what is drawn, and a ``scale`` for projector mode.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from core.charts.style import DIVERGING, OKABE_ITO, configure

GREY = "#888888"
INK = "#000000"


def _done(chart, scale: float):
    """Shared fonts (plots.configure) plus autosize "pad": width and height mean the plotting area, and axes,
    titles and legends are added around it. (Streamlit's default, "fit", squeezes the plot to make room.)"""
    return configure(chart, scale).properties(autosize=alt.AutoSizeParams(type="pad", contains="padding"))


def _feature_color(n: int, title: str = "feature i") -> alt.Color:
    """Okabe-Ito by feature index (viridis when there are more than 8)."""
    domain = [str(i) for i in range(n)]
    legend = alt.Legend(title=title)
    if n <= len(OKABE_ITO):
        return alt.Color("feature:N", scale=alt.Scale(domain=domain, range=OKABE_ITO[:n]), legend=legend)
    return alt.Color("feature:O", sort=domain, scale=alt.Scale(scheme="viridis"), legend=legend)


def _square(limit: float, names: tuple[str, str]) -> tuple[alt.X, alt.Y]:
    """Equal symmetric axes, so angles on screen are true angles."""
    sc = alt.Scale(domain=[-limit, limit], nice=False, zero=True)
    return alt.X("x:Q", scale=sc, title=names[0]), alt.Y("y:Q", scale=sc, title=names[1])


def _limit(*arrays: np.ndarray, floor: float = 0.5) -> float:
    values = [np.abs(np.asarray(a, dtype=np.float64)).max(initial=0.0) for a in arrays if np.size(a)]
    return float(max([floor, *values]) * 1.15)


def _arrows(df: pd.DataFrame, x: alt.X, y: alt.Y, color, width: float, dash: list[int] | None = None) -> alt.LayerChart:
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


def _titled(title: str, subtitle: str, scale: float) -> alt.TitleParams:
    """A title with a short key under it (one line per " · " part), so a downloaded figure explains its marks
    without the page around it."""
    lines = [part for part in subtitle.split(" · ") if part]
    return alt.TitleParams(title, subtitle=lines or "", subtitleFontSize=11 * scale, subtitleColor="#444444")


def _segments(starts: np.ndarray, ends: np.ndarray, **cols) -> pd.DataFrame:
    starts, ends = np.asarray(starts, dtype=np.float64), np.asarray(ends, dtype=np.float64)
    return pd.DataFrame({"x0": starts[:, 0], "y0": starts[:, 1], "x": ends[:, 0], "y": ends[:, 1], **cols})


# --------------------------------------------------------------------------------------------
# Features as directions
# --------------------------------------------------------------------------------------------


def sum_of_directions(
    directions: np.ndarray,
    values: np.ndarray,
    axis_names: tuple[str, str] = ("PC1", "PC2"),
    title: str = "Your input: h = Σ xᵢ Wᵢ, tip to tail",
    scale: float = 1.0,
) -> alt.LayerChart:
    """Faint dashed W_i from the origin; solid x_i W_i chained tip to tail; a black arrow for the sum h."""
    directions = np.asarray(directions, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    n = directions.shape[0]
    steps = values[:, None] * directions
    ends = np.cumsum(steps, axis=0)
    starts = ends - steps
    total = ends[-1:] if n else np.zeros((1, 2))
    x, y = _square(_limit(directions, ends), axis_names)
    color = _feature_color(n)
    names = [str(i) for i in range(n)]
    full = _segments(np.zeros_like(directions), directions, feature=names)
    layers = [_arrows(full, x, y, color, 1.2 * scale, dash=[4, 3])]
    active = values != 0
    if active.any():
        chain = _segments(starts[active], ends[active], feature=[names[i] for i in np.flatnonzero(active)])
        layers.append(_arrows(chain, x, y, color, 3 * scale))
        layers.append(_arrows(_segments(np.zeros((1, 2)), total, feature=["h"]), x, y, INK, 2 * scale))
    labels = pd.DataFrame({"x": directions[:, 0], "y": directions[:, 1], "feature": names, "text": names})
    layers.append(
        alt.Chart(labels)
        .mark_text(dx=8 * scale, dy=-8 * scale, fontSize=12 * scale, fontWeight="bold")
        .encode(x=x, y=y, color=color, text="text:N")
    )
    side = 300 * scale
    key = "dashed: each direction Wᵢ · solid: xᵢWᵢ, tip to tail · black: the sum h"
    return _done(alt.layer(*layers).properties(width=side, height=side, title=_titled(title, key, scale)), scale)


def neuron_contributions(contribs: np.ndarray, title: str = "The same h, neuron by neuron", scale: float = 1.0):
    """Stacked bars: neuron j's value h_j split into the pieces x_i W_ij from each feature, with h_j as a tick."""
    contribs = np.asarray(contribs, dtype=np.float64)
    n, m = contribs.shape
    df = pd.DataFrame(
        {
            "neuron": np.tile(np.arange(m), n),
            "feature": np.repeat([str(i) for i in range(n)], m),
            "value": contribs.ravel(),
        }
    )
    totals = pd.DataFrame({"neuron": np.arange(m), "h": contribs.sum(axis=0)})
    y = alt.Y("neuron:O", title="hidden dimension j")
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("value:Q", title="xᵢ·Wᵢⱼ stacked (tick = hⱼ)"),
            color=_feature_color(n),
            tooltip=["neuron:O", "feature:N", alt.Tooltip("value:Q", format=".3f")],
        )
    )
    tick = (
        alt.Chart(totals)
        .mark_tick(color=INK, thickness=3 * scale, size=20 * scale)
        .encode(y=y, x="h:Q", tooltip=[alt.Tooltip("h:Q", format=".3f", title="h_j")])
    )
    chart = alt.layer(bars, tick).properties(width=300 * scale, height=alt.Step(26 * scale), title=title)
    return _done(chart, scale)


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
    names = (f"PC1 ({100 * ratio[0]:.0f}% of variance)", f"PC2 ({100 * ratio[1]:.0f}% of variance)")
    x, y = _square(_limit(points, features, neurons, floor=1.0), names)
    dots = (
        alt.Chart(pd.DataFrame({"x": points[:, 0], "y": points[:, 1]}))
        .mark_circle(size=12 * scale**2, opacity=0.35, color=GREY)
        .encode(x=x, y=y)
    )
    axes_df = _segments(np.zeros_like(neurons), neurons, label=[f"neuron {j}" for j in range(neurons.shape[0])])
    neuron_arrows = _arrows(axes_df, x, y, "#555555", 1.2 * scale, dash=[5, 4])
    neuron_text = (
        alt.Chart(axes_df)
        .mark_text(dx=6 * scale, dy=10 * scale, fontSize=10 * scale, color="#555555")
        .encode(x=x, y=y, text="label:N")
    )
    n = features.shape[0]
    feat = _segments(np.zeros_like(features), features, feature=[str(i) for i in range(n)])
    feature_arrows = _arrows(feat, x, y, _feature_color(n, "feature i (arrow = Wᵢ)"), 3 * scale)
    side = 300 * scale
    key = "grey dots: hidden vectors of sampled inputs · dashed grey: the neuron axes"
    chart = alt.layer(dots, neuron_arrows, neuron_text, feature_arrows).properties(
        width=side, height=side, title=_titled(title, key, scale)
    )
    return _done(chart, scale)


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
            width=200 * scale, height=alt.Step(20 * scale), title=_titled(title, "orange: the nearest word", scale)
        )
    )
    return _done(chart, scale)


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
    ``arrows`` [k, 2, 2] (start, end) drawn black, e.g. man → woman."""
    coords = np.asarray(coords, dtype=np.float64)
    arrows = np.asarray(arrows, dtype=np.float64).reshape(-1, 2, 2)
    names = (f"PC1 ({100 * ratio[0]:.0f}% of variance)", f"PC2 ({100 * ratio[1]:.0f}% of variance)")
    x, y = _square(_limit(coords, arrows), names)
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
        layers.append(_arrows(_segments(arrows[:, 0], arrows[:, 1]), x, y, INK, 1.8 * scale))
    side = 290 * scale
    key = "black arrows: the analogy's two steps" if arrows.size else ""
    return _done(alt.layer(*layers).properties(width=side, height=side, title=_titled(title, key, scale)), scale)


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
    return _done(chart, scale)


# --------------------------------------------------------------------------------------------
# Privileged basis
# --------------------------------------------------------------------------------------------


def _heat(W: np.ndarray, col_name: str, title: str, color: alt.Color, scale: float) -> alt.Chart:
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
        )
        .properties(width=alt.Step(22 * scale), height=alt.Step(20 * scale), title=title)
    )


def basis_heatmaps(neuron: np.ndarray, pca: np.ndarray, title: str, scale: float = 1.0) -> alt.HConcatChart:
    """W in the neuron basis beside W in the PCA basis, one diverging colour scale centred at 0."""
    neuron, pca = np.asarray(neuron, dtype=np.float64), np.asarray(pca, dtype=np.float64)
    limit = float(max(np.abs(neuron).max(initial=0), np.abs(pca).max(initial=0), 1e-9))
    color = alt.Color(
        "w:Q",
        scale=alt.Scale(scheme=DIVERGING, domain=[-limit, limit], domainMid=0),
        legend=alt.Legend(title="weight (blue < 0 < orange)"),
    )
    left = _heat(neuron, "neuron j", "Neuron basis", color, scale)
    right = _heat(pca, "principal axis k", "PCA basis", color, scale)
    return _done(alt.hconcat(left, right).resolve_scale(color="shared").properties(title=title), scale)


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
        width=240 * scale, height=alt.Step(9 * scale), title=_titled(title, key, scale)
    )
    return _done(chart, scale)


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
    titled = _titled(title, f"red dot: your angle θ = {chosen:g}°", scale)
    return _done(alt.layer(line, dot).properties(width=300 * scale, height=200 * scale, title=titled), scale)


def plane_arrows(W2: np.ndarray, axis_names: tuple[str, str], title: str, scale: float = 1.0) -> alt.LayerChart:
    """Features as arrows in the plane of two chosen axes (the first two columns of W2), labelled at the tip.

    No legend (the tips carry the numbers); arrows shorter than 0.25 in this plane are left unlabelled and those
    shorter than 0.05 undrawn, so the origin does not turn into a pile of digits and arrowheads.
    """
    W2 = np.asarray(W2, dtype=np.float64)[:, :2]
    n = W2.shape[0]
    x, y = _square(_limit(W2, floor=1.0), axis_names)
    df = _segments(np.zeros((n, 2)), W2, feature=[str(i) for i in range(n)], length=np.linalg.norm(W2, axis=1))
    df = df[df["length"] >= 0.05]  # a dropped feature would only leave an arrowhead at the origin
    color = _feature_color(n).legend(None)
    long = df[df["length"] >= 0.25]
    text = alt.Chart(long).mark_text(dx=8 * scale, dy=-8 * scale, fontSize=11 * scale, fontWeight="bold")
    text = text.encode(x=x, y=y, text="feature:N", color=color)
    side = 240 * scale
    chart = alt.layer(_arrows(df, x, y, color, 2.2 * scale), text).properties(width=side, height=side, title=title)
    return _done(chart, scale)


# --------------------------------------------------------------------------------------------
# The superposition hypothesis
# --------------------------------------------------------------------------------------------


def cos_histogram(
    abs_cos: np.ndarray, eps: float, t: np.ndarray, density: np.ndarray, m: int, scale: float = 1.0
) -> alt.LayerChart:
    """Histogram (as a density) of measured |cos| with the exact density curve and a rule at epsilon."""
    counts, edges = np.histogram(np.asarray(abs_cos), bins=40, range=(0.0, 1.0), density=True)
    bars = pd.DataFrame({"lo": edges[:-1], "hi": edges[1:], "density": counts})
    x = alt.X("lo:Q", title="|cos| between two random unit vectors", scale=alt.Scale(domain=[0, 1]))
    y = alt.Y("density:Q", title="probability density")
    hist = alt.Chart(bars).mark_rect(color=OKABE_ITO[5], opacity=0.8).encode(x=x, x2="hi:Q", y=y, y2=alt.datum(0))
    curve_df = pd.DataFrame({"lo": np.asarray(t), "density": np.asarray(density)})
    curve = alt.Chart(curve_df).mark_line(color=OKABE_ITO[0], strokeWidth=2 * scale).encode(x=x, y=y)
    rule = alt.Chart(pd.DataFrame({"lo": [eps]})).mark_rule(color=OKABE_ITO[3], strokeWidth=2 * scale).encode(x=x)
    label = (
        alt.Chart(pd.DataFrame({"lo": [eps], "text": [f"ε = {eps:g}"]}))
        .mark_text(align="left", dx=5, dy=8 * scale, color=OKABE_ITO[3], fontSize=12 * scale)
        .encode(x=x, y=alt.value(0), text="text:N")
    )
    title = f"m = {m}: bars measured, line exact"
    chart = alt.layer(hist, curve, rule, label).properties(width=380 * scale, height=220 * scale, title=title)
    return _done(chart, scale)


def fit_counts_chart(
    ms: np.ndarray,
    counts: np.ndarray,
    capped: np.ndarray,
    birthday: np.ndarray,
    jl: np.ndarray,
    cap: int,
    eps: float,
    scale: float = 1.0,
) -> alt.LayerChart:
    """Measured counts (orange dots, one per seeded run; triangles hit the cap), the exact-distribution estimate
    (solid), exp(m ε²/4) (dashed) and N = m (grey dotted), on a log y axis; lines are labelled at their ends."""
    ms = np.asarray(ms)
    counts = np.asarray(counts)
    seeds = counts.shape[1]
    dots = pd.DataFrame(
        {
            "m": np.repeat(ms, seeds),
            "N": np.maximum(counts.ravel(), 1),
            "kind": np.where(np.asarray(capped).ravel(), f"measured (hit the cap of {cap})", "measured"),
        }
    )
    names = ["exact-distribution estimate", "exp(m ε²/4)  (JL)", "N = m"]
    lines = pd.DataFrame(
        {"m": np.tile(ms, 3), "N": np.concatenate([birthday, jl, ms]), "curve": np.repeat(names, ms.size)}
    )
    lines = lines[lines["N"] <= 10 * cap]
    ends = lines.groupby("curve", sort=False).tail(1)
    x = alt.X("m:Q", title="dimensions m")
    y = alt.Y("N:Q", scale=alt.Scale(type="log"), title="vectors before two are ε-close (log scale)")
    dash = alt.StrokeDash("curve:N", scale=alt.Scale(domain=names, range=[[1, 0], [6, 4], [2, 2]]), legend=None)
    colour = alt.Color("curve:N", scale=alt.Scale(domain=names, range=[OKABE_ITO[0], OKABE_ITO[0], GREY]), legend=None)
    line = alt.Chart(lines).mark_line(strokeWidth=2 * scale).encode(x=x, y=y, strokeDash=dash, color=colour)
    labels = (
        alt.Chart(ends)
        .mark_text(align="left", dx=5 * scale, fontSize=10 * scale)
        .encode(x=x, y=y, text="curve:N", color=colour)
    )
    kinds = ["measured", f"measured (hit the cap of {cap})"]
    shape = alt.Shape("kind:N", scale=alt.Scale(domain=kinds, range=["circle", "triangle-up"]), legend=None)
    points = (
        alt.Chart(dots)
        .mark_point(size=60 * scale**2, filled=True, color=OKABE_ITO[1], opacity=0.9)
        .encode(x=x, y=y, shape=shape, tooltip=["m:Q", "N:Q", "kind:N"])
    )
    layers = [line, labels, points]
    title = f"How many random directions fit with all |cos| < {eps:g}"
    key = "orange: one seeded run each · triangle: it reached the cap"
    chart = alt.layer(*layers).properties(width=330 * scale, height=240 * scale, title=_titled(title, key, scale))
    return _done(chart, scale)


def sensing_stems(x: np.ndarray, recovered: np.ndarray, least_norm: np.ndarray, scale: float = 1.0) -> alt.LayerChart:
    """The true sparse vector (stems), the sparse recovery (crosses) and the least-norm answer (grey line)."""
    n = len(x)
    idx = np.arange(n)
    truth = pd.DataFrame({"i": idx, "value": np.asarray(x, dtype=np.float64)})
    others = pd.DataFrame(
        {
            "i": np.tile(idx, 2),
            "value": np.concatenate([recovered, least_norm]),
            "what": np.repeat(["recovered", "least-norm answer"], n),
        }
    )
    x_enc = alt.X("i:Q", title="coordinate i of x", scale=alt.Scale(domain=[-1, n]))
    y_enc = alt.Y("value:Q", title="value")
    stems = alt.Chart(truth[truth["value"] != 0]).mark_rule(color=INK, strokeWidth=2 * scale)
    stems = stems.encode(x=x_enc, y=y_enc, y2=alt.datum(0))
    heads = alt.Chart(truth[truth["value"] != 0]).mark_circle(color=INK, size=40 * scale**2).encode(x=x_enc, y=y_enc)
    domain = ["recovered", "least-norm answer"]
    color = alt.Color(
        "what:N",
        scale=alt.Scale(domain=domain, range=[OKABE_ITO[1], GREY]),
        legend=alt.Legend(title="black stems: the true x;", orient="top"),
    )
    line = alt.Chart(others[others["what"] == domain[1]]).mark_line(strokeWidth=1.2 * scale, opacity=0.8)
    line = line.encode(x=x_enc, y=y_enc, color=color)
    crosses = alt.Chart(others[others["what"] == domain[0]]).mark_point(shape="cross", filled=True, size=50 * scale**2)
    crosses = crosses.encode(x=x_enc, y=y_enc, color=color, tooltip=["i:Q", alt.Tooltip("value:Q", format=".3f")])
    chart = alt.layer(line, stems, heads, crosses).properties(width=400 * scale, height=220 * scale)
    return _done(chart.properties(title="The sparse vector and what comes back"), scale)


def recovery_chart(ks: np.ndarray, success: np.ndarray, m: int, k: int, scale: float = 1.0) -> alt.LayerChart:
    """Share of random k-sparse vectors recovered against k, with rules at k = m and at the chosen k."""
    df = pd.DataFrame({"k": np.asarray(ks), "share": np.asarray(success, dtype=np.float64)})
    x = alt.X("k:Q", title="non-zeros k in the sparse vector")
    y = alt.Y("share:Q", title="share recovered", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
    line = alt.Chart(df).mark_line(point=True, strokeWidth=2 * scale, color=OKABE_ITO[2]).encode(x=x, y=y)
    marks = pd.DataFrame({"k": [m, k], "what": [f"k = m = {m}", f"your k = {k}"]})
    rules = (
        alt.Chart(marks)
        .mark_rule(strokeDash=[5, 4], strokeWidth=1.5 * scale)
        .encode(
            x="k:Q",
            color=alt.Color(
                "what:N",
                scale=alt.Scale(range=[GREY, OKABE_ITO[3]], domain=list(marks["what"])),
                legend=alt.Legend(title="dashed:", orient="top"),
            ),
        )
    )
    title = "Recovery fails as x gets denser"
    chart = alt.layer(line, rules).properties(width=320 * scale, height=220 * scale, title=title)
    return _done(chart, scale)


def eigen_bars(eigenvalues: np.ndarray, m: int, title: str, scale: float = 1.0) -> alt.LayerChart:
    """Eigenvalues of the stored features' Gram matrix, largest first, each labelled with its value; those past
    the m-th (which must be 0 in m dimensions) in another colour."""
    ev = np.asarray(eigenvalues, dtype=np.float64)
    df = pd.DataFrame({"k": np.arange(1, ev.size + 1), "eigenvalue": ev})
    df["kind"] = np.where(np.arange(ev.size) < m, f"first m = {m}", "beyond m (must be 0)")
    df["label"] = [f"{v:.2f}" if abs(v) >= 0.01 else f"{v:.0e}" for v in ev]
    domain = [f"first m = {m}", "beyond m (must be 0)"]
    x = alt.X("k:O", title="eigenvalue number (largest first)")
    y = alt.Y("eigenvalue:Q", title="eigenvalue")
    color = alt.Color(
        "kind:N",
        scale=alt.Scale(domain=domain, range=[OKABE_ITO[0], OKABE_ITO[3]]),
        legend=alt.Legend(title=None, orient="top"),
    )
    base = alt.Chart(df).encode(x=x, y=y, color=color, tooltip=["k:O", alt.Tooltip("eigenvalue:Q", format=".3g")])
    bars = base.mark_bar()
    text = base.mark_text(dy=-6 * scale, fontSize=9 * scale, angle=0).encode(text="label:N")
    step = max(22.0, 320.0 / max(ev.size, 1)) * scale
    chart = alt.layer(bars, text).properties(width=alt.Step(step), height=200 * scale, title=title)
    return _done(chart, scale)


def padded(chart):
    """Give a chart from core.charts.common the "pad" autosize too, so Streamlit does not squeeze its plotting area."""
    return chart.properties(autosize=alt.AutoSizeParams(type="pad", contains="padding"))
