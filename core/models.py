"""The toy models as plain torch functions, batched over a leading instances axis.

Weights use the layout [instances, n_features, n_hidden]: row i of an instance is
feature i's direction W_i (the paper's column W_i). For the untied absolute-value
model, ``W`` is the first layer and ``W2`` holds the second layer in the same layout
(row j is the hidden-to-output weights of output j).

    linear        h = W x          x' = W^T h + b
    relu_output   h = W x          x' = ReLU(W^T h + b)
    relu_hidden   h = ReLU(W x)    x' = ReLU(W^T h + b)
    abs           h = ReLU(W1 x)   y' = ReLU(W2 h + b),  target |x|

These are the readable definitions. Training uses the fused kernel in core/kernels.py,
which is checked against autograd through these functions (tests/test_gradients.py).
"""

from __future__ import annotations

import math

import torch

from core.config import ToyConfig

Params = dict[str, torch.Tensor]


def init_params(cfg: ToyConfig, n_instances: int, generator: torch.Generator) -> Params:
    """Xavier-normal weights and zero bias, drawn from ``generator``.

    Xavier's std is sqrt(2 / (fan_in + fan_out)) with fan_in = n, fan_out = m for each
    instance on its own (the reference notebook applied it to the stacked 3-D tensor,
    which lets the number of instances change the scale; we keep instances independent).
    ``cfg.init_scale`` multiplies the std (1 by default).
    """
    n, m = cfg.n_features, cfg.n_hidden
    std = cfg.init_scale * math.sqrt(2.0 / (n + m))
    params = {
        "W": torch.randn((n_instances, n, m), generator=generator) * std,
        "b": torch.zeros((n_instances, n)),
    }
    if cfg.model == "abs":
        params["W2"] = torch.randn((n_instances, n, m), generator=generator) * std
    return params


def hidden(model: str, params: Params, x: torch.Tensor) -> torch.Tensor:
    """Hidden activations h, [instances, batch, m]."""
    h = torch.einsum("kbn,knm->kbm", x, params["W"])
    return torch.relu(h) if model in ("relu_hidden", "abs") else h


def forward(model: str, params: Params, x: torch.Tensor) -> torch.Tensor:
    """The model's output x' for inputs x of shape [instances, batch, n]."""
    h = hidden(model, params, x)
    decoder = params["W2"] if model == "abs" else params["W"]
    z = torch.einsum("kbm,knm->kbn", h, decoder) + params["b"][:, None, :]
    return z if model == "linear" else torch.relu(z)


def loss_per_instance(
    model: str, params: Params, x: torch.Tensor, target: torch.Tensor, importance: torch.Tensor
) -> torch.Tensor:
    """Importance-weighted squared error, mean over batch and features: [instances]."""
    out = forward(model, params, x)
    return (importance[:, None, :] * (target - out) ** 2).mean(dim=(1, 2))
