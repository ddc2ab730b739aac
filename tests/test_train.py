"""Training against exact facts: closed-form losses, known geometry, and the mechanics of a run.

Expected values come from the paper's closed forms (core.theory) and from geometry; Monte-Carlo
comparisons use 5 standard errors computed from the samples themselves.
"""

from __future__ import annotations

import numpy as np
import pytest

from core import analysis, models, registry, theory
from core.config import ToyConfig
from core.data import sample_batch, target_of
from core.train import Trainer, kernel_batch, lr_at, train

SIGMAS = 5.0
MODELS = registry.names()  # the paper's four (tests/needs_torch adds kinds the app does not ship)


def per_sample_losses(
    cfg: ToyConfig, W: np.ndarray, b: np.ndarray, W2: np.ndarray | None, batch: int, seed: int = 123
) -> np.ndarray:
    """Each sample's loss under the readable model (core.models) on fresh core.data samples, float64 [I, batch]."""
    _, imp = cfg.broadcast()
    params = {"W": np.asarray(W, np.float64), "b": np.asarray(b, np.float64)}
    if W2 is not None:
        params["W2"] = np.asarray(W2, np.float64)
    x = sample_batch(cfg, batch, seed).astype(np.float64)
    out = models.forward(cfg.model, params, x)
    err = imp[:, None, :] * (target_of(cfg, x) - out) ** 2
    return err.mean(axis=2)


def init_weights(cfg: ToyConfig) -> dict[str, np.ndarray]:
    """The initial weights of every trained copy (instances x seeds), as core.models draws them."""
    return models.init_params(cfg, cfg.n_instances * cfg.n_seeds, cfg.seed)


def gaps_degrees(W: np.ndarray) -> np.ndarray:
    """Angles between angularly consecutive feature directions of one 2-D instance [n, 2]."""
    ang = np.sort(np.degrees(np.arctan2(W[:, 1], W[:, 0])) % 360)
    return np.diff(np.append(ang, ang[0] + 360))


# ---- results from the paper ---------------------------------------------------------


@pytest.fixture(scope="module")
def dense_5_in_2():
    cfg = ToyConfig(n_features=5, n_hidden=2, importance=0.9, feature_probability=1.0, steps=10_000)
    return train(cfg)


def test_dense_5_in_2_loss_is_the_closed_form(dense_5_in_2) -> None:
    r = dense_5_in_2
    expected = sum(0.9**i / 12 for i in range(2, 5)) / 5
    np.testing.assert_allclose(theory.dense_relu_loss(0.9 ** np.arange(5), 2), expected)
    # The trained model's loss, measured precisely on 2^20 fresh samples through core.models.
    losses = per_sample_losses(r.config, r.W, r.b, None, 2**20)[0]
    assert abs(losses.mean() / expected - 1) < 0.01, (losses.mean(), expected)
    # The run's own evaluation (cfg.eval_batch_size samples) agrees within its Monte-Carlo error.
    se = losses.std() / np.sqrt(r.config.eval_batch_size)
    assert abs(r.loss[0] - losses.mean()) < SIGMAS * se, (r.loss[0], losses.mean(), se)


def test_dense_5_in_2_is_pca(dense_5_in_2) -> None:
    """Dense: the two most important features get orthogonal unit directions; the rest are dropped, b = E[x] = 1/2."""
    W, b = dense_5_in_2.W[0], dense_5_in_2.b[0]
    norms = analysis.feature_norms(W)
    np.testing.assert_allclose(norms[:2], 1.0, atol=0.05)
    assert np.all(norms[2:] < 0.1), norms
    assert abs(W[0] @ W[1]) / (norms[0] * norms[1]) < 0.05
    np.testing.assert_allclose(b[2:], 0.5, atol=0.03)
    np.testing.assert_allclose(b[:2], 0.0, atol=0.03)


