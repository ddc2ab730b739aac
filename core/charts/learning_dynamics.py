"""Charts for learning dynamics: D_i over training with the loss below on the same time axis.

Arrays in, Altair out, styled by ``core.charts.style`` (``scale`` for presenter mode, colour-blind-safe
palettes, titled axes and legends).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from core.charts import style
from core.charts.common import DIMENSIONALITY_GUIDES

D_TITLE = "feature dimensionality D_i"
GUIDE_COLOR = style.GUIDE


def _x(log_x: bool, domain: tuple[float, float]) -> alt.X:
    title = "training step" + (" (log scale)" if log_x else "")
    lo = max(1.0, domain[0]) if log_x else domain[0]
    sc = alt.Scale(type="log", domain=[lo, domain[1]]) if log_x else alt.Scale(domain=list(domain), nice=False)
    return alt.X("step:Q", scale=sc, title=title)


def _feature_color(features: Sequence[int]) -> alt.Color:
    """The shared feature colours, with a legend that lists every feature (two columns past 12)."""
    labels = [int(f) for f in features]
    colour = style.category_color("feature", labels, "feature i")
    colour.legend = alt.Legend(title="feature i", columns=2 if len(labels) > 12 else 1, symbolLimit=0)
    return colour


def _rules(steps: Sequence[float], color: str, dash: list[int] | None, log_x: bool, domain, tooltip: str) -> alt.Chart:
    df = pd.DataFrame({"step": [max(float(s), 1.0) if log_x else float(s) for s in steps], "what": tooltip})
    opacity = 1.0 if len(df) <= 12 else max(0.15, 12 / len(df))  # many jumps: faint rules that add up to a band
    mark = alt.Chart(df).mark_rule(color=color, strokeDash=dash or [], strokeWidth=1.5, opacity=opacity)
    return mark.encode(x=_x(log_x, domain), tooltip=["what:N", alt.Tooltip("step:Q", format=",")])


def _time_axis(steps: np.ndarray, log_x: bool) -> tuple[np.ndarray, tuple[float, float]]:
    """Steps as drawn (>= 1 on a log axis) and the shared x domain, so stacked charts line up."""
    x_steps = np.maximum(steps, 1.0) if log_x else steps
    lo, hi = float(x_steps.min()), float(x_steps.max())
    return x_steps, (lo, hi if hi > lo else lo + 1)


def _time_marks(jump_steps: Sequence[float], marker: float | None, log_x: bool, domain) -> list:
    """Rules at the detected jumps and at the replay step, the same on every time chart."""
    marks = [_rules(jump_steps, style.OKABE_ITO[3], [4, 3], log_x, domain, "jump")] if len(jump_steps) else []
    if marker is not None:
        marks.append(_rules([marker], style.INK, None, log_x, domain, "replay step"))
    return marks


def _d_axis() -> alt.Y:
    return alt.Y("D:Q", scale=alt.Scale(domain=[0, 1.02], nice=False), title=D_TITLE)


def _guides(y: alt.Y, scale: float, opacity: float | None = None) -> list[alt.Chart]:
    """Dashed rules at the polytope fractions of D_i, each named at the left edge."""
    guides = pd.DataFrame({"D": list(DIMENSIONALITY_GUIDES.values()), "level": list(DIMENSIONALITY_GUIDES)})
    faint = {} if opacity is None else {"opacity": opacity}
    rules = alt.Chart(guides).mark_rule(color=GUIDE_COLOR, strokeDash=[2, 3], **faint).encode(y=y)
    # each name just above its rule, but 3/8 below its own: it is only 0.025 under 2/5, less than a line of text
    names = [
        alt.Chart(guides)
        .transform_filter(alt.FieldOneOfPredicate(field="level", oneOf=levels))
        .mark_text(align="left", baseline=baseline, dx=3, dy=dy, color=style.INK, fontSize=10 * scale)
        .encode(y=y, x=alt.value(0), text="level:N")
        for levels, baseline, dy in (([k for k in guides["level"] if k != "3/8"], "bottom", -1), (["3/8"], "top", 1))
    ]
    return [rules, *names]


def dimensionality_lines(
    steps: np.ndarray,
    D: np.ndarray,
    features: Sequence[int] | None = None,
    jump_steps: Sequence[float] = (),
    marker: float | None = None,
    log_x: bool = False,
    title: str = "Each feature's dimensionality during training",
    scale: float = 1.0,
    width: float = 620,
    one_colour: bool = False,
) -> alt.LayerChart:
    """One line per feature (D_i against step), dashed guides at 1, 3/4, 2/3, 1/2, 2/5, 3/8, rules at jumps and the replay step.

    ``one_colour`` draws every line in one colour without a legend (for many features).
    """
    steps = np.asarray(steps, dtype=np.float64)
    D = np.asarray(D, dtype=np.float64).reshape(steps.size, -1)
    features = list(range(D.shape[1])) if features is None else [int(f) for f in features]
    if len(features) != D.shape[1]:
        raise ValueError(f"need one feature label per column of D ({D.shape[1]}), got {len(features)}")
    x_steps, domain = _time_axis(steps, log_x)
    df = pd.DataFrame(
        {"step": np.repeat(x_steps, len(features)), "D": D.ravel(), "feature": np.tile(features, steps.size)}
    )
    y = _d_axis()
    layers = _guides(y, scale, opacity=0.6)
    tooltip = ["feature:N", alt.Tooltip("step:Q", format=","), alt.Tooltip("D:Q", format=".3f")]
    if one_colour:
        lines = alt.Chart(df).mark_line(strokeWidth=1.0 * scale, opacity=0.45, clip=True, color=style.OKABE_ITO[0])
        layers.append(lines.encode(x=_x(log_x, domain), y=y, detail="feature:N", tooltip=tooltip))
    else:
        lines = alt.Chart(df).mark_line(strokeWidth=1.6 * scale, opacity=0.85, clip=True)
        layers.append(lines.encode(x=_x(log_x, domain), y=y, color=_feature_color(features), tooltip=tooltip))
    layers += _time_marks(jump_steps, marker, log_x, domain)
    return alt.layer(*layers).properties(width=width * scale, height=250 * scale, title=title)


def loss_line(
    steps: np.ndarray,
    losses: np.ndarray,
    jump_steps: Sequence[float] = (),
    marker: float | None = None,
    log_x: bool = False,
    title: str = "Loss on a fixed evaluation batch (log scale)",
    scale: float = 1.0,
    width: float = 620,
) -> alt.LayerChart:
    """The loss curve, log y, with the same rules as ``dimensionality_lines`` so the two line up."""
    steps = np.asarray(steps, dtype=np.float64)
    losses = np.asarray(losses, dtype=np.float64)
    x_steps, domain = _time_axis(steps, log_x)
    df = pd.DataFrame({"step": x_steps, "loss": losses})
    df = df[df["loss"] > 0]
    y = alt.Y("loss:Q", scale=alt.Scale(type="log"), title="loss (log scale)")
    layers = [
        alt.Chart(df)
        .mark_line(strokeWidth=2 * scale, color=style.OKABE_ITO[0], clip=True)
        .encode(
            x=_x(log_x, domain), y=y, tooltip=[alt.Tooltip("step:Q", format=","), alt.Tooltip("loss:Q", format=".4g")]
        )
    ]
    layers += _time_marks(jump_steps, marker, log_x, domain)
    return alt.layer(*layers).properties(width=width * scale, height=150 * scale, title=title)


def dynamics_panel(
    steps: np.ndarray,
    D: np.ndarray,
    losses: np.ndarray,
    features: Sequence[int] | None = None,
    jump_steps: Sequence[float] = (),
    marker: float | None = None,
    log_x: bool = False,
    one_colour: bool = False,
    scale: float = 1.0,
) -> alt.VConcatChart:
    """D_i over training on top, the loss curve below, one shared time axis."""
    top = dimensionality_lines(steps, D, features, jump_steps, marker, log_x, scale=scale, one_colour=one_colour)
    bottom = loss_line(steps, losses, jump_steps, marker, log_x, scale=scale)
    return style.configure(
        alt.vconcat(top, bottom, spacing=8 * scale).resolve_scale(x="shared", color="independent"), scale
    )


def measures_lines(
    steps: np.ndarray,
    measures: dict[str, np.ndarray],
    marker: float | None = None,
    log_x: bool = False,
    title: str = "The shape, measured",
    scale: float = 1.0,
) -> alt.LayerChart:
    """A few shape measures (each in [0, ~1]) against step, one colour per measure."""
    steps = np.asarray(steps, dtype=np.float64)
    x_steps, domain = _time_axis(steps, log_x)
    names = list(measures)
    df = pd.DataFrame(
        {
            "step": np.tile(x_steps, len(names)),
            "value": np.concatenate([np.asarray(measures[k], dtype=np.float64) for k in names]),
            "measure": np.repeat(names, steps.size),
        }
    )
    color = alt.Color(
        "measure:N",
        scale=alt.Scale(domain=names, range=style.OKABE_ITO[: len(names)]),
        legend=alt.Legend(title="measure", orient="bottom", columns=1, labelLimit=0),
    )
    lines = (
        alt.Chart(df)
        .mark_line(strokeWidth=2 * scale, clip=True)
        .encode(
            x=_x(log_x, domain),
            y=alt.Y("value:Q", title="value", scale=alt.Scale(domain=[0, 1.1], nice=False)),
            color=color,
            tooltip=["measure:N", alt.Tooltip("step:Q", format=","), alt.Tooltip("value:Q", format=".3f")],
        )
    )
    layers = [lines, *_time_marks((), marker, log_x, domain)]
    return style.configure(alt.layer(*layers).properties(width=620 * scale, height=200 * scale, title=title), scale)


def dimensionality_strip(
    D: np.ndarray, n_total: int, title: str = "D_i of every feature at this step", scale: float = 1.0
) -> alt.LayerChart:
    """All features' D_i at one step as dots sorted by value, with the polytope guide lines."""
    D = np.sort(np.asarray(D, dtype=np.float64))[::-1]
    df = pd.DataFrame({"rank": np.arange(D.size), "D": D})
    y = _d_axis()
    dots = (
        alt.Chart(df)
        .mark_circle(size=28 * scale**2, color=style.OKABE_ITO[0], opacity=0.8)
        .encode(
            x=alt.X("rank:Q", title=f"features, sorted by D_i (of {n_total})"),
            y=y,
            tooltip=[alt.Tooltip("D:Q", format=".3f")],
        )
    )
    return style.configure(
        alt.layer(*_guides(y, scale), dots).properties(width=420 * scale, height=240 * scale, title=title), scale
    )
