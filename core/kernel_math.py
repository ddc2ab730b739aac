"""The arithmetic of one training step on one tile of samples (used by core/kernels.py).

A tile holds S samples in feature-major layout: X [rows, S], so every inner
loop runs along samples and compiles to SIMD instructions whatever n and m are.
Feature rows are padded to a multiple of 4 (padding rows hold zeros), so the
blocked loops need a remainder case only for the hidden rows. With t the target
(x, or |x|) and rows of W being features:

    P = We^T X                 H = f(P)                           [m, S]
    Z = Wd H + b               Y = g(Z)                           [n, S]
    L = sum I_j (t_j - y_j)^2 / (B n)
    G = -2 I (T - Y) / (B n) * g'(Z)
    dWd = G H^T,  db = sum_s G,  dH = Wd^T G,  dP = dH * f'(P),  dWe = X dP^T

f and g are the model kind's activations (core/registry.py), passed as integer codes in
``flags``: none (the identity), ReLU (slope 1[z > 0]) or the sigmoid (slope y (1 - y)).

Why it is fast: the three products that make new rows (P, Z, dH) keep a 4 x 64 block
of their output in registers for the whole sum (see _combine), and the two weight
gradients accumulate a 4 x 4 block of dot products at once (see _dots). Written
naively, each multiply-add would load and store its output from memory.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from core.kernel_shared import CHUNK
from core.registry import ABS_TARGET, ACTIVATIONS, HIDDEN, OUTPUT

ACC = 4 * CHUNK
ZERO = np.float32(0.0)  # a float32 zero keeps max(x, 0) in single precision
# Fast-math without "nnan"/"ninf": the trainer must still see a NaN loss to stop a diverged run.
FAST = {"nsz", "arcp", "contract", "afn", "reassoc"}
# Options for the inner loops. _nrt=False turns off reference counting: these functions never
# allocate, and counting references to every array argument on every call cost more than the
# arithmetic of a small model (and made threads contend for the shared arrays' counters).
INNER = dict(cache=True, fastmath=FAST, _nrt=False)
RELU, SIGMOID = ACTIVATIONS["relu"], ACTIVATIONS["sigmoid"]
HALF, ONE = np.float32(0.5), np.float32(1.0)


@njit(cache=True)
def pad4(k):
    """k rounded up to a multiple of 4 (the row blocking)."""
    return (k + 3) // 4 * 4


@intrinsic
def _stack_floats(typingctx, count):
    """A float32 buffer of a compile-time ``count`` on the stack.

    Why: LLVM keeps a small stack buffer in registers across a loop (it knows nothing
    else can write to it), but not a numpy array, which might alias the inputs.
    """
    if not isinstance(count, types.IntegerLiteral):
        return None

    def codegen(context, builder, signature, args):
        buf = cgutils.alloca_once(builder, ir.ArrayType(ir.FloatType(), count.literal_value))
        return builder.bitcast(buf, ir.FloatType().as_pointer())

    return types.CPointer(types.float32)(count), codegen


@njit(**INNER)
def _combine(A, Y, out):
    """out[r, :] = sum_k A[k, r] Y[k, :] over k < A.shape[0], for every row r of out.

    Rows go four at a time (then one at a time); samples CHUNK at a time (a tile is a multiple).
    """
    acc = _stack_floats(ACC)  # row q of a block lives at acc[q * CHUNK:]
    full = out.shape[0] // 4 * 4
    for chunk in range(out.shape[1] // CHUNK):
        s0 = chunk * CHUNK  # not a stepped range: LLVM must see s0 >= 0 to vectorise the loads
        for r in range(0, full, 4):
            for s in range(ACC):
                acc[s] = 0.0
            for k in range(A.shape[0]):
                a0, a1, a2, a3 = A[k, r], A[k, r + 1], A[k, r + 2], A[k, r + 3]
                for s in range(CHUNK):
                    y = Y[k, s0 + s]
                    acc[s] += a0 * y
                    acc[CHUNK + s] += a1 * y
                    acc[2 * CHUNK + s] += a2 * y
                    acc[3 * CHUNK + s] += a3 * y
            for q in range(4):
                for s in range(CHUNK):
                    out[r + q, s0 + s] = acc[q * CHUNK + s]
        for r in range(full, out.shape[0]):
            for s in range(CHUNK):
                acc[s] = 0.0
            for k in range(A.shape[0]):
                for s in range(CHUNK):
                    acc[s] += A[k, r] * Y[k, s0 + s]
            for s in range(CHUNK):
                out[r, s0 + s] = acc[s]


@njit(**INNER)
def _dots(A, B, out):
    """out[a, b] += sum_s A[a, s] B[b, s] over a tile; rows of A are a multiple of 4, of B any number."""
    full = B.shape[0] // 4 * 4
    for a in range(0, A.shape[0], 4):
        for b in range(0, full, 4):
            _dots_4x4(A, B, out, a, b)
        for b in range(full, B.shape[0]):
            _dots_4x1(A, B, out, a, b)


@njit(**INNER)
def _dots_4x4(A, B, out, a, b):
    """A 4 x 4 block of _dots: 16 running sums, each a vector register."""
    c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = ZERO
    c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = ZERO
    for s in range(A.shape[1]):
        x0, x1, x2, x3 = A[a, s], A[a + 1, s], A[a + 2, s], A[a + 3, s]
        y0, y1, y2, y3 = B[b, s], B[b + 1, s], B[b + 2, s], B[b + 3, s]
        c00, c01, c02, c03 = c00 + x0 * y0, c01 + x0 * y1, c02 + x0 * y2, c03 + x0 * y3
        c10, c11, c12, c13 = c10 + x1 * y0, c11 + x1 * y1, c12 + x1 * y2, c13 + x1 * y3
        c20, c21, c22, c23 = c20 + x2 * y0, c21 + x2 * y1, c22 + x2 * y2, c23 + x2 * y3
        c30, c31, c32, c33 = c30 + x3 * y0, c31 + x3 * y1, c32 + x3 * y2, c33 + x3 * y3
    sums = ((c00, c01, c02, c03), (c10, c11, c12, c13), (c20, c21, c22, c23), (c30, c31, c32, c33))
    for i in range(4):
        row = sums[i]
        for j in range(4):
            out[a + i, b + j] += row[j]


@njit(**INNER)
def _dots_4x1(A, B, out, a, b):
    """A 4 x 1 block of _dots, for the rows of B past the last multiple of 4."""
    c0 = c1 = c2 = c3 = ZERO
    for s in range(A.shape[1]):
        y = B[b, s]
        c0, c1, c2, c3 = c0 + A[a, s] * y, c1 + A[a + 1, s] * y, c2 + A[a + 2, s] * y, c3 + A[a + 3, s] * y
    out[a, b] += c0
    out[a + 1, b] += c1
    out[a + 2, b] += c2
    out[a + 3, b] += c3


@njit(inline="always", fastmath=FAST)
def _sigmoid(z):
    """The logistic function of a float32, in the tanh form that cannot overflow."""
    return HALF * (ONE + np.tanh(HALF * z))


@njit(**INNER)
def _output_grad(X, b, imp, n, valid, output_relu, abs_target, scale, Z, gb):
    """Loss of rows < n, samples < valid of a tile (unscaled); overwrites Z with dL/dZ, adds db."""
    loss = 0.0
    for j in range(n):
        acc, g_sum, bias = ZERO, ZERO, b[j]
        coef = np.float32(-2.0 * imp[j] * scale)
        for s in range(valid):
            t = abs(X[j, s]) if abs_target else X[j, s]
            z = Z[j, s] + bias
            d = t - (max(z, ZERO) if output_relu else z)
            acc += d * d
            g = coef * d if (z > ZERO or not output_relu) else ZERO
            g_sum += g
            Z[j, s] = g
        for s in range(valid, Z.shape[1]):  # padding samples of a short last tile
            Z[j, s] = ZERO
        gb[j] += g_sum
        loss += imp[j] * acc
    return loss


@njit(**INNER)
def _output_grad_sigmoid(X, b, imp, n, valid, abs_target, scale, Z, gb):
    """_output_grad for a sigmoid output: y = sigmoid(z), dy/dz = y (1 - y).

    A loop of its own, not a branch inside _output_grad: a bigger loop body changes how LLVM
    vectorises the sums, and with them the last bits of every other model's training.
    """
    loss = 0.0
    for j in range(n):
        acc, g_sum, bias = ZERO, ZERO, b[j]
        coef = np.float32(-2.0 * imp[j] * scale)
        for s in range(valid):
            t = abs(X[j, s]) if abs_target else X[j, s]
            y = _sigmoid(Z[j, s] + bias)
            d = t - y
            acc += d * d
            g = coef * d * (y * (ONE - y))
            g_sum += g
            Z[j, s] = g
        for s in range(valid, Z.shape[1]):
            Z[j, s] = ZERO
        gb[j] += g_sum
        loss += imp[j] * acc
    return loss


@njit(**INNER)
def _hidden(P, H, code):
    """H = f(P) for the hidden activation ``code``; one loop per activation, so each vectorises on its own."""
    if code == RELU:
        for c in range(P.shape[0]):
            for s in range(P.shape[1]):
                H[c, s] = max(P[c, s], ZERO)
    elif code == SIGMOID:
        for c in range(P.shape[0]):
            for s in range(P.shape[1]):
                H[c, s] = _sigmoid(P[c, s])
    else:
        for c in range(P.shape[0]):
            for s in range(P.shape[1]):
                H[c, s] = P[c, s]


@njit(**INNER)
def _hidden_grad(P, H, GH, code):
    """dP = dH * f'(P) in place of GH (nothing to do for the identity)."""
    if code == RELU:
        for c in range(GH.shape[0]):
            for s in range(P.shape[1]):
                GH[c, s] = GH[c, s] if P[c, s] > ZERO else ZERO
    elif code == SIGMOID:
        for c in range(GH.shape[0]):
            for s in range(P.shape[1]):
                GH[c, s] = GH[c, s] * (H[c, s] * (ONE - H[c, s]))


