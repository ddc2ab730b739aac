"""Predict, then train, on the experiment-setup page: where the trained model's loss lands against the best loss
any linear model can reach (the closed form, ``theory.linear_optimal_loss``).

``versus_linear`` reads the answer from the trained model's evaluation loss; ``explain`` answers the likely wrong
predictions.
"""

from __future__ import annotations

from core import theory
from core.chapters.experiment_setup import importances

ABOVE, ON, BELOW = "above it (worse)", "on it (within 3%)", "below it (better than any linear model)"
OPTIONS = (ABOVE, ON, BELOW)
CLOSE = 0.03  # relative distance from the line that counts as "on it"
PROMPT = (
    "Compared with the best loss any linear model can reach (the lower dashed line in the chart), where will this "
    "model's loss be after training?"
)


def versus_linear(loss: float, density: float, n: int, m: int, decay: float) -> str:
    """Where ``loss`` sits against the best linear loss for these settings (within ``CLOSE`` counts as on it)."""
    best = float(theory.linear_optimal_loss(density, importances(n, decay), m))
    ratio = float(loss) / best if best > 0 else 1.0
    return ON if abs(ratio - 1.0) <= CLOSE else BELOW if ratio < 1.0 else ABOVE


def explain(prediction: str, result: str) -> str:
    """Why the loss landed ``result``, for a learner who chose ``prediction``."""
    if result == BELOW:
        why = (
            "The line is the best a linear model can do: keep the top m features and predict the mean for the rest. "
            "A ReLU on the output can do better when features are sparse: it stores extra features in "
            "superposition and clips the interference they cause, so the loss goes below the line."
        )
    elif result == ON:
        why = (
            "A linear model cannot beat the line, which is its own optimum, and training reaches it. A ReLU-output "
            "model with dense features does no better either: sharing dimensions would cost in almost every example, "
            "so it keeps the top m features, as the linear model does."
        )
    else:
        why = "This run stopped above the line, which training usually reaches: try more steps or another seed."
    return ("Right. " if prediction == result else f"It landed {result}. ") + why
