"""Each feature's own share of the loss over training, to set beside its D_i.

The paper reports that the loss drops when a feature's dimensionality D_i jumps. The total loss
mixes every feature, so a jump by one feature can hide under the others' steady decline. Splitting
the loss into per-feature terms, term_i = I_i * mean over the batch of (x_i - x'_i)^2 / n (they sum
to the total), lets the jump table ask the sharper question: did *this feature's* term fall fast
while its D_i jumped?
"""

from __future__ import annotations

import numpy as np

from core import models
from core.chapters.learning_dynamics import Jump, LossChange, loss_change_at
from core.config import ToyConfig
from core.data import sample_batch


def feature_loss_terms(
    cfg: ToyConfig, W_t: np.ndarray, b_t: np.ndarray, batch_size: int = 4096, seed: int = 12_345, instance: int = 0
) -> np.ndarray:
    """Per-feature loss terms of every snapshot on one fixed batch, [T, n]; rows sum to the snapshot loss.

    Same batch and seed as ``learning_dynamics.snapshot_losses``, so the terms add up to that curve.
    """
    if cfg.model not in ("relu_output", "linear", "relu_hidden"):
        raise ValueError(f"feature_loss_terms supports tied models, not {cfg.model!r}")
    x = sample_batch(cfg, batch_size, seed)[instance]  # [B, n]
    imp = np.asarray(cfg.broadcast()[1][instance], dtype=np.float64)
    out = np.empty((len(W_t), x.shape[1]))
    for start in range(0, len(W_t), 64):
        W = np.asarray(W_t[start : start + 64], dtype=np.float32)
        b = np.asarray(b_t[start : start + 64], dtype=np.float32)
        xs = np.broadcast_to(x, (W.shape[0], *x.shape))
        err = (xs - models.forward(cfg.model, {"W": W, "b": b}, xs)).astype(np.float64) ** 2  # [k, B, n]
        out[start : start + W.shape[0]] = imp * err.mean(axis=1) / x.shape[1]
    return out


def own_loss_changes(steps: np.ndarray, terms: np.ndarray, jumps: list[Jump]) -> list[LossChange]:
    """For each jump, how fast the jumping feature's own loss term fell (same test as the total loss)."""
    return [loss_change_at(steps, terms[:, j.feature], j) for j in jumps]
