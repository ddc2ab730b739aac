"""Chapter: computation in superposition (the absolute-value model), precomputed results plus live training."""

import numpy as np
import streamlit as st

from core import presets
from core.chapters import computation, computation_predict
from core.charts import neurons as neuron_charts
from core.train import TrainResult
from ui import linked, predict
from ui.assets import asset_or_none
from ui.cache import trained
from ui.chapters.computation import (
    FOLLOW_HINT,
    LINKED,
    circuit_views,
    importance_split,
    motif_table,
    motif_view,
    sweep_neurons,
)
from ui.export import show_chart
from ui.layout import predict_box, settings_box
from ui.live import get_run, live_training, untrained
from ui.neurons import counts_alt
from ui.quiz import self_check
from ui.state import chart_scale, preset_button, prose, seed_input

st.title("Computation in superposition")
prose(
    """
Storing features is one thing; can a model **compute** with features it keeps in superposition? The paper's test
is the absolute value. Each input feature is 0 most of the time and otherwise uniform on **[−1, 1]**; the model must
output |*x*ᵢ| for every feature: `h = ReLU(W1 x)`, `y' = ReLU(W2 h + b)`, with separate (untied) *W1* and *W2*.

One ReLU cannot make |*x*|, but two can: **|x| = ReLU(x) + ReLU(−x)**. So a model with two neurons per feature has
an exact answer. What happens with fewer neurons than that?
""",
    "Can a model compute |x| for more features than it has neuron pairs for, with those features in superposition?",
)
scale = chart_scale()
B = computation.BUILDERS
LIVE_SWEEP = [1.0, 0.3, 0.1, 0.03, 0.01, 0.003]


def _asset_arrays(name: str) -> dict[str, np.ndarray] | None:
    asset = asset_or_none(name, B[name].version)
    return None if asset is None else {k: v.astype(np.float64) for k, v in asset.arrays.items()}


st.header("Three features, six neurons")
circuit = _asset_arrays("computation_circuit")
if circuit is None:
    fallback = trained(computation.circuit_config(n_seeds=8))
    circuit = {"W1": fallback.W, "W2": fallback.W2}
    st.caption("Trained now (best of 8 seeds) because the precomputed file is missing; cached after the first visit.")
else:
    st.caption(
        f"Precomputed, shown instantly: dense features (p = 1), importance 1, the lowest-loss of "
        f"{B['computation_circuit'].toy_config.n_seeds} seeds after {B['computation_circuit'].toy_config.steps:,} steps."
    )
# once, above the first circuit; the live circuit below catches up when a click in it moves the pick
linked.follow_bar(LINKED, int(circuit["W1"][0].shape[0]), FOLLOW_HINT)
circuit_views(circuit["W1"][0], circuit["W2"][0], scale, key="cs_circuit", name="abs-circuit-n3-m6")
st.caption(
    "Each neuron is rescaled so its largest input weight is ±1 and its output weights grow by the same factor: a "
    "ReLU neuron computes the same thing after such a rescaling, and the picture becomes comparable across neurons."
)

st.header("A hundred features, forty neurons")
sweep = _asset_arrays("computation_sweep")
spec = B["computation_sweep"].toy_config.to_dict()
if sweep is None:
    small = trained(computation.abs_config(30, 12, LIVE_SWEEP, decay=0.8, n_seeds=2))
    sweep = {"densities": np.asarray(LIVE_SWEEP), "W1": small.W, "W2": small.W2}
    st.caption("The precomputed 100-feature sweep is missing: showing a smaller one (n = 30, m = 12) trained now.")
else:
    st.caption(
        f"Precomputed: n = 100, m = 40, importance 0.8ⁱ, {len(sweep['densities'])} densities, best of "
        f"{spec['n_seeds']} seeds, {spec['steps']:,} steps. Rebuild with `python -m core.precompute --only computation_sweep`."
    )