def test_linear_model_reaches_the_closed_form_at_every_density() -> None:
    dens = np.array([1.0, 0.3, 0.1, 0.03])
    n, m = 20, 5
    cfg = ToyConfig(model="linear", n_features=n, n_hidden=m, importance=0.7, feature_probability=dens)
    r = train(cfg)
    imp = 0.7 ** np.arange(n)
    optimum = theory.linear_optimal_loss(dens[:, None], imp, m)
    np.testing.assert_allclose(optimum, [sum(imp[m:] * (p / 3 - p**2 / 4)) / n for p in dens])
    # The exact expected loss of the trained weights (no sampling noise) is within 2% of the optimum...
    exact = theory.linear_expected_loss(r.W, r.b, dens[:, None], imp)
    np.testing.assert_allclose(exact, optimum, rtol=0.02)
    # ...and the run's evaluation loss is that value within its Monte-Carlo error.
    sd = per_sample_losses(cfg, r.W, r.b, None, 2**15).std(axis=1)
    assert np.all(np.abs(r.loss - exact) < SIGMAS * sd / np.sqrt(cfg.eval_batch_size)), (r.loss, exact)
    # Exactly the top-m features are represented, at every density (PCA).
    norms = analysis.feature_norms(r.W)
    assert np.all(norms[:, :m] > 0.5) and np.all(norms[:, m:] < 0.5), norms.round(2)


def test_linear_keeps_the_features_with_most_weighted_variance_per_instance() -> None:
    """Per-instance [instances, n] importance and density: each instance keeps its own top-m by I_i Var(x_i)."""
    imp = np.array([[1.0, 1.0, 0.1, 0.1], [0.1, 0.1, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]])
    dens = np.array([[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0], [0.05, 0.05, 1.0, 1.0]])
    cfg = ToyConfig(model="linear", n_features=4, n_hidden=2, importance=imp, feature_probability=dens)
    r = train(cfg)
    kept = analysis.feature_norms(r.W) > 0.5
    np.testing.assert_array_equal(kept, [[1, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]])
    exact = theory.linear_expected_loss(r.W, r.b, dens, imp)
    np.testing.assert_allclose(exact, theory.linear_optimal_loss(dens, imp, 2), rtol=0.02)


@pytest.mark.parametrize("seed", [0, 1])
def test_sparse_5_in_2_is_a_pentagon(seed: int) -> None:
    """Sparse: all five features are represented as a regular pentagon, norms a bit above 1, negative biases.

    Two densities, two instances each and best-of-2 seeds, for two seeds: eight independent pentagons.
    """
    dens = [0.05, 0.05, 0.02, 0.02]
    cfg = ToyConfig(n_features=5, n_hidden=2, importance=0.9, feature_probability=dens, n_seeds=2, seed=seed)
    r = train(cfg)
    for k in range(len(dens)):
        norms = analysis.feature_norms(r.W[k])
        assert np.all(norms > 1.0) and np.all(norms < 1.5), (k, norms)
        gaps = gaps_degrees(r.W[k])
        assert np.all(np.abs(gaps - 72) < 10), (k, gaps)
        assert np.all(r.b[k] < 0), (k, r.b[k])


def test_absolute_value_model_learns() -> None:
    """n=3, m=6, dense: ReLU(x) + ReLU(-x) per feature computes |x| exactly, so the loss can go to ~0."""
    cfg = ToyConfig(model="abs", n_features=3, n_hidden=6, importance=1.0, feature_probability=1.0, n_seeds=3)
    r = train(cfg)
    untrained = theory.untrained_loss(1.0, np.ones(3))
    np.testing.assert_allclose(untrained, 1 / 3)
    assert r.loss[0] < 0.01 * untrained, r.loss
    assert np.all(r.seed_losses < 0.5 * untrained), r.seed_losses
    assert r.W2 is not None and not np.array_equal(r.W, r.W2)


