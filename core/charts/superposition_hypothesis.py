"""Charts for "The superposition hypothesis" chapter: almost-orthogonal random directions, how many fit,
compressed sensing, and the eigenvalues of a model's stored features.

Arrays in, chart out (every number is computed by core.chapters.superposition_hypothesis or the page); style
from core.charts.style; every builder takes ``scale`` for projector mode.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from core.charts.style import GREY, INK, OKABE_ITO, configure, titled


def cos_histogram(
    edges: np.ndarray,
    heights: np.ndarray,
    eps: float,
    t: np.ndarray,
    density: np.ndarray,
    m: int,
    scale: float = 1.0,
) -> alt.LayerChart:
    """Histogram of measured |cos| (bin ``edges`` [k + 1], ``heights`` [k] as a probability density) with the
    exact density curve (``density`` at ``t``) and a rule at epsilon."""
    edges = np.asarray(edges, dtype=np.float64)
    bars = pd.DataFrame({"lo": edges[:-1], "hi": edges[1:], "density": np.asarray(heights, dtype=np.float64)})
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
    return configure(chart, scale)


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
    chart = alt.layer(*layers).properties(width=300 * scale, height=240 * scale, title=titled(title, key, scale))
    return configure(chart, scale)


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
        legend=alt.Legend(title="grey stems: the true x;", orient="top"),
    )
    line = alt.Chart(others[others["what"] == domain[1]]).mark_line(strokeWidth=1.2 * scale, opacity=0.8)
    line = line.encode(x=x_enc, y=y_enc, color=color)
    crosses = alt.Chart(others[others["what"] == domain[0]]).mark_point(shape="cross", filled=True, size=50 * scale**2)
    crosses = crosses.encode(x=x_enc, y=y_enc, color=color, tooltip=["i:Q", alt.Tooltip("value:Q", format=".3f")])
    chart = alt.layer(line, stems, heads, crosses).properties(width=400 * scale, height=220 * scale)
    return configure(chart.properties(title="The sparse vector and what comes back"), scale)


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
    return configure(chart, scale)


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
    return configure(chart, scale)
