"""The toy models as torch functions: a line-for-line copy of core.models, for autograd.

core.models is numpy (the app needs no torch). These torch twins exist so the tests can
differentiate the readable definitions with autograd; test_models_numpy_equals_torch checks
that both compute the same losses, so a gradient check here is a check of core.models.
"""

from __future__ import annotations

import torch

Params = dict[str, torch.Tensor]


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
