"""The fast training kernel computes what autograd and torch.optim.AdamW compute.

Gradients: core.kernels.dense_grads (float32, hand-derived) against autograd through the
readable model definitions (tests/needs_torch/torch_models.py, the torch twin of core.models;
float64), for every model kind, on random weights and random batches with zeros in them.
Training: whole kernel steps (sampling, gradients, AdamW) against the same steps written in
torch on the exact batches the kernel drew. "Every model kind" is the paper's four and the
kinds of conftest.py the app does not ship (the ``model`` fixture registers them).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from core import kernels, registry
from core.config import ToyConfig
from core.train import Trainer
from tests.needs_torch.torch_models import loss_per_instance

TOL = 1e-4  # relative error allowed for float32 against float64


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(a, np.float64) - b) / max(np.linalg.norm(b), 1e-30))


def _random_problem(model: str, n: int, m: int, batch: int, seed: int):
    """A batch x with about 40% zeros (signed if the model's inputs are), weights, bias (zero if the model
    has none) and importances."""
    kind = registry.get(model)
    rng = np.random.default_rng(seed)
    x = rng.random((batch, n)) * (rng.random((batch, n)) < 0.6)
    if kind.signed:
        x = x * rng.choice([-1.0, 1.0], size=x.shape)
    W = rng.normal(0.0, 0.6, (n, m))
    W2 = None if kind.tied else rng.normal(0.0, 0.6, (n, m))
    b = rng.normal(0.0, 0.2, n) * kind.bias
    imp = rng.random(n) + 0.1
    return x, W, W2, b, imp


def _target(model: str, x: torch.Tensor) -> torch.Tensor:
    return x.abs() if registry.get(model).target == "abs" else x


def _autograd(model: str, x, W, W2, b, imp):
    """Loss and gradients in float64 through the torch twin of core.models."""
    t = {k: torch.tensor(v[None], dtype=torch.float64, requires_grad=True) for k, v in (("W", W), ("b", b))}
    if W2 is not None:
        t["W2"] = torch.tensor(W2[None], dtype=torch.float64, requires_grad=True)
    xt = torch.tensor(x[None], dtype=torch.float64)
    loss = loss_per_instance(model, t, xt, _target(model, xt), torch.tensor(imp[None], dtype=torch.float64)).sum()
    loss.backward()
    grads = {k: (v.grad if v.grad is not None else torch.zeros_like(v))[0].numpy() for k, v in t.items()}
    return loss.item(), grads


@pytest.mark.parametrize(
    ("n", "m", "batch"),
    [(5, 2, 1024), (2, 1, 77), (20, 5, 300), (13, 7, 1000), (200, 20, 1024)],
)
def test_dense_grads_match_autograd(model, n, m, batch):
    x, W, W2, b, imp = _random_problem(model, n, m, batch, seed=n * 1000 + m)
    f32 = lambda a: np.ascontiguousarray(a, dtype=np.float32)  # noqa: E731
    gW, gb = np.zeros((n, m), np.float32), np.zeros(n, np.float32)
    # Tied models get the same array for both layers and both gradients: it must receive both parts.
    We = f32(W)
    Wd, gW2 = (f32(W2), np.zeros((n, m), np.float32)) if W2 is not None else (We, gW)
    flags = registry.get(model).kernel_flags()
    loss = kernels.dense_grads(f32(x), We, Wd, f32(b), f32(imp), flags, gW, gW2, gb)

    want_loss, want = _autograd(
        model,
        x.astype(np.float32).astype(np.float64),
        We.astype(np.float64),
        None if W2 is None else Wd.astype(np.float64),
        f32(b).astype(np.float64),
        f32(imp).astype(np.float64),
    )
    assert abs(loss - want_loss) / want_loss < TOL
    assert _rel(gW, want["W"]) < TOL
    if registry.get(model).bias:  # without a bias the kernel's gb is never used (b is not trained)
        assert _rel(gb, want["b"]) < TOL
    if W2 is not None:
        assert _rel(gW2, want["W2"]) < TOL


def test_gradient_is_not_trivially_zero():
    """Guards the comparison above: the random problems have real, non-zero gradients."""
    x, W, _, b, imp = _random_problem("relu_output", 5, 2, 256, seed=1)
    _, grads = _autograd("relu_output", x, W, None, b, imp)
    assert np.linalg.norm(grads["W"]) > 1e-3 and np.linalg.norm(grads["b"]) > 1e-3


def _torch_training(cfg: ToyConfig, trainer: Trainer, steps: int):
    """The same steps as the kernel, in float64 torch: its batches, autograd, torch.optim.AdamW."""
    n, k = cfg.n_features, cfg.n_instances
    kind = registry.get(cfg.model)
    names = ("W",) + ("b",) * kind.bias + ("W2",) * (not kind.tied)
    start = {"W": trainer.We, "b": trainer.b, "W2": trainer.Wd}
    params = {name: torch.tensor(start[name], dtype=torch.float64, requires_grad=True) for name in names}
    opt = torch.optim.AdamW(params.values(), lr=cfg.lr, betas=cfg.betas, eps=cfg.eps, weight_decay=cfg.weight_decay)
    imp = torch.tensor(trainer.imp, dtype=torch.float64)
    losses = []
    for step in range(steps):
        batches = [
            kernels.sample_dense(
                trainer.keys[i], step, trainer.p_group[i], trainer.groups, kind.signed, n, cfg.batch_size
            )
            for i in range(k)
        ]
        x = torch.tensor(np.stack(batches), dtype=torch.float64)
        loss = loss_per_instance(cfg.model, params, x, _target(cfg.model, x), imp)
        losses.append(loss.detach().numpy())
        opt.zero_grad()
        loss.sum().backward()
        opt.step()
    return {name: t.detach().numpy() for name, t in params.items()}, np.array(losses)


def test_kernel_steps_match_torch_adamw(model):
    """Three whole training steps (fresh batch, gradients, AdamW) agree with torch to 1e-5."""
    cfg = ToyConfig(
        model=model,
        n_features=7,
        n_hidden=3,
        feature_probability=[1.0, 0.3, 0.05],
        importance=0.8,
        batch_size=256,
        steps=3,
        seed=3,
    )
    trainer = Trainer(cfg, threads=1)
    want, want_losses = _torch_training(cfg, trainer, steps=3)
    for _ in range(3):
        trainer.advance(1)
    assert _rel(trainer.history, want_losses) < 1e-5
    assert _rel(trainer.We, want["W"]) < 1e-5
    kind = registry.get(model)
    if kind.bias:
        assert _rel(trainer.b, want["b"]) < 1e-5
    else:
        assert not trainer.b.any()  # a model without an output bias never moves it from zero
    if not kind.tied:
        assert _rel(trainer.Wd, want["W2"]) < 1e-5
    moved = np.abs(trainer.We - _torch_training(cfg, Trainer(cfg), steps=0)[0]["W"]).max()
    assert moved > 1e-3  # three steps of lr 1e-3 really changed the weights


def test_models_numpy_equals_torch(model):
    """core.models (numpy, used by the app) and its torch twin give the same outputs and losses."""
    from core import models as np_models
    from tests.needs_torch import torch_models

    rng = np.random.default_rng(5)
    x = np.where(rng.random((3, 64, 7)) < 0.3, rng.random((3, 64, 7)), 0.0)
    params = {"W": rng.normal(size=(3, 7, 4)), "b": rng.normal(size=(3, 7)) * 0.1}
    if not registry.get(model).tied:
        params["W2"] = rng.normal(size=(3, 7, 4))
    imp = rng.random((3, 7))
    tparams = {k: torch.from_numpy(v) for k, v in params.items()}
    xt = torch.from_numpy(x)
    np.testing.assert_allclose(
        np_models.forward(model, params, x), torch_models.forward(model, tparams, xt).numpy(), rtol=1e-12, atol=1e-12
    )
    expected = torch_models.loss_per_instance(model, tparams, xt, xt.abs(), torch.from_numpy(imp)).numpy()
    np.testing.assert_allclose(np_models.loss_per_instance(model, params, x, np.abs(x), imp), expected, rtol=1e-12)
