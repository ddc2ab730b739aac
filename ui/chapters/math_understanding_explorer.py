"""Two features in one dimension: controls, the loss landscape and a term-by-term breakdown."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import theory
from core.chapters import math_understanding
from core.charts import math_understanding as math_understanding_charts
from ui.export import show_chart
from ui.state import chart_scale

VIEWS = ["Sparse limit: the 1-sparse loss L₁", "Full expected loss at density p"]
DENSITIES = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0]
IMPORTANCES = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]
DEFAULTS: dict[str, object] = {
    "mu_w1": 1.0,
    "mu_w2": -1.0,
    "mu_b1": 0.0,
    "mu_b2": 0.0,
    "mu_imp2": 1.0,
    "mu_view": VIEWS[0],
    "mu_xp": 0.05,
}
LIMIT = 1.5


def _set(values: dict[str, object]) -> None:
    for key, value in values.items():
        st.session_state[key] = value


def _quick_buttons(p: float) -> None:
    """Named starting points; "drop" gives output 1 the bias p/2, the best it can do without the feature."""
    presets = [
        ("Antipodal pair", (1.0, -1.0, 0.0, 0.0), "anti", "W = [1, −1], b = 0: the shape sparse models choose."),
        ("Drop feature 1", (1.0, 0.0, 0.0, round(p / 2, 2)), "drop", "Keep feature 0; output 1 predicts its mean p/2."),
        ("Same direction", (1.0, 1.0, 0.0, 0.0), "same", "W = [1, 1]: each feature leaks fully into the other output."),
        (
            "Weak overlap + negative bias",
            (1.0, 0.3, -0.35, -0.35),
            "bias",
            "A small overlap hidden under a negative bias.",
        ),
    ]
    for col, (label, (w1, w2, b1, b2), key, help) in zip(st.columns(len(presets)), presets):
        values = {"mu_w1": w1, "mu_w2": w2, "mu_b1": b1, "mu_b2": b2}
        col.button(label, key=f"mu_q_{key}", on_click=_set, args=(values,), help=help, width="stretch")


def controls() -> dict[str, float | str]:
    """The explorer's widgets; returns their values."""
    with st.container(border=True):
        c1, c2, c3 = st.columns(3)
        w1 = c1.slider("W₀ (feature 0's weight)", -LIMIT, LIMIT, 1.0, 0.05, key="mu_w1", bind="query-params")
        w2 = c1.slider("W₁ (feature 1's weight)", -LIMIT, LIMIT, -1.0, 0.05, key="mu_w2", bind="query-params")
        b1 = c2.slider("b₀ (output 0's bias)", -1.0, 1.0, 0.0, 0.01, key="mu_b1", bind="query-params")
        b2 = c2.slider("b₁ (output 1's bias)", -1.0, 1.0, 0.0, 0.01, key="mu_b2", bind="query-params")
        imp2 = c3.select_slider(
            "Importance of feature 1 (feature 0 has 1)", IMPORTANCES, 1.0, key="mu_imp2", bind="query-params"
        )
        view = c3.radio("Landscape", VIEWS, key="mu_view", bind="query-params")
        p = c3.select_slider(
            "Feature density p = 1 − S (used by the full loss)",
            DENSITIES,
            0.05,
            key="mu_xp",
            bind="query-params",
            disabled=view == VIEWS[0],
        )
        _quick_buttons(float(p))
    return {"w1": w1, "w2": w2, "b1": b1, "b2": b2, "imp2": float(imp2), "view": view, "p": float(p)}


def _pieces(v: dict, terms: math_understanding.PairTerms) -> tuple[list[str], np.ndarray, list[str], str]:
    names = [
        "only 0 on: own error",
        "only 1 on: own error",
        "only 0 on: leak into output 1",
        "only 1 on: leak into output 0",
    ]
    values = np.array([terms.benefit1, terms.benefit2, terms.leak12, terms.leak21], dtype=np.float64)
    kinds = ["feature benefit", "feature benefit", "interference", "interference"]
    if v["view"] == VIEWS[0]:
        return names, values, kinds, "summed loss, L₁ pieces"
    p = v["p"]
    names = ["nothing on: positive biases", *names, "both on"]
    values = np.concatenate([[(1 - p) ** 2 * terms.zero], p * (1 - p) * values, [p**2 * terms.both]])
    return (
        names,
        values,
        ["no feature on", *kinds, "both features on"],
        f"share of the expected summed loss at p = {p:g}",
    )


