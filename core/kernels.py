"""The fused training step: sample, forward, hand-derived backward and AdamW in one pass.

Why a kernel: the toy models are tiny, so a plain torch loop spends its time in
dispatch, autograd bookkeeping and in drawing two random numbers for every element
of every batch. Here each instance runs its whole step in compiled code, samples
only the features that are active, and never materialises the dense batch.

Sampling: along the batch axis, the gap between active entries of a feature with
density p is geometric, so one draw per *active* entry suffices (exact, not an
approximation). Its value reuses nothing: a second draw gives U[0,1].

Layout: a batch is X [n, B] (feature-major), so every inner loop runs along the batch
and compiles to SIMD instructions. Gradients, with t the target (x, or |x|):
    P = We^T X                 H = ReLU(P) or P                   [m, B]
    Z = Wd H + b               Y = ReLU(Z) or Z                   [n, B]
    L = sum I_j (t_j - y_j)^2 / (B n)
    G = -2 I (T - Y) / (B n), times 1[Z > 0] when the output is ReLU
    dWd = G H^T,  db = sum_s G,  dH = Wd^T G,  dP = dH * 1[P > 0] (ReLU hidden),  dWe = X dP^T
Tied models pass the same array as We and Wd (and as their gradients), so both
contributions add up, as they must.

Random numbers: xoshiro256** with one independent stream per instance, so results
do not depend on how instances are split across threads.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Kinds of feature group (core.data.feature_groups).
INDEPENDENT, CORRELATED, ANTICORRELATED = 0, 1, 2


@njit(inline="always")
def _rotl(x, k):
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@njit(inline="always")
def _next_u64(s):
    result = _rotl(s[1] * np.uint64(5), 7) * np.uint64(9)
    t = s[1] << np.uint64(17)
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], 45)
    return result


@njit(inline="always")
def _uniform(s):
    """U[0, 1) with 53 random bits."""
    return np.float64(_next_u64(s) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(inline="always")
def _gap(s, log_q):
    """Number of inactive entries before the next active one (geometric, density p)."""
    if log_q == 0.0:  # p == 1
        return 0
    if log_q == -np.inf:  # also p == 1 (log1p(-1))
        return 0
    u = 1.0 - _uniform(s)  # (0, 1]
    return int(np.log(u) / log_q)


@njit(cache=True)
def _sample(s, log_q, g_start, g_size, g_kind, signed, X):
    """Fill X [n, B] with one fresh batch for one instance (X is zeroed here)."""
    X[:] = 0.0
    batch = X.shape[1]
    for g in range(g_start.shape[0]):
        pos = -1
        size = g_size[g]
        while True:
            pos += 1 + _gap(s, log_q[g])
            if pos >= batch:
                break
            if g_kind[g] == ANTICORRELATED:
                pick = min(int(_uniform(s) * size), size - 1)
                lo, hi = g_start[g] + pick, g_start[g] + pick + 1
            else:
                lo, hi = g_start[g], g_start[g] + size
            for i in range(lo, hi):
                v = _uniform(s)
                X[i, pos] = 2.0 * v - 1.0 if signed else v


@njit(cache=True, fastmath=True)
def _forward(X, We, Wd, b, hidden_relu, P, H, Z):
    """P = We^T X, H = act(P), Z = Wd H + b (pre-activation outputs)."""
    n, m = We.shape
    batch = X.shape[1]
    P[:] = 0.0
    for i in range(n):
        for c in range(m):
            w = We[i, c]
            for s in range(batch):
                P[c, s] += w * X[i, s]
    for c in range(m):
        for s in range(batch):
            H[c, s] = max(P[c, s], 0.0) if hidden_relu else P[c, s]
    for j in range(n):
        for s in range(batch):
            Z[j, s] = b[j]
        for c in range(m):
            w = Wd[j, c]
            for s in range(batch):
                Z[j, s] += w * H[c, s]


@njit(cache=True, fastmath=True)
def _batch_grad(X, We, Wd, b, imp, flags, scale, gWe, gWd, gb, P, H, Z, GH, do_grad):
    """Loss (mean over batch and features) of the batch X; adds gradients into gWe, gWd, gb.

    flags = (hidden_relu, output_relu, abs_target). Z is overwritten with dL/dZ.
    """
    n, m = We.shape
    batch = X.shape[1]
    hidden_relu, output_relu, abs_target = flags[0], flags[1], flags[2]
    _forward(X, We, Wd, b, hidden_relu, P, H, Z)
    loss = 0.0
    for j in range(n):
        acc = np.float32(0.0)
        coef = np.float32(-2.0 * imp[j] * scale)
        for s in range(batch):
            t = abs(X[j, s]) if abs_target else X[j, s]
            z = Z[j, s]
            y = max(z, 0.0) if output_relu else z
            d = t - y
            acc += d * d
            Z[j, s] = coef * d if (z > 0.0 or not output_relu) else 0.0
        loss += imp[j] * acc
    if do_grad:
        _backward(X, We, Wd, hidden_relu, gWe, gWd, gb, P, H, Z, GH)
    return loss * scale


@njit(cache=True, fastmath=True)
def _backward(X, We, Wd, hidden_relu, gWe, gWd, gb, P, H, G, GH):
    """Adds dWd = G H^T, db = sum G, dWe = X dP^T into the gradient arrays."""
    n, m = We.shape
    batch = X.shape[1]
    GH[:] = 0.0
    for j in range(n):
        acc = np.float32(0.0)
        for s in range(batch):
            acc += G[j, s]
        gb[j] += acc
        for c in range(m):
            acc = np.float32(0.0)
            w = Wd[j, c]
            for s in range(batch):
                acc += G[j, s] * H[c, s]
                GH[c, s] += w * G[j, s]
            gWd[j, c] += acc
    if hidden_relu:
        for c in range(m):
            for s in range(batch):
                if P[c, s] <= 0.0:
                    GH[c, s] = 0.0
    for i in range(n):
        for c in range(m):
            acc = np.float32(0.0)
            for s in range(batch):
                acc += X[i, s] * GH[c, s]
            gWe[i, c] += acc


@njit(inline="always")
def _adamw(p, g, mom, vel, lr, wd, b1, b2, eps, bc1, bc2):
    """torch.optim.AdamW's update, in place, on flat views."""
    step = lr / bc1
    root_bc2 = np.sqrt(bc2)
    for t in range(p.shape[0]):
        p[t] *= 1.0 - lr * wd
        mom[t] = b1 * mom[t] + (1.0 - b1) * g[t]
        vel[t] = b2 * vel[t] + (1.0 - b2) * g[t] * g[t]
        p[t] -= step * mom[t] / (np.sqrt(vel[t]) / root_bc2 + eps)


