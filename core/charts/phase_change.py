"""Altair charts for the phase-change chapter: phase diagrams and one cell's trained seeds.

Arrays in, charts out, styled by ``core.charts.style``: colour-blind-safe colours, axis titles that say
what is plotted, a legend title that says what the colours mean, and ``scale``. Phases arrive as integer
codes with their names (core.chapters.phase_change.PHASES) passed alongside.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from core.charts import style

# In PHASES order: not learned = light grey, superposition = orange, dedicated = blue (distinct for every
# colour vision type).
PHASE_COLOURS = ["#BBBBBB", style.OKABE_ITO[1], style.OKABE_ITO[0]]
R_TITLE = "relative importance r of the extra feature (log scale)"
P_TITLE = "feature density p = 1 − S (log scale)"
SELECTION = "cell"  # name of the click selection on empirical diagrams


def _edges(values: np.ndarray) -> np.ndarray:
    """Cell edges around log-spaced centres (geometric midpoints, extended by half a step at the ends)."""
    logs = np.log10(np.asarray(values, dtype=np.float64))
    if logs.size == 1:
        return 10.0 ** np.array([logs[0] - 0.05, logs[0] + 0.05])
    mid = (logs[1:] + logs[:-1]) / 2
    return 10.0 ** np.concatenate([[2 * logs[0] - mid[0]], mid, [2 * logs[-1] - mid[-1]]])


def _cells(
    ratios: np.ndarray, densities: np.ndarray, phase: np.ndarray, phase_names: Sequence[str], extra: dict
) -> pd.DataFrame:
    re, pe = _edges(ratios), _edges(densities)
    lo_r, hi_r = np.minimum(re[:-1], re[1:]), np.maximum(re[:-1], re[1:])
    lo_p, hi_p = np.minimum(pe[:-1], pe[1:]), np.maximum(pe[:-1], pe[1:])
    ri, pi = np.meshgrid(np.arange(len(ratios)), np.arange(len(densities)), indexing="ij")
    ri, pi = ri.ravel(), pi.ravel()
    df = pd.DataFrame(
        {
            "r": np.asarray(ratios)[ri],
            "p": np.asarray(densities)[pi],
            "r0": lo_r[ri],
            "r1": hi_r[ri],
            "p0": lo_p[pi],
            "p1": hi_p[pi],
            "phase": np.array(phase_names)[np.asarray(phase).ravel()],
        }
    )
    for name, values in extra.items():
        df[name] = np.asarray(values, dtype=np.float64).ravel()
    return df


def _boundary_layer(boundaries: Sequence[tuple[np.ndarray, np.ndarray]], scale: float) -> alt.Chart:
    rows = [
        {"r": float(r), "p": float(p), "segment": k, "order": i, "line": "theory boundary"}
        for k, (rs, ps) in enumerate(boundaries)
        for i, (r, p) in enumerate(zip(rs, ps))
    ]
    return (
        alt.Chart(pd.DataFrame(rows))
        .mark_line(color=style.OVERLAY, strokeWidth=2.5 * scale, clip=True)
        .encode(
            x=alt.X("r:Q", scale=_log(R_DOMAIN)),
            y=alt.Y("p:Q", scale=_log(P_DOMAIN)),
            detail="segment:N",
            order="order:Q",
            strokeDash=alt.StrokeDash("line:N", legend=alt.Legend(title=None, orient="bottom")),
        )
    )


R_TICKS = [0.1, 0.2, 0.5, 1, 2, 5, 10]
P_TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]
# Both diagrams share these axes (the edges of the 20 x 20 paper grid), so they line up cell for cell.
R_DOMAIN = [10 ** (-1 - 1 / 19), 10 ** (1 + 1 / 19)]
P_DOMAIN = [10 ** (-2 - 1 / 19), 10 ** (1 / 19)]


def phase_diagram(
    ratios: np.ndarray,
    densities: np.ndarray,
    phase: np.ndarray,
    phase_names: Sequence[str],
    title: str,
    boundaries: Sequence[tuple[np.ndarray, np.ndarray]] = (),
    details: dict[str, np.ndarray] | None = None,
    selected: tuple[float, float] | None = None,
    selectable: bool = False,
    scale: float = 1.0,
) -> alt.LayerChart:
    """Cells coloured by what the extra feature does, theory boundary drawn over them.

    ``phase`` holds codes [R, P], indices into ``phase_names`` (coloured PHASE_COLOURS in that order); ``details`` adds tooltip columns of the same
    shape (e.g. mean norm, mean superposition); ``selected`` rings one (r, p); ``selectable`` adds a
    click selection named SELECTION carrying the cell's r and p.
    """
    df = _cells(ratios, densities, phase, phase_names, details or {})
    x = alt.X("r0:Q", scale=_log(R_DOMAIN), axis=alt.Axis(values=R_TICKS), title=R_TITLE)
    y = alt.Y("p0:Q", scale=_log(P_DOMAIN), axis=alt.Axis(values=P_TICKS), title=P_TITLE)
    colour = alt.Color(
        "phase:N",
        scale=alt.Scale(domain=list(phase_names), range=PHASE_COLOURS[: len(phase_names)]),
        # one entry per line: beside the boundary's legend, a horizontal row was wider than the plot
        legend=alt.Legend(title="the extra feature is", orient="bottom", direction="vertical"),
    )
    tips = [alt.Tooltip("r:Q", format=".3g", title="r"), alt.Tooltip("p:Q", format=".3g", title="p"), "phase:N"]
    tips += [alt.Tooltip(f"{k}:Q", format=".2f") for k in (details or {})]
    stroke = 0.3 if len(ratios) * len(densities) <= 900 else 0.0  # fine theory grids look smooth without gaps
    cells = alt.Chart(df).mark_rect(stroke="white", strokeWidth=stroke).encode(x=x, x2="r1", y=y, y2="p1")
    cells = cells.encode(color=colour, tooltip=tips)
    if selectable:
        pick = alt.selection_point(name=SELECTION, fields=["r", "p"], on="click", clear=False)
        cells = cells.add_params(pick)
    layers = [cells]
    if boundaries:
        layers.append(_boundary_layer(boundaries, scale))
    if selected is not None:
        layers.append(_ring(selected, scale))
    side = 290 * scale  # the theory diagram is drawn on a canvas (many cells): it must fit half a page unscaled
    return style.configure(alt.layer(*layers).properties(width=side, height=side, title=title), scale)


def _log(domain: list[float]) -> alt.Scale:
    return alt.Scale(type="log", domain=domain, nice=False)


def _ring(selected: tuple[float, float], scale: float) -> alt.Chart:
    """A black ring around the chosen (r, p)."""
    df = pd.DataFrame({"r": [float(selected[0])], "p": [float(selected[1])]})
    return (
        alt.Chart(df)
        .mark_point(shape="circle", size=260 * scale**2, filled=False, color=style.OVERLAY, strokeWidth=2.5 * scale)
        .encode(x=alt.X("r:Q", scale=_log(R_DOMAIN)), y=alt.Y("p:Q", scale=_log(P_DOMAIN)))
    )


def _seed_frame(W: np.ndarray, losses: np.ndarray, kept: np.ndarray, feature_names: Sequence[str]) -> pd.DataFrame:
    s, n = W.shape
    names = [
        f"seed {k}"
        + (f" · loss {losses[k]:.2e}" if np.isfinite(losses[k]) else "")
        + ("" if kept[k] else " · left out")
        for k in range(s)
    ]
    return pd.DataFrame(
        {
            "seed": np.repeat(names, n),
            "feature": np.tile(np.asarray(feature_names), s),
            "w": W.ravel(),
            "zero": 0.0,
            "status": np.repeat(np.where(np.asarray(kept), "used", "left out"), n),
        }
    )


def seed_lines(
    W: np.ndarray, losses: np.ndarray, kept: np.ndarray, feature_names: Sequence[str], scale: float = 1.0
) -> alt.LayerChart:
    """n = 2, m = 1: each model's two weights on the single hidden dimension, one row per seed.

    A feature is a bar from 0 to W_i (its position on the line); models left out of the cell's
    summary (``kept`` False, e.g. the worst one) are faded.
    """
    W = np.asarray(W, dtype=np.float64)[..., 0]  # [S, n]
    df = _seed_frame(W, np.asarray(losses, dtype=np.float64), np.asarray(kept), feature_names)
    limit = float(max(1.2, np.abs(W).max(initial=0) * 1.1))
    x = alt.X("w:Q", scale=alt.Scale(domain=[-limit, limit]), title="position on the one hidden dimension (Wᵢ)")
    y = alt.Y("seed:N", sort=list(dict.fromkeys(df["seed"])), title=None, axis=alt.Axis(labelLimit=0))
    colour = style.category_color("feature", feature_names, "feature")
    opacity = alt.Opacity("status:N", scale=alt.Scale(domain=["used", "left out"], range=[1.0, 0.3]), legend=None)
    y_off = alt.YOffset("feature:N", sort=list(feature_names))
    base = alt.Chart(df).encode(x=x, y=y, yOffset=y_off, color=colour, opacity=opacity)
    tip = ["seed:N", "feature:N", alt.Tooltip("w:Q", format=".3f")]
    bars = base.mark_bar(height=6 * scale).encode(x2="zero:Q", tooltip=tip)
    zero = alt.Chart(pd.DataFrame({"w": [0.0]})).mark_rule(color=style.GUIDE).encode(x="w:Q")
    chart = alt.layer(zero, bars, base.mark_circle(size=60 * scale**2))
    chart = chart.properties(
        width=420 * scale, height=alt.Step(20 * scale), title="Each model's weights (faded: left out)"
    )
    return style.configure(chart, scale)


def candidate_curves(
    x: np.ndarray,
    curves: dict[str, np.ndarray],
    x_title: str,
    crossover: float | None = None,
    points: pd.DataFrame | None = None,
    errors: dict[str, np.ndarray] | None = None,
    title: str = "Loss of each candidate arrangement",
    scale: float = 1.0,
) -> alt.LayerChart:
    """One loss curve per candidate against ``x`` (log axis), a dashed rule where the optimum switches,
    optional points (columns x, loss, label: e.g. trained models) and optional ±1 standard-error bands."""
    x = np.asarray(x, dtype=np.float64)
    names = list(curves)
    df = pd.DataFrame(
        {
            "x": np.tile(x, len(names)),
            "loss": np.concatenate([np.asarray(curves[k], dtype=np.float64) for k in names]),
            "candidate": np.repeat(names, x.size),
        }
    )
    colour = style.category_color("candidate", names, "candidate arrangement")
    xs = alt.X("x:Q", scale=alt.Scale(type="log"), title=x_title)
    ys = alt.Y("loss:Q", title="expected loss (mean over features)")
    tip = [alt.Tooltip("x:Q", format=".3g"), "candidate:N", alt.Tooltip("loss:Q", format=".3e")]
    layers = [alt.Chart(df).mark_line(strokeWidth=2.5 * scale).encode(x=xs, y=ys, color=colour, tooltip=tip)]
    if errors is not None:
        df["lo"] = df["loss"] - np.concatenate([np.asarray(errors[k]) for k in names])
        df["hi"] = df["loss"] + np.concatenate([np.asarray(errors[k]) for k in names])
        layers.append(alt.Chart(df).mark_area(opacity=0.25).encode(x=xs, y="lo:Q", y2="hi:Q", color=colour))
    if points is not None and len(points):
        shape = alt.Shape("label:N", title="trained models")
        layers.append(
            alt.Chart(points)
            .mark_point(filled=True, color=style.INK, size=45 * scale**2)
            .encode(x=xs, y=ys, shape=shape, tooltip=[alt.Tooltip("x:Q", format=".3g"), "label:N"])
        )
    if crossover is not None:
        rule = pd.DataFrame({"x": [float(crossover)]})
        layers.append(alt.Chart(rule).mark_rule(strokeDash=[6, 4], color=style.INK).encode(x=xs))
    chart = alt.layer(*layers).properties(width=520 * scale, height=300 * scale, title=title)
    return style.configure(chart, scale)
