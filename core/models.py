"""The toy models as plain numpy functions, batched over a leading instances axis.

Weights use the layout [instances, n_features, n_hidden]: row i of an instance is
feature i's direction W_i (the paper's column W_i). For the untied absolute-value
model, ``W`` is the first layer and ``W2`` holds the second layer in the same layout
(row j is the hidden-to-output weights of output j).

    linear        h = W x          x' = W^T h + b
    relu_output   h = W x          x' = ReLU(W^T h + b)
    relu_hidden   h = ReLU(W x)    x' = ReLU(W^T h + b)
    abs           h = ReLU(W1 x)   y' = ReLU(W2 h + b),  target |x|

These are the readable definitions. Training uses the fused kernel in core/kernels.py,
which is checked against autograd on a line-for-line torch copy of these functions
(tests/needs_torch/torch_models.py, tests/needs_torch/test_gradients.py).
"""

from __future__ import annotations

import math

import numpy as np

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
    if cfg.model == "abs":
        params["W2"] = (rng.standard_normal((n_instances, n, m)) * std).astype(np.float32)
    return params


def relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0)


def hidden(model: str, params: Params, x: np.ndarray) -> np.ndarray:
    """Hidden activations h, [instances, batch, m]."""
    h = np.einsum("kbn,knm->kbm", x, params["W"])
    return relu(h) if model in ("relu_hidden", "abs") else h


def forward(model: str, params: Params, x: np.ndarray) -> np.ndarray:
    """The model's output x' for inputs x of shape [instances, batch, n]."""
    h = hidden(model, params, x)
    decoder = params["W2"] if model == "abs" else params["W"]
    z = np.einsum("kbm,knm->kbn", h, decoder) + params["b"][:, None, :]
    return z if model == "linear" else relu(z)


def loss_per_instance(
    model: str, params: Params, x: np.ndarray, target: np.ndarray, importance: np.ndarray
) -> np.ndarray:
    """Importance-weighted squared error, mean over batch and features: [instances]."""
    out = forward(model, params, x)
    return (importance[:, None, :] * (target - out) ** 2).mean(axis=(1, 2))
