"""Chapter: the experiment setup. What the data, the importance, the models and the loss are, trained live."""

import streamlit as st

from core import analysis
from core.chapters import basic_results, experiment_setup, experiment_setup_predict
from core.charts import basic_results as basic_results_charts
from core.charts import experiment_setup as experiment_setup_charts
from core.presets import experiment_setup as experiment_setup_presets
from core.train import TrainResult, history_points
from ui import linked, predict
from ui.demonstrating import (
    DATA_LATEX,
    LOSS_LATEX,
    MODEL_LATEX,
    TRAINING_LOSS_LATEX,
    density_option,
    model_label,
    sparsity_note,
    warn,
)
from ui.export import result_downloads, show_chart
from ui.layout import predict_box, settings_box
from ui.live import get_run, live_training, untrained
from ui.quiz import self_check
from ui.state import chart_scale, preset_button, prose

BATCH = 1024  # one training batch
SHOWN = 32  # examples drawn in the heatmaps
FOLLOW_HINT = "Click a feature's Wᵀ W row, its bar or its dot to follow it through the three charts below."

st.title("Experiment setup")
prose(
    """
Every experiment in the paper uses the same small recipe: **synthetic features** that are usually zero, a model
that must push them through a **bottleneck** of fewer dimensions and rebuild them, and a loss that cares more
about some features than others. This page takes the recipe apart, one ingredient at a time, then trains it.
""",
    "Rare synthetic features, a narrow bottleneck, an importance-weighted loss: the whole recipe, then trained.",
)

with settings_box():
    left, right = st.columns(2)
    n = left.slider("Number of features n", 2, 40, 20, key="es_n", bind="query-params")
    m = left.slider(
        "Hidden dimensions m (the bottleneck)",
        1,
        10,
        5,
        key="es_m",
        bind="query-params",
        help="How many numbers the model may use to carry all n features.",
    )
    decay = left.slider(
        "Importance decay r (feature i counts Iᵢ = rⁱ in the loss)",
        0.5,
        1.0,
        0.7,
        0.05,
        key="es_decay",
        bind="query-params",
    )
    density = right.select_slider(
        "Feature density p = 1 − S (chance a feature is non-zero; S is the sparsity)",
        options=list(basic_results.DENSITY_OPTIONS),
        value=0.1,
        format_func=density_option,
        key="es_density",
        bind="query-params",
    )
    right.caption(sparsity_note([float(density)]))
    model = right.radio(
        "Model to train",
        list(basic_results.MODELS),
        index=1,
        format_func=model_label,
        key="es_model",
        bind="query-params",
        horizontal=True,
    )
    seed = right.number_input(
        "Seed (data sample and initial weights)",
        min_value=0,
        max_value=2**31 - 1,
        value=0,
        step=1,
        key="es_seed",
        bind="query-params",
    )
    preset_button(
        "Paper settings",
        {"es_n": 20, "es_m": 5, "es_decay": 0.7, "es_density": 0.1, "es_model": "relu_output", "es_seed": 0},
        key="es_paper",
        help="The paper's basic-results setting: n = 20, m = 5, I = 0.7ⁱ, at density p = 0.1 (one of its seven), "
        "ReLU-output model, AdamW lr 0.001, batch 1024, 10,000 steps.",
    )
n, m, density, seed = int(n), int(m), float(density), int(seed)
scale = chart_scale()

st.header("1. The data: a batch of sparse features")
prose(
    f"""
Each example is a vector of *n* = {n} numbers, one per feature. Every feature, independently and in every example,
is switched off (exactly 0) or on, and an active feature takes a random value between 0 and 1.
**Sparsity S**: the chance a feature is off. **Density p**: the chance it is on, *p* = 1 − *S*. A new batch of {BATCH:,} examples is drawn at every
training step, so the model never sees the same example twice.
""",
    f"Each feature is 0 with probability S (the sparsity), otherwise uniform on [0, 1]: density p = 1 − S = {density:g}.",
)
st.latex(DATA_LATEX)
st.session_state.setdefault("es_draws", 0)
if st.button("Draw another batch", key="es_draw", icon=":material/casino:"):
    st.session_state["es_draws"] += 1
