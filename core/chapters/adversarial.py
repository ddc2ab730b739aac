"""Superposition and adversarial vulnerability: the paper's per-feature attack, measured.

Model: the ReLU-output model x' = ReLU(G x + b) with G = W W^T in our layout (the paper's W^T W).

The attack on feature i. Nudging the input by delta moves output i's pre-activation by G_i . delta
(G_i is row i of G; G is symmetric, so it is also the paper's column). Under an L2 budget
||delta|| = eps, Cauchy-Schwarz says the largest push is eps ||G_i||, reached at
delta_i = eps G_i / ||G_i||: the paper's analytic attack. The ReLU is monotone, so no other
direction of that size can raise output i further, on any input.

Why superposition makes it stronger: ||G_i||^2 = ||W_i||^4 + sum_{j != i} (W_i . W_j)^2, so a feature
of norm 1 that shares its direction with others offers the attacker more leverage than one with
a dimension to itself (||G_i|| = 1). In terms of the geometry chapter's feature dimensionality,
||G_i|| = ||W_i||^2 / sqrt(D_i).

Vulnerability (our definition, stated on the page). For the attack on feature i: its mean extra squared
error, summed over all outputs and averaged over inputs from the training distribution, divided by eps^2. The
model should still reproduce the clean input (the attacker changes what the model sees, not what is true). A
model whose stored features are orthonormal passes the perturbation through unchanged, so it scores exactly 1:
the no-superposition level. The paper keeps the attack that most harms the model, so the headline score is the
largest over features (``Vulnerability.strongest``); the mean over features and each input's own worst attack
(``worst``) are reported as other readings. The budget is the paper's: eps = 0.1 x the mean input norm at that
density, so dividing by eps^2 compares models fairly.

Uniform-sweep assets store W but not b. For a fixed W, each output's bias only affects that
output's error, so ``fit_bias`` finds each b_j by a one-dimensional search on sampled inputs.

Adversarial training (``train_numpy``): the same model trained by a plain numpy AdamW loop on inputs
attacked with the strongest of the n per-feature attacks for each example (the attack is treated as
fixed when taking the gradient, as adversarial training usually does).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BUDGET_FRACTION = 0.1  # the paper: eps = 0.1 x the mean L2 norm of the inputs
EPS = 1e-9


def sample_inputs(n: int, p: float, count: int, seed: int) -> np.ndarray:
    """count x n inputs: each feature 0 with probability 1 - p, otherwise U[0, 1]."""
    rng = np.random.default_rng(seed)
    return (rng.random((count, n)) < p) * rng.random((count, n))


def budget(x: np.ndarray, fraction: float = BUDGET_FRACTION) -> float:
    """The attack's L2 budget: ``fraction`` x the mean input norm of these inputs."""
    return float(fraction * np.linalg.norm(x, axis=1).mean())


def gram(W: np.ndarray) -> np.ndarray:
    """G = W W^T for W [n, m] (row i = feature i's direction): the paper's W^T W."""
    W = np.asarray(W, dtype=np.float64)
    return W @ W.T


