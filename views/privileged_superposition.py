"""Chapter: superposition in a privileged basis (the ReLU-hidden model), precomputed sweep plus live training."""

import numpy as np
import streamlit as st

from core import presets
from core.chapters import privileged_relu_use, privileged_superposition, privileged_superposition_predict
from core.charts import neurons as neuron_charts
from core.train import TrainResult
from ui import linked, predict
from ui.assets import asset_or_none
from ui.cache import trained
from ui.export import show_chart
from ui.layout import predict_box, settings_box
from ui.live import get_run, live_training, untrained
from ui.neurons import counts_alt, describe_labels, kinds_of, neuron_views
from ui.quiz import self_check
from ui.state import chart_scale, preset_button, prose, seed_input

st.title("Superposition in a privileged basis")
prose(
    """
So far the hidden layer had no special directions: rotate it, and the model behaves exactly the same. Now put a
**ReLU on the hidden layer**: `h = ReLU(W x)`, then `x' = ReLU(Wᵀ h + b)`. A ReLU acts on each hidden coordinate
separately, so the coordinates become **neurons** and rotating them changes the model. Now the weights can be
read directly: column *j* of *W* says which features drive neuron *j*.

A neuron is **monosemantic** when one feature drives at least 90 % of its input *variance* (its share of
Σᵢ *W*ᵢⱼ²), and **polysemantic** otherwise. Every active feature varies by the same amount, so this share is the
fraction of what the neuron responds to that comes from one feature. (A share of Σᵢ |*W*ᵢⱼ| instead would let a
crowd of tiny, harmless weights outvote the one that matters; the computation chapter, with 100 features, uses
the same variance rule for that reason.) The paper's model has *n* = 10 features, *m* = 5 neurons and importance
0.75ⁱ.
""",
    "A ReLU on the hidden layer turns its coordinates into neurons, so we can ask which features each neuron carries.",
)
scale = chart_scale()
SWEEP = privileged_superposition.BUILDERS["privileged_sweep"]
LINKED = "ps"  # the page's linked views: one feature followed in every weight grid and neuron stack, first and live
FOLLOW_HINT = (
    "Click a feature's row of W or its piece of a neuron's bar to follow it in every weight grid and neuron bar "
    "chart on this page, your own run's included."
)


def _paper_data() -> tuple[np.ndarray, np.ndarray, np.ndarray | None, str, bool]:
    """(densities, best-seed W, every seed's monosemantic counts or None, where it came from, whether those counts
    used today's W^2 rule; older sweeps counted with the stricter |W| share, so theirs are lower bounds)."""
    asset = asset_or_none("privileged_sweep", SWEEP.version)
    if asset is not None:
        a = asset.arrays
        exact = privileged_superposition.seed_counts_exact(a)
        return a["densities"], a["W"], a["seed_mono"], "precomputed", exact
    cfg = privileged_superposition.privileged_config(
        privileged_superposition.SHOWCASE_DENSITIES, steps=privileged_superposition.PAPER_STEPS, n_seeds=4
    )
    result = trained(cfg)
    return (
        np.asarray(privileged_superposition.SHOWCASE_DENSITIES),
        result.W,
        None,
        "trained now (7 densities, best of 4 seeds)",
        True,
    )


st.header("The paper's sweep")
densities, W_paper, seed_mono, source, seeds_exact = _paper_data()
spec = SWEEP.toy_config.to_dict()
if source == "precomputed":
    st.caption(
        f"Precomputed, shown instantly: {len(densities)} densities from 1 to {densities[-1]:.3g}, each the lowest-loss "
        f"of {spec['n_seeds']} seeds trained {spec['steps']:,} steps (the paper kept the best of 1000). "
        "Rebuild with `python -m core.precompute --only privileged_sweep`."
    )
else:
    st.caption(
        f"Precomputed file missing, so this sweep was {source}; it is cached for everyone after the first visit."
    )
