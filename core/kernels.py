"""The fused training step: sample, forward, hand-derived backward and AdamW in one pass.

Why a kernel: the toy models are tiny, so a plain torch loop spends its time in
dispatch, autograd bookkeeping and in drawing two random numbers for every element
of every batch. Here each instance runs its whole step in compiled code, samples
only the features that are active, and never materialises the dense batch.

Sampling: one 32-bit draw per entry gives both whether it is active and its value
(see _sample), instead of the reference loop's two float draws.

Layout: a batch is X [n, B] (feature-major), so every inner loop runs along the batch
and compiles to SIMD instructions. Gradients, with t the target (x, or |x|):
    P = We^T X                 H = ReLU(P) or P                   [m, B]
    Z = Wd H + b               Y = ReLU(Z) or Z                   [n, B]
    L = sum I_j (t_j - y_j)^2 / (B n)
    G = -2 I (T - Y) / (B n), times 1[Z > 0] when the output is ReLU
    dWd = G H^T,  db = sum_s G,  dH = Wd^T G,  dP = dH * 1[P > 0] (ReLU hidden),  dWe = X dP^T
Tied models pass the same array as We and Wd (and as their gradients), so both
contributions add up, as they must.

Random numbers: a counter-based generator. Every entry's bits are a hash (splitmix64's
finaliser) of (instance key, step, row, position), so rows vectorise, instances are
independent of how they are split across threads, and a run is reproducible.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Kinds of feature group (core.data.feature_groups).
INDEPENDENT, CORRELATED, ANTICORRELATED = 0, 1, 2


GOLDEN = np.uint64(0x9E3779B97F4A7C15)
TWO32 = 4294967296.0
TILE = 64  # samples per tile of the batch


@njit(inline="always")
def _mix(z):
    """splitmix64's finaliser: a strong 64-bit mixing bijection."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(inline="always")
def _row_key(key, step, row):
    """A stream key for one row (feature or set) of one instance's batch at one step."""
    return _mix(key ^ _mix((np.uint64(step) << np.uint64(21)) ^ np.uint64(row)))


@njit(inline="always")
def _u32(row_key, s):
    """32 random bits for batch position s of a row, as a float in [0, 2^32)."""
    return np.float64(_mix(row_key + np.uint64(s) * GOLDEN) >> np.uint64(32))


@njit(cache=True, fastmath=True)
def _sample(key, step, p, g_start, g_size, g_kind, signed, X):
    """Fill X [tiles, n, S] (batch position = tile * S + s) with one fresh batch.

    For each entry one 32-bit draw u decides both things: the feature is active iff
    u < p 2^32, and then u / (p 2^32) is uniform on [0, 1). Sets draw their activity
    once per set and their values per member.
    """
    tiles, n, width = X.shape
    for g in range(g_start.shape[0]):
        lo, size, kind = g_start[g], g_size[g], g_kind[g]
        thresh = p[g] * TWO32
        inv = 1.0 / thresh
        if kind == INDEPENDENT:
            rk = _row_key(key, step, lo)
            for t in range(tiles):
                for s in range(width):
                    u = _u32(rk, t * width + s)
                    v = (u + 0.5) * inv
                    v = 2.0 * v - 1.0 if signed else v
                    X[t, lo, s] = v if u < thresh else 0.0
            continue
        gk = _row_key(key, step, n + g)
        for i in range(lo, lo + size):
            rk = _row_key(key, step, i)
            for t in range(tiles):
                for s in range(width):
                    u = _u32(gk, t * width + s)
                    on = u < thresh
                    if kind == ANTICORRELATED:
                        on = on and min(int((u + 0.5) * inv * size), size - 1) == i - lo
                    v = (_u32(rk, t * width + s) + 0.5) * (1.0 / TWO32)
                    X[t, i, s] = v if on else 0.0


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
    """Loss (mean over batch and features) of the batch X [tiles, n, S]; adds gradients.

    flags = (hidden_relu, output_relu, abs_target). Work arrays hold one tile, so a
    tile's forward and backward pass stay in the L1 cache.
    """
    hidden_relu, output_relu, abs_target = flags[0], flags[1], flags[2]
    loss = 0.0
    for t in range(X.shape[0]):
        _forward(X[t], We, Wd, b, hidden_relu, P, H, Z)
        loss += _output_grad(X[t], imp, output_relu, abs_target, scale, Z)
        if do_grad:
            _backward(X[t], We, Wd, hidden_relu, gWe, gWd, gb, P, H, Z, GH)
    return loss * scale