# ---- the loss the trainer measures ------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_zero_model_loss_is_the_untrained_closed_form(model: str) -> None:
    """With W = 0 and b = 0 every output is 0, so the loss is mean_i I_i E[x_i^2] = mean_i I_i p/3.

    Per-instance densities, an [instances, n] importance and best-of-2 seeds check the instance layout too.
    """
    dens = np.array([1.0, 0.3, 0.05])
    imp = np.array([[1.0, 0.5, 0.25, 2.0], [3.0, 1.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0]])
    n_hidden = 2 if registry.get(model).tied else 8
    cfg = ToyConfig(model=model, n_features=4, n_hidden=n_hidden, feature_probability=dens, importance=imp, n_seeds=2)
    trainer = Trainer(cfg)
    trainer.We[:] = 0.0
    trainer.b[:] = 0.0
    got = trainer.evaluate().reshape(2, 3)
    expected = theory.untrained_loss(dens[:, None], imp)
    # Var(x^2) = p/5 - p^2/9 for a feature that is U[0, 1] (or U[-1, 1]) with probability p
    var = (imp**2 * (dens[:, None] / 5 - dens[:, None] ** 2 / 9)).sum(axis=1) / 4**2
    tol = SIGMAS * np.sqrt(var / cfg.eval_batch_size)
    assert np.all(np.abs(got - expected) < tol), (got, expected, tol)


@pytest.mark.parametrize("model", MODELS)
def test_evaluate_at_init_matches_the_readable_model(model: str) -> None:
    """The kernel's loss of the initial weights agrees with core.models on core.data samples (independent samples)."""
    n_hidden = 3 if registry.get(model).tied else 6
    cfg = ToyConfig(model=model, n_features=6, n_hidden=n_hidden, feature_probability=[1.0, 0.1], importance=0.8)
    trainer = Trainer(cfg)
    kernel = trainer.evaluate()
    w = init_weights(cfg)
    losses = per_sample_losses(cfg, w["W"], w["b"], w.get("W2"), 2**17)
    sd = losses.std(axis=1)
    tol = SIGMAS * sd * np.sqrt(1 / cfg.eval_batch_size + 1 / losses.shape[1])
    assert np.all(np.abs(kernel - losses.mean(axis=1)) < tol), (kernel, losses.mean(axis=1), tol)


@pytest.mark.parametrize("model", MODELS)
def test_first_training_loss_is_the_readable_loss_of_the_kernel_batch(model: str) -> None:
    """Step 0's recorded loss is the loss of the initial weights on exactly the batch kernel_batch returns."""
    n_hidden = 3 if registry.get(model).tied else 6
    cfg = ToyConfig(
        model=model,
        n_features=6,
        n_hidden=n_hidden,
        feature_probability=[1.0, 0.2],
        importance=[1.0, 0.5, 2.0, 0.0, 1.0, 0.3],
        steps=1,
        batch_size=512,
    )
    r = train(cfg)
    _, imp = cfg.broadcast()
    params = {k: v.astype(np.float64) for k, v in init_weights(cfg).items()}
    x = kernel_batch(cfg, cfg.batch_size, step=0).astype(np.float64)
    expected = models.loss_per_instance(model, params, x, target_of(cfg, x), imp)
    np.testing.assert_allclose(r.loss_history[0], expected, rtol=1e-4)


# ---- mechanics of a run -------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_result_shapes(model: str) -> None:
    n, m = 6, (3 if registry.get(model).tied else 6)
    imp = np.array([[1.0] * 6, [0.9**i for i in range(6)], [2.0, 1.0, 1.0, 0.5, 0.5, 0.0]])
    cfg = ToyConfig(
        model=model, n_features=n, n_hidden=m, feature_probability=[1.0, 0.3, 0.05], importance=imp, steps=20
    )
    cfg = cfg.with_(n_seeds=2)
    r = train(cfg)
    assert r.config is cfg
    assert r.W.shape == (3, n, m) and r.b.shape == (3, n) and r.loss.shape == (3,)
    assert r.loss_history.shape == (20, 3)
    assert r.seed_losses.shape == (2, 3) and r.best_seed.shape == (3,)
    if not registry.get(model).tied:
        assert r.W2 is not None and r.W2.shape == (3, n, m)
    else:
        assert r.W2 is None
    assert r.steps_done == 20 and not r.diverged and not r.stopped and r.snapshots == []
    for arr in (r.W, r.b, r.loss, r.loss_history):
        assert np.all(np.isfinite(arr))
    # One importance row shared by every instance broadcasts too.
    r1 = train(ToyConfig(model=model, n_features=n, n_hidden=m, feature_probability=[1.0, 0.3], steps=5))
    assert r1.W.shape == (2, n, m) and r1.loss_history.shape == (5, 2)


