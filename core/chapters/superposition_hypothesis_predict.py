"""Predict, then train, on the superposition-hypothesis page: is the Gram matrix of the stored features invertible?

``gram_verdict`` reads the answer from the trained weights (``gram_check``: the paper's criterion, on the features
with ||W_i|| > 0.5); ``explain`` answers the likely wrong predictions.
"""

from __future__ import annotations

import numpy as np

from core.chapters import superposition_hypothesis_properties as properties

INVERTIBLE, SINGULAR = "invertible: no superposition", "singular: superposition"
OPTIONS = (INVERTIBLE, SINGULAR)
PROMPT = (
    "After training, take the features the model stores (‖Wᵢ‖ > 0.5). Will their Gram matrix WᵀW be invertible, "
    "or singular?"
)


def gram_verdict(W_k: np.ndarray) -> str:
    """The option the trained instance W_k [n, m] bears out."""
    return SINGULAR if properties.gram_check(W_k).in_superposition else INVERTIBLE


def explain(prediction: str, result: str) -> str:
    """Why the Gram matrix came out ``result``, for a learner who chose ``prediction``."""
    if result == SINGULAR:
        why = (
            "The model stores more features than its 5 dimensions, and more vectors than dimensions are always "
            "linearly dependent: the Gram matrix has rank at most 5, so it cannot be inverted. That is the "
            "paper's test for superposition: no linear read-out can separate all the stored features exactly."
        )
    else:
        why = (
            "The model stores at most as many features as it has dimensions, each in a direction the others do "
            "not fill, so the stored features are linearly independent. Sharing a direction pays only when features "
            "are seldom active together; at these settings it did not, so the model kept the most important "
            "features and dropped the rest."
        )
    return ("Right. " if prediction == result else f"It is {result}. ") + why