x = experiment_setup.sample_features(n, density, BATCH, seed, st.session_state["es_draws"])
active = (x != 0).sum(axis=1)
show_chart(
    experiment_setup_charts.batch_heatmap(
        [x[:SHOWN]], [f"{SHOWN} of the {BATCH:,} examples in one batch"], scale=scale
    ),
    f"sample-batch-n{n}-p{density:g}",
    "es_batch",
    alt_text=f"Heatmap of {SHOWN} examples (rows) by {n} features (columns) at density p = {density:g}; colour is "
    f"the feature's value from 0 to 1, grey is exactly 0. {active.mean():.3g} active features per example on average.",
)
st.caption(
    f"Each row is one example, each column one feature; grey cells are exactly 0. At p = {density:g} an example has "
    f"on average p·n = {density * n:.3g} active features; in this batch the average is {active.mean():.3g}, and "
    f"{(active == 0).mean():.0%} of the examples are all zeros."
)
frequency = experiment_setup.feature_frequency(x)
show_chart(
    experiment_setup_charts.frequency_bars(
        frequency, density, experiment_setup.frequency_band(density, BATCH), BATCH, scale=scale
    ),
    f"feature-frequency-n{n}-p{density:g}",
    "es_frequency",
    alt_text=f"Bar chart: for each of the {n} features, the fraction of {BATCH:,} examples where it was non-zero "
    f"(from {frequency.min():.3g} to {frequency.max():.3g}), against a dashed line at the chosen density "
    f"p = {density:g} and a shaded band of chance variation.",
)
st.caption(
    "Every feature fires at the same chosen rate p; the bars differ only by chance. At very small p a feature may "
    "not appear at all in a batch, which is why sparse models need many steps to learn."
)

st.header("2. Importance: not every feature matters equally")
prose(
    f"""
**Importance Iᵢ and its decay r**: feature *i*'s reconstruction error is multiplied by *I*ᵢ = *r*ⁱ. With *r* = {decay:g}, feature 0
counts {1 / decay ** (n - 1):,.3g} times as much as feature {n - 1}. Importance stands in for the idea that, in a real
network, some features are worth more to the task than others. It decides *which* features a model keeps when it
cannot keep them all.
""",
    "Importance Iᵢ = rⁱ decides which features a model keeps when it cannot keep them all.",
)
show_chart(
    experiment_setup_charts.importance_bars(experiment_setup.importances(n, decay), scale=scale),
    f"feature-importance-n{n}-r{decay:g}",
    "es_importance",
    alt_text=f"Bar chart of the importance Iᵢ = {decay:g}ⁱ of features 0 to {n - 1}, falling from 1 to "
    f"{decay ** (n - 1):.3g}.",
)

st.header("3. The models: squeeze, then rebuild")
prose(
    f"""
*W* is an *m* × *n* matrix: column *W*ᵢ is the direction in the *m* = {m} dimensional hidden space that feature *i*
is written to. The model compresses *x* to *h* = *Wx* and rebuilds it with the same weights, transposed, plus a
bias *b* per feature. The paper compares two versions that differ only in a final ReLU:
""",
    "Squeeze x into m numbers with W, rebuild with Wᵀ and a bias; the two models differ only in a final ReLU.",
)
for name in basic_results.MODELS:
    st.markdown(f"**{model_label(name)}**")
    st.latex(MODEL_LATEX[name])
st.markdown(
    """
Two names the later chapters use. **The ReLU-output model**: *x*′ = ReLU(*W*ᵀ*W x* + *b*), the second model above
and the paper's main one. **Wᵀ W**: the *n* × *n* matrix of dot products *W*ᵢ·*W*ⱼ; its diagonal holds each
feature's squared length and its off-diagonal cells how much two features overlap.
"""
)
prose(
    """
The ReLU cannot output a negative number. That sounds minor, but it lets the model throw away small *negative*
leaks from other features for free, and that is what makes superposition possible.
""",
    "The ReLU throws away small negative leaks for free: that is what makes superposition possible.",
)

