"""Chapter: superposition and adversarial vulnerability. The paper's per-feature attack on trained models."""

import streamlit as st

from ui.chapters import adversarial as adv
from ui.layout import settings_box
from ui.quiz import self_check
from ui.state import preset_button, prose, seed_input

st.title("Superposition and adversarial vulnerability")
prose(
    """
An *adversarial example* is an input nudged by a tiny, carefully chosen amount that makes a model go badly wrong.
The paper asks whether superposition is one reason such nudges exist. The idea: a feature stored in superposition
shares its direction with other features, so an attacker can push on several of them at once and the pushes add up
in the one output they target. A feature with a dimension to itself offers no such leverage.
""",
    "Features that share directions give an attacker leverage: vulnerability rises as superposition grows.",
)

numbers = adv.asset_sweep()
if numbers is not None:
    adv.sweep_chart(numbers, "asset", "Vulnerability rises with superposition (n = 200, m = 20)")
    verdict = "agrees with" if numbers.rise > 3 else "does not reach"
    mean_rise, worst_rise = numbers.other_rises
    st.caption(
        f"The reference notebook's uniform sweep (n = 200, m = 20, precomputed), every model attacked. With dense "
        f"features vulnerability is {numbers.vulnerability[0]:.2f} and features per dimension "
        f"{numbers.features_per_dim[0]:.2f}; at the sparsest density (p = {numbers.densities[-1]:.2g}) they are "
        f"{numbers.vulnerability[-1]:.2f} and {numbers.features_per_dim[-1]:.2f}. The sparsest model is "
        f'{numbers.rise:.1f} times as vulnerable as the densest, which {verdict} the paper\'s "over 3 times". '
        f"Across the {len(numbers.densities)} densities the two curves are correlated at r = {numbers.correlation:.2f}; "
        "vulnerability grows more slowly than features per dimension. "
        + adv.plateau_text(numbers)
        + f" Other readings of the score rise too: averaging over the {numbers.n_features} attacks instead of keeping "
        f"the strongest gives {mean_rise:.1f} times, letting each input have its own worst attack "
        f"{worst_rise:.1f} times."
    )

st.header("The attack, and how we score it")
prose(
    r"""
The model is the ReLU-output model of the earlier chapters, $x' = \mathrm{ReLU}(W^\top W x + b)$. Add a small
$\delta$ to the input and output $i$'s pre-activation moves by $(W^\top W)_i \cdot \delta$, where $(W^\top W)_i$ is
the $i$-th column of $W^\top W$. With a fixed length $\|\delta\| = \varepsilon$, that dot product is largest when
$\delta$ points along the column itself:

$$\delta_i = \varepsilon \, \frac{(W^\top W)_i}{\|(W^\top W)_i\|}, \qquad \text{which moves output } i
\text{ by } \varepsilon\,\|(W^\top W)_i\|.$$

No other direction of the same length can move output $i$ further, with or without the ReLU. The column's length
is the attacker's leverage: $\|(W^\top W)_i\|^2 = \|W_i\|^4 + \sum_{j \ne i} (W_i \cdot W_j)^2$. A unit-length
feature with a dimension of its own has leverage 1; every other feature that overlaps it adds some.

**Budget.** As in the paper, $\varepsilon$ = 0.1 × the average length of an input at that density.

**Vulnerability.** The paper tries the attack on every feature and keeps the one that most harms the model, and
reports vulnerability relative to a model without superposition. We do the same: for each feature we measure the
attack's extra squared error (summed over all outputs, averaged over inputs, the model still asked to give back the
clean input), keep the largest, and divide by $\varepsilon^2$. That is exactly what a model with orthogonal unit
features suffers (it copies the nudge to the output), so such a model scores 1 and higher means the model amplifies
the attack. How the paper scores "harm" in detail is our reading of its text; the caption under the figure gives
two other readings too.

The asset keeps $W$ but not the biases; for each model we refit every bias $b_j$ for the stored $W$ (the value
that minimises that output's error on sampled inputs).
""",
    "The best small attack on feature i pushes along column i of WᵀW; its length is the attacker's leverage.",
)

st.header("Train your own and attack it")
with settings_box():
    left, right = st.columns([2, 1])
    left.markdown(
        f"n = {adv.LIVE_N} features of equal importance in m = {adv.LIVE_M} dimensions, one model per density "
        f"p = {', '.join(f'{p:g}' for p in adv.LIVE_DENSITIES)}. Each chart redraw attacks every model."
    )
    seed = seed_input(right, "adv_seed")
    preset_button(
        "Paper settings",
        {"adv_seed": 0, "adv_density": 0.1},
        key="adv_paper",
        help="Seed 0 and density 0.1 for the adversarial-training experiment; the budget is always the paper's.",
    )
