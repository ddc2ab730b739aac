"""Widgets for "Undoing superposition": the SAE controls (bound to the URL, keys "sae_..."), one-click
presets for each failure mode, the live SAE panel and the penalty sweep."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from core import sae
from core.assets import Asset
from core.chapters import undoing_superposition as chapter
from core.chapters import undoing_superposition_baseline as baseline
from core.chapters import undoing_superposition_predict
from core.charts import undoing_superposition as sae_charts
from core.train import TrainResult, history_points
from ui import predict
from ui.assets import asset_or_none
from ui.cache import trained
from ui.export import show_chart
from ui.layout import predict_box
from ui.live import get_run, live_training
from ui.state import chart_scale, preset_button, seed_input

KINDS = {"relu_l1": "ReLU + L1 penalty", "topk": "TopK", "jumprelu": "JumpReLU + L0 penalty"}
COEFFICIENTS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
STEPS = [500, 1000, 2000, 4000, 8000]
DEFAULT_TOY_NAME = next(iter(chapter.TOYS))
KIND = "undoing_superposition_recovered"

# What each failure preset should show, said before the learner presses Play.
LOOK_FOR = {
    "Works: L1 0.3, 40 latents": "nearly every thin arrow lands on a grey one; the matching matrix is a diagonal.",
    "Penalty too small (0.01)": "L0 far above 2 and variance explained near 1, yet few features recovered: "
    "the code is dense, each latent a blend.",
    "Penalty too large (3, 80 latents)": "dead latents, L0 near 0 and shrinkage near 0: silence is cheaper "
    "than reconstruction.",
    "Dictionary too small (20 latents)": "half the features have no latent; many latents respond to 2+ features.",
    "TopK, k = 2": "shrinkage close to 1 (no L1 pulling codes down), but it needs more steps.",
    "JumpReLU, L0 0.1": "thresholds instead of shrinkage: weak activations drop out whole, so L0 sits near 1; "
    "most features are found, but a few latents die (70-90% recovered on seeds 0-2).",
}


def look_for(cfg: sae.SaeConfig) -> str | None:
    """What to look for when the controls match a preset (any seed)."""
    for label, preset in chapter.FAILURES.items():
        if replace(preset, seed=cfg.seed) == cfg:
            return LOOK_FOR[label]
    return None


def _values(cfg: sae.SaeConfig) -> dict[str, object]:
    return {
        "sae_toy": DEFAULT_TOY_NAME,
        "sae_kind": KINDS[cfg.kind],
        "sae_latents": cfg.n_latents,
        "sae_coef": cfg.coefficient,
        "sae_k": cfg.k,
        "sae_steps": cfg.steps,
    }


def preset_row() -> None:
    """One button per preset (each sets the default toy model and the SAE settings)."""
    row = st.container(horizontal=True)
    for i, (label, cfg) in enumerate(chapter.FAILURES.items()):
        with row:
            preset_button(label, _values(cfg), key=f"sae_preset_{i}", help="Look for: " + LOOK_FOR[label])


def controls() -> tuple[str, int, sae.SaeConfig]:
    """The toy model's name, its seed, and the SAE config the controls describe."""
    with st.container(border=True):
        left, right = st.columns(2)
        toy_name = left.selectbox("Toy model to decompose", list(chapter.TOYS), key="sae_toy", bind="query-params")
        seed = seed_input(left, "sae_seed", "Seed (toy model and SAE)")
        kind_label = left.radio("SAE kind", list(KINDS.values()), key="sae_kind", bind="query-params")
        kind = next(k for k, v in KINDS.items() if v == kind_label)
        latents = right.number_input("Dictionary size (latents)", 2, 400, 40, key="sae_latents", bind="query-params")
        coef = right.select_slider(
            "Penalty coefficient (L1 for ReLU, L0 for JumpReLU)",
            COEFFICIENTS,
            0.3,
            key="sae_coef",
            bind="query-params",
            disabled=kind == "topk",
        )
        k = right.number_input("k (TopK: active latents per sample)", 1, 20, 2, key="sae_k", bind="query-params")
        steps = right.select_slider(
            "Training steps (Adam, lr 0.003)", STEPS, 2000, key="sae_steps", bind="query-params"
        )
    # k cannot exceed the dictionary; clamping here keeps a half-edited pair of controls from erroring.
    cfg = sae.SaeConfig(
        kind=kind,
        n_latents=int(latents),
        coefficient=float(coef),
        k=min(int(k), int(latents)),
        steps=int(steps),
        seed=int(seed),
    )
    return toy_name, int(seed), cfg


