"""Predict, then train, on the undoing-superposition page: what share of the toy model's stored features the SAE
recovers.

``recovery_band`` turns the SAE's scores (``core.sae.score``, computed from the trained SAE and the toy model) into
one of three bands; ``explain`` answers the likely wrong predictions. No torch here: the scores come in as a dict.
"""

from __future__ import annotations

NONE, SOME, MOST = "almost none (under 25%)", "some (25% to 75%)", "nearly all (over 75%)"
OPTIONS = (NONE, SOME, MOST)
PROMPT = (
    "What share of the toy model's stored features will this SAE recover (a latent within cos > 0.9 of the feature)?"
)


def recovery_band(scores: dict) -> str:
    """The band of ``scores["recovered_fraction"]`` (recovered / stored features)."""
    fraction = float(scores["recovered_fraction"])
    return NONE if fraction < 0.25 else SOME if fraction <= 0.75 else MOST


_WORKS = (
    "Superposition hides features from the neurons, not from a sparse code: the features are rarely active "
    "together, so each hidden vector is the sum of one or two feature directions, and a dictionary pushed to use "
    "few latents per sample is pushed onto those directions."
)
_FAILS = (
    "These settings get in the way; the scores table says which: L0 far above the data's 2 or so active features "
    "with variance explained near 1 means the penalty is too small (each latent a blend); dead latents and L0 "
    "near 0 mean it is too large; fewer latents than stored features leaves some features without one; and a "
    "run that stopped early may simply need more steps."
)


def explain(prediction: str, result: str) -> str:
    """Why the SAE recovered ``result`` of the features, for a learner who chose ``prediction``."""
    if prediction == result:
        return f"Right: {result}. " + (_WORKS if result == MOST else _FAILS)
    if result == MOST:
        return f"It recovered {result}. {_WORKS}"
    return f"It recovered {result}. {_FAILS}"
