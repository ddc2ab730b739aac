"""The "Be the optimiser" loss against values computed here by other means.

The regular pentagon's loss is computed independently of core/chapters/be_the_optimiser.py: by symmetry
every feature of a regular pentagon with equal lengths and biases makes the same expected error E, so the
loss is mean(I) * E; E sums over which other features fire, with the distribution of the interference
s = sum_j (W_0 . W_j) x_j got by convolving binned uniform densities, and the own-value integral done on
a fine midpoint grid (no closed forms, no sampling). The dense solution's loss is the fact sheet's
closed form (1/5) sum_{i=2..4} 0.9^i / 12.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from core.chapters import be_the_optimiser as bto

IMPORTANCE = 0.9 ** np.arange(5)
H = 1e-3  # bin width of the interference distribution


def _scaled_uniform_pmf(g: float) -> tuple[float, np.ndarray]:
    """(start, pmf on bins of width H) of g * U[0, 1]: bin masses by the overlap of each bin with [min, max]."""
    lo, hi = min(0.0, g), max(0.0, g)
    start = np.floor(lo / H) * H
    edges = start + H * np.arange(int(np.ceil((hi - start) / H)) + 2)
    overlap = np.clip(np.minimum(edges[1:], hi) - np.maximum(edges[:-1], lo), 0.0, None)
    return start, overlap / (hi - lo)


def _interference(gs: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Bin centres and masses of sum_k gs[k] U_k (independent uniforms)."""
    start, pmf = 0.0, np.array([1.0])
    for g in gs:
        s0, q = _scaled_uniform_pmf(g)
        start, pmf = start + s0, np.convolve(pmf, q)
    centres = start + H * (np.arange(pmf.size) + 0.5 * len(gs))  # each factor's bin centre is half a bin in
    return (centres if gs else np.zeros(1)), pmf


def _own_error(a: float, c: np.ndarray, p: float) -> np.ndarray:
    """E over x_0 (0 w.p. 1 - p, else U[0,1]) of (x_0 - ReLU(a x_0 + c))^2, on a 4,000-point midpoint grid."""
    x = (np.arange(4000) + 0.5) / 4000
    on = ((x[None, :] - np.maximum(a * x[None, :] + c[:, None], 0.0)) ** 2).mean(axis=1)
    return (1 - p) * np.maximum(c, 0.0) ** 2 + p * on


def pentagon_loss(length: float, bias: float, p: float) -> float:
    a = length**2
    g = [a * np.cos(2 * np.pi * k / 5) for k in range(1, 5)]
    total = 0.0
    for pattern in itertools.product((0, 1), repeat=4):
        active = [g[k] for k, on in enumerate(pattern) if on]
        weight = p ** len(active) * (1 - p) ** (4 - len(active))
        if weight == 0:
            continue
        s, mass = _interference(active)
        total += weight * float(mass @ _own_error(a, s + bias, p))
    return float(IMPORTANCE.mean() * total)


@pytest.mark.parametrize(("length", "bias", "p"), [(1.0, 0.0, 1.0), (1.1, -0.1, 0.3), (1.2, -0.15, 0.05)])
def test_pentagon_matches_independent_integration(length, bias, p):
    expected = pentagon_loss(length, bias, p)
    got = bto.expected_loss(*bto.pentagon(length, bias), p, IMPORTANCE)
    assert got.standard_error > 0  # the pentagon's features interfere, so part of it is sampled
    assert abs(got.loss - expected) < 4 * got.standard_error + 1e-5 * expected, (got, expected)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pentagon_estimate_is_unbiased_over_seeds(seed):
    expected = pentagon_loss(1.1, -0.1, 0.3)
    got = bto.expected_loss(*bto.pentagon(1.1, -0.1), 0.3, IMPORTANCE, seed=seed)
    assert abs(got.loss - expected) < 4 * got.standard_error + 1e-6


def test_dense_solution_is_the_closed_form_exactly():
    got = bto.expected_loss(*bto.dense_solution(), 1.0, IMPORTANCE)
    assert got.loss == pytest.approx(sum(0.9**i for i in (2, 3, 4)) / 12 / 5, rel=1e-12)
    assert got.standard_error < 1e-12  # nothing interferes, so nothing is sampled


def test_one_sparse_limit_is_reached_at_low_density():
    W, b = bto.pentagon(1.1, -0.1)
    p = 1e-4
    full = bto.expected_loss(W, b, p, IMPORTANCE).loss
    assert full == pytest.approx(bto.one_sparse_limit(W, b, p, IMPORTANCE), rel=2e-3)


def test_pentagon_beats_dense_when_sparse_and_loses_when_dense():
    for p, pentagon_wins in [(0.05, True), (1.0, False)]:
        pent = bto.expected_loss(*bto.pentagon(1.1, -0.1), p, IMPORTANCE).loss
        dense = bto.expected_loss(*bto.dense_solution(), p, IMPORTANCE).loss
        assert (pent < dense) == pentagon_wins, (p, pent, dense)


def test_all_lengths_zero_is_scored_as_storing_nothing():
    got = bto.expected_loss(np.zeros((5, 2)), np.zeros(5), 0.1, IMPORTANCE)
    assert not got.problem
    assert got.loss == pytest.approx(0.1 / 3 * IMPORTANCE.mean())  # E[x^2] = p/3 for every feature


@pytest.mark.parametrize(
    ("W", "b", "p", "words"),
    [
        (np.zeros((5, 2)), np.zeros(5), 0.0, "density"),
        (np.full((5, 2), np.nan), np.zeros(5), 0.1, "finite"),
        (np.zeros((5, 3)), np.zeros(5), 0.1, "need W"),
        (np.zeros((5, 2)), np.zeros(4), 0.1, "need W"),
    ],
)
def test_bad_input_gets_a_sentence_not_a_traceback(W, b, p, words):
    got = bto.expected_loss(W, b, p, IMPORTANCE)
    assert words in got.problem and np.isnan(got.loss)


def test_polar_round_trip():
    W = np.random.default_rng(3).normal(size=(5, 2))
    assert np.allclose(bto.weights_from_polar(*bto.polar_from_weights(W)), W)
