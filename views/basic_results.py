"""Chapter: basic results. The linear and the ReLU-output model side by side across feature densities."""

import streamlit as st

from core import analysis
from core.chapters import basic_results
from core.charts import basic_results as basic_results_charts
from core.train import TrainResult, history_points
from ui import linked, predict
from ui.demonstrating import MODEL_LATEX, density_option, keep_choice, model_label, play_all_button, sparsity_note, warn
from ui.export import result_downloads, show_chart
from ui.layout import intro, predict_box, settings_box
from ui.live import live_training, untrained
from ui.quiz import self_check
from ui.state import chart_scale, presenting, preset_button, seed_input

st.title("Basic results: linear versus ReLU output")
intro(
    """
Two models get the same job and the same data, and differ only in a ReLU on the output: *n* features must pass
through *m* < *n* hidden dimensions and come out again. The paper's figure uses *n* = 20 features, *m* = 5
dimensions and importance *I*ᵢ = 0.7ⁱ. Train both models at each of its seven feature densities, from every
feature always present (*p* = 1) down to one example in a thousand (*p* = 0.001), and compare what they keep.
""",
    "Same data, same bottleneck, only the ReLU differs: which features does each model keep as they get rarer?",
)

PAPER_VALUES = {
    "br_n": basic_results.PAPER.n,
    "br_m": basic_results.PAPER.m,
    "br_decay": basic_results.PAPER.decay,
    "br_densities": list(basic_results.PAPER_DENSITIES),
    "br_seed": 0,
    "br_steps": 10_000,
}
LARGE_VALUES = PAPER_VALUES | {
    "br_n": basic_results.LARGE.n,
    "br_m": basic_results.LARGE.m,
    "br_decay": basic_results.LARGE.decay,
}

with settings_box():
    c1, c2, c3 = st.columns([1, 2, 1])
    n = c1.number_input("Features n", 2, 100, basic_results.PAPER.n, key="br_n", bind="query-params")
    m = c1.number_input("Hidden dimensions m", 1, 40, basic_results.PAPER.m, key="br_m", bind="query-params")
    decay = c2.slider(
        "Importance decay r (feature i counts Iᵢ = rⁱ in the loss)",
        0.5,
        1.0,
        0.7,
        0.05,
        key="br_decay",
        bind="query-params",
    )
    densities = c2.multiselect(
        "Feature densities p = 1 − S (one model per density; S is the sparsity)",
        list(basic_results.DENSITY_OPTIONS),
        default=list(basic_results.PAPER_DENSITIES),
        format_func=density_option,
        key="br_densities",
        bind="query-params",
    )
    c2.caption(sparsity_note(basic_results.sorted_densities(densities)))
    seed = seed_input(c3, "br_seed")
    steps = c3.select_slider(
        "Training steps (AdamW, lr 0.001, batch 1024)",
        [1_000, 2_000, 5_000, 10_000],
        10_000,
        key="br_steps",
        bind="query-params",
    )
    b1, b2 = st.columns([1, 3])
    with b1:
        preset_button(
            "Paper settings",
            PAPER_VALUES,
            key="br_paper",
            help="n = 20, m = 5, I = 0.7ⁱ, densities 1, .3, .1, .03, .01, .003, .001, 10,000 steps, seed 0.",
        )
    with b2:
        preset_button(
            "Larger variant: n = 80, m = 20, I = 0.9ⁱ",
            LARGE_VALUES,
            key="br_large",
            help=f"The paper's bigger version of the same figure: "
            f"{(basic_results.LARGE.n * basic_results.LARGE.m) // (basic_results.PAPER.n * basic_results.PAPER.m)}× "
            "the weights, so each model trains about ten times slower.",
        )

n, m, seed, steps = int(n), int(m), int(seed), int(steps)
densities = basic_results.sorted_densities(densities)
scale = chart_scale()
KEYS = {model: f"br:{model}" for model in basic_results.MODELS}
LINKED = "br"  # one followed feature for both models' charts
FOLLOW_HINT = "Click a feature's Wᵀ W row, its bar or its dot to follow it through both models' charts."
ASK = f"r{decay:g}-s{seed}" if (n, m) == (20, 5) and 0.01 in densities else ""  # the question's settings


def inspect_choice() -> float:
    keep_choice("br_inspect", densities, basic_results.nearest_density(densities))
    return st.select_slider(
        "Look closely at the models trained at density",
        densities,
        format_func=density_option,
        key="br_inspect",
        bind="query-params",
        help="Both panels above show the instance trained at this density; the overview below shows all.",
    )


