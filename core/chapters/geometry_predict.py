"""Predict, then train, on the geometry page: how the two members of a correlated (or anticorrelated) pair sit.

``typical_relation`` reads the answer from the trained weights: the relation (``pair_relation``) most of
the run's pairs show, over all its densities. One explanation per experiment, for the likely wrong answers.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from core.chapters import geometry_nonuniform

ANTIPODAL, ORTHOGONAL, SIDE_BY_SIDE, COLLAPSED = "antipodal", "orthogonal", "side by side", "collapsed onto their sum"
OPTIONS = (ANTIPODAL, ORTHOGONAL, SIDE_BY_SIDE, COLLAPSED)
PROMPTS = {
    "correlated": "Each pair's two features always fire together. How will the trained model place a pair's two "
    "directions: antipodal (one line, opposite ways), orthogonal, side by side (under 90° apart) or collapsed "
    "onto one direction?",
    "anticorrelated": "A pair's two features never fire together. How will the trained model place a pair's two "
    "directions: antipodal (one line, opposite ways), orthogonal, side by side (under 90° apart) or collapsed "
    "onto one direction?",
}


def typical_relation(W: np.ndarray, sets: tuple[tuple[str, int], ...]) -> str:
    """The relation most pairs show across the run's instances W [densities, n, 2] (ties: the first seen)."""
    words = [geometry_nonuniform.pair_relation(c) for W_k in W for c in geometry_nonuniform.pair_cosines(W_k, sets)]
    return Counter(words).most_common(1)[0][0]


_TOGETHER = "these two fire together every time one of them fires"
_CORRELATED = {
    ANTIPODAL: f"An antipodal partner leaks a negative signal that the ReLU removes, but only if the partner is "
    f"silent; {_TOGETHER}, so each would cancel the other in every example. Opposite directions suit features "
    "that are never active at once.",
    SIDE_BY_SIDE: f"Side by side, each leaks a large positive share onto the other, and {_TOGETHER}: that error "
    "would be paid in every example where the pair is active. With only two pairs there is room to avoid it.",
    COLLAPSED: "One direction for both would lose which value each had (they fire together, with different values). "
    "With two pairs in two dimensions there is room to keep them apart; collapsed pairs turn up when three pairs "
    "crowd the same plane at higher densities.",
}
_ANTI = {
    ORTHOGONAL: "Right angles waste room here: the two never fire together, so they cannot interfere with each "
    "other, and sharing one line costs nothing. That frees the other direction for the second pair.",
    SIDE_BY_SIDE: "Side by side would leak a positive signal from one onto the other; opposite ways the leak is "
    "negative and the ReLU removes it, and since they never fire together that is all the interference there is.",
    COLLAPSED: "One direction for both would make the model unable to tell which one fired; pointing opposite ways "
    "it can, for free, because they never fire together.",
}


def _explain(prediction: str, result: str, expected: str, reasons: dict[str, str], why_right: str) -> str:
    if prediction == result:
        return f"Right: each pair is {result}. {why_right}"
    if result != expected:
        return f"This run's pairs are mostly {result}: it stopped in an unusual arrangement; try another seed."
    return f"Each pair is {result}. {reasons.get(prediction, '')}"


def explain_correlated(prediction: str, result: str) -> str:
    return _explain(
        prediction,
        result,
        ORTHOGONAL,
        _CORRELATED,
        "Features that fire together must not leak onto each other; the two pairs then share the plane as "
        "antipodal partners, since one pair is seldom active at the same time as the other.",
    )


def explain_anticorrelated(prediction: str, result: str) -> str:
    return _explain(
        prediction,
        result,
        ANTIPODAL,
        _ANTI,
        "They never fire together, so the ReLU removes the only leak there could be, and the second pair takes the "
        "other line.",
    )