dens = sweep["densities"]
labels = [f"{p:.3g}" for p in dens]
k = labels.index(
    st.select_slider(
        "Feature density p = 1 − S (chance a feature is non-zero) of the model shown below",
        labels,
        value=labels[min(2, len(labels) - 1)],
        key="cs_density",
        bind="query-params",
    )
)
counts = computation.kind_counts(sweep["W1"])
n_sweep = sweep["W1"].shape[-1]
show_chart(
    neuron_charts.neuron_counts_chart(dens, counts, n_neurons=n_sweep, marker=float(dens[k]), scale=scale),
    f"abs-sweep-n{sweep['W1'].shape[1]}-m{n_sweep}-neuron-kinds",
    "cs_counts",
    alt_text=counts_alt(dens, counts, n_sweep, k),
)
kinds = sweep_neurons(
    sweep["W1"][k],
    scale,
    title=f"W1 at {presets.label_density(float(dens[k]))}",
    key="cs_sweep",
    name=f"abs-sweep-neurons-p{float(dens[k]):.3g}",
)
small_abs, small_sq = computation.small_weight_mass(sweep["W1"][k])
st.caption(
    f"At p = {dens[k]:.3g}: {int(counts['monosemantic'][k])} monosemantic and {int(counts['polysemantic'][k])} "
    f"polysemantic neurons; {importance_split(kinds)} Here a neuron is monosemantic when one feature drives at least "
    "90 % of its input variance (share of Σᵢ W1ᵢⱼ²), the same rule as the privileged-basis chapter. Why not a share "
    f"of Σᵢ |W1ᵢⱼ|? Here the weights below 0.02, which barely move a neuron, hold a median {100 * small_abs:.2g} % of a "
    f"neuron's |weight| but only {100 * small_sq:.2g} % of its W1²: a |weight| share would let that crowd of leftovers "
    "decide the label."
)

st.header("The asymmetric superposition motif")
found = [
    (float(p), m) for p, W1, W2 in zip(dens, sweep["W1"], sweep["W2"]) for m in computation.asymmetric_motifs(W1, W2)
]
if not found:
    st.info("No asymmetric-superposition motif was detected in these models.")
else:
    prose(
        "A neuron stores two features at **unequal scales**, with reciprocal output weights: it serves both, but the "
        "big feature leaks strongly into the small feature's output. A second neuron that fires with the big feature "
        "**inhibits** that output. Detected automatically in the sweep above:",
        "One neuron serves two features at unequal scales; a second neuron cancels the big feature's leak.",
    )
    st.dataframe(motif_table(found), hide_index=True)
    names = [f"p = {p:.3g}: h{m.neuron} (features {m.big} and {m.small}), inhibitor h{m.inhibitor}" for p, m in found]
    chosen = st.selectbox("Look at one motif", names, key="cs_motif", bind="query-params")
    p_m, motif = found[names.index(chosen)]
    i_m = int(np.argmin(np.abs(dens - p_m)))
    motif_view(sweep["W1"][i_m], sweep["W2"][i_m], motif, scale)

st.header("Train it yourself")
MODES = ["Circuit: n = 3, m = 6, dense", "Sweep: n = 30, m = 12, 6 densities"]
with settings_box():
    left, right = st.columns(2)
    mode = left.radio("What to train", MODES, key="cs_mode", bind="query-params")
    n_seeds = left.select_slider("Best of N seeds", [1, 2, 4, 8], 4, key="cs_seeds", bind="query-params")
    steps = right.select_slider(
        "Training steps (AdamW, lr 0.001, batch 1024)",
        [2_000, 5_000, 10_000],
        10_000,
        key="cs_steps",
        bind="query-params",
    )
    seed = seed_input(right, "cs_seed")
    preset_button(
        "Paper settings",
        {"cs_mode": MODES[0], "cs_steps": 10_000, "cs_seeds": 4, "cs_seed": 0},
        key="cs_paper",
        help="The paper's circuit: 3 features, 6 neurons, dense, importance 1; 10,000 steps, best of 4 seeds.",
    )
KIND, CONTEXT = "computation_circuits", f"steps{steps}_best{n_seeds}_seed{seed}"
if mode == MODES[0]:
    cfg = computation.abs_config(3, 6, [1.0], 1.0, int(steps), int(seed), int(n_seeds))
else:
    cfg = computation.abs_config(30, 12, LIVE_SWEEP, 0.8, int(steps), int(seed), int(n_seeds))
    live_labels = [f"{p:.3g}" for p in LIVE_SWEEP]
    pick = live_labels.index(
        st.select_slider(
            "Inspect the model at density p", live_labels, value="0.1", key="cs_inspect", bind="query-params"
        )
    )


def render(view: TrainResult) -> None:
    linked.catch_up(LINKED)  # a pick in the live circuit shows in the follow bar and the first circuit too
    if mode == MODES[0]:
        circuit_views(view.W[0], view.W2[0], scale, key="cs_live_circuit", name="abs-circuit-n3-m6-live")
        if not untrained(view):
            done = computation_predict.complete_circuits(view.W[0], view.W2[0])
            predict.reveal(KIND, CONTEXT, done, view.steps_done >= cfg.steps)
        return
    if untrained(view):  # neuron kinds of random weights are no result: draw the weights only
        sweep_neurons(
            view.W[pick],
            scale,
            title=f"W1 at {presets.label_density(LIVE_SWEEP[pick])}, untrained",
            key="cs_live_sweep",
            name=f"abs-sweep-n30-m12-live-neurons-p{LIVE_SWEEP[pick]:.3g}",
        )
        return
    live_counts = computation.kind_counts(view.W)
    chart = neuron_charts.neuron_counts_chart(
        np.asarray(LIVE_SWEEP),
        live_counts,
        n_neurons=12,
        marker=LIVE_SWEEP[pick],
        title="Neurons by kind in this run",
        scale=scale,
    )
    alt_text = counts_alt(np.asarray(LIVE_SWEEP), live_counts, 12, pick)
    show_chart(chart, "abs-sweep-n30-m12-live-neuron-kinds", "cs_live_counts", alt_text=alt_text)
    sweep_neurons(
        view.W[pick],
        scale,
        title=f"W1 at {presets.label_density(LIVE_SWEEP[pick])}",
        key="cs_live_sweep",
        name=f"abs-sweep-n30-m12-live-neurons-p{LIVE_SWEEP[pick]:.3g}",
    )


