"""Chapter: mathematical understanding. Where the loss comes from, two features in one dimension, and Thomson."""

import streamlit as st

from core.config import ToyConfig
from ui import predict
from ui.chapters import math_understanding_explorer, math_understanding_thomson
from ui.chapters.math_understanding_live import PREDICT_KIND, make_render
from ui.export import gathered_downloads
from ui.layout import intro, predict_box, settings_box
from ui.live import get_run, live_training
from ui.quiz import self_check
from ui.state import preset_button, prose, seed_input

st.title("Mathematical understanding")
intro(
    """
Why does a ReLU model put features in superposition while a linear model never does? The loss answers it.
Write the loss out, group its pieces, and two forces appear: **feature benefit** (the reward for storing a
feature well) and **interference** (the price of features sharing directions). This page computes both from
the model as it trains, lets you move two features around by hand, and ends with a century-old physics puzzle
that turns out to be the same problem.
""",
    "Two forces decide where features go: feature benefit (storing a feature well) and interference (features sharing directions).",
)

st.header("1 · The loss, split while the model trains")

MODELS = {"ReLU output: x' = ReLU(WᵀWx + b)": "relu_output", "Linear: x' = WᵀWx + b": "linear"}
SIZES = {
    "20 features → 5 dimensions (basic results)": (20, 5),
    "5 → 2 (the opening example)": (5, 2),
    "80 → 20 (larger variant)": (80, 20),
}
DENSITIES = [1.0, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001]
PAPER = {
    "mu_model": next(iter(MODELS)),
    "mu_size": next(iter(SIZES)),
    "mu_density": 0.01,
    "mu_decay": 0.7,
    "mu_steps": 10_000,
    "mu_seed": 0,
    **math_understanding_explorer.DEFAULTS,
    **math_understanding_thomson.DEFAULTS,
}
with settings_box():
    left, mid, right = st.columns(3)
    model_label = left.radio("Model", list(MODELS), key="mu_model", bind="query-params")
    size_label = left.selectbox("Features n → hidden dimensions m", list(SIZES), key="mu_size", bind="query-params")
    p = mid.select_slider(
        "Feature density p = 1 − S (chance a feature is non-zero)",
        DENSITIES,
        0.01,
        key="mu_density",
        bind="query-params",
    )
    decay = mid.slider(
        "Importance decay r (feature i counts rⁱ)", 0.5, 1.0, 0.7, 0.05, key="mu_decay", bind="query-params"
    )
    steps = right.select_slider(
        "Training steps (AdamW, lr 0.001, batch 1024)",
        [1_000, 2_000, 5_000, 10_000],
        10_000,
        key="mu_steps",
        bind="query-params",
    )
    seed = seed_input(right, "mu_seed")
    preset_button(
        "Paper settings",
        PAPER,
        key="mu_paper",
        help="The paper's basic-results model (n = 20, m = 5, importance 0.7^i, density 0.01, 10,000 steps), an antipodal "
        "pair in the explorer and the pentagon (5 features, 2 dimensions, density 0.05) in the Thomson section.",
    )

