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

STORED_THRESHOLD = 0.5  # ||W_i|| above this: the feature is stored (the project's usual threshold)
MONO_THRESHOLD = 0.9  # one feature carries at least this share of a neuron's |weight| (privileged chapter's rule)


@dataclass(frozen=True)
class Readability:
    densities: np.ndarray  # [K]
    stored: np.ndarray  # [K] features with ||W_i|| > STORED_THRESHOLD
    monosemantic: np.ndarray  # [K] neurons dominated by one feature
    n_features: int
    n_neurons: int

    def first_without_monosemantic(self) -> int | None:
        """Index of the densest model with no monosemantic neuron left (None if every model keeps one)."""
        none = np.flatnonzero(self.monosemantic == 0)
        return int(none[0]) if none.size else None


def readability(W: np.ndarray, densities) -> Readability:
    """Counts per model of a sweep; W is [K, n, m] (features x neurons, ReLU hidden layer)."""
    W = np.asarray(W, dtype=np.float64)
    return Readability(
        np.asarray(densities, dtype=np.float64),
        analysis.n_represented(W, STORED_THRESHOLD).astype(int),
        analysis.monosemantic_count(W, MONO_THRESHOLD).astype(int),
        W.shape[1],
        W.shape[2],
    )
