"""Downloads: every chart as SVG and PNG, trained weights as .npz, histories and measures as CSV.

Files are made only when the learner clicks (deferred downloads), and the buttons use
on_click="ignore", so a download never reruns the page or interrupts training.
"""

from __future__ import annotations

import io
import json

import altair as alt
import numpy as np
import streamlit as st

from core import analysis
from core.train import TrainResult

PNG_SCALE = 2.0  # twice the screen size: crisp on slides


def chart_svg(chart: alt.TopLevelMixin) -> str:
    import vl_convert as vlc  # heavy; only needed when someone downloads

    return vlc.vegalite_to_svg(chart.to_json())


def chart_png(chart: alt.TopLevelMixin) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart.to_json(), scale=PNG_SCALE)


def show_chart(chart: alt.TopLevelMixin, name: str, key: str, alt_text: str | None = None) -> None:
    """Draw a chart with small SVG / PNG download buttons under it."""
    st.altair_chart(chart, width="content", alt=alt_text)
    left, right, _ = st.columns([1, 1, 6])
    common = {"on_click": "ignore", "type": "tertiary"}
    left.download_button(
        "SVG", lambda: chart_svg(chart), file_name=f"{name}.svg", mime="image/svg+xml", key=f"{key}:svg", **common
    )
    right.download_button(
        "PNG", lambda: chart_png(chart), file_name=f"{name}.png", mime="image/png", key=f"{key}:png", **common
    )


def weights_npz(result: TrainResult) -> bytes:
    """W, b (and W2), per-instance loss and the config, as one .npz file."""
    buf = io.BytesIO()
    arrays = {"W": result.W, "b": result.b, "loss": result.loss, "config": np.array(repr(result.config))}
    if result.W2 is not None:
        arrays["W2"] = result.W2
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def history_csv(result: TrainResult, labels: list[str]) -> str:
    """One row per step, one column per instance."""
    rows = ["step," + ",".join(json.dumps(label) for label in labels)]
    for step, losses in enumerate(result.loss_history, start=1):
        rows.append(f"{step}," + ",".join(f"{v:.6g}" for v in losses))
    return "\n".join(rows) + "\n"


def measures_csv(result: TrainResult, labels: list[str]) -> str:
    """Per instance and feature: norm, superposition, dimensionality and bias."""
    norms = analysis.feature_norms(result.W)
    sup = analysis.superposition(result.W)
    dims = analysis.feature_dimensionality(result.W)
    rows = ["instance,feature,norm,superposition,dimensionality,bias"]
    for k, label in enumerate(labels):
        for i in range(result.W.shape[1]):
            rows.append(
                f"{json.dumps(label)},{i},{norms[k, i]:.6g},{sup[k, i]:.6g},{dims[k, i]:.6g},{result.b[k, i]:.6g}"
            )
    return "\n".join(rows) + "\n"


def result_downloads(result: TrainResult, labels: list[str], name: str, key: str) -> None:
    """Buttons for the weights (.npz), the loss history and the per-feature measures (CSV)."""
    cols = st.columns(3)
    common = {"on_click": "ignore"}
    cols[0].download_button(
        "Weights (.npz)", lambda: weights_npz(result), file_name=f"{name}-weights.npz", key=f"{key}:npz", **common
    )
    cols[1].download_button(
        "Loss history (.csv)",
        lambda: history_csv(result, labels),
        file_name=f"{name}-loss.csv",
        mime="text/csv",
        key=f"{key}:loss",
        **common,
    )
    cols[2].download_button(
        "Feature measures (.csv)",
        lambda: measures_csv(result, labels),
        file_name=f"{name}-features.csv",
        mime="text/csv",
        key=f"{key}:features",
        **common,
    )
