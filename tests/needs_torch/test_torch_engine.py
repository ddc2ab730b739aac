"""The torch engine (core/torch_train.py) learns what the kernel learns, from the same ToyConfig.

The two engines start from the same weights but draw different batches, so their final losses
differ by training noise. We measure that noise rather than guess it: the kernel is trained on
STREAMS independent batch streams (same start, other random keys), and the torch engine's
final loss must lie within Z standard deviations of their mean. Every loss is measured on one
shared evaluation batch of 2^16 core.data samples (common random numbers), so evaluation noise
does not enter. With 8 streams, |t| > 6 has probability ~0.001 at 7 degrees of freedom.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from core import models, torch_models
from core.config import ToyConfig
from core.data import sample_batch, target_of
from core.train import DeviceUnavailableError, Trainer, TrainResult, _keys, check_engine, train
from ui.code import model_source

STREAMS, Z = 8, 6.0


def _config(model: str, seed: int, **changes) -> ToyConfig:
    base = dict(n_features=6, n_hidden=3, feature_probability=[1.0, 0.3, 0.1], importance=0.8)
    base |= dict(steps=1000, batch_size=256, lr=1e-2, seed=seed)
    return ToyConfig(model=model, **(base | changes))


def _eval(cfg: ToyConfig, r: TrainResult) -> np.ndarray:
    x = sample_batch(cfg, 1 << 16, seed=99).astype(np.float64)
    params = {"W": r.W.astype(np.float64), "b": r.b.astype(np.float64)}
    if r.W2 is not None:
        params["W2"] = r.W2.astype(np.float64)
    return models.loss_per_instance(cfg.model, params, x, target_of(cfg, x), cfg.broadcast()[1])


def _kernel_streams(cfg: ToyConfig) -> np.ndarray:
    out = []
    for stream in range(STREAMS):
        trainer = Trainer(cfg, threads=1)
        trainer.keys = _keys(10_000 + stream, trainer.keys.shape[0], salt=0)  # other batches, same start
        trainer.run()
        out.append(_eval(cfg, trainer.result()))
    return np.array(out)


@pytest.mark.parametrize("model", ["relu_output", "linear", "relu_hidden"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_torch_engine_loss_matches_kernel(model, seed):
    cfg = _config(model, seed)
    kernel = _kernel_streams(cfg)
    result = train(cfg, engine="torch", device="cpu")
    ours = _eval(cfg, result)
    spread = kernel.std(axis=0, ddof=1) * np.sqrt(1 + 1 / STREAMS)
    assert np.all(np.abs(ours - kernel.mean(axis=0)) <= Z * spread), (ours, kernel.mean(axis=0), spread)
    assert result.steps_done == cfg.steps and result.loss_history.shape == (cfg.steps, 3)
    assert np.all(result.loss_history[-50:].mean(axis=0) < 0.5 * result.loss_history[:5].mean(axis=0))


def test_torch_engine_untied_best_of_n_and_snapshots():
    """The absolute-value model: W2 returned, best-of-N keeps the lowest evaluation loss, snapshots recorded."""
    cfg = _config("abs", 0, n_seeds=3, snapshot_every=250, feature_probability=[0.3, 0.1])
    result = train(cfg, engine="torch")
    assert result.W.shape == result.W2.shape == (2, 6, 3)
    assert result.seed_losses.shape == (3, 2)
    np.testing.assert_array_equal(result.loss, result.seed_losses.min(axis=0))
    np.testing.assert_array_equal(result.best_seed, result.seed_losses.argmin(axis=0))
    assert [s for s, _, _ in result.snapshots] == [0, 250, 500, 750, 1000]
    untrained = Trainer(cfg).evaluate().reshape(3, 2).min(axis=0)
    assert np.all(result.loss < 0.7 * untrained), (result.loss, untrained)
    # |x| has local minima, so the noise test above does not apply; the best of 3 seeds still lands
    # within 10 % of the kernel's best of 3 (measured: within 3 %).
    np.testing.assert_allclose(result.loss, train(cfg).loss, rtol=0.1)


def test_torch_sampler_has_the_data_distribution():
    """Densities, value range and anticorrelated sets as core/data.py defines them."""
    import torch

    from core.data import feature_groups
    from core.torch_train import sample

    cfg = ToyConfig(n_features=6, feature_probability=0.3, feature_sets=(("anticorrelated", 3),))
    groups = [tuple(int(v) for v in g) for g in zip(*feature_groups(cfg))]
    gen = torch.Generator().manual_seed(0)
    x = sample(torch.full((1, 6), 0.3), groups, False, 40_000, gen)[0].numpy()
    assert np.all((x >= 0) & (x <= 1))
    np.testing.assert_allclose((x[:, 3:] > 0).mean(axis=0), 0.3, atol=0.01)  # independent features
    np.testing.assert_allclose((x[:, :3] > 0).mean(axis=0), 0.1, atol=0.01)  # one of three, when the set is on
    assert (x[:, :3] > 0).sum(axis=1).max() == 1
    signed = sample(torch.full((1, 6), 0.5), groups[3:], True, 40_000, gen)[0, :, 3:].numpy()
    assert abs((signed[signed != 0] < 0).mean() - 0.5) < 0.02


def test_bad_engine_and_device_names_raise():
    cfg = _config("relu_output", 0, steps=5)
    with pytest.raises(ValueError, match=r"engine must be one of \('kernel', 'torch'\)"):
        train(cfg, engine="jax")
    with pytest.raises(ValueError, match="kernel engine runs on the CPU only"):
        check_engine("kernel", "cuda")
    with pytest.raises(ValueError, match="device must be one of"):
        train(cfg, engine="torch", device="gpu-please")
    with pytest.raises(ValueError, match="device must be one of"):
        train(cfg, engine="torch", device="meta")


def test_missing_gpu_raises_device_unavailable(monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)  # as on a machine without a GPU
    with pytest.raises(DeviceUnavailableError, match="no CUDA GPU"):
        train(_config("relu_output", 0, steps=5), engine="torch", device="cuda")


@pytest.mark.parametrize("name", ["linear", "relu_output", "relu_hidden", "abs"])
def test_page_code_is_the_class_source(name):
    """ui.code reads the class from the file as text; it is exactly what inspect sees in the module."""
    cls = torch_models.MODEL_CLASSES[name]
    assert model_source(name) == inspect.getsource(cls).rstrip("\n")
