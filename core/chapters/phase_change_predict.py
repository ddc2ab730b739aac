"""Predict, then train, on the phase-change page: what the extra feature becomes in the chosen cell.

``cell_phase`` reads the answer from the trained models of one cell (as the page's verdict does);
``explain`` says why, to a learner who predicted something else. The options are the phase names.
"""

from __future__ import annotations

import numpy as np

from core.chapters import phase_change

NOT_LEARNED, SUPERPOSITION, DEDICATED = phase_change.PHASES
OPTIONS = (NOT_LEARNED, DEDICATED, SUPERPOSITION)
PROMPT = "In the cell trained below, what will the extra feature be (after the page's summary of its models)?"


def cell_phase(W: np.ndarray, losses: np.ndarray, reduction: str = "paper") -> str:
    """The phase of one cell's trained models W [S, n, m] with losses [S], reduced as the page says."""
    norm, sup = phase_change.extra_feature_stats(W)
    losses = np.asarray(losses, dtype=np.float64)
    mean_norm = phase_change.reduce_seeds(norm, losses, reduction)
    mean_sup = phase_change.reduce_seeds(sup, losses, reduction)
    return phase_change.PHASES[int(phase_change.classify(mean_norm, mean_sup))]


_WHY = {
    (DEDICATED, SUPERPOSITION): (
        "Importance alone does not decide it. At this density two features are seldom active together, so the extra "
        "feature can share its dimension with a partner pointing the other way: the ReLU removes the leak unless both "
        "fire at once. Sharing keeps both features, where a dimension of its own would cost the partner. (If the "
        "theory map says dedicated here, training found the worse arrangement: with three features many starts "
        "pair the extra feature with an ordinary one and stay there.)"
    ),
    (NOT_LEARNED, SUPERPOSITION): (
        "Even a feature that counts for little is worth storing when features are rare: a shared dimension costs only "
        "in the few examples where both features fire, while leaving a feature out costs in every example where it "
        "is active."
    ),
    (SUPERPOSITION, DEDICATED): (
        "Sharing a dimension costs in every example where both features fire. Here either features are too dense "
        "for that to be rare, so the dimension goes to the more important feature, or (with three features) the two "
        "ordinary features share a line and leave the extra one a dimension of its own."
    ),
    (NOT_LEARNED, DEDICATED): (
        "The extra feature is worth more here than what it displaces: with features this dense sharing is "
        "expensive, so the dimension goes to whichever feature loses the most by being dropped."
    ),
    (SUPERPOSITION, NOT_LEARNED): (
        "Features are too dense here for sharing to pay: two features on one line would interfere in many "
        "examples. The extra feature counts less than the one it would share with, so it is left out and its bias "
        "predicts its average."
    ),
    (DEDICATED, NOT_LEARNED): (
        "The extra feature counts less than the feature it would displace, and at this density sharing costs too "
        "much, so it is left out: its bias predicts its average, which is the best a model can do without it."
    ),
}


def explain(prediction: str, result: str) -> str:
    """Why the cell came out ``result``, for a learner who predicted ``prediction``."""
    if prediction == result:
        return f"Right: the extra feature is {result}."
    return f"The extra feature is {result}. {_WHY[(prediction, result)]} Compare the theory map's colour for this cell."
