"""The fast training kernel computes what autograd and torch.optim.AdamW compute.

Gradients: core.kernels.dense_grads (float32, hand-derived) against autograd through the
readable PyTorch modules of core/torch_models.py (float64), for every model kind, on random weights and random batches with zeros in them.
Training: whole kernel steps (sampling, gradients, AdamW) against the same steps written in
torch on the exact batches the kernel drew. "Every model kind" is the paper's four and the
kinds of conftest.py the app does not ship (the ``model`` fixture registers them).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from core import kernels, registry, torch_models
from core.config import ToyConfig
from core.train import Trainer

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


def _module(model: str, params: dict[str, np.ndarray]) -> torch.nn.Module:
    """The core.torch_models module of ``model`` in float64, holding ``params`` ([instances, ...] arrays)."""
    n_inst, n, m = params["W"].shape
    module = torch_models.make_model(model, n_inst, n, m).double()
    return torch_models.load_params(module, params)


def _autograd(model: str, x, W, W2, b, imp):
    """Loss and gradients in float64 through the model's nn.Module (core.torch_models)."""
    params = {"W": W[None], "b": b[None]} | ({} if W2 is None else {"W2": W2[None]})
    module = _module(model, params)
    xt = torch.tensor(x[None], dtype=torch.float64)
    target = torch_models.target_of(model, xt)
    loss = torch_models.loss_per_instance(module, xt, target, torch.tensor(imp[None], dtype=torch.float64)).sum()
    loss.backward()
    grads = {}
    for name in params:
        t = getattr(module, name)
        grads[name] = (t.grad if t.grad is not None else torch.zeros_like(t))[0].numpy()
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
    """The same steps as the kernel, in float64 torch: its batches, the nn.Module, torch.optim.AdamW."""
    n, k = cfg.n_features, cfg.n_instances
    kind = registry.get(cfg.model)
    start = {"W": trainer.We, "b": trainer.b} | ({} if kind.tied else {"W2": trainer.Wd})
    module = _module(cfg.model, start)
    opt = torch.optim.AdamW(module.parameters(), lr=cfg.lr, betas=cfg.betas, eps=cfg.eps, weight_decay=cfg.weight_decay)
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
        loss = torch_models.loss_per_instance(module, x, torch_models.target_of(cfg.model, x), imp)
        losses.append(loss.detach().numpy())
        opt.zero_grad()
        loss.sum().backward()
        opt.step()
    return {name: getattr(module, name).detach().numpy() for name in start}, np.array(losses)


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


def _params(model: str, seed: int, k: int = 3, n: int = 7, m: int = 4) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    kind = registry.get(model)
    params = {"W": rng.normal(size=(k, n, m)), "b": rng.normal(size=(k, n)) * 0.1 * kind.bias}
    if not kind.tied:
        params["W2"] = rng.normal(size=(k, n, m))
    return params


def test_models_numpy_equals_torch(model):
    """core.models (numpy, used by the app) and the torch modules give the same outputs and losses."""
    from core import models as np_models

    rng = np.random.default_rng(5)
    x = np.where(rng.random((3, 64, 7)) < 0.3, rng.random((3, 64, 7)), 0.0)
    params = _params(model, seed=6)
    imp = rng.random((3, 7))
    module, xt = _module(model, params), torch.from_numpy(x)
    with torch.no_grad():
        np.testing.assert_allclose(np_models.forward(model, params, x), module(xt).numpy(), rtol=1e-12, atol=1e-12)
        expected = torch_models.loss_per_instance(module, xt, xt.abs(), torch.from_numpy(imp)).numpy()
    np.testing.assert_allclose(np_models.loss_per_instance(model, params, x, np.abs(x), imp), expected, rtol=1e-12)


@pytest.mark.parametrize("name", sorted(torch_models.MODEL_CLASSES))
def test_paper_classes_compute_their_registered_kind(name):
    """The hand-written classes learners read compute what core/registry.py declares for their kind.

    Compared with the generic ToyModel built from the registry record, on signed inputs so that
    every activation's negative side is exercised; the parameters must also be the same set.
    """
    params = _params(name, seed=len(name))
    paper = _module(name, params)
    generic = torch_models.load_params(torch_models.ToyModel(registry.get(name), 3, 7, 4).double(), params)
    x = torch.from_numpy(np.random.default_rng(1).uniform(-1, 1, (3, 50, 7)))
    with torch.no_grad():
        np.testing.assert_allclose(paper(x).numpy(), generic(x).numpy(), rtol=1e-12, atol=1e-12)
        assert paper(x).abs().max() > 0.1  # not a trivially zero output
    assert sorted(n for n, _ in paper.named_parameters()) == sorted(n for n, _ in generic.named_parameters())


def test_unknown_model_name_raises():
    with pytest.raises(ValueError, match="model must be one of"):
        torch_models.make_model("no_such_model", 1, 3, 2)
