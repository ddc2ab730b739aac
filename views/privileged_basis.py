"""Chapter: privileged vs non-privileged bases. A linear bottleneck and a ReLU hidden layer under rotation."""

import streamlit as st

from core.chapters import privileged_basis_predict
from core.presets import privileged_basis as privileged_basis_presets
from ui import linked, predict
from ui.chapters.privileged_basis import EVAL_BATCH, FOLLOW_HINT, LINKED, PCA_ROWS, Rotation, model_panel
from ui.demonstrating import play_all_button
from ui.layout import intro, predict_box, settings_box
from ui.live import get_run, live_training
from ui.quiz import self_check
from ui.state import chart_scale, presenting, preset_button, seed_input

st.title("Privileged and non-privileged bases")
intro(
    """
Hidden layers come with coordinates: hidden unit 0, hidden unit 1, and so on. Do those coordinates *mean*
anything? It depends on the architecture. If nothing in the network treats the coordinates differently, you can
**rotate** the hidden space by any orthogonal matrix *M* (h → h M), undo it in the next layer (multiply its
weights by *M*ᵀ), and get exactly the same network. The coordinates are then a **non-privileged basis**: an
accident of the random start. An elementwise nonlinearity such as a ReLU on the hidden layer breaks that
symmetry, because ReLU(h M) is not ReLU(h) M. Its coordinates become **neurons**, a **privileged basis**, and
features may line up with them.

Train both models on the same data, then turn the hidden space and compare.
""",
    "Rotating a linear model's hidden space changes nothing; rotating a ReLU layer's hidden space changes the model.",
)

with settings_box():
    c1, c2, c3 = st.columns(3)
    n = c1.slider("Features n", 2, 12, 10, key="pb_n", bind="query-params")
    m = c1.select_slider("Hidden dimensions m", [2, 3, 4, 5, 6], value=5, key="pb_m", bind="query-params")
    density = c2.select_slider(
        "**Density p**: the chance a feature is non-zero (1 = dense)",
        options=[1.0, 0.3, 0.1, 0.03, 0.01],
        value=1.0,
        key="pb_density",
        bind="query-params",
    )
    decay = c2.slider(
        "**Importance decay r**: feature i's error counts rⁱ in the loss",
        0.5,
        1.0,
        0.75,
        0.05,
        key="pb_decay",
        bind="query-params",
    )
    seed = seed_input(c3, "pb_seed")
    steps = c3.select_slider(
        "Training steps (AdamW, lr 0.001, batch 1024)",
        [5_000, 10_000, 30_000],
        30_000,
        key="pb_steps",
        bind="query-params",
        help="The ReLU model lines its features up with the neurons slowly: after 10,000 steps it is often still "
        "on its way, after 30,000 it has usually arrived.",
    )
    n_seeds = c3.select_slider(
        "Keep the best of N starts",
        [1, 4, 16],
        value=1,
        key="pb_nseeds",
        bind="query-params",
        help="**Best of N starts**: each model is trained from N random starts and the lowest-loss one is shown (the paper kept the best "
        "of 1000). With dense features the aligned and the half-aligned solutions have almost the same loss, so "
        "this helps less than training longer.",
    )
    preset_button(
        "Paper settings",
        {"pb_n": 10, "pb_m": 5, "pb_density": 1.0, "pb_decay": 0.75, "pb_seed": 0, "pb_steps": 30_000, "pb_nseeds": 1},
        key="pb_paper",
        help="The paper's privileged-basis model: n = 10 features, m = 5 neurons, importance 0.75ⁱ, dense features, "
        "AdamW at lr 0.001 (30,000 steps here, so the ReLU model has time to settle). Set the density lower "
        "afterwards to see polysemantic neurons.",
    )


cfgs = privileged_basis_presets.privileged_configs(
    n=int(n),
    m=int(m),
    density=float(density),
    decay=float(decay),
    seed=int(seed),
    steps=int(steps),
    n_seeds=int(n_seeds),
)

# Predict and Train both on one row, the two models next, and the rotation under them: the first screen shows
# the models' figures and their Play buttons; turning the space redraws the figures above the slider.
ask_here, both_here = st.columns([3, 1], vertical_alignment="center")
models_here = st.container()
rotate_here = st.container(border=True)
with rotate_here:
    if not presenting():
        st.markdown(
            "**Rotate the hidden space** (M on the hidden vector, Mᵀ on the weights after it; the data stay fixed)"
        )
    r1, r2, r3 = st.columns([3, 2, 1] if presenting() else [2, 2, 1])
    mode = r1.radio(
        "Rotation",
        ["Turn neurons 0 and 1 (a plane)", "Turn all neurons (a random rotation)"],
        key="pb_mode",
        bind="query-params",
        horizontal=presenting(),
    )
    angle = r2.slider("Angle θ (degrees)", 0, 360, 0, 5, key="pb_angle", bind="query-params")
    rot_seed = r3.number_input(
        "Rotation seed",
        0,
        2**31 - 1,
        0,
        1,
        key="pb_rotseed",
        bind="query-params",
        disabled=mode.startswith("Turn neurons"),
        help="Picks the random direction of turning (used by the random rotation only).",
    )