def test_same_seed_same_run_and_threads_do_not_matter() -> None:
    cfg = ToyConfig(n_features=6, n_hidden=2, importance=0.9, feature_probability=[1.0, 0.3, 0.1, 0.03], steps=2000)
    a, b, c = train(cfg, threads=1), train(cfg, threads=2), train(cfg, threads=2)
    for r in (b, c):
        np.testing.assert_array_equal(a.W, r.W)
        np.testing.assert_array_equal(a.b, r.b)
        np.testing.assert_array_equal(a.loss, r.loss)
        np.testing.assert_array_equal(a.loss_history, r.loss_history)
    d = train(cfg.with_(seed=1), threads=2)
    assert not np.array_equal(a.W, d.W)
    assert not np.array_equal(a.loss_history, d.loss_history)


def test_best_of_n_keeps_the_lowest_loss_seed() -> None:
    cfg = ToyConfig(n_features=5, n_hidden=2, importance=0.9, feature_probability=[0.3, 0.05, 0.01], n_seeds=4)
    cfg = cfg.with_(steps=1000)
    trainer = Trainer(cfg)
    trainer.run()
    r = trainer.result()
    assert r.seed_losses.shape == (4, 3)
    assert len({tuple(row) for row in r.seed_losses}) == 4, "seeds should start from different weights"
    np.testing.assert_array_equal(r.loss, r.seed_losses.min(axis=0))
    np.testing.assert_array_equal(r.best_seed, r.seed_losses.argmin(axis=0))
    np.testing.assert_array_equal(r.seed_losses.reshape(-1), trainer.evaluate())
    # The kept weights and history are those of the chosen seed (copies are laid out seed-major).
    pick = r.best_seed * 3 + np.arange(3)
    np.testing.assert_array_equal(r.W, trainer.We[pick])
    np.testing.assert_array_equal(r.b, trainer.b[pick])
    np.testing.assert_array_equal(r.loss_history, trainer.history[:, pick])
    # train() keeps the argmin too
    r2 = train(cfg.with_(seed=5))
    np.testing.assert_array_equal(r2.loss, r2.seed_losses.min(axis=0))
    np.testing.assert_array_equal(r2.best_seed, r2.seed_losses.argmin(axis=0))


def test_snapshots() -> None:
    cfg = ToyConfig(n_features=5, n_hidden=2, feature_probability=[1.0, 0.05], n_seeds=2, steps=1000)
    r = train(cfg.with_(snapshot_every=100))
    assert [s for s, _, _ in r.snapshots] == list(range(0, 1001, 100))
    for _, W, b in r.snapshots:
        assert W.shape == (2, 5, 2) and b.shape == (2, 5)
    pick = r.best_seed * 2 + np.arange(2)
    np.testing.assert_array_equal(r.snapshots[0][1], init_weights(cfg)["W"][pick])
    np.testing.assert_array_equal(r.snapshots[0][2], 0.0)
    np.testing.assert_array_equal(r.snapshots[-1][1], r.W)
    np.testing.assert_array_equal(r.snapshots[-1][2], r.b)
    assert not np.array_equal(r.snapshots[1][1], r.snapshots[2][1])
    # Snapshots do not change the run.
    plain = train(cfg)
    np.testing.assert_array_equal(plain.W, r.W)
    np.testing.assert_array_equal(plain.loss_history, r.loss_history)
    # When steps is not a multiple of k, the last snapshot is the last multiple.
    r = train(cfg.with_(steps=1050, snapshot_every=100))
    assert [s for s, _, _ in r.snapshots] == list(range(0, 1001, 100))
    assert not np.array_equal(r.snapshots[-1][1], r.W)