@njit(cache=True, fastmath=True)
def _output_grad(X, imp, output_relu, abs_target, scale, Z):
    """Unscaled loss of one tile; overwrites Z with dL/dZ."""
    loss = 0.0
    for j in range(X.shape[0]):
        acc = np.float32(0.0)
        coef = np.float32(-2.0 * imp[j] * scale)
        for s in range(X.shape[1]):
            t = abs(X[j, s]) if abs_target else X[j, s]
            z = Z[j, s]
            y = max(z, 0.0) if output_relu else z
            d = t - y
            acc += d * d
            Z[j, s] = coef * d if (z > 0.0 or not output_relu) else 0.0
        loss += imp[j] * acc
    return loss


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
def tile_width(batch):
    """Samples per tile: a divisor of the batch near TILE (the whole batch if none fits)."""
    for w in range(TILE, 7, -1):
        if batch % w == 0:
            return w
    return batch


@njit(cache=True)
def _buffers(n, m, batch):
    """X [tiles, n, S] and one tile's P, H, Z, GH work arrays."""
    w = tile_width(batch)
    return (
        np.zeros((batch // w, n, w), np.float32),
        np.zeros((m, w), np.float32),
        np.zeros((m, w), np.float32),
        np.zeros((n, w), np.float32),
        np.zeros((m, w), np.float32),
    )


@njit(cache=True, nogil=True)
def run_steps(k_lo, k_hi, step0, lrs, hyper, We, Wd, b, opt_state, imp, p, groups, keys, flags, batch, tied, losses):
    """Train instances k_lo..k_hi-1 for len(lrs) steps, in place.

    hyper = (weight_decay, beta1, beta2, eps); opt_state = [I, 6, P] float32 holding
    Adam's first and second moments of (We, Wd, b) flattened; groups = [3, G] int64
    (start, size, kind); p [I, G] is each group's density; keys [I] uint64 random
    keys; losses [steps, I] receives each step's batch loss. A step whose
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
            _sample(keys[k], step0 + t, p[k], groups[0], groups[1], groups[2], flags[2], X)
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
def evaluate(We, Wd, b, imp, p, groups, keys, flags, batch, out):
    """Loss of every instance on fresh data (no update) into out [I]; ``batch`` is split in chunks."""
    n, m = We.shape[1], We.shape[2]
    chunk = min(batch, 4096)
    X, P, H, Z, GH = _buffers(n, m, chunk)
    dummy = np.zeros((n, m), np.float32)
    dummy_b = np.zeros(n, np.float32)
    for k in range(We.shape[0]):
        total, done = 0.0, 0
        while done < batch:
            _sample(keys[k], done // chunk, p[k], groups[0], groups[1], groups[2], flags[2], X)
            total += _batch_grad(
                X, We[k], Wd[k], b[k], imp[k], flags, 1.0 / (chunk * n), dummy, dummy, dummy_b, P, H, Z, GH, False
            )
            done += chunk
        out[k] = total * chunk / done


@njit(cache=True)
def dense_grads(x, We, Wd, b, imp, flags, gWe, gWd, gb):
    """Loss and gradients (added into gWe, gWd, gb) of one instance on a given batch x [B, n]."""
    batch, n = x.shape
    m = We.shape[1]
    X, P, H, Z, GH = _buffers(n, m, batch)
    w = X.shape[2]
    for s in range(batch):
        for i in range(n):
            X[s // w, i, s % w] = x[s, i]
    return _batch_grad(X, We, Wd, b, imp, flags, 1.0 / (batch * n), gWe, gWd, gb, P, H, Z, GH, True)


@njit(cache=True)
def sample_dense(key, step, p, groups, signed, n, batch):
    """The batch the kernel would train on at ``step``, as a dense [batch, n] array (for tests and plots)."""
    X, _, _, _, _ = _buffers(n, 1, batch)
    _sample(key, step, p, groups[0], groups[1], groups[2], signed, X)
    w = X.shape[2]
    out = np.empty((batch, n), np.float32)
    for s in range(batch):
        for i in range(n):
            out[s, i] = X[s // w, i, s % w]
    return out