rot = Rotation("plane" if mode.startswith("Turn neurons") else "random", float(angle), int(rot_seed))

KIND, CONTEXT = "privileged_basis_rotation", "plane45"
with ask_here, predict_box():
    predict.ask(KIND, CONTEXT, started=any(get_run(f"pb:{model}", cfg).trainer.step > 0 for model, cfg in cfgs.items()))
with both_here:
    play_all_button([f"pb:{model}" for model in cfgs], key="pb_play_both")
with models_here:  # once, above both panels; each panel catches up when a click in it moves the pick
    linked.follow_bar(LINKED, int(n), FOLLOW_HINT)
# On a projector the two models sit side by side: the comparison is the point.
places = models_here.columns(2) if presenting() else [models_here.container(), models_here.container()]
for place, (model, heading, blurb) in zip(
    places,
    [
        ("linear", "Linear bottleneck", "h = W x, x' = Wᵀ h + b: nothing acts on single coordinates of h."),
        ("relu_hidden", "ReLU hidden layer", "h = ReLU(W x), x' = ReLU(Wᵀ h + b): the ReLU acts on each coordinate."),
    ],
):
    with place:
        st.subheader(heading)
        if not presenting():  # on a projector the model's equation goes under its figures
            st.caption(blurb)
        cfg = cfgs[model]
        live_training(f"pb:{model}", cfg, lambda view, cfg=cfg: model_panel(view, cfg, rot, chart_scale()))
        if presenting():
            st.caption(blurb)

views = {model: get_run(f"pb:{model}", cfg).trainer.view() for model, cfg in cfgs.items()}
if any(view.steps_done > 0 for view in views.values()):  # graded once both models have trained to the end
    trained = {model: (cfgs[model], views[model].W[0], views[model].b[0]) for model in cfgs}
    done = all(views[model].steps_done >= cfgs[model].steps for model in cfgs)
    predict.reveal(KIND, CONTEXT, privileged_basis_predict.whose_loss_changes(trained) if done else None, done)

st.subheader("What to notice")
st.markdown(
    """
- **The linear model's loss curve is flat.** Every angle gives the same loss, to about 15 significant digits:
  W M (W M)ᵀ = W M Mᵀ Wᵀ = W Wᵀ, so the rotated model computes exactly the same function. Its weights in the neuron
  basis look like a random mix, and they change as you turn, because the neuron axes mean nothing.
- **The ReLU model's loss is not.** Turning mixes features into each neuron before the ReLU, so negative parts get
  cut off and the output changes: the loss rises away from 0° (and, for the two-neuron turn, comes back at 360°). The basis matters.
- **With dense features, the ReLU model is monosemantic** (*monosemantic*: each neuron responds to one feature): each of the five neurons carries one of the five most
  important features (a permutation), so each stored feature's largest-weight share in the neuron basis is near 1.
  In the PCA basis it is not: PCA's axes come from the data's variance, not from the architecture.
- **Lower the density** and the ReLU model starts storing more features than it has neurons; neurons become
  polysemantic (*polysemantic*: responding to several features) and the shares fall, although the basis is still privileged.
"""
)

with st.expander("The settings, exactly"):
    st.markdown(
        f"""
Both models: n = {n}, m = {m}, importance rⁱ with r = {decay:g}, density p = {density:g} (each feature 0 with
probability 1 − p, else uniform on [0, 1]), tied weights, output bias only. AdamW, lr 0.001, weight decay 0.01,
batch 1024, {int(steps):,} steps, best of {n_seeds} starts, seed {seed}.
Rotation: the plane mode turns neurons 0 and 1 by θ; the random mode is M = exp(θA) for a seeded random
antisymmetric A scaled so no plane turns by more than θ. Losses are evaluated in float64 on one fixed batch of
{EVAL_BATCH:,} inputs; the PCA basis comes from the model's own hidden activations on {PCA_ROWS:,} of them.
"""
    )

self_check(
    [
        (
            "Why can a linear bottleneck not have a privileged basis?",
            "Any rotation M of its hidden space can be undone by the next layer (multiply by Mᵀ), giving the same "
            "function and the same loss. Training has no reason to prefer one set of axes, so which one you get is "
            "an accident of the initialisation.",
        ),
        (
            "What exactly breaks the symmetry in the ReLU hidden-layer model?",
            "The ReLU is applied to each coordinate separately: ReLU(h M) ≠ ReLU(h) M for most rotations. Which "
            "coordinates get clipped depends on the axes, so the axes now matter.",
        ),
        (
            "A privileged basis guarantees monosemantic neurons. True or false?",
            "False. It only makes the neuron basis meaningful. Whether features line up with neurons depends on "
            "the data: with sparse features the same model packs several features into each neuron (**superposition**: more features than dimensions).",
        ),
    ]
)
