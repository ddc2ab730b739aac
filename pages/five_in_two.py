"""Chapter: 5 features in 2 dimensions (the paper's opening figure), trained live."""

import streamlit as st

from core import analysis, data, presets
from core.charts import common as charts
from core.train import TrainResult, history_points
from ui.export import result_downloads, show_chart
from ui.live import live_training
from ui.quiz import self_check
from ui.state import chart_scale, preset_button, prose, seed_input

st.title("5 features in 2 dimensions")
prose(
    """
A model gets five input features, but only **two** hidden dimensions to carry them. It must rebuild the input
from those two numbers: `x' = ReLU(Wᵀ W x + b)`. Feature 0 matters most; each later feature counts a bit less
(importance *I*ᵢ = *r*ⁱ). The question is what it keeps, and how, as the features become rarer.
""",
    "Five features, two dimensions: what does the model keep as the features get rarer?",
)

DENSITY_CHOICES = [1.0, 0.5, 0.3, 0.2, 0.1, 0.05, 0.03, 0.02, 0.01]
with st.container(border=True):
    left, right = st.columns(2)
    mode = left.radio(
        "What to train",
        ["Sweep: 10 densities (the paper's figure)", "One density"],
        key="f52_mode",
        bind="query-params",
        help="A sweep trains one model per density, side by side, in a single run.",
    )
    if mode.startswith("Sweep"):
        densities = presets.intro_densities()
    else:
        p = left.select_slider(
            "Feature density p = 1 − S (chance a feature is non-zero)",
            options=DENSITY_CHOICES,
            value=0.05,
            key="f52_density",
            bind="query-params",
        )
        densities = [float(p)]
    decay = right.slider(
        "Importance decay r (feature i counts rⁱ in the loss)",
        0.5,
        1.0,
        0.9,
        0.05,
        key="f52_decay",
        bind="query-params",
    )
    seed = seed_input(right, "f52_seed")
    steps = right.select_slider(
        "Training steps (AdamW, lr 0.001, batch 1024)",
        [1_000, 2_000, 5_000, 10_000],
        10_000,
        key="f52_steps",
        bind="query-params",
    )

preset_button(
    "Paper settings",
    {"f52_mode": "Sweep: 10 densities (the paper's figure)", "f52_decay": 0.9, "f52_steps": 10_000, "f52_seed": 0},
    key="f52_paper",
    help="Back to the paper's figure: 10 densities from 1 to 0.05, importance 0.9^i, 10,000 steps.",
)
cfg = presets.intro_5in2(densities=densities, decay=float(decay), seed=int(seed), steps=int(steps))
importance = cfg.broadcast()[1][0]
titles = [presets.label_density(p) for p in densities]
short = [f"p = {p:.3g}" for p in densities]


def render(view: TrainResult) -> None:
    scale = chart_scale()
    show_chart(
        charts.arrows_row(view.W, titles, importance=importance, scale=scale),
        "five-in-two-arrows",
        "f52_arrows",
        alt_text="Feature directions of each trained model, one panel per density.",
    )
    counts = analysis.n_represented(view.W)
    st.caption(
        "Each panel is one model. A line is a feature's direction W_i in the 2-D hidden space; its length is how "
        "strongly the feature is stored. Features represented (||W_i|| > 0.5), from densest to sparsest: "
        + ", ".join(str(int(c)) for c in counts)
        + "."
    )
    steps_x, losses = history_points(view.loss_history)
    if len(steps_x):
        chart = charts.loss_curve(steps_x, losses, short, legend_title="model", scale=scale)
        show_chart(chart, "five-in-two-loss", "f52_loss", alt_text="Training loss of each model, log scale.")
    pick = _chosen_instance()
    left, right = st.columns(2)
    with left:
        show_chart(
            charts.gram_heatmap(analysis.gram(view.W[pick]), view.b[pick], title=titles[pick], scale=scale),
            "gram",
            "f52_gram",
            alt_text=f"Heatmap of W transpose W and the bias b for the model at {short[pick]}.",
        )
    with right:
        show_chart(
            charts.norm_bars(analysis.feature_norms(view.W[pick]), analysis.superposition(view.W[pick]), scale=scale),
            "norms",
            "f52_norms",
            alt_text=f"Bar chart of each feature's norm ||W_i|| for the model at {short[pick]}.",
        )
    _hidden_view(view, pick, scale)
    result_downloads(view, short, "five-in-two", "f52_dl")


