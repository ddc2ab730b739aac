"""Closed forms checked against the paper's stated values, exact enumeration, quadrature and Monte Carlo."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import integrate

from core import theory
from tests.helpers import mean_se, pentagon, sample_x

# ---- baselines and linear optimum ---------------------------------------------


def test_untrained_loss() -> None:
    imp = 0.9 ** np.arange(5)
    np.testing.assert_allclose(theory.untrained_loss(0.3, imp), (1 - 0.9**5) / (1 - 0.9) / 5 * 0.3 / 3)
    np.testing.assert_allclose(theory.untrained_loss(np.array([[1.0], [0.1]]), np.ones(4)), [1 / 3, 0.1 / 3])


def test_dense_loss_matches_paper_value() -> None:
    imp = 0.9 ** np.arange(5)
    expected = sum(0.9**i for i in range(2, 5)) / 12 / 5
    np.testing.assert_allclose(theory.dense_relu_loss(imp, 2), expected)
    np.testing.assert_allclose(theory.linear_optimal_loss(1.0, imp[::-1], 2), expected)  # order does not matter
    assert theory.linear_optimal_loss(0.5, imp, 5) == 0.0


@pytest.mark.parametrize("p", [1.0, 0.3, 0.01])
def test_linear_optimal_loss_is_attained_by_top_m_solution(p: float) -> None:
    n, m = 20, 5
    imp = 0.7 ** np.arange(n)
    W = np.zeros((n, m))
    W[np.arange(m), np.arange(m)] = 1.0
    b = np.where(np.arange(n) < m, 0.0, p / 2)
    expected = sum(imp[i] * (p / 3 - p**2 / 4) for i in range(m, n)) / n
    np.testing.assert_allclose(theory.linear_optimal_loss(p, imp, m), expected)
    np.testing.assert_allclose(theory.linear_expected_loss(W, b, p, imp), expected)


def test_linear_optimal_loss_is_a_lower_bound() -> None:
    rng = np.random.default_rng(0)
    n, m, p = 8, 3, 0.2
    imp = rng.random(n)
    best = theory.linear_optimal_loss(p, imp, m)
    W = rng.normal(size=(500, n, m)) * 0.6
    a = np.eye(n) - W @ np.swapaxes(W, -1, -2)
    b = a @ np.full(n, p / 2)  # the mean-matching (best) bias for each W
    assert np.all(theory.linear_expected_loss(W, b, p, imp) >= best - 1e-12)


def test_linear_expected_loss_matches_monte_carlo() -> None:
    rng = np.random.default_rng(1)
    n, m = 6, 3
    W = rng.normal(size=(3, n, m)) * 0.5
    b = rng.normal(size=(3, n)) * 0.2
    p = np.array([[1.0], [0.3], [0.05]]) * np.ones(n)
    imp = 0.8 ** np.arange(n)
    exact = theory.linear_expected_loss(W, b, p, imp)
    assert exact.shape == (3,)
    for k in range(3):
        x = sample_x(rng, p[k], 200_000)
        out = x @ (W[k] @ W[k].T) + b[k]
        mean, se = mean_se((imp * (x - out) ** 2).mean(axis=1))
        assert abs(mean - exact[k]) < 5 * se


# ---- n = 2, m = 1 phase diagram ---------------------------------------------------


def test_phase_boundary_values_continuity_and_symmetry() -> None:
    np.testing.assert_allclose(theory.phase_boundary_n2m1(1.0), 4 / 7)
    np.testing.assert_allclose(theory.phase_boundary_n2m1([0.1, 10.0]), [0.16, 0.16])
    np.testing.assert_allclose(theory.phase_boundary_n2m1([1 - 1e-9, 1 + 1e-9]), 4 / 7, atol=1e-8)
    r = np.logspace(-2, 2, 41)
    np.testing.assert_allclose(theory.phase_boundary_n2m1(r), theory.phase_boundary_n2m1(1 / r), rtol=1e-12)


def test_boundary_is_where_costs_cross() -> None:
    r = np.logspace(-1, 1, 21)
    s = theory.phase_boundary_n2m1(r)
    cheapest_drop = np.minimum(theory.drop_cost(r, s), theory.drop_cost(1.0, s))
    np.testing.assert_allclose(theory.antipodal_cost(1.0, r, s), cheapest_drop, rtol=1e-12)


def test_theory_phase_labels() -> None:
    assert theory.theory_phase_n2m1(0.1, 0.1) == "superposition"
    assert theory.theory_phase_n2m1(0.1, 0.5) == "not learned"
    assert theory.theory_phase_n2m1(10.0, 0.1) == "superposition"
    assert theory.theory_phase_n2m1(10.0, 0.5) == "dedicated"
    r, s = np.meshgrid(np.logspace(-1, 1, 15), np.logspace(-2, 0, 17))
    labels = theory.theory_phase_n2m1(r, s)
    assert labels.shape == r.shape
    np.testing.assert_array_equal(labels == "superposition", s < theory.phase_boundary_n2m1(r))


def test_candidate_costs_match_simulated_relu_model() -> None:
    """drop and antipodal costs are the real summed losses of x' = ReLU(W^T W x + b)."""
    rng = np.random.default_rng(2)
    s, w = 0.4, np.array([1.0, 2.5])
    x = sample_x(rng, np.array([s, s]), 400_000)
    antipodal = np.maximum(x @ np.array([[1.0, -1.0], [-1.0, 1.0]]), 0.0)
    mean, se = mean_se(((x - antipodal) ** 2 * w).sum(axis=1))
    assert abs(mean - theory.antipodal_cost(w[0], w[1], s)) < 5 * se
    drop_second = np.maximum(x * [1.0, 0.0] + [0.0, s / 2], 0.0)
    mean, se = mean_se(((x - drop_second) ** 2 * w).sum(axis=1))
    assert abs(mean - theory.drop_cost(w[1], s)) < 5 * se
    np.testing.assert_allclose(theory.drop_cost(1.0, 1.0), 1 / 12)


