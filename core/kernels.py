"""The fused training step: sample, forward, hand-derived backward and AdamW in one pass.

Why a kernel: the toy models are tiny, so a plain torch loop spends its time in
dispatch, autograd bookkeeping and in drawing two random numbers for every element
of every batch. Here each instance runs its whole step in compiled code, one tile of
samples at a time, and never materialises the dense batch. The arithmetic of a tile
(forward, loss, gradients) is in core/kernel_math.py.

Sampling: one 31-bit draw per entry gives both whether it is active and its value
(see _value), instead of the reference loop's two float draws; one 64-bit hash
gives the draws of two entries. (31 bits, because a signed 32-bit integer converts
to a float in one SIMD instruction even without AVX-512.)

Tied models pass the same array as We and Wd; their two gradient contributions
add up, as they must.

numba's on-disk cache and this module's dependencies: see the end of the file.

Random numbers: a counter-based generator. Every entry's bits are a hash (splitmix64's
finaliser) of (instance key, step, row, position), so rows vectorise, instances are
independent of how they are split across threads, and a run is reproducible.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import numpy as np
from numba import njit
from numba.core.dispatcher import Dispatcher

from core import kernel_math, kernel_shared, registry
from core.kernel_math import INNER, pad4, tile_step
from core.kernel_shared import (  # noqa: F401 (re-exported: the kernel's names for them)
    ANTICORRELATED,
    CHUNK,
    CORRELATED,
    GOLDEN,
    INDEPENDENT,
    LOW31,
    PAIR,
    TWO31,
)
from core.registry import BIAS, SIGNED

TILE_FLOATS = 32768  # a tile of X holds about this many floats (128 KB): it stays in the L2 cache


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
def _bits(row_key, q):
    """31 random bits for batch position q of a row, as a float in [0, 2^31).

    One 64-bit hash serves two positions, q and q + PAIR of a block: 31 bits from each half.
    """
    h = _mix(row_key + np.uint64(q // (2 * PAIR) * PAIR + q % PAIR) * GOLDEN)
    return np.float64(np.int32(h >> np.uint64(33) if q % (2 * PAIR) < PAIR else h & LOW31))


@njit(inline="always")
def _value(u, thresh, inv, signed):
    """The entry for draw u: active iff u < p 2^31, and then u / (p 2^31) is uniform on [0, 1)."""
    v = (u + 0.5) * inv
    v = 2.0 * v - 1.0 if signed else v
    return np.float32(v) if u < thresh else np.float32(0.0)


@njit(**INNER)
def _independent(rk, start, blocks, thresh, signed, x):
    """Row x of a tile for one independent feature: the same bits as _bits, two entries per hash."""
    inv = 1.0 / thresh
    for c in range(blocks):
        base, s0 = (start // (2 * PAIR) + c) * PAIR, c * 2 * PAIR
        for j in range(PAIR):
            h = _mix(rk + np.uint64(base + j) * GOLDEN)
            x[s0 + j] = _value(np.float64(np.int32(h >> np.uint64(33))), thresh, inv, signed)
            x[s0 + PAIR + j] = _value(np.float64(np.int32(h & LOW31)), thresh, inv, signed)


@njit(**INNER)
def _sample_tile(key, step, start, valid, p, groups, signed, X):
    """Fill X [n4, S] with batch positions start .. start + valid - 1 (start is a multiple of CHUNK).

    For each entry one 31-bit draw u decides both things (see _value). Sets draw their
    activity once per set and their values per member. Entries past valid are zero;
    padding rows are never written (they are zero from the start).
    """
    n = groups[0, -1] + groups[1, -1]  # features; set g's activity stream is row n + g
    blocks = (valid + 2 * PAIR - 1) // (2 * PAIR)
    for g in range(groups.shape[1]):
        lo, size, kind = groups[0, g], groups[1, g], groups[2, g]
        thresh = p[g] * TWO31
        if kind == INDEPENDENT:
            _independent(_row_key(key, step, lo), start, blocks, thresh, signed, X[lo])
            continue
        gk = _row_key(key, step, n + g)
        for i in range(lo, lo + size):
            rk = _row_key(key, step, i)
            for s in range(valid):
                u = _bits(gk, start + s)
                on = u < thresh
                if kind == ANTICORRELATED:
                    on = on and min(int((u + 0.5) / thresh * size), size - 1) == i - lo
                X[i, s] = (_bits(rk, start + s) + 0.5) * (1.0 / TWO31) if on else 0.0
    for i in range(n):
        for s in range(valid, X.shape[1]):
            X[i, s] = 0.0


@njit(cache=True)
def tile_width(batch, n_features=1):
    """Samples per tile: a multiple of CHUNK near TILE_FLOATS / n, at most the batch rounded up.

    Small models take the whole batch in one tile (fewer loop overheads); n = 200 takes 128.
    """
    most = (batch + CHUNK - 1) // CHUNK * CHUNK
    return min(most, max(CHUNK, TILE_FLOATS // (pad4(n_features) * CHUNK) * CHUNK))


@njit(cache=True)
def _workspace(n, m, batch):
    """Work arrays for one tile: X [n4, S], (P, H, GH [m, S], Z [n4, S]) and WdT [m, n4] for Wd^T."""
    n4, S = pad4(n), tile_width(batch, n)
    X = np.zeros((n4, S), np.float32)
    work = (np.zeros((m, S), np.float32), np.zeros((m, S), np.float32))
    work = work + (np.zeros((m, S), np.float32), np.zeros((n4, S), np.float32))
    return X, work, np.zeros((m, n4), np.float32)


@njit(**INNER)
def _transpose(Wd, WdT):
    """WdT[:, :n] = Wd^T (the padding columns stay zero): Z = Wd H reads it row by row."""
    for i in range(Wd.shape[0]):
        for c in range(Wd.shape[1]):
            WdT[c, i] = Wd[i, c]


@njit(**INNER)
def _batch(key, step, batch, p, groups, w, b, imp, flags, grads, X, work, do_grad):
    """Loss of one fresh batch (mean over samples and features); adds its gradients if do_grad."""
    scale = 1.0 / (batch * b.shape[0])
    loss = 0.0
    for start in range(0, batch, X.shape[1]):
        valid = min(X.shape[1], batch - start)
        _sample_tile(key, step, start, valid, p, groups, flags[SIGNED], X)
        loss += tile_step(X, valid, w, b, imp, flags, scale, grads, work, do_grad)
    return loss


@njit(cache=True, _nrt=False)  # no fast-math: the same arithmetic as torch's AdamW
def _adamw(p, g, mom, vel, lr, hyper, step):
    """torch.optim.AdamW's update of p [n, m] with gradient g (a padded [>=n, m] array), in place.

    mom, vel are the flat moment arrays (index i * m + c); hyper = (weight_decay, beta1, beta2, eps).
    """
    wd, b1, b2, eps = hyper[0], hyper[1], hyper[2], hyper[3]
    step_size = lr / (1.0 - b1**step)
    root_bc2 = np.sqrt(1.0 - b2**step)
    n, m = p.shape
    for i in range(n):
        for c in range(m):
            t = i * m + c
            mom[t] = b1 * mom[t] + (1.0 - b1) * g[i, c]
            vel[t] = b2 * vel[t] + (1.0 - b2) * g[i, c] * g[i, c]
            p[i, c] = p[i, c] * (1.0 - lr * wd) - step_size * mom[t] / (np.sqrt(vel[t]) / root_bc2 + eps)


@njit(cache=True, nogil=True)
def run_steps(k_lo, k_hi, step0, lrs, hyper, We, Wd, b, opt_state, imp, p, groups, keys, flags, batch, tied, losses):
    """Train instances k_lo..k_hi-1 for len(lrs) steps, in place.

    hyper = (weight_decay, beta1, beta2, eps); opt_state = [I, 6, P] float32 holding
    Adam's first and second moments of (We, Wd, b) flattened; groups = [3, G] int64
    (start, size, kind); p [I, G] is each group's density; keys [I] uint64 random
    keys; flags: the model kind's (core.registry.ModelKind.kernel_flags); losses [steps, I]
    receives each step's batch loss. A step whose loss is not finite stops that instance and
    leaves its loss as NaN. Kinds without an output bias never update b (it stays zero).
    """
    n, m = We.shape[1], We.shape[2]
    X, work, WdT = _workspace(n, m, batch)
    gWe = np.zeros((pad4(n), m), np.float32)
    gWd = gWe if tied else np.zeros_like(gWe)
    gb = np.zeros(n, np.float32)
    grads = (gWe, gWd, gb)
    for k in range(k_lo, k_hi):
        # Views are taken once per instance, not per step: each one updates the shared
        # array's reference count, which threads would otherwise fight over.
        We_k, Wd_k, b_k, st, p_k, imp_k = We[k], Wd[k], b[k], opt_state[k], p[k], imp[k]
        b_2d, gb_2d, w = b_k.reshape(1, n), gb.reshape(1, n), (We_k, Wd_k, WdT)
        for t in range(lrs.shape[0]):
            _transpose(Wd_k, WdT)
            gWe[:], gWd[:], gb[:] = 0.0, 0.0, 0.0
            loss = _batch(keys[k], step0 + t, batch, p_k, groups, w, b_k, imp_k, flags, grads, X, work, True)
            losses[t, k] = loss
            if not np.isfinite(loss):
                break
            step = step0 + t + 1
            _adamw(We_k, gWe, st[0], st[1], lrs[t], hyper, step)
            if not tied:
                _adamw(Wd_k, gWd, st[2], st[3], lrs[t], hyper, step)
            if flags[BIAS]:
                _adamw(b_2d, gb_2d, st[4], st[5], lrs[t], hyper, step)


@njit(cache=True, nogil=True)
def evaluate(We, Wd, b, imp, p, groups, keys, flags, batch, out):
    """Loss of every instance on a fresh batch (no update) into out [I]; batch n counts as step n."""
    n, m = We.shape[1], We.shape[2]
    X, work, WdT = _workspace(n, m, batch)
    grads = (np.zeros((1, 1), np.float32), np.zeros((1, 1), np.float32), np.zeros(n, np.float32))
    for k in range(We.shape[0]):
        _transpose(Wd[k], WdT)
        w = (We[k], Wd[k], WdT)
        out[k] = _batch(keys[k], 0, batch, p[k], groups, w, b[k], imp[k], flags, grads, X, work, False)


@njit(cache=True)
def dense_grads(x, We, Wd, b, imp, flags, gWe, gWd, gb):
    """Loss and gradients (added into gWe, gWd, gb) of one instance on a given batch x [B, n].

    For a tied model pass the same array as We and Wd, and as gWe and gWd: it receives both parts.
    """
    batch, n = x.shape
    m = We.shape[1]
    X, work, WdT = _workspace(n, m, batch)
    _transpose(Wd, WdT)
    w = (We, Wd, WdT)
    pad_e, pad_d = np.zeros((pad4(n), m), np.float32), np.zeros((pad4(n), m), np.float32)
    loss = 0.0
    for start in range(0, batch, X.shape[1]):
        valid = min(X.shape[1], batch - start)
        X[:] = 0.0
        X[:n, :valid] = x[start : start + valid].T
        loss += tile_step(X, valid, w, b, imp, flags, 1.0 / (batch * n), (pad_e, pad_d, gb), work, True)
    gWe += pad_e[:n, :m]
    gWd += pad_d[:n, :m]
    return loss


@njit(cache=True)
def sample_dense(key, step, p, groups, signed, n, batch):
    """The batch the kernel would train on at ``step``, as a dense [batch, n] array (for tests and plots)."""
    X = np.zeros((pad4(n), tile_width(batch, n)), np.float32)
    out = np.empty((batch, n), np.float32)
    for start in range(0, batch, X.shape[1]):
        valid = min(X.shape[1], batch - start)
        _sample_tile(key, step, start, valid, p, groups, signed, X)
        out[start : start + valid] = X[:n, :valid].T
    return out


# ---- numba's on-disk cache ------------------------------------------------------------
# numba keys each cached function on the source file it is defined in, and nothing else. The
# functions here call into core/kernel_math.py, and both files compile in constants from
# core/registry.py (activation codes, flag positions) and core/kernel_shared.py (the generator's): after an edit there, the cache would
# hand back stale machine code. So at import we fingerprint those dependencies and, if the
# fingerprint differs from the stamp stored beside the cache, empty the cache indexes of both
# modules before anything is loaded from them (they recompile once, on first use).

STAMP_NAME = "kernels.dependencies.sha256"


def dependency_fingerprint(math_source: bytes | None = None, abi: object = None) -> str:
    """sha256 of what the cached kernels depend on beyond their own files: kernel_math.py, kernel_shared.py and
    the registry's codes."""
    if math_source is None:
        math_source = Path(kernel_math.__file__).read_bytes()
    digest = hashlib.sha256(math_source)
    digest.update(Path(kernel_shared.__file__).read_bytes())
    digest.update(repr(registry.KERNEL_ABI if abi is None else abi).encode())
    return digest.hexdigest()