model = MODELS[model_label]
n, m = SIZES[size_label]
cfg = ToyConfig(
    model=model,
    n_features=n,
    n_hidden=m,
    feature_probability=float(p),
    importance=float(decay),
    steps=int(steps),
    seed=int(seed),
    snapshot_every=max(1, int(steps) // 50),
)
CONTEXT = f"{model}_n{n}m{m}_p{float(p):g}_r{float(decay):g}_t{int(steps)}_s{int(seed)}"
with predict_box():
    predict.ask(PREDICT_KIND, CONTEXT, started=get_run("mu:run", cfg).trainer.step > 0)
live_training("mu:run", cfg, make_render(model, float(p), cfg.broadcast()[1][0], m, CONTEXT))

st.subheader("Where the two terms come from")
st.markdown(
    "For the **linear model** `x' = WᵀW x + b` the loss splits exactly (our features have mean p/2, variance p/3 − p²/4):"
)
st.latex(
    r"\mathbb{E}\,L=\frac1n\sum_i I_i\Big[\underbrace{(1-\|W_i\|^2)^2\,\mathrm{Var}(x_i)}_{\text{feature benefit}}"
    r"+\underbrace{\sum_{j\ne i}(W_i\!\cdot\! W_j)^2\,\mathrm{Var}(x_j)}_{\text{interference}}"
    r"+\underbrace{\big(\mathbb{E}[x_i-x'_i]\big)^2}_{\text{bias error}}\Big]"
)
prose(
    """
Interference is a sum of squares: it can only add loss. So for a linear model, sharing directions never pays.
For the **ReLU model** `x' = ReLU(WᵀW x + b)`, group the inputs by how many features are on. If features are
rare, almost every input has none or one. With none on, the loss is L₀ = Σᵢ Iᵢ ReLU(bᵢ)², a penalty on positive
biases. With exactly one on, the loss is the paper's **1-sparse term**:
""",
    "In a linear model every overlap costs; in a ReLU model a negative overlap is free.",
)
st.latex(
    r"L_1=\underbrace{\sum_i I_i\int_0^1\!\big(x-\mathrm{ReLU}(\|W_i\|^2x+b_i)\big)^2dx}_{\text{feature benefit}}"
    r"+\underbrace{\sum_{i\ne j} I_j\int_0^1\!\mathrm{ReLU}\big((W_j\!\cdot\!W_i)\,x+b_j\big)^2dx}_{\text{interference}}"
)
st.markdown("Now the interference sits *inside* a ReLU: a negative overlap costs nothing.")

st.subheader("What to notice")
st.markdown(
    """
- **Linear model**: the interference line drops toward zero and the loss settles on the "best possible" line. The
  model keeps the *m* most important features at full length and drops the rest; those dropped features are the
  feature-benefit loss that remains. The exact loss (dashed) lies on the measured one: nothing else is going on.
- **ReLU model, sparse features** (p ≤ 0.01): L₁'s interference stays well below its feature benefit (under a
  third of it) even as more features than dimensions get stored, because most overlaps are negative or sit under a
  negative bias. The 0- and 1-sparse terms explain more than half of the measured loss at p = 0.01, and more of it
  at p = 0.001.
- **ReLU model, dense features** (p = 1): almost no input has only one feature on, so the sparse terms explain
  nothing; the ReLU model then behaves like the linear one.
"""
)

st.header("2 · Two features, one dimension")
prose(
    """
The smallest case that shows superposition: two features, one hidden number. Each feature gets a single weight Wᵢ
(its "direction" is just a sign), and each output has a bias bᵢ. With W = [1, −1] one number carries both features:
whichever is on pushes the hidden value up or down, and the ReLU throws away the negative leak. Move the point, or
switch to the full loss to see what that pair costs when both features happen to fire together.
""",
    "Two features, one number: W = [1, −1] stores both, and the ReLU throws away the negative leak.",
)
with gathered_downloads("two-features-one-dimension"):
    math_understanding_explorer.explorer()
prose(
    """
**Read the landscape.** In the sparse limit the antipodal corners (dashed diagonal) are perfect: zero loss. Set the
density high in the full view and the picture flips, because two features that are often on together collide.
A negative bias is the other escape: it lowers every pre-activation, so a *small positive* overlap ends up below
zero too and is clipped (try "Weak overlap + negative bias"; the cost is that the feature's own output is cut as well).
""",
    "Sparse: the antipodal pair is free. Dense: features collide, so dropping one wins.",
)

st.header("3 · The link to the Thomson problem")
prose(
    """
Fix every feature to the same importance, every length to 1 and every bias to 0. Feature benefit is then zero and
L₁ is only interference: each pair of directions at angle θ costs ReLU(cos θ)²/3 (twice, once per direction).
Minimising it means spreading unit vectors over a sphere so they push each other apart, which is J. J. Thomson's
1904 problem of electrons on a sphere with a different force law. Solve it below, then check a trained model.
""",
    "Unit lengths and zero bias turn L₁ into Thomson's problem: spread points on a sphere so they repel.",
)
with gathered_downloads("thomson"):
    math_understanding_thomson.explorer()
    st.subheader("Does a trained model solve it?")
    math_understanding_thomson.trained_vs_thomson()

THOMSON = math_understanding_thomson.uniform_5in2(0.05)
with st.expander("The settings, exactly"):
    st.markdown(
        f"""
**Live model:** {model_label}; n = {n} features, m = {m} hidden dimensions, importance Iᵢ = {decay:g}ⁱ, density
p = {p:g}. Data: each feature is 0 with probability 1 − p, otherwise uniform on [0, 1], fresh every step. Loss: the
mean over batch and features of Iᵢ(xᵢ − x'ᵢ)² (the paper's sum over features divided by n). AdamW, learning rate
0.001, weight decay 0.01, batch 1024, {cfg.steps:,} steps, seed {cfg.seed}. The split is computed from the weights
saved every {cfg.snapshot_every} steps, plus the current weights.

**Units:** the linear split and every "measured" number are training units (mean over features). L₀ and L₁ are
sums over features and over which feature is on, as in the paper; the prediction weights them by P(no feature on)
and P(only feature i on) = p(1 − p)ⁿ⁻¹ and divides by n. The explorer reports summed losses (both features added).

**Thomson comparison:** n = {THOMSON.n_features}, m = {THOMSON.n_hidden}, Iᵢ = 1, {THOMSON.steps:,} steps, best of
{THOMSON.n_seeds} seeds, features with ‖Wᵢ‖ > 0.5.
"""
    )

self_check(
    [
        (
            "The linear split has an interference term too. Why can a linear model never profit from superposition?",
            "Its interference is a sum of squared overlaps times positive variances, so any overlap adds loss. Storing an "
            "extra feature in a shared direction gains some feature benefit but always pays at least as much in "
            "interference; the best linear model keeps the top m features on orthogonal directions and drops the rest.",
        ),
        (
            "In L₁, why does an antipodal pair (W₀ = −W₁) cost nothing, while W₀ = W₁ costs a lot?",
            "When only feature 0 is on, output 1 receives (W₀·W₁)x + b₁. Antipodal means W₀·W₁ < 0, so with b₁ = 0 that "
            "is negative for every x > 0 and the ReLU outputs exactly 0: no interference. With W₀ = W₁ the leak is "
            "positive and passes straight through.",
        ),
        (
            "The trained sparse pentagon has lengths above 1 and negative biases, not the Thomson values 1 and 0. Why?",
            "Neighbours in a pentagon overlap positively (cos 72° ≈ 0.31). A negative bias pushes that small positive leak "
            "below zero, where the ReLU removes it. The bias also shortens each feature's own output, so the weights grow "
            "a little longer to make up for it. The (r, b) landscape shows this trade has a lower L₁ than Thomson's point.",
        ),
    ]
)
