"""Chapter: 5 features in 2 dimensions (the paper's opening figure), trained live."""

import streamlit as st

from core import analysis, data, presets
from core.chapters import five_in_two
from core.charts import common as charts
from core.train import TrainResult, history_points
from ui import linked, predict
from ui.export import result_downloads, show_chart
from ui.layout import predict_box, settings_box
from ui.live import live_training, untrained
from ui.quiz import self_check
from ui.state import chart_scale, presenting, preset_button, prose, seed_input

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
SWEEP_DENSITIES = presets.intro_sweep_densities()
SWEEP = f"Sweep: {len(SWEEP_DENSITIES)} densities (the paper's figure)"
with settings_box():
    left, right = st.columns(2)
    mode = left.radio(
        "What to train",
        [SWEEP, "One density"],
        key="f52_mode",
        bind="query-params",
        help="A sweep trains one model per density, side by side, in a single run.",
    )
    if mode.startswith("Sweep"):
        densities = SWEEP_DENSITIES
    else:
        p = left.select_slider(
            "Feature density p = 1 − S (chance a feature is non-zero)",
            options=DENSITY_CHOICES,
            value=0.05,
            key="f52_density",
            bind="query-params",
        )
        densities = [float(p)]
    starts = left.select_slider(
        "Random starts per density (best of N)",
        [1, 2, 4, 8],
        presets.INTRO_5IN2_STARTS,
        key="f52_starts",
        bind="query-params",
        help="Each density is trained from N random starts at once; the panels show the start with the lowest "
        "recent training loss. One start can stop in a worse arrangement.",
    )
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
        {
            "f52_mode": SWEEP,
            "f52_decay": 0.9,
            "f52_steps": 10_000,
            "f52_seed": 0,
            "f52_starts": presets.INTRO_5IN2_STARTS,
        },
        key="f52_paper",
        help=f"Back to the paper's figure: {len(SWEEP_DENSITIES)} densities from 1 to 0.05 (including the paper's "
        f"panels at 0.2 and 0.1), importance 0.9^i, 10,000 steps, best of {presets.INTRO_5IN2_STARTS} starts.",
    )


cfg = presets.intro_5in2(densities=densities, decay=float(decay), seed=int(seed), steps=int(steps), n_seeds=int(starts))
importance = cfg.broadcast()[1][0]


def _title(p: float) -> str:
    stage = five_in_two.paper_stage(p)
    return presets.label_density(p) + (f" · paper: {stage[0]}" if stage else "")


titles = [_title(p) for p in densities]
short = [f"p = {p:.3g}" for p in densities]


def render(view: TrainResult) -> None:
    scale = chart_scale()
    followed = linked.follow_bar("f52", cfg.n_features)  # the feature every chart below emphasises, or None
    if presenting() and len(densities) > 2:  # on a projector: the densest beside the sparsest, the rest a click away
        _arrows(view.W, [0, len(densities) - 1], scale, "f52_arrows_ends", followed)
        with st.expander(f"All {len(densities)} densities"):
            _arrows(view.W, list(range(len(densities))), scale, "f52_arrows", followed)
    else:
        _arrows(view.W, list(range(len(densities))), scale, "f52_arrows", followed)
    st.caption(
        "Each panel is one model. A line is a feature's direction Wᵢ in the 2-D hidden space; its length is how "
        "strongly the feature is stored. Panels marked 'paper' are the densities of the paper's three panels. "
        + arrangement_text(view)
    )
    steps_x, losses = history_points(view.loss_history)
    if len(steps_x):
        chart = charts.loss_curve(steps_x, losses, short, legend_title="model", scale=scale)
        show_chart(chart, "five-in-two-loss", "f52_loss", alt_text="Training loss of each model, log scale.")
    pick = _chosen_instance()
    left, right = st.columns(2)
    with left:
        gram = analysis.gram(view.W[pick])
        show_chart(
            charts.gram_heatmap(gram, view.b[pick], titles[pick], scale, followed, pickable=True),
            "gram",
            "f52_gram",
            alt_text=f"Heatmap of W transpose W and the bias b for the model at {short[pick]}.",
            **linked.link("f52", "gram"),
        )
    with right:
        norms, sup = analysis.feature_norms(view.W[pick]), analysis.superposition(view.W[pick])
        show_chart(
            charts.norm_bars(norms, sup, scale=scale, followed=followed, pickable=True),
            "norms",
            "f52_norms",
            alt_text=f"Bar chart of each feature's norm ‖Wᵢ‖ for the model at {short[pick]}.",
            **linked.link("f52", "norms"),
        )
    _hidden_view(view, pick, scale)
    result_downloads(view, short, "five-in-two", "f52_dl")
    kept = int(analysis.n_represented(view.W[-1]))  # the sparsest model (densest first)
    predict.reveal("five_in_two_count", f"p{min(densities):g}", kept, view.steps_done >= cfg.steps)


