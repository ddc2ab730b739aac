"""Predict, then train, on the features-as-directions page: the angle the model puts between W₀ and W₁.

``angle_option`` reads the answer from the trained weights (the angle between the two directions, to the nearest
option); ``explain`` answers the likely wrong predictions.
"""

from __future__ import annotations

import numpy as np

from core import analysis

SAME, TILTED, RIGHT, OPPOSITE = "about 0° (one shared direction)", "about 45°", "about 90°", "about 180° (opposite)"
OPTIONS = (SAME, TILTED, RIGHT, OPPOSITE)
ANGLES = {SAME: 0.0, TILTED: 45.0, RIGHT: 90.0, OPPOSITE: 180.0}
DROPPED = "a feature dropped"
PROMPT = (
    "With at least one hidden dimension per feature, what angle will the trained model put between the directions "
    "W₀ and W₁ of features 0 and 1?"
)


def angle_option(W_k: np.ndarray, threshold: float = 0.5) -> str:
    """The option nearest to the angle between rows 0 and 1 of W_k [n, m] (DROPPED if either is not stored)."""
    W_k = np.asarray(W_k, dtype=np.float64)
    norms = analysis.feature_norms(W_k)
    if norms[0] <= threshold or norms[1] <= threshold:
        return DROPPED
    angle = np.degrees(np.arccos(np.clip(W_k[0] @ W_k[1] / (norms[0] * norms[1]), -1.0, 1.0)))
    return min(OPTIONS, key=lambda option: abs(ANGLES[option] - angle))


_WHY = {
    SAME: "On one shared direction the two features could not be told apart: whenever feature 0 fires, output 1 "
    "would light up as much as output 0.",
    TILTED: "At any angle short of 90° part of W₀ lies along W₁, so feature 0 leaks a false signal onto output 1 "
    "whenever it fires. Training pushes the directions apart until that overlap is gone.",
    OPPOSITE: "Opposite ways is the trick for rare features with too little room (the 5-in-2 chapter): the ReLU hides "
    "the leak only while the partner is silent. With a dimension for each, right angles leak nothing at all.",
}


def explain(prediction: str, result: str) -> str:
    """Why the directions ended at ``result``, for a learner who chose ``prediction``."""
    if prediction == result == RIGHT:
        return (
            "Right: at right angles, each about length 1. With room for every feature, nothing needs to share, and "
            "orthogonal directions let each output read its own feature with no leak from the other."
        )
    if result != RIGHT:
        return f"This run ended at {result}: not the usual outcome; train longer or try another seed."
    return f"They end at right angles. {_WHY.get(prediction, '')} With room for every feature, nothing needs to share."
