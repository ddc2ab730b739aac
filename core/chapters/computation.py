"""Computation in superposition: the absolute-value model h = ReLU(W1 x), y' = ReLU(W2 h + b), target |x|.

Inputs are 0 with probability 1 - p, otherwise uniform on [-1, 1]. Layout (core.train):
W1 is [n, m] (row i = feature i's input weights to the m neurons) and W2 is [n, m]
(row j = output j's weights from the neurons), so column k of both belongs to neuron k.

- ``rescale_neurons``: ReLU is positively homogeneous, so scaling neuron k's input weights
  by a > 0 and its output weights by 1/a changes nothing. The paper rescales every neuron so
  its largest input weight has magnitude 1 before drawing it; we do the same.
- ``abs_circuit``: the dense n = 3, m = 6 model should give every feature a "positive side"
  neuron ReLU(x_i) and a "negative side" neuron ReLU(-x_i) that both feed output i.
- ``neuron_kinds``: monosemantic / polysemantic / dead neurons of the n = 100, m = 40 sweep.
  With 100 inputs, the L1 test of core.analysis is swamped by ~100 leftover weights of
  size 0.003 that do nothing, so here a neuron is monosemantic when one feature drives at
  least 0.9 of its input *variance* (share of sum_i W1_ik^2; every active input has the same
  variance, so this is the share of what the neuron responds to). The page says so.
- ``asymmetric_motifs``: a neuron that stores a "big" feature a and a "small" feature b at
  unequal input scales with reciprocal output weights (it computes |x_a| and |x_b| but
  leaks a strongly into output b), together with a second neuron that fires on the same
  side of a and inhibits output b, turning that positive interference into harmless
  negative interference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from core import analysis
from core.config import ToyConfig
from core.precompute import AssetBuilder
from core.presets.computation import CIRCUIT_RUN, SWEEP_RUN, abs_config, circuit_config  # noqa: F401 (re-exported)

MONO_SHARE = analysis.MONO_SHARE  # share of a neuron's input variance one feature must drive
DEAD_WEIGHT = analysis.SILENT_WEIGHT  # largest |input weight| below this: the neuron barely ever moves
CIRCUIT_TOL = 0.2  # how far from the ideal +-1 / 0 pattern a circuit neuron may be


def rescale_neurons(W1: np.ndarray, W2: np.ndarray, eps: float = 1e-12) -> tuple[np.ndarray, np.ndarray]:
    """(W1', W2') with each neuron's largest |input weight| equal to 1; the model's function is unchanged.

    Works on [..., n, m] arrays; a neuron with all-zero input weights is left as it is.
    """
    W1 = np.asarray(W1, dtype=np.float64)
    W2 = np.asarray(W2, dtype=np.float64)
    s = np.abs(W1).max(axis=-2, keepdims=True)
    s = np.where(s > eps, s, 1.0)
    return W1 / s, W2 * s


def forward(W1: np.ndarray, W2: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    """y' = ReLU(W2 ReLU(W1 x) + b) for one instance, x [batch, n] -> [batch, n] (numpy, for checks)."""
    h = np.maximum(x @ W1, 0.0)
    return np.maximum(h @ W2.T + b, 0.0)


@dataclass(frozen=True)
class CircuitCheck:
    """For each feature i: its positive-side and negative-side neurons (or -1) and whether the pair is clean."""

    positive: np.ndarray  # [n] neuron index of ReLU(x_i), -1 if none
    negative: np.ndarray  # [n] neuron index of ReLU(-x_i), -1 if none
    clean: np.ndarray  # [n] bool: both found, both feed output i, nothing else

    @property
    def complete(self) -> bool:
        return bool(self.clean.all())


