"""Settings of the opening sections: features as directions, and the privileged basis."""

from __future__ import annotations

from core.config import ToyConfig


def directions_config(n: int = 2, m: int = 3, density: float = 1.0, seed: int = 0, steps: int = 10_000) -> ToyConfig:
    """A small model with room for every feature (n <= m): the paper's ReLU-output model, equal importance.

    Not a figure of the paper: the smallest model whose features are plain directions, to look at
    before any superposition (one seed, the reference 10,000 steps).
    """
    if n > m:
        raise ValueError(f"this toy needs n <= m (room for every feature), got n={n}, m={m}")
    return ToyConfig(
        model="relu_output",
        n_features=n,
        n_hidden=m,
        feature_probability=density,
        importance=1.0,
        steps=steps,
        seed=seed,
    )