st.header("4. The loss")
st.latex(LOSS_LATEX)
prose(
    """
The paper's loss is the importance-weighted squared error, **summed over the features** and averaged over the
batch (*B* examples).
""",
    "The paper's loss: importance-weighted squared error, summed over features, averaged over the batch.",
)
st.latex(TRAINING_LOSS_LATEX)
prose(
    """
This app, like the paper's reference notebook, trains on the **mean** over features instead: the paper's loss
divided by *n*. A constant factor does not move the minimum, so the best weights are the same. It hardly changes
training either: Adam divides each gradient by its own running size, so scaling the loss by 1/*n* leaves the steps
almost unchanged (only Adam's ε = 10⁻⁸, added to that running size, notices the scale; AdamW applies the weight
decay separately, so it does not).
Every loss this app reports is in these training units. In them, a model that outputs 0 for everything loses
mean(*I*ᵢ) · *p*/3, because E[*x*ᵢ²] = *p*/3: that is the level an untrained model starts near (in the paper's units,
Σᵢ *I*ᵢ · *p*/3). Training uses AdamW (learning rate 0.001, weight decay 0.01), batches of 1,024 and 10,000 steps,
as in the paper's reference code.
""",
    "The app trains on the paper's loss divided by n (mean over features): same optimum; outputting 0 scores "
    "mean(Iᵢ)·p/3 in these units.",
)

st.header("5. Train it")
st.markdown(
    "**Best of N starts**: train N copies from different random starting weights and keep the one with the "
    "lowest loss; the paper does this so that a poor start does not pass for a result. Here N = 1."
)
problems = basic_results.settings_problems(n, m, [density])
if warn(problems):
    cfg = experiment_setup_presets.setup_config(model, n, m, density, decay, seed)
    levels = experiment_setup.loss_levels(density, n, m, decay)

    def render(view: TrainResult) -> None:
        steps_x, losses = history_points(view.loss_history)
        if len(steps_x):
            show_chart(
                experiment_setup_charts.loss_with_levels(steps_x, losses, levels, scale=scale),
                f"training-loss-{model}",
                "es_loss",
                alt_text=f"Line chart of the training loss (log scale) against the step, now {view.loss[0]:.3g} after "
                f"{view.steps_done:,} steps; dashed reference lines: "
                + "; ".join(f"{name} {value:.3g}" for name, value in levels.items())
                + ".",
            )
        rebuilt = experiment_setup.reconstruct(model, view.W[0], view.b[0], x[:SHOWN])
        titles = ["input x (the same examples as above)", f"output x' after {view.steps_done:,} steps"]
        show_chart(
            experiment_setup_charts.batch_heatmap([x[:SHOWN], rebuilt], titles, scale=scale),
            f"input-vs-output-{model}",
            "es_rebuilt",
            alt_text=f"Two heatmaps side by side, {SHOWN} examples by {n} features: the input batch and the model's "
            f"output after {view.steps_done:,} steps; colour is the value from 0 to 1, grey is 0.00 or below.",
        )
        weights(view)
        result_downloads(view, [model_label(model)], f"experiment-setup-{model}", "es_dl")
        if not untrained(view):
            where = experiment_setup_predict.versus_linear(float(view.loss[0]), density, n, m, decay)
            predict.reveal(KIND, context, where, view.steps_done >= cfg.steps)

    def weights(view: TrainResult) -> None:
        W = view.W[0]
        kept = int(analysis.n_represented(W))
        features = basic_results.feature_table(W)
        learned = "Untrained: random starting weights" if untrained(view) else "What it learned"
        followed = linked.follow_bar("es", n, FOLLOW_HINT)  # one feature, emphasised in the three charts below
        left, right = st.columns(2)
        with left:
            show_chart(
                basic_results_charts.gram_panel(
                    analysis.gram(W), view.b[0], learned, scale=scale, followed=followed, pickable=True
                ),
                f"gram-{model}",
                "es_gram",
                alt_text=f"Heatmap of Wᵀ W ({n} by {n} features) beside the bias b; blue is negative, orange "
                "positive. The diagonal is each feature's squared length ‖Wᵢ‖².",
                **linked.link("es", "gram"),
            )
        with right:
            show_chart(
                basic_results_charts.norm_bars_superposition(
                    features, basic_results.THRESHOLD, scale=scale, followed=followed, pickable=True
                ),
                f"feature-norms-{model}",
                "es_norms",
                alt_text=f"Horizontal bars of each feature's length ‖Wᵢ‖, coloured by superposition; {kept} of "
                f"{n} features are represented (length above 0.5), the rest are grey.",
                **linked.link("es", "norms"),
            )
        if m >= 2:
            pca = analysis.pca_of_features(W, 2)
            show_chart(
                basic_results_charts.pca_features(
                    features,
                    pca.coords,
                    pca.explained_variance_ratio,
                    "Feature directions",
                    scale=scale,
                    followed=followed,
                    pickable=True,
                ),
                f"feature-directions-{model}",
                "es_pca",
                alt_text=f"Scatter of the {n} feature directions Wᵢ along the two main axes of the {m}-dimensional "
                f"hidden space, lines from the origin, coloured by superposition; {kept} features represented.",
                **linked.link("es", "pca"),
            )

    KIND, context = "experiment_setup_versus_linear", f"{model}_n{n}_m{m}_p{density:g}_r{decay:g}_seed{seed}"
    with predict_box():
        predict.ask(KIND, context, started=get_run("es:run", cfg).trainer.step > 0)
    live_training("es:run", cfg, render)
    st.caption(
        "Dashed lines: the loss of outputting 0, and the best loss any linear model can reach with "
        f"m = {m} dimensions (keep the top {m} features, predict the mean p/2 for the rest). "
        "A ReLU-output model with sparse features goes below the second line."
    )

