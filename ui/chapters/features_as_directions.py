"""Rendering for the "Features as directions" chapter: the live model panel and the embedding-arithmetic toy."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import analysis
from core.chapters import features_as_directions as rep
from core.charts import common as charts
from core.charts import features_as_directions as features_as_directions_charts
from core.config import ToyConfig
from core.train import TrainResult, history_points
from ui import linked
from ui.export import show_chart

CLOUD_BATCH = 800  # hidden vectors drawn in the PCA view
CLOUD_SEED = 1
LINKED = "fd"  # the page's linked views: one feature followed in the sum of directions and the neuron bars
FOLLOW_HINT = (
    "Click a feature's arrow (in h = Σ xᵢ Wᵢ) or its piece of a bar (neuron by neuron) to follow it in both charts."
)


def _fmt(v: np.ndarray) -> str:
    return "(" + ", ".join(f"{float(a):+.2f}" for a in v) + ")"


def model_panel(view: TrainResult, cfg: ToyConfig, x_input: np.ndarray, scale: float) -> None:
    """The learner's input as a sum of directions, the neuron read-out, and the PCA view of real inputs."""
    W = view.W[0].astype(np.float64)
    batch = rep.fixed_batch(cfg, CLOUD_BATCH, CLOUD_SEED)
    pv = rep.hidden_pca_view(cfg.model, W, batch)
    contribs = rep.feature_contributions(W, x_input)
    followed = linked.follow_bar(LINKED, W.shape[0], FOLLOW_HINT)  # inside the live panel: a click reruns it
    left, right = st.columns(2)
    with left:
        _input_charts(pv.features, x_input, contribs, scale, followed)
    with right:
        chart = features_as_directions_charts.hidden_cloud(pv.points, pv.features, pv.neurons, pv.ratio, scale=scale)
        show_chart(
            chart,
            "hidden-space-pca-cloud",
            "fad_cloud",
            alt_text=f"Scatter plot of the hidden vectors of {CLOUD_BATCH} inputs in the top two principal axes "
            f"({100 * pv.ratio[:2].sum():.1f}% of the variance), with a coloured arrow for each feature direction "
            "Wᵢ and dashed grey arrows for the neuron axes.",
        )
        _numbers(W, x_input, contribs, pv.ratio)
    steps_x, losses = history_points(view.loss_history)
    if len(steps_x):
        chart = charts.loss_curve(steps_x, losses, ["model"], legend_title="run", scale=scale)
        show_chart(
            chart,
            "directions-training-loss",
            "fad_loss",
            alt_text=f"Line chart of the training loss (log scale) against the training step; after step "
            f"{int(steps_x[-1]):,} the loss is {float(losses[-1][0]):.3g}.",
        )


def _input_charts(
    features: np.ndarray, x_input: np.ndarray, contribs: np.ndarray, scale: float, followed: int | None
) -> None:
    """The learner's input built tip to tail, and the same hidden vector read neuron by neuron; a click on a
    feature in either chart follows it in both."""
    on = int(np.count_nonzero(x_input))
    show_chart(
        features_as_directions_charts.sum_of_directions(
            features, rep.feature_contributions(features, x_input), scale=scale, followed=followed, pickable=True
        ),
        "input-as-sum-of-directions",
        "fad_sum",
        alt_text=f"Arrow diagram in the top two principal axes of hidden space: dashed arrows are the learned "
        f"feature directions Wᵢ, solid arrows the pieces xᵢWᵢ laid tip to tail, and a grey arrow their sum h; "
        f"{on} of {len(x_input)} features are switched on, x = {_fmt(x_input)}.",
        **linked.link(LINKED, "sum"),
    )
    show_chart(
        features_as_directions_charts.neuron_contributions(
            contribs, contribs.sum(axis=0), scale=scale, followed=followed, pickable=True
        ),
        "hidden-vector-by-neuron",
        "fad_neurons",
        alt_text=f"Stacked horizontal bar chart with one bar per hidden dimension j, split into the pieces xᵢWᵢⱼ "
        f"from each feature (colour = feature); a grey tick marks each total hⱼ = {_fmt(contribs.sum(axis=0))}.",
        **linked.link(LINKED, "neurons"),
    )