def toy_for(name: str, seed: int) -> TrainResult:
    base = chapter.TOYS[name]
    return trained(chapter.toy_model(base.n_features, base.n_hidden, seed=seed, steps=base.steps))


def sweep_button(toy: TrainResult, cfg: sae.SaeConfig) -> None:
    """Train one SAE per penalty on click, listing each point as it lands; the chart in the live panel then
    shows them with the current run. Results stay in this session (keyed by toy model, dictionary and seed)."""
    key = f"sae_sweep:{toy.config.key()}:{cfg.n_latents}:{cfg.seed}"
    label = f"Sweep the L1 penalty ({len(chapter.SWEEP_COEFFICIENTS)} SAEs, {chapter.SWEEP_STEPS:,} steps each)"
    if not st.button(label, key="sae_sweep_go", icon=":material/scatter_plot:"):
        return
    bar = st.progress(0.0, text="Training one SAE per penalty…")
    table = st.empty()
    rows = []
    base = sae.SaeConfig(n_latents=cfg.n_latents, seed=cfg.seed)
    for row in chapter.sweep(toy, base):
        rows.append(row)
        bar.progress(len(rows) / len(chapter.SWEEP_COEFFICIENTS), text=f"Penalty {row['coefficient']:g} done")
        table.dataframe(pd.DataFrame(rows), hide_index=True)
    st.session_state["sae_sweep"] = (key, pd.DataFrame(rows))
    st.rerun()  # redraw the live panel with the new points


