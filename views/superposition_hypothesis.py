"""Chapter: the superposition hypothesis. Almost-orthogonal directions, compressed sensing, and W^T W on a model."""

import streamlit as st

from core.chapters import superposition_hypothesis as hyp
from core.chapters import superposition_hypothesis_predict
from core.chapters import superposition_hypothesis_properties as properties
from core.train import TrainResult
from ui import predict
from ui.chapters.superposition_hypothesis import model_panel, orthogonality_panel, sensing_panel, sensing_sentence
from ui.layout import predict_box, settings_box
from ui.live import get_run, live_training, untrained
from ui.quiz import self_check
from ui.state import chart_scale, preset_button, prose, seed_input

st.title("The superposition hypothesis")
prose(
    """
If features are directions, a layer with *m* dimensions can hold *m* features at exact right angles and no more.
The **superposition hypothesis** says networks do better: they store **more features than dimensions**, as
directions that are only *almost* at right angles. Two facts from mathematics make this plausible, and you can
check both here. Then we train a model and test whether it really does it.
""",
    "Networks may store more features than they have dimensions, as almost-orthogonal directions.",
)

st.header("1. High-dimensional space has room for many almost-orthogonal directions")
prose(
    """
Pick random directions in *m* dimensions and measure the cosine of the angle between pairs. In 2 or 3 dimensions
the cosines are spread all over; in hundreds of dimensions they crowd near 0, with a spread of about 1/√m. So if
you accept a small overlap ε, you can fit **exponentially many** directions in *m* dimensions (the
Johnson–Lindenstrauss lemma), not just *m*.
""",
    "Allow a small overlap ε and the number of directions that fit grows exponentially with m.",
)
with st.container(border=True):
    c1, c2, c3 = st.columns(3)
    m_dim = c1.select_slider(
        "Dimensions m (histogram)", [2, 3, 5, 10, 20, 50, 100, 200, 500, 1000], 100, key="sh_m", bind="query-params"
    )
    eps = c2.select_slider(
        "Allowed overlap ε (largest |cos| still counted as almost orthogonal)",
        [0.2, 0.25, 0.3, 0.4, 0.5],
        0.3,
        key="sh_eps",
        bind="query-params",
    )
    vec_seed = seed_input(c3, "sh_vseed")
orthogonality_panel(int(m_dim), float(eps), int(vec_seed), chart_scale())

st.header("2. Sparse vectors survive being squeezed (compressed sensing)")
prose(
    """
Take a vector with 100 entries, almost all zero, like the features of one example. Multiply it by a random
*m* × 100 matrix: now you have only *m* numbers. Ordinary linear algebra says 100 unknowns need 100 equations,
yet as long as the vector is **sparse enough**, it can be recovered exactly, for example by finding the
solution with the smallest sum of entries (L1 minimisation). Make the vector denser and recovery breaks down.
The paper's toy model (**the ReLU-output model**: x' = `ReLU(Wᵀ W x + b)`, set out in chapter 4) is a much cruder
one-step decoder, but it bets on the same thing.
""",
    "A sparse vector squeezed into fewer numbers can still be recovered; a dense one cannot.",
)
with st.container(border=True):
    c1, c2, c3 = st.columns(3)
    m_meas = c1.select_slider(
        "Measurements m (numbers kept out of 100)", [10, 20, 30, 40, 50, 60, 80], 40, key="sh_csm", bind="query-params"
    )
    k = c1.slider("Non-zeros k in the vector (its density is k / 100)", 1, 100, 5, key="sh_k", bind="query-params")
    method_label = c2.radio("Recovery method", list(hyp.RECOVERY), key="sh_method", bind="query-params")
    cs_seed = c3.number_input("Seed (sparse vectors)", 0, 2**31 - 1, 0, 1, key="sh_csseed", bind="query-params")
sensing_panel(int(m_meas), int(k), hyp.RECOVERY[method_label], int(cs_seed), chart_scale())

