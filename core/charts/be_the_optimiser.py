"""Charts of the "Be the optimiser" chapter: the learner's arrangement beside the trained one, and the losses."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from core.charts import common
from core.charts.style import GREY, OKABE_ITO, configure


def arrangements(W_yours: np.ndarray, W_trained: np.ndarray | None, importance: np.ndarray, scale: float = 1.0):
    """Your feature arrows, and the trained model's beside them (same axis range, so lengths compare)."""
    if W_trained is None:
        return common.feature_arrows(
            W_yours, title="Your model: feature directions Wᵢ", importance=importance, scale=scale
        )
    W = np.stack([W_yours, W_trained])
    return common.arrows_row(W, ["Your model", "Trained model (best of 4)"], importance=importance, scale=scale)


def loss_bars(names: list[str], losses: list[float], errors: list[float], scale: float = 1.0) -> alt.LayerChart:
    """Expected loss of each model as a bar, ± 2 standard errors as a whisker (zero where the value is exact)."""
    df = pd.DataFrame(
        {
            "model": names,
            "loss": losses,
            "lo": np.subtract(losses, np.multiply(2, errors)),
            "hi": np.add(losses, np.multiply(2, errors)),
        }
    )
    y = alt.Y(
        "model:N", sort=None, title=None, axis=alt.Axis(labelLimit=0)
    )  # the names whole, not "Regular pentagon (…"
    bars = (
        alt.Chart(df)
        .mark_bar(color=OKABE_ITO[0])
        .encode(
            x=alt.X("loss:Q", title="expected loss (training units: mean over features)"),
            y=y,
            tooltip=["model", alt.Tooltip("loss:Q", format=".5f")],
        )
    )
    whiskers = alt.Chart(df).mark_rule(color=GREY, strokeWidth=2 * scale).encode(x="lo:Q", x2="hi:Q", y=y)
    return configure(alt.layer(bars, whiskers).properties(height=40 * len(names) * scale, width=420 * scale), scale)
