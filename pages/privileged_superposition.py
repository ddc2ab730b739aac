"""Chapter: superposition in a privileged basis (the ReLU-hidden model), precomputed sweep plus live training."""

import numpy as np
import streamlit as st

from core import plots_neurons, presets, privileged
from core.train import TrainResult
from ui.assets import asset_or_none
from ui.cache import trained
from ui.live import live_training
from ui.neurons import describe_labels, kinds_of, neuron_views
from ui.quiz import self_check
from ui.state import chart_scale, preset_button, seed_input

st.title("Superposition in a privileged basis")
st.markdown(
    """
So far the hidden layer had no special directions: rotate it, and the model behaves exactly the same. Now put a
**ReLU on the hidden layer**: `h = ReLU(W x)`, then `x' = ReLU(Wᵀ h + b)`. A ReLU acts on each hidden coordinate
separately, so the coordinates become **neurons** and rotating them changes the model. Now the weights can be
read directly: column *j* of *W* says which features drive neuron *j*.

A neuron is **monosemantic** when one feature carries at least 90 % of its input weight (sum of |*W*ᵢⱼ|), and
**polysemantic** otherwise. The paper's model has *n* = 10 features, *m* = 5 neurons and importance 0.75ⁱ.
"""
)
scale = chart_scale()
SWEEP = privileged.BUILDERS["privileged_sweep"]


def _paper_data() -> tuple[np.ndarray, np.ndarray, np.ndarray | None, str]:
    """(densities, best-seed W, every seed's monosemantic counts or None, where it came from)."""
    asset = asset_or_none("privileged_sweep", SWEEP.version)
    if asset is not None:
        a = asset.arrays
        return a["densities"], a["W"], a["seed_mono"], "precomputed"
    cfg = privileged.privileged_config(privileged.SHOWCASE_DENSITIES, steps=privileged.PAPER_STEPS, n_seeds=4)
    result = trained(cfg)
    return np.asarray(privileged.SHOWCASE_DENSITIES), result.W, None, "trained now (7 densities, best of 4 seeds)"


st.header("The paper's sweep")
densities, W_paper, seed_mono, source = _paper_data()
spec = SWEEP.config
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
    key="pb_paper_density",
    bind="query-params",
)
k = labels.index(chosen)
all_labels = privileged.neuron_labels(W_paper)
counts = privileged.neuron_counts(W_paper)
st.altair_chart(
    plots_neurons.neuron_counts_chart(
        densities, counts, seed_mono, n_neurons=W_paper.shape[-1], marker=float(densities[k]), scale=scale
    ),
    width="content",
)
st.caption(
    "Lines: the kept (lowest-loss) model at each density. "
    + (
        "Faint dots: every seed's count of monosemantic neurons, dot size = how many seeds. "
        if seed_mono is not None
        else ""
    )
    + "The dashed line marks the model drawn below."
)
order = privileged.neuron_order(W_paper[k])
neuron_views(
    W_paper[k],
    kinds_of(all_labels.monosemantic[k], all_labels.dead[k]),
    order,
    scale,
    title=f"W at {presets.label_density(float(densities[k]))}",
)
st.caption(
    f"At p = {float(densities[k]):.3g}: {describe_labels(all_labels, k)} neurons. Neurons are sorted by their "
    "strongest feature (their order means nothing to the model). In the bars, each rectangle is one weight, its "
    "height |Wᵢⱼ|, its colour the feature; negative weights hang below zero."
)

st.header("Train it yourself")
st.markdown(
    "A smaller run you can watch: seven densities side by side, each the best of a few seeds. It takes a few "
    "seconds to a minute, depending on how busy the server is."
)
MODES = ["Sweep: 7 densities", "One density"]
with st.container(border=True):
    left, right = st.columns(2)
    mode = left.radio("What to train", MODES, key="pb_mode", bind="query-params")
    density = left.select_slider(
        "Feature density p = 1 − S (for 'One density')",
        options=privileged.SHOWCASE_DENSITIES,
        value=0.1,
        key="pb_density",
        bind="query-params",
        disabled=mode != MODES[1],
    )
    decay = left.slider(
        "Importance decay r (feature i counts rⁱ)", 0.5, 1.0, 0.75, 0.05, key="pb_decay", bind="query-params"
    )
    n_seeds = right.select_slider(
        "Best of N seeds (kept: lowest recent loss)", [1, 2, 4, 8], 4, key="pb_seeds", bind="query-params"
    )
    steps = right.select_slider(
        "Training steps (AdamW, lr 0.001, batch 1024)",
        [5_000, 10_000, 20_000],
        20_000,
        key="pb_steps",
        bind="query-params",
        help="Dense models need about 20,000 steps to settle onto single neurons (see 'What to notice').",
    )
    seed = seed_input(right, "pb_seed")
