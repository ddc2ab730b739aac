"""The training kernel's step written with numpy: what the app trains with while numba compiles the kernel.

On a machine that has never compiled core/kernels.py, compiling takes seconds (about 8 on the 2-core
machines we target). During that time a learner who presses Play would wait for the first figure. This
module does the same step as kernels.run_steps (same arguments, same counter-based random numbers, same
hand-derived gradients, same AdamW in the same precision) with whole-array numpy operations: many times
slower than the kernel, fast enough for the first seconds. Only the order of float32 sums differs, so a
run trained partly here follows the kernel's run to rounding (tests/test_numpy_steps.py states how close).

Layouts as in the kernel: instances first; X is feature-major [instances, n, batch].
"""

from __future__ import annotations

import numpy as np

from core.kernel_shared import ANTICORRELATED, CHUNK, GOLDEN, INDEPENDENT, LOW31, PAIR, TWO31
from core.registry import ABS_TARGET, ACTIVATIONS, BIAS, HIDDEN, OUTPUT, SIGNED

RELU, SIGMOID = ACTIVATIONS["relu"], ACTIVATIONS["sigmoid"]
# Seconds per (instance x sample x feature) of one step, a cautious first guess: measured about 4e-8 on a quiet
# 2-core machine (the default 5-in-2 sweep, 48 instances x 1024 x 5, in 10 ms), several times that when busy.
SECONDS_PER_ENTRY = 1e-7
_S30, _S27, _S31, _S33 = (np.uint64(s) for s in (30, 27, 31, 33))
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
assert CHUNK % (2 * PAIR) == 0


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser on uint64 arrays (wrapping arithmetic, as in the kernel)."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


def row_keys(keys: np.ndarray, step: int, rows: np.ndarray) -> np.ndarray:
    """The kernel's _row_key for every (instance, row): [K, R]."""
    inner = _mix((np.uint64(step) << np.uint64(21)) ^ rows.astype(np.uint64))
    return _mix(keys.astype(np.uint64)[:, None] ^ inner[None, :])


