"""Altair charts for the adversarial-vulnerability chapter: vulnerability beside features per dimension
across a sparsity sweep, and ordinary against adversarially trained models.

Arrays in, charts out; colours, fonts and titles from core.charts.style; every builder takes ``scale``.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from core.charts import style

VULNERABILITY = "vulnerability (attack's extra error ÷ ε²)"
FEATURES_PER_DIM = "features per dimension ‖W‖²_F / m"
X_TITLE = "1/(1−S) = 1/p, inverse feature density (log scale)"


def vulnerability_sweep(
    densities: np.ndarray,
    vulnerability: np.ndarray,
    features_per_dim: np.ndarray,
    title: str = "Vulnerability rises with superposition",
    scale: float = 1.0,
) -> alt.LayerChart:
    """Both measures against 1/p, with a dashed line at 1: the level of a model without superposition."""
    inv = 1.0 / np.asarray(densities, dtype=np.float64)
    series = [VULNERABILITY, FEATURES_PER_DIM]
    df = pd.DataFrame(
        {
            "inverse density": np.tile(inv, 2),
            "value": np.concatenate([np.asarray(vulnerability, float), np.asarray(features_per_dim, float)]),
            "measure": np.repeat(series, len(inv)),
        }
    )
    lines = (
        alt.Chart(df)
        .mark_line(point=alt.OverlayMarkDef(size=30 * scale), strokeWidth=2 * scale)
        .encode(
            x=alt.X("inverse density:Q", scale=alt.Scale(type="log"), title=X_TITLE),
            y=alt.Y("value:Q", title="value (both start at 1 with dense features)"),
            color=style.category_color("measure", series, "measure", below=True),
            tooltip=[
                "measure:N",
                alt.Tooltip("inverse density:Q", format=".3g"),
                alt.Tooltip("value:Q", format=".3g"),
            ],
        )
    )
    floor = (
        alt.Chart(pd.DataFrame({"y": [1.0]}))
        .mark_rule(color=style.GREY, strokeDash=[5, 4], strokeWidth=1.5 * scale)
        .encode(y="y:Q")
    )
    subtitle = "dashed line: 1, a model with one dimension per feature · ε = 0.1 × mean input norm"
    chart = (floor + lines).properties(
        width=460 * scale, height=280 * scale, title=style.titled(title, subtitle, scale)
    )
    return style.configure(chart, scale)


def training_comparison(
    labels: Sequence[str],
    features_per_dim: Sequence[float],
    vulnerability: Sequence[float],
    loss: Sequence[float],
    title: str = "Ordinary vs adversarial training",
    scale: float = 1.0,
) -> alt.HConcatChart:
    """Three small bar charts side by side, one bar per model: superposition, vulnerability, clean loss."""
    labels = [str(x) for x in labels]
    panels = []
    for name, values, fmt in (
        ("features per dimension", features_per_dim, ".2f"),
        ("vulnerability", vulnerability, ".2f"),
        ("clean loss", loss, ".4f"),
    ):
        df = pd.DataFrame({"model": labels, "value": np.asarray(values, dtype=np.float64)})
        panels.append(
            alt.Chart(df)
            .mark_bar()
            .encode(
                x=alt.X("model:N", sort=labels, title=None, axis=alt.Axis(labelAngle=-30)),
                y=alt.Y("value:Q", title=name),
                color=style.category_color("model", labels, "model", legend_max=0),
                tooltip=["model:N", alt.Tooltip("value:Q", format=fmt)],
            )
            .properties(width=150 * scale, height=200 * scale)
        )
    subtitle = (
        "same seed, data and steps; only the training inputs differ · vulnerability measured at ε = 0.1 × mean norm"
    )
    chart = alt.hconcat(*panels).properties(title=style.titled(title, subtitle, scale))
    return style.configure(chart, scale)