def _arrows(W, which: list[int], scale: float, key: str, followed: int | None) -> None:
    show_chart(
        charts.arrows_row(W[which], [titles[i] for i in which], importance, scale, followed=followed, pickable=True),
        "five-in-two-arrows" if len(which) == len(densities) else "five-in-two-arrows-densest-sparsest",
        key,
        alt_text="Feature directions of each trained model, one panel per density shown.",
        **linked.link("f52", key),
    )


def arrangement_text(view: TrainResult) -> str:
    """What the drawn panels show, read from their weights; nothing is claimed before training."""
    if view.steps_done == 0:
        return "The models are untrained: press Play to train them."
    if predict.withheld("five_in_two_count", f"p{min(densities):g}"):
        return "The counts of stored features stay hidden until the result is revealed (presenter mode)."
    found = five_in_two.sweep_arrangements(view.W)
    counts = analysis.n_represented(view.W)
    when = "after training" if view.steps_done >= cfg.steps else f"at step {view.steps_done:,}"
    text = (
        f"Features represented (‖Wᵢ‖ > 0.5) {when}, from densest to sparsest: "
        + ", ".join(str(int(c)) for c in counts)
        + ". Arrangements: "
        + "; ".join(f"p = {p:.3g}: {five_in_two.describe(a)}" for p, a in zip(densities, found))
        + "."
    )
    verdicts = [(p, five_in_two.matches_paper(p, a)) for p, a in zip(densities, found)]
    misses = [f"{p:.3g}" for p, ok in verdicts if ok is False]
    if any(ok is not None for _, ok in verdicts):
        text += (
            " At the paper's densities this run draws the paper's arrangements."
            if not misses
            else f" At p = {', '.join(misses)} this run differs from the paper's panel: try more starts or steps."
        )
    for p, a in zip(densities, found):
        if five_in_two.left_out_differs(p, a):
            paper_left_out = ", ".join(str(i) for i in five_in_two.paper_stage(p)[2])
            text += f" At p = {p:.3g} the paper leaves out feature {paper_left_out}; this run leaves out " + (
                ", ".join(str(i) for i in a.dropped) + "."
            )
    return text


def _hidden_view(view: TrainResult, pick: int, scale: float) -> None:
    if untrained(view):  # random weights scatter inputs anywhere; the view waits for training (and for sklearn,
        # whose import the warm-up does after the first page run: on a cold server it took 1.6 s of it)
        st.caption(
            "Once the models train, 600 fresh inputs pushed through the chosen model appear here, in PCA "
            "coordinates of the hidden space."
        )
        return
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


def crowded_note(default_sweep: bool) -> str:
    """Why this first run is shorter than the paper's, and what that changes (measured: core.chapters.five_in_two)."""
    text = (
        f"Many learners are training on this server right now, so your first run trains "
        f"{five_in_two.CROWDED_STEPS:,} steps rather than the paper's 10,000, and finishes sooner."
    )
    if default_sweep:
        matching = ", ".join(map(str, five_in_two.SEQUENCE_SEEDS_MATCHING))
        text += (
            f" With the best of {presets.INTRO_5IN2_STARTS} starts, the seeds we tried that draw the paper's "
            f"sequence at 10,000 steps ({matching}) already draw it at {five_in_two.CROWDED_STEPS:,}."
        )
    return text + " For the full run, choose 10,000 training steps in the settings or press Paper settings."


