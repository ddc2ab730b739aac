"""The Thomson-problem section: k points on a sphere that repel through interference, and a trained model beside them."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import analysis
from core.chapters import math_understanding, math_understanding_thomson
from core.charts import common as charts
from core.charts import math_understanding as math_understanding_charts
from core.charts import style
from core.config import ToyConfig
from ui.cache import trained
from ui.export import show_chart
from ui.state import chart_scale

ENERGY_LABELS = {
    "Toy-model interference: Σ ReLU(cos θ)² / 3": "interference",
    "Electric charges (J. J. Thomson): Σ 1/distance": "coulomb",
}
TRAINED_DENSITIES = [0.3, 0.1, 0.05, 0.02, 0.01]
DEFAULTS: dict[str, object] = {"mu_k": 5, "mu_d": 2, "mu_energy": next(iter(ENERGY_LABELS)), "mu_tp": 0.05}
K_RANGE = range(2, 11)
RESTARTS = 12  # random starts of gradient descent on the sphere per solution (the caption says how many)


@st.cache_data(max_entries=128, show_spinner=False)
def _solution(k: int, d: int, energy: str) -> math_understanding_thomson.ThomsonSolution:
    return math_understanding_thomson.thomson(k, d, energy, restarts=RESTARTS)


@st.cache_data(max_entries=16, show_spinner="Solving for every k…")
def _energy_curve(d: int, energy: str) -> np.ndarray:
    return np.array([_solution(k, d, energy).energy for k in K_RANGE])


def _num(x: float) -> str:
    """Four significant digits; rounding noise below 1e-12 shows as 0."""
    return "0" if abs(x) < 1e-12 else f"{x:.4g}"


def _show(chart, name: str, key: str, alt_text: str) -> None:
    show_chart(style.padded(chart), name, key, alt_text=alt_text)


def _arrows_alt(U: np.ndarray, what: str) -> str:
    norms = analysis.feature_norms(U)
    lengths = f"{norms.min():.2f} to {norms.max():.2f}" if np.ptp(norms) >= 0.005 else f"all {norms.mean():.2f}"
    return (
        f"Arrow diagram of {what}: {len(U)} lines from the origin in the 2-D plane, one per feature, coloured by "
        f"feature index; lengths {lengths}."
    )


def uniform_5in2(p: float) -> ToyConfig:
    """Five equally important features in two dimensions, best of 4 seeds (the paper kept the best of many)."""
    return ToyConfig(n_features=5, n_hidden=2, feature_probability=p, importance=1.0, steps=10_000, n_seeds=4)


@st.cache_data(max_entries=16, show_spinner=False)
def _comparison(p: float) -> math_understanding_thomson.ThomsonComparison:
    return math_understanding_thomson.compare_with_thomson(trained(uniform_5in2(p)).W[0])


def explorer() -> None:
    """Choose k, d and the energy; see the arrangement and how the lowest energy grows with k."""
    with st.container(border=True):
        c1, c2, c3 = st.columns([1, 1, 2])
        k = c1.slider("Points k (features)", K_RANGE.start, K_RANGE.stop - 1, 5, key="mu_k", bind="query-params")
        d = c2.radio("Dimensions d", [2, 3], key="mu_d", horizontal=True, bind="query-params")
        label = c3.radio("Energy to minimise", list(ENERGY_LABELS), key="mu_energy", bind="query-params")
    energy = ENERGY_LABELS[label]
    sol = _solution(int(k), int(d), energy)
    scale = chart_scale()
    angles = math_understanding_thomson.angle_spectrum(sol.U)
    distinct = ", ".join(f"{a:.0f}°" for a in np.unique(np.round(angles)))
    left, right = st.columns(2)
    with left:
        _arrangement(sol, int(k), int(d), energy, distinct, scale)
    with right:
        _energy_chart(int(k), int(d), energy, scale)
    st.caption(
        f"Energy {_num(sol.energy)}. Angles between pairs of points: {distinct}. Best of {RESTARTS} random starts of gradient descent on the sphere."
    )
    _notes(int(k), int(d), energy, angles)


def _arrangement(
    sol: math_understanding_thomson.ThomsonSolution, k: int, d: int, energy: str, distinct: str, scale: float
) -> None:
    """The best arrangement found: arrows in 2-D, the cosine of every angle in 3-D."""
    name = f"thomson-{energy}-k{k}-d{d}"
    if d == 2:
        chart = charts.feature_arrows(sol.U, title=f"Lowest energy found: {k} points in 2-D", scale=scale)
        _show(chart, name, "mu_th_points", _arrows_alt(sol.U, f"the lowest-energy arrangement of {k} unit vectors"))
        return
    title = f"Lowest energy found: {k} points in 3-D (cosine of each angle)"
    show_chart(
        math_understanding_charts.cosine_heatmap(math_understanding_thomson.cosine_matrix(sol.U), title, scale),
        name,
        "mu_th_points",
        alt_text=f"Heatmap of the cosine of the angle between every two of the {k} points (point i by point j), "
        f"blue negative, orange positive; the distinct angles are {distinct}.",
    )


def _energy_chart(k: int, d: int, energy: str, scale: float) -> None:
    y_title = "lowest interference L₁" if energy == "interference" else "lowest Coulomb energy"
    energies = _energy_curve(d, energy)
    chart = math_understanding_charts.energy_by_count(
        np.array(K_RANGE), energies, k, f"Cost of packing k points in {d}-D", y_title, scale
    )
    chosen = energies[list(K_RANGE).index(k)]
    show_chart(
        chart,
        f"thomson-{energy}-energy-by-k-d{d}",
        "mu_th_energy",
        alt_text=f"Line chart of the {y_title} against the number of points k from {K_RANGE.start} to "
        f"{K_RANGE.stop - 1} in {d}-D; the chosen k = {k} is highlighted at {_num(float(chosen))}.",
    )


def _notes(k: int, d: int, energy: str, angles: np.ndarray) -> None:
    """Point out the two ways the toy-model energy differs from electric charges."""
    if energy == "interference" and k <= 2 * d:
        st.info(
            f"With k ≤ 2d = {2 * d} points the interference can be exactly zero: pairs pointing opposite ways, the "
            "pairs at right angles to each other. Every pair at 90° or more costs nothing, so many arrangements tie."
        )
    elif energy == "interference" and np.any(angles < 1):
        st.info(
            "Some points sit on top of each other. With unit lengths forced on every point, sharing a direction "
            "can cost less than squeezing in one more; a real model has a cheaper way out: it drops the feature (‖Wᵢ‖ → 0)."
        )


def trained_vs_thomson() -> None:
    """A trained uniform 5-in-2 model's directions against the Thomson solution with as many points."""
    p = st.select_slider(
        "Feature density p = 1 − S of the trained model (5 equally important features, 2 dimensions)",
        TRAINED_DENSITIES,
        0.05,
        key="mu_tp",
        bind="query-params",
    )
    comp = _comparison(float(p))
    W = trained(uniform_5in2(float(p))).W[0]
    k = comp.features.size
    scale = chart_scale()
    cols = st.columns(2)
    with cols[0]:
        chart = charts.feature_arrows(W, title=f"Trained model, p = {p:g}", scale=scale)
        _show(chart, f"trained-5in2-p{p:g}", "mu_th_trained", _arrows_alt(W, f"the trained model at p = {p:g}"))
    with cols[1]:
        U = math_understanding_thomson.align_2d(comp.solution.U[:k], comp.directions)
        chart = charts.feature_arrows(U, title=f"Thomson solution, {k} points in 2-D", scale=scale)
        _show(chart, f"thomson-solution-k{k}", "mu_th_solution", _arrows_alt(U, f"the Thomson solution for {k} points"))
    series = {
        "trained model": math_understanding_thomson.angle_counts(comp.model_angles),
        "Thomson solution": math_understanding_thomson.angle_counts(comp.thomson_angles),
    }
    show_chart(
        math_understanding_charts.angle_spectrum(series, "Every pairwise angle", scale),
        f"pairwise-angles-p{p:g}",
        "mu_th_angles",
        alt_text="Dot plot of every pairwise angle (0 to 180 degrees) between the trained model's stored "
        "features and between the Thomson solution's points, one row each; dot size counts the pairs. "
        f"They differ by at most {comp.max_angle_gap:.1f} degrees.",
    )
    st.markdown(
        f"The model stores **{k}** of its 5 features (‖Wᵢ‖ > 0.5). Their sorted pairwise angles differ from "
        f"the Thomson solution's by at most **{comp.max_angle_gap:.1f}°**. Interference energy of the model's "
        f"directions (lengths set to 1): **{_num(comp.model_energy)}**; of the Thomson solution: **{_num(comp.solution.energy)}**."
    )
    _norm_bias(comp, W, float(p), scale)