def make_render(model: str, k: int, cfg):
    """The panel of one model: the chosen density's Wᵀ W with b, ||Wᵢ|| bars, PCA, and the loss curves."""
    optimum = basic_results.linear_optima(cfg)

    def render(view: TrainResult) -> None:
        linked.catch_up(LINKED)  # a pick in this panel shows in the other model's panel and the follow line too
        w, p = view.W[k], densities[k]
        kept = int(analysis.n_represented(w))
        if untrained(view):  # random weights: counts and losses would read as results; the figures come first
            weight_charts(model, w, view.b[k], p, kept)
            st.markdown(f"**p = {p:g}**: untrained model (random starting weights).")
        else:
            hidden = model == "relu_output" and ASK and predict.withheld("basic_results_relu_kept", ASK)
            count = "(count hidden until the reveal)" if hidden else f"{kept} of {n}"
            st.markdown(
                f"**p = {p:g}**: {count} features represented in {m} dimensions · "
                f"total superposition {basic_results.total_superposition(w):.2f} · loss {view.loss[k]:.3g} "
                f"(best linear model: {optimum[k]:.3g})"
            )
            weight_charts(model, w, view.b[k], p, kept)
        if model == "relu_output" and ASK:
            kept_01 = int(analysis.n_represented(view.W[densities.index(0.01)]))
            predict.reveal("basic_results_relu_kept", ASK, kept_01, view.steps_done >= cfg.steps)
        steps_x, losses = history_points(view.loss_history)
        if len(steps_x):
            show_chart(
                basic_results_charts.loss_by_density(steps_x, losses, densities, scale=scale),
                f"training-loss-{model}",
                f"br_{model}_loss",
                alt_text=f"Line chart of the training loss (log scale) against the step, one line per density "
                f"({', '.join(f'{q:g}' for q in densities)}), after {view.steps_done:,} steps.",
            )
        result_downloads(view, [f"p = {q:g}" for q in densities], f"basic-results-{model}", f"br_{model}_dl")

    return render


def weight_charts(model: str, w, b, p: float, kept: int) -> None:
    """Wᵀ W with b, the ||Wᵢ|| bars and (m ≥ 2) the PCA view of one trained instance."""
    title = f"{model_label(model)}, p = {p:g}"
    features = basic_results.feature_table(w)
    followed = linked.followed(LINKED)  # picked in any of these charts, in either model's panel
    show_chart(
        basic_results_charts.gram_panel(
            analysis.gram(w), b, title=f"Wᵀ W and b: {title}", scale=scale, followed=followed, pickable=True
        ),
        f"gram-{model}-p{p:g}",
        f"br_{model}_gram",
        alt_text=f"Heatmap of Wᵀ W ({n} by {n} features) beside the bias b for the {title}; blue is negative, "
        "orange positive, the diagonal is each ‖Wᵢ‖².",
        **linked.link(LINKED, f"{model}_gram"),
    )
    show_chart(
        basic_results_charts.norm_bars_superposition(
            features, basic_results.THRESHOLD, scale=scale, followed=followed, pickable=True
        ),
        f"feature-norms-{model}-p{p:g}",
        f"br_{model}_norms",
        alt_text=f"Horizontal bars of each feature's length ‖Wᵢ‖ for the {title}, coloured by superposition; "
        f"{kept} of {n} features represented (length above 0.5), the rest grey.",
        **linked.link(LINKED, f"{model}_norms"),
    )
    if m >= 2:
        pca = analysis.pca_of_features(w, 2)
        chart = basic_results_charts.pca_features(
            features,
            pca.coords,
            pca.explained_variance_ratio,
            f"Feature directions: {title}",
            scale=scale,
            followed=followed,
            pickable=True,
        )
        show_chart(
            chart,
            f"feature-directions-{model}-p{p:g}",
            f"br_{model}_pca",
            alt_text=f"Scatter of the {n} feature directions along the two main hidden axes for the {title}, "
            f"lines from the origin, coloured by superposition; {kept} features represented.",
            **linked.link(LINKED, f"{model}_pca"),
        )


def model_panels() -> None:
    """Both models trained live, side by side, on the same settings."""
    configs = basic_results.basic_results_pair(n=n, m=m, decay=decay, densities=densities, seed=seed, steps=steps)
    ask_here, both_here = st.columns([3, 1], vertical_alignment="center")
    panels_here = st.container()  # the two models first; the density they show is chosen under them
    k = densities.index(inspect_choice())
    if ASK:
        with ask_here, predict_box():
            predict.ask("basic_results_relu_kept", ASK, started=predict.run_started(KEYS["relu_output"]))
    with both_here:
        play_all_button(list(KEYS.values()), key="br_play_both")
    with panels_here:
        linked.follow_bar(LINKED, n, FOLLOW_HINT)
    columns = panels_here.columns(2, gap="large")
    for column, model in zip(columns, basic_results.MODELS):
        with column:
            st.subheader(model_label(model))
            live_training(KEYS[model], configs[model], make_render(model, k, configs[model]))
            if not presenting():  # the model's equation, under its panel (on a projector the key sentence says it)
                st.latex(MODEL_LATEX[model])


