"""Rendering (and caching) for "The superposition hypothesis" chapter."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import analysis
from core.chapters import features_as_directions as rep
from core.chapters import superposition_hypothesis as hyp
from core.chapters import superposition_hypothesis_properties as properties
from core.charts import common as charts
from core.charts import superposition_hypothesis as superposition_hypothesis_charts
from core.config import ToyConfig
from core.train import TrainResult
from ui import linked
from ui.export import show_chart
from ui.live import untrained

SAMPLE_VECTORS = 300  # random unit vectors for the |cos| histogram
HIST_BINS = 40  # bins of that histogram on [0, 1]
SIGNAL_N = 100  # length of the sparse vector in the compressed-sensing demo
CHECK_BATCH = 256
CHECK_SEED = 7
MARKS = {
    "yes": ":material/check_circle: **yes**",
    "approximately": ":material/check: **approximately**",
    "partly": ":material/contrast: **partly**",
    "no": ":material/cancel: **no**",
    "not applicable": ":material/remove: not applicable",
}


@st.cache_data(max_entries=32, show_spinner="Drawing random vectors…")
def fit_counts(eps: float, seed: int) -> hyp.FitCounts:
    return hyp.fit_counts(eps, seed=seed)


def sensing_ks(m: int) -> np.ndarray:
    """Sparsity levels for the recovery curve: from 1 to well past m."""
    return np.unique(np.linspace(1, min(SIGNAL_N, int(1.6 * m) + 2), 14).round().astype(int))


@st.cache_data(max_entries=32, show_spinner="Trying many sparse vectors…")
def recovery(m: int, method: str, seed: int) -> np.ndarray:
    return hyp.recovery_curve(SIGNAL_N, m, sensing_ks(m), trials=8, method=method, seed=seed)


def sensing_sentence(m: int, method: str, seed: int) -> str:
    """The 'what to notice' sentence about the recovery curve, formatted from the curve the page draws."""
    ks = sensing_ks(m)
    s = hyp.recovery_summary(ks, recovery(m, method, seed))
    name = {"l1": "L1 minimisation", "omp": "matching pursuit"}.get(method, method)
    parts = [f"with {m} measurements and {name} (8 random vectors per k, at k = {', '.join(map(str, ks))})"]
    if s.all_up_to is not None:
        parts.append(f"every vector with up to {s.all_up_to} non-zeros came back exactly")
    if s.half_k is not None:
        parts.append(f"at k = {s.half_k} only {s.half_rate:.0%} did")
    parts.append(f"none did from k = {s.none_from} on" if s.none_from is not None else "some still did at the end")
    return "; ".join(parts) + ". The least-norm answer never works."


def orthogonality_panel(m: int, eps: float, seed: int, scale: float) -> None:
    """|cos| histogram at one m, and how many random directions fit under eps as m grows."""
    left, right = st.columns(2)
    with left:
        _cos_histogram(m, eps, seed, scale)
    with right:
        fc = fit_counts(eps, seed)
        chart = superposition_hypothesis_charts.fit_counts_chart(
            fc.ms, fc.counts, fc.capped, fc.birthday, fc.jl, fc.cap, eps, scale=scale
        )
        median = float(np.median(fc.counts[-1]))
        show_chart(
            chart,
            f"almost-orthogonal-count-eps{eps:g}",
            "sh_fit_counts",
            alt_text=f"Scatter plot, log y axis: how many random unit vectors fit before two have |cos| ≥ {eps:g}, "
            f"against dimensions m from {int(fc.ms[0])} to {int(fc.ms[-1])}, with lines for the exact-distribution "
            f"estimate, exp(m ε²/4) and N = m; at m = {int(fc.ms[-1])} the median run fits {median:,.0f}.",
        )
        st.caption(
            f"Computed: for each m, random unit vectors are drawn one at a time ({fc.counts.shape[1]} runs, seeded) "
            f"until one has |cos| ≥ {eps:g} with an earlier one; an orange dot is how many came before it (a "
            f"triangle: none by the cap of {fc.cap}). Solid line: the typical count predicted from the exact |cos| distribution. Dashed line: "
            "exp(m ε²/4), the Johnson–Lindenstrauss rate. Grey: N = m, the most directions that can be exactly "
            "orthogonal. On a log axis exponential growth is a straight line, so it overtakes m."
        )


def _cos_histogram(m: int, eps: float, seed: int, scale: float) -> None:
    V = hyp.random_unit_vectors(SAMPLE_VECTORS, m, seed)
    cos = hyp.pairwise_abs_cos(V)
    t = np.linspace(0.0, 0.995, 200)
    below = float((cos < eps).mean())
    heights, edges = np.histogram(cos, bins=HIST_BINS, range=(0.0, 1.0), density=True)
    show_chart(
        superposition_hypothesis_charts.cos_histogram(edges, heights, eps, t, hyp.abs_cos_density(t, m), m, scale),
        f"abs-cos-histogram-m{m}",
        "sh_cos_hist",
        alt_text=f"Histogram of |cos| between {cos.size:,} pairs of random unit vectors in m = {m} dimensions, "
        f"with the exact density as a line and a vertical rule at ε = {eps:g}; {100 * below:.1f}% of pairs lie "
        "below ε.",
    )
    exact = 1.0 - hyp.prob_abs_cos_at_least(eps, m)
    first, capped = hyp.first_collision(V, eps)
    st.caption(
        f"{SAMPLE_VECTORS} random unit vectors in m = {m} dimensions give {cos.size:,} pairs: {100 * below:.2f}% "
        f"have |cos| < {eps:g} (exact probability {100 * exact:.2f}%); the largest |cos| is {cos.max():.3f}. "
        + (
            f"Taken in order, all {SAMPLE_VECTORS} are pairwise within ε of orthogonal."
            if capped
            else f"Taken in order, the first {first} of them are pairwise within ε of orthogonal."
        )
    )


def sensing_panel(m: int, k: int, method: str, seed: int, scale: float) -> None:
    """One sparse vector squeezed to m numbers and recovered, and the success rate against k."""
    demo = hyp.sensing_demo(SIGNAL_N, m, k, method, seed)
    left, right = st.columns([1.3, 1])
    verdict = "recovered exactly" if demo.success else "not recovered"
    with left:
        show_chart(
            superposition_hypothesis_charts.sensing_stems(demo.x, demo.recovered, demo.least_norm, scale=scale),
            "compressed-sensing-example",
            "sh_stems",
            alt_text=f"Stem plot of a sparse vector with {k} non-zeros out of {SIGNAL_N} (grey stems), its "
            f"recovery from {m} measurements (crosses, {verdict}) and the least-norm answer (grey line).",
        )
        st.caption(
            f"x has {k} non-zeros out of {SIGNAL_N}; y = A x has only {m} numbers. Result: **{verdict}** "
            f"(relative error {demo.error:.1e}; success means below {hyp.SUCCESS_TOL:g}). The least-norm answer, "
            f"which ignores that the vector is sparse, is off by {hyp.relative_error(demo.x, demo.least_norm):.0%}."
        )
    with right:
        ks = sensing_ks(m)
        success = recovery(m, method, seed)
        show_chart(
            superposition_hypothesis_charts.recovery_chart(ks, success, m, k, scale=scale),
            f"compressed-sensing-recovery-rate-m{m}",
            "sh_recovery",
            alt_text=f"Line chart of the share of random sparse vectors recovered from {m} measurements against "
            f"their number of non-zeros k, from {int(ks[0])} to {int(ks[-1])}; dashed lines mark k = m and your "
            f"k = {k}. The share falls from {success[0]:.0%} to {success[-1]:.0%}.",
        )
        st.caption("Each point: 8 random sparse vectors and random projections at that k (seeded).")


def model_panel(view: TrainResult, cfg: ToyConfig, scale: float) -> None:
    """W^T W and norms, the Gram eigenvalues of stored features, a PCA view, and the property checklist."""
    W = view.W[0].astype(np.float64)
    g = properties.gram_check(W)
    stored = f"{g.represented.size} of {W.shape[0]} features stored"
    # One wrapping row: the four charts sit side by side where the screen is wide enough, and wrap
    # onto new lines (instead of being cut off by fixed columns) where it is not.
    followed = linked.follow_bar("sh", W.shape[0], "Click a feature's Wᵀ W row or its bar to follow it in both charts.")
    row = st.container(horizontal=True, gap="medium")
    show_chart(
        charts.gram_heatmap(analysis.gram(W), view.b[0], scale=scale, followed=followed, pickable=True),
        "gram-matrix-and-bias",
        "sh_gram",
        alt_text=f"Heatmap of the {W.shape[0]} × {W.shape[0]} matrix Wᵀ W (feature j across, feature i down) "
        "beside a column for the bias b, on a diverging colour scale: blue below 0, orange above.",
        where=row,
        **linked.link("sh", "gram"),
    )
    show_chart(
        charts.norm_bars(
            analysis.feature_norms(W), analysis.superposition(W), scale=scale, followed=followed, pickable=True
        ),
        "feature-norms",
        "sh_norms",
        alt_text=f"Bar chart of each feature's length ‖Wᵢ‖, coloured by how much it overlaps other features "
        f"(its superposition); {stored}.",
        where=row,
        **linked.link("sh", "norms"),
    )
    if untrained(view):  # random weights: no stored-feature count, rank verdict or property checklist
        _pca_chart(W, scale, row)
        st.markdown(
            "Untrained model: which features are stored, and whether they are in superposition, shows once it has trained."
        )
        return
    _eigen_chart(g, scale, row)
    _pca_chart(W, scale, row)
    verdict = "**singular: in superposition**" if g.in_superposition else "**invertible: no superposition**"
    st.markdown(
        f"{g.represented.size} features are stored (‖Wᵢ‖ > 0.5) in m = {g.m} dimensions. Their Gram matrix has rank "
        f"{g.rank}, so it is {verdict}."
    )
    checklist(cfg, W)


def _eigen_chart(g: properties.GramCheck, scale: float, where) -> None:
    if not g.eigenvalues.size:
        return
    title = f"Eigenvalues of Wᵀ W over the {g.represented.size} stored features"
    show_chart(
        superposition_hypothesis_charts.eigen_bars(g.eigenvalues, g.m, title, scale=scale),
        "gram-eigenvalues",
        "sh_eigen",
        alt_text=f"Bar chart of the {g.eigenvalues.size} eigenvalues of the stored features' Gram matrix, largest "
        f"first, with those past the m = {g.m}th in another colour; rank {g.rank}, so "
        + ("in superposition." if g.in_superposition else "not in superposition."),
        where=where,
    )


def _pca_chart(W: np.ndarray, scale: float, where) -> None:
    pca = analysis.pca_of_features(W)
    labels = [str(i) for i in range(W.shape[0])]
    title = "Features in their top two principal axes"
    chart = charts.pca_scatter(pca.coords, labels, pca.explained_variance_ratio, title=title, scale=scale)
    show_chart(
        chart,
        "feature-directions-pca",
        "sh_pca",
        alt_text=f"Scatter plot of the {W.shape[0]} feature directions Wᵢ in their top two principal axes, "
        f"labelled by feature number; the two axes hold {100 * pca.explained_variance_ratio[:2].sum():.0f}% of ‖W‖²_F.",
        where=where,
    )


def checklist(cfg: ToyConfig, W: np.ndarray) -> None:
    """The hierarchy of properties as a table of computed verdicts."""
    train_batch = rep.fixed_batch(cfg, CHECK_BATCH, CHECK_SEED)[0]
    x = properties.check_inputs(train_batch, CHECK_SEED, extra=CHECK_BATCH, signed=cfg.model == "abs")
    from_training = x.shape[0] - CHECK_BATCH
    rows = ["| property | this model | how it was checked |", "| --- | --- | --- |"]
    for c in properties.property_checklist(cfg.model, W, x):
        rows.append(f"| {c.name} | {MARKS.get(c.verdict, c.verdict)} | {c.detail} |")
    st.markdown("**The hierarchy of feature properties, checked on this model**\n\n" + "\n".join(rows))
    st.caption(
        f"Errors are relative, on {x.shape[0]} inputs with at least two active features ({from_training} of "
        f"{CHECK_BATCH} drawn from the training distribution, plus {CHECK_BATCH} with 2 to 4 active features: "
        "sparse training data rarely has two at once, and a sum of one feature cannot test additivity). Below "
        f"{properties.EXACT_TOL:g} counts as exact (rounding), below {properties.APPROX_TOL:g} as approximate. Each property "
        "assumes the one above it, so below a **no** the rest read *not applicable*."
    )