def abs_circuit(W1: np.ndarray, W2: np.ndarray, tol: float = CIRCUIT_TOL) -> CircuitCheck:
    """Does each feature have its own ReLU(x) and ReLU(-x) neurons whose outputs add up to |x|?

    After rescaling, a circuit neuron for feature i has input weight +1 (positive side) or
    -1 (negative side) from feature i and |w| < tol from every other feature, and feeds
    output i with a positive weight; the two sides' output weights must match within
    ``tol`` relative (so ReLU(x) + ReLU(-x) is |x| up to one overall scale), and neither
    neuron may feed another output by more than ``tol`` of that weight.
    """
    V1, V2 = rescale_neurons(W1, W2)
    n, m = V1.shape
    pos, neg = np.full(n, -1), np.full(n, -1)
    for k in range(m):
        i = int(np.argmax(np.abs(V1[:, k])))
        others = np.delete(np.abs(V1[:, k]), i)
        out = V2[:, k]
        if others.max(initial=0.0) >= tol or out[i] <= 0:
            continue
        if np.delete(np.abs(out), i).max(initial=0.0) > tol * out[i]:
            continue
        (pos if V1[i, k] > 0 else neg)[i] = k
    clean = np.zeros(n, dtype=bool)
    for i in range(n):
        if pos[i] >= 0 and neg[i] >= 0:
            a, c = V2[i, pos[i]], V2[i, neg[i]]
            clean[i] = abs(a - c) <= tol * max(a, c)
    return CircuitCheck(pos, neg, clean)


@dataclass(frozen=True)
class NeuronKinds:
    """Per-neuron labels for the abs model, [..., m]: exactly one of mono/poly/dead is True."""

    monosemantic: np.ndarray
    polysemantic: np.ndarray
    dead: np.ndarray
    top_feature: np.ndarray
    top_share: np.ndarray
    n_features: np.ndarray  # features with >= 10 % of the neuron's input variance


