"""The paper's "mathematical understanding": where a toy model's loss comes from.

Three pieces, all plain numpy:

1. Loss splits for trained weights (and over training, from snapshots).
   - Linear model x' = W^T W x + b on our data (x_i = 0 w.p. 1 - p, else U[0, 1]): the exact
     expected loss splits into feature benefit, interference and a bias error (``linear_split``).
   - ReLU-output model x' = ReLU(W^T W x + b): group the loss by how many features are active.
     With no feature active the loss is L_0 = sum_i I_i ReLU(b_i)^2; with exactly one active it is
     the paper's 1-sparse term L_1 = feature benefit + interference (``relu_sparse_split``).
2. Two features in one dimension (n = 2, m = 1): the whole loss landscape in closed form
   (plus one exact inner integral and a quadrature for the term where both features fire).
3. The link to the Thomson problem lives in ``core.chapters.math_understanding_thomson``.

Normalisation, stated once because it is the usual source of factor-of-n bugs:
- "summed" numbers follow the paper: sum over features of I_i (x_i - x'_i)^2.
- "training" numbers follow the training loop: the mean over features, i.e. summed / n.
Weights use the [..., n_features, n_hidden] layout of ``core.analysis`` (row i is W_i).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import analysis, registry, theory

# ---------------------------------------------------------------------------------------------
# 1. Loss splits
# ---------------------------------------------------------------------------------------------


def _f(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _per_feature(value, shape: tuple[int, ...]) -> np.ndarray:
    """Broadcast a density or importance (scalar, [n] or [..., n]) to ``shape``."""
    return np.broadcast_to(_f(value), shape)


@dataclass(frozen=True)
class LinearSplit:
    """The linear model's exact expected loss on our data, in training units (mean over features).

    benefit: mean_i I_i (1 - ||W_i||^2)^2 Var(x_i), what is lost by storing feature i too weakly or strongly;
    interference: mean_i I_i sum_{j != i} (W_i . W_j)^2 Var(x_j), what other features leak into output i;
    bias_error: mean_i I_i (E[x_i - x'_i])^2, zero once b matches the mean (training finds it quickly).
    """

    benefit: np.ndarray
    interference: np.ndarray
    bias_error: np.ndarray

    @property
    def total(self) -> np.ndarray:
        return self.benefit + self.interference + self.bias_error


def linear_split(W: np.ndarray, b: np.ndarray, p, importance) -> LinearSplit:
    """Split ``theory.linear_expected_loss`` into its three parts; each is [...] per instance.

    The error of output i is sum_j A_ij x_j - b_i with A = 1 - W^T W. Because the x_j are independent,
    its mean square is sum_j A_ij^2 Var(x_j) + (sum_j A_ij E[x_j] - b_i)^2: the j = i term is the feature
    benefit, the j != i terms are interference. This is the paper's split with each feature's second
    moment replaced by its variance (our features have a non-zero mean, which the bias absorbs).
    """
    W, b = _f(W), _f(b)
    g = analysis.gram(W)
    n = g.shape[-1]
    shape = W.shape[:-2] + (n,)
    p, imp = _per_feature(p, shape), _per_feature(importance, shape)
    var = theory.feature_variance(p)
    diag = np.diagonal(g, axis1=-2, axis2=-1)
    benefit = (imp * (1.0 - diag) ** 2 * var).mean(axis=-1)
    off = g**2 * (1.0 - np.eye(n))
    interference = (imp * np.einsum("...ij,...j->...i", off, var)).mean(axis=-1)
    mean_err = np.einsum("...ij,...j->...i", np.eye(n) - g, p / 2) - b
    return LinearSplit(benefit, interference, (imp * mean_err**2).mean(axis=-1))


@dataclass(frozen=True)
class SparseSplit:
    """The ReLU model's loss grouped by active features. L_0 and L_1 pieces are summed (paper units).

    p_none, p_one: chance that no feature / exactly one feature is active;
    predicted: (p_none L_0 + sum_i P(only i active) L_1[i]) / n, the part of the training loss
    (mean over features) that these two cases explain. The rest comes from inputs with 2+ active features.
    """

    benefit: np.ndarray
    interference: np.ndarray
    zero: np.ndarray
    p_none: np.ndarray
    p_one: np.ndarray
    predicted: np.ndarray

    @property
    def one_sparse(self) -> np.ndarray:
        return self.benefit + self.interference


def active_probabilities(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(P(no feature active) [...], P(only feature i active) [..., n]) for independent densities p [..., n]."""
    p = _f(p)
    off = 1.0 - p
    none = np.prod(off, axis=-1)
    # prod_{j != i} (1 - p_j) without dividing by (1 - p_i), which is 0 at p = 1
    n = p.shape[-1]
    others = np.stack([np.prod(np.delete(off, i, axis=-1), axis=-1) for i in range(n)], axis=-1)
    return none, p * others


def relu_sparse_split(W: np.ndarray, b: np.ndarray, p, importance) -> SparseSplit:
    """Closed-form L_0 and L_1 pieces of x' = ReLU(W^T W x + b), plus the training loss they predict."""
    W, b = _f(W), _f(b)
    n = W.shape[-2]
    shape = W.shape[:-2] + (n,)
    p, imp = _per_feature(p, shape), _per_feature(importance, shape)
    terms = theory.one_sparse_terms(W, b, imp)
    zero = theory.zero_sparse_term(b, imp)
    none, only = active_probabilities(p)
    predicted = (none * zero + (only * terms.total).sum(axis=-1)) / n
    return SparseSplit(
        terms.feature_benefit.sum(axis=-1), terms.interference.sum(axis=-1), zero, none, only.sum(axis=-1), predicted
    )


def snapshot_series(snapshots, current: tuple[int, np.ndarray, np.ndarray] | None = None):
    """(steps [T], W [T, ...], b [T, ...]) from a run's (step, W, b) snapshots, plus ``current`` if it is newer."""
    snaps = list(snapshots)
    if current is not None and (not snaps or current[0] > snaps[-1][0]):
        snaps.append(current)
    if not snaps:
        return np.zeros(0), None, None
    steps = np.array([s for s, _, _ in snaps], dtype=np.float64)
    return steps, np.stack([_f(w) for _, w, _ in snaps]), np.stack([_f(v) for _, _, v in snaps])


def split_over_training(model: str, W_t: np.ndarray, b_t: np.ndarray, p, importance) -> dict[str, np.ndarray]:
    """Named loss pieces for a stack of weights W_t [T, ...]; every array is [T, ...].

    linear: training units, and the pieces add up to the exact expected loss.
    ReLU output: L_1's benefit and interference and L_0 in summed units, plus the training loss they predict.
    """
    if registry.get(model).is_linear:
        split = linear_split(W_t, b_t, p, importance)
        return {
            "feature benefit": split.benefit,
            "interference": split.interference,
            "bias error": split.bias_error,
            "exact expected loss": split.total,
        }
    split = relu_sparse_split(W_t, b_t, p, importance)
    return {
        "feature benefit": split.benefit,
        "interference": split.interference,
        "1-sparse total L₁": split.one_sparse,
        "0-sparse L₀ (positive biases)": split.zero,
        "predicted (0- and 1-sparse part)": split.predicted,
    }


def per_feature_split(model: str, W_k: np.ndarray, b_k: np.ndarray, p, importance) -> dict[str, np.ndarray]:
    """The same pieces feature by feature for one instance, each [n].

    linear: per output i in training units (their means over i are ``linear_split``'s numbers);
    ReLU output: per active feature i, L_1's summed pieces (their sums over i are L_1's two parts).
    """
    W, b = _f(W_k), _f(b_k)
    n = W.shape[0]
    p, imp = _per_feature(p, (n,)), _per_feature(importance, (n,))
    g = analysis.gram(W)
    if registry.get(model).is_linear:
        var = theory.feature_variance(p)
        mean_err = (np.eye(n) - g) @ (p / 2) - b
        return {
            "feature benefit": imp * (1.0 - np.diag(g)) ** 2 * var,
            "interference": imp * ((g**2 * (1.0 - np.eye(n))) @ var),
            "bias error": imp * mean_err**2,
        }
    terms = theory.one_sparse_terms(W, b, imp)
    return {"feature benefit": terms.feature_benefit, "interference": terms.interference}


@dataclass(frozen=True)
class MonteCarlo:
    """A sample mean and its standard error."""

    mean: float
    se: float


def one_sparse_monte_carlo(
    W_k: np.ndarray, b_k: np.ndarray, importance, samples: int, rng: np.random.Generator
) -> dict[str, MonteCarlo]:
    """Estimate L_1's pieces for one instance by sampling 1-sparse inputs.

    Each sample switches on one feature i, chosen uniformly, with value x ~ U[0, 1]; all others are 0.
    L_1 sums over i the expected summed loss given that only i is on, so it is n times the mean over a
    uniformly chosen i: every estimate (and its standard error) is n x the sample mean.
    """
    W, b = _f(W_k), _f(b_k)
    n = W.shape[0]
    imp = _per_feature(importance, (n,))
    g = analysis.gram(W)
    active = rng.integers(0, n, size=samples)
    x = rng.random(samples)
    out = np.maximum(g[:, active].T * x[:, None] + b, 0.0)  # [samples, n]; row: output j = (W_j . W_i) x + b_j
    rows = np.arange(samples)
    benefit = imp[active] * (x - out[rows, active]) ** 2
    others = imp * out**2
    others[rows, active] = 0.0
    interference = others.sum(axis=1)
    pieces = {"feature benefit": benefit, "interference": interference, "total": benefit + interference}
    return {k: MonteCarlo(float(n * v.mean()), float(n * v.std(ddof=1) / np.sqrt(samples))) for k, v in pieces.items()}


# ---------------------------------------------------------------------------------------------
# 2. Two features in one dimension
# ---------------------------------------------------------------------------------------------


def relu_integral(a, c) -> np.ndarray:
    """Integral over t in [0, 1] of ReLU(a t + c), exactly (no division when both ends are positive)."""
    a, c = np.broadcast_arrays(_f(a), _f(c))
    hi, lo = np.maximum(a + c, 0.0), np.maximum(c, 0.0)
    both = (hi > 0) & (lo > 0)
    safe_a = np.where(np.abs(a) > 0, np.abs(a), 1.0)
    one_end = (hi**2 + lo**2) / (2 * safe_a)  # exactly one end is positive here
    return np.where(both, (hi + lo) / 2, np.where((hi > 0) | (lo > 0), one_end, 0.0))


def _pair_weights(w1, w2) -> np.ndarray:
    w1, w2 = np.broadcast_arrays(_f(w1), _f(w2))
    return np.stack([w1, w2], axis=-1)[..., None]  # [..., 2, 1]


@dataclass(frozen=True)
class PairTerms:
    """Every piece of the n = 2, m = 1 model's loss, summed over both outputs, each [...].

    benefit1/2: I_i integral (x - ReLU(W_i^2 x + b_i))^2 (only feature i on, its own output);
    leak12: I_2 integral ReLU(W_1 W_2 x + b_2)^2 (only feature 1 on, damage to output 2); leak21 the reverse;
    zero: L_0 (nothing on); both: the expected loss when both features are on.
    """

    benefit1: np.ndarray
    benefit2: np.ndarray
    leak12: np.ndarray
    leak21: np.ndarray
    zero: np.ndarray
    both: np.ndarray

    @property
    def one_sparse(self) -> np.ndarray:
        return self.benefit1 + self.benefit2 + self.leak12 + self.leak21

    def expected(self, p) -> np.ndarray:
        """Expected summed loss at density p: (1-p)^2 L_0 + p(1-p) L_1 + p^2 L_2."""
        p = _f(p)
        return (1 - p) ** 2 * self.zero + p * (1 - p) * self.one_sparse + p**2 * self.both


def _gauss_nodes(panels: int, order: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss-Legendre nodes and weights on [0, 1]."""
    x, w = np.polynomial.legendre.leggauss(order)
    edges = np.linspace(0.0, 1.0, panels + 1)
    half = np.diff(edges)[:, None] / 2
    nodes = (edges[:-1, None] + half * (x + 1)).ravel()
    return nodes, (half * w).ravel()


def _both_on_output(own: np.ndarray, cross: np.ndarray, bias: np.ndarray, panels: int) -> np.ndarray:
    """E over x, t ~ U[0, 1] of (x - ReLU(own x + cross t + bias))^2: exact in t, quadrature in x."""
    x, w = _gauss_nodes(panels)
    shape = np.broadcast_shapes(own.shape, cross.shape, bias.shape)
    own, cross, bias = (np.broadcast_to(a, shape)[..., None] for a in (own, cross, bias))
    d = own * x + bias
    inner = x**2 - 2 * x * relu_integral(cross, d) + theory.relu_sq_integral(cross, d)
    return (inner * w).sum(axis=-1)


def pair_terms(w1, w2, b1, b2, importance2=1.0, panels: int = 48) -> PairTerms:
    """All loss pieces of two features in one dimension (feature 1 has importance 1), broadcasting."""
    W = _pair_weights(w1, w2)
    b = np.stack(np.broadcast_arrays(_f(b1), _f(b2), W[..., 0, 0])[:2], axis=-1)
    imp = np.stack(np.broadcast_arrays(np.ones_like(b[..., 0]), _f(importance2)), axis=-1)
    terms = theory.one_sparse_terms(W, b, imp)
    w1f, w2f = W[..., 0, 0], W[..., 1, 0]
    both = _both_on_output(w1f**2, w1f * w2f, b[..., 0], panels) + imp[..., 1] * _both_on_output(
        w2f**2, w1f * w2f, b[..., 1], panels
    )
    return PairTerms(
        benefit1=terms.feature_benefit[..., 0],
        benefit2=terms.feature_benefit[..., 1],
        leak12=terms.interference[..., 0],
        leak21=terms.interference[..., 1],
        zero=theory.zero_sparse_term(b, imp),
        both=both,
    )


@dataclass(frozen=True)
class Landscape:
    """A loss surface on a grid: x [nx], y [ny], loss [ny, nx] (rows follow y)."""

    x: np.ndarray
    y: np.ndarray
    loss: np.ndarray

    @property
    def best(self) -> tuple[float, float, float]:
        """(x, y, loss) of the lowest grid cell."""
        row, col = np.unravel_index(np.argmin(self.loss), self.loss.shape)
        return float(self.x[col]), float(self.y[row]), float(self.loss[row, col])


def pair_landscape(
    b1: float, b2: float, importance2: float, p: float | None, limit: float = 1.5, size: int = 61
) -> Landscape:
    """Loss over W_1 (x) and W_2 (y) in [-limit, limit]: L_1 alone when ``p`` is None, else the expected loss."""
    axis = np.linspace(-limit, limit, size)
    w1, w2 = np.meshgrid(axis, axis)
    if p is None:
        W = _pair_weights(w1, w2)
        b = np.broadcast_to(np.array([b1, b2], dtype=np.float64), w1.shape + (2,))
        loss = theory.one_sparse_terms(W, b, np.array([1.0, importance2])).total.sum(axis=-1)
    else:
        loss = pair_terms(w1, w2, b1, b2, importance2, panels=16).expected(p)
    return Landscape(axis, axis, loss)


def norm_bias_landscape(U: np.ndarray, norms: np.ndarray, biases: np.ndarray, importance=1.0) -> Landscape:
    """L_1 of W_i = r U_i with one shared bias b, over r (x) and b (y): the Thomson problem plus two knobs.

    r = 1, b = 0 is the pure Thomson energy; the paper's sparse models sit elsewhere, with r > 1 and b < 0.
    """
    U, norms, biases = _f(U), _f(norms), _f(biases)
    r, b = np.meshgrid(norms, biases)
    W = r[..., None, None] * U
    b_full = np.broadcast_to(b[..., None], b.shape + (U.shape[0],))
    return Landscape(norms, biases, theory.one_sparse_terms(W, b_full, importance).total.sum(axis=-1))


def relu_response(gain: float, bias: float, points: int = 101) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, gain x + bias, ReLU(gain x + bias)) for x in [0, 1]: what one output receives from one active input."""
    x = np.linspace(0.0, 1.0, points)
    pre = gain * x + bias
    return x, pre, np.maximum(pre, 0.0)