st.subheader("What each control means")
st.markdown(
    """
| control | what it changes |
| --- | --- |
| number of features *n* | how many things the model must carry |
| hidden dimensions *m* | the width of the bottleneck; superposition needs *m* < *n* |
| importance decay *r* | how fast importance falls from feature 0 (*I*ᵢ = *r*ⁱ); *r* = 1 makes all equal |
| feature density *p* = 1 − *S* | how often a feature is non-zero; small *p* = high sparsity = rare features |
| model | linear, or ReLU on the output |
| seed | which random batches and initial weights; the same seed gives the same run |
"""
)

st.subheader("What to notice")
st.markdown(
    """
- **Density versus sparsity.** The paper's axes use 1/(1 − *S*) = 1/*p*: "sparser" means a *smaller* density *p*.
  At *p* = 0.001 a feature fires about once per thousand examples.
- **The rebuilt batch.** A trained linear model copies the top *m* features and fills every other column with a
  constant (their mean, *p*/2). A ReLU-output model trained on sparse data also rebuilds some of the less important
  features, and outputs exact zeros (grey) where a feature is off.
- **The loss.** Both start near the "output 0" line. The linear model stops at its closed-form best; with rare
  features the ReLU model goes well below it, because it is storing more features than it has dimensions.
"""
)
with st.expander("The settings, exactly"):
    st.markdown(
        f"""
n = {n} features, m = {m} hidden dimensions, importance *I*ᵢ = {decay:g}ⁱ, density p = {density:g}
(sparsity S = {1 - density:.4g}), model: {model_label(model)}. Data: each feature is 0 with probability S, otherwise
uniform on [0, 1], fresh every step. Weights start Xavier-normal, bias 0. AdamW, learning rate 0.001, weight decay
0.01, batch {BATCH:,}, 10,000 steps, seed {seed}. Sample shown above: draw {st.session_state["es_draws"]} for this seed.
"""
    )

self_check(
    [
        (
            "A feature has sparsity S = 0.99. What is its density, and in how many of 1,024 examples do you expect it?",
            "Density p = 1 − S = 0.01, so about 10 of 1,024 examples (1,024 × 0.01), give or take about 3 by chance.",
        ),
        (
            "Why does an untrained model's loss sit near mean(Iᵢ)·p/3, and why does it shrink as p falls?",
            "An output of about 0 is wrong by xᵢ, and E[xᵢ²] = p · E[u²] = p/3 for u uniform on [0, 1]. Rare features "
            "are mostly 0 already, so outputting 0 is nearly right: the loss scale itself shrinks with p.",
        ),
        (
            "With m = 5 and n = 20, which features should a linear model keep, and what does it output for the rest?",
            "The five most important (0 to 4), each stored exactly. For the other fifteen the best it can do is a "
            "constant, their average value p/2, set by the bias.",
        ),
    ]
)