labels = [f"{p:.3g}" for p in densities]
chosen = st.select_slider(
    "Feature density p = 1 − S (chance a feature is non-zero) of the model shown below",
    labels,
    value=labels[3] if len(labels) > 3 else labels[0],
    key="ps_paper_density",
    bind="query-params",
)
k = labels.index(chosen)
all_labels = privileged_superposition.neuron_labels(W_paper)
counts = privileged_superposition.neuron_counts(W_paper)
show_chart(
    neuron_charts.neuron_counts_chart(
        densities, counts, seed_mono, n_neurons=W_paper.shape[-1], marker=float(densities[k]), scale=scale
    ),
    "privileged-neuron-kinds-by-density",
    "ps_counts",
    alt_text=counts_alt(densities, counts, W_paper.shape[-1], k, seeds=seed_mono is not None),
)
st.caption(
    "Lines: the kept (lowest-loss) model at each density. "
    + (
        "Faint dots: every seed's count of monosemantic neurons, dot size = how many seeds"
        + (
            ". "
            if seeds_exact
            else " (counted when the sweep was built, with the older, stricter share of Σ|Wᵢⱼ|: a seed's count by "
            "today's rule is at least this). "
        )
        if seed_mono is not None
        else ""
    )
    + "The dashed line marks the model drawn below."
)
order = privileged_superposition.neuron_order(W_paper[k])
# once, above the first grid and bars; the live panel catches up when a click in it moves the pick
linked.follow_bar(LINKED, int(W_paper.shape[1]), FOLLOW_HINT)
neuron_views(
    W_paper[k],
    kinds_of(all_labels.monosemantic[k], all_labels.dead[k]),
    order,
    scale,
    title=f"W at {presets.label_density(float(densities[k]))}",
    key="ps_sweep",
    name=f"privileged-neurons-p{float(densities[k]):.3g}",
    page=LINKED,
)
st.caption(
    f"At p = {float(densities[k]):.3g}: {describe_labels(all_labels, k)} neurons. Neurons are sorted by their "
    "strongest feature (their order means nothing to the model). In the bars, each rectangle is one weight, its "
    "height |Wᵢⱼ|, its colour the feature; negative weights hang below zero."
)

st.header("Train it yourself")
prose(
    "A smaller run you can watch: seven densities side by side, each the best of a few seeds. It takes a few "
    "seconds to a minute, depending on how busy the server is.",
    "Watch seven densities train side by side.",
)
MODES = ["Sweep: 7 densities", "One density"]
with settings_box():
    left, right = st.columns(2)
    mode = left.radio("What to train", MODES, key="ps_mode", bind="query-params")
    density = left.select_slider(
        "Feature density p = 1 − S (for 'One density')",
        options=privileged_superposition.SHOWCASE_DENSITIES,
        value=0.1,
        key="ps_density",
        bind="query-params",
        disabled=mode != MODES[1],
    )
    decay = left.slider(
        "Importance decay r (feature i counts rⁱ)", 0.5, 1.0, 0.75, 0.05, key="ps_decay", bind="query-params"
    )
    n_seeds = right.select_slider(
        "Best of N seeds (kept: lowest recent loss)", [1, 2, 4, 8], 4, key="ps_seeds", bind="query-params"
    )
    steps = right.select_slider(
        "Training steps (AdamW, lr 0.001, batch 1024)",
        [5_000, 10_000, 20_000],
        20_000,
        key="ps_steps",
        bind="query-params",
        help="Dense models need about 20,000 steps to settle onto single neurons (see 'What to notice').",
    )
    seed = seed_input(right, "ps_seed")
    preset_button(
        "Paper settings",
        {"ps_mode": MODES[0], "ps_decay": 0.75, "ps_steps": 20_000, "ps_seeds": 8, "ps_seed": 0},
        key="ps_paper",
        help="n = 10, m = 5, importance 0.75^i, seven densities from 1 to 0.001; best of 8 seeds here (the paper: 1000).",
    )
