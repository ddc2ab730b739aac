"""How much the hidden ReLU of the privileged-basis model actually does.

The paper points out a weakness of this toy model: copying the input needs no hidden nonlinearity, so the
ReLU on the hidden layer only restricts what the model can encode, and the model avoids using it when it
can. We measure that directly: on sampled inputs (at least one feature active), the share of the hidden
pre-activations' energy sum_j (W x)_j^2 that the ReLU removes, sum_j min(W x, 0)_j^2 / sum_j (W x)_j^2.
0 means the ReLU is the identity on this data (the model behaves like a linear bottleneck); large values
mean the model relies on the ReLU to cut interference away.

W is [n, m] here (row i = feature i's weights onto the m neurons), so the pre-activations are x @ W.
"""

from __future__ import annotations

import numpy as np

SAMPLES = 50_000


def relu_clipped_share(W_k: np.ndarray, p: float, samples: int = SAMPLES, seed: int = 0) -> float:
    """Share of hidden pre-activation energy the ReLU removes, over inputs with at least one active feature."""
    W_k = np.asarray(W_k, dtype=np.float64)
    rng = np.random.default_rng(seed)
    n = W_k.shape[0]
    active = rng.uniform(size=(samples, n)) < p
    active[~active.any(axis=1), rng.integers(0, n)] = True  # condition on a non-empty input: move the empty rows
    pre = (rng.uniform(size=(samples, n)) * active) @ W_k
    total = float((pre**2).sum())
    return float((np.minimum(pre, 0.0) ** 2).sum()) / total if total > 0 else 0.0


def negative_weight_share(W_k: np.ndarray) -> float:
    """Share of sum |W_ij| carried by negative weights (inputs are >= 0, so only these can be clipped)."""
    W_k = np.asarray(W_k, dtype=np.float64)
    total = float(np.abs(W_k).sum())
    return float(np.clip(-W_k, 0, None).sum()) / total if total > 0 else 0.0


def clipping_sentence(densities: np.ndarray, clipped: np.ndarray) -> str:
    """What the sweep shows, formatted from its numbers (densities descending)."""
    densities, clipped = np.asarray(densities, dtype=np.float64), np.asarray(clipped, dtype=np.float64)
    lead = int(np.argmin(clipped < 0.01)) if not np.all(clipped < 0.01) else clipped.size  # leading idle models
    text = f"In the densest model (p = {densities[0]:.3g}) the ReLU removes {clipped[0]:.1%} of the hidden signal"
    if lead > 1:
        text += f", and under 1% at every density down to p = {densities[lead - 1]:.3g}"
    rest = clipped[max(lead, 1) :]
    if rest.size:
        text += f"; in the {rest.size} sparser models it removes between {rest.min():.0%} and {rest.max():.0%}"
    return text + "."