def _numbers(W: np.ndarray, x_input: np.ndarray, contribs: np.ndarray, ratio: np.ndarray) -> None:
    norms = analysis.feature_norms(W)
    cos = rep.direction_cosines(W)
    pairs = [f"W{i}·W{j} angle cos = {cos[i, j]:+.2f}" for i in range(len(W)) for j in range(i + 1, len(W))]
    st.caption(
        f"Your input x = {_fmt(x_input)} gives h = {_fmt(contribs.sum(axis=0))} in neuron coordinates. "
        f"Lengths ‖Wᵢ‖ = {', '.join(f'{v:.2f}' for v in norms)}; {'; '.join(pairs)}. "
        f"The two principal axes hold {100 * ratio[:2].sum():.1f}% of the cloud's variance. Dots are projected "
        "without shifting, so the origin is the all-zero input."
    )


def embedding_panel(emb: rep.Embeddings, a: str, b: str, c: str, attribute: str, scale: float) -> None:
    """Analogy ranking, PCA map with the analogy's parallel arrows, and one property's direction."""
    target, ranked = rep.analogy(emb, a, b, c)
    words = [w for w, _ in ranked[:8]]
    sims = [s for _, s in ranked[:8]]
    label = f"{a} − {b} + {c}"
    k = rep.ATTRIBUTES.index(attribute)
    has = emb.values[:, k] > 0
    # A wrapping row of three cells (chart + its downloads): side by side where they fit, wrapped, never cut off.
    row = st.container(horizontal=True, gap="small")
    left, mid, right = (row.container(width="content") for _ in range(3))
    with left:
        show_chart(
            features_as_directions_charts.analogy_bars(words, sims, f"Nearest to {label}", scale=scale),
            "analogy-nearest-words",
            "fad_analogy",
            alt_text=f"Horizontal bar chart of the cosine similarity between {label} and the 8 nearest words; the "
            f"nearest, {words[0]}, has cosine {sims[0]:.2f}.",
        )
    with mid:
        _word_map(emb, (a, b, c), target, attribute, has, scale)
    direction = rep.estimated_direction(emb, attribute)
    with right:
        chart = features_as_directions_charts.direction_strip(
            emb.words, rep.projections(emb, direction), has, attribute, scale=scale
        )
        show_chart(
            chart,
            f"{attribute}-direction-projections",
            "fad_strip",
            alt_text=f"Dot plot of each word's position along the estimated {attribute} direction, one row per "
            f"word, coloured by whether the word has the property ({int(has.sum())} of {len(has)} do).",
        )
    true_cos = float(direction @ emb.directions[k])
    st.caption(
        f"**{label}** lands nearest to **{words[0]}** (cosine {sims[0]:.2f}); the three input words are left out, "
        f"as is usual for analogies. The two grey arrows are {b} → {a} and {c} → {label}: the same vector, so "
        f"they are parallel in any linear projection. The {attribute} direction, estimated as the average "
        f"difference over {len(rep.attribute_pairs(attribute))} word pairs, has cosine {true_cos:.2f} with the "
        "direction used to build the table."
    )


def _word_map(
    emb: rep.Embeddings, abc: tuple[str, str, str], target: np.ndarray, attribute: str, has: np.ndarray, scale: float
) -> None:
    """Every word (and a − b + c) in the top two principal axes, with the analogy's two parallel arrows."""
    a, b, c = abc
    pca = analysis.pca_of_hidden(emb.vectors, n_components=2)
    coords = pca.coords
    result = (target - pca.mean) @ pca.components.T
    groups = [f"{attribute}: yes" if h else f"{attribute}: no" for h in has] + ["a − b + c"]
    order = [f"{attribute}: no", f"{attribute}: yes", "a − b + c"]  # same colours as the strip chart
    idx = {w: i for i, w in enumerate(emb.words)}
    arrows = np.array([[coords[idx[b]], coords[idx[a]]], [coords[idx[c]], result]])
    chart = features_as_directions_charts.embedding_map(
        np.vstack([coords, result]),
        [*emb.words, "a − b + c"],
        groups,
        pca.explained_variance_ratio,
        arrows,
        "word",
        order,
        scale=scale,
    )
    show_chart(
        chart,
        "word-vectors-pca-map",
        "fad_wordmap",
        alt_text=f"Scatter plot of the {len(emb.words)} word vectors and {a} − {b} + {c} in their top two principal "
        f"axes, coloured by whether a word has the {attribute} property; two grey arrows, {b} → {a} and "
        f"{c} → {a} − {b} + {c}, are parallel.",
    )