def _responses(v: dict) -> list[tuple[str, np.ndarray, dict[str, np.ndarray]]]:
    w, b = (v["w1"], v["w2"]), (v["b1"], v["b2"])
    panels = []
    for i, j in ((0, 1), (1, 0)):
        x, _, own = math_understanding.relu_response(w[i] ** 2, b[i])
        _, pre, post = math_understanding.relu_response(w[i] * w[j], b[j])
        curves = {"target x": x, "own output": own, "other output before ReLU": pre, "other output after ReLU": post}
        panels.append((f"Only feature {i} on", x, curves))
    return panels


def _breakdown(v: dict, terms: math_understanding.PairTerms, land: math_understanding.Landscape, scale: float) -> None:
    """Bars of the current point's loss pieces, its total, and (full loss) the paper's candidate costs."""
    sparse = v["view"] == VIEWS[0]
    bx, by, best = land.best
    names, values, kinds, units = _pieces(v, terms)
    chart = math_understanding_charts.term_bars(
        names, values, kinds, "Where your point's loss comes from", units, scale
    )
    total = float(terms.one_sparse) if sparse else float(terms.expected(v["p"]))
    show_chart(
        chart,
        "two-features-loss-breakdown",
        "mu_breakdown",
        alt_text=f"Horizontal bars of the pieces of your point's loss ({units}), coloured by kind of loss: "
        + "; ".join(f"{name} {value:.3g}" for name, value in zip(names, values))
        + f". Total {total:.4g}.",
    )
    st.markdown(f"**Your point:** {total:.4g} · **lowest on the grid:** {best:.4g} at W = ({bx:.2f}, {by:.2f}).")
    if not sparse:
        p, r = v["p"], v["imp2"]
        st.caption(
            f"Theory at p = {p:g}: an antipodal pair costs (1 + r)p²/6 = {float(theory.antipodal_cost(1.0, r, p)):.4g}; "
            f"dropping feature 1 (with b₁ = p/2) costs r(p/3 − p²/4) = {float(theory.drop_cost(r, p)):.4g}; "
            f"dropping feature 0 costs {float(theory.drop_cost(1.0, p)):.4g}."
        )


def _landscape(v: dict, land: math_understanding.Landscape, scale: float) -> None:
    """The loss surface over (W₀, W₁) at the chosen biases, with the current point and the grid's lowest cell."""
    bx, by, _ = land.best
    what = "1-sparse loss L₁" if v["view"] == VIEWS[0] else f"expected summed loss at p = {v['p']:g}"
    chart = math_understanding_charts.loss_heatmap(
        land.x,
        land.y,
        land.loss,
        "W₀",
        "W₁",
        [("your point", v["w1"], v["w2"]), ("lowest on the grid", bx, by)],
        f"Loss landscape at b = ({v['b1']:g}, {v['b2']:g}): {what}",
        guide=((-LIMIT, LIMIT), (LIMIT, -LIMIT)),
        scale=scale,
    )
    show_chart(
        chart,
        "two-features-loss-landscape",
        "mu_landscape",
        alt_text=f"Heatmap of the {what} over the weights W₀ (x axis) and W₁ (y axis) from −{LIMIT:g} to "
        f"{LIMIT:g}, dark is low; your point is at ({v['w1']:g}, {v['w2']:g}), the lowest grid cell at "
        f"({bx:.2f}, {by:.2f}); a dashed diagonal marks the antipodal line W₁ = −W₀.",
    )


def explorer() -> None:
    """Controls, the landscape with the current point, the breakdown and the ReLU clipping picture."""
    v = controls()
    scale = chart_scale()
    sparse = v["view"] == VIEWS[0]
    land = math_understanding.pair_landscape(v["b1"], v["b2"], v["imp2"], None if sparse else v["p"], limit=LIMIT)
    terms = math_understanding.pair_terms(v["w1"], v["w2"], v["b1"], v["b2"], v["imp2"])
    left, right = st.columns([1, 1.15])
    with left:
        _landscape(v, land, scale)
    with right:
        _breakdown(v, terms, land, scale)
    show_chart(
        math_understanding_charts.relu_response(_responses(v), scale),
        "two-features-relu-response",
        "mu_response",
        alt_text="Two line charts, one per active feature, against that feature's value x from 0 to 1: the target x, "
        "the feature's own output, and the leak into the other output before and after the ReLU.",
    )
    st.caption(
        "Each panel switches on one feature with value x (the horizontal axis). Blue: that feature's own output, "
        "which should follow the grey target. Vermillion: what leaks into the other output, (W₀W₁)x + b, dashed "
        "before the ReLU and solid after it. Only the solid vermillion line costs anything: whatever the ReLU "
        "sends to zero is free."
    )