st.header("3. Is a trained model in superposition?")
prose(
    """
In a model, feature *i* is stored along *W*ᵢ. **Wᵀ W**: the Gram matrix, which holds every pair's overlap *W*ᵢ·*W*ⱼ.
If the stored features had a private dimension each, this matrix (restricted to them) would be invertible. The
paper's definition: a model is **in superposition when Wᵀ W is not invertible**, because then more features share
the space than it has dimensions. Train the paper's model (20 features, 5 dimensions) and check. Features with
‖Wᵢ‖ ≤ 0.5 count as not stored: a dropped feature makes the matrix singular without sharing anything.
""",
    "A model is in superposition when Wᵀ W, over the features it stores, is not invertible.",
)
MODELS = {"ReLU output (the paper's main model)": "relu_output", "ReLU hidden layer (privileged basis)": "relu_hidden"}
with settings_box():
    c1, c2, c3 = st.columns(3)
    model_label = c1.radio("Model", list(MODELS), key="sh_model", bind="query-params")
    density = c2.select_slider(
        "**Density p**: the chance a feature is non-zero (1 = dense)",
        [1.0, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001],
        0.03,
        key="sh_density",
        bind="query-params",
    )
    seed = c3.number_input("Seed (model)", 0, 2**31 - 1, 0, 1, key="sh_seed", bind="query-params")
    model = MODELS[model_label]
    # One steps control per model, so each starts at its own default: the ReLU-hidden model needs about
    # 15,000 steps before its dense features settle on single neurons (hyp.DEFAULT_STEPS).
    steps = c3.select_slider(
        "Training steps (AdamW, lr 0.001, batch 1024)",
        [2_000, 5_000, 10_000, 20_000],
        hyp.DEFAULT_STEPS[model],
        key=f"sh_steps_{model}",
        bind="query-params",
    )
    preset_button(
        "Paper settings",
        {"sh_model": list(MODELS)[0], "sh_density": 0.03, "sh_seed": 0, "sh_steps_relu_output": 10_000},
        key="sh_paper",
        help="The paper's basic-results model: n = 20, m = 5, importance 0.7ⁱ, ReLU output, 10,000 steps, at density "
        "0.03 (one of its seven densities), best of 4 starts.",
    )
cfg = hyp.model_config(model, float(density), int(seed), int(steps))
KIND, CONTEXT = "superposition_hypothesis_gram", f"{model}_p{density:g}_seed{seed}_steps{steps}"


def render(view: TrainResult) -> None:
    model_panel(view, cfg, chart_scale())
    if not untrained(view):
        verdict = superposition_hypothesis_predict.gram_verdict(view.W[0])
        predict.reveal(KIND, CONTEXT, verdict, view.steps_done >= cfg.steps)


with predict_box():
    predict.ask(KIND, CONTEXT, started=get_run("sh:run", cfg).trainer.step > 0)
live_training("sh:run", cfg, render)

prose(
    """
**The hierarchy of properties.** The paper orders what we may hope is true of a representation, each property
building on the one before:
*decomposable* (the hidden vector is a sum of separate parts, one per feature, h(x) = Σᵢ h(xᵢeᵢ)), then *linear*
(each part is the feature's value times a fixed direction, h(x) = Σᵢ xᵢ h(eᵢ)), then, for a linear representation,
*in superposition* or not, and finally *basis-aligned* (each feature on a neuron of its own), a question that only
makes sense when the architecture privileges a basis. The table under the model checks each one numerically, on
inputs with at least two active features, and skips a property whose parent fails.

One case surprises people. A **ReLU-hidden model in superposition is not decomposable**: when two features share
a neuron, the ReLU cuts off the negative interference one causes in the other, so h of the pair is not the sum of
h of each alone. Yet each single feature is still a direction: h(xᵢeᵢ) = xᵢ h(eᵢ) for xᵢ ≥ 0. The "no" is about
how features *combine* in the hidden layer, not a sign that there are no features.
""",
    "Decomposable, then linear, then in superposition or not, then basis-aligned; a ReLU-hidden model in "
    "superposition fails the first, because the ReLU cuts off interference.",
)

