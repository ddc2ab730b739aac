"""Learning dynamics: how feature dimensionalities D_i and the loss evolve during training.

Two settings from the paper's learning-dynamics section:
- Uniform superposition (I = 1, one density for every feature) in the "digon" regime,
  1/p about 2 to 3.5, where every stored feature ends as one half of an antipodal pair
  (D_i = 1/2). The paper reports that D_i move between discrete values ("energy levels")
  and that the loss drops when they do.
- n = 6, m = 3, two correlated triples: training passes through distinct geometric stages,
  usually ending in an octahedron (each feature antipodal to one feature of the other triple,
  orthogonal to the rest).

Tools here work on the snapshots a run records every ``cfg.snapshot_every`` steps:
``snapshot_stack`` (steps, W, b), ``dimensionality_history`` (D_i per snapshot),
``snapshot_losses`` (the loss of every snapshot on one fixed evaluation batch, so the curve
is smooth and differences between steps are real, not batch noise), ``detect_jumps``
(fast moves of D_i between two plateaus) and ``loss_change_at`` (did the loss fall much
faster during the jump than it does on average over the run?).

Initial scale: our runs start from Xavier-normal weights times ``init_scale``. The paper does
not say how it initialised these runs; small starts are our choice, because with them the model
is nearly linear for a while and the stages of learning come one after another instead of at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from core import analysis, models, registry
from core.config import ToyConfig
from core.data import sample_batch
from core.precompute import AssetBuilder
from core.presets.learning_dynamics import (  # noqa: F401 (re-exported: callers use learning_dynamics.<name>)
    PAPER_RUN,
    TRIPLE_SETS,
    UNIFORM_STARTS,
    triples_config,
    uniform_config,
)
from core.train import TrainResult, train


@dataclass(frozen=True)
class JumpCount:
    """How many detected jumps came with a loss drop, measured on the page's default uniform run."""

    seeds: tuple[int, ...]
    jumps: int
    with_loss_drop: int
    per_seed: tuple[tuple[int, int], ...]  # (with_loss_drop, jumps) per seed

    def text(self) -> str:
        lo = min(self.per_seed, key=lambda hj: hj[0] / hj[1])
        hi = max(self.per_seed, key=lambda hj: hj[0] / hj[1])
        return (
            f"{self.with_loss_drop} of {self.jumps} jumps ({self.with_loss_drop / self.jumps:.0%}) over seeds "
            f"{self.seeds[0]}–{self.seeds[-1]}, from {lo[0]} of {lo[1]} to {hi[0]} of {hi[1]} per seed"
        )


# Measured on the page's default (12 in 4, p = 0.3, 0.1 x Xavier, best of 4, 10,000 steps, the live
# view's pick, jump_report with its defaults; /work/notes/g-scripts/ld.py, ld4.log); the tests re-check seeds 0-2.
JUMPS_MEASURED = JumpCount(
    seeds=(0, 1, 2, 3, 4), jumps=53, with_loss_drop=20, per_seed=((1, 10), (4, 10), (4, 10), (1, 9), (10, 14))
)


