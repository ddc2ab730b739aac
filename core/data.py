"""Synthetic sparse features, written plainly in numpy.

This is the readable definition of the data the paper trains on. The fast training
kernel (core/kernels.py) draws from the same distribution with its own generator;
this module is used for pictures of a batch, Monte-Carlo checks and the benchmark's
reference loop.

Each feature is zero with probability S = 1 - p and otherwise uniform on [0, 1]
(uniform on [-1, 1] for models with signed inputs, core/registry.py). Feature sets change that:
- correlated: one draw decides whether the whole set is active; members' values are
  independent;
- anticorrelated: the set is active with probability p, and then exactly one member,
  chosen uniformly, is non-zero.
"""

from __future__ import annotations

import numpy as np

from core import registry
from core.config import ToyConfig


def feature_groups(cfg: ToyConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, size, kind) of every group; an independent feature is a group of one (kind 0).

    kind: 0 independent, 1 correlated, 2 anticorrelated.
    """
    starts, sizes, kinds = [], [], []
    pos = 0
    for kind, size in cfg.feature_sets:
        starts.append(pos)
        sizes.append(int(size))
        kinds.append(1 if kind == "correlated" else 2)
        pos += int(size)
    for i in range(pos, cfg.n_features):
        starts.append(i)
        sizes.append(1)
        kinds.append(0)
    return (np.array(starts, dtype=np.int64), np.array(sizes, dtype=np.int64), np.array(kinds, dtype=np.int64))


Seed = int | np.random.Generator


def rng_of(seed: Seed) -> np.random.Generator:
    """A numpy Generator from a seed (or the Generator itself): samplers never touch a global RNG."""
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(int(seed))


def sample_batch(cfg: ToyConfig, batch_size: int, seed: Seed, p: np.ndarray | None = None) -> np.ndarray:
    """A batch x of shape [instances, batch, n_features] (float32), drawn from ``seed``.

    ``p`` overrides the config's densities ([instances, n_features]); by default they are
    the config's, broadcast over instances (before best-of-N seeds).
    """
    rng = rng_of(seed)
    if p is None:
        p, _ = cfg.broadcast()
    p_b = np.asarray(p, dtype=np.float32)[:, None, :]  # [I, 1, n]
    n_inst, n = p_b.shape[0], cfg.n_features
    shape = (n_inst, batch_size, n)
    active = rng.random(shape, dtype=np.float32) < p_b
    starts, sizes, kinds = feature_groups(cfg)
    for start, size, kind in zip(starts, sizes, kinds):
        if kind == 0:
            continue
        group_on = rng.random((n_inst, batch_size, 1), dtype=np.float32) < p_b[:, :, start : start + 1]
        if kind == 1:
            active[:, :, start : start + size] = group_on
        else:
            pick = rng.integers(0, int(size), (n_inst, batch_size, 1))
            active[:, :, start : start + size] = (pick == np.arange(int(size))) & group_on
    values = 1.0 - rng.random(shape, dtype=np.float32)  # in (0, 1]: an active feature is never exactly 0
    if registry.get(cfg.model).signed:
        values = values * 2 - 1
    return np.where(active, values, np.float32(0.0))


def target_of(cfg: ToyConfig, x: np.ndarray) -> np.ndarray:
    """What the model must reproduce: x itself, or |x| for the absolute-value task."""
    return np.abs(x) if registry.get(cfg.model).target == "abs" else x


def sample_instance(cfg: ToyConfig, batch_size: int, seed: int, instance: int = 0) -> np.ndarray:
    """A batch [batch, n] for one instance's densities, from its own seeded generator."""
    p, _ = cfg.broadcast()
    return sample_batch(cfg, batch_size, int(seed), p=p[instance : instance + 1])[0]
