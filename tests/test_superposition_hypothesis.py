"""core.chapters.superposition_hypothesis: almost-orthogonal vectors, compressed sensing, W^T W and the hierarchy of properties."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate

from core import analysis
from core.chapters import features_as_directions as rep
from core.chapters import superposition_hypothesis as hyp
from core.chapters import superposition_hypothesis_properties as properties
from core.train import train
from tests.helpers import pentagon

# ---- almost-orthogonal vectors ---------------------------------------------------------------


def test_random_unit_vectors_are_unit_and_seeded() -> None:
    V = hyp.random_unit_vectors(50, 7, seed=3)
    np.testing.assert_allclose(np.linalg.norm(V, axis=1), 1.0)
    np.testing.assert_array_equal(V, hyp.random_unit_vectors(50, 7, seed=3))


def test_pairwise_abs_cos_matches_a_direct_loop() -> None:
    V = np.random.default_rng(0).normal(size=(12, 5))
    direct = [
        abs(V[i] @ V[j]) / (np.linalg.norm(V[i]) * np.linalg.norm(V[j])) for i in range(12) for j in range(i + 1, 12)
    ]
    np.testing.assert_allclose(hyp.pairwise_abs_cos(V), direct)


def _first_collision_brute(V: np.ndarray, eps: float) -> int:
    for k in range(len(V)):
        for j in range(k):
            if abs(V[k] @ V[j]) >= eps:
                return k
    return len(V)


@pytest.mark.parametrize(("m", "eps", "seed"), [(3, 0.3, 0), (20, 0.3, 1), (40, 0.5, 2), (60, 0.35, 3), (200, 0.5, 4)])
def test_first_collision_matches_brute_force(m: int, eps: float, seed: int) -> None:
    V = hyp.random_unit_vectors(300, m, seed)
    k, capped = hyp.first_collision(V, eps, chunk=32)
    assert k == _first_collision_brute(V, eps)
    assert capped == (k == 300)
    assert hyp.first_collision_drawn(m, eps, 300, seed, chunk=32) == (k, capped)  # same stream, drawn lazily


def test_abs_cos_probability_against_closed_forms_and_sampling() -> None:
    # m = 2: the angle is uniform, so P(|cos| >= eps) = (2 / pi) arccos(eps); m = 3: |cos| is uniform on [0, 1].
    for eps in (0.1, 0.3, 0.7):
        assert hyp.prob_abs_cos_at_least(eps, 2) == pytest.approx(2 / np.pi * np.arccos(eps))
        assert hyp.prob_abs_cos_at_least(eps, 3) == pytest.approx(1 - eps)
    # Any m: compare with independent sampled pairs (binomial standard error).
    rng = np.random.default_rng(7)
    for m, eps in ((10, 0.3), (50, 0.2), (200, 0.1)):
        a, b = rng.normal(size=(2, 100_000, m))
        cos = np.abs((a * b).sum(1)) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
        p = hyp.prob_abs_cos_at_least(eps, m)
        assert abs((cos >= eps).mean() - p) < 5 * np.sqrt(p * (1 - p) / cos.size) + 1e-4


@pytest.mark.parametrize("m", [3, 5, 20, 100])
def test_abs_cos_density_is_a_density_with_mean_square_one_over_m(m: int) -> None:
    total, _ = integrate.quad(lambda t: hyp.abs_cos_density(t, m), 0, 1)
    second, _ = integrate.quad(lambda t: t**2 * hyp.abs_cos_density(t, m), 0, 1)
    assert total == pytest.approx(1.0, abs=1e-6)
    assert second == pytest.approx(1.0 / m, rel=1e-6)


def test_measured_share_of_almost_orthogonal_pairs_matches_the_exact_probability() -> None:
    for m in (10, 100, 1000):
        cos = hyp.pairwise_abs_cos(hyp.random_unit_vectors(300, m, seed=m))
        assert (cos < 0.3).mean() == pytest.approx(1 - hyp.prob_abs_cos_at_least(0.3, m), abs=0.01)
        assert np.mean(cos**2) == pytest.approx(1 / m, rel=0.05)


def test_fit_counts_are_the_direct_computation() -> None:
    fc = hyp.fit_counts(0.4, cap=200, seeds=2, seed=5, ms=np.array([5, 30, 80]))
    for g, m in enumerate(fc.ms):
        for s in range(2):
            V = hyp.random_unit_vectors(200, int(m), 5 * 1_000_003 + int(m) * 101 + s)
            assert fc.counts[g, s] == _first_collision_brute(V, 0.4)
            assert fc.capped[g, s] == (fc.counts[g, s] == 200)
    np.testing.assert_allclose(fc.jl, np.exp(fc.ms * 0.4**2 / 4))


def test_more_almost_orthogonal_directions_than_dimensions() -> None:
    """The superposition hypothesis's geometric premise: past some m, random directions beat m orthogonal ones."""
    fc = hyp.fit_counts(0.5, cap=1000, seeds=3, seed=0, ms=np.array([80]))
    assert np.median(fc.counts[0]) > 2 * 80
    small = hyp.fit_counts(0.5, cap=1000, seeds=3, seed=0, ms=np.array([10]))
    assert np.median(small.counts[0]) < 10