live_densities = privileged_superposition.SHOWCASE_DENSITIES if mode == MODES[0] else [float(density)]
cfg = privileged_superposition.privileged_config(live_densities, float(decay), int(steps), int(seed), int(n_seeds))
inspect_labels = [f"{p:.3g}" for p in live_densities]
pick = 0
if len(live_densities) > 1:
    pick = inspect_labels.index(
        st.select_slider(
            "Inspect the model at density p", inspect_labels, value="0.1", key="ps_inspect", bind="query-params"
        )
    )


def render(view: TrainResult) -> None:
    linked.catch_up(LINKED)  # a pick in the live grid or bars shows in the follow bar and the first model's too
    lab = privileged_superposition.neuron_labels(view.W)
    if len(live_densities) > 1 and not untrained(view):  # counts of random weights are no result
        live_counts = privileged_superposition.neuron_counts(view.W)
        chart = neuron_charts.neuron_counts_chart(
            np.asarray(live_densities),
            live_counts,
            n_neurons=cfg.n_hidden,
            marker=live_densities[pick],
            title="Neurons by kind in this run",
            scale=scale,
        )
        alt_text = counts_alt(np.asarray(live_densities), live_counts, cfg.n_hidden, pick)
        show_chart(chart, "privileged-live-neuron-kinds-by-density", "ps_live_counts", alt_text=alt_text)
    W_k = view.W[pick]
    neuron_views(
        W_k,
        kinds_of(lab.monosemantic[pick], lab.dead[pick]),
        privileged_superposition.neuron_order(W_k),
        scale,
        title=f"W at {presets.label_density(live_densities[pick])}",
        key="ps_live",
        name=f"privileged-live-neurons-p{live_densities[pick]:.3g}",
        page=LINKED,
    )
    marked = " (the dashed line in the counts chart)" if len(live_densities) > 1 else ""
    if not untrained(view):
        st.caption(f"This run at p = {live_densities[pick]:.3g}{marked}: {describe_labels(lab, pick)} neurons.")
        mono = privileged_superposition_predict.monosemantic_in_sparsest(view.W, live_densities)
        predict.reveal(KIND, CONTEXT, mono, view.steps_done >= cfg.steps)


KIND, CONTEXT = "privileged_superposition_mono", f"p{min(live_densities):g}"
with predict_box():
    predict.ask(KIND, CONTEXT, started=get_run("ps:run", cfg).trainer.step > 0)
live_training("ps:run", cfg, render)

st.subheader("What to notice")
prose(
    f"""
- **Dense features: every neuron is monosemantic.** Each of the five neurons carries one of the five most important
  features, and the other five features are dropped (their biases hold their average, ½). *W* is a permutation of
  the top five features. With inputs ≥ 0 and only positive weights, the hidden ReLU then has nothing to cut off:
  each feature passes through its neuron unchanged. Training needs time for this, so the sweep trains {spec["steps"]:,} steps;
  {privileged_superposition.seeds_sentence(seed_mono, densities, W_paper.shape[-1], seeds_exact)}
- **Very sparse features: no neuron is monosemantic.** All ten features are stored, each spread over a *set* of
  neurons, and every neuron serves several features.
- **In between, both kinds live in one model.** {privileged_superposition.mixed_sentence(densities, counts)} The
  most important features keep a neuron each while the next ones share the remaining neurons. The change from
  monosemantic to polysemantic looks like a phase change, this time at the level of neurons.
- **Why best of N?** Small models like this one often get stuck. Keeping the lowest-loss seed shows the structure
  the loss prefers; the faint dots show how often a single seed finds it.
""",
    "Dense features get one neuron each; sparse features share neurons, and the change looks like a phase change.",
)
st.subheader("A limitation of this toy model")
clipped = np.array(
    [privileged_relu_use.relu_clipped_share(W_paper[i], float(densities[i])) for i in range(len(densities))]
)
prose(
    f"""
The paper is frank about a weakness of this model. Its job is to copy the input, and copying needs no
nonlinearity in the middle: the hidden ReLU gives the model nothing it needs and only limits how it may encode the
features. So the model works around it whenever it can. The paper reports that with a hidden-layer bias the model
makes every bias positive, which keeps each neuron in its linear range where the ReLU does nothing, and that
without a bias but with enough features it fakes one by spreading weight over many features. The ReLU gets used
only when there is no way around it. That is one reason the paper kept this model tiny (5 neurons), and why the
next chapter switches to a task, the absolute value, that cannot be done without the hidden ReLU.

Our sweep shows the same reluctance. We measure how much of the neurons' input (the energy of *W x*, on random
inputs with at least one active feature) the ReLU actually cuts away.
{privileged_relu_use.clipping_sentence(densities, clipped)} Dense models behave like a linear bottleneck that
happens to be aligned with the neurons; only squeezed into superposition does the model let the ReLU remove
interference. (Our model has no hidden bias, so we did not test the paper's bias observation ourselves.)
""",
    "The hidden ReLU only limits this model; it avoids using it until superposition forces it to.",
)