def cached_dispatchers(*modules: ModuleType) -> list[Dispatcher]:
    """The functions of ``modules`` compiled with cache=True."""
    found = []
    for module in modules:
        for obj in vars(module).values():
            if isinstance(obj, Dispatcher) and getattr(obj._cache, "cache_path", None):
                found.append(obj)
    return found


def refresh_stale_cache(dispatchers: Iterable[Dispatcher], fingerprint: str, stamp_name: str = STAMP_NAME) -> bool:
    """Empty the on-disk cache of ``dispatchers`` unless the stamp beside it holds ``fingerprint``.

    Returns whether it emptied anything. Must run before the functions are first called.
    """
    dispatchers = list(dispatchers)
    stamps = sorted({Path(d._cache.cache_path) / stamp_name for d in dispatchers})
    if all(_read(stamp) == fingerprint for stamp in stamps):
        return False
    try:
        for d in dispatchers:
            d._cache.flush()  # an empty index: the next call compiles and saves afresh
        for stamp in stamps:
            tmp = stamp.with_name(f"{stamp.name}.{os.getpid()}")
            tmp.write_text(fingerprint)
            tmp.replace(stamp)  # atomic, for processes starting together
    except OSError:  # an unwritable cache directory: numba will not save there either
        return False
    return True


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:
        return None


CACHE_REFRESHED = refresh_stale_cache(cached_dispatchers(kernel_math, sys.modules[__name__]), dependency_fingerprint())