def test_birthday_estimate_grows_exponentially_with_m() -> None:
    est = np.array([hyp.birthday_estimate(m, 0.3) for m in (50, 100, 150, 200, 250)])
    ratios = est[1:] / est[:-1]
    assert np.all(ratios > 1.5)  # equal steps in m multiply the count: exponential growth
    assert ratios.max() / ratios.min() < 1.5
    grid = hyp.m_grid(0.3, cap=400)
    assert grid[0] == 2 and hyp.birthday_estimate(int(grid[-1]), 0.3) >= 400


# ---- compressed sensing ---------------------------------------------------------------------


@pytest.mark.parametrize("method", ["l1", "omp"])
def test_sparse_vectors_well_below_m_are_recovered(method: str) -> None:
    for seed in range(8):
        demo = hyp.sensing_demo(100, 40, 4, method, seed)
        assert demo.success, (seed, demo.error)
        np.testing.assert_allclose(demo.A @ demo.recovered, demo.y, atol=1e-8)


@pytest.mark.parametrize("method", ["l1", "omp"])
def test_vectors_well_above_m_are_not_recovered(method: str) -> None:
    for seed in range(8):
        assert not hyp.sensing_demo(100, 40, 70, method, seed).success


def test_signed_sparse_vectors_recover_too() -> None:
    demos = [hyp.sensing_demo(80, 30, 3, "l1", seed, signed=True) for seed in range(5)]
    assert all(d.success for d in demos)
    assert any((d.x < 0).any() for d in demos)  # the signed variant really has negative entries


def test_least_norm_ignores_sparsity_and_fails() -> None:
    demo = hyp.sensing_demo(100, 40, 4, "l1", 0)
    np.testing.assert_allclose(demo.A @ demo.least_norm, demo.y, atol=1e-9)  # it does fit the measurements
    assert hyp.relative_error(demo.x, demo.least_norm) > 0.3
    assert (np.abs(demo.least_norm) > 1e-3).sum() > 50  # and it is dense


def test_recovery_curve_falls_from_all_to_none() -> None:
    ks = np.array([2, 5, 60, 90])
    curve = hyp.recovery_curve(100, 40, ks, trials=6, method="l1", seed=1)
    assert curve[0] == 1.0 and curve[1] == 1.0
    assert curve[2] == 0.0 and curve[3] == 0.0
    one = hyp.sensing_demo(100, 40, 5, "l1", 1 * 7919 + 5 * 131 + 2)  # the curve's trial 2 at k = 5, on its own
    assert one.success


# ---- superposition as a property of W --------------------------------------------------------


