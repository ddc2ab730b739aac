"""The live panel of the "mathematical understanding" chapter: the loss split, recomputed as the model trains."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from core import analysis, registry, theory
from core.chapters import math_understanding, math_understanding_predict
from core.charts import basic_results as basic_results_charts
from core.charts import common as charts
from core.charts import math_understanding as math_understanding_charts
from core.charts import style
from core.train import TrainResult, history_points
from ui import predict
from ui.export import result_downloads, show_chart
from ui.live import untrained
from ui.state import chart_scale

MC_SAMPLES = 20_000


def _linear(model: str) -> bool:
    return registry.get(model).is_linear


PREDICT_KIND = "math_understanding_overlaps"


def make_render(
    model: str, p: float, importance: np.ndarray, m: int, context: str = ""
) -> Callable[[TrainResult], None]:
    """The render callback for ``live_training``: charts of the current run, recomputed on every tick.
    ``context`` names the prediction this run answers (ui.predict), "" for none."""

    def render(view: TrainResult) -> None:
        scale = chart_scale()
        steps, W, b = math_understanding.snapshot_series(view.snapshots, (view.steps_done, view.W, view.b))
        terms = math_understanding.split_over_training(model, W[:, 0], b[:, 0], p, importance)
        left, right = st.columns(2)
        with left:
            show_chart(
                _split_chart(model, steps, terms, scale),
                f"loss-split-{model}",
                "mu_split",
                alt_text=_split_alt(model, terms),
            )
        with right:
            show_chart(
                _measured_chart(model, view, steps, terms, p, importance, m, scale),
                f"measured-vs-theory-{model}",
                "mu_measured",
                alt_text=f"Line chart (log scale) of the measured training loss against the step, now "
                f"{_fmt(float(view.loss[0]))}, with the theory's prediction dashed beside it.",
            )
        result_downloads(view, [model], f"math-understanding-{model}", "mu_dl")
        if untrained(view):  # a loss of random weights is no result
            st.caption("Untrained: the measured loss and its split appear once the model has trained.")
        elif _linear(model):
            _linear_numbers(view, p, importance, m)
        else:
            _relu_numbers(view, p, importance)
        if context and view.steps_done:
            answer = math_understanding_predict.overlap_signs(view.W[0])
            predict.reveal(PREDICT_KIND, context, answer, view.steps_done >= view.config.steps)
        _geometry(model, view, p, importance, scale)

    return render


def _split_chart(model: str, steps: np.ndarray, terms: dict[str, np.ndarray], scale: float):
    if _linear(model):
        curves = [(name, steps, terms[name]) for name in terms]
        return math_understanding_charts.loss_terms_over_training(
            curves,
            "Linear model: the exact loss, split",
            "loss (training units: mean over features; log)",
            dashed=["exact expected loss"],
            scale=scale,
        )
    names = ["feature benefit", "interference", "1-sparse total L₁", "0-sparse L₀ (positive biases)"]
    return math_understanding_charts.loss_terms_over_training(
        [(name, steps, terms[name]) for name in names],
        "ReLU model: the 1-sparse loss L₁, split",
        "summed over features (paper's units; log)",
        dashed=["1-sparse total L₁"],
        scale=scale,
    )


def _split_alt(model: str, terms: dict[str, np.ndarray]) -> str:
    now = "; ".join(
        f"{name} {_fmt(float(values[-1]))}"
        for name, values in terms.items()
        if name != "predicted (0- and 1-sparse part)"
    )
    kind = "the linear model's exact loss" if _linear(model) else "the ReLU model's 1-sparse loss L₁"
    return f"Line chart (log scale) of {kind}, split into its terms over the training steps. Now: {now}."


def _measured_chart(model, view: TrainResult, steps, terms, p, importance, m, scale):
    x, measured = history_points(view.loss_history)
    curves = [("measured training loss", x, measured[:, 0])]
    if _linear(model):
        curves.append(("exact expected loss", steps, terms["exact expected loss"]))
        best = float(theory.linear_optimal_loss(p, importance, m))
        curves.append(("best possible linear loss", steps, np.full(steps.shape, best)))
        dashed = ["exact expected loss", "best possible linear loss"]
    else:
        curves.append(("predicted (0- and 1-sparse part)", steps, terms["predicted (0- and 1-sparse part)"]))
        dashed = ["predicted (0- and 1-sparse part)"]
    return math_understanding_charts.loss_terms_over_training(
        curves, "Measured loss against theory", "loss (training units: mean over features; log)", dashed, scale=scale
    )


def _fmt(x: float) -> str:
    return f"{x:.4g}" if np.isfinite(x) else "—"


def _linear_numbers(view: TrainResult, p: float, importance: np.ndarray, m: int) -> None:
    split = math_understanding.linear_split(view.W[0], view.b[0], p, importance)
    cols = st.columns(3)
    cols[0].metric("Measured training loss (last 50 steps)", _fmt(float(view.loss[0])))
    cols[1].metric("Exact expected loss of these weights", _fmt(float(split.total)))
    cols[2].metric(
        "Best a linear model can do (keep the top m)", _fmt(float(theory.linear_optimal_loss(p, importance, m)))
    )
    st.caption(
        f"Now: feature benefit {_fmt(float(split.benefit))} + interference {_fmt(float(split.interference))} + "
        f"bias error {_fmt(float(split.bias_error))} = {_fmt(float(split.total))}. All three numbers above are "
        "training units (mean over features). The exact loss uses only each feature's mean p/2 and variance p/3 − p²/4."
    )


def _relu_numbers(view: TrainResult, p: float, importance: np.ndarray) -> None:
    split = math_understanding.relu_sparse_split(view.W[0], view.b[0], p, importance)
    mc = math_understanding.one_sparse_monte_carlo(
        view.W[0], view.b[0], importance, MC_SAMPLES, np.random.default_rng(0)
    )
    measured = float(view.loss[0])
    share = float(split.predicted) / measured if measured > 0 else float("nan")
    cols = st.columns(3)
    cols[0].metric("Measured training loss (last 50 steps)", _fmt(measured))
    cols[1].metric(
        "Explained by the 0- and 1-sparse terms",
        _fmt(float(split.predicted)),
        f"{100 * share:.0f}% of the measured loss" if np.isfinite(share) else None,
        delta_color="off",
    )
    cols[2].metric(
        "L₁ in closed form (summed units)",
        _fmt(float(split.one_sparse)),
        f"Monte-Carlo: {mc['total'].mean:.4g} ± {mc['total'].se:.2g}",
        delta_color="off",
    )
    rest = 1.0 - float(split.p_none) - float(split.p_one)
    st.caption(
        f"Chance of an input with no feature on: {float(split.p_none):.3g}; exactly one: {float(split.p_one):.3g}; "
        f"two or more: {rest:.3g}. The prediction is (P(none)·L₀ + P(one)·L₁/n)/n: the paper's summed terms, "
        f"weighted by how often each case happens, then divided by n to match the training loss. "
        f"The Monte-Carlo check samples {MC_SAMPLES:,} inputs with exactly one feature on (uniform value in [0, 1])."
    )


def _geometry(model: str, view: TrainResult, p: float, importance: np.ndarray, scale: float) -> None:
    W_k, b_k = view.W[0], view.b[0]
    parts = math_understanding.per_feature_split(model, W_k, b_k, p, importance)
    units = "training units" if _linear(model) else "summed units"
    title = "Loss per output feature" if _linear(model) else "L₁ per active feature"
    left, right = st.columns(2)
    n = W_k.shape[0]
    with left:
        show_chart(
            basic_results_charts.gram_panel(analysis.gram(W_k), b_k, "Interference map WᵀW and bias b", scale=scale),
            f"interference-map-{model}",
            "mu_gram",
            alt_text=f"Heatmap of Wᵀ W ({n} by {n} features) beside the bias b; blue is negative, orange positive; "
            "the diagonal is each ‖Wᵢ‖², off-diagonal cells are overlaps Wᵢ·Wⱼ.",
        )
    with right:
        show_chart(
            math_understanding_charts.per_feature_terms(parts, title, f"loss ({units})", scale=scale),
            f"loss-per-feature-{model}",
            "mu_terms",
            alt_text=f"Stacked horizontal bars, one per feature: its share of the loss split into "
            f"{' and '.join(parts)} ({units}).",
        )
    left, right = st.columns(2)
    with left:
        pca = analysis.pca_of_features(W_k, 2)
        labels = [str(i) for i in range(n)]
        chart = charts.pca_scatter(pca.coords, labels, pca.explained_variance_ratio, "Feature directions (PCA)", scale)
        show_chart(
            style.padded(chart),
            f"feature-directions-pca-{model}",
            "mu_pca",
            alt_text=f"Scatter of the {n} feature directions Wᵢ on the two main principal axes of the hidden space, "
            f"one labelled point per feature; {int(analysis.n_represented(W_k))} features have length above 0.5.",
        )
    with right:
        if not untrained(view):  # a stored-feature count of random weights is no result
            _geometry_note(model, W_k)


def _geometry_note(model: str, W_k: np.ndarray) -> None:
    stored = int(analysis.n_represented(W_k))
    overlaps = (
        "orange cells (positive overlaps) can cost interference, blue cells (negative) are clipped by the ReLU"
        if not _linear(model)
        else "in a linear model every overlap costs, whatever its sign (it enters squared)"
    )
    st.markdown(
        f"**Reading the geometry.** The model stores **{stored}** of its {W_k.shape[0]} features "
        f"(‖Wᵢ‖ > 0.5) in {W_k.shape[1]} dimensions. In the map, the diagonal is each ‖Wᵢ‖² and every "
        f"off-diagonal cell Wᵢ·Wⱼ is an overlap: {overlaps}. The bars split each feature's share of the loss by "
        "term. The scatter shows the feature directions projected onto their two main axes."
    )
