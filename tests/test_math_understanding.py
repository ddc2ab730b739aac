"""The chapter's maths: loss splits against sampling, the n = 2, m = 1 landscape against the paper's costs,
and the Thomson link against known polytopes and a trained model."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import integrate

from core import theory
from core.chapters import math_understanding, math_understanding_thomson
from core.config import ToyConfig
from core.data import sample_batch
from core.models import forward
from core.train import Trainer, train
from tests.helpers import mean_se, pentagon, sample_x

SIGMAS = 4.0  # Monte-Carlo agreement: within 4 standard errors


def relu_model(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.maximum(x @ (W @ W.T) + b, 0.0)


# ---- linear model ----------------------------------------------------------------------------


def test_linear_split_adds_up_to_the_exact_expected_loss() -> None:
    rng = np.random.default_rng(0)
    W, b = rng.normal(size=(4, 7, 3)) * 0.6, rng.normal(size=(4, 7)) * 0.3
    p = rng.uniform(0.05, 1.0, size=(4, 7))  # a different density per feature and instance
    imp = rng.random((4, 7))
    split = math_understanding.linear_split(W, b, p, imp)
    np.testing.assert_allclose(split.total, theory.linear_expected_loss(W, b, p, imp), rtol=1e-12)
    assert np.all(split.benefit >= 0) and np.all(split.interference >= 0) and np.all(split.bias_error >= 0)
    per_feature = math_understanding.per_feature_split("linear", W[0], b[0], p[0], imp[0])
    np.testing.assert_allclose(sum(v.mean() for v in per_feature.values()), split.total[0], rtol=1e-12)


def test_linear_split_is_the_papers_split_weighted_by_variance() -> None:
    """With one density, the benefit and interference are theory.linear_loss_split x Var(x) / n."""
    rng = np.random.default_rng(1)
    n, p = 6, 0.2
    W, imp = rng.normal(size=(n, 2)), 0.8 ** np.arange(n)
    b = (np.eye(n) - W @ W.T) @ np.full(n, p / 2)  # the bias that matches the mean
    split = math_understanding.linear_split(W, b, p, imp)
    benefit, interference = theory.linear_loss_split(W, imp)
    var = p / 3 - p**2 / 4
    np.testing.assert_allclose([split.benefit, split.interference], [benefit * var / n, interference * var / n])
    assert split.bias_error == pytest.approx(0.0, abs=1e-15)


def test_linear_exact_loss_matches_a_trained_models_measured_loss() -> None:
    """Train a linear model, then measure its loss on a large fresh batch (numpy sampler + core.models forward)."""
    p = 0.1
    cfg = ToyConfig(model="linear", n_features=12, n_hidden=4, feature_probability=p, importance=0.8, steps=3000)
    result = train(cfg, threads=1)
    imp = cfg.broadcast()[1][0]
    x = sample_batch(cfg, 100_000, 7)
    out = forward("linear", {"W": result.W, "b": result.b}, x)
    per_sample = (imp.astype(np.float32) * (x - out) ** 2).mean(axis=2)[0].astype(np.float64)
    measured, se = mean_se(per_sample)
    split = math_understanding.linear_split(result.W[0], result.b[0], p, imp)
    assert abs(float(split.total) - measured) < SIGMAS * se
    # superposition never pays: the trained model ends near the PCA optimum with almost no interference
    assert float(split.total) == pytest.approx(float(theory.linear_optimal_loss(p, imp, 4)), rel=0.05)
    assert float(split.interference) < 0.01 * float(split.total)


# ---- ReLU model: 0- and 1-sparse terms -------------------------------------------------------------


def _one_sparse_inputs(rng: np.random.Generator, n: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    active = rng.integers(0, n, size=size)
    x = np.zeros((size, n))
    x[np.arange(size), active] = rng.random(size)
    return x, active


@pytest.mark.parametrize("source", ["random", "trained"])
def test_one_sparse_closed_form_matches_monte_carlo(source: str) -> None:
    """L_1 sums, over which feature is on, the expected summed loss; a uniform draw of that feature
    therefore estimates L_1 / n, so the sample mean is multiplied by n."""
    rng = np.random.default_rng(2)
    if source == "random":
        n = 6
        W, b, imp = rng.normal(size=(n, 3)) * 0.8, rng.normal(size=n) * 0.3, 0.85 ** np.arange(n)
    else:
        cfg = ToyConfig(n_features=8, n_hidden=2, feature_probability=0.05, importance=0.9, steps=2000)
        res = train(cfg, threads=1)
        W, b, imp, n = res.W[0].astype(np.float64), res.b[0].astype(np.float64), cfg.broadcast()[1][0], 8
    closed = theory.one_sparse_terms(W, b, imp)
    x, active = _one_sparse_inputs(rng, n, 200_000)
    out = relu_model(x, W, b)
    mean, se = mean_se(n * ((x - out) ** 2 * imp).sum(axis=1))
    assert abs(mean - closed.total.sum()) < SIGMAS * se
    own = n * imp[active] * (x[np.arange(x.shape[0]), active] - out[np.arange(x.shape[0]), active]) ** 2
    mean, se = mean_se(own)
    assert abs(mean - closed.feature_benefit.sum()) < SIGMAS * se
    # the library's own estimator agrees too, piece by piece
    mc = math_understanding.one_sparse_monte_carlo(W, b, imp, 200_000, np.random.default_rng(3))
    split = math_understanding.relu_sparse_split(W, b, 0.01, imp)
    for name, value in (("feature benefit", split.benefit), ("interference", split.interference)):
        assert abs(mc[name].mean - float(value)) < SIGMAS * mc[name].se


def test_sparse_prediction_is_the_training_loss_on_inputs_with_at_most_one_feature() -> None:
    """predicted = E[training loss x 1{at most one feature on}], with the training loss a mean over features."""
    rng = np.random.default_rng(4)
    n, p = 5, 0.15
    W, b, imp = rng.normal(size=(n, 2)), rng.normal(size=n) * 0.3, 0.9 ** np.arange(n)
    b[0] = 0.4  # a positive bias, so L_0 is not zero
    x = sample_x(rng, np.full(n, p), 400_000)
    loss = (imp * (x - relu_model(x, W, b)) ** 2).mean(axis=1)
    few = (x > 0).sum(axis=1) <= 1
    mean, se = mean_se(loss * few)
    split = math_understanding.relu_sparse_split(W, b, p, imp)
    assert split.zero > 0
    assert abs(mean - float(split.predicted)) < SIGMAS * se
    assert float(split.p_none) == pytest.approx((1 - p) ** n)
    assert float(split.p_one) == pytest.approx(n * p * (1 - p) ** (n - 1))


def test_active_probabilities_match_enumeration() -> None:
    p = np.array([0.1, 0.5, 0.9, 1.0])
    none, only = math_understanding.active_probabilities(p)
    patterns = np.array(list(itertools.product([0, 1], repeat=p.size)))
    prob = np.prod(np.where(patterns == 1, p, 1 - p), axis=1)
    assert none == pytest.approx(prob[patterns.sum(axis=1) == 0].sum())
    for i in range(p.size):
        one_hot = (patterns.sum(axis=1) == 1) & (patterns[:, i] == 1)
        assert only[i] == pytest.approx(prob[one_hot].sum())


def test_split_over_training_follows_the_snapshots() -> None:
    cfg = ToyConfig(n_features=5, n_hidden=2, feature_probability=0.05, steps=300, snapshot_every=100)
    trainer = Trainer(cfg, threads=1)
    trainer.advance(250)
    view = trainer.view()
    steps, W, b = math_understanding.snapshot_series(view.snapshots, (view.steps_done, view.W, view.b))
    np.testing.assert_array_equal(steps, [0, 100, 200, 250])
    imp = cfg.broadcast()[1][0]
    terms = math_understanding.split_over_training("relu_output", W[:, 0], b[:, 0], 0.05, imp)
    last = theory.one_sparse_terms(view.W[0], view.b[0], imp)
    assert terms["feature benefit"][-1] == pytest.approx(last.feature_benefit.sum())
    assert terms["interference"][-1] == pytest.approx(last.interference.sum())
    same, _, _ = math_understanding.snapshot_series(view.snapshots, (200, view.W, view.b))  # not newer: not added
    assert same.size == 3


# ---- two features in one dimension -------------------------------------------------------------------


@pytest.mark.parametrize("a", [-1.5, -0.2, 0.0, 0.4, 2.0])
@pytest.mark.parametrize("c", [-1.0, -0.1, 0.0, 0.3])
def test_relu_integral_matches_quadrature(a: float, c: float) -> None:
    ref, _ = integrate.quad(lambda t: max(a * t + c, 0.0), 0, 1, points=[-c / a] if a else None)
    assert float(math_understanding.relu_integral(a, c)) == pytest.approx(ref, abs=1e-12)


def test_pair_terms_match_monte_carlo() -> None:
    rng = np.random.default_rng(5)
    for w1, w2, b1, b2, r, p in [(1.1, -0.7, -0.1, 0.05, 2.0, 0.3), (0.6, 0.9, 0.2, -0.3, 0.5, 0.6)]:
        W, b, imp = np.array([[w1], [w2]]), np.array([b1, b2]), np.array([1.0, r])
        terms = math_understanding.pair_terms(w1, w2, b1, b2, r)
        both = rng.random((200_000, 2))
        mean, se = mean_se((imp * (both - relu_model(both, W, b)) ** 2).sum(axis=1))
        assert abs(mean - float(terms.both)) < SIGMAS * se
        x = sample_x(rng, np.array([p, p]), 400_000)
        mean, se = mean_se((imp * (x - relu_model(x, W, b)) ** 2).sum(axis=1))
        assert abs(mean - float(terms.expected(p))) < SIGMAS * se


@pytest.mark.parametrize("p", [0.05, 0.3, 0.8])
@pytest.mark.parametrize("r", [0.3, 1.0, 4.0])
def test_pair_terms_reproduce_the_papers_candidate_costs(p: float, r: float) -> None:
    antipodal = math_understanding.pair_terms(1.0, -1.0, 0.0, 0.0, r).expected(p)
    assert float(antipodal) == pytest.approx(float(theory.antipodal_cost(1.0, r, p)), rel=1e-6)
    drop_second = math_understanding.pair_terms(1.0, 0.0, 0.0, p / 2, r).expected(p)
    assert float(drop_second) == pytest.approx(float(theory.drop_cost(r, p)), rel=1e-6)
    drop_first = math_understanding.pair_terms(0.0, 1.0, p / 2, 0.0, r).expected(p)
    assert float(drop_first) == pytest.approx(float(theory.drop_cost(1.0, p)), rel=1e-6)


def test_pair_terms_cross_at_the_phase_boundary() -> None:
    """Just below the density 4/7 the antipodal pair beats dropping a feature; just above it loses."""
    edge = float(theory.phase_boundary_n2m1(1.0))
    for p, pair_wins in ((edge * 0.9, True), (min(edge * 1.1, 1.0), False)):
        pair = math_understanding.pair_terms(1.0, -1.0, 0.0, 0.0).expected(p)
        drop = math_understanding.pair_terms(1.0, 0.0, 0.0, p / 2).expected(p)
        assert bool(pair < drop) is pair_wins


def test_landscape_minimum_is_antipodal_when_sparse_and_a_single_feature_when_dense() -> None:
    sparse = math_understanding.pair_landscape(0.0, 0.0, 1.0, 0.05)
    w1, w2, best = sparse.best
    assert w1 == pytest.approx(-w2) and abs(w1) == pytest.approx(1.0, abs=0.06)
    assert best <= float(theory.antipodal_cost(1.0, 1.0, 0.05)) + 1e-9 < float(theory.drop_cost(1.0, 0.05))
    limit = math_understanding.pair_landscape(0.0, 0.0, 1.0, None)  # the sparse limit: antipodal is free
    assert limit.best[2] == pytest.approx(0.0, abs=1e-12) and limit.best[0] == pytest.approx(-limit.best[1])
    dense = math_understanding.pair_landscape(0.0, 0.5, 0.5, 1.0)  # p = 1, the less important feature 2 has b = 1/2
    w1, w2, best = dense.best
    assert abs(w1) == pytest.approx(1.0) and w2 == pytest.approx(0.0, abs=1e-12)
    assert best == pytest.approx(float(theory.drop_cost(0.5, 1.0)))


# ---- the Thomson problem ------------------------------------------------------------------------------


def test_interference_energy_is_the_one_sparse_loss_of_unit_features() -> None:
    rng = np.random.default_rng(6)
    U = rng.normal(size=(7, 3))
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    terms = theory.one_sparse_terms(U, np.zeros(7), 1.0)
    assert float(math_understanding_thomson.interference_energy(U)) == pytest.approx(
        float(terms.total.sum()), rel=1e-12
    )
    np.testing.assert_allclose(terms.feature_benefit, 0.0, atol=1e-12)


@pytest.mark.parametrize("energy", math_understanding_thomson.ENERGIES)
def test_thomson_five_points_in_a_plane_form_a_regular_pentagon(energy: str) -> None:
    sol = math_understanding_thomson.thomson(5, 2, energy)
    np.testing.assert_allclose(math_understanding_thomson.angle_spectrum(sol.U), [72] * 5 + [144] * 5, atol=0.5)
    rng = np.random.default_rng(7)
    U = rng.normal(size=(200, 5, 2))
    U /= np.linalg.norm(U, axis=-1, keepdims=True)
    random = (
        math_understanding_thomson.interference_energy(U)
        if energy == "interference"
        else math_understanding_thomson.coulomb_energy(U)
    )
    assert sol.energy <= random.min()


def test_thomson_known_solutions_in_three_dimensions() -> None:
    tetra = math_understanding_thomson.thomson(4, 3, "coulomb")
    np.testing.assert_allclose(
        math_understanding_thomson.angle_spectrum(tetra.U), np.degrees(np.arccos(-1 / 3)), atol=0.5
    )
    octa = math_understanding_thomson.thomson(6, 3, "interference")  # k <= 2d: zero interference is reachable
    assert octa.energy == pytest.approx(0.0, abs=1e-6)


def test_align_2d_recovers_a_rotated_mirrored_copy() -> None:
    a = 0.7
    R = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    target = pentagon()[[2, 0, 4, 1, 3]] @ R.T * [1.0, -1.0]
    aligned = math_understanding_thomson.align_2d(pentagon(), target * 1.2)
    gaps = np.linalg.norm(aligned[:, None] - target[None], axis=-1).min(axis=1)
    np.testing.assert_allclose(gaps, 0.0, atol=1e-9)


def _uniform_5in2(p: float) -> np.ndarray:
    cfg = ToyConfig(n_features=5, n_hidden=2, feature_probability=p, importance=1.0, steps=10_000, n_seeds=2)
    return train(cfg, threads=1)


def test_trained_sparse_model_solves_thomson_and_moves_toward_the_one_sparse_optimum() -> None:
    """The paper's pentagon (n = 5, m = 2, I = 1) is the Thomson solution in direction; its length and bias
    approach the (r, b) that minimises L_1 as features get sparser."""
    grid_r, grid_b = np.linspace(0.8, 1.5, 71), np.linspace(-0.6, 0.2, 81)
    optimum = math_understanding.norm_bias_landscape(pentagon(), grid_r, grid_b)
    r_opt, b_opt, best = optimum.best
    assert r_opt > 1 and b_opt < 0 and best < float(math_understanding_thomson.interference_energy(pentagon()))
    distances = []
    for p in (0.1, 0.01):
        res = _uniform_5in2(p)
        comp = math_understanding_thomson.compare_with_thomson(res.W[0])
        assert comp.features.size == 5 and comp.max_angle_gap < 3.0
        assert comp.model_energy >= comp.solution.energy - 1e-9
        r, b = np.linalg.norm(res.W[0], axis=1).mean(), res.b[0].mean()
        assert r > 1 and b < 0
        distances.append(np.hypot(r - r_opt, b - b_opt))
    assert distances[1] < distances[0]


def test_cosine_matrix_ignores_lengths_and_angle_counts_group_a_squares_pairs() -> None:
    square = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]]) * np.array([[2.0], [0.5], [1.0], [3.0]])
    expected = np.array([[1, 0, -1, 0], [0, 1, 0, -1], [-1, 0, 1, 0], [0, -1, 0, 1]], dtype=float)
    np.testing.assert_allclose(math_understanding_thomson.cosine_matrix(square), expected, atol=1e-12)
    angles, pairs = math_understanding_thomson.angle_counts(math_understanding_thomson.angle_spectrum(square))
    np.testing.assert_allclose(angles, [90.0, 180.0])
    assert pairs.tolist() == [4, 2]  # four neighbours at right angles, two opposite pairs
    values, counts = math_understanding_thomson.angle_counts(np.array([71.6, 72.4, 144.0]), decimals=0)
    assert values.tolist() == [72.0, 144.0] and counts.tolist() == [2, 1]