def _norm_bias(comp: math_understanding_thomson.ThomsonComparison, W: np.ndarray, p: float, scale: float) -> None:
    norms, biases = np.linspace(0.6, 1.6, 51), np.linspace(-0.6, 0.3, 46)
    land = math_understanding.norm_bias_landscape(comp.solution.U[: comp.features.size], norms, biases)
    r_best, b_best, _ = land.best
    r_model, b_model = _model_means(comp, W, p)
    markers = [
        ("Thomson: r = 1, b = 0", 1.0, 0.0),
        ("lowest L₁ on the grid", r_best, b_best),
        ("trained model (means)", r_model, b_model),
    ]
    chart = math_understanding_charts.loss_heatmap(
        land.x,
        land.y,
        land.loss,
        "length r of every Wᵢ",
        "shared bias b",
        markers,
        "1-sparse loss L₁ of the Thomson shape, scaled and shifted",
        scale=scale,
    )
    left, right = st.columns([1.2, 1])
    show_chart(
        chart,
        f"thomson-length-bias-landscape-p{p:g}",
        "mu_th_landscape",
        alt_text=f"Heatmap of the 1-sparse loss L₁ of the Thomson shape over a common length r (x axis) and shared "
        f"bias b (y axis), dark is low; lowest at r = {r_best:.2f}, b = {b_best + 0:.2f}; the trained model's "
        f"averages sit at r = {r_model:.2f}, b = {b_model:.2f}.",
        where=left,
    )
    _norm_bias_note(right, comp, land.best, (r_model, b_model), p)