def attack_directions(W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(unit attack direction per feature [n, n], attackable [n] bool).

    Row i is G_i / ||G_i||. A feature the model does not store (G_i = 0) cannot be pushed at all;
    its row is zero and it is marked not attackable.
    """
    G = gram(W)
    norms = np.linalg.norm(G, axis=1)
    ok = norms > 1e-6
    dirs = np.where(ok[:, None], G / np.where(ok, norms, 1.0)[:, None], 0.0)
    return dirs, ok


def outputs(W: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.maximum(x @ gram(W) + np.asarray(b, dtype=np.float64), 0.0)


def fit_bias(W: np.ndarray, x: np.ndarray, lo: float = -2.0, hi: float = 1.0) -> np.ndarray:
    """The bias b_j minimising mean (x_j - ReLU(G_j . x + b_j))^2 for every output j, W fixed.

    A coarse grid, then a finer one around each output's best value (the loss in b_j is not
    convex: flat where the ReLU is off, so a grid is safer than gradient steps).
    """
    x = np.asarray(x, dtype=np.float32)
    pre = x @ gram(W).astype(np.float32)
    grid = np.linspace(lo, hi, 41, dtype=np.float32)
    best = _best_on_grid(pre, x, np.repeat(grid[:, None], pre.shape[1], axis=1))
    step = grid[1] - grid[0]
    fine = best[None, :] + np.linspace(-step, step, 21, dtype=np.float32)[:, None]
    return _best_on_grid(pre, x, fine).astype(np.float64)


def _best_on_grid(pre: np.ndarray, x: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """grid [K, n] candidate biases per output -> the best one per output [n] (outputs in chunks)."""
    best = np.empty(pre.shape[1], dtype=grid.dtype)
    for s in range(0, pre.shape[1], 8):
        cols = slice(s, s + 8)
        err = x[None, :, cols] - np.maximum(pre[None, :, cols] + grid[:, None, cols], 0.0)
        best[cols] = grid[(err * err).mean(axis=1).argmin(axis=0), np.arange(s, min(s + 8, pre.shape[1]))]
    return best


def attacked_errors(
    W: np.ndarray, b: np.ndarray, x: np.ndarray, dirs: np.ndarray, eps: float
) -> tuple[np.ndarray, np.ndarray]:
    """(clean [B], attacked [k, B]): squared error summed over outputs, clean target, per input.

    Uses linearity before the ReLU: G (x + eps d) = G x + eps G d, so one product serves all
    directions.
    """
    G = gram(W)
    x = np.asarray(x, dtype=np.float32)
    pre = x @ G.astype(np.float32) + np.asarray(b, dtype=np.float32)
    clean = ((x - np.maximum(pre, 0.0)) ** 2).sum(axis=1)
    shifts = (eps * (np.asarray(dirs, dtype=np.float64) @ G)).astype(np.float32)  # [k, n]
    out = np.empty((len(shifts), len(x)), dtype=np.float32)
    for s in range(0, len(shifts), 8):  # chunks keep the [chunk, batch, n] array small
        err = x[None] - np.maximum(pre[None] + shifts[s : s + 8, None, :], 0.0)
        out[s : s + 8] = (err * err).sum(axis=2)
    return clean.astype(np.float64), out.astype(np.float64)


def attacked_increase(W: np.ndarray, b: np.ndarray, x: np.ndarray, dirs: np.ndarray, eps: float) -> np.ndarray:
    """Mean extra squared error (all outputs, clean target) for each direction in dirs [k, n]: [k]."""
    clean, attacked = attacked_errors(W, b, x, dirs, eps)
    return attacked.mean(axis=1) - clean.mean()


def worst_case_vulnerability(W: np.ndarray, b: np.ndarray, x: np.ndarray, eps: float) -> float:
    """The paper's score: for each input, the per-feature attack that hurts it most; mean extra error / eps^2."""
    dirs, ok = attack_directions(W)
    if not ok.any():
        return 0.0
    clean, attacked = attacked_errors(W, b, x, dirs[ok], eps)
    return float((attacked.max(axis=0) - clean).mean() / eps**2)


def feature_vulnerability(
    W: np.ndarray, b: np.ndarray, x: np.ndarray, eps: float, which: np.ndarray | None = None
) -> np.ndarray:
    """Per feature: extra squared error of the attack on it, divided by eps^2.

    NaN for features that cannot be attacked (not stored) and for features left out of ``which``
    (an index array; None = every feature).
    """
    dirs, ok = attack_directions(W)
    chosen = np.zeros(len(ok), bool)
    chosen[np.arange(len(ok)) if which is None else np.asarray(which)] = True
    chosen &= ok
    vul = np.full(len(ok), np.nan)
    if chosen.any():
        vul[chosen] = attacked_increase(W, b, x, dirs[chosen], eps) / eps**2
    return vul


def features_per_dimension(W: np.ndarray) -> float:
    """||W||_F^2 / m: roughly how many stored features share each hidden dimension (1 / dims per feature)."""
    W = np.asarray(W, dtype=np.float64)
    return float((W**2).sum() / W.shape[1])


@dataclass(frozen=True)
class Vulnerability:
    """One model's numbers, as the page shows them."""

    density: float
    eps: float
    per_feature: np.ndarray  # [n], NaN where a feature cannot be attacked (or was not attacked)
    features_per_dim: float
    worst: float = float("nan")  # strongest attack per input (the paper's choice), extra error / eps^2

    @property
    def mean(self) -> float:
        """Mean over the attacked features."""
        return float(np.nanmean(self.per_feature)) if np.isfinite(self.per_feature).any() else 0.0

    @property
    def strongest(self) -> float:
        """The single per-feature attack that raises the mean error most (the page's headline score)."""
        return float(np.nanmax(self.per_feature)) if np.isfinite(self.per_feature).any() else 0.0


def measure(
    W: np.ndarray, b: np.ndarray | None, p: float, samples: int = 500, seed: int = 0, n_attacked: int | None = None
) -> Vulnerability:
    """Vulnerability of one model at density p.

    b=None fits the bias first (assets store no b). n_attacked: attack only that many features,
    drawn at random with the seed (features of a uniform model are interchangeable, so a sample
    estimates the mean at a fraction of the cost); None attacks every feature.
    """
    W = np.asarray(W, dtype=np.float64)
    n = W.shape[0]
    x = sample_inputs(n, p, samples, seed)
    if b is None:
        b = fit_bias(W, sample_inputs(n, p, 2 * samples, seed + 1))
    which = None
    if n_attacked is not None and n_attacked < n:
        which = np.random.default_rng(seed + 2).choice(n, n_attacked, replace=False)
    eps = budget(x)
    per_feature = feature_vulnerability(W, b, x, eps, which)
    return Vulnerability(float(p), eps, per_feature, features_per_dimension(W), worst_case_vulnerability(W, b, x, eps))