def draws(rk: np.ndarray, batch: int) -> np.ndarray:
    """The kernel's _bits for positions 0 .. batch - 1 of every row key: float64 [..., batch] in [0, 2^31).

    One hash serves positions q and q + PAIR of each block of 2 PAIR: its high 31 bits the first, its low the second.
    """
    blocks = -(-batch // (2 * PAIR))
    idx = np.arange(blocks * PAIR, dtype=np.uint64)
    h = _mix(rk[..., None] + idx * GOLDEN).reshape(*rk.shape, blocks, 1, PAIR)
    both = np.concatenate([h >> _S33, h & LOW31], axis=-2)  # [..., blocks, 2, PAIR]
    return both.reshape(*rk.shape, blocks * 2 * PAIR)[..., :batch].astype(np.float64)


def sample(keys: np.ndarray, step: int, p: np.ndarray, groups: np.ndarray, signed: bool, batch: int) -> np.ndarray:
    """The batch the kernel draws at ``step``: float32 [K, n, batch] (p: [K, G] density of each group)."""
    starts, sizes, kinds = groups
    n = int(starts[-1] + sizes[-1])
    X = np.zeros((len(keys), n, batch), np.float32)
    thresh = p * TWO31  # [K, G]
    u = draws(row_keys(keys, step, np.arange(n)), batch)  # [K, n, batch]
    for g, (lo, size, kind) in enumerate(zip(starts, sizes, kinds)):
        t = thresh[:, g, None]
        if kind == INDEPENDENT:
            v = (u[:, lo] + 0.5) * (1.0 / t)
            v = 2.0 * v - 1.0 if signed else v
            X[:, lo] = np.where(u[:, lo] < t, v.astype(np.float32), np.float32(0.0))
            continue
        ug = draws(row_keys(keys, step, np.array([n + g])), batch)[:, 0]  # the set's activity stream
        on = ug < t
        for i in range(lo, lo + size):
            active = on
            if kind == ANTICORRELATED:
                member = np.minimum(((ug + 0.5) / t * size).astype(np.int64), size - 1)
                active = on & (member == i - lo)
            X[:, i] = np.where(active, (u[:, i] + 0.5) * (1.0 / TWO31), 0.0).astype(np.float32)
    return X


def _act(P: np.ndarray, code: int) -> np.ndarray:
    if code == RELU:
        return np.maximum(P, np.float32(0.0))
    if code == SIGMOID:
        return np.float32(0.5) * (np.float32(1.0) + np.tanh(np.float32(0.5) * P))
    return P


def batch_step(X, We, Wd, b, imp, flags, do_grad=True):
    """Loss [K] (mean over samples and features) and gradients (gWe, gWd, gb) of one batch, as tile_step."""
    n, batch = X.shape[1], X.shape[2]
    scale = 1.0 / (batch * n)
    P = np.matmul(We.transpose(0, 2, 1), X)  # [K, m, B]
    H = _act(P, flags[HIDDEN])
    z = np.matmul(Wd, H) + b[:, :, None]  # [K, n, B]
    target = np.abs(X) if flags[ABS_TARGET] else X
    y = _act(z, flags[OUTPUT])
    d = target - y
    loss = (imp.astype(np.float64) * (d * d).sum(axis=2, dtype=np.float32)).sum(axis=1) * scale
    if not do_grad:
        return loss, None
    coef = (-2.0 * imp.astype(np.float64) * scale).astype(np.float32)[:, :, None]
    if flags[OUTPUT] == RELU:
        G = np.where(z > 0, coef * d, np.float32(0.0))
    elif flags[OUTPUT] == SIGMOID:
        G = coef * d * (y * (np.float32(1.0) - y))
    else:
        G = coef * d
    gWd = np.matmul(G, H.transpose(0, 2, 1))  # [K, n, m]
    GH = np.matmul(Wd.transpose(0, 2, 1), G)  # [K, m, B]
    if flags[HIDDEN] == RELU:
        GH = np.where(P > 0, GH, np.float32(0.0))
    elif flags[HIDDEN] == SIGMOID:
        GH = GH * (H * (np.float32(1.0) - H))
    gWe = np.matmul(X, GH.transpose(0, 2, 1))
    return loss, (gWe, gWd, G.sum(axis=2))


def adamw(p, g, mom, vel, lr, hyper, step) -> None:
    """kernels._adamw for a stack of parameters: p, g [K, a, c]; mom, vel [K, a * c] float32; in place."""
    wd, b1, b2, eps = (float(h) for h in hyper)
    step_size = lr / (1.0 - b1**step)
    root_bc2 = np.sqrt(1.0 - b2**step)
    shape = p.shape
    g64 = g.reshape(shape[0], -1).astype(np.float64)  # float64 throughout, as numba computes it; stored as float32
    mom[:] = b1 * mom.astype(np.float64) + (1.0 - b1) * g64
    vel[:] = b2 * vel.astype(np.float64) + (1.0 - b2) * g64 * g64
    update = step_size * mom.astype(np.float64) / (np.sqrt(vel.astype(np.float64)) / root_bc2 + eps)
    p[:] = (p.reshape(shape[0], -1).astype(np.float64) * (1.0 - lr * wd) - update).reshape(shape)


def run_steps(k_lo, k_hi, step0, lrs, hyper, We, Wd, b, opt_state, imp, p, groups, keys, flags, batch, tied, losses):
    """kernels.run_steps in numpy: train instances k_lo .. k_hi - 1 for len(lrs) steps, in place.

    An instance whose loss is not finite stops there (its later losses stay as they were), as in the kernel.
    """
    ks = np.arange(k_lo, k_hi)
    n, m = We.shape[1], We.shape[2]
    for t in range(len(lrs)):
        if not len(ks):
            return
        X = sample(keys[ks], step0 + t, p[ks], groups, bool(flags[SIGNED]), batch)
        We_k, Wd_k, b_k, opt = We[ks], Wd[ks], b[ks], opt_state[ks]
        loss, (gWe, gWd, gb) = batch_step(X, We_k, Wd_k, b_k, imp[ks], flags)
        losses[t, ks] = loss
        ok = np.isfinite(loss)
        step = step0 + t + 1
        if tied:
            gWe = gWe + gWd
        adamw(We_k, gWe, opt[:, 0, : n * m], opt[:, 1, : n * m], lrs[t], hyper, step)
        if not tied:
            adamw(Wd_k, gWd, opt[:, 2, : n * m], opt[:, 3, : n * m], lrs[t], hyper, step)
        if flags[BIAS]:
            adamw(b_k[:, None, :], gb[:, None, :], opt[:, 4, :n], opt[:, 5, :n], lrs[t], hyper, step)
        keep = ks[ok]
        sel = ok
        We[keep], b[keep], opt_state[keep] = We_k[sel], b_k[sel], opt[sel]
        if not tied:
            Wd[keep] = Wd_k[sel]
        ks = keep
