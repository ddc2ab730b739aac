"""Predict, then train, on the computation page: how many of the 3 features get a complete |x| circuit.

``complete_circuits`` reads the answer from the trained weights (``computation.abs_circuit``); ``explain``
answers the likely wrong predictions.
"""

from __future__ import annotations

import numpy as np

from core.chapters import computation

PROMPT = (
    "The circuit model (3 features, 6 neurons, dense) must output |xᵢ|. For how many of the 3 features will it "
    "build a complete circuit: one neuron for positive values, one for negative, both feeding that feature's output "
    "equally?"
)


def complete_circuits(W1_k: np.ndarray, W2_k: np.ndarray) -> int:
    """Features of one trained instance (W1, W2 [n, m]) with a clean ReLU(x) + ReLU(-x) pair."""
    return int(computation.abs_circuit(W1_k, W2_k).clean.sum())


_TWO_SIDES = (
    "A ReLU neuron passes one sign only, so |x| takes two: ReLU(x) for positive values and ReLU(−x) for negative "
    "ones, added at the output."
)


def explain(prediction: int, result: int, n: int = 3) -> str:
    """Why ``result`` features got a complete circuit, for a learner who predicted ``prediction``."""
    if prediction == result == n:
        return f"Right: all {n}. {_TWO_SIDES} Six neurons are exactly two per feature."
    if prediction == result:
        return (
            f"Right: {result} in this run. The others ended with one side only, a local minimum; the best of "
            "more seeds or more steps usually completes all three."
        )
    if result == n:
        return (
            f"All {n} got one. {_TWO_SIDES} Six neurons are exactly two per feature, and with every feature always "
            "active, a neuron shared by two features would mix them in every example; gradient descent finds the "
            "clean circuit by itself."
        )
    return (
        f"This run completed {result}: the rest have a neuron for one sign only, or share one, a local minimum. "
        "Train longer or keep the best of more seeds and it usually completes all three."
    )
