"""The paper's reference training loop, written plainly in PyTorch: the yardstick for issue 3.

This follows the reference notebook of "Toy Models of Superposition" step for step:
- every step draws a fresh batch with two ``torch.rand`` calls, one for the Bernoulli
  mask (active iff u < p) and one for the values, combined with ``torch.where``;
- the layout is [batch, instances, features];
- the model runs as two ``einsum`` calls (h = W x, x' = W^T h) plus the bias, with a
  ReLU on the output (or none, for the linear model);
- the loss is the importance-weighted squared error, mean over batch and features,
  summed over instances, differentiated by autograd;
- ``torch.optim.AdamW(lr=1e-3)`` with its default weight decay (0.01) takes the step.

Nothing here is tuned: it is the loop a reader of the paper would write.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch


@dataclass
class ReferenceResult:
    """Final weights [instances, n, m], biases [instances, n] and last-batch losses [instances]."""

    W: np.ndarray
    b: np.ndarray
    loss: np.ndarray


def train_reference(
    n: int,
    m: int,
    densities: Sequence[float],
    importance: float | Sequence[float] = 1.0,
    model: str | Sequence[str] = "relu",
    steps: int = 10_000,
    batch_size: int = 1024,
    lr: float = 1e-3,
    seed: int = 0,
    W0: np.ndarray | None = None,
) -> ReferenceResult:
    """Train one toy model per density (the instances) and return the final weights.

    importance: r (I_i = r**i) or one value per feature. model: "relu" or "linear",
    or one of those per instance (a mixed run, e.g. the basic-results figure).
    W0: optional initial weights [instances, n, m]; xavier-normal otherwise.
    """
    gen = torch.Generator().manual_seed(seed)
    k = len(densities)
    if np.ndim(importance) == 0:
        importance = [float(importance) ** i for i in range(n)]
    imp = torch.tensor(importance, dtype=torch.float32)  # [n], broadcast over batch and instances
    p = torch.tensor(densities, dtype=torch.float32)[:, None]  # [instances, 1]
    models = [model] * k if isinstance(model, str) else list(model)
    relu = torch.tensor([name == "relu" for name in models])[:, None]  # [instances, 1]

    if W0 is None:
        W0 = torch.randn((k, n, m), generator=gen) * math.sqrt(2.0 / (n + m))
    W = torch.nn.Parameter(torch.as_tensor(W0, dtype=torch.float32).clone())
    b = torch.nn.Parameter(torch.zeros((k, n)))
    opt = torch.optim.AdamW([W, b], lr=lr)

    for _ in range(steps):
        mask = torch.rand((batch_size, k, n), generator=gen) < p
        x = torch.where(mask, torch.rand((batch_size, k, n), generator=gen), torch.zeros(()))
        h = torch.einsum("bif,ifh->bih", x, W)
        z = torch.einsum("bih,ifh->bif", h, W) + b
        out = torch.where(relu, torch.relu(z), z) if not relu.all() else torch.relu(z)
        loss = (imp * (x - out) ** 2).mean(dim=(0, 2)).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()

    with torch.no_grad():
        last = (imp * (x - out) ** 2).mean(dim=(0, 2))
    return ReferenceResult(W.detach().numpy().copy(), b.detach().numpy().copy(), last.numpy().astype(np.float64))
