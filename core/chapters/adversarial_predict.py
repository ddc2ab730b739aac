"""Predict, then train, on the adversarial page: how much more vulnerable than the densest model the most
vulnerable model of the live sweep is.

``peak_rise`` reads the answer from the attacked models (``adversarial.sweep``: the strongest single-feature attack
of each, densest first); ``explain`` answers the likely wrong predictions.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.chapters.adversarial import Vulnerability

SAME, SOME, MUCH = "under 1.5× (about the same)", "1.5× to 4×", "over 4×"
OPTIONS = (SAME, SOME, MUCH)
PROMPT = (
    "The densest model (p = 1) stores one feature per dimension. The most vulnerable of the seven models will be how "
    "many times as vulnerable as it?"
)


def rise_band(ratio: float) -> str:
    """The band of a vulnerability ratio (most vulnerable / densest)."""
    return SAME if ratio < 1.5 else SOME if ratio <= 4 else MUCH


def peak_rise(results: Sequence[Vulnerability]) -> str:
    """The band of max(strongest attack) / the first (densest) model's, over one sweep's models."""
    strongest = [r.strongest for r in results]
    return rise_band(max(strongest) / strongest[0])


_WHY_RISE = (
    "A push along one feature's direction also reaches every feature whose direction overlaps it, and the ReLU "
    "passes the part that points up. The densest model has no overlaps; the sparser ones share each dimension "
    "between several features, so the same small push does more harm."
)
_WHY_LIMIT = (
    "It does not keep up with features per dimension: at the sparsest densities an input has about one active "
    "feature or fewer, the budget (a tenth of the mean input norm) is small next to the negative biases, and the "
    "ReLU swallows much of the push."
)


def explain(prediction: str, result: str) -> str:
    """Why the peak came out ``result``, for a learner who chose ``prediction``."""
    if prediction == result == SOME:
        return f"Right. {_WHY_RISE} {_WHY_LIMIT}"
    if prediction == result:
        return f"Right: {result} in this run."
    if result != SOME:
        return f"This run's peak is {result}; try another seed."
    return f"It is {result}. " + (_WHY_RISE if prediction == SAME else _WHY_LIMIT)