def test_progress_and_should_stop() -> None:
    cfg = ToyConfig(n_features=5, n_hidden=2, feature_probability=0.1, steps=1000)
    seen: list[int] = []
    r = train(cfg, progress=lambda t: seen.append(t.step))
    assert len(seen) >= 2 and seen == sorted(set(seen)) and seen[-1] == cfg.steps
    assert r.steps_done == cfg.steps and not r.stopped

    calls: list[int] = []
    r = train(cfg, progress=lambda t: calls.append(t.step), should_stop=lambda: len(calls) >= 1)
    assert r.stopped and not r.diverged
    assert 0 < r.steps_done < cfg.steps and r.steps_done == calls[-1]
    assert r.loss_history.shape == (r.steps_done, 1) and np.all(np.isfinite(r.loss_history))
    assert np.all(np.isfinite(r.loss)) and np.all(np.isfinite(r.W))

    r = train(cfg, should_stop=lambda: True)
    assert r.stopped and r.steps_done == 0 and r.loss_history.shape == (0, 1)
    np.testing.assert_array_equal(r.W, init_weights(cfg)["W"])


def test_advance_never_passes_the_end() -> None:
    trainer = Trainer(ToyConfig(n_features=4, n_hidden=2, steps=30))
    assert trainer.advance(20) == 20 and trainer.step == 20 and not trainer.done
    assert trainer.advance(20) == 10 and trainer.step == 30 and trainer.done
    assert trainer.advance(5) == 0 and trainer.step == 30


@pytest.mark.parametrize("schedule", ["constant", "linear", "cosine"])
def test_lr_schedules(schedule: str) -> None:
    cfg = ToyConfig(lr=0.01, steps=10_000, lr_schedule=schedule)
    lrs = lr_at(cfg, np.arange(cfg.steps))
    assert lrs.shape == (cfg.steps,)
    assert lrs[0] == pytest.approx(0.01)
    assert np.all(np.diff(lrs) <= 1e-15) and np.all(lrs >= 0)
    if schedule == "constant":
        np.testing.assert_array_equal(lrs, 0.01)
    else:
        assert lrs[-1] < 1e-3 * cfg.lr  # reaches ~0 at the end
        assert lrs[cfg.steps // 2] == pytest.approx(cfg.lr / 2)  # both schedules are half-way at half time


@pytest.mark.parametrize("schedule", ["linear", "cosine"])
def test_lr_schedule_reaches_the_optimiser(schedule: str) -> None:
    """The last step of a decaying schedule barely moves the weights (Adam moves each by at most a few lr)."""
    cfg = ToyConfig(n_features=5, n_hidden=2, feature_probability=0.1, steps=1000, lr_schedule=schedule)
    trainer = Trainer(cfg)
    trainer.advance(cfg.steps - 1)
    before = trainer.We.copy()
    trainer.advance(1)
    last_lr = lr_at(cfg, np.array([cfg.steps - 1]))[0]
    assert last_lr < 1e-2 * cfg.lr
    assert np.max(np.abs(trainer.We - before)) <= 5 * last_lr + 2 * np.max(np.spacing(np.abs(before)))


# ---- divergence ---------------------------------------------------------------------------

# Adam with beta2 = 0 divides by the current gradient's size alone, so a tiny gradient after large ones
# makes a huge step; at lr 10 the ReLU model blows up to inf/NaN within a few hundred steps.
BLOWUP = ToyConfig(n_features=5, n_hidden=2, importance=0.9, lr=10.0, betas=(0.9, 0.0), steps=2000)


@pytest.mark.parametrize("seed", range(5))
def test_divergence_keeps_the_last_good_weights(seed: int) -> None:
    r = train(BLOWUP.with_(seed=seed))
    assert r.diverged and not r.stopped
    assert r.steps_done < BLOWUP.steps
    assert np.all(np.isfinite(r.W)) and np.all(np.isfinite(r.b))
    assert r.loss_history.shape == (r.steps_done, 1) and np.all(np.isfinite(r.loss_history))


@pytest.mark.parametrize("seed", range(5))
def test_divergence_in_single_steps_keeps_finite_weights(seed: int) -> None:
    """Advancing one step at a time (as a live page might), the kept weights must still be finite."""
    trainer = Trainer(BLOWUP.with_(seed=seed))
    trainer.run(chunk=1)
    assert trainer.diverged and trainer.step < BLOWUP.steps
    for arr in (trainer.We, trainer.Wd, trainer.b):
        assert np.all(np.isfinite(arr)), f"seed {seed}: non-finite weights kept after divergence at {trainer.step}"
    assert trainer.advance(10) == 0, "a diverged run does not train further"
