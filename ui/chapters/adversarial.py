"""Widgets for the adversarial-vulnerability chapter: the attacked uniform sweep (from the asset), a live
sweep, and the ordinary-vs-adversarial training comparison."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from core.assets import load_asset
from core.chapters import adversarial, adversarial_predict
from core.charts import adversarial as adversarial_charts
from core.config import ToyConfig
from core.train import TrainResult
from ui import predict
from ui.assets import asset_or_none
from ui.export import show_chart
from ui.live import get_run, live_training, untrained
from ui.state import chart_scale

ASSET = "uniform_n200_m20"
ASSET_VERSION = 1
ASSET_SAMPLES = 400  # inputs per model; every one of the 200 features is attacked
LIVE_N, LIVE_M = 20, 5
LIVE_DENSITIES = (1.0, 0.5, 0.3, 0.2, 0.1, 0.05, 0.03)
TRAIN_DENSITIES = (0.3, 0.1, 0.05)
TRAIN_BUDGETS = (0.0, 0.1, 0.3)  # 0 = ordinary training; the others x the mean input norm
TRAIN_STEPS, TRAIN_BATCH = 2000, 128
PLATEAU = (2.5, 3.6)  # 1/p range of the uniform sweep's antipodal-pair plateau (geometry chapter)


@dataclass(frozen=True)
class SweepNumbers:
    densities: np.ndarray
    vulnerability: np.ndarray  # strongest single per-feature attack, extra error / eps^2
    features_per_dim: np.ndarray
    mean_attack: np.ndarray  # the average over the per-feature attacks
    per_input_worst: np.ndarray  # each input's own worst per-feature attack
    n: int = 0  # features per model

    @property
    def n_features(self) -> int:
        return int(self.n)

    @property
    def rise(self) -> float:
        return float(self.vulnerability[-1] / self.vulnerability[0])

    @property
    def correlation(self) -> float:
        return float(np.corrcoef(self.vulnerability, self.features_per_dim)[0, 1])

    @property
    def other_rises(self) -> tuple[float, float]:
        """(average attack, per-input worst attack): sparsest / densest, for the other readings of the score."""
        return (
            float(self.mean_attack[-1] / self.mean_attack[0]),
            float(self.per_input_worst[-1] / self.per_input_worst[0]),
        )


def summarise(results: list[adversarial.Vulnerability]) -> SweepNumbers:
    return SweepNumbers(
        np.array([r.density for r in results]),
        np.array([r.strongest for r in results]),
        np.array([r.features_per_dim for r in results]),
        np.array([r.mean for r in results]),
        np.array([r.worst for r in results]),
        len(results[0].per_feature),
    )


def asset_sweep(name: str = ASSET) -> SweepNumbers | None:
    """The uniform sweep's models, attacked; None (after saying so) if the asset is missing or stale."""
    asset = asset_or_none(name, ASSET_VERSION)
    return None if asset is None else _attacked(name)


@st.cache_data(max_entries=2, show_spinner="Attacking every model of the sweep (a few seconds, once)...")
def _attacked(name: str) -> SweepNumbers:
    a = load_asset(name, ASSET_VERSION).arrays
    W, keep = a["W"].astype(np.float64), a["w_index"].astype(int)
    densities = a["densities"].astype(np.float64)[keep]
    return summarise(adversarial.sweep(W, None, densities, ASSET_SAMPLES, seed=0))


def sweep_chart(numbers: SweepNumbers, key: str, title: str) -> None:
    show_chart(
        adversarial_charts.vulnerability_sweep(
            numbers.densities, numbers.vulnerability, numbers.features_per_dim, title=title, scale=chart_scale()
        ),
        f"vulnerability-{key}",
        f"adv_{key}",
        alt_text="Line chart against inverse feature density: attack vulnerability and features per dimension, "
        "both starting at 1 for dense features and rising together as features get sparser.",
    )


def plateau_text(numbers: SweepNumbers) -> str:
    inv = 1.0 / numbers.densities
    band = (inv >= PLATEAU[0]) & (inv <= PLATEAU[1])
    if not band.any():
        return ""
    v, f = numbers.vulnerability[band], numbers.features_per_dim[band]
    return (
        f"Between 1/p = {inv[band].min():.2g} and {inv[band].max():.2g}, where features sit in antipodal pairs, "
        f"features per dimension stays at {f.min():.2f} to {f.max():.2f} and vulnerability at "
        f"{v.min():.2f} to {v.max():.2f}: both pause together."
    )


