"""Charts for the "Experiment setup" and "Basic results" chapters (same style as ``core.charts.common``).

Arrays in, Altair chart out, every builder takes ``scale``. Colours: viridis for values
(grey marks an exact zero or a feature the model does not represent), Okabe-Ito for the
two models. Feature superposition is always drawn on the same viridis scale from 0 (the
feature has a direction to itself) to 1 and above (other features fully share it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from core import analysis
from core.chapters.basic_results import THRESHOLD, SweepSummary, represented_superposition
from core.charts import common as charts
from core.charts.style import DIVERGING, OKABE_ITO, SEQUENTIAL

ZERO_GREY = "#e3e6ec"
DROPPED_GREY = "#b8bcc6"
SUPERPOSITION_TITLE = "superposition Σⱼ≠ᵢ(Ŵᵢ·Wⱼ)²"


def configure(chart: alt.TopLevelMixin, scale: float = 1.0) -> alt.TopLevelMixin:
    """``charts.configure`` plus "pad" sizing: the given width and height are the plot area's.

    Streamlit's theme asks Vega-Lite to *fit* the whole chart, legend and titles included, into
    width x height; a long legend title then squeezes the plot itself to nothing.
    """
    return padded(charts.configure(chart, scale))


def padded(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Size a finished chart (e.g. from ``core.charts.common``) by its plot area, so legends cannot squeeze it."""
    return chart.properties(autosize=alt.AutoSizeParams(type="pad"))


def _cell(n: int, scale: float, most: float = 18.0, total: float = 420.0) -> float:
    return max(5.0, min(most, total / max(n, 1))) * scale


