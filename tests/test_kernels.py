"""The training kernel's own guarantees, no torch needed: thread count never changes a result, its
batches have the paper's distribution, and numba's cache cannot run stale machine code."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from core import kernels
from core.config import ToyConfig
from core.data import feature_groups
from core.train import Trainer


def test_threads_do_not_change_results():
    """Same config and seed give bit-identical training whatever the thread count."""
    cfg = ToyConfig(n_features=20, n_hidden=5, feature_probability=[1.0, 0.1, 0.01], importance=0.7, steps=40)
    runs = []
    for threads in (1, 2):
        trainer = Trainer(cfg, threads=threads)
        trainer.advance(40)
        runs.append((trainer.We.copy(), trainer.b.copy(), trainer.history.copy()))
    for a, b in zip(*runs):
        assert np.array_equal(a, b)


def test_sample_dense_is_the_training_batch_distribution():
    """The kernel's batches: density p, values uniform on [0, 1), features independent."""
    cfg = ToyConfig(n_features=8, n_hidden=2, feature_probability=0.3)
    starts, sizes, kinds = feature_groups(cfg)
    groups = np.stack([starts, sizes, kinds])
    x = kernels.sample_dense(np.uint64(99), 5, np.full(8, 0.3), groups, 0, 8, 1 << 16)
    active = x > 0
    assert abs(active.mean() - 0.3) < 0.005
    assert abs(x[active].mean() - 0.5) < 0.005 and abs(x[active].var() - 1 / 12) < 0.002
    assert np.abs(np.corrcoef(x.T)[np.triu_indices(8, 1)]).max() < 0.02
    assert np.abs(np.corrcoef(x[:-32].ravel(), x[32:].ravel())[0, 1]) < 0.01  # positions sharing a hash


def test_kernel_cache_fingerprint_is_current():
    """numba's on-disk cache only notices edits to the file a function is defined in. core/kernels.py
    calls into core/kernel_math.py, so it records that file's hash: after editing kernel_math.py,
    put the new value into kernels.MATH_SHA256 (which also makes numba recompile kernels.py)."""
    source = Path(kernels.__file__).with_name("kernel_math.py").read_bytes()
    assert hashlib.sha256(source).hexdigest()[:16] == kernels.MATH_SHA256