def stored_dimensionalities(W_k: np.ndarray, threshold: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """(indices, D_i) of the features a model stores (||W_i|| > threshold), for describing a finished run."""
    W_k = np.asarray(W_k, dtype=np.float64)
    stored = np.flatnonzero(analysis.feature_norms(W_k) > threshold)
    return stored, analysis.feature_dimensionality(W_k)[stored]


def train_dynamics(cfg: ToyConfig, init_scale: float = 1.0, threads: int = 2) -> TrainResult:
    """Train ``cfg`` from starting weights scaled by ``init_scale``; the result keeps its snapshots."""
    return train(cfg.with_(init_scale=float(init_scale)), threads=threads)


def snapshot_stack(result: TrainResult, instance: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(steps [T], W [T, n, m], b [T, n]) of one instance's recorded snapshots."""
    if not result.snapshots:
        raise ValueError("this run recorded no snapshots (set snapshot_every)")
    steps = np.array([s for s, _, _ in result.snapshots], dtype=np.int64)
    W = np.stack([w[instance] for _, w, _ in result.snapshots]).astype(np.float64)
    b = np.stack([bb[instance] for _, _, bb in result.snapshots]).astype(np.float64)
    return steps, W, b


def dimensionality_history(W_t: np.ndarray) -> np.ndarray:
    """D_i at every snapshot, [T, n] (see core.analysis.feature_dimensionality)."""
    return analysis.feature_dimensionality(W_t)


def snapshot_losses(
    cfg: ToyConfig, W_t: np.ndarray, b_t: np.ndarray, batch_size: int = 4096, seed: int = 12_345, instance: int = 0
) -> np.ndarray:
    """Loss of every snapshot on one fixed evaluation batch, [T] (ReLU-output and linear models).

    Using the same batch for every snapshot removes batch-to-batch noise, so a drop between
    two snapshots is a real change of the model.
    """
    if not registry.get(cfg.model).tied:
        raise ValueError(f"snapshot_losses supports tied models, not {cfg.model!r}")
    x = sample_batch(cfg, batch_size, seed)[instance]  # [B, n]
    imp = np.asarray(cfg.broadcast()[1][instance], dtype=np.float32)
    out = np.empty(len(W_t))
    for start in range(0, len(W_t), 64):
        W = np.asarray(W_t[start : start + 64], dtype=np.float32)
        b = np.asarray(b_t[start : start + 64], dtype=np.float32)
        xs = np.broadcast_to(x, (W.shape[0], *x.shape))
        imps = np.broadcast_to(imp, (W.shape[0], imp.shape[0]))
        out[start : start + W.shape[0]] = models.loss_per_instance(cfg.model, {"W": W, "b": b}, xs, xs, imps)
    return out


# ---- jumps ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Jump:
    """Feature ``feature`` moved from level ``before`` (held until ``start``) to ``after`` (held from ``end``)."""

    feature: int
    start: int  # step where the old plateau ends
    end: int  # step where the new plateau begins
    before: float
    after: float

    @property
    def step(self) -> int:
        return (self.start + self.end) // 2

    @property
    def size(self) -> float:
        return self.after - self.before


def _smooth(values: np.ndarray, width: int) -> np.ndarray:
    """Centred moving average along axis 0 (edges use the shorter window that fits)."""
    if width <= 1:
        return values.astype(np.float64)
    csum = np.cumsum(np.pad(values.astype(np.float64), ((1, 0),) + ((0, 0),) * (values.ndim - 1)), axis=0)
    t = values.shape[0]
    half = width // 2
    lo = np.clip(np.arange(t) - half, 0, t)
    hi = np.clip(np.arange(t) + half + 1, 0, t)
    return (csum[hi] - csum[lo]) / (hi - lo).reshape((-1,) + (1,) * (values.ndim - 1))


def plateaus(series: np.ndarray, hold: int, tol: float) -> list[tuple[int, int, float]]:
    """Stretches (first, last index, level) where a 1-D series stays within ``tol`` of its mean for >= ``hold`` points."""
    runs: list[tuple[int, int, float]] = []
    t, start = len(series), 0
    while start < t:
        end = start + 1
        while end < t and np.ptp(series[start : end + 1]) <= 2 * tol:
            end += 1
        if end - start >= hold:
            runs.append((start, end - 1, float(series[start:end].mean())))
            start = end
        else:
            start += 1
    return runs


def detect_jumps(
    steps: np.ndarray,
    D: np.ndarray,
    min_change: float = 0.1,
    tol: float = 0.02,
    hold_frac: float = 0.02,
    max_width_frac: float = 0.15,
    smooth: int = 5,
) -> list[Jump]:
    """Moves of D_i from one plateau to another, sorted by step.

    A plateau holds within +-``tol`` for at least ``hold_frac`` of the recorded run; a jump
    joins two consecutive plateaus whose levels differ by >= ``min_change`` and whose gap is
    at most ``max_width_frac`` of the run. Slow drifts and the wandering of the first steps
    (before any plateau) are not jumps.
    """
    steps = np.asarray(steps)
    Ds = _smooth(np.asarray(D, dtype=np.float64), smooth)
    t = len(steps)
    hold = max(3, int(round(hold_frac * t)))
    max_width = max(2, int(round(max_width_frac * t)))
    jumps = []
    for i in range(Ds.shape[1]):
        runs = plateaus(Ds[:, i], hold, tol)
        for (_, a_end, a_level), (b_start, _, b_level) in zip(runs[:-1], runs[1:]):
            if abs(b_level - a_level) >= min_change and b_start - a_end <= max_width:
                jumps.append(Jump(i, int(steps[a_end]), int(steps[b_start]), a_level, b_level))
    return sorted(jumps, key=lambda j: (j.step, j.feature))


@dataclass(frozen=True)
class LossChange:
    """How fast the loss fell during a jump, compared with the whole run.

    Rates are falls of log-loss per doubling of the step count: on a log time axis a loss
    that follows a power law falls at one steady rate, so a jump that coincides with a
    drop shows up as a rate well above the run's average.
    """

    during: float  # log-loss fall from the jump's start to its end
    rate: float  # during, per doubling of the step count
    average: float  # the whole run's log-loss fall per doubling (first recorded step > 0 to the end)

    @property
    def coincides(self) -> bool:
        """The loss fell during the jump at least twice as fast as on average over the run."""
        return self.during > 0 and self.rate >= 2.0 * max(self.average, 0.0)


def loss_change_at(steps: np.ndarray, losses: np.ndarray, jump: Jump) -> LossChange:
    """How the (snapshot) loss changed across ``jump``, in log-loss per doubling of the step count."""
    steps = np.asarray(steps, dtype=np.float64)
    log_l = np.log(np.maximum(np.asarray(losses, dtype=np.float64), 1e-300))

    def at(step: float) -> float:
        return float(np.interp(step, steps, log_l))

    first = float(steps[steps > 0][0]) if np.any(steps > 0) else 1.0
    s0, s1 = max(float(jump.start), first), max(float(jump.end), first)
    during = at(s0) - at(s1)
    rate = during / max(np.log2(s1 / s0), 1e-9)
    span = np.log2(float(steps[-1]) / first) if steps[-1] > first else 1.0
    return LossChange(during=during, rate=float(rate), average=float((at(first) - at(float(steps[-1]))) / span))


def jump_report(steps: np.ndarray, D: np.ndarray, losses: np.ndarray, **kwargs) -> list[tuple[Jump, LossChange]]:
    """Every detected jump with its loss change."""
    return [(j, loss_change_at(steps, losses, j)) for j in detect_jumps(steps, D, **kwargs)]


# ---- the correlated triples -------------------------------------------------------------


def triple_measures(W_t: np.ndarray) -> dict[str, np.ndarray]:
    """Shape measures of the n = 6, m = 3 model over time, each [T].

    norm: mean ||W_i||; within: mean |cos| between features of the same triple (0 = orthogonal);
    antipodal: mean over features of -min cos to the other triple (1 = each has an exact opposite).
    """
    W_t = np.asarray(W_t, dtype=np.float64)
    norms = np.linalg.norm(W_t, axis=-1)
    unit = W_t / np.maximum(norms[..., None], 1e-12)
    cos = unit @ np.swapaxes(unit, -1, -2)
    same = np.zeros((6, 6), dtype=bool)
    same[:3, :3] = same[3:, 3:] = True
    off = same & ~np.eye(6, dtype=bool)
    within = np.abs(cos[..., off]).mean(axis=-1)
    cross = np.where(same, np.inf, cos).min(axis=-1)
    return {"norm": norms.mean(axis=-1), "within": within, "antipodal": (-cross).mean(axis=-1)}


def is_octahedron(W_k: np.ndarray, len_tol: float = 0.1, partner_cos: float = -0.95, ortho_tol: float = 0.2) -> bool:
    """Six features of length about 1 in three antipodal pairs, each pair across the two triples,
    and every feature roughly perpendicular (|cos| < ``ortho_tol``) to the four features outside its pair."""
    W_k = np.asarray(W_k, dtype=np.float64)
    if W_k.shape != (6, 3):
        return False
    norms = np.linalg.norm(W_k, axis=1)
    if np.any(np.abs(norms - 1) > len_tol):
        return False
    unit = W_k / norms[:, None]
    cos = unit @ unit.T
    partner = cos.argmin(axis=1)
    if np.any(cos[np.arange(6), partner] > partner_cos) or np.any((partner < 3) == (np.arange(6) < 3)):
        return False
    rest = np.ones((6, 6), dtype=bool)
    rest[np.arange(6), np.arange(6)] = rest[np.arange(6), partner] = False
    return bool(np.all(np.abs(cos[rest]) < ortho_tol))


def first_step(steps: np.ndarray, flags: np.ndarray) -> int | None:
    """First step from which ``flags`` stays True to the end, or None."""
    flags = np.asarray(flags, dtype=bool)
    if not flags.size or not flags[-1]:
        return None
    false_at = np.flatnonzero(~flags)
    return int(steps[false_at[-1] + 1]) if false_at.size else int(steps[0])


# ---- precomputed paper-scale run ------------------------------------------------------

PAPER_PARAMS: dict[str, Any] = {"eval_batch": 4096, "keep_min_D": 0.2}


def build_paper_run(spec: dict[str, Any]) -> dict[str, np.ndarray]:
    """Train the paper-scale uniform run; store D_i over time for the features that ever matter, and the loss.

    Of 400 features most are dropped within the first few hundred steps; we keep those whose
    D_i reaches ``keep_min_D`` at some snapshot after the start, and summarise the rest by count.
    """
    cfg = ToyConfig.from_dict(spec["toy_config"])
    result = train_dynamics(cfg, cfg.init_scale)
    steps, W_t, b_t = snapshot_stack(result)
    D = dimensionality_history(W_t)
    keep = np.flatnonzero(D[1:].max(axis=0) >= spec["keep_min_D"])
    losses = snapshot_losses(cfg, W_t, b_t, batch_size=spec["eval_batch"])
    return {
        "steps": steps.astype(np.int32),
        "features": keep.astype(np.int16),
        "D": D[:, keep].astype(np.float16),
        "loss": losses.astype(np.float32),
        "train_loss": result.loss_history.mean(axis=1).reshape(-1, cfg.snapshot_every).mean(axis=1).astype(np.float32),
        "n_represented": analysis.n_represented(W_t).astype(np.int16),
        "final_D": D[-1].astype(np.float16),
    }


BUILDERS = {
    "dynamics_uniform": AssetBuilder(
        version=1,
        toy_config=PAPER_RUN,
        params=PAPER_PARAMS,
        build=build_paper_run,
        about="uniform superposition n=400, m=30, p=0.3 (digon regime), 10k steps, snapshots every 25",
    )
}