def batch_heatmap(
    panels: Sequence[np.ndarray], titles: Sequence[str], scale: float = 1.0, legend_title: str = "value"
) -> alt.HConcatChart:
    """Examples (rows) by features (columns), one panel per array [rows, n], on one shared colour scale.

    Cells that are exactly 0 are light grey, so the sparsity of a batch is visible at a glance.
    """
    if len(panels) != len(titles):
        raise ValueError(f"need one title per panel ({len(panels)}), got {len(titles)}")
    color = (
        alt.when(alt.datum.value == 0)
        .then(alt.value(ZERO_GREY))
        .otherwise(
            alt.Color(
                "value:Q",
                scale=alt.Scale(scheme=SEQUENTIAL, domain=[0, 1], clamp=True),
                legend=alt.Legend(title=f"{legend_title} (grey = exactly 0)"),
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
    rule = alt.Chart(line_df).mark_rule(color="black", strokeDash=[5, 3], strokeWidth=1.5 * scale).encode(y="p:Q")
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
    rules = alt.Chart(lv).mark_rule(strokeDash=[5, 3], color="#555555").encode(y=y)
    names = (
        alt.Chart(lv)
        .mark_text(align="right", dy=-6 * scale, fontSize=11 * scale, color="#333333")
        .encode(y=y, x=alt.value(440 * scale), text="name:N", tooltip=["name:N", alt.Tooltip("loss:Q", format=".4g")])
    )
    chart = alt.layer(rules, names, line).properties(width=440 * scale, height=240 * scale, title="Training loss")
    return configure(chart, scale)


def _superposition_color(legend: bool = True) -> alt.Color:
    return alt.Color(
        "sup_clipped:Q",
        scale=alt.Scale(scheme=SEQUENTIAL, domain=[0, 1]),
        legend=alt.Legend(title=SUPERPOSITION_TITLE) if legend else None,
    )


def _feature_frame(W_k: np.ndarray, threshold: float) -> pd.DataFrame:
    W_k = np.asarray(W_k, dtype=np.float64)
    sup = represented_superposition(W_k, threshold)
    df = pd.DataFrame({"feature": np.arange(W_k.shape[0]), "norm": analysis.feature_norms(W_k), "superposition": sup})
    df["represented"] = df["norm"] > threshold
    df["sup_clipped"] = np.clip(sup, 0.0, 1.0)
    return df


def norm_bars_superposition(
    W_k: np.ndarray, title: str = "Feature norms ||Wᵢ||", threshold: float = THRESHOLD, scale: float = 1.0
) -> alt.LayerChart:
    """||W_i|| bars coloured by superposition; grey bars are features the model does not represent."""
    df = _feature_frame(W_k, threshold)
    color = alt.when(alt.datum.represented).then(_superposition_color()).otherwise(alt.value(DROPPED_GREY))
    tip = ["feature:O", alt.Tooltip("norm:Q", format=".3f"), alt.Tooltip("superposition:Q", format=".3f")]
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(y=alt.Y("feature:O", title="feature i"), x=alt.X("norm:Q", title="||Wᵢ||"), color=color, tooltip=tip)
    )
    cut = pd.DataFrame({"x": [threshold]})
    rule = alt.Chart(cut).mark_rule(strokeDash=[4, 3], color="#555555").encode(x="x:Q")
    head = alt.TitleParams(
        title,
        subtitle=[
            "dark: own direction · yellow: shared (≥ 1)",
            f"grey: not represented (||Wᵢ|| ≤ {threshold:g}, dashed)",
        ],
        subtitleFontSize=11 * scale,
    )
    step = max(5.0, min(20.0, 320.0 / len(df))) * scale
    chart = alt.layer(bars, rule).properties(width=250 * scale, height=alt.Step(step), title=head)
    return configure(chart, scale)


def pca_features(W_k: np.ndarray, title: str, threshold: float = THRESHOLD, scale: float = 1.0) -> alt.LayerChart:
    """Feature directions W_i seen along the two hidden-space axes that carry most of ||W||_F² (needs m >= 2).

    Uncentred PCA, so the origin stays put: a dropped feature sits at 0 and an antipodal pair
    points in opposite directions. Colours as in ``norm_bars_superposition``.
    """
    pca = analysis.pca_of_features(W_k, 2)
    df = _feature_frame(W_k, threshold)
    df["x"], df["y"] = pca.coords[:, 0], pca.coords[:, 1]
    df["x0"], df["y0"] = 0.0, 0.0
    df["label"] = np.where(df["represented"], df["feature"].astype(str), "")
    ratio = pca.explained_variance_ratio
    limit = float(max(1.0, np.abs(pca.coords).max(initial=0.0)) * 1.15)
    sc = alt.Scale(domain=[-limit, limit], nice=False)
    x = alt.X("x:Q", scale=sc, title=f"PC1 ({100 * ratio[0]:.0f}% of ||W||²)")
    y = alt.Y("y:Q", scale=sc, title=f"PC2 ({100 * ratio[1]:.0f}% of ||W||²)")
    color = alt.when(alt.datum.represented).then(_superposition_color(legend=False)).otherwise(alt.value(DROPPED_GREY))
    tip = ["feature:O", alt.Tooltip("norm:Q", format=".3f"), alt.Tooltip("superposition:Q", format=".3f")]
    base = alt.Chart(df).encode(x=x, y=y, color=color, tooltip=tip)
    lines = base.mark_rule(strokeWidth=1.5 * scale, opacity=0.8).encode(x2="x0:Q", y2="y0:Q")
    dots = base.mark_circle(size=45 * scale**2, opacity=1)
    text = base.mark_text(dx=7 * scale, dy=-7 * scale, fontSize=10 * scale, color="#333333").encode(text="label:N")
    side = 300 * scale
    head = alt.TitleParams(
        title,
        subtitle=[
            "each Wᵢ along the two hidden axes that hold most of W",
            "colour: superposition, as in the norm bars; grey: not represented",
        ],
        subtitleFontSize=11 * scale,
    )
    return configure(alt.layer(lines, dots, text).properties(width=side, height=side, title=head), scale)


def _overview_frame(summaries: Mapping[str, SweepSummary]) -> pd.DataFrame:
    frames = []
    for name, s in summaries.items():
        frames.append(
            pd.DataFrame(
                {
                    "model": name,
                    "density": s.densities,
                    "inverse": 1.0 / s.densities,
                    "represented": s.n_represented,
                    "superposition": s.total_superposition,
                    "relative loss": s.loss / s.linear_optimum,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def sweep_overview(summaries: Mapping[str, SweepSummary], m: int, scale: float = 1.0) -> alt.HConcatChart:
    """Per density, for each model: features represented, total superposition, loss / best linear loss."""
    df = _overview_frame(summaries)
    names = list(summaries)
    color = alt.Color(
        "model:N",
        scale=alt.Scale(domain=names, range=OKABE_ITO[: len(names)]),
        legend=alt.Legend(title="model", orient="top", direction="horizontal"),
    )
    x = alt.X("inverse:Q", scale=alt.Scale(type="log"), title="1/p = 1/(1−S): rarer features →")
    tip = ["model:N", alt.Tooltip("density:Q", title="density p", format=".3g")]
    panels = []
    specs = [
        ("represented", "features represented (||Wᵢ|| > 0.5)", m, f"m = {m} dimensions"),
        ("superposition", "total superposition of kept features", None, None),
        ("relative loss", "loss ÷ best linear loss (closed form)", 1.0, "best linear model"),
    ]
    for field, y_title, level, level_name in specs:
        base = alt.Chart(df).encode(
            x=x,
            y=alt.Y(f"{field}:Q", title=y_title),
            color=color,
            tooltip=tip + [alt.Tooltip(f"{field}:Q", format=".3g")],
        )
        layers = [base.mark_line(strokeWidth=2 * scale), base.mark_point(filled=True, size=50 * scale**2)]
        if level is not None:
            ref = pd.DataFrame({"y": [level], "name": [level_name]})
            layers.insert(0, alt.Chart(ref).mark_rule(strokeDash=[5, 3], color="#777777").encode(y="y:Q"))
            layers.insert(
                1,
                alt.Chart(ref)
                .mark_text(align="left", dx=3, dy=-6 * scale, fontSize=10 * scale, color="#555555")
                .encode(y="y:Q", x=alt.value(0), text="name:N"),
            )
        panels.append(alt.layer(*layers).properties(width=240 * scale, height=220 * scale))
    return configure(alt.hconcat(*panels), scale)


def gram_panel(W_k: np.ndarray, b_k: np.ndarray, title: str, scale: float = 1.0) -> alt.HConcatChart:
    """Wᵀ W beside the bias b on one diverging scale pinned at 0, compact enough for half a page.

    Same picture as ``core.charts.common.gram_heatmap`` but about 300 px wide whatever n is, with the
    legend underneath, so two models fit side by side.
    """
    cells, bias, limit = charts.gram_frames(W_k, b_k)
    n = len(bias)
    legend = alt.Legend(title="Wᵢ·Wⱼ and bᵢ: blue < 0 < orange", orient="bottom", gradientLength=200 * scale)
    color = alt.Color("value:Q", scale=alt.Scale(scheme=DIVERGING, domain=[-limit, limit], domainMid=0), legend=legend)
    every = max(1, int(np.ceil(n / 20)))
    ticks = list(range(0, n, every))
    cell = max(3.5, min(16.0, 300.0 / n)) * scale
    tip = [alt.Tooltip("row:O", title="i"), alt.Tooltip("col:N", title="j"), alt.Tooltip("value:Q", format=".3f")]
    y = alt.Y("row:O", title="feature i (output)", axis=alt.Axis(values=ticks))
    heat = (
        alt.Chart(cells)
        .mark_rect()
        .encode(x=alt.X("col:O", title="feature j (input)", axis=alt.Axis(values=ticks)), y=y, color=color, tooltip=tip)
        .properties(width=alt.Step(cell), height=alt.Step(cell), title="Wᵀ W")
    )
    bias_chart = (
        alt.Chart(bias)
        .mark_rect()
        .encode(x=alt.X("col:N", title=None), y=alt.Y("row:O", axis=None), color=color, tooltip=tip)
        .properties(width=max(12.0, cell), height=alt.Step(cell), title="b")
    )
    chart = alt.hconcat(heat, bias_chart, spacing=6).resolve_scale(color="shared").properties(title=title)
    return configure(chart, scale)


def loss_by_density(steps: np.ndarray, losses: np.ndarray, densities: Sequence[float], scale: float = 1.0) -> alt.Chart:
    """Training loss per instance of a sweep (log axis), one line per density, legend underneath."""
    steps = np.asarray(steps, dtype=np.float64)
    losses = np.asarray(losses, dtype=np.float64).reshape(steps.size, -1)
    labels = [f"p = {p:g}" for p in densities]
    df = pd.DataFrame({"step": np.repeat(steps, len(labels)), "loss": losses.ravel(), "run": labels * steps.size})
    df = df[df["loss"] > 0]
    legend = alt.Legend(title="density", orient="bottom", columns=4)
    if len(labels) <= len(OKABE_ITO):
        color = alt.Color("run:N", scale=alt.Scale(domain=labels, range=OKABE_ITO[: len(labels)]), legend=legend)
    else:
        color = alt.Color("run:O", sort=labels, scale=alt.Scale(scheme=SEQUENTIAL), legend=legend)
    chart = (
        alt.Chart(df)
        .mark_line(strokeWidth=1.5 * scale)
        .encode(
            x=alt.X("step:Q", title="training step"),
            y=alt.Y("loss:Q", scale=alt.Scale(type="log"), title="loss (log scale)"),
            color=color,
            tooltip=["run:N", "step:Q", alt.Tooltip("loss:Q", format=".4g")],
        )
        .properties(width=340 * scale, height=200 * scale, title="Training loss, every density")
    )
    return configure(chart, scale)
