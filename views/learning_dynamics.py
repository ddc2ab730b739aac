"""Chapter: superposition and learning dynamics, live runs with replay plus a precomputed paper-scale run."""

import numpy as np
import streamlit as st

from core.chapters import learning_dynamics, learning_dynamics_predict
from core.charts import learning_dynamics as learning_dynamics_charts
from core.train import TrainResult
from ui import predict
from ui.assets import asset_or_none
from ui.chapters.learning_dynamics import live_panel, panel_alt, paper_jumps, replay_index
from ui.export import gathered_downloads, show_chart
from ui.layout import intro, predict_box, settings_box
from ui.live import get_run, live_training
from ui.quiz import self_check
from ui.state import chart_scale, preset_button, prose, seed_input

st.title("Learning dynamics")
intro(
    """
The earlier chapters looked at models *after* training. Here we watch the geometry form. The tool is each
feature's **dimensionality** Dᵢ = ‖Wᵢ‖² / Σⱼ (Ŵᵢ·Wⱼ)²: the share of a hidden dimension that feature *i*
owns (1 alone on its axis, ½ in an antipodal pair, ⅓ when three features share one direction, 0 when dropped).
The paper found that Dᵢ tend to sit on such values and **jump** between them, and that the loss often drops when
they do. Below, the Dᵢ of every feature are drawn over training, with the loss underneath on the same time axis.
""",
    "Each feature's dimensionality D_i sits on simple fractions and jumps between them, often as the loss drops.",
)
scale = chart_scale()
SETTINGS = ["Two correlated triples (n = 6, m = 3)", "Uniform superposition (n = 12, m = 4)"]
INIT_SCALES = [0.05, 0.1, 0.2, 0.5, 1.0]

with settings_box():
    left, right = st.columns(2)
    setting = left.radio("Setting", SETTINGS, key="ld_setting", bind="query-params")
    triples = setting == SETTINGS[0]
    if triples:
        density = left.select_slider(
            "Feature density p = 1 − S (chance a triple is active; its three features switch on together)",
            [0.005, 0.01, 0.02, 0.05, 0.1],
            0.02,
            key="ld_tri_density",
            bind="query-params",
        )
    else:
        density = left.select_slider(
            "Feature density p = 1 − S (chance a feature is non-zero; 1/p from 2 to 5)",
            [0.2, 0.3, 0.4, 0.5],
            0.3,
            key="ld_uni_density",
            bind="query-params",
        )
        starts = left.select_slider(
            "Random starts (best of N)",
            [1, 2, 4, 8],
            learning_dynamics.UNIFORM_STARTS,
            key="ld_uni_starts",
            bind="query-params",
            help="N random starts train side by side; the charts follow the one with the lowest recent training "
            "loss. A single start can settle in a worse arrangement.",
        )
    init_scale = right.select_slider(
        "Starting weight scale (× Xavier-normal)",
        INIT_SCALES,
        0.1,
        key="ld_init",
        bind="query-params",
        help="Our choice, not the paper's (it does not state its initialisation): small starting weights "
        "separate the stages of learning in time; at 1 they overlap.",
    )
    seed = seed_input(right, "ld_seed")
    axis = right.radio(
        "Time axis",
        ["log", "linear"],
        horizontal=True,
        key="ld_axis",
        bind="query-params",
        help="A log axis spreads out the first few hundred steps, where most of the change happens.",
    )
    preset_button(
        "Paper settings",
        {"ld_setting": SETTINGS[0], "ld_tri_density": 0.02, "ld_init": 0.1, "ld_seed": 0, "ld_axis": "log"},
        key="ld_paper",
        help="The paper's second experiment: 6 features in 3 dimensions as two correlated triples. The small starting "
        "weights (0.1 × Xavier) are our choice; the paper does not state its initialisation.",
    )
if triples:
    cfg = learning_dynamics.triples_config(float(density), steps=10_000, snapshot_every=20, seed=int(seed))
else:
    cfg = learning_dynamics.uniform_config(12, 4, float(density), steps=10_000, snapshot_every=20, seed=int(seed))
    cfg = cfg.with_(n_seeds=int(starts))
