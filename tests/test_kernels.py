"""The training kernel's own guarantees, no torch needed: thread count never changes a result, its
batches have the paper's distribution, and numba's cache cannot run stale machine code (core/kernels.py
fingerprints what its cached functions depend on and empties the cache when that changes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from core import kernel_math, kernels, registry
from core.config import ToyConfig
from core.data import feature_groups
from core.train import Trainer

ROOT = Path(__file__).resolve().parents[1]


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


def test_fingerprint_follows_the_math_source_and_the_registry_codes():
    source = Path(kernel_math.__file__).read_bytes()
    assert kernels.dependency_fingerprint() == kernels.dependency_fingerprint(source)
    assert kernels.dependency_fingerprint(source + b"\n# an edit") != kernels.dependency_fingerprint(source)
    codes, positions = registry.KERNEL_ABI
    swapped = (tuple((name, 1 - code if code < 2 else code) for name, code in codes), positions)
    assert kernels.dependency_fingerprint(source, swapped) != kernels.dependency_fingerprint(source)


def test_stamp_beside_the_kernel_cache_is_current():
    """Importing core.kernels left the current fingerprint beside numba's cache of both kernel modules."""
    for fn in (kernels.run_steps, kernel_math.tile_step):
        stamp = Path(fn._cache.cache_path) / kernels.STAMP_NAME
        assert stamp.read_text() == kernels.dependency_fingerprint()


HELPER = """
from numba import njit

@njit(cache=True)
def add(x):
    return x + {k}
"""
CALLER = """
import os, sys
from pathlib import Path
from numba import njit
import helper_mod

@njit(cache=True)
def f(x):
    return helper_mod.add(x) * 2

REFRESHED = None
if os.environ.get("REFRESH"):
    from core.kernels import cached_dispatchers, dependency_fingerprint, refresh_stale_cache

    fingerprint = dependency_fingerprint(Path(helper_mod.__file__).read_bytes())
    mods = (helper_mod, sys.modules[__name__])
    REFRESHED = refresh_stale_cache(cached_dispatchers(*mods), fingerprint, stamp_name="test.stamp")
"""


def _run(folder: Path, refresh: bool) -> tuple[int, str, int]:
    """f(1) in a fresh interpreter, whether the cache was refreshed, and how many signatures came from the cache."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["PYTHONPATH"] = os.pathsep.join([str(folder), str(ROOT)])
    env["REFRESH"] = "1" if refresh else ""
    code = "import caller_mod as c; print(c.f(1), c.REFRESHED, len(c.f.stats.cache_hits))"
    out = subprocess.run([sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True, check=True)
    value, refreshed, hits = out.stdout.split()
    return int(value), refreshed, int(hits)


def test_refresh_replaces_machine_code_made_stale_by_a_dependency(tmp_path):
    """numba caches f with add inlined and checks only f's own file; refresh_stale_cache closes that gap.

    A real cache in fresh interpreters: f(1) = (1 + k) * 2 with k in another file.
    """
    (tmp_path / "helper_mod.py").write_text(HELPER.format(k=1))
    (tmp_path / "caller_mod.py").write_text(CALLER)
    assert _run(tmp_path, refresh=True) == (4, "True", 0)  # no stamp yet: start clean, compile, save
    assert _run(tmp_path, refresh=True) == (4, "False", 1)  # stamp current: the cache is used
    (tmp_path / "helper_mod.py").write_text(HELPER.format(k=50))
    assert _run(tmp_path, refresh=False)[0] == 4  # what numba alone does: stale machine code
    assert _run(tmp_path, refresh=True) == (102, "True", 0)  # refreshed: recompiled with k = 50