def test_gram_check_on_known_geometries() -> None:
    ortho = properties.gram_check(np.eye(5))
    assert not ortho.in_superposition and ortho.rank == 5
    np.testing.assert_allclose(ortho.eigenvalues, 1.0)
    pent = properties.gram_check(pentagon())
    assert pent.in_superposition and pent.rank == 2 and pent.represented.size == 5
    np.testing.assert_allclose(pent.eigenvalues[2:], 0.0, atol=1e-12)
    dropped = properties.gram_check(np.vstack([np.eye(2), np.zeros((3, 2)), 0.1 * np.ones((1, 2))]))
    assert not dropped.in_superposition and dropped.represented.tolist() == [0, 1]
    for W in (np.eye(5), pentagon(), np.vstack([np.eye(2), np.zeros((3, 2))])):
        assert properties.gram_check(W).in_superposition == analysis.is_in_superposition(W)


def _verdicts(model: str, W: np.ndarray, x: np.ndarray) -> dict[str, str]:
    return {c.name: c.verdict for c in properties.property_checklist(model, W, x)}


def test_checklist_on_hand_built_models() -> None:
    cfg = rep.directions_config(n=3, m=3, density=0.5)
    x = rep.fixed_batch(cfg, 200, 0)
    W = np.random.default_rng(0).normal(size=(3, 3))
    out = {c.name: c for c in properties.property_checklist("relu_output", W, x)}
    assert out["Decomposable"].verdict == "yes" and out["Decomposable"].measure < 1e-12
    assert out["Linear"].verdict == "yes" and out["Linear"].measure < 1e-12
    assert out["Basis-aligned"].verdict == "not applicable"
    # Two features meeting in one neuron with opposite signs are clipped together by the hidden ReLU: not
    # decomposable, and therefore nothing below it applies (the old checklist said "Linear: yes" here).
    shared = np.array([[1.0, 0.0, 0.0], [-1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    relu = {c.name: c for c in properties.property_checklist("relu_hidden", shared, x)}
    assert relu["Decomposable"].verdict == "no" and relu["Decomposable"].measure > 0.05
    assert [relu[k].verdict for k in ("Linear", "In superposition", "Basis-aligned")] == ["not applicable"] * 3
    aligned = _verdicts("relu_hidden", np.eye(3), x)
    assert aligned == {"Decomposable": "yes", "Linear": "yes", "In superposition": "no", "Basis-aligned": "yes"}


def test_linearity_error_is_the_whole_linear_prediction() -> None:
    """h(x) vs sum_i x_i h(e_i), computed directly; for ReLU(W x) it is not zero on inputs >= 0 (homogeneity
    alone, the old test, is exact there and so could never fail)."""
    W = np.array([[1.0, -0.5], [-1.0, 1.0]])
    x = np.array([[0.5, 0.5], [1.0, 0.0], [0.3, 0.9]])
    h = np.maximum(x @ W, 0)
    expected = np.linalg.norm(h - x @ np.maximum(W, 0)) / np.linalg.norm(h)
    assert properties.linearity_error("relu_hidden", W, x) == pytest.approx(expected)
    assert expected > 0.1
    assert properties.linearity_error("relu_output", W, x) < 1e-12


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_verdicts_nest_on_random_models(seed: int) -> None:
    """A property below a failed one never reads yes: the hierarchy the paper describes."""
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(6, 3)) * rng.uniform(0.2, 1.5, size=(6, 1))
    x = properties.multi_feature_inputs(6, 100, seed)
    for model in ("relu_output", "relu_hidden"):
        order = [c.verdict for c in properties.property_checklist(model, W, x)]
        for parent, child in zip(order[:2], order[1:3]):
            if parent not in ("yes", "approximately"):
                assert child == "not applicable", (model, order)
        if order[1] not in ("yes", "approximately"):
            assert order[3] == "not applicable", (model, order)
        if model == "relu_hidden":
            assert order[0] == "no"  # random mixed-sign weights clip in a ReLU layer


def test_check_inputs_exercise_additivity_when_training_data_is_sparse() -> None:
    """At p = 0.001 a training batch has (almost) no input with two active features, so additivity would be
    untested: two antipodal features sharing one ReLU neuron passed as "decomposable" on it."""
    cfg = hyp.model_config("relu_hidden", 0.001)
    train_batch = rep.fixed_batch(cfg, 256, 7)[0]
    assert ((train_batch > 0).sum(axis=1) >= 2).sum() <= 2
    W = np.zeros((20, 5))
    W[0, 0], W[1, 0] = 1.0, -1.0
    assert properties.decomposability_error("relu_hidden", W, train_batch) < 1e-12  # the defect
    x = properties.check_inputs(train_batch, seed=7, extra=256)
    assert x.shape[0] >= 256 and ((x != 0).sum(axis=1) >= 2).all()
    assert ((x > 0) & (x <= 1)).sum() == (x != 0).sum()  # values like the training data's
    assert _verdicts("relu_hidden", W, x)["Decomposable"] == "no"
    signed = properties.multi_feature_inputs(20, 200, 0, signed=True)
    assert (signed < 0).any() and (np.abs(signed) <= 1).all()


def test_relu_hidden_model_reads_as_the_page_says() -> None:
    """Seeds 0-2, trained at the page's default steps: dense -> decomposable, linear (approximately), no
    superposition, basis-aligned; p = 0.03 -> not decomposable, the rest not applicable."""
    from core.train import Trainer

    steps = hyp.DEFAULT_STEPS["relu_hidden"]
    cfg = hyp.model_config("relu_hidden", 1.0, seed=0, steps=steps, n_seeds=3).with_(feature_probability=[1.0, 0.03])
    trainer = Trainer(cfg, threads=1)
    trainer.run()
    every = trainer.We.reshape(3, 2, 20, 5)
    for s in range(3):
        for k, p in enumerate((1.0, 0.03)):
            train_batch = rep.fixed_batch(hyp.model_config("relu_hidden", p), 256, 7)[0]
            v = _verdicts("relu_hidden", every[s, k].astype(np.float64), properties.check_inputs(train_batch, 7))
            if p == 1.0:
                assert v == {
                    "Decomposable": "approximately",
                    "Linear": "approximately",
                    "In superposition": "no",
                    "Basis-aligned": "yes",
                }, (s, v)
            else:
                assert v["Decomposable"] == "no" and v["Basis-aligned"] == "not applicable", (s, v)


def test_recovery_summary_reads_landmarks() -> None:
    ks = np.array([1, 5, 10, 15, 20, 25, 30])
    s = hyp.recovery_summary(ks, np.array([1.0, 1.0, 0.9, 0.6, 0.4, 0.0, 0.0]))
    assert (s.all_up_to, s.half_k, s.half_rate, s.none_from) == (5, 20, 0.4, 25)
    s = hyp.recovery_summary(ks, np.array([0.9, 1.0, 0.0, 0.1, 0.0, 0.0, 0.05]))
    assert s.all_up_to is None and s.half_k == 10 and s.none_from is None


def test_decomposability_error_is_relative_to_a_direct_computation() -> None:
    W = np.array([[1.0, -0.5], [-1.0, 1.0]])
    x = np.array([[0.5, 0.5], [1.0, 0.0]])
    h = np.maximum(x @ W, 0)
    parts = np.maximum(x[:, :1] * W[0], 0) + np.maximum(x[:, 1:] * W[1], 0)
    expected = np.linalg.norm(h - parts) / np.linalg.norm(h)
    assert properties.decomposability_error("relu_hidden", W, x) == pytest.approx(expected)


def test_trained_model_superposition_depends_on_density() -> None:
    """The paper's basic result: dense features give no superposition, sparse ones do (n = 20, m = 5)."""
    verdicts = {}
    for density in (1.0, 0.03):
        cfg = hyp.model_config("relu_output", density, seed=0, steps=6_000, n_seeds=1)
        W = train(cfg, threads=1).W[0]
        g = properties.gram_check(W)
        verdicts[density] = g
        checks = {
            c.name: c.verdict for c in properties.property_checklist("relu_output", W, rep.fixed_batch(cfg, 128, 0))
        }
        assert checks["In superposition"] == ("yes" if g.in_superposition else "no")
    assert not verdicts[1.0].in_superposition and verdicts[1.0].represented.size == 5
    assert verdicts[0.03].in_superposition and verdicts[0.03].represented.size > 5
    assert verdicts[0.03].rank == 5
