"""Predict, then train, on the mathematical-understanding page: which sign the overlaps Wᵢ·Wⱼ between stored
features take once the model has trained.

The chapter's point is that a ReLU output hides a negative overlap (the ReLU cuts it off) while a linear model
pays for every overlap. ``overlap_signs`` reads the answer from the trained weights; ``explain`` answers the
likely wrong predictions. Measured on n = 20, m = 5, importance 0.7ⁱ, 10,000 steps, seeds 0-2 (2026-12-04):
the linear model and the dense ReLU model keep 5 orthogonal features; the ReLU model at p = 0.1 stores 9-10
features and every overlap is negative; at p = 0.01 it stores 10-12 and seed 0's overlaps are all negative,
seeds 1 and 2 have both signs (47% and 38% negative).
"""

from __future__ import annotations

import numpy as np

STORED = 0.5  # a feature is stored when ||W_i|| > 0.5, as everywhere in the app
OVERLAP = 0.1  # |W_i . W_j| above this counts as an overlap
MOSTLY = 0.8  # "mostly negative" when at least this share of the overlaps is negative

NONE = "None: the stored features stay at right angles"
NEGATIVE = "Mostly negative (Wᵢ·Wⱼ < 0)"
BOTH = "Both signs"
OPTIONS = (NONE, NEGATIVE, BOTH)

PROMPT = (
    f"Between the features the trained model stores (‖Wᵢ‖ > {STORED}), which overlaps Wᵢ·Wⱼ "
    f"(|Wᵢ·Wⱼ| > {OVERLAP}) will there be?"
)


def overlap_signs(W_k: np.ndarray) -> str:
    """The answer for one trained instance W [n, m]: NONE, NEGATIVE or BOTH."""
    stored = W_k[np.linalg.norm(W_k, axis=1) > STORED]
    overlaps = (stored @ stored.T)[np.triu_indices(len(stored), 1)]
    overlaps = overlaps[np.abs(overlaps) > OVERLAP]
    if not len(overlaps):
        return NONE
    return NEGATIVE if (overlaps < 0).mean() >= MOSTLY else BOTH


def explain(prediction: str, result: str) -> str:
    """Why the trained model's overlaps came out as ``result``, for a learner who chose ``prediction``."""
    if prediction == result:
        return f"Right: {result[0].lower() + result[1:]}."
    if result == NONE:
        return (
            "No overlaps: this model keeps only as many features as it has dimensions, each on its own axis. A linear "
            "model pays for every overlap in every example, and a ReLU model with dense features would too: features "
            "on together are the common case, so no overlap is worth a stored feature."
        )
    if result == NEGATIVE:
        return (
            "Mostly negative. Stored beyond its dimensions, a feature has to overlap others; a negative overlap pushes "
            "the other output below zero, where the ReLU cuts it off, so it costs nothing when one feature is on. A "
            "positive overlap would leak into the other output every time."
        )
    return (
        "Both signs. Negative overlaps are free (the ReLU cuts them off), but when features are this rare two are "
        "seldom on together, and a negative bias trims most of what a positive overlap leaks, so the model also "
        "accepts positive ones to fit more features. Make the features denser and positive overlaps cost more often: "
        "train again and count how many are left."
    )
