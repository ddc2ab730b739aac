"""A model kind the app does not ship works end to end once it is registered, and only then.

conftest.py declares the kinds (core.registry.ModelKind records, nothing else). Their gradients
and optimiser steps are checked against autograd in test_gradients.py (its ``model`` fixture
includes them); here they train with core.train.train, and the kernel's losses agree with the
readable numpy definition (core.models) on fresh samples from core.data.
"""

from __future__ import annotations

import numpy as np
import pytest

from core import models, registry
from core.config import ToyConfig
from core.data import sample_batch, target_of
from core.train import Trainer, train
from tests.needs_torch.conftest import EXTRA

SIGMAS = 5.0


def _config(model: str, seed: int) -> ToyConfig:
    return ToyConfig(
        model=model,
        n_features=6,
        n_hidden=3,
        feature_probability=[1.0, 0.3, 0.1],
        importance=0.8,
        steps=1500,
        batch_size=256,
        lr=1e-2,
        seed=seed,
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_unshipped_kind_trains(extra_model, seed):
    kind = registry.get(extra_model)
    cfg = _config(extra_model, seed)
    before = Trainer(cfg).evaluate()  # the untrained weights, on the same evaluation batch
    result = train(cfg)
    assert not result.diverged and result.steps_done == cfg.steps
    assert np.all(result.loss < 0.6 * before), (result.loss, before)
    assert (result.W2 is None) == kind.tied
    if not kind.bias:
        assert not result.b.any()
    else:
        assert np.abs(result.b).max() > 1e-3  # the bias did train


def test_kernel_loss_is_the_numpy_models_loss(extra_model):
    """The trained weights' kernel loss matches core.models on 2^16 fresh core.data samples (5 standard errors)."""
    cfg = _config(extra_model, seed=0)
    result = train(cfg)
    params = {"W": result.W.astype(np.float64), "b": result.b.astype(np.float64)}
    if result.W2 is not None:
        params["W2"] = result.W2.astype(np.float64)
    x = sample_batch(cfg, 1 << 16, seed=5).astype(np.float64)
    _, imp = cfg.broadcast()
    per_sample = (imp[:, None, :] * (target_of(cfg, x) - models.forward(extra_model, params, x)) ** 2).mean(axis=2)
    mean, se = per_sample.mean(axis=1), per_sample.std(axis=1) / np.sqrt(per_sample.shape[1])
    # The kernel's own evaluation batch is another sample: allow both samples' errors.
    assert np.all(np.abs(result.loss - mean) < SIGMAS * np.sqrt(2) * se), (result.loss, mean, se)


def test_signed_kind_draws_signed_inputs():
    """The signed-input flag reaches both samplers (core.data and the kernel's), independently of the target."""
    from core.train import kernel_batch

    with registry.registered(EXTRA["test_signed_untied"]) as kind:
        cfg = ToyConfig(model=kind.name, n_features=4, n_hidden=2, feature_probability=0.5)
        for x in (sample_batch(cfg, 4096, seed=1), kernel_batch(cfg, 4096)):
            active = x[x != 0]
            assert abs((active < 0).mean() - 0.5) < 0.03
        assert np.array_equal(target_of(cfg, x), x)  # signed inputs, but the target is x itself


def test_config_accepts_a_kind_only_while_registered():
    kind = EXTRA["test_sigmoid_output"]
    with pytest.raises(ValueError, match="model must be one of"):
        ToyConfig(model=kind.name)
    with registry.registered(kind):
        assert ToyConfig(model=kind.name).model == kind.name
    with pytest.raises(ValueError, match="model must be one of"):
        ToyConfig(model=kind.name)