with st.expander("The settings, exactly"):
    st.markdown(
        f"""
Model: h = ReLU(W x), x' = ReLU(Wᵀ h + b), tied weights, no hidden bias; n = {privileged_superposition.N_FEATURES}, m = {privileged_superposition.N_HIDDEN}.
Data: each feature is 0 with probability 1 − p, otherwise uniform on [0, 1]. Loss: importance-weighted squared error,
mean over batch and features (the paper's sum over features divided by n).
AdamW (lr 0.001, weight decay 0.01), batch 1024. Precomputed sweep: importance 0.75ⁱ, densities
{", ".join(f"{p:.3g}" for p in spec["feature_probability"])}, {spec["steps"]:,} steps, best of {spec["n_seeds"]} seeds (seed {spec["seed"]}).
Neuron labels: **monosemantic** if one feature has ≥ {privileged_superposition.MONO_THRESHOLD:.0%} of the neuron's Σᵢ Wᵢⱼ²;
**dead** if no input weight reaches {privileged_superposition.DEAD_WEIGHT} (inputs are ≥ 0, so only a positive weight can make it fire);
otherwise **polysemantic**. Live run: importance {decay:g}ⁱ, {cfg.steps:,} steps, best of {cfg.n_seeds}, seed {cfg.seed}.
"""
    )

self_check(
    [
        (
            "Why can we read W directly here, when the earlier chapters looked at WᵀW instead?",
            "Without a hidden ReLU, any rotation of the hidden space gives an identical model, so the individual "
            "entries of W mean nothing and only WᵀW (the same for every rotation) is meaningful. The ReLU acts on "
            "each hidden coordinate, so the coordinates are real units (neurons) and W says which feature feeds which.",
        ),
        (
            "A dense model keeps five features in five neurons. Why does each one end up on a neuron of its own, "
            "rather than along some rotated mix of neurons?",
            "Five features fit in five dimensions at right angles, and without a ReLU any rotation would do. With "
            "the ReLU, a feature that reached some neuron through a negative weight would be cut off there (inputs "
            "are ≥ 0, so that neuron's share of it never gets through), and a neuron shared by two features clips "
            "their sum. Five orthogonal directions with no negative entries are exactly the single neurons, so "
            "only the one-feature-per-neuron layout passes every feature through the ReLU untouched.",
        ),
        (
            "If you find a polysemantic neuron in a real network, does that mean the network is poorly trained?",
            "Not necessarily. Here polysemantic neurons are what the lowest-loss models do when features are sparse: "
            "sharing neurons lets the model store more features than it has neurons, at the price of some interference.",
        ),
    ]
)