def sweep(
    Ws: np.ndarray, bs: np.ndarray | None, densities, samples: int = 500, seed: int = 0, n_attacked: int | None = None
) -> list[Vulnerability]:
    """measure() for every model of a sweep (bs=None: fit each bias)."""
    return [
        measure(Ws[k], None if bs is None else bs[k], float(p), samples, seed, n_attacked)
        for k, p in enumerate(densities)
    ]


def rise(results: list[Vulnerability]) -> float:
    """How many times more vulnerable (strongest attack) the sparsest model is than the densest one."""
    return results[-1].strongest / results[0].strongest


# ---- adversarial training: a small plain-numpy loop ----------------------------------------------


@dataclass(frozen=True)
class NumpyRun:
    W: np.ndarray  # [n, m]
    b: np.ndarray  # [n]
    eps_train: float  # the budget the training attacks used (0 = ordinary training)


def strongest_attack(W: np.ndarray, b: np.ndarray, x: np.ndarray, eps: float) -> np.ndarray:
    """For each input, the per-feature attack (of the n) that raises its squared error most: [B, n] deltas."""
    dirs, _ = attack_directions(W)
    G = gram(W)
    pre = x @ G + b
    attacked = np.maximum(pre[:, None, :] + eps * (dirs @ G)[None], 0.0)  # [B, n_attacks, n]
    worst = ((x[:, None, :] - attacked) ** 2).sum(axis=2).argmax(axis=1)
    return eps * dirs[worst]


def _grads(W: np.ndarray, b: np.ndarray, x_in: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of mean_(batch, features) (target - ReLU(x_in W W^T + b))^2 with respect to W and b."""
    h = x_in @ W
    pre = h @ W.T + b
    dpre = 2.0 * (np.maximum(pre, 0.0) - target) * (pre > 0) / target.size
    return dpre.T @ h + x_in.T @ (dpre @ W), dpre.sum(axis=0)


def train_numpy(
    n: int,
    m: int,
    p: float,
    adversarial: bool,
    steps: int = 3000,
    budget_fraction: float = BUDGET_FRACTION,
    seed: int = 0,
    batch: int = 256,
    lr: float = 3e-3,
    weight_decay: float = 0.01,
) -> NumpyRun:
    """Train x' = ReLU(W W^T x + b) with AdamW, importance 1, on clean or attacked inputs.

    Ordinary and adversarial runs share the seed, the initialisation and every data batch, so the
    attack is the only difference. The training attack's budget is budget_fraction x the mean input norm.
    """
    rng = np.random.default_rng(seed)
    W = rng.normal(0.0, np.sqrt(2.0 / (n + m)), (n, m))  # xavier-normal, as the main engine
    b = np.zeros(n)
    eps = budget(sample_inputs(n, p, 4096, seed + 7), budget_fraction) if adversarial else 0.0
    state = [np.zeros_like(W), np.zeros_like(W), np.zeros_like(b), np.zeros_like(b)]
    for t in range(1, steps + 1):
        x = (rng.random((batch, n)) < p) * rng.random((batch, n))
        x_in = x + strongest_attack(W, b, x, eps) if adversarial else x
        gW, gb = _grads(W, b, x_in, x)
        W = _adamw(W, gW, state, 0, t, lr, weight_decay)
        b = _adamw(b, gb, state, 2, t, lr, weight_decay)
    return NumpyRun(W, b, eps)


def _adamw(param, grad, state, i, t, lr, wd, beta1=0.9, beta2=0.999, eps=1e-8):
    state[i] = beta1 * state[i] + (1 - beta1) * grad
    state[i + 1] = beta2 * state[i + 1] + (1 - beta2) * grad**2
    m_hat = state[i] / (1 - beta1**t)
    v_hat = state[i + 1] / (1 - beta2**t)
    return param * (1 - lr * wd) - lr * m_hat / (np.sqrt(v_hat) + eps)


def clean_loss(W: np.ndarray, b: np.ndarray, p: float, samples: int = 4000, seed: int = 0) -> float:
    """Mean over batch and features of (x - x')^2 on clean inputs (the training loss's units)."""
    x = sample_inputs(W.shape[0], p, samples, seed)
    return float(((x - outputs(W, b, x)) ** 2).mean())
