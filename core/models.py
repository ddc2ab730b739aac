"""The toy models as plain numpy functions, batched over a leading instances axis.

Weights use the layout [instances, n_features, n_hidden]: row i of an instance is
feature i's direction W_i (the paper's column W_i). Untied models (the absolute-value
model) keep the first layer in ``W`` and the second in ``W2``, in the same layout
(row j is the hidden-to-output weights of output j). What each model kind computes is
declared in core/registry.py:

    h = hidden(W x)            x' = output(W^T h + b)      (tied)
    h = hidden(W x)            y' = output(W2 h + b)       (untied)

with b fixed at zero for kinds without an output bias.

These are the readable definitions. Training uses the fused kernel in core/kernels.py,
which is checked against autograd on the PyTorch modules of core/torch_models.py
(tests/needs_torch/test_gradients.py); those modules are also what the torch engine trains.
"""

from __future__ import annotations

import math

import numpy as np

from core import registry
from core.config import ToyConfig
from core.data import Seed, rng_of

Params = dict[str, np.ndarray]


def init_params(cfg: ToyConfig, n_instances: int, seed: Seed) -> Params:
    """Xavier-normal weights and zero bias (float32), drawn from ``seed``.

    Xavier's std is sqrt(2 / (fan_in + fan_out)) with fan_in = n, fan_out = m for each
    instance on its own (the reference notebook applied it to the stacked 3-D tensor,
    which lets the number of instances change the scale; we keep instances independent).
    ``cfg.init_scale`` multiplies the std (1 by default).
    """
    rng = rng_of(seed)
    n, m = cfg.n_features, cfg.n_hidden
    std = cfg.init_scale * math.sqrt(2.0 / (n + m))
    params = {
        "W": (rng.standard_normal((n_instances, n, m)) * std).astype(np.float32),
        "b": np.zeros((n_instances, n), dtype=np.float32),
    }
    if not registry.get(cfg.model).tied:
        params["W2"] = (rng.standard_normal((n_instances, n, m)) * std).astype(np.float32)
    return params


def hidden(model: str, params: Params, x: np.ndarray) -> np.ndarray:
    """Hidden activations h, [instances, batch, m]."""
    h = np.matmul(x, params["W"])  # [k, b, n] @ [k, n, m]: batched BLAS, several times faster than einsum here
    return registry.get(model).activate("hidden", h)


def forward(model: str, params: Params, x: np.ndarray) -> np.ndarray:
    """The model's output x' for inputs x of shape [instances, batch, n]."""
    kind = registry.get(model)
    h = hidden(model, params, x)
    decoder = params["W"] if kind.tied else params["W2"]
    z = np.matmul(h, decoder.transpose(0, 2, 1))  # [k, b, m] @ [k, m, n]
    if kind.bias:
        z = z + params["b"][:, None, :]
    return kind.activate("output", z)


def loss_per_instance(
    model: str, params: Params, x: np.ndarray, target: np.ndarray, importance: np.ndarray
) -> np.ndarray:
    """Importance-weighted squared error, mean over batch and features: [instances]."""
    out = forward(model, params, x)
    return (importance[:, None, :] * (target - out) ** 2).mean(axis=(1, 2))
