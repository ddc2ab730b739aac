"""The synthetic data, from both generators: core.data.sample_batch (numpy) and the training kernel's own batches.

Every statistical check uses a tolerance of 5 binomial (or uniform) standard errors computed from the
sample size, so the expected values are the distribution's closed forms, not numbers read off a run.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.config import ToyConfig
from core.data import feature_groups, sample_batch, target_of
from core.train import kernel_batch

SIGMAS = 5.0
BATCH = 100_000

# Features 0-2 correlated, 3-5 anticorrelated, 6-9 independent; three densities, one per instance.
SETS = (("correlated", 3), ("anticorrelated", 3))
CORR, ANTI, INDEP = [0, 1, 2], [3, 4, 5], [6, 7, 8, 9]
DENSITIES = [0.05, 0.3, 1.0]
SET_CFG = ToyConfig(n_features=10, n_hidden=3, feature_sets=SETS, feature_probability=DENSITIES)


def numpy_batch(cfg: ToyConfig, batch: int, seed: int = 0) -> np.ndarray:
    return sample_batch(cfg, batch, seed)


SOURCES = {"numpy": numpy_batch, "kernel": lambda cfg, batch: kernel_batch(cfg, batch)}


@pytest.fixture(scope="module", params=list(SOURCES))
def set_batch(request: pytest.FixtureRequest) -> np.ndarray:
    return SOURCES[request.param](SET_CFG, BATCH)


def assert_frequency(events: np.ndarray, q: float, what: str) -> None:
    """The fraction of True in ``events`` is q within 5 binomial standard errors."""
    frac = float(np.mean(events))
    tol = SIGMAS * np.sqrt(q * (1 - q) / events.size) + 1e-12
    assert abs(frac - q) <= tol, f"{what}: frequency {frac:.5f}, expected {q:.5f} +- {tol:.5f}"


def assert_mean(values: np.ndarray, mean: float, var: float, what: str) -> None:
    """The mean of ``values`` is ``mean`` within 5 standard errors of a distribution with variance ``var``."""
    assert values.size > 100, f"{what}: too few samples ({values.size})"
    got = float(np.mean(values, dtype=np.float64))
    tol = SIGMAS * np.sqrt(var / values.size)
    assert abs(got - mean) <= tol, f"{what}: mean {got:.5f}, expected {mean:.5f} +- {tol:.5f}"


# ---- layout -----------------------------------------------------------------------


def test_feature_groups() -> None:
    starts, sizes, kinds = feature_groups(SET_CFG)
    np.testing.assert_array_equal(starts, [0, 3, 6, 7, 8, 9])
    np.testing.assert_array_equal(sizes, [3, 3, 1, 1, 1, 1])
    np.testing.assert_array_equal(kinds, [1, 2, 0, 0, 0, 0])
    starts, sizes, kinds = feature_groups(ToyConfig(n_features=3))
    np.testing.assert_array_equal(starts, [0, 1, 2])
    np.testing.assert_array_equal(sizes, [1, 1, 1])
    np.testing.assert_array_equal(kinds, [0, 0, 0])


@pytest.mark.parametrize("source", list(SOURCES))
def test_shape_dtype_and_fresh_batches(source: str) -> None:
    cfg = ToyConfig(n_features=6, feature_probability=[0.5, 0.2])
    x = SOURCES[source](cfg, 1000)
    assert x.shape == (2, 1000, 6)
    assert x.dtype == np.float32
    assert not np.array_equal(x[0], x[1]), "instances must draw independent data"


def test_numpy_batches_follow_the_seed_or_generator() -> None:
    cfg = ToyConfig(n_features=6, feature_probability=0.5)
    a, b, c = numpy_batch(cfg, 500, seed=3), numpy_batch(cfg, 500, seed=3), numpy_batch(cfg, 500, seed=4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    gen = np.random.default_rng(0)
    assert not np.array_equal(sample_batch(cfg, 500, gen), sample_batch(cfg, 500, gen)), "a fresh batch each call"


def test_kernel_batches_are_reproducible_per_step_and_seed() -> None:
    cfg = ToyConfig(n_features=6, feature_probability=0.5)
    a = kernel_batch(cfg, 500, step=0)
    np.testing.assert_array_equal(a, kernel_batch(cfg, 500, step=0))
    assert not np.array_equal(a, kernel_batch(cfg, 500, step=1)), "each step draws a fresh batch"
    assert not np.array_equal(a, kernel_batch(cfg.with_(seed=1), 500, step=0))


def test_numpy_density_override() -> None:
    cfg = ToyConfig(n_features=4, feature_probability=1.0)
    p = np.array([[1.0, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 1.0]])
    x = sample_batch(cfg, 20_000, 1, p=p)
    assert x.shape == (2, 20_000, 4)
    for k in range(2):
        for i in range(4):
            assert_frequency(x[k, :, i] != 0, p[k, i], f"instance {k} feature {i}")


def test_target() -> None:
    x = np.array([[[-0.5, 0.0, 0.25]]])
    np.testing.assert_array_equal(target_of(ToyConfig(model="abs", n_features=3, n_hidden=6), x), [[[0.5, 0.0, 0.25]]])
    for model in ("linear", "relu_output", "relu_hidden"):
        np.testing.assert_array_equal(target_of(ToyConfig(model=model, n_features=3), x), x)


# ---- marginals and co-occurrence, both generators --------------------------------


def test_values_are_uniform_on_0_1(set_batch: np.ndarray) -> None:
    assert np.all(set_batch >= 0) and np.all(set_batch <= 1)
    for k, p in enumerate(DENSITIES):
        for i in range(10):
            v = set_batch[k, :, i]
            v = v[v != 0].astype(np.float64)
            assert_mean(v, 1 / 2, 1 / 12, f"instance {k} (p={p}) feature {i} value")
            assert_mean(v**2, 1 / 3, 4 / 45, f"instance {k} (p={p}) feature {i} squared value")


def test_independent_features(set_batch: np.ndarray) -> None:
    for k, p in enumerate(DENSITIES):
        on = set_batch[k] != 0
        for i in INDEP:
            assert_frequency(on[:, i], p, f"p={p} independent feature {i}")
        for i, j in [(6, 7), (7, 8), (8, 9), (6, 9)]:
            assert_frequency(on[:, i] & on[:, j], p * p, f"p={p} independent pair {i},{j}")


def test_correlated_set(set_batch: np.ndarray) -> None:
    for k, p in enumerate(DENSITIES):
        x = set_batch[k]
        on = x != 0
        for i in CORR[1:]:
            np.testing.assert_array_equal(on[:, i], on[:, CORR[0]], err_msg=f"p={p}: correlated members differ")
        for i in CORR:
            assert_frequency(on[:, i], p, f"p={p} correlated member {i}")
        # the set is independent of the other features
        assert_frequency(on[:, 0] & on[:, 6], p * p, f"p={p} correlated vs independent")
        # values inside the set are independent draws, not one value copied
        both = on[:, 0]
        a, b = x[both, 0].astype(np.float64), x[both, 1].astype(np.float64)
        assert_mean(a * b, 1 / 4, 1 / 9 - 1 / 16, f"p={p} E[x0 x1 | set active]")
        assert np.mean(a == b) < 0.01


def test_anticorrelated_set(set_batch: np.ndarray) -> None:
    for k, p in enumerate(DENSITIES):
        on = set_batch[k] != 0
        per_sample = on[:, ANTI].sum(axis=1)
        assert per_sample.max() <= 1, f"p={p}: two anticorrelated members were active together"
        assert_frequency(per_sample == 1, p, f"p={p} anticorrelated set active")
        for i in ANTI:
            assert_frequency(on[:, i], p / 3, f"p={p} anticorrelated member {i}")
        assert_frequency(on[:, 3] & on[:, 0], p / 3 * p, f"p={p} anticorrelated vs correlated")
        assert_frequency(on[:, 4] & on[:, 7], p / 3 * p, f"p={p} anticorrelated vs independent")


@pytest.mark.parametrize("source", list(SOURCES))
def test_per_feature_densities(source: str) -> None:
    dens = np.array([[0.9, 0.5, 0.2, 0.1, 0.05, 0.01], [0.01, 0.05, 0.1, 0.2, 0.5, 0.9]])
    x = SOURCES[source](ToyConfig(n_features=6, feature_probability=dens), BATCH)
    for k in range(2):
        for i in range(6):
            assert_frequency(x[k, :, i] != 0, dens[k, i], f"instance {k} feature {i}")


@pytest.mark.parametrize("source", list(SOURCES))
def test_set_activity_uses_its_first_feature_density(source: str) -> None:
    dens = np.array([[0.5, 0.1, 0.1, 0.6, 0.05, 0.05]])
    cfg = ToyConfig(n_features=6, feature_probability=dens, feature_sets=(("correlated", 3), ("anticorrelated", 2)))
    on = SOURCES[source](cfg, BATCH)[0] != 0
    for i in range(3):
        assert_frequency(on[:, i], 0.5, f"correlated member {i}")
    for i in (3, 4):
        assert_frequency(on[:, i], 0.6 / 2, f"anticorrelated member {i}")
    assert_frequency(on[:, 5], 0.05, "independent feature 5")


@pytest.mark.parametrize("source", list(SOURCES))
def test_absolute_value_task_data(source: str) -> None:
    dens = [0.2, 1.0]
    x = SOURCES[source](ToyConfig(model="abs", n_features=4, n_hidden=8, feature_probability=dens), BATCH)
    assert np.all(np.abs(x) <= 1)
    for k, p in enumerate(dens):
        for i in range(4):
            v = x[k, :, i]
            assert_frequency(v != 0, p, f"p={p} feature {i} active")
            v = v[v != 0].astype(np.float64)
            assert_mean(v, 0.0, 1 / 3, f"p={p} feature {i} value (U[-1, 1] is symmetric)")
            assert_mean(np.abs(v), 1 / 2, 1 / 12, f"p={p} feature {i} |value|")
            assert_frequency(v < 0, 1 / 2, f"p={p} feature {i} negative")
