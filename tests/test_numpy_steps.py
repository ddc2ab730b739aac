"""The numpy version of the kernel's step (core/numpy_steps.py), which live panels train with while the
kernel compiles on a fresh server (issue 18, item 9).

The batches must be the kernel's exactly (same counter-based bits). Training may differ only by the order of
float32 sums, so the stated tolerance: over 200 steps, every step's loss within 1e-4 relative of the kernel's
and every weight within 1e-4 (seeds 0, 1, 2; every shipped model kind and a sigmoid one). Measured: about 4e-7.
"""

from __future__ import annotations

import numpy as np
import pytest

from core import kernels, numpy_steps, registry, train
from core.config import ToyConfig
from core.train import Trainer

SEEDS = (0, 1, 2)
STEPS = 200
LOSS_RTOL = 1e-4
WEIGHT_ATOL = 1e-4
SIGMOID = registry.ModelKind("test_sigmoid_both", hidden="sigmoid", output="sigmoid", label="sigmoid")


def configs(seed: int) -> list[ToyConfig]:
    dens = [1.0, 0.3, 0.05]
    return [
        ToyConfig(model="relu_output", n_features=5, n_hidden=2, feature_probability=dens, importance=0.9, seed=seed),
        ToyConfig(model="linear", n_features=6, n_hidden=3, feature_probability=dens, seed=seed, n_seeds=2),
        ToyConfig(model="relu_hidden", n_features=7, n_hidden=3, feature_probability=0.1, seed=seed, batch_size=100),
        ToyConfig(model="abs", n_features=4, n_hidden=3, feature_probability=[0.5, 0.1], seed=seed),
        ToyConfig(
            model="relu_output",
            n_features=9,
            n_hidden=3,
            feature_probability=0.2,
            feature_sets=(("correlated", 3), ("anticorrelated", 4)),
            seed=seed,
            batch_size=200,
        ),
    ]


@pytest.mark.parametrize("seed", SEEDS)
def test_batches_are_the_kernels_bit_for_bit(seed: int) -> None:
    for cfg in configs(seed):
        t = Trainer(cfg)
        signed = bool(t.flags[registry.SIGNED])
        for step in (0, 1, 77):
            ours = numpy_steps.sample(t.keys, step, t.p_group, t.groups, signed, cfg.batch_size)
            for k, key in enumerate(t.keys):
                theirs = kernels.sample_dense(key, step, t.p_group[k], t.groups, signed, cfg.n_features, cfg.batch_size)
                np.testing.assert_array_equal(ours[k].T, theirs, err_msg=f"{cfg.model} instance {k} step {step}")


def _steps(cfg: ToyConfig, fn) -> Trainer:
    t = Trainer(cfg)
    lrs = train.lr_at(cfg, np.arange(STEPS)).astype(np.float64)
    args = (0, lrs, t.hyper, t.We, t.Wd, t.b, t.opt, t.imp, t.p_group, t.groups, t.keys, t.flags)
    fn(0, t.We.shape[0], *args, cfg.batch_size, t.Wd is t.We, t.history[:STEPS])
    return t


def _assert_same_training(cfg: ToyConfig) -> None:
    ours, theirs = _steps(cfg, numpy_steps.run_steps), _steps(cfg, kernels.run_steps)
    np.testing.assert_allclose(ours.history[:STEPS], theirs.history[:STEPS], rtol=LOSS_RTOL)
    for a, b in ((ours.We, theirs.We), (ours.Wd, theirs.Wd), (ours.b, theirs.b)):
        np.testing.assert_allclose(a, b, atol=WEIGHT_ATOL)
    assert not np.array_equal(ours.We, Trainer(cfg).We), "the weights moved"


@pytest.mark.parametrize("seed", SEEDS)
def test_training_follows_the_kernel(seed: int) -> None:
    for cfg in configs(seed):
        _assert_same_training(cfg)


def test_training_follows_the_kernel_with_sigmoids() -> None:
    with registry.registered(SIGMOID):
        for seed in SEEDS:
            _assert_same_training(
                ToyConfig(model=SIGMOID.name, n_features=5, n_hidden=2, feature_probability=0.2, seed=seed)
            )


def test_a_live_trainer_starts_in_numpy_and_hands_over_to_the_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    """While KERNEL_COMPILING is set a live trainer uses numpy; after, the kernel. The run ends where a kernel-only
    run ends (within the tolerance); a trainer not made for live panels never uses numpy."""
    calls = []
    real = numpy_steps.run_steps
    monkeypatch.setattr(numpy_steps, "run_steps", lambda *a: calls.append(len(a[3])) or real(*a))
    for seed in SEEDS:
        cfg = ToyConfig(
            n_features=5, n_hidden=2, feature_probability=[1.0, 0.1, 0.03], importance=0.9, seed=seed, steps=STEPS
        )
        live, plain, solo = Trainer(cfg, numpy_while_compiling=True), Trainer(cfg), Trainer(cfg)
        train.KERNEL_COMPILING.set()
        try:
            live.advance(60)
            plain.advance(60)
            assert live.sec_per_step_hint > plain.sec_per_step_hint  # its first chunk is sized for numpy
        finally:
            train.KERNEL_COMPILING.clear()
        live.advance(STEPS - 60)
        solo.advance(STEPS)
        np.testing.assert_allclose(live.history, solo.history, rtol=LOSS_RTOL)
        np.testing.assert_allclose(live.We, solo.We, atol=WEIGHT_ATOL)
        np.testing.assert_array_equal(plain.history[:60], solo.history[:60])  # the kernel's own, bit for bit
    assert calls == [60] * len(SEEDS)