adv.live_sweep(int(seed))

st.header("What adversarial training does")
prose(
    """
If superposition makes a model easy to attack, training on attacked inputs should push it away from superposition.
Below, three models with the same seed, start and data batches: one trained normally, two trained on inputs hit by
the strongest per-feature attack (recomputed every step) at two budgets. All three are then scored at the paper's
budget. The training loop is a small plain-numpy Adam loop (2,000 steps, batch 128), so it takes a few seconds.
The paper tried this briefly too (attacking a random feature rather than the strongest) and found that it did
reduce superposition, but removing it completely took attacks of about 80% of the input's length.
""",
    "Train on attacked inputs and the model stores fewer features per dimension.",
)
with st.container(border=True):
    left, right = st.columns([2, 1])
    density = left.select_slider(
        "Feature density p = 1 − S (chance a feature is non-zero)",
        options=list(adv.TRAIN_DENSITIES)[::-1],
        value=0.1,
        key="adv_density",
        bind="query-params",
    )
    go = right.button("Train the three models", key="adv_train", icon=":material/play_arrow:")
pair_key = f"adv_pair:{float(density):g}:{int(seed)}"  # results of the button, per density and seed
if go:
    with st.spinner("Training an ordinary and two adversarially trained models..."):
        st.session_state[pair_key] = adv.trained_pair(float(density), int(seed))
rows = st.session_state.get(pair_key)
if rows:
    adv.training_result(rows, float(density), int(seed))
else:
    st.caption("Press the button to train the three models for this density and seed.")

st.subheader("What to notice")
prose(
    """
- **Dense features: vulnerability about 1.** With every feature always on, the model amplifies the attack no more
  than a model without superposition would.
- **Superposition forms, vulnerability follows.** Features per dimension and vulnerability climb together, and
  both pause over the stretch where features sit in antipodal pairs.
- **Adversarial training trades capacity for safety.** Trained on attacked inputs, the model packs fewer features
  per dimension and is less vulnerable; with a large training budget it also pays in clean loss.
- **Very sparse, very small models resist a little.** In the live n = 20 sweep the score can drop again at the
  sparsest density: the budget shrinks with the average input, and the negative biases absorb a small push.
  A related effect made the paper change method: on very sparse inputs the output ReLUs are off almost all the
  time, and its gradient-based attacks stalled, so it switched to the analytic attack used here.
- **A caveat.** This is an autoencoder with a hand-derived attack; it shows the mechanism, not that it is the whole
  story for large models.
""",
    "Vulnerability tracks features per dimension; adversarial training lowers both.",
)

with st.expander("The settings, exactly"):
    st.markdown(
        f"""
Uniform sweep: the precomputed reference-notebook sweep (n = 200, m = 20, importance 1, 20 densities from 1 to 0.05,
10,000 steps, seed 0). Biases refit per model on {2 * adv.ASSET_SAMPLES} sampled inputs; every feature attacked, errors averaged
over {adv.ASSET_SAMPLES} inputs (seed 0) per model. Live sweep: n =
{adv.LIVE_N}, m = {adv.LIVE_M}, importance 1, AdamW lr 0.001, batch 1024, 5,000 steps, seed {seed}; every feature
attacked, 1,000 inputs. Adversarial training: n = {adv.LIVE_N}, m = {adv.LIVE_M}, importance 1, Adam with weight
decay 0.01, lr 0.003, {adv.TRAIN_STEPS:,} steps, batch {adv.TRAIN_BATCH}, training budgets
{", ".join(f"{b:g}" for b in adv.TRAIN_BUDGETS[1:])} × the mean input norm, scored at 0.1 × on 2,000 inputs.
"""
    )

self_check(
    [
        (
            "Why is the attack on feature i a push along column i of WᵀW, and not along feature i's own axis?",
            "Output i's pre-activation is the dot product of that column with the input. For a fixed length of "
            "nudge, a dot product is largest when the nudge points along the other vector, so the attacker also "
            "moves every feature that overlaps feature i, and their contributions add up in output i.",
        ),
        (
            "A feature has norm 1 and a dimension to itself. How much leverage does the attacker get on it?",
            "Exactly 1: its column of WᵀW has a single non-zero entry, ‖Wᵢ‖² = 1. Only overlaps with other "
            "features can make the column longer.",
        ),
        (
            "Why might adversarial training reduce superposition?",
            "Each extra feature squeezed into a shared direction lengthens the attacker's column for its neighbours. "
            "When attacks are part of the training loss, that cost is paid in every step, so storing fewer features, "
            "or storing them with less overlap, becomes the better deal.",
        ),
    ]
)