def _hidden_view(view: TrainResult, pick: int, scale: float) -> None:
    x = data.sample_instance(cfg, 600, seed=int(seed) + 1, instance=pick)
    pca = analysis.pca_of_hidden(analysis.hidden_cloud(view.W[pick], x))
    directions = analysis.project_directions(pca.components, view.W[pick])
    chart = charts.hidden_pca(
        pca.coords, analysis.active_label(x), pca.explained_variance_ratio, directions, scale=scale
    )
    show_chart(chart, "hidden-pca", "f52_pca", alt_text="Hidden vectors of 600 inputs in PCA coordinates.")
    st.caption(
        "600 fresh inputs pushed through the chosen model. Inputs with a single active feature land on that "
        "feature's line (dashed): the hidden space is organised by feature directions, not by its two axes."
    )


def _chosen_instance() -> int:
    if len(densities) == 1:
        return 0
    labels = [f"{p:.3g}" for p in densities]
    chosen = st.select_slider("Inspect the model at density", labels, value=labels[-1], key="f52_inspect")
    return labels.index(chosen)


live_training("f52:run", cfg, render)

st.subheader("What to notice")
prose(
    """
- **Dense features (p = 1)**: only features 0 and 1 get a direction, at right angles, with length 1. The model
  does what PCA would: keep the two most important features exactly and drop the rest. The dropped features' biases
  settle near ½, their average value, which is the best a model can do without storing them.
- **Rare features**: the model starts to store features it has no room for. First one feature shares a line with
  another, pointing the opposite way (an *antipodal pair*); as features get rarer still, all five end up as the
  corners of a **regular pentagon**, 72° apart, with lengths a bit above 1 and small negative biases.
- Why this can pay: when features are rare, two of them are seldom active together. The ReLU and a negative bias
  then remove most of the *interference*, the small false signal each feature leaks onto the others.
""",
    "Dense features: the model keeps the top two at right angles and drops the rest. Rare features: it stores "
    "all five as a pentagon and lets the ReLU clip the interference.",
)
with st.expander("The settings, exactly"):
    st.markdown(
        f"""
n = 5 features, m = 2 hidden dimensions, importance *I*ᵢ = {decay:g}ⁱ, densities {", ".join(f"{p:.3g}" for p in densities)}.
Data: each feature is 0 with probability 1 − p, otherwise uniform on [0, 1], fresh every step.
Loss: importance-weighted squared error averaged over batch and features. AdamW, learning rate 0.001,
weight decay 0.01, batch 1024, {cfg.steps:,} steps, seed {cfg.seed}.
"""
    )

self_check(
    [
        (
            "With dense features, why does the model ignore features 2, 3 and 4 entirely?",
            "With every feature active in every example, any overlap between two directions causes interference in "
            "every example. Two dimensions hold only two orthogonal directions, so the model spends them on the two "
            "features that cost the most to lose (the most important) and covers the others with their mean via the bias.",
        ),
        (
            "What does a longer-than-1 arrow with a negative bias buy a sparse model?",
            "The negative bias clips small interference from other features to zero after the ReLU. A slightly longer "
            "arrow makes up for the bias, so a feature that is really active still comes out at about its true value.",
        ),
        (
            "Would a purely linear model (no ReLU) ever form the pentagon?",
            "No. Without the ReLU nothing removes interference, so storing extra features always costs more than it "
            "gains: a linear model keeps just the top two features at every density.",
        ),
    ]
)
