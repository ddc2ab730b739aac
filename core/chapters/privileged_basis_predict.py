"""Predict, then train, on the privileged-basis page: whose loss changes when the hidden space is turned.

``whose_loss_changes`` turns neurons 0 and 1 of each trained model by 45° and compares the loss before and
after on one fixed float64 batch; ``explain`` answers the likely wrong predictions.
"""

from __future__ import annotations

import numpy as np

from core.chapters import privileged_basis
from core.chapters.features_as_directions import fixed_batch
from core.config import ToyConfig

NEITHER, LINEAR_ONLY, RELU_ONLY, BOTH = "Neither", "Only the linear model's", "Only the ReLU model's", "Both"
OPTIONS = (NEITHER, LINEAR_ONLY, RELU_ONLY, BOTH)
PROMPT = (
    "After training, turn neurons 0 and 1 of both models by 45° (the next layer gets the reverse turn). "
    "Whose loss changes?"
)
ANGLE = 45.0
CHANGED = 1e-6  # relative change above which a loss counts as changed (float64 round-off is ~1e-15)
BATCH, BATCH_SEED = 2048, 2024


def loss_changes(cfg: ToyConfig, W_k: np.ndarray, b_k: np.ndarray, angle: float = ANGLE) -> float:
    """Relative change of one trained model's loss when its neurons 0 and 1 are turned by ``angle`` degrees."""
    x = fixed_batch(cfg, BATCH, BATCH_SEED)[0]
    importance = cfg.broadcast()[1][0]
    M = privileged_basis.rotation(np.shape(W_k)[1], angle, "plane")
    before, after = privileged_basis.loss_under_rotation(cfg.model, W_k, b_k, importance, x, M)
    return privileged_basis.relative_change(before, after)


def verdict(linear_change: float, relu_change: float) -> str:
    """The option that describes two relative changes."""
    linear, relu = linear_change > CHANGED, relu_change > CHANGED
    return {(False, False): NEITHER, (True, False): LINEAR_ONLY, (False, True): RELU_ONLY, (True, True): BOTH}[
        (linear, relu)
    ]


def whose_loss_changes(trained: dict[str, tuple[ToyConfig, np.ndarray, np.ndarray]]) -> str:
    """``trained`` maps "linear" and "relu_hidden" to (config, W_k, b_k) of one trained instance each."""
    return verdict(loss_changes(*trained["linear"]), loss_changes(*trained["relu_hidden"]))


_LINEAR_SAME = (
    "The linear model's loss stays the same to round-off: turning h by M and the next layer by Mᵀ gives "
    "W M Mᵀ Wᵀ = W Wᵀ, the same function."
)
_RELU_MOVES = (
    "The ReLU model's loss changes: its ReLU acts on each neuron separately, and after the turn each neuron carries "
    "a mix of two old neurons, whose negative parts are now cut off differently."
)


def explain(prediction: str, result: str) -> str:
    """Why ``result`` is whose loss changed, for a learner who chose ``prediction``."""
    if prediction == result:
        return "Right. " + (f"{_LINEAR_SAME} {_RELU_MOVES}" if result == RELU_ONLY else "")
    if result != RELU_ONLY:
        return f"This run: {result.lower()} changed, not what the algebra predicts; try training longer."
    if prediction == NEITHER:
        return f"{_RELU_MOVES} Rotation is harmless only where nothing acts on single coordinates."
    if prediction == BOTH:
        return f"{_LINEAR_SAME} Nothing in it singles out a coordinate, so its basis is not privileged."
    return (
        f"It is the other way round. {_LINEAR_SAME} {_RELU_MOVES} The elementwise nonlinearity is what makes "
        "the neuron basis special."
    )