def live_config(seed: int) -> ToyConfig:
    return ToyConfig(
        model="relu_output",
        n_features=LIVE_N,
        n_hidden=LIVE_M,
        feature_probability=list(LIVE_DENSITIES),
        importance=1.0,
        steps=5_000,
        batch_size=1024,
        seed=seed,
    )


def live_sweep(seed: int) -> None:
    """Train n = 20, m = 5 at seven densities here, and attack each model as it learns."""

    def render(view: TrainResult) -> None:
        if untrained(view):  # attacking random weights measures nothing the model learned
            st.caption("Untrained: the attacks run once the models have trained.")
            return
        results = adversarial.sweep(view.W, view.b, LIVE_DENSITIES, samples=1000, seed=seed)
        numbers = summarise(results)
        sweep_chart(numbers, "live", f"Live models (n = {LIVE_N}, m = {LIVE_M})")
        st.caption(live_text(numbers, results, view.b))
        rise = adversarial_predict.peak_rise(results)
        predict.reveal("adversarial_peak", f"seed{seed}", rise, view.steps_done >= view.config.steps)

    cfg = live_config(seed)
    predict.ask("adversarial_peak", f"seed{seed}", started=get_run("adv:live", cfg).trainer.step > 0)
    live_training("adv:live", cfg, render)


def live_text(numbers: SweepNumbers, results: list[adversarial.Vulnerability], b: np.ndarray) -> str:
    """What the live sweep shows, from its numbers: the peak, and what happens at the sparsest density."""
    top = int(np.argmax(numbers.vulnerability))
    last = results[-1]
    text = (
        f"Densest model: vulnerability {numbers.vulnerability[0]:.2f}, features per dimension "
        f"{numbers.features_per_dim[0]:.2f}. Highest vulnerability {numbers.vulnerability[top]:.2f}, at p = "
        f"{numbers.densities[top]:g} (features per dimension {numbers.features_per_dim[top]:.2f})."
    )
    if top < len(results) - 1:
        text += (
            f" At p = {last.density:g} it is {last.strongest:.2f} although features per dimension is "
            f"{last.features_per_dim:.2f}: an input there has {LIVE_N * last.density:.1f} non-zero features on "
            f"average, so the budget ε = {last.eps:.3f} is small next to the biases (median "
            f"{float(np.median(b[-1])):.3f}), and the ReLU swallows much of the push."
        )
    return text


@st.cache_data(max_entries=16, show_spinner=False)
def trained_pair(p: float, seed: int) -> list[dict]:
    """One model per training budget (0 = ordinary), same seed and data; measured at the paper's budget."""
    rows = []
    for frac in TRAIN_BUDGETS:
        run = adversarial.train_numpy(
            LIVE_N,
            LIVE_M,
            p,
            adversarial=frac > 0,
            steps=TRAIN_STEPS,
            seed=seed,
            batch=TRAIN_BATCH,
            budget_fraction=frac or 0.1,
        )
        v = adversarial.measure(run.W, run.b, p, samples=2000, seed=seed + 100)
        rows.append(
            {
                "label": "ordinary" if frac == 0 else f"adversarial, ε = {frac:g} × norm",
                "fpd": v.features_per_dim,
                "vul": v.strongest,
                "loss": adversarial.clean_loss(run.W, run.b, p, seed=seed + 200),
                "stored": int((np.linalg.norm(run.W, axis=1) > 0.5).sum()),
            }
        )
    return rows


def training_result(rows: list[dict], p: float, seed: int) -> None:
    show_chart(
        adversarial_charts.training_comparison(
            [r["label"] for r in rows],
            [r["fpd"] for r in rows],
            [r["vul"] for r in rows],
            [r["loss"] for r in rows],
            scale=chart_scale(),
        ),
        "adversarial-training",
        "adv_training",
        alt_text="Three bar charts comparing an ordinary model with two adversarially trained ones: features per "
        "dimension, vulnerability and clean loss.",
    )
    plain, strong = rows[0], rows[-1]
    st.caption(
        f"p = {p:g}, seed {seed}. Ordinary training: {plain['stored']} of {LIVE_N} features stored "
        f"(‖Wᵢ‖ > 0.5), {plain['fpd']:.2f} features per dimension, vulnerability {plain['vul']:.2f}, clean loss "
        f"{plain['loss']:.4f}. Strongest adversarial training: {strong['stored']} stored, {strong['fpd']:.2f} "
        f"features per dimension, vulnerability {strong['vul']:.2f}, clean loss {strong['loss']:.4f}."
    )
