"""Altair chart for the strategic-picture chapter: stored features against monosemantic neurons."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from core.charts import style

STORED = "features stored (‖Wᵢ‖ > 0.5)"
MONO = "monosemantic neurons (one feature drives ≥ 90% of its input variance)"


def readability(
    densities: np.ndarray,
    stored: np.ndarray,
    monosemantic: np.ndarray,
    n_neurons: int,
    title: str = "More features, fewer readable neurons",
    scale: float = 1.0,
) -> alt.LayerChart:
    """Both counts against 1/p (log), with a dashed line at the number of neurons."""
    inv = 1.0 / np.asarray(densities, dtype=np.float64)
    series = [STORED, MONO]
    df = pd.DataFrame(
        {
            "inverse density": np.tile(inv, 2),
            "count": np.concatenate([np.asarray(stored, float), np.asarray(monosemantic, float)]),
            "measure": np.repeat(series, len(inv)),
        }
    )
    lines = (
        alt.Chart(df)
        .mark_line(point=alt.OverlayMarkDef(size=40 * scale), strokeWidth=2 * scale)
        .encode(
            x=alt.X("inverse density:Q", scale=alt.Scale(type="log"), title="1/(1−S) = 1/p (log scale)"),
            y=alt.Y("count:Q", title="count", axis=alt.Axis(tickMinStep=1)),
            color=style.category_color("measure", series, "what is counted", below=True),
            tooltip=["measure:N", alt.Tooltip("inverse density:Q", format=".3g"), "count:Q"],
        )
    )
    neurons = (
        alt.Chart(pd.DataFrame({"y": [float(n_neurons)]}))
        .mark_rule(color=style.GREY, strokeDash=[5, 4], strokeWidth=1.5 * scale)
        .encode(y="y:Q")
    )
    subtitle = f"ReLU hidden layer, 10 features, {n_neurons} neurons (dashed), best of 32 seeds per density"
    chart = (neurons + lines).properties(
        width=440 * scale, height=260 * scale, title=style.titled(title, subtitle, scale)
    )
    return style.configure(chart, scale)
