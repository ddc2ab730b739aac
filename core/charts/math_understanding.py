"""Chart builders for the "mathematical understanding" chapter: arrays in, Altair charts out.

Style from ``core.charts.style``: Okabe-Ito colours (one fixed colour per loss term, so "interference"
is the same vermillion on every chart), viridis for a loss surface, axis and legend titles that say
what they show, and ``scale`` for presenter mode.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from core.charts import style

TERM_COLOURS = {
    "feature benefit": style.OKABE_ITO[0],
    "interference": style.OKABE_ITO[3],
    "bias error": style.OKABE_ITO[4],
    "0-sparse L₀ (positive biases)": style.OKABE_ITO[1],
    "1-sparse total L₁": style.OKABE_ITO[6],
    "exact expected loss": style.OKABE_ITO[6],
    "predicted (0- and 1-sparse part)": style.OKABE_ITO[6],
    "measured training loss": style.OKABE_ITO[2],
    "best possible linear loss": style.OKABE_ITO[1],
    "both features on": style.OKABE_ITO[2],
    "no feature on": style.OKABE_ITO[1],
}


HALF_WIDTH = 270  # these charts sit two to a row: plot + axis titles fit a half column (about 380 px) at 1280 px


def _colours(names: Sequence[str]) -> list[str]:
    spare = iter(c for c in style.OKABE_ITO if c not in TERM_COLOURS.values())
    return [TERM_COLOURS.get(name) or next(spare, style.OKABE_ITO[5]) for name in names]


def _term_colour(field: str, names: Sequence[str], title: str) -> alt.Color:
    return alt.Color(
        f"{field}:N", scale=alt.Scale(domain=list(names), range=_colours(names)), legend=alt.Legend(title=title)
    )


def _long_frame(curves, log_y: bool, floor_ratio: float) -> pd.DataFrame:
    """(term, step, value) rows; on a log axis, drop values below floor_ratio x the largest."""
    frames = [
        pd.DataFrame({"term": name, "step": np.asarray(s, dtype=np.float64), "value": np.asarray(v, dtype=np.float64)})
        for name, s, v in curves
    ]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["term", "step", "value"])
    df = df[np.isfinite(df["value"])]
    if log_y and len(df):
        df = df[df["value"] > df["value"].max() * floor_ratio]
    return df


def loss_terms_over_training(
    curves: Sequence[tuple[str, np.ndarray, np.ndarray]],
    title: str,
    y_title: str,
    dashed: Sequence[str] = (),
    log_y: bool = True,
    floor_ratio: float = 1e-5,
    scale: float = 1.0,
) -> alt.Chart:
    """One line per (name, steps, values); names in ``dashed`` are drawn dashed (theory next to measurement).

    On a log axis, values below ``floor_ratio`` x the largest value (zeros included) are left out, so one
    vanishing term cannot stretch the axis over ten decades.
    """
    df = _long_frame(curves, log_y, floor_ratio)
    names = [name for name, _, _ in curves]
    dash = alt.StrokeDash(
        "term:N",
        scale=alt.Scale(domain=names, range=[[6, 3] if n in dashed else [1, 0] for n in names]),
        legend=alt.Legend(title="term", orient="bottom", columns=1, labelLimit=0),
    )
    chart = (
        alt.Chart(df)
        .mark_line(strokeWidth=2.2 * scale)
        .encode(
            x=alt.X("step:Q", title="training step"),
            y=alt.Y("value:Q", scale=alt.Scale(type="log") if log_y else alt.Scale(zero=True), title=y_title),
            color=alt.Color(
                "term:N",
                scale=alt.Scale(domain=names, range=_colours(names)),
                legend=alt.Legend(title="term", orient="bottom", columns=1, labelLimit=0),
            ),
            strokeDash=dash,
            tooltip=["term:N", "step:Q", alt.Tooltip("value:Q", format=".4g")],
        )
        .properties(width=HALF_WIDTH * scale, height=250 * scale, title=title)
    )
    return style.configure(chart, scale)


def per_feature_terms(parts: dict[str, np.ndarray], title: str, x_title: str, scale: float = 1.0) -> alt.Chart:
    """Stacked horizontal bars: one row per feature, one colour per loss term."""
    names = list(parts)
    n = len(next(iter(parts.values()))) if parts else 0
    df = pd.DataFrame(
        {
            "feature": np.tile(np.arange(n), len(names)),
            "term": np.repeat(names, n),
            "value": np.concatenate([np.asarray(v, dtype=np.float64) for v in parts.values()]) if parts else [],
        }
    )
    df["order"] = df["term"].map({name: k for k, name in enumerate(names)})
    chart = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("feature:O", title="feature i"),
            x=alt.X("value:Q", stack="zero", title=x_title),
            color=_term_colour("term", names, "term"),
            order=alt.Order("order:Q"),
            tooltip=["feature:O", "term:N", alt.Tooltip("value:Q", format=".4g")],
        )
        .properties(width=260 * scale, height=alt.Step(max(5.0, min(20.0, 300.0 / max(n, 1))) * scale), title=title)
    )
    return style.configure(chart, scale)


def term_bars(
    names: Sequence[str], values: np.ndarray, kinds: Sequence[str], title: str, x_title: str, scale: float = 1.0
) -> alt.Chart:
    """One horizontal bar per loss piece, coloured by its kind (benefit, interference, ...)."""
    df = pd.DataFrame({"piece": list(names), "value": np.asarray(values, dtype=np.float64), "kind": list(kinds)})
    kind_names = list(dict.fromkeys(kinds))
    top = float(max(np.nanmax(df["value"]) if len(df) else 0.0, 1e-3))  # all-zero bars still get an axis
    chart = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("piece:N", sort=list(names), title=None, axis=alt.Axis(labelLimit=400)),
            x=alt.X("value:Q", title=x_title, scale=alt.Scale(domain=[0, top], nice=True)),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=kind_names, range=_colours(kind_names)),
                legend=alt.Legend(title="kind of loss", orient="bottom", columns=2),
            ),
            tooltip=["piece:N", alt.Tooltip("value:Q", format=".4g")],
        )
        .properties(width=300 * scale, height=alt.Step(24 * scale), title=title)
    )
    return style.configure(chart, scale)


def _markers(markers: Sequence[tuple[str, float, float]], x: alt.X, y: alt.Y, scale: float) -> alt.Chart:
    """White labelled points (one shape each) on top of a heatmap."""
    mk = pd.DataFrame(markers, columns=["marker", "x", "y"])
    shapes = ["circle", "diamond", "square", "triangle-up"][: len(mk)]
    point = alt.Chart(mk).mark_point(filled=True, size=150 * scale**2, stroke=style.OVERLAY, strokeWidth=1.5)
    shape = alt.Shape(
        "marker:N",
        scale=alt.Scale(domain=list(mk["marker"]), range=shapes),
        legend=alt.Legend(title="point", orient="bottom", direction="vertical"),
    )
    tip = ["marker:N", alt.Tooltip("x:Q", format=".2f"), alt.Tooltip("y:Q", format=".2f")]
    return point.encode(x=x, y=y, shape=shape, fill=alt.value("white"), tooltip=tip)


def _cells(xv: np.ndarray, yv: np.ndarray, loss: np.ndarray) -> tuple[pd.DataFrame, alt.Scale, alt.Scale]:
    """One rectangle per grid point, centred on it, and x/y scales that end at the outer cell edges."""
    dx = float(xv[1] - xv[0]) if xv.size > 1 else 1.0
    dy = float(yv[1] - yv[0]) if yv.size > 1 else 1.0
    xs, ys = np.meshgrid(xv, yv)
    df = pd.DataFrame({"x": xs.ravel() - dx / 2, "y": ys.ravel() - dy / 2, "loss": np.asarray(loss).ravel()})
    df["x2"], df["y2"] = df["x"] + 1.04 * dx, df["y"] + 1.04 * dy  # a slight overlap hides anti-aliasing seams
    df["cx"], df["cy"] = xs.ravel(), ys.ravel()
    x_scale = alt.Scale(domain=[float(xv[0] - dx / 2), float(xv[-1] + dx / 2)], nice=False, zero=False)
    y_scale = alt.Scale(domain=[float(yv[0] - dy / 2), float(yv[-1] + dy / 2)], nice=False, zero=False)
    return df, x_scale, y_scale


def loss_heatmap(
    x_values: np.ndarray,
    y_values: np.ndarray,
    loss: np.ndarray,
    x_title: str,
    y_title: str,
    markers: Sequence[tuple[str, float, float]],
    title: str,
    colour_title: str = "loss (√ colour scale)",
    guide: tuple[tuple[float, float], tuple[float, float]] | None = None,
    scale: float = 1.0,
) -> alt.LayerChart:
    """A loss surface [ny, nx] on an evenly spaced grid (x_values [nx], y_values [ny]) as coloured cells
    (dark = low), with labelled marker points and an optional dashed guide line.

    Both legends sit under the plot, so the chart is only about as wide as its square plot (fits half a page).
    """
    df, x_scale, y_scale = _cells(np.asarray(x_values, dtype=np.float64), np.asarray(y_values, dtype=np.float64), loss)
    x, y = alt.X("x:Q", scale=x_scale, title=x_title), alt.Y("y:Q", scale=y_scale, title=y_title)
    tip = [
        alt.Tooltip("cx:Q", title=x_title, format=".2f"),
        alt.Tooltip("cy:Q", title=y_title, format=".2f"),
        alt.Tooltip("loss:Q", format=".4g"),
    ]
    legend = alt.Legend(title=colour_title, orient="bottom", direction="horizontal", gradientLength=120 * scale)
    colour = alt.Color("loss:Q", scale=alt.Scale(scheme=style.SEQUENTIAL, type="sqrt"), legend=legend)
    cells = alt.Chart(df).mark_rect().encode(x=x, x2="x2:Q", y=y, y2="y2:Q", color=colour, tooltip=tip)
    layers = [cells]
    if guide is not None:
        line = pd.DataFrame({"x": [guide[0][0], guide[1][0]], "y": [guide[0][1], guide[1][1]]})
        layers.append(alt.Chart(line).mark_line(color="white", strokeDash=[5, 4], opacity=0.7).encode(x=x, y=y))
    layers.append(_markers(markers, x, y, scale))
    side = min(300 * scale, 390)  # drawn on a canvas (many cells), which must fit half a page unscaled
    return style.configure(alt.layer(*layers).properties(width=side, height=side, title=title), scale)


RESPONSE_STYLE = {  # curve name -> (colour, dashed)
    "target x": (style.GUIDE, True),
    "own output": (style.OKABE_ITO[0], False),
    "other output before ReLU": (style.OKABE_ITO[3], True),
    "other output after ReLU": (style.OKABE_ITO[3], False),
}


def relu_response(
    panels: Sequence[tuple[str, np.ndarray, dict[str, np.ndarray]]], scale: float = 1.0
) -> alt.FacetChart:
    """Side-by-side panels (title, x, {curve: y}) of what each output receives while one feature is on."""
    rows = []
    for title, x, curves in panels:
        for name, y in curves.items():
            rows.append(pd.DataFrame({"panel": title, "x": np.asarray(x), "curve": name, "y": np.asarray(y)}))
    df = pd.concat(rows, ignore_index=True)
    names = list(RESPONSE_STYLE)
    legend = alt.Legend(title="curve")
    chart = (
        alt.Chart(df)
        .mark_line(strokeWidth=2.2 * scale, clip=True)
        .encode(
            x=alt.X("x:Q", title="value x of the active feature"),
            y=alt.Y("y:Q", title="output", scale=alt.Scale(domain=[-1.2, 1.6], nice=False)),
            color=alt.Color(
                "curve:N", scale=alt.Scale(domain=names, range=[RESPONSE_STYLE[n][0] for n in names]), legend=legend
            ),
            strokeDash=alt.StrokeDash(
                "curve:N",
                scale=alt.Scale(domain=names, range=[[6, 3] if RESPONSE_STYLE[n][1] else [1, 0] for n in names]),
                legend=legend,
            ),
            tooltip=["curve:N", alt.Tooltip("x:Q", format=".2f"), alt.Tooltip("y:Q", format=".3f")],
        )
        .properties(width=230 * scale, height=200 * scale)
        .facet(
            column=alt.Column(
                "panel:N", title=None, sort=[p[0] for p in panels], header=alt.Header(labelFontSize=12 * scale)
            )
        )
    )
    return style.configure(chart, scale)


def angle_spectrum(series: dict[str, tuple[np.ndarray, np.ndarray]], title: str, scale: float = 1.0) -> alt.Chart:
    """Each arrangement's distinct pairwise angles (degrees) as dots on a 0-180 degree line, one row per
    arrangement; dot size = how many pairs share the angle. ``series``: name -> (angles, pair counts)."""
    frames = [
        pd.DataFrame({"arrangement": name, "angle": np.asarray(angles, dtype=np.float64), "pairs": np.asarray(counts)})
        for name, (angles, counts) in series.items()
    ]
    df = pd.concat(frames, ignore_index=True)
    names = list(series)
    chart = (
        alt.Chart(df)
        .mark_circle(opacity=0.85)
        .encode(
            x=alt.X("angle:Q", scale=alt.Scale(domain=[0, 180]), title="angle between two directions (degrees)"),
            y=alt.Y("arrangement:N", sort=names, title=None, axis=alt.Axis(labelLimit=0)),
            size=alt.Size(
                "pairs:Q",
                scale=alt.Scale(range=[60 * scale**2, 400 * scale**2]),
                legend=alt.Legend(
                    title="pairs at this angle", orient="bottom", values=sorted(set(df["pairs"].tolist()))
                ),
            ),
            color=alt.Color(
                "arrangement:N", scale=alt.Scale(domain=names, range=style.OKABE_ITO[: len(names)]), legend=None
            ),
            tooltip=["arrangement:N", alt.Tooltip("angle:Q", format=".1f"), "pairs:Q"],
        )
        .properties(width=270 * scale, height=alt.Step(45 * scale), title=title)
    )
    return style.configure(chart, scale)


def energy_by_count(ks: np.ndarray, energies: np.ndarray, current: int, title: str, y_title: str, scale: float = 1.0):
    """Lowest energy found for each number of points, with the chosen count highlighted."""
    df = pd.DataFrame({"k": np.asarray(ks), "energy": np.asarray(energies, dtype=np.float64)})
    df["chosen"] = np.where(df["k"] == current, "chosen k", "other k")
    base = alt.Chart(df).encode(
        x=alt.X("k:Q", title="number of points k", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("energy:Q", title=y_title),
        tooltip=["k:Q", alt.Tooltip("energy:Q", format=".4g")],
    )
    line = base.mark_line(color=style.OKABE_ITO[0], strokeWidth=2 * scale)
    dots = base.mark_circle(size=90 * scale**2, opacity=1).encode(
        color=alt.Color(
            "chosen:N",
            scale=alt.Scale(domain=["chosen k", "other k"], range=[style.OKABE_ITO[3], style.OKABE_ITO[0]]),
            legend=alt.Legend(title="point"),
        )
    )
    return style.configure(alt.layer(line, dots).properties(width=330 * scale, height=230 * scale, title=title), scale)


def cosine_heatmap(cos: np.ndarray, title: str, scale: float = 1.0) -> alt.Chart:
    """A [k, k] matrix of cos(angle) between points, on a diverging scale pinned at 0 (angle in the tooltip)."""
    c = np.asarray(cos, dtype=np.float64)
    k = c.shape[0]
    rows, cols = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    df = pd.DataFrame({"i": rows.ravel(), "j": cols.ravel(), "cos": c.ravel()})
    df["angle"] = np.degrees(np.arccos(np.clip(df["cos"], -1.0, 1.0)))
    colour = alt.Color(
        "cos:Q",
        scale=style.diverging(1.0),
        legend=alt.Legend(title="cos θ (blue < 0 < orange)"),
    )
    chart = (
        alt.Chart(df)
        .mark_rect()
        .encode(
            x=alt.X("j:O", title="point j"),
            y=alt.Y("i:O", title="point i"),
            color=colour,
            tooltip=["i:O", "j:O", alt.Tooltip("cos:Q", format=".3f"), alt.Tooltip("angle:Q", format=".1f")],
        )
        .properties(width=alt.Step(26 * scale), height=alt.Step(26 * scale), title=title)
    )
    return style.configure(chart, scale)