st.subheader("What to notice")
st.markdown(
    f"""
- **Histogram**: as m grows the |cos| distribution narrows around 0 (the bars match the exact curve). At m = 2 almost
  no pair is within ε = 0.3 of orthogonal; at m = 1000 essentially every pair is.
- **Counting**: the dots climb in a straight line on the log axis, like the exponential curves beside them, and
  cross the grey line N = m: past that point random directions already beat a perfectly orthogonal basis.
  Random draws are a poor packing; careful arrangements fit far more.
- **Compressed sensing** (the curve above): {sensing_sentence(int(m_meas), hyp.RECOVERY[method_label], int(cs_seed))}
- **The model**: at p = 1 it stores 5 features at right angles, Wᵀ W is invertible: no superposition. At p = 0.03
  it stores about 10 or more in the same 5 dimensions; eigenvalues past the 5th are 0, so Wᵀ W is singular.
- **The ReLU-hidden model** ({hyp.DEFAULT_STEPS["relu_hidden"]:,} steps): at p = 1 the table reads decomposable and
  linear (approximately: errors below {properties.APPROX_TOL:g}), not in superposition, and basis-aligned: the five most
  important features get one neuron each. At p = 0.03 it reads **not decomposable**, and the rows below it not
  applicable: features share neurons and the ReLU cuts off their interference.
"""
)

with st.expander("The settings, exactly"):
    st.markdown(
        f"""
**Vectors.** Random unit vectors are normalised Gaussian draws (numpy, seed {vec_seed}). The exact |cos| density is
2(1 − t²)^((m−3)/2) / B(½, (m−1)/2); (1 + cos)/2 follows Beta((m−1)/2, (m−1)/2). The counting experiment stops at
the first pair with |cos| ≥ ε, {hyp.FIT_SEEDS} runs per m, at most {hyp.FIT_CAP} vectors.

**Compressed sensing.** x ∈ R¹⁰⁰ with k non-zeros, uniform on [0, 1] (like the toy features); A has N(0, 1/m) entries.
L1 minimisation solves min Σxᵢ subject to A x = y, x ≥ 0 with scipy's HiGHS linear-programming solver; orthogonal
matching pursuit adds the best-matching column and refits until the residual vanishes.

**Model.** n = 20, m = 5, *importance*: feature i's error counts 0.7ⁱ in the loss; density p = {density:g}, {MODELS[model_label]} model, AdamW lr 0.001,
weight decay 0.01, batch 1024, {int(steps):,} steps, best of 4 starts (**best of N starts**: N runs from random weights, the lowest-loss
one kept), seed {seed}.
"""
    )

self_check(
    [
        (
            "Why doesn't the number of almost-orthogonal directions stop at m?",
            "Exactly orthogonal directions stop at m, but allowing |cos| < ε changes the count completely: random "
            "directions in high dimensions overlap by only about 1/√m, so the number that fit grows exponentially "
            "with m for any fixed ε.",
        ),
        (
            "Compressed sensing recovers a sparse x from fewer numbers. What goes wrong as x gets denser?",
            "More non-zeros means more unknowns to pin down. Once k nears the number of measurements, many sparse "
            "vectors fit the same measurements and the method picks the wrong one.",
        ),
        (
            "A model with n = 20 and m = 5 always has a singular 20 × 20 matrix Wᵀ W. Why is it not always in "
            "superposition?",
            "Singularity only counts among the features the model stores. A dense model stores 5 features at right "
            "angles and drops the rest (‖Wᵢ‖ ≈ 0); restricted to the stored five, Wᵀ W is the identity: invertible.",
        ),
    ]
)
