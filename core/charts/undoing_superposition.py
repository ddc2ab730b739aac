"""Charts for "Undoing superposition": SAE directions over the true ones, the matching matrix, the L0 /
reconstruction trade-off and the training curves. Tables in (built by core.chapters.undoing_superposition),
Altair charts out; style from core.charts.style; every builder takes ``scale`` for projector mode.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from core.charts.common import headed_arrows, segments
from core.charts.style import GREY, OKABE_ITO, SEQUENTIAL, axis_limit, configure, square_axes, titled

COS_SCALE = alt.Scale(scheme=SEQUENTIAL, domain=[0, 1])


def directions(table: pd.DataFrame, names: tuple[str, str], scale: float = 1.0) -> alt.LayerChart:
    """True feature directions (grey, thick) under the SAE's decoder directions (thin, coloured by the cosine
    with the feature each was matched to). All unit length before projection."""
    true = table[table["kind"] == "true feature"]
    lat = table[table["kind"] == "SAE latent"].fillna({"cos": 0.0})
    limit = axis_limit(table["x"], table["y"], floor=1.0, margin=1.1)
    x, y = square_axes(limit, names)
    zeros = np.zeros((len(true), 2))
    true_df = segments(zeros, true[["x", "y"]].to_numpy(), feature=true["index"].to_numpy())
    lat_df = segments(np.zeros((len(lat), 2)), lat[["x", "y"]].to_numpy(), latent=lat["index"].to_numpy())
    lat_df["cos"] = lat["cos"].to_numpy()
    size = 300 * scale  # with the colour bar below, it fits half the page's width
    true_layer = headed_arrows(true_df, x, y, GREY, width=5 * scale)
    cos = alt.Color("cos:Q", scale=COS_SCALE, title="cos with matched feature", legend=alt.Legend(orient="bottom"))
    lat_layer = headed_arrows(lat_df, x, y, cos, width=1.8 * scale)
    tips = (
        alt.Chart(lat_df)
        .mark_point(opacity=0, size=200)
        .encode(x=x, y=y, tooltip=["latent:O", alt.Tooltip("cos:Q", format=".3f")])
    )
    title = titled("SAE directions over the true features", "grey: true features · thin: SAE decoder rows", scale)
    chart = alt.layer(true_layer, lat_layer, tips).properties(width=size, height=size, title=title)
    return configure(chart, scale)


def matching(
    table: pd.DataFrame,
    scale: float = 1.0,
    title: str = "Which latent found which feature",
    rows: str = "SAE latent",
) -> alt.Chart:
    """|cos| between every latent (rows, sorted by matched feature) and every stored feature (columns).

    ``rows`` names the dictionary's elements ("SAE latent", or "atom" for dictionary learning)."""
    df = table.assign(abs_cos=table["cos"].abs())
    n_lat, n_feat = df["rank"].nunique(), df["feature"].nunique()
    step = max(4.0, min(14.0, 420 / max(n_lat, n_feat))) * scale
    chart = (
        alt.Chart(df)
        .mark_rect()
        .encode(
            x=alt.X("feature:O", title="true feature i"),
            y=alt.Y("rank:O", title=f"{rows} (sorted by matched feature)", axis=alt.Axis(labels=n_lat <= 40)),
            color=alt.Color("abs_cos:Q", scale=COS_SCALE, title="|cos|"),
            tooltip=["latent:O", "feature:O", alt.Tooltip("cos:Q", format=".3f")],
        )
        .properties(
            width=alt.Step(step),
            height=alt.Step(step),
            title=titled(title, f"a clean diagonal = one {rows.split()[-1]} per feature", scale),
        )
    )
    return configure(chart, scale)


L0_FLOOR = 1e-3  # a sweep's all-dead end has L0 = 0, which a log axis cannot place: drawn at this floor


def tradeoff(
    sweep: pd.DataFrame, current: dict | None = None, scale: float = 1.0, subtitle: str | None = None
) -> alt.LayerChart:
    """Variance explained against L0 for each penalty of a sweep (labelled), and the current run as a diamond.

    L0 is drawn at L0_FLOOR or above (the log axis); tooltips show the measured value."""
    sweep = sweep.assign(l0_drawn=sweep["l0"].clip(lower=L0_FLOOR))
    base = alt.Chart(sweep).encode(
        x=alt.X("l0_drawn:Q", scale=alt.Scale(type="log"), title="L0: active latents per sample (log)"),
        y=alt.Y("fve:Q", title="variance explained", scale=alt.Scale(domain=[min(0.0, sweep["fve"].min()), 1])),
    )
    line = base.mark_line(color=GREY)
    points = base.mark_circle(size=90 * scale).encode(
        color=alt.Color("recovered_fraction:Q", scale=COS_SCALE, title="features recovered"),
        tooltip=["coefficient:Q", "l0:Q", "fve:Q", "recovered_fraction:Q", "dead:Q"],
    )
    labels = base.mark_text(dx=8, align="left", fontSize=11 * scale).encode(text="coefficient:Q")
    layers = [line, points, labels]
    if current is not None:
        cur = pd.DataFrame([current])
        cur["l0_drawn"] = cur["l0"].clip(lower=L0_FLOOR)
        layers.append(
            alt.Chart(cur)
            .mark_point(shape="diamond", filled=True, size=200 * scale, color=OKABE_ITO[3])
            .encode(x="l0_drawn:Q", y="fve:Q", tooltip=["l0:Q", "fve:Q"])
        )
    subtitle = subtitle or "labels: L1 coefficient · diamond: your run"
    title = titled("Sparsity against reconstruction", subtitle, scale)
    return configure(alt.layer(*layers).properties(width=380 * scale, height=280 * scale, title=title), scale)


def losses(steps: np.ndarray, history: np.ndarray, scale: float = 1.0) -> alt.Chart:
    """Reconstruction error and penalty over training (history [points, 2])."""
    df = pd.DataFrame({"step": np.repeat(steps, 2), "part": ["reconstruction", "penalty"] * len(steps)})
    df["value"] = np.asarray(history, dtype=np.float64).reshape(-1)
    chart = (
        alt.Chart(df)
        .mark_line()
        .encode(
            x=alt.X("step:Q", title="training step"),
            y=alt.Y("value:Q", title="per sample"),
            color=alt.Color("part:N", scale=alt.Scale(range=OKABE_ITO[:2]), title=None),
        )
        .properties(width=380 * scale, height=200 * scale, title="SAE loss")
    )
    return configure(chart, scale)