def overview_alt(summaries: dict[str, basic_results.DensitySweepSummary]) -> str:
    counts = "; ".join(f"{name}: {', '.join(str(int(c)) for c in s.n_represented)}" for name, s in summaries.items())
    return (
        "Three line charts against 1/p (log scale), one line per model: features represented, total superposition, "
        f"and loss divided by the best linear loss. Features represented, densest to sparsest: {counts}."
    )


def overview() -> None:
    """Every density at once, both models on one chart (refreshed on each full rerun, e.g. at Pause)."""
    st.subheader("All densities at a glance")
    runs = {model: st.session_state.get(KEYS[model]) for model in basic_results.MODELS}
    summaries = {}
    for model, run in runs.items():
        if run is not None and run.trainer.step > 0:
            view = run.trainer.view()
            summaries[f"{model_label(model)} ({view.steps_done:,} steps)"] = basic_results.summarize(
                view.W, view.loss, run.cfg
            )
    if not summaries:
        st.info("Train the models (Play, or Train both) to fill in this overview.", icon=":material/info:")
        return
    show_chart(
        basic_results_charts.sweep_overview(basic_results.overview_table(summaries), m, scale=scale),
        f"sweep-overview-n{n}-m{m}",
        "br_overview",
        alt_text=overview_alt(summaries),
    )
    st.caption(
        "Left: how many features have ‖Wᵢ‖ > 0.5. Middle: the superposition of all kept features added up "
        "(0 = every kept feature has a direction of its own). Right: loss divided by the best loss any linear "
        "model can reach (1 = that best). This chart refreshes when a run finishes or you press Pause."
    )


if warn(basic_results.settings_problems(n, m, densities)):
    model_panels()
    overview()

st.subheader("What to notice")
st.markdown(
    """
- **Linear, every density**: exactly the five most important features, each with ‖Wᵢ‖ = 1 and its own
  direction (dark bars, an identity block in Wᵀ W), and nothing else. The dropped features' biases sit at their
  mean, *p*/2. This is what PCA would keep, and its loss matches the closed form at every density.
- **ReLU output, dense (*p* = 1)**: the same five features and the same loss as the linear model.
- **ReLU output, sparser**: more and more features are stored, in *superposition* (yellow bars). First, pairs of
  features share one line as **antipodal pairs** (in Wᵀ W, a −1 off the diagonal; in the PCA view, two
  features pointing in opposite directions). At the sparsest densities they form other, tighter arrangements, the
  biases turn negative to clip the interference, and norms grow a little above 1.
- **Loss**: the ReLU model matches the best possible linear model when dense, and the gap opens as features get
  rarer: below half the best linear loss from p = 0.1 on, below a third from p = 0.03 on (the overview's right
  panel). Superposition is not a quirk of training: it is what lowers the loss.
"""
)
with st.expander("The settings, exactly"):
    st.markdown(
        f"""
n = {n} features, m = {m} hidden dimensions, importance *I*ᵢ = {decay:g}ⁱ, densities p =
{", ".join(f"{p:g}" for p in densities) or "(none chosen)"} (sparsity S = 1 − p), one model per density.
Linear: x' = WᵀWx + b. ReLU output: x' = ReLU(WᵀWx + b). Data: each feature 0 with probability S, else uniform on
[0, 1], fresh every step. Loss: importance-weighted squared error averaged over batch and features. AdamW, learning
rate 0.001, weight decay 0.01, batch 1024, {steps:,} steps, seed {seed}. "Represented" means ‖Wᵢ‖ > 0.5.
The paper's figure: n = 20, m = 5, I = 0.7ⁱ, densities 1, .3, .1, .03, .01, .003, .001; its larger variant uses
n = 80, m = 20, I = 0.9ⁱ.
"""
    )

self_check(
    [
        (
            "Why does the linear model never store a sixth feature, however rare the features are?",
            "Without a ReLU every overlap between two directions leaks into the output whenever either feature is "
            "active, and nothing can remove it. Adding a feature to an occupied direction always costs more than it "
            "gains, so the best linear model keeps the top five orthogonally and predicts the mean for the rest.",
        ),
        (
            "In Wᵀ W of a sparse ReLU model you see a −1 at row 6, column 7. What does it mean, and why is it cheap?",
            "Features 6 and 7 share one direction, pointing opposite ways (an antipodal pair). When feature 7 fires "
            "alone, output 6 receives a negative value, which the ReLU turns into 0: no error. It only hurts when "
            "both fire together, which at low density is rare.",
        ),
        (
            "Which features join first as density falls, and why those?",
            "The most important of the dropped ones: features 5, 6, 7 and so on, in order of importance. Among the features without a "
            "dimension, they lose the most by being dropped, so they are the first whose benefit outweighs the "
            "small, rare cost of interference.",
        ),
    ]
)