# ---- ReLU 1-sparse terms --------------------------------------------------------------


@pytest.mark.parametrize("a", [-2.0, -0.3, -1e-9, 0.0, 1e-9, 0.3, 1.7])
@pytest.mark.parametrize("c", [-2.5, -0.4, 0.0, 0.2, 1.1])
def test_relu_sq_integral_matches_quadrature(a: float, c: float) -> None:
    kink = [-c / a] if a != 0 and 0 < -c / a < 1 else None
    ref, _ = integrate.quad(lambda x: max(a * x + c, 0.0) ** 2, 0, 1, points=kink, epsabs=1e-13)
    np.testing.assert_allclose(theory.relu_sq_integral(a, c), ref, atol=1e-10)


def _quad_terms(W: np.ndarray, b: np.ndarray, imp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    g = W @ W.T
    n = g.shape[0]
    benefit, interference = np.zeros(n), np.zeros(n)
    for i in range(n):
        f = lambda x, i=i: (x - max(g[i, i] * x + b[i], 0.0)) ** 2  # noqa: E731
        benefit[i] = imp[i] * integrate.quad(f, 0, 1, limit=200, epsabs=1e-13)[0]
        for j in range(n):
            if j != i:
                h = lambda x, i=i, j=j: max(g[j, i] * x + b[j], 0.0) ** 2  # noqa: E731
                interference[i] += imp[j] * integrate.quad(h, 0, 1, limit=200, epsabs=1e-13)[0]
    return benefit, interference


def test_one_sparse_terms_match_quadrature() -> None:
    rng = np.random.default_rng(3)
    W = rng.normal(size=(2, 6, 3)) * 0.7
    b = rng.normal(size=(2, 6)) * 0.4
    b[0, 0], W[0, 1] = 0.3, 0.0  # a positive bias and a dropped feature with alpha = 0
    imp = 0.9 ** np.arange(6)
    terms = theory.one_sparse_terms(W, b, imp)
    assert terms.feature_benefit.shape == (2, 6)
    for k in range(2):
        benefit, interference = _quad_terms(W[k], b[k], imp)
        np.testing.assert_allclose(terms.feature_benefit[k], benefit, atol=1e-6)
        np.testing.assert_allclose(terms.interference[k], interference, atol=1e-6)


def test_one_sparse_total_matches_monte_carlo() -> None:
    rng = np.random.default_rng(4)
    n = 5
    W, b, imp = rng.normal(size=(n, 2)), rng.normal(size=n) * 0.3, 0.8 ** np.arange(n)
    total = theory.one_sparse_terms(W, b, imp).total
    for i in range(n):
        x = np.zeros((100_000, n))
        x[:, i] = rng.random(100_000)
        out = np.maximum(x @ (W @ W.T) + b, 0.0)
        mean, se = mean_se(((x - out) ** 2 * imp).sum(axis=1))
        assert abs(mean - total[i]) < 5 * se


def test_one_sparse_pentagon_closed_form() -> None:
    # unit norms, b = 0: perfect self-reconstruction; only the two 72-degree neighbours interfere.
    terms = theory.one_sparse_terms(pentagon(), np.zeros(5), 1.0)
    np.testing.assert_allclose(terms.feature_benefit, 0.0, atol=1e-15)
    np.testing.assert_allclose(terms.interference, 2 * np.cos(2 * np.pi / 5) ** 2 / 3, atol=1e-12)
    # a dropped feature with a zero bias loses the whole integral of x^2
    np.testing.assert_allclose(theory.one_sparse_terms(np.zeros((1, 2)), np.zeros(1), 2.0).feature_benefit, [2 / 3])


def test_zero_sparse_term() -> None:
    np.testing.assert_allclose(theory.zero_sparse_term(np.array([-1.0, 0.5, 2.0]), np.array([1.0, 2.0, 3.0])), 12.5)


# ---- linear loss split --------------------------------------------------------------


def test_linear_loss_split_exact_on_sign_vectors() -> None:
    """With x uniform on {-1, 1}^n (E[x_i x_j] = delta_ij) and b = 0 the split is the exact loss."""
    rng = np.random.default_rng(5)
    n = 5
    W, imp = rng.normal(size=(n, 3)) * 0.6, rng.random(n)
    x = np.array(list(itertools.product([-1.0, 1.0], repeat=n)))
    loss = ((x - x @ (W @ W.T)) ** 2 * imp).sum(axis=1).mean()
    benefit, interference = theory.linear_loss_split(W, imp)
    np.testing.assert_allclose(benefit + interference, loss, rtol=1e-12)


def test_linear_loss_split_geometry() -> None:
    benefit, interference = theory.linear_loss_split(np.stack([np.eye(3), 0.5 * np.eye(3)]), 1.0)
    np.testing.assert_allclose(benefit, [0.0, 3 * 0.75**2])
    np.testing.assert_allclose(interference, [0.0, 0.0])
    benefit, interference = theory.linear_loss_split(pentagon(), 1.0)
    np.testing.assert_allclose([benefit, interference], [0.0, 5 * 1.5], atol=1e-12)