@njit(**INNER)
def tile_step(X, valid, w, b, imp, flags, scale, grads, work, do_grad):
    """Loss of one tile (scaled); if do_grad, adds its gradients.

    X [n4, S] (zero beyond n rows and valid samples); w = (We [n, m], Wd [n, m], WdT [m, n4],
    Wd^T with zero padding); grads = (gWe [n4, m], gWd [n4, m], gb [n]);
    work = (P, H, GH [m, S], Z [n4, S]); flags: the model kind's (core.registry.ModelKind.kernel_flags).
    """
    We, Wd, WdT = w
    P, H, GH, Z = work
    hidden, output, abs_target = flags[HIDDEN], flags[OUTPUT], flags[ABS_TARGET]
    _combine(We, X, P)
    _hidden(P, H, hidden)
    _combine(WdT, H, Z)
    if output == SIGMOID:
        loss = _output_grad_sigmoid(X, b, imp, We.shape[0], valid, abs_target, scale, Z, grads[2])
    else:
        loss = _output_grad(X, b, imp, We.shape[0], valid, output == RELU, abs_target, scale, Z, grads[2])
    if do_grad:
        _dots(Z, H, grads[1])  # dWd = G H^T
        _combine(Wd, Z, GH)  # dH = Wd^T G
        _hidden_grad(P, H, GH, hidden)
        _dots(X, GH, grads[0])  # dWe = X dP^T
    return loss * scale
