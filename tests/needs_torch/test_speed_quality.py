"""The fast path learns what the paper's plain PyTorch loop learns (quality, not timing).

Equal steps, equal initial weights: our kernel (core.train.train) and the reference loop
(benchmarks/reference.py) end at the same losses and the same geometry, and both meet the
closed forms of core.theory.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from benchmarks.reference import train_reference
from benchmarks.train_speed import eval_losses, pentagon_gaps
from core import analysis, theory
from core.config import ToyConfig
from core.train import Trainer, train


@pytest.fixture
def one_torch_thread():
    """One thread for the reference loop: a loaded test machine makes OpenMP threads spin."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.mark.usefixtures("one_torch_thread")
def test_relu_5in2_matches_reference_loop():
    densities = [1.0, 0.3, 0.05]
    cfg = ToyConfig(n_features=5, n_hidden=2, feature_probability=densities, importance=0.9, steps=3000)
    W0 = Trainer(cfg).We.copy()
    ours = train(cfg)
    ref = train_reference(5, 2, densities, 0.9, "relu", steps=3000, W0=W0)
    ours_loss, ref_loss = eval_losses(cfg, ours.W, ours.b, 1 << 17), eval_losses(cfg, ref.W, ref.b, 1 << 17)
    np.testing.assert_allclose(ours_loss, ref_loss, rtol=0.03)
    assert np.array_equal(analysis.n_represented(ours.W), analysis.n_represented(ref.W))


def test_dense_5in2_meets_closed_form_and_sparse_makes_a_pentagon():
    cfg = ToyConfig(n_features=5, n_hidden=2, feature_probability=[1.0, 0.02], importance=0.9, steps=10_000)
    result = train(cfg)
    _, imp = cfg.broadcast()
    assert result.loss[0] == pytest.approx(theory.dense_relu_loss(imp[0], 2), rel=0.02)
    assert analysis.n_represented(result.W).tolist() == [2, 5]
    np.testing.assert_allclose(pentagon_gaps(result.W[1]), 72.0, atol=5.0)


def test_linear_meets_closed_form():
    densities = [1.0, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001]
    cfg = ToyConfig(model="linear", n_features=20, n_hidden=5, feature_probability=densities, importance=0.7)
    result = train(cfg)
    p, imp = cfg.broadcast()
    exact = theory.linear_expected_loss(result.W, result.b, p, imp)
    np.testing.assert_allclose(exact, theory.linear_optimal_loss(p, imp, 5), rtol=0.02)
    assert (analysis.n_represented(result.W) == 5).all()
