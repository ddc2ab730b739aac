"""Charts for the "Experiment setup" chapter: a sample batch, how often each feature fired, the importances,
and the training loss against its reference levels.

Arrays in, Altair chart out (numbers from core.chapters.experiment_setup), every builder takes ``scale``.
Colours: viridis for values (grey marks an exact zero), Okabe-Ito for single series; style from
core.charts.style. The trained model's weight pictures are shared with the next chapter and live in
core.charts.basic_results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from core.charts.style import INK, OKABE_ITO, SEQUENTIAL, configure

ZERO_GREY = "#e3e6ec"
ZERO_BELOW = 0.005  # a cell that reads 0.00 (or less): a model's output is rarely exactly 0, an input often is


def _cell(n: int, scale: float, most: float = 18.0, total: float = 420.0) -> float:
    return max(5.0, min(most, total / max(n, 1))) * scale


def batch_heatmap(
    panels: Sequence[np.ndarray], titles: Sequence[str], scale: float = 1.0, legend_title: str = "value"
) -> alt.HConcatChart:
    """Examples (rows) by features (columns), one panel per array [rows, n], on one shared colour scale.

    Cells that round to 0 (below ZERO_BELOW, negative included) are light grey, in every panel alike, so the
    sparsity of a batch, and of a model's output beside it, is visible at a glance.
    """
    if len(panels) != len(titles):
        raise ValueError(f"need one title per panel ({len(panels)}), got {len(titles)}")
    color = (
        alt.when(alt.datum.value < ZERO_BELOW)
        .then(alt.value(ZERO_GREY))
        .otherwise(
            alt.Color(
                "value:Q",
                scale=alt.Scale(scheme=SEQUENTIAL, domain=[0, 1], clamp=True),
                legend=alt.Legend(title=f"{legend_title} (grey = 0.00 or below)"),
            )
        )
    )
    charts = []
    for x, title in zip(panels, titles):
        x = np.asarray(x, dtype=np.float64)
        rows, n = x.shape
        r, c = np.meshgrid(np.arange(rows), np.arange(n), indexing="ij")
        df = pd.DataFrame({"example": r.ravel(), "feature": c.ravel(), "value": x.ravel()})
        tip = ["example:O", "feature:O", alt.Tooltip("value:Q", format=".3f")]
        chart = (
            alt.Chart(df)
            .mark_rect()
            .encode(
                x=alt.X("feature:O", title="feature i"),
                y=alt.Y("example:O", title="example in the batch", axis=alt.Axis(labels=rows <= 40)),
                color=color,
                tooltip=tip,
            )
            .properties(width=alt.Step(_cell(n, scale)), height=alt.Step(9 * scale), title=str(title))
        )
        charts.append(chart)
    return configure(alt.hconcat(*charts).resolve_scale(color="shared"), scale)


def frequency_bars(
    frequency: np.ndarray, density: float, band: tuple[float, float], batch: int, scale: float = 1.0
) -> alt.LayerChart:
    """How often each feature was non-zero in a sample, against the chosen density p (dashed line).

    The shaded band is where a feature's frequency usually lands by chance in a sample of ``batch``.
    """
    freq = np.asarray(frequency, dtype=np.float64)
    n = freq.size
    df = pd.DataFrame({"feature": np.arange(n), "frequency": freq, "count": np.rint(freq * batch).astype(int)})
    y_title = "fraction of examples where xᵢ ≠ 0"
    x = alt.X("feature:O", title="feature i")
    band_df = pd.DataFrame({"lo": [band[0]], "hi": [band[1]]})
    shade = alt.Chart(band_df).mark_rect(color=OKABE_ITO[1], opacity=0.25).encode(y="lo:Q", y2="hi:Q")
    bars = (
        alt.Chart(df)
        .mark_bar(color=OKABE_ITO[0])
        .encode(
            x=x,
            y=alt.Y("frequency:Q", title=y_title),
            tooltip=["feature:O", alt.Tooltip("frequency:Q", format=".4f"), alt.Tooltip("count:Q", title="examples")],
        )
    )
    line_df = pd.DataFrame({"p": [density], "label": [f"chosen density p = {density:g}"]})
    rule = alt.Chart(line_df).mark_rule(color=INK, strokeDash=[5, 3], strokeWidth=1.5 * scale).encode(y="p:Q")
    text = (
        alt.Chart(line_df)
        .mark_text(align="left", dx=6, fontSize=11 * scale)
        .encode(y="p:Q", x=alt.value(n * _cell(n, scale)), text="label:N")
    )
    title = alt.TitleParams(
        f"How often each feature fired in {batch:,} examples",
        subtitle=f"shaded: where a frequency lands 95% of the time by chance (p ± 2 standard errors for {batch:,})",
        subtitleFontSize=11 * scale,
    )
    chart = alt.layer(shade, bars, rule, text).properties(width=alt.Step(_cell(n, scale)), height=200 * scale)
    return configure(chart.properties(title=title), scale)


def importance_bars(importance: np.ndarray, scale: float = 1.0) -> alt.Chart:
    """I_i per feature: how much feature i's reconstruction error counts in the loss."""
    imp = np.asarray(importance, dtype=np.float64)
    df = pd.DataFrame({"feature": np.arange(imp.size), "importance": imp})
    chart = (
        alt.Chart(df)
        .mark_bar(color=OKABE_ITO[2])
        .encode(
            x=alt.X("feature:O", title="feature i"),
            y=alt.Y("importance:Q", title="importance Iᵢ", scale=alt.Scale(domain=[0, max(1.0, imp.max())])),
            tooltip=["feature:O", alt.Tooltip("importance:Q", format=".4g")],
        )
        .properties(width=alt.Step(_cell(imp.size, scale)), height=200 * scale, title="Importance of each feature")
    )
    return configure(chart, scale)


def loss_with_levels(
    steps: np.ndarray,
    losses: np.ndarray,
    levels: Mapping[str, float],
    run_label: str = "training loss",
    scale: float = 1.0,
) -> alt.LayerChart:
    """A training-loss curve (log axis) with dashed reference levels, each named on the chart."""
    steps = np.asarray(steps, dtype=np.float64)
    loss = np.asarray(losses, dtype=np.float64).reshape(steps.size, -1)[:, 0]
    df = pd.DataFrame({"step": steps, "loss": loss, "run": run_label})
    df = df[df["loss"] > 0]
    lv = pd.DataFrame({"name": list(levels), "loss": list(levels.values())})
    lv = lv[lv["loss"] > 0]
    y = alt.Y("loss:Q", scale=alt.Scale(type="log"), title="loss (log scale)")
    line = (
        alt.Chart(df)
        .mark_line(strokeWidth=2 * scale, color=OKABE_ITO[0])
        .encode(x=alt.X("step:Q", title="training step"), y=y, tooltip=["step:Q", alt.Tooltip("loss:Q", format=".4g")])
    )
    rules = alt.Chart(lv).mark_rule(strokeDash=[5, 3], color=INK).encode(y=y)
    names = (
        alt.Chart(lv)
        .mark_text(align="right", dy=-6 * scale, fontSize=11 * scale, color=INK)
        .encode(y=y, x=alt.value(440 * scale), text="name:N", tooltip=["name:N", alt.Tooltip("loss:Q", format=".4g")])
    )
    chart = alt.layer(rules, names, line).properties(width=440 * scale, height=240 * scale, title="Training loss")
    return configure(chart, scale)
