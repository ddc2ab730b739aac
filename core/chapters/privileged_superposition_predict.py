"""Predict, then train, on the privileged-superposition page: how many of the 5 neurons end monosemantic in the
sparsest model trained.

``monosemantic_in_sparsest`` reads the answer from the trained weights (``neuron_counts``); ``explain`` answers the
likely wrong predictions, above all "a privileged basis means one feature per neuron".
"""

from __future__ import annotations

import numpy as np

from core.chapters import privileged_superposition

PROMPT = "How many of the 5 neurons will be monosemantic (one feature's) in the sparsest model you train?"


def monosemantic_in_sparsest(W: np.ndarray, densities) -> int:
    """Monosemantic neurons of the instance with the lowest density (W [instances, n, m], one density each)."""
    k = int(np.argmin(np.asarray(densities, dtype=float)))
    return int(privileged_superposition.neuron_counts(W)["monosemantic"][k])


def explain(prediction: int, result: int, m: int = 5) -> str:
    """Why ``result`` neurons are monosemantic, for a learner who predicted ``prediction``."""
    if prediction == result:
        return f"Right: {result} of {m}."
    if result == m:
        return (
            f"All {m}: these features are dense, so there is no superposition. Each neuron carries one of the {m} "
            "most important features with a positive weight (the ReLU then cuts nothing) and the other features "
            "are dropped."
        )
    if result <= 1 and prediction > result:
        return (
            f"{result} of {m}. A privileged basis makes neurons meaningful, not monosemantic: with rare features the "
            "model stores more features than it has neurons, each spread over a set of neurons, so neurons serve "
            "several features each."
        )
    if prediction < result:
        return (
            f"{result} of {m}, more than you predicted: the most important features still keep a neuron each, and "
            "only the next ones share the remaining neurons."
        )
    return (
        f"{result} of {m}, fewer than you predicted: at this density the features beyond the top few are worth "
        "storing, and they can only share neurons, which then serve several features."
    )