def _lighter_first_run() -> bool:
    """Play on a crowded server: this session's first full-length run trains CROWDED_STEPS instead (once)."""
    if st.session_state.get("f52_crowded") or st.session_state.get("f52_steps") != 10_000:
        return False
    st.session_state["f52_crowded"] = True
    st.session_state["f52_steps"] = five_in_two.CROWDED_STEPS
    return True


def _chosen_instance() -> int:
    if len(densities) == 1:
        return 0
    labels = [f"{p:.3g}" for p in densities]
    chosen = st.select_slider("Inspect the model at density", labels, value=labels[-1], key="f52_inspect")
    return labels.index(chosen)


with predict_box():
    predict.ask("five_in_two_count", f"p{min(densities):g}", started=predict.run_started("f52:run"))
if st.session_state.get("f52_crowded") and steps == five_in_two.CROWDED_STEPS:
    st.info(crowded_note(mode == SWEEP and starts == presets.INTRO_5IN2_STARTS))
live_training("f52:run", cfg, render, lighter=_lighter_first_run)

st.subheader("What to notice")
prose(
    f"""
- **Dense features (p = 1)**: only features 0 and 1 get a direction, at right angles, with length 1. The model
  does what PCA would: keep the two most important features exactly and drop the rest. The dropped features' biases
  settle near ½, their average value, which is the best a model can do without storing them.
- **80% sparsity (p = 0.2)**: the paper's middle panel. Four features are stored as **two antipodal pairs**
  (*antipodal pair*: two features on one line, pointing opposite ways), the pairs at right angles, and one feature is left out: in the
  paper the least important, feature 4. Our runs sometimes leave out feature 3 instead, which counts only a little
  more (0.9³ against 0.9⁴); the caption says which.
- **90% sparsity (p = 0.1) and rarer**: all five features are stored as the corners of a **regular pentagon**, 72°
  apart, with lengths a bit above 1 and small negative biases.
- Why this can pay: when features are rare, two of them are seldom active together. The ReLU and a negative bias
  then remove most of the *interference*, the small false signal each feature leaks onto the others.
- **Why best of several starts**: training from one random start can stop in a worse arrangement. With a single
  start, seed 0 stores all five features at a denser setting than some four-feature panels, the reverse of the
  paper's order (set the starts to 1 to see it). With the best of {presets.INTRO_5IN2_STARTS} starts per density,
  {len(five_in_two.SEQUENCE_SEEDS_MATCHING)} of the {len(five_in_two.SEQUENCE_SEEDS_TRIED)} seeds we tried
  ({", ".join(map(str, five_in_two.SEQUENCE_SEEDS_MATCHING))}) draw the paper's sequence; the others already store
  all five features at p = 0.2, one panel early. The caption under the panels says, for the run you trained,
  what each panel drew.
""",
    "Dense features: the top two at right angles. 80% sparsity: two antipodal pairs, feature 4 left out. "
    "90% sparsity: all five as a pentagon, with the ReLU clipping the interference.",
)
with st.expander("The settings, exactly"):
    st.markdown(
        f"""
n = 5 features, m = 2 hidden dimensions, importance *I*ᵢ = {decay:g}ⁱ, densities {", ".join(f"{p:.3g}" for p in densities)}.
Data: each feature is 0 with probability 1 − p, otherwise uniform on [0, 1], fresh every step.
Loss: importance-weighted squared error averaged over batch and features. AdamW, learning rate 0.001,
weight decay 0.01, batch 1024, {cfg.steps:,} steps, seed {cfg.seed}. Best of {cfg.n_seeds} random start(s) per
density: the panel shows the start with the lowest training loss over the last 50 steps. Arrangement names (read
from the weights): a feature is stored if ‖Wᵢ‖ > 0.5; two stored features form an antipodal pair when each is the
other's most opposite partner with cosine below −0.9; "at right angles" allows |cos| < 0.2; a pentagon needs every
angle between neighbouring directions within 10° of 72°.
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