def variance_share(W1: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    """[..., n, m]: each feature's share of neuron k's input variance, W1_ik^2 / sum_i W1_ik^2."""
    return analysis.input_variance_share(W1, eps)


def neuron_kinds(W1: np.ndarray, threshold: float = MONO_SHARE, min_weight: float = DEAD_WEIGHT) -> NeuronKinds:
    """Label neurons of W1 [..., n, m] (see the module doc for the criterion)."""
    share = variance_share(W1)
    dead = analysis.silent_neurons(W1, signed_inputs=True, min_weight=min_weight)  # inputs are signed here
    top_share = share.max(axis=-2)
    mono = (top_share >= threshold) & ~dead
    poly = ~mono & ~dead
    many = (share >= 0.1).sum(axis=-2)
    return NeuronKinds(mono, poly, dead, share.argmax(axis=-2), top_share, many)


def small_weight_mass(W1: np.ndarray, cut: float = 0.02) -> tuple[float, float]:
    """(median share of a neuron's sum |W1| held by weights below ``cut``, the same for sum W1^2), for W1 [n, m].

    Why the labels use the W^2 share: the many near-zero leftover weights of a 100-feature model hold a
    noticeable part of the |W| mass but almost none of the input variance.
    """
    a = np.abs(np.asarray(W1, dtype=np.float64))
    small = a < cut
    abs_share = (a * small).sum(axis=0) / np.maximum(a.sum(axis=0), 1e-12)
    sq_share = (a**2 * small).sum(axis=0) / np.maximum((a**2).sum(axis=0), 1e-12)
    return float(np.median(abs_share)), float(np.median(sq_share))


def kind_counts(W1: np.ndarray) -> dict[str, np.ndarray]:
    """{"monosemantic", "polysemantic", "dead"} -> neuron counts per instance."""
    k = neuron_kinds(W1)
    return {"monosemantic": k.monosemantic.sum(-1), "polysemantic": k.polysemantic.sum(-1), "dead": k.dead.sum(-1)}


def features_with_own_neuron(W1: np.ndarray) -> np.ndarray:
    """[..., n] bool: feature i is the single feature of at least one monosemantic neuron."""
    k = neuron_kinds(W1)
    n = np.asarray(W1).shape[-2]
    onehot = (k.top_feature[..., None, :] == np.arange(n)[:, None]) & k.monosemantic[..., None, :]
    return onehot.any(axis=-1)


def monosemantic_prefix(W1: np.ndarray) -> np.ndarray:
    """[...]: how many of the most important features (0, 1, 2, ...) in a row have their own neuron."""
    own = features_with_own_neuron(W1)
    return np.argmin(np.concatenate([own, np.zeros(own.shape[:-1] + (1,), bool)], axis=-1), axis=-1)


def neuron_display_order(W1_k: np.ndarray) -> np.ndarray:
    """Neurons sorted by the importance of their largest feature (feature index), as in the paper's plots."""
    V1 = np.abs(np.asarray(W1_k, dtype=np.float64))
    top = V1.argmax(axis=0)
    return np.lexsort((-V1.max(axis=0), top))


@dataclass(frozen=True)
class Motif:
    """One asymmetric-superposition motif: ``neuron`` stores big feature a and small feature b;
    ``inhibitor`` cancels the interference a causes in output b."""

    neuron: int
    inhibitor: int
    big: int
    small: int
    input_ratio: float  # |W1[b]| / |W1[a]| on the shared neuron (< 1: asymmetric)
    output_ratio: float  # W2[b] / W2[a] on the shared neuron (> 1: reciprocal)
    cancelled: float  # fraction of the a -> output b interference the inhibitor removes


def asymmetric_motifs(
    W1: np.ndarray,
    W2: np.ndarray,
    max_input_ratio: float = 0.7,
    min_pair_share: float = 0.8,
    min_cancel: float = 0.5,
    min_gain: float = 0.3,
) -> list[Motif]:
    """Find asymmetric superposition + inhibition motifs in one abs model (W1, W2 [n, m]).

    Shared neuron k with top two input features a (larger |weight|) and b:
    - a and b drive >= ``min_pair_share`` of its input variance (it stores two features);
    - |W1[b,k]| <= max_input_ratio |W1[a,k]| (unequal scales) and W2[b,k] > W2[a,k] > 0
      (reciprocal output weights), with both gains W2[a,k] |W1[a,k]| and W2[b,k] |W1[b,k]|
      >= ``min_gain`` (the neuron really computes part of |x_a| and of |x_b|); x_a then
      leaks into output b with gain W2[b,k] |W1[a,k]|;
    - an inhibitor neuron j != k fires on the same side of x_a (same sign of W1[a,j]) and has
      W2[b,j] < 0, removing at least ``min_cancel`` of that leak: -W2[b,j] |W1[a,j]| >= min_cancel x leak.
    The strongest inhibitor is reported. Rescaling does not change any of these tests.
    """
    V1 = np.asarray(W1, dtype=np.float64)
    V2 = np.asarray(W2, dtype=np.float64)
    share = variance_share(V1)
    found = []
    for k in range(V1.shape[1]):
        a, b = np.argsort(-np.abs(V1[:, k]))[:2]
        if share[a, k] + share[b, k] < min_pair_share:
            continue
        ratio = abs(V1[b, k]) / max(abs(V1[a, k]), 1e-12)
        if ratio > max_input_ratio or not V2[b, k] > V2[a, k] > 0:
            continue
        if min(V2[a, k] * abs(V1[a, k]), V2[b, k] * abs(V1[b, k])) < min_gain:
            continue  # it must really help compute both |x_a| and |x_b|
        leak = V2[b, k] * abs(V1[a, k])
        same_side = np.sign(V1[a]) == np.sign(V1[a, k])
        cancel = np.where(same_side & (V2[b] < 0), -V2[b] * np.abs(V1[a]), 0.0)
        cancel[k] = 0.0
        j = int(np.argmax(cancel))
        if cancel[j] >= min_cancel * leak:
            found.append(
                Motif(k, j, int(a), int(b), float(ratio), float(V2[b, k] / V2[a, k]), float(min(1.0, cancel[j] / leak)))
            )
    return found


# ---- precomputed sweep and circuit --------------------------------------------------


def build_abs(spec: dict[str, Any]) -> dict[str, np.ndarray]:
    """Train an abs-model sweep; keep the best seed's weights (float16: plenty for drawing) and losses."""
    from core.train import train

    cfg = ToyConfig.from_dict(spec["toy_config"])
    result = train(cfg, threads=2)
    return {
        "densities": cfg.probability_array()[:, 0].astype(np.float32),
        "W1": result.W.astype(np.float16),
        "W2": result.W2.astype(np.float16),
        "b": result.b.astype(np.float16),
        "loss": result.loss.astype(np.float32),
        "seed_losses": result.seed_losses.astype(np.float32),
    }


BUILDERS = {
    "computation_sweep": AssetBuilder(
        version=1,
        toy_config=SWEEP_RUN,
        build=build_abs,
        about="abs model n=100, m=40, I=0.8^i, 10 densities 1..0.001, best of 3 seeds, 10k steps",
    ),
    "computation_circuit": AssetBuilder(
        version=1,
        toy_config=CIRCUIT_RUN,
        build=build_abs,
        about="abs model n=3, m=6, dense, best of 16 seeds",
    ),
}