if mode == MODES[0]:
    with predict_box():
        predict.ask(KIND, CONTEXT, started=get_run("cs:run", cfg).trainer.step > 0)
live_training("cs:run", cfg, render)

st.subheader("What to notice")
prose(
    """
- **Three features, six neurons:** every feature gets a neuron that fires for positive values and one that fires
  for negative values, and both feed the same output with equal weight. That is ReLU(x) + ReLU(−x) = |x|, found by
  gradient descent. Some seeds get stuck with a feature on one neuron only; the lowest-loss seed has the full circuit.
- **Dense features, 100 of them:** nearly every neuron is monosemantic: it reads one feature (the counts above
  say how many; an odd pair of neurons may share two features). Only the most important features get neurons
  (several of them sometimes); the rest are dropped.
- **Sparse features:** neurons become polysemantic and the model computes |x| for more features than it could
  with two neurons each, *while those features are in superposition*. Near the onset, the neurons of the most
  important features are the last to stay monosemantic.
- **Asymmetric superposition:** interference is made lopsided on purpose, and then a second neuron turns the
  harmful (positive) part into harmless negative interference that the output ReLU removes.
""",
    "Gradient descent finds |x| = ReLU(x) + ReLU(−x), and with sparse features it computes in superposition.",
)
with st.expander("The settings, exactly"):
    st.markdown(
        f"""
Model: h = ReLU(W1 x), y' = ReLU(W2 h + b), untied; target |x|. Data: each feature is 0 with probability 1 − p,
otherwise uniform on [−1, 1]. Loss: importance-weighted squared error, mean over batch and features (the paper's sum
over features divided by n); AdamW (lr 0.001, weight decay 0.01), batch 1024.
Circuit: n = 3, m = 6, p = 1, importance 1. Sweep: n = 100, m = 40, importance 0.8ⁱ, densities
{", ".join(f"{p:.3g}" for p in spec["feature_probability"])}, {spec["steps"]:,} steps, best of {spec["n_seeds"]} seeds.
Neuron labels (the same rule as the privileged-basis chapter): **monosemantic** if one feature has ≥ 90 % of
Σᵢ W1ᵢⱼ²; **dead** if no |input weight| reaches {computation.DEAD_WEIGHT} (inputs are signed, so a negative weight
fires the neuron too); otherwise **polysemantic**. Motif test: two features carry ≥ 80 % of the neuron's input
variance, the smaller input weight is ≤ 0.7 of the larger, output weights are reciprocal (W2[b] > W2[a] > 0) and each
serves its output with gain ≥ 0.3; an inhibitor on the same side of x_a removes ≥ 50 % of the leak into y_b.
Live run: {cfg.n_features} features, {cfg.n_hidden} neurons, {cfg.steps:,} steps, best of {cfg.n_seeds}, seed {cfg.seed}.
"""
    )

self_check(
    [
        (
            "In the previous chapter the dense model gave each feature its own neuron with a positive weight, so on "
            "inputs ≥ 0 its hidden ReLU never cut anything off. Why can't a model for |x| do the same?",
            "|x| is not linear: for x < 0 it must output −x, but a neuron ReLU(w x) with w > 0 gives 0 there. The "
            "bend has to come from the ReLU, as in |x| = ReLU(x) + ReLU(−x): here the clipping is the computation, "
            "not a loss to avoid. Copying inputs ≥ 0 needed no bend, so that model could leave its ReLU idle.",
        ),
        (
            "You rescale a neuron's input weights by 3 and its output weights by 1/3. What changes?",
            "Nothing the model computes: ReLU(3 z) = 3 ReLU(z), and the output weight divides the 3 back out. That is "
            "why the paper (and this page) rescales each neuron before comparing weights.",
        ),
        (
            "In the motif, why is negative interference acceptable but positive interference not?",
            "The targets |x| are never negative and the output passes through a ReLU: pushing an output below zero "
            "is clipped to 0, which is exactly right when that feature is absent. Pushing it up makes the model report "
            "a feature that is not there.",
        ),
    ]
)