preset_button(
    "Paper settings",
    {"pb_mode": MODES[0], "pb_decay": 0.75, "pb_steps": 20_000, "pb_seeds": 8, "pb_seed": 0},
    key="pb_paper",
    help="n = 10, m = 5, importance 0.75^i, the densities of the paper's figure; best of 8 seeds here (the paper: 1000).",
)
live_densities = privileged.SHOWCASE_DENSITIES if mode == MODES[0] else [float(density)]
cfg = privileged.privileged_config(live_densities, float(decay), int(steps), int(seed), int(n_seeds))
inspect_labels = [f"{p:.3g}" for p in live_densities]
pick = 0
if len(live_densities) > 1:
    pick = inspect_labels.index(
        st.select_slider(
            "Inspect the model at density p", inspect_labels, value="0.1", key="pb_inspect", bind="query-params"
        )
    )


def render(view: TrainResult) -> None:
    lab = privileged.neuron_labels(view.W)
    if len(live_densities) > 1:
        chart = plots_neurons.neuron_counts_chart(
            np.asarray(live_densities),
            privileged.neuron_counts(view.W),
            n_neurons=cfg.n_hidden,
            marker=live_densities[pick],
            title="Neurons by kind in this run",
            scale=scale,
        )
        st.altair_chart(chart, width="content")
    W_k = view.W[pick]
    neuron_views(
        W_k,
        kinds_of(lab.monosemantic[pick], lab.dead[pick]),
        privileged.neuron_order(W_k),
        scale,
        title=f"W at {presets.label_density(live_densities[pick])}",
    )
    st.caption(f"This run at p = {live_densities[pick]:.3g}: {describe_labels(lab, pick)} neurons.")


live_training("pb:run", cfg, render)

st.subheader("What to notice")
st.markdown(
    """
- **Dense features: every neuron is monosemantic.** Each of the five neurons carries one of the five most important
  features, and the other five features are dropped (their biases hold their average, ½). *W* is a permutation of
  the top five features. Training needs time for this: after 10,000 steps most seeds still mix 10–25 % of other
  features into each neuron; by 20,000 steps every one of our 32 seeds is cleanly aligned with the neurons.
- **Very sparse features: no neuron is monosemantic.** All ten features are stored, each spread over a *set* of
  neurons, and every neuron serves several features.
- **In between, both kinds live in one model.** Around p ≈ 0.2 the most important features keep a neuron each
  while the next ones share the remaining neurons (for example three features on two neurons). The change from
  monosemantic to polysemantic looks like a phase change, this time at the level of neurons.
- **Why best of N?** Small models like this one often get stuck. Keeping the lowest-loss seed shows the structure
  the loss prefers; the faint dots show how often a single seed finds it.
"""
)
with st.expander("The settings, exactly"):
    st.markdown(
        f"""
Model: h = ReLU(W x), x' = ReLU(Wᵀ h + b), tied weights, no hidden bias; n = {privileged.N_FEATURES}, m = {privileged.N_HIDDEN}.
Data: each feature is 0 with probability 1 − p, otherwise uniform on [0, 1]. Loss: importance-weighted squared error.
AdamW (lr 0.001, weight decay 0.01), batch 1024. Precomputed sweep: importance 0.75ⁱ, densities
{", ".join(f"{p:.3g}" for p in spec["densities"])}, {spec["steps"]:,} steps, best of {spec["n_seeds"]} seeds (seed {spec["seed"]}).
Neuron labels: **monosemantic** if one feature has ≥ {privileged.MONO_THRESHOLD:.0%} of the neuron's Σ|Wᵢⱼ|;
**dead** if no input weight reaches {privileged.DEAD_WEIGHT} (inputs are ≥ 0, so such a neuron never fires noticeably);
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
            "A dense model has 5 neurons and 10 features. Why does it give each neuron to exactly one feature?",
            "When every feature is present in every example, any feature sharing a neuron with another would leak "
            "into the other's output all the time. With no sparsity to hide that interference, the best use of five "
            "neurons is to store the five most important features cleanly and drop the rest.",
        ),
        (
            "If you find a polysemantic neuron in a real network, does that mean the network is poorly trained?",
            "Not necessarily. Here polysemantic neurons are what the lowest-loss models do when features are sparse: "
            "sharing neurons lets the model store more features than it has neurons, at the price of some interference.",
        ),
    ]
)
