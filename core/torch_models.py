"""The toy models in PyTorch: the paper's four as short nn.Modules, plus one for any registered kind.

Like core/models.py (numpy) every model is a whole batch of independent instances: weights are
[instances, n_features, n_hidden], row i of an instance is feature i's direction W_i, and inputs
are [instances, batch, n_features]. One optimiser step on the summed loss trains every instance
on its own, because no instance's loss depends on another's weights.

This is the definition learners read (the pages show these classes) and the one the torch engine
(core/torch_train.py) trains. The app's default trainer is the fused numba kernel in
core/kernels.py; tests/needs_torch/ checks that these modules and the kernel give the same
outputs and gradients for every kind in core/registry.py.

Only modules that need torch import this file: the app runs without torch.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from core import registry


class LinearModel(nn.Module):
    """x' = WᵀWx + b: a linear map down to m dimensions and back."""

    def __init__(self, n_instances: int, n_features: int, n_hidden: int):
        super().__init__()
        self.W = nn.Parameter(torch.zeros(n_instances, n_features, n_hidden))
        self.b = nn.Parameter(torch.zeros(n_instances, n_features))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: [instances, batch, n]
        h = torch.einsum("kbn,knm->kbm", x, self.W)  # h = Wx, [instances, batch, m]
        return torch.einsum("kbm,knm->kbn", h, self.W) + self.b[:, None, :]  # x' = Wᵀh + b


class ReLUOutputModel(nn.Module):
    """x' = ReLU(WᵀWx + b): the linear model with a ReLU on the output, the paper's main model."""

    def __init__(self, n_instances: int, n_features: int, n_hidden: int):
        super().__init__()
        self.W = nn.Parameter(torch.zeros(n_instances, n_features, n_hidden))
        self.b = nn.Parameter(torch.zeros(n_instances, n_features))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: [instances, batch, n]
        h = torch.einsum("kbn,knm->kbm", x, self.W)  # h = Wx, [instances, batch, m]
        return torch.relu(torch.einsum("kbm,knm->kbn", h, self.W) + self.b[:, None, :])


class ReLUHiddenModel(nn.Module):
    """x' = ReLU(WᵀReLU(Wx) + b): a ReLU on the hidden layer too, so hidden neurons are a privileged basis."""

    def __init__(self, n_instances: int, n_features: int, n_hidden: int):
        super().__init__()
        self.W = nn.Parameter(torch.zeros(n_instances, n_features, n_hidden))
        self.b = nn.Parameter(torch.zeros(n_instances, n_features))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: [instances, batch, n]
        h = torch.relu(torch.einsum("kbn,knm->kbm", x, self.W))  # h = ReLU(Wx)
        return torch.relu(torch.einsum("kbm,knm->kbn", h, self.W) + self.b[:, None, :])


class AbsModel(nn.Module):
    """y' = ReLU(W₂ReLU(W₁x) + b), trained to output |x| for inputs uniform on [-1, 1].

    Two separate weight matrices (untied): W is W₁ (row i: how input i feeds the neurons),
    W2 is W₂ (row j: how the neurons feed output j).
    """

    def __init__(self, n_instances: int, n_features: int, n_hidden: int):
        super().__init__()
        self.W = nn.Parameter(torch.zeros(n_instances, n_features, n_hidden))
        self.W2 = nn.Parameter(torch.zeros(n_instances, n_features, n_hidden))
        self.b = nn.Parameter(torch.zeros(n_instances, n_features))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: [instances, batch, n]
        h = torch.relu(torch.einsum("kbn,knm->kbm", x, self.W))  # h = ReLU(W₁x)
        return torch.relu(torch.einsum("kbm,knm->kbn", h, self.W2) + self.b[:, None, :])


ACTIVATIONS = {"none": lambda z: z, "relu": torch.relu, "sigmoid": torch.sigmoid}


class ToyModel(nn.Module):
    """Any kind in core/registry.py: h = hidden(W x), x' = output(W₂ h + b), with W₂ = Wᵀ when tied.

    Kinds without an output bias keep b as a zero buffer (not a parameter), so it never trains.
    """

    def __init__(self, kind: registry.ModelKind, n_instances: int, n_features: int, n_hidden: int):
        super().__init__()
        self.kind = kind
        self.W = nn.Parameter(torch.zeros(n_instances, n_features, n_hidden))
        if not kind.tied:
            self.W2 = nn.Parameter(torch.zeros(n_instances, n_features, n_hidden))
        b = torch.zeros(n_instances, n_features)
        if kind.bias:
            self.b = nn.Parameter(b)
        else:
            self.register_buffer("b", b)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: [instances, batch, n]
        h = ACTIVATIONS[self.kind.hidden](torch.einsum("kbn,knm->kbm", x, self.W))
        decoder = self.W if self.kind.tied else self.W2
        return ACTIVATIONS[self.kind.output](torch.einsum("kbm,knm->kbn", h, decoder) + self.b[:, None, :])


# The paper's models by registry name; every other kind is a ToyModel. (ui/code.py reads this
# dict from the source text, so keep it a literal of names.)
MODEL_CLASSES = {
    "linear": LinearModel,
    "relu_output": ReLUOutputModel,
    "relu_hidden": ReLUHiddenModel,
    "abs": AbsModel,
}


def make_model(name: str, n_instances: int, n_features: int, n_hidden: int) -> nn.Module:
    """A zero-initialised module for the registered kind ``name`` (load weights with ``load_params``)."""
    kind = registry.get(name)  # a ValueError naming the known kinds
    cls = MODEL_CLASSES.get(name)
    if cls is None:
        return ToyModel(kind, n_instances, n_features, n_hidden)
    return cls(n_instances, n_features, n_hidden)


def load_params(model: nn.Module, params: dict[str, np.ndarray | torch.Tensor]) -> nn.Module:
    """Copy weights (numpy or torch, e.g. core.models.init_params) into ``model`` in place; returns it."""
    with torch.no_grad():
        for name, value in params.items():
            if hasattr(model, name):
                target = getattr(model, name)
                target.copy_(torch.as_tensor(np.asarray(value) if not torch.is_tensor(value) else value))
    return model


def target_of(name: str, x: torch.Tensor) -> torch.Tensor:
    """What the model must reproduce: x itself, or |x| for the absolute-value task."""
    return x.abs() if registry.get(name).target == "abs" else x


def loss_per_instance(
    model: nn.Module, x: torch.Tensor, target: torch.Tensor, importance: torch.Tensor
) -> torch.Tensor:
    """Importance-weighted squared error, mean over batch and features: [instances]."""
    return (importance[:, None, :] * (target - model(x)) ** 2).mean(dim=(1, 2))
