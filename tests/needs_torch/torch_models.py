"""The toy models as torch functions: a line-for-line copy of core.models, for autograd.

core.models is numpy (the app needs no torch). These torch twins exist so the tests can
differentiate the readable definitions with autograd; test_models_numpy_equals_torch checks
that both compute the same losses, so a gradient check here is a check of core.models.
Like core.models, they read what a model computes from core.registry.
"""

from __future__ import annotations

import torch

from core import registry

Params = dict[str, torch.Tensor]

ACTIVATIONS = {"none": lambda z: z, "relu": torch.relu, "sigmoid": torch.sigmoid}


def hidden(model: str, params: Params, x: torch.Tensor) -> torch.Tensor:
    """Hidden activations h, [instances, batch, m]."""
    h = torch.einsum("kbn,knm->kbm", x, params["W"])
    return ACTIVATIONS[registry.get(model).hidden](h)


def forward(model: str, params: Params, x: torch.Tensor) -> torch.Tensor:
    """The model's output x' for inputs x of shape [instances, batch, n]."""
    kind = registry.get(model)
    h = hidden(model, params, x)
    decoder = params["W"] if kind.tied else params["W2"]
    z = torch.einsum("kbm,knm->kbn", h, decoder)
    if kind.bias:
        z = z + params["b"][:, None, :]
    return ACTIVATIONS[kind.output](z)


def loss_per_instance(
    model: str, params: Params, x: torch.Tensor, target: torch.Tensor, importance: torch.Tensor
) -> torch.Tensor:
    """Importance-weighted squared error, mean over batch and features: [instances]."""
    out = forward(model, params, x)
    return (importance[:, None, :] * (target - out) ** 2).mean(dim=(1, 2))