def _model_means(comp: math_understanding_thomson.ThomsonComparison, W: np.ndarray, p: float) -> tuple[float, float]:
    """The trained model's mean length and mean bias over its stored features."""
    kept = comp.features
    b = trained(uniform_5in2(p)).b[0]
    return float(analysis.feature_norms(W)[kept].mean()), float(b[kept].mean())


def _norm_bias_note(
    right, comp: math_understanding_thomson.ThomsonComparison, best_cell: tuple, model: tuple, p: float
) -> None:
    """The numbers beside the landscape: Thomson's energy, the grid's lowest L₁, where the trained model sits."""
    r_best, b_best, best = best_cell
    r_model, b_model = model
    at_thomson = float(
        math_understanding.norm_bias_landscape(comp.solution.U[: comp.features.size], [1.0], [0.0]).loss[0, 0]
    )
    right.markdown(
        f"""
At r = 1 and b = 0 this is the Thomson energy: **{_num(at_thomson)}**.
Letting the length and a shared bias move lowers L₁ to **{_num(best)}** at r = {r_best:.2f}, b = {b_best + 0:.2f}.

The trained model (density p = {p:g}) sits at r = {r_model:.2f}, b = {b_model:.2f} (averages over its stored features).
As p shrinks, the 1-sparse term takes over the loss, and the trained model moves toward the L₁ optimum.
"""
    )
