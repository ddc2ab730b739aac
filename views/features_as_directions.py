"""Chapter: what a feature is, and features as directions (linear representations), trained live."""

import numpy as np
import streamlit as st

from core.chapters import features_as_directions as rep
from core.chapters import features_as_directions_predict
from ui import predict
from ui.chapters.features_as_directions import CLOUD_BATCH, embedding_panel, model_panel
from ui.layout import intro, predict_box, settings_box
from ui.live import get_run, live_training, untrained
from ui.quiz import self_check
from ui.state import chart_scale, preset_button, prose, seed_input

st.title("Features as directions")
intro(
    """
A **feature** is a property of the input that a network tracks: "this word is plural", "there is a curve here".
Each example switches some features on, each with a strength *x*ᵢ. The paper's working assumption is a
**linear representation**: feature *i* has its own direction *W*ᵢ in the hidden space, and the hidden vector is
simply the sum of every active feature's direction, scaled by its value:

  **h = x₀ W₀ + x₁ W₁ + … = Σᵢ xᵢ Wᵢ**

Below, a small model with room for every feature (as many hidden dimensions as features, or more) learns its
directions while you watch. Then build an input yourself and see the sum happen.
""",
    "A linear representation: the hidden vector is the sum of each active feature's direction, scaled by its value.",
)

with settings_box():
    left, right = st.columns(2)
    n = left.select_slider("Features n", [2, 3], value=2, key="fad_n", bind="query-params")
    m = left.select_slider(
        "Hidden dimensions m (at least n, so every feature fits)",
        [3, 4, 5, 6],
        value=3,
        key="fad_m",
        bind="query-params",
    )
    density = right.select_slider(
        "**Density p**: the chance a feature is non-zero (1 = always on)",
        options=[1.0, 0.5, 0.2, 0.1],
        value=1.0,
        key="fad_density",
        bind="query-params",
    )
    seed = seed_input(right, "fad_seed")
    steps = right.select_slider(
        "Training steps (AdamW, lr 0.001, batch 1024)",
        [1_000, 3_000, 10_000],
        10_000,
        key="fad_steps",
        bind="query-params",
    )
    preset_button(
        "Paper settings",
        {"fad_n": 2, "fad_m": 3, "fad_density": 1.0, "fad_steps": 10_000, "fad_seed": 0},
        key="fad_paper",
        help="The paper's model and training recipe (a ReLU on the output, AdamW, 10,000 steps, dense features, every "
        "feature counting the same) at a size with room for every feature: 2 features, 3 hidden dimensions. The paper has no figure "
        "for this toy; it is the baseline its experiments start from.",
    )
cfg = rep.directions_config(n=int(n), m=int(m), density=float(density), seed=int(seed), steps=int(steps))

panel_slot = st.container()  # the live panel first; the input you build is drawn below it
st.subheader("Build an input")
st.caption(
    "Switch features on, set their values, and watch the hidden vector h in the figure above (it updates during "
    "training too)."
)
DEFAULT_X = [0.8, 0.5, 0.6]
cols = st.columns(3)
x_input = np.zeros(int(n))
for i in range(int(n)):
    with cols[i]:
        on = st.toggle(f"Feature {i} on", value=i < 2, key=f"fad_on{i}", bind="query-params")
        value = st.slider(
            f"Value x{i}", 0.0, 1.0, DEFAULT_X[i], 0.05, key=f"fad_x{i}", bind="query-params", disabled=not on
        )
        x_input[i] = value if on else 0.0


KIND, CONTEXT = "features_as_directions_angle", f"n{n}_m{m}_p{density:g}_seed{seed}_steps{steps}"


def render(view) -> None:
    model_panel(view, cfg, x_input, chart_scale())
    if not untrained(view):
        angle = features_as_directions_predict.angle_option(view.W[0])
        predict.reveal(KIND, CONTEXT, angle, view.steps_done >= cfg.steps)


with panel_slot:
    with predict_box():
        predict.ask(KIND, CONTEXT, started=get_run("fad:run", cfg).trainer.step > 0)
    live_training("fad:run", cfg, render)