@njit(cache=True)
def _buffers(n, m, batch):
    """X, P, H, Z, GH work arrays for one thread."""
    return (
        np.zeros((n, batch), np.float32),
        np.zeros((m, batch), np.float32),
        np.zeros((m, batch), np.float32),
        np.zeros((n, batch), np.float32),
        np.zeros((m, batch), np.float32),
    )


@njit(cache=True, nogil=True)
def run_steps(k_lo, k_hi, step0, lrs, hyper, We, Wd, b, opt_state, imp, log_q, groups, rng, flags, batch, tied, losses):
    """Train instances k_lo..k_hi-1 for len(lrs) steps, in place.

    hyper = (weight_decay, beta1, beta2, eps); opt_state = [I, 6, P] float32 holding
    Adam's first and second moments of (We, Wd, b) flattened; groups = [3, G] int64
    (start, size, kind); losses [steps, I] receives each step's batch loss. A step whose
    loss is not finite stops that instance and leaves its loss as NaN.
    """
    n, m = We.shape[1], We.shape[2]
    X, P, H, Z, GH = _buffers(n, m, batch)
    gWe = np.empty((n, m), np.float32)
    gWd = gWe if tied else np.empty((n, m), np.float32)
    gb = np.empty(n, np.float32)
    wd, b1, b2, eps = hyper[0], hyper[1], hyper[2], hyper[3]
    scale = 1.0 / (batch * n)
    for k in range(k_lo, k_hi):
        for t in range(lrs.shape[0]):
            _sample(rng[k], log_q[k], groups[0], groups[1], groups[2], flags[2], X)
            gWe[:] = 0.0
            gWd[:] = 0.0
            gb[:] = 0.0
            loss = _batch_grad(X, We[k], Wd[k], b[k], imp[k], flags, scale, gWe, gWd, gb, P, H, Z, GH, True)
            losses[t, k] = loss
            if not np.isfinite(loss):
                break
            step = step0 + t + 1
            bc1, bc2 = 1.0 - b1**step, 1.0 - b2**step
            st = opt_state[k]
            _adamw(We[k].ravel(), gWe.ravel(), st[0, : n * m], st[1, : n * m], lrs[t], wd, b1, b2, eps, bc1, bc2)
            if not tied:
                _adamw(Wd[k].ravel(), gWd.ravel(), st[2, : n * m], st[3, : n * m], lrs[t], wd, b1, b2, eps, bc1, bc2)
            _adamw(b[k], gb, st[4, :n], st[5, :n], lrs[t], wd, b1, b2, eps, bc1, bc2)


@njit(cache=True, nogil=True)
def evaluate(We, Wd, b, imp, log_q, groups, rng, flags, batch, out):
    """Loss of every instance on fresh data (no update) into out [I]; ``batch`` is split in chunks."""
    n, m = We.shape[1], We.shape[2]
    chunk = min(batch, 4096)
    X, P, H, Z, GH = _buffers(n, m, chunk)
    dummy = np.zeros((n, m), np.float32)
    dummy_b = np.zeros(n, np.float32)
    for k in range(We.shape[0]):
        total, done = 0.0, 0
        while done < batch:
            _sample(rng[k], log_q[k], groups[0], groups[1], groups[2], flags[2], X)
            total += _batch_grad(X, We[k], Wd[k], b[k], imp[k], flags, 1.0 / (chunk * n), dummy, dummy, dummy_b, P, H, Z, GH, False)
            done += chunk
        out[k] = total * chunk / done


@njit(cache=True)
def dense_grads(x, We, Wd, b, imp, flags, gWe, gWd, gb):
    """Loss and gradients (added into gWe, gWd, gb) of one instance on a given batch x [B, n]."""
    batch, n = x.shape
    m = We.shape[1]
    X = np.ascontiguousarray(x.T)
    _, P, H, Z, GH = _buffers(n, m, batch)
    return _batch_grad(X, We, Wd, b, imp, flags, 1.0 / (batch * n), gWe, gWd, gb, P, H, Z, GH, True)
