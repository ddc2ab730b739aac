"""Charts for the "Basic results" chapter (and the trained-model pictures of "Experiment setup"): Wᵀ W with
the bias, feature norms coloured by superposition, feature directions along the main hidden axes, the sweep
overview and the training losses of every density.

Arrays and tables in, Altair chart out: norms, superposition, Gram matrices, PCA coordinates and the sweep
table are computed by core.chapters.basic_results / core.analysis and passed in. Colours: viridis for
superposition, always on the same scale from 0 (the feature has a direction to itself) to 1 and above
(other features fully share it), grey for a feature the model does not represent, Okabe-Ito for models.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from core.charts import common
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
)

DROPPED_GREY = "#b8bcc6"
SUPERPOSITION_TITLE = "superposition Σⱼ≠ᵢ(Ŵᵢ·Wⱼ)²"


def _superposition_color(legend: bool = True) -> alt.Color:
    return alt.Color(
        "sup_clipped:Q",
        scale=alt.Scale(scheme=SEQUENTIAL, domain=[0, 1]),
        # below the bars: beside them, the long title pushed the chart past a half column
        legend=alt.Legend(title=SUPERPOSITION_TITLE, orient="bottom") if legend else None,
    )


FEATURE_COLUMNS = ("feature", "norm", "superposition", "represented")


def _feature_frame(features: pd.DataFrame) -> pd.DataFrame:
    """The feature table (``core.chapters.basic_results.feature_table``) plus the clipped colour column."""
    missing = [c for c in FEATURE_COLUMNS if c not in features.columns]
    if missing:
        raise ValueError(f"the feature table needs columns {FEATURE_COLUMNS}, missing {missing}")
    df = features.loc[:, list(FEATURE_COLUMNS)].reset_index(drop=True)
    df["sup_clipped"] = np.clip(df["superposition"].to_numpy(dtype=np.float64), 0.0, 1.0)
    return df


def norm_bars_superposition(
    features: pd.DataFrame,
    threshold: float,
    title: str = "Feature norms ‖Wᵢ‖",
    scale: float = 1.0,
    followed: int | None = None,
    pickable: bool = False,
) -> alt.LayerChart:
    """||W_i|| bars coloured by superposition; grey bars are features the model does not represent.

    ``features``: one row per feature (feature, norm, superposition, represented); ``threshold`` is the
    norm above which a feature counts as represented, drawn as a dashed rule. ``followed`` and ``pickable``
    link the bars to the page's other charts (``core.charts.style.emphasis`` and ``feature_pick``).
    """
    df = _feature_frame(features)
    color = alt.when(alt.datum.represented).then(_superposition_color()).otherwise(alt.value(DROPPED_GREY))
    tip = ["feature:O", alt.Tooltip("norm:Q", format=".3f"), alt.Tooltip("superposition:Q", format=".3f")]
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("feature:O", title="feature i"),
            x=alt.X("norm:Q", title="‖Wᵢ‖"),
            color=color,
            tooltip=tip,
            opacity=emphasis(followed),
        )
    )
    if pickable:
        bars = bars.add_params(feature_pick())
    cut = pd.DataFrame({"x": [threshold]})
    rule = alt.Chart(cut).mark_rule(strokeDash=[4, 3], color=INK).encode(x="x:Q")
    head = alt.TitleParams(
        title,
        subtitle=[
            "dark: own direction · yellow: shared (≥ 1)",
            f"grey: not represented (‖Wᵢ‖ ≤ {threshold:g}, dashed)",
        ],
        subtitleFontSize=11 * scale,
    )
    step = max(5.0, min(20.0, 320.0 / len(df))) * scale
    chart = alt.layer(bars, rule).properties(width=250 * scale, height=alt.Step(step), title=head)
    return configure(chart, scale)


def pca_features(
    features: pd.DataFrame,
    coords: np.ndarray,
    ratio: np.ndarray,
    title: str,
    scale: float = 1.0,
    followed: int | None = None,
    pickable: bool = False,
) -> alt.LayerChart:
    """Feature directions W_i seen along the two hidden-space axes that carry most of ||W||_F² (needs m >= 2).

    ``coords`` [n, 2] and ``ratio`` come from an uncentred PCA of the features (``core.analysis.pca_of_features``),
    so the origin stays put: a dropped feature sits at 0 and an antipodal pair points in opposite directions.
    Colours as in ``norm_bars_superposition``, from the same feature table; ``followed`` and ``pickable`` as
    there (a click on a dot picks its feature).
    """
    df = _feature_frame(features)
    coords = np.asarray(coords, dtype=np.float64)
    df["x"], df["y"] = coords[:, 0], coords[:, 1]
    df["x0"], df["y0"] = 0.0, 0.0
    # a represented feature can still project near the origin (it lies along a third axis): no label there
    off_origin = np.array(common.labels_off_origin(coords, ["x"] * len(df))) != ""
    df["label"] = np.where(df["represented"] & off_origin, df["feature"].astype(str), "")
    limit = axis_limit(coords, floor=1.0)
    sc = alt.Scale(domain=[-limit, limit], nice=False)
    names = pc_titles(ratio, digits=0, of="‖W‖²")
    x, y = alt.X("x:Q", scale=sc, title=names[0]), alt.Y("y:Q", scale=sc, title=names[1])
    color = alt.when(alt.datum.represented).then(_superposition_color(legend=False)).otherwise(alt.value(DROPPED_GREY))
    tip = ["feature:O", alt.Tooltip("norm:Q", format=".3f"), alt.Tooltip("superposition:Q", format=".3f")]
    base = alt.Chart(df).encode(x=x, y=y, color=color, tooltip=tip, opacity=emphasis(followed))
    lines = base.mark_rule(strokeWidth=1.5 * scale).encode(x2="x0:Q", y2="y0:Q")
    dots = base.mark_circle(size=45 * scale**2)
    if pickable:
        dots = dots.add_params(feature_pick())
    text = base.mark_text(dx=7 * scale, dy=-7 * scale, fontSize=10 * scale, color=INK).encode(text="label:N")
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


OVERVIEW_COLUMNS = ("model", "density", "represented", "superposition", "relative loss")


def sweep_overview(table: pd.DataFrame, m: int, scale: float = 1.0) -> alt.HConcatChart:
    """Per density, for each model: features represented, total superposition, loss / best linear loss.

    ``table``: one row per (model, density) with the columns of ``OVERVIEW_COLUMNS``
    (``core.chapters.basic_results.overview_table``); models keep their first-seen order.
    """
    missing = [c for c in OVERVIEW_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"the overview table needs columns {OVERVIEW_COLUMNS}, missing {missing}")
    df = table.loc[:, list(OVERVIEW_COLUMNS)].reset_index(drop=True)
    df["inverse"] = 1.0 / df["density"]  # the x axis: 1/p, rarer features to the right
    names = list(dict.fromkeys(df["model"]))
    color = alt.Color(
        "model:N",
        scale=alt.Scale(domain=names, range=OKABE_ITO[: len(names)]),
        legend=alt.Legend(title="model", orient="top", direction="horizontal"),
    )
    x = alt.X("inverse:Q", scale=alt.Scale(type="log"), title="1/p = 1/(1−S): rarer features →")
    tip = ["model:N", alt.Tooltip("density:Q", title="density p", format=".3g")]
    panels = []
    specs = [
        ("represented", "features represented (‖Wᵢ‖ > 0.5)", m, f"m = {m} dimensions"),
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
            layers.insert(0, alt.Chart(ref).mark_rule(strokeDash=[5, 3], color=GUIDE).encode(y="y:Q"))
            layers.insert(
                1,
                alt.Chart(ref)
                .mark_text(align="left", dx=3, dy=-6 * scale, fontSize=10 * scale, color=INK)
                .encode(y="y:Q", x=alt.value(0), text="name:N"),
            )
        panels.append(alt.layer(*layers).properties(width=240 * scale, height=220 * scale))
    return configure(alt.hconcat(*panels), scale)


def gram_panel(
    gram: np.ndarray,
    b_k: np.ndarray,
    title: str,
    scale: float = 1.0,
    followed: int | None = None,
    pickable: bool = False,
) -> alt.HConcatChart:
    """Wᵀ W [n, n] (``core.analysis.gram``) beside the bias b on one diverging scale pinned at 0, compact
    enough for half a page.

    Same picture as ``core.charts.common.gram_heatmap`` but about 300 px wide whatever n is, with the
    legend underneath, so two models fit side by side. ``followed`` and ``pickable`` as in ``gram_heatmap``
    (the followed feature's row and column stay; a click on a cell picks the feature of its row).
    """
    cells, bias, limit = common.gram_frames(gram, b_k)
    n = len(bias)
    legend = alt.Legend(title="Wᵢ·Wⱼ and bᵢ: blue < 0 < orange", orient="bottom", gradientLength=200 * scale)
    color = alt.Color("value:Q", scale=diverging(limit), legend=legend)
    every = max(1, int(np.ceil(n / 20)))
    ticks = list(range(0, n, every))
    cell = max(3.5, min(16.0, 300.0 / n)) * scale
    tip = [alt.Tooltip("row:O", title="i"), alt.Tooltip("col:N", title="j"), alt.Tooltip("value:Q", format=".3f")]
    y = alt.Y("row:O", title="feature i (output)", axis=alt.Axis(values=ticks))
    heat = (
        alt.Chart(cells)
        .mark_rect()
        .encode(
            x=alt.X("col:O", title="feature j (input)", axis=alt.Axis(values=ticks)),
            y=y,
            color=color,
            tooltip=tip,
            opacity=emphasis(followed, "row", "col"),
        )
        .properties(width=alt.Step(cell), height=alt.Step(cell), title="Wᵀ W")
    )
    if pickable:
        heat = heat.add_params(feature_pick("row"))
    bias_chart = (
        alt.Chart(bias)
        .mark_rect()
        .encode(
            x=alt.X("col:N", title=None),
            y=alt.Y("row:O", axis=None),
            color=color,
            tooltip=tip,
            opacity=emphasis(followed, "row"),
        )
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
    color = category_color("run", labels, "density", below=True, columns=4)
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
