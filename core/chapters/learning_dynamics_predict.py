"""Predict, then train, on the learning-dynamics page: where the six features' D_i settle (two correlated triples).

``final_share`` reads the answer from the trained weights: the share most of the six features end nearest to.
``explain`` answers the likely wrong predictions; the ⅓ answer is a stage the run passes on the way.
"""

from __future__ import annotations

import numpy as np

from core import analysis

NONE, THIRD, HALF, WHOLE = "0 (dropped)", "⅓ (three features share a direction)", "½ (antipodal pairs)", "1 (own axis)"
OPTIONS = (NONE, THIRD, HALF, WHOLE)
VALUES = {NONE: 0.0, THIRD: 1 / 3, HALF: 0.5, WHOLE: 1.0}
PROMPT = (
    "Two triples of features (the three in a triple always fire together) in 3 dimensions. At the end of "
    "training, what share of a dimension (D_i) will a typical feature own?"
)


def final_share(W_k: np.ndarray) -> str:
    """The most common answer among the features of one trained instance W_k [n, m]: each feature's D_i is read
    as the nearest option; a tie goes to the option listed first."""
    D = analysis.feature_dimensionality(np.asarray(W_k, dtype=np.float64))
    values = np.array([VALUES[o] for o in OPTIONS])
    counts = np.bincount(np.abs(D[:, None] - values[None]).argmin(axis=1), minlength=len(OPTIONS))
    return OPTIONS[int(counts.argmax())]


_WHY = {
    THIRD: "⅓ is a stage, not the end: early on each triple collapses onto one direction, because its members fire "
    "together and their shared direction is the quickest thing to learn. Later each triple splits: features that "
    "fire together must not leak onto each other, so they end at right angles.",
    WHOLE: "Six features cannot each own one of three dimensions: the D_i add up to at most m = 3, so the "
    "average is at most ½. Storing only three, one per axis, would give up the other triple entirely.",
    NONE: "The triples are rare, so storing every feature pays: the cost of sharing a direction is paid only in "
    "the few examples where both triples are active at once.",
}


def explain(prediction: str, result: str) -> str:
    """Why the features settled at ``result``, for a learner who chose ``prediction``."""
    if prediction == result == HALF:
        return (
            "Right: each feature is antipodal to one feature of the other triple, and at right angles to its own "
            "triple: an octahedron, three antipodal pairs on three axes."
        )
    if prediction == result:
        return f"Right: the run settled at D_i ≈ {result}."
    if result != HALF:
        return f"This run settled at {result}, not at the octahedron's ½; try another seed or more steps."
    return (
        f"They settle at ½: each feature pairs up, pointing the opposite way, with a feature of the other triple "
        f"(the two triples seldom fire together), an octahedron. {_WHY[prediction]}"
    )
