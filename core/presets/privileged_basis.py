"""Privileged basis: the paper's setting for comparing a linear bottleneck with a ReLU hidden layer."""

from __future__ import annotations

from core.config import ToyConfig


def privileged_configs(
    n: int = 10,
    m: int = 5,
    density: float = 1.0,
    decay: float = 0.75,
    seed: int = 0,
    steps: int = 30_000,
    n_seeds: int = 1,
) -> dict[str, ToyConfig]:
    """The paper's privileged-basis setting (n=10, m=5, I=0.75^i) for a linear bottleneck and a ReLU hidden layer.

    30,000 steps by default: with dense features the ReLU model drifts onto the neuron axes slowly, and after the
    usual 10,000 steps it is often only part of the way there.
    """
    common = dict(
        n_features=n, n_hidden=m, feature_probability=density, importance=decay, steps=steps, seed=seed, n_seeds=n_seeds
    )
    return {"linear": ToyConfig(model="linear", **common), "relu_hidden": ToyConfig(model="relu_hidden", **common)}