st.subheader("What to notice")
st.markdown(
    """
- **Left, top.** The dashed arrows are the learned directions *W*ᵢ. Your input's hidden vector is built by walking
  x₀ along *W*₀, then x₁ along *W*₁: the grey arrow is where you end up. Switch a feature off and its piece
  disappears; halve its value and its piece halves. That is all "linear representation" means.
- **Left, bottom.** Reading the same *h* neuron by neuron mixes the features: each hidden coordinate is a blend of
  several pieces. The coordinates are not the features; the directions are.
- **Right.** Real inputs land in a cloud. Its edges (or, with rare features, its spikes) run along the coloured
  feature arrows, not along the grey neuron axes, which point wherever the random start left them. With n = 2,
  the cloud lies flat in a plane, and PCA finds that plane: the two principal axes hold almost all the variance.
- **Training.** From a random start the directions spread until they are at right angles with length 1: with room
  for every feature, nothing needs to share.
"""
)

st.header("The same idea in word embeddings")
prose(
    f"""
Word embeddings are the classic linear representation: *king − man + woman* lands near *queen*. Here is a
made-up table of {len(rep.VOCAB)} words, **built in the app** so that you can see why. Each word vector is a concept vector
("person", "apple", …), plus one fixed direction for each property the word has (female, royal, plural), plus a
little random noise of its own. Nothing is downloaded or learned: the directions are the whole story.
""",
    "In this made-up word table, properties such as gender or plural are directions: king − man + woman ≈ queen.",
)
with st.container(border=True):
    c1, c2, c3 = st.columns(3)
    dim = c1.slider("Embedding dimensions d", 4, 128, 32, key="fad_dim", bind="query-params")
    noise = c1.slider("Noise per word (its own random part)", 0.0, 2.0, 0.3, 0.1, key="fad_noise", bind="query-params")
    emb_seed = c1.number_input("Table seed", 0, 2**31 - 1, 0, key="fad_embseed", bind="query-params")
    words = list(rep.VOCAB)
    a = c2.selectbox("a", words, index=words.index("king"), key="fad_a", bind="query-params")
    b = c2.selectbox("− b", words, index=words.index("man"), key="fad_b", bind="query-params")
    c = c2.selectbox("+ c", words, index=words.index("woman"), key="fad_c", bind="query-params")
    attribute = c3.radio("Property direction to inspect", rep.ATTRIBUTES, key="fad_attr", bind="query-params")

emb = rep.build_embeddings(dim=int(dim), noise=float(noise), seed=int(emb_seed))
embedding_panel(emb, a, b, c, attribute, chart_scale())
st.markdown(
    """
- *woman − man*, *queen − king* and *women − men* are (nearly) the same vector: the gender direction. Adding it to
  *king* moves you to *queen*. Try *kings − king + apple*: the plural direction is shared by people and objects.
- Raise the noise: the analogy starts to miss. Raise the dimensions: it recovers, because random noise in many
  dimensions is almost orthogonal to the property directions (more on that in chapter 3).
"""
)

with st.expander("The settings, exactly"):
    st.markdown(
        f"""
**Live model.** n = {n} features, m = {m} hidden dimensions, h = W x and x' = ReLU(Wᵀ h + b) (chapter 4 sets this
model out), every feature counting the same in the loss, density p = {density:g} (each feature 0 with probability 1 − p, otherwise uniform on [0, 1], fresh
every step). AdamW, learning rate 0.001, weight decay 0.01, batch 1024, {int(steps):,} steps, seed {int(seed)}.
The PCA view uses {CLOUD_BATCH} inputs from a fixed sample.

**Embedding table.** d = {dim}. Concepts and the three property directions are random unit vectors; each word adds
Gaussian noise of expected length about {noise:g}. The analogy ranks words by cosine similarity to a − b + c.
"""
    )

self_check(
    [
        (
            "If h = Σ xᵢ Wᵢ, what happens to h when you double one feature's value?",
            "Only that feature's piece doubles: h moves further along that feature's direction Wᵢ by xᵢWᵢ again. "
            "Every other piece stays where it was.",
        ),
        (
            "Why can't you read feature 0's value off hidden neuron 0?",
            "Nothing in this model makes the neuron axes special. Each neuron's value is a blend of every feature's "
            "piece, so feature 0 is spread over several neurons. You read it by projecting h onto W₀'s direction.",
        ),
        (
            "In the word table, why does king − man + woman land near queen?",
            "king and man share everything except royalty, so king − man leaves (roughly) the royalty direction. "
            "Adding woman gives a female, royal person, which is how queen was built. The leftover noise decides how "
            "close it lands.",
        ),
    ]
)
