"""The strategic picture: what superposition means for reading a network, summarised from existing assets.

No training here. The chapter's figure reads the privileged-basis sweep (ReLU hidden layer, n = 10 features,
m = 5 neurons, importance 0.75^i, best of 32 seeds per density) and counts, per density, how many features the
model stores and how many of its neurons still belong to one feature. The two curves cross over as features get
sparser: more features kept, fewer neurons a reader could label with a single meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import analysis
from core.chapters import privileged_superposition

STORED_THRESHOLD = 0.5  # ||W_i|| above this: the feature is stored (the project's usual threshold)


@dataclass(frozen=True)
class Readability:
    densities: np.ndarray  # [K]
    stored: np.ndarray  # [K] features with ||W_i|| > STORED_THRESHOLD
    monosemantic: np.ndarray  # [K] neurons dominated by one feature
    n_features: int
    n_neurons: int

    def first_without_monosemantic(self) -> int | None:
        """Index from which no model keeps a monosemantic neuron (None if the sparsest model still has one)."""
        kept = np.flatnonzero(self.monosemantic > 0)
        start = int(kept[-1]) + 1 if kept.size else 0
        return start if start < self.monosemantic.size else None


def readability(W: np.ndarray, densities) -> Readability:
    """Counts per model of a sweep; W is [K, n, m] (features x neurons, ReLU hidden layer)."""
    W = np.asarray(W, dtype=np.float64)
    return Readability(
        np.asarray(densities, dtype=np.float64),
        analysis.n_represented(W, STORED_THRESHOLD).astype(int),
        privileged_superposition.neuron_counts(W)["monosemantic"].astype(int),  # the privileged chapter's rule
        W.shape[1],
        W.shape[2],
    )
