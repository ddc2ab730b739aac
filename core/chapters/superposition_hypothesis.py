"""The superposition hypothesis, computed: almost-orthogonal vectors, compressed sensing, and checks on a model.

- Almost orthogonality: random unit vectors in R^m have |cos| concentrated near 0 (spread about 1/sqrt(m)), so
  far more than m of them can be pairwise within epsilon of orthogonal. ``first_collision`` counts, for a seeded
  stream of random vectors, how many arrive before the first pair with |cos| >= epsilon. Beside it:
  ``birthday_estimate`` (the typical count predicted from the exact distribution of cos) and ``jl_scaling``
  exp(m eps^2 / 4), the growth rate the Johnson-Lindenstrauss / union-bound argument gives.
- Compressed sensing: a k-sparse x in R^n, measured as y = A x with a random A (m x n, m < n), is recovered by
  L1 minimisation (a linear program) or orthogonal matching pursuit while k is well below m, and not above.
- Superposition as a property of W, and the paper's hierarchy of properties checked on a model, are in
  ``core.chapters.superposition_hypothesis_properties``.

Everything is seeded (numpy default_rng) and needs no network.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

from core.presets.superposition_hypothesis import DEFAULT_STEPS, model_config  # noqa: F401 (re-exported)

# --------------------------------------------------------------------------------------------
# Almost-orthogonal vectors
# --------------------------------------------------------------------------------------------


def random_unit_vectors(count: int, m: int, seed: int) -> np.ndarray:
    """``count`` independent uniformly random unit vectors in R^m: [count, m]."""
    V = np.random.default_rng(seed).normal(size=(count, m))
    return V / np.linalg.norm(V, axis=1, keepdims=True)


def pairwise_abs_cos(V: np.ndarray) -> np.ndarray:
    """|cos| of every pair i < j of rows of V (rows need not be unit length): [count * (count - 1) / 2]."""
    U = V / np.linalg.norm(V, axis=1, keepdims=True)
    rows, cols = np.triu_indices(U.shape[0], k=1)
    return np.abs((U @ U.T)[rows, cols])


def prob_abs_cos_at_least(eps: float, m: int) -> float:
    """P(|cos| >= eps) for two independent random unit vectors in R^m (exact, m >= 2).

    (1 + cos) / 2 follows Beta((m - 1) / 2, (m - 1) / 2).
    """
    if m < 2:
        raise ValueError(f"m must be at least 2, got {m}")
    a = (m - 1) / 2
    return float(2 * stats.beta.cdf((1 - eps) / 2, a, a))


def abs_cos_density(t: np.ndarray, m: int) -> np.ndarray:
    """Probability density of |cos| for random unit vectors in R^m, t in [0, 1)."""
    t = np.asarray(t, dtype=np.float64)
    return 2 * (1 - t**2) ** ((m - 3) / 2) / special.beta(0.5, (m - 1) / 2)


def first_collision(V: np.ndarray, eps: float, chunk: int = 256) -> tuple[int, bool]:
    """(k, capped): vectors V[0..k-1] are pairwise |cos| < eps and V[k] is the first to break it.

    Rows are taken as unit vectors. If no pair ever reaches eps, k = len(V) and capped is True. Works a chunk
    at a time and stops at the first collision, so small answers are cheap.
    """
    return _scan(lambda start, stop: V[start:stop], V.shape[0], eps, chunk)


def first_collision_drawn(m: int, eps: float, cap: int, seed: int, chunk: int = 128) -> tuple[int, bool]:
    """``first_collision`` on ``random_unit_vectors(cap, m, seed)``, drawing the vectors only as far as needed."""
    rng = np.random.default_rng(seed)

    def draw(start: int, stop: int) -> np.ndarray:
        V = rng.normal(size=(stop - start, m))
        return V / np.linalg.norm(V, axis=1, keepdims=True)

    return _scan(draw, cap, eps, chunk)


def _scan(get, n: int, eps: float, chunk: int) -> tuple[int, bool]:
    """Shared loop: ``get(start, stop)`` returns rows start..stop-1, called in order."""
    seen = np.zeros((0, 0))
    for start in range(0, n, chunk):
        new = get(start, min(start + chunk, n))
        bad = np.tril(np.abs(new @ new.T), -1).max(axis=1, initial=0.0) >= eps
        if start:
            bad |= np.abs(new @ seen.T).max(axis=1) >= eps
        if bad.any():
            return start + int(np.argmax(bad)), False
        seen = new if not start else np.vstack([seen, new])
    return n, True


def birthday_estimate(m: int, eps: float) -> float:
    """Typical (median) first-collision count predicted from q = P(|cos| >= eps): N with C(N, 2) q = ln 2."""
    q = prob_abs_cos_at_least(eps, m)
    return float(0.5 + np.sqrt(0.25 + 2 * np.log(2) / q)) if q > 0 else float("inf")


def jl_scaling(m: np.ndarray, eps: float) -> np.ndarray:
    """exp(m eps^2 / 4): with P(|cos| >= eps) <= 2 exp(-m eps^2 / 2), a union bound over all pairs shows this many
    random vectors are likely to be pairwise within eps. The point is the shape: exponential in m."""
    return np.exp(np.asarray(m, dtype=np.float64) * eps**2 / 4)


FIT_CAP = 400  # vectors drawn at most per run of the counting experiment
FIT_SEEDS = 3  # runs per dimension


@dataclass(frozen=True)
class FitCounts:
    """ms [g]; counts [g, seeds] from ``first_collision``; capped [g, seeds]; cap; the two reference curves [g]."""

    ms: np.ndarray
    counts: np.ndarray
    capped: np.ndarray
    cap: int
    birthday: np.ndarray
    jl: np.ndarray


def m_grid(eps: float, cap: int, points: int = 10, m_max: int = 2000) -> np.ndarray:
    """Dimensions from 2 up to the first m whose birthday estimate reaches ``cap`` (evenly spaced)."""
    top = 2
    while top < m_max and birthday_estimate(top, eps) < cap:
        top += max(1, top // 10)
    return np.unique(np.linspace(2, min(top, m_max), points).round().astype(int))


def fit_counts(
    eps: float, cap: int = FIT_CAP, seeds: int = FIT_SEEDS, seed: int = 0, ms: np.ndarray | None = None
) -> FitCounts:
    """For each m, how many random unit vectors arrive before two are eps-close to parallel (``seeds`` streams)."""
    ms = m_grid(eps, cap) if ms is None else np.asarray(ms, dtype=int)
    counts = np.zeros((ms.size, seeds), dtype=int)
    capped = np.zeros((ms.size, seeds), dtype=bool)
    for g, m in enumerate(ms):
        for s in range(seeds):
            stream = seed * 1_000_003 + int(m) * 101 + s
            counts[g, s], capped[g, s] = first_collision_drawn(int(m), eps, cap, stream)
    birthday = np.array([birthday_estimate(int(m), eps) for m in ms])
    return FitCounts(ms, counts, capped, cap, birthday, jl_scaling(ms, eps))


# --------------------------------------------------------------------------------------------
# Compressed sensing
# --------------------------------------------------------------------------------------------


def sparse_vector(n: int, k: int, rng: np.random.Generator, signed: bool = False) -> np.ndarray:
    """k non-zeros at random positions, values uniform on [0, 1] (like the toy features) or [-1, 1] if signed."""
    if not 0 <= k <= n:
        raise ValueError(f"k must be between 0 and n={n}, got {k}")
    x = np.zeros(n)
    idx = rng.choice(n, size=k, replace=False)
    x[idx] = rng.uniform(-1.0 if signed else 0.0, 1.0, size=k)
    return x


def projection_matrix(m: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """Random Gaussian A [m, n] with entries N(0, 1/m), so columns have length about 1."""
    return rng.normal(size=(m, n)) / np.sqrt(m)


def recover_l1(A: np.ndarray, y: np.ndarray, nonnegative: bool = True) -> np.ndarray:
    """argmin ||x||_1 subject to A x = y (basis pursuit), as a linear program; x >= 0 if ``nonnegative``.

    Signed case: x = u - v with u, v >= 0. Returns least squares if the LP fails (it should not).
    """
    m, n = A.shape
    if nonnegative:
        res = optimize.linprog(np.ones(n), A_eq=A, b_eq=y, bounds=(0, None), method="highs")
        return res.x if res.status == 0 else least_norm(A, y)
    res = optimize.linprog(np.ones(2 * n), A_eq=np.hstack([A, -A]), b_eq=y, bounds=(0, None), method="highs")
    return res.x[:n] - res.x[n:] if res.status == 0 else least_norm(A, y)


def recover_omp(A: np.ndarray, y: np.ndarray, max_atoms: int | None = None, tol: float = 1e-10) -> np.ndarray:
    """Orthogonal matching pursuit (sklearn's orthogonal_mp): add the column best matching the residual,
    refit on all chosen columns, repeat until the residual is ~0 (or ``max_atoms`` columns are chosen).

    sklearn scores columns by their raw correlation with the residual; the textbook rule (and this
    chapter's) scores by the angle, so the columns are normalised first and the coefficients scaled back.
    """
    from sklearn.linear_model import orthogonal_mp  # imported here: only the compressed-sensing demo needs it

    norms = np.linalg.norm(A, axis=0)
    if max_atoms is not None:
        coef = orthogonal_mp(A / norms, y, n_nonzero_coefs=min(max_atoms, *A.shape))
    elif np.linalg.norm(y) == 0:
        return np.zeros(A.shape[1])
    else:
        coef = orthogonal_mp(A / norms, y, tol=(tol * max(1.0, float(np.linalg.norm(y)))) ** 2)
    return np.asarray(coef) / norms


def least_norm(A: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The minimum-L2-norm x with A x = y: what you get without using sparsity (dense, and wrong)."""
    return np.linalg.pinv(A) @ y


RECOVERY = {"L1 minimisation (linear program)": "l1", "Orthogonal matching pursuit": "omp"}


def recover(method: str, A: np.ndarray, y: np.ndarray, nonnegative: bool = True) -> np.ndarray:
    """Dispatch: "l1", "omp" or "least_norm"."""
    if method == "l1":
        return recover_l1(A, y, nonnegative)
    if method == "omp":
        return recover_omp(A, y)
    if method == "least_norm":
        return least_norm(A, y)
    raise ValueError(f"unknown method {method!r}")


def relative_error(x: np.ndarray, x_hat: np.ndarray) -> float:
    """||x_hat - x|| / ||x|| (absolute error when x = 0)."""
    scale = np.linalg.norm(x)
    err = np.linalg.norm(np.asarray(x_hat) - x)
    return float(err / scale) if scale > 0 else float(err)


SUCCESS_TOL = 1e-4  # relative error below this counts as recovered


@dataclass(frozen=True)
class SensingDemo:
    """One trial: the sparse x [n], the matrix A [m, n], y = A x [m], the recovery and the least-norm answer."""

    x: np.ndarray
    A: np.ndarray
    y: np.ndarray
    recovered: np.ndarray
    least_norm: np.ndarray
    error: float
    success: bool


def _trial(n: int, m: int, k: int, method: str, seed: int, signed: bool):
    rng = np.random.default_rng(seed)
    x = sparse_vector(n, k, rng, signed)
    A = projection_matrix(m, n, rng)
    y = A @ x
    return x, A, y, recover(method, A, y, nonnegative=not signed)


def sensing_demo(n: int, m: int, k: int, method: str = "l1", seed: int = 0, signed: bool = False) -> SensingDemo:
    """Squeeze a k-sparse vector from n to m numbers with a random projection, then try to get it back."""
    x, A, y, x_hat = _trial(n, m, k, method, seed, signed)
    err = relative_error(x, x_hat)
    return SensingDemo(x, A, y, x_hat, least_norm(A, y), err, err < SUCCESS_TOL)


def recovery_curve(
    n: int, m: int, ks: np.ndarray, trials: int = 8, method: str = "l1", seed: int = 0, signed: bool = False
) -> np.ndarray:
    """Fraction of ``trials`` random k-sparse vectors recovered, for each k in ``ks``: [len(ks)].

    Trial t at sparsity k uses the same seed as ``sensing_demo(n, m, k, method, seed=...)`` would with
    seed * 7919 + k * 131 + t, so any point can be reproduced on its own.
    """
    out = np.zeros(len(ks))
    for g, k in enumerate(ks):
        for t in range(trials):
            x, *_, x_hat = _trial(n, m, int(k), method, seed * 7919 + int(k) * 131 + t, signed)
            out[g] += relative_error(x, x_hat) < SUCCESS_TOL
    return out / trials


@dataclass(frozen=True)
class RecoverySummary:
    """What a recovery curve says in words: every vector recovered up to ``all_up_to`` non-zeros; at ``half_k``
    (the first k where at most half were) a share ``half_rate``; none from ``none_from`` on. Each is None when
    the curve never gets there (or, for ``all_up_to``, starts below 100 %)."""

    all_up_to: int | None
    half_k: int | None
    half_rate: float
    none_from: int | None


def recovery_summary(ks: np.ndarray, success: np.ndarray) -> RecoverySummary:
    """Read the three landmarks off a recovery curve (ks increasing), for the page to quote."""
    ks = np.asarray(ks, dtype=int)
    success = np.asarray(success, dtype=np.float64)
    perfect = np.cumprod(success >= 1.0).astype(bool)  # True while every earlier point was 100 %
    all_up_to = int(ks[perfect][-1]) if perfect[0] else None
    half = np.flatnonzero(success <= 0.5)
    zero_tail = np.cumprod((success <= 0.0)[::-1])[::-1].astype(bool)  # True where this and every later point is 0
    none_from = int(ks[zero_tail][0]) if zero_tail[-1] else None
    if half.size:
        return RecoverySummary(all_up_to, int(ks[half[0]]), float(success[half[0]]), none_from)
    return RecoverySummary(all_up_to, None, float("nan"), none_from)