def live_panel(toy: TrainResult, cfg: sae.SaeConfig) -> None:
    sweep_key = f"sae_sweep:{toy.config.key()}:{cfg.n_latents}:{cfg.seed}"
    W_true = toy.W[0]
    basis, names = chapter.projection_basis(W_true[np.linalg.norm(W_true, axis=1) > sae.STORED_NORM])

    def render(view: sae.SaeResult) -> None:
        scale = chart_scale()
        scores = sae.score(view, toy, n_samples=8192)
        table = chapter.direction_table(view.decoder, W_true, basis, scores)
        left, right = st.columns(2)
        show_chart(
            sae_charts.directions(table, names, scale),
            "sae-directions",
            "sae_directions",
            where=left,
            alt_text="SAE decoder directions drawn over the toy model's true feature directions.",
        )
        right.dataframe(chapter.scores_table(scores), hide_index=True, column_config={"value": {"format": "%.3f"}})
        if view.steps_done:
            band = undoing_superposition_predict.recovery_band(scores)
            predict.reveal(KIND, context, band, view.steps_done >= cfg.steps)
        show_chart(
            sae_charts.matching(chapter.matching_table(scores), scale),
            "sae-matching",
            "sae_matching",
            alt_text="Heatmap of the cosine between each SAE latent and each true feature, sorted by the matching.",
        )
        if view.steps_done:
            steps, hist = history_points(view.loss_history)
            show_chart(
                sae_charts.losses(steps, hist, scale),
                "sae-loss",
                "sae_loss",
                alt_text="Reconstruction error and sparsity penalty of the SAE over training.",
            )
        tradeoff_chart(toy, cfg, {"l0": scores["l0"], "fve": scores["fve"]}, sweep_key)

    make, identity = (lambda c: sae.SaeTrainer(toy, c)), (toy.config.key(), cfg)
    context = (
        f"{toy.config.n_features}in{toy.config.n_hidden}_{cfg.kind}_L{cfg.n_latents}_c{cfg.coefficient:g}_k{cfg.k}"
    )
    context += f"_s{cfg.steps}_seed{cfg.seed}"
    with predict_box():
        predict.ask(KIND, context, started=get_run("sae:run", cfg, make, identity).trainer.step > 0)
    live_training("sae:run", cfg, render, step_size=max(1, cfg.steps // 10), make=make, identity=identity)


def tradeoff_chart(toy: TrainResult | None, cfg: sae.SaeConfig | None, current: dict | None, sweep_key: str) -> None:
    """The L0 / reconstruction curve: this session's sweep if it ran, else the precomputed one, with the live
    run as a diamond (``current``; None draws the curve alone)."""
    stored = st.session_state.get("sae_sweep")
    if stored and stored[0] == sweep_key:
        curve, note = stored[1], "labels: L1 coefficient · diamond: your run"
    else:
        asset = asset_or_none(chapter.TRADEOFF_ASSET, chapter.TRADEOFF_VERSION)
        if asset is None:
            return
        curve, note = chapter.tradeoff_frame(asset.arrays), _asset_note(asset, toy, cfg)
    show_chart(
        sae_charts.tradeoff(curve, current, chart_scale(), subtitle=note),
        "sae-tradeoff",
        "sae_tradeoff",
        alt_text="Variance explained against active latents per sample, one point per L1 penalty.",
    )


def _asset_note(asset: Asset, toy: TrainResult | None, cfg: sae.SaeConfig | None) -> str:
    """The precomputed curve's subtitle: what it was trained on, and whether the live run is comparable."""
    p = asset.config
    what = f"precomputed: {len(p['coefficients'])} SAEs, {p['n_latents']} latents, {p['steps']:,} steps"
    if toy is None or cfg is None:
        return what + f", on the {_toy_label(asset.toy_config)} model, seed {asset.toy_config.seed}"
    same = toy.config.key() == asset.toy_config.key() and (cfg.n_latents, cfg.seed) == (p["n_latents"], p["sae_seed"])
    if same:
        return what + " on this toy model · diamond: your run"
    return what + f" on the {_toy_label(asset.toy_config)} model, seed 0 · diamond: your run (other settings)"


def _toy_label(cfg) -> str:
    return f"{cfg.n_features}-in-{cfg.n_hidden}"


BASELINE_TOYS = ("the toy model above", "10 in 5 (stores antipodal pairs)")


def baseline_section(toy: TrainResult, seed: int) -> None:
    """Fit sklearn's dictionary learning with and without non-negative codes, on click; show the scores, the
    sentence that explains them and both matching matrices. Results stay in this session."""
    which = st.radio("Fit dictionaries to", BASELINE_TOYS, key="sae_dl_toy", horizontal=True)
    target = toy if which == BASELINE_TOYS[0] else trained(baseline.antipodal_toy(seed))
    key = f"sae_dl:{target.config.key()}:{seed}"
    label = f"Fit both dictionaries ({target.config.n_features} atoms each, seed {seed})"
    if st.button(label, key="sae_dl_go", icon=":material/grid_on:"):
        with st.spinner("Fitting MiniBatchDictionaryLearning twice…"):
            st.session_state["sae_dl"] = (key, baseline.run_baseline(target, seed))
    stored = st.session_state.get("sae_dl")
    if not stored or stored[0] != key:
        return
    result = stored[1]
    st.dataframe(baseline.baseline_table(result), hide_index=True)
    st.markdown(baseline.baseline_sentence(result))
    scale = chart_scale()
    for (label, report), where in zip(result.items(), st.columns(2)):
        show_chart(
            sae_charts.matching(chapter.matching_table(report), scale, f"Dictionary learning, {label} codes", "atom"),
            f"dl-matching-{label}",
            f"dl_matching_{label}",
            where=where,
            alt_text=f"Heatmap of |cos| between each {label}-code atom and each true feature.",
        )
