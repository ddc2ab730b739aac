"""Rendering for the "Features as directions" chapter: the live model panel and the embedding-arithmetic toy."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import analysis, plots, plots_basics
from core import representation as rep
from core.config import ToyConfig
from core.train import TrainResult, history_points

CLOUD_BATCH = 800  # hidden vectors drawn in the PCA view
CLOUD_SEED = 1


def _fmt(v: np.ndarray) -> str:
    return "(" + ", ".join(f"{float(a):+.2f}" for a in v) + ")"


def model_panel(view: TrainResult, cfg: ToyConfig, x_input: np.ndarray, scale: float) -> None:
    """The learner's input as a sum of directions, the neuron read-out, and the PCA view of real inputs."""
    W = view.W[0].astype(np.float64)
    batch = rep.fixed_batch(cfg, CLOUD_BATCH, CLOUD_SEED)
    pv = rep.hidden_pca_view(cfg.model, W, batch)
    contribs = rep.feature_contributions(W, x_input)
    left, right = st.columns(2)
    with left:
        st.altair_chart(plots_basics.sum_of_directions(pv.features, x_input, scale=scale), width="content")
        st.altair_chart(plots_basics.neuron_contributions(contribs, scale=scale), width="content")
    with right:
        chart = plots_basics.hidden_cloud(pv.points, pv.features, pv.neurons, pv.ratio, scale=scale)
        st.altair_chart(chart, width="content")
        _numbers(W, x_input, contribs, pv.ratio)
    steps_x, losses = history_points(view.loss_history)
    if len(steps_x):
        chart = plots.loss_curve(steps_x, losses, ["model"], legend_title="run", scale=scale)
        st.altair_chart(plots_basics.padded(chart), width="content")


def _numbers(W: np.ndarray, x_input: np.ndarray, contribs: np.ndarray, ratio: np.ndarray) -> None:
    norms = analysis.feature_norms(W)
    cos = rep.direction_cosines(W)
    pairs = [f"W{i}·W{j} angle cos = {cos[i, j]:+.2f}" for i in range(len(W)) for j in range(i + 1, len(W))]
    st.caption(
        f"Your input x = {_fmt(x_input)} gives h = {_fmt(contribs.sum(axis=0))} in neuron coordinates. "
        f"Lengths ||Wᵢ|| = {', '.join(f'{v:.2f}' for v in norms)}; {'; '.join(pairs)}. "
        f"The two principal axes hold {100 * ratio[:2].sum():.1f}% of the cloud's variance. Dots are projected "
        "without shifting, so the origin is the all-zero input."
    )


def embedding_panel(emb: rep.Embeddings, a: str, b: str, c: str, attribute: str, scale: float) -> None:
    """Analogy ranking, PCA map with the analogy's parallel arrows, and one property's direction."""
    target, ranked = rep.analogy(emb, a, b, c)
    words = [w for w, _ in ranked[:8]]
    sims = [s for _, s in ranked[:8]]
    pca = analysis.pca_of_hidden(emb.vectors, n_components=2)
    coords = pca.coords
    result = (target - pca.mean) @ pca.components.T
    k = rep.ATTRIBUTES.index(attribute)
    has = emb.values[:, k] > 0
    groups = [f"{attribute}: yes" if h else f"{attribute}: no" for h in has] + ["a − b + c"]
    order = [f"{attribute}: no", f"{attribute}: yes", "a − b + c"]  # same colours as the strip chart
    label = f"{a} − {b} + {c}"
    idx = {w: i for i, w in enumerate(emb.words)}
    arrows = np.array([[coords[idx[b]], coords[idx[a]]], [coords[idx[c]], result]])
    all_coords = np.vstack([coords, result])

    left, mid, right = st.columns([1, 1.3, 1.1])
    with left:
        st.altair_chart(plots_basics.analogy_bars(words, sims, f"Nearest to {label}", scale=scale), width="content")
    with mid:
        chart = plots_basics.embedding_map(
            all_coords,
            [*emb.words, "a − b + c"],
            groups,
            pca.explained_variance_ratio,
            arrows,
            "word",
            order,
            scale=scale,
        )
        st.altair_chart(chart, width="content")
    direction = rep.estimated_direction(emb, attribute)
    with right:
        chart = plots_basics.direction_strip(emb.words, rep.projections(emb, direction), has, attribute, scale=scale)
        st.altair_chart(chart, width="content")
    true_cos = float(direction @ emb.directions[k])
    st.caption(
        f"**{label}** lands nearest to **{words[0]}** (cosine {sims[0]:.2f}); the three input words are left out, "
        f"as is usual for analogies. The two black arrows are {b} → {a} and {c} → {label}: the same vector, so "
        f"they are parallel in any linear projection. The {attribute} direction, estimated as the average "
        f"difference over {len(rep.attribute_pairs(attribute))} word pairs, has cosine {true_cos:.2f} with the "
        "direction used to build the table."
    )