cfg = cfg.with_(init_scale=float(init_scale))
panel_slot = st.container()  # the live panel first; its replay slider is drawn below it
replay = st.slider(
    "Replay: show the geometry at training step",
    0,
    cfg.steps,
    cfg.steps,
    cfg.snapshot_every,
    key="ld_replay",
    bind="query-params",
    help="Snapshots are recorded every few steps; the plots show the last one at or before this step.",
)


KIND, CONTEXT = "learning_dynamics_final_share", f"p{density:g}_init{init_scale:g}_seed{seed}"


def render(view: TrainResult) -> None:
    live_panel(view, cfg, triples, axis == "log", int(replay), scale)
    if triples and view.steps_done > 0:
        share = learning_dynamics_predict.final_share(view.W[0])
        predict.reveal(KIND, CONTEXT, share, view.steps_done >= cfg.steps)


with panel_slot:
    if triples:
        with predict_box():
            predict.ask(KIND, CONTEXT, started=get_run("ld:run", cfg).trainer.step > 0)
    live_training("ld:run", cfg, render, step_size=cfg.steps // 10)

st.header("Paper scale: 400 features in 30 dimensions")
SPEC = learning_dynamics.BUILDERS["dynamics_uniform"]
asset = asset_or_none("dynamics_uniform", SPEC.version)
if asset is None:
    st.caption("Train the uniform setting above instead: it is the same experiment at a smaller size.")
else:
    a, c = asset.arrays, {**SPEC.params, **SPEC.toy_config.to_dict()}
    steps, D, losses = a["steps"].astype(np.int64), a["D"].astype(np.float64), a["loss"].astype(np.float64)
    st.caption(
        f"Precomputed, shown instantly: uniform importance, n = {c['n_features']}, m = {c['n_hidden']}, density "
        f"p = {c['feature_probability']} (1/p ≈ {1 / c['feature_probability']:.2g}, inside the range where every stored feature ends in an "
        f"antipodal pair), starting scale {c['init_scale']}, {c['steps']:,} steps, a snapshot every "
        f"{c['snapshot_every']}. Only the {D.shape[1]} features whose D_i ever reached {c['keep_min_D']} are drawn; "
        f"the other {c['n_features'] - D.shape[1]} never get that far."
    )
    with gathered_downloads("dynamics-400-in-30"):  # the paper-scale figures' downloads in one row
        table = paper_jumps(SPEC.version, steps, D, losses)
        at = st.slider(
            "Replay the paper-scale run at step",
            0,
            int(steps[-1]),
            int(steps[-1]),
            int(steps[1] - steps[0]),
            key="ld_paper_step",
            bind="query-params",
        )
        i = replay_index(steps, at)
        jump_steps = ((table["from step"] + table["to step"]) // 2).tolist() if len(table) else []
        show_chart(
            learning_dynamics_charts.dynamics_panel(
                steps,
                D,
                losses,
                a["features"],
                jump_steps,
                float(steps[i]),
                axis == "log",
                one_colour=True,
                scale=scale,
            ),
            "dynamics-400-in-30-dimensionality-and-loss",
            "ld_paper_panel",
            alt_text=panel_alt(steps, D.shape[1], len(jump_steps), int(steps[i]), axis == "log", float(losses[i])),
        )
        hits = int((table["loss drop?"] == "yes").sum()) if len(table) else 0
        st.caption(
            f"{len(table)} jumps detected; during {hits} of them the loss fell at least twice as fast as its average "
            "over the run (per doubling of the step count); they are the dashed orange lines, the grey line is the "
            "replay step. "
            f"At step {int(steps[i]):,}: {int(a['n_represented'][i])} features represented (‖Wᵢ‖ > 0.5)."
        )
        show_chart(
            learning_dynamics_charts.dimensionality_strip(
                D[i], c["n_features"], title=f"D_i of the drawn features at step {int(steps[i]):,}", scale=scale
            ),
            f"dynamics-400-in-30-dimensionality-step-{int(steps[i])}",
            "ld_paper_strip",
            alt_text=f"Dot plot of the {D.shape[1]} drawn features' dimensionality D_i at step {int(steps[i]):,}, "
            f"sorted from largest to smallest, with guide lines at 1, 3/4, 2/3, 1/2, 2/5, 3/8; "
            f"{int(np.sum(np.abs(D[i] - 0.5) < 0.05))} of them are within 0.05 of 1/2.",
        )

st.subheader("What to notice")
prose(
    f"""
- **Two correlated triples.** With small starting weights the loss comes down in separate steps, and each step is a
  change of shape. First each triple collapses onto a single direction (its members nearly parallel, D_i ≈ ⅓):
  the model stores the *sum* of each triple, like a principal component, which is cheap and already useful. Later
  the triples split apart, the two triples' features pair up as opposites, and the six directions end as an
  **octahedron** (three perpendicular antipodal pairs, every D_i = ½). Most of the detected jumps fall inside the
  second loss drop, and the stretch where the triples sit collapsed is a flat stretch of the loss curve.
- **Uniform features, 12 in 4 dimensions.** The caption under the run says where each stored feature ended. With
  the defaults (p = 0.3, best of {learning_dynamics.UNIFORM_STARTS} starts) the runs we checked (seeds 0–4) end with
  eight features stored, every one at D_i ≈ ½ (four antipodal pairs), and the other four dropped. A single start
  can stop elsewhere: with one start, seed 0 ends with one feature near D ≈ 0.74 beside three pairs. At other
  densities runs can end differently too, so read the caption rather than expecting ½.
- **Jumps and the loss.** The paper reports that the loss drops when a D_i jumps. In our runs that holds for a
  minority of jumps: with the defaults, {learning_dynamics.JUMPS_MEASURED.text()} came with a loss falling at least
  twice as fast as its average. Most moves happen early, while the loss is falling steeply everywhere, so a jump
  seldom stands out; the count under the chart is for your run. Because the total loss mixes all features, the
  run also applies the same test to each jumping feature's own share of the loss (its squared error), shown
  beside the jump table.
- **Starting scale matters.** Start at 1 × Xavier and the stages overlap; start small and they separate.
""",
    "Small starting weights make learning happen in stages: collapsed triples first, then an octahedron.",
)
with st.expander("The settings, exactly"):
    st.markdown(
        f"""
ReLU-output model x' = ReLU(Wᵀ W x + b), importance 1 for every feature; data: each feature (or, for the triples,
each triple at once) is active with probability p, with values uniform on [0, 1]. AdamW (lr 0.001, weight decay 0.01),
batch 1024. Live run: n = {cfg.n_features}, m = {cfg.n_hidden}, p = {density}, {cfg.steps:,} steps, a snapshot every
{cfg.snapshot_every} steps, starting weights {init_scale} × Xavier-normal (our choice: the paper does not state its
initialisation), best of {cfg.n_seeds} random start(s) (the one with the lowest training loss over the last 50 steps),
seed {cfg.seed}. The loss curve is each
snapshot's loss on one fixed batch of 8,192 (triples) or 4,096 examples, so it is smooth and comparable step to step.
Jump test: D_i (smoothed over 5 snapshots) holds within ±0.02 for at least 2 % of the run, moves by ≥ 0.1 within 15 %
of the run, then holds again. "Loss drop": during the jump the log-loss fell, per doubling of the step count, at least
twice as fast as its average over the whole run (a loss following a power law, a straight line on log-log axes, would
never count).
"""
    )

self_check(
    [
        (
            "Why does each triple first collapse onto one direction instead of going straight to the octahedron?",
            "The features of a triple always switch on together, so their sum is a strong, simple signal: storing it "
            "along one direction cuts the loss quickly (like keeping a principal component). Only later does it pay "
            "to separate the members, which needs a more precise arrangement.",
        ),
        (
            "Why does D_i not depend on how large the weights are, yet the starting scale changes the dynamics?",
            "D_i is a ratio of squared lengths, so scaling every weight leaves it unchanged. Training, though, moves "
            "small weights differently: with tiny weights the model behaves almost linearly at first, so the "
            "simple, linear-like solution forms before the nonlinear one.",
        ),
        (
            "A loss curve looks smooth. Does that mean nothing discrete is happening inside?",
            "Not necessarily: it can be the sum of many small jumps by different features at different times, each "
            "too small to see on its own.",
        ),
    ]
)
