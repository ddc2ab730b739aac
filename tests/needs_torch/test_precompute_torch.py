"""``python -m core.precompute --engine torch --device ...``: the choice reaches every builder's training,
the header records it, and a machine without the device gets a message, not a traceback."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from core import precompute
from core.assets import load_asset
from core.config import ToyConfig
from core.train import DEFAULT_ENGINE, train

ROOT = Path(__file__).resolve().parents[2]
CFG = ToyConfig(n_features=5, n_hidden=2, feature_probability=[1.0, 0.1], steps=300, batch_size=128, seed=4)


def _tiny_build(config: dict) -> dict[str, np.ndarray]:
    """Trains like the real builders do: core.train.train with no engine named."""
    result = train(ToyConfig.from_dict(config["toy_config"]))
    return {"W": result.W, "loss": result.loss}


@pytest.fixture
def tiny_builders(monkeypatch):
    """One small asset in place of the paper-scale ones (those take minutes even on the kernel)."""
    builder = precompute.AssetBuilder(version=1, toy_config=CFG, build=_tiny_build, about="tiny test asset")
    monkeypatch.setattr(precompute, "all_builders", lambda: {"tiny": builder})


def test_torch_engine_builds_into_a_directory(tiny_builders, tmp_path):
    precompute.main(["--engine", "torch", "--device", "cpu", "--out", str(tmp_path)])
    asset = load_asset("tiny", version=1, directory=tmp_path)
    assert asset.built_with == {"engine": "torch", "device": "cpu"}
    # The builder really trained with torch: its weights are the torch engine's, not the kernel's.
    np.testing.assert_array_equal(asset.arrays["W"], train(CFG, engine="torch").W)
    assert not np.allclose(asset.arrays["W"], train(CFG).W)
    assert DEFAULT_ENGINE == {"engine": "kernel", "device": "cpu"}  # restored after the build


def test_default_build_records_the_kernel(tiny_builders, tmp_path):
    precompute.build(["tiny"], out=io.StringIO(), directory=tmp_path)
    asset = load_asset("tiny", directory=tmp_path)
    assert asset.built_with == {"engine": "kernel", "device": "cpu"}
    np.testing.assert_array_equal(asset.arrays["W"], train(CFG).W)


def _run(*args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "core.precompute", *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.skipif(torch.cuda.is_available(), reason="the message is for machines without a GPU")
def test_no_gpu_is_a_message_not_a_traceback(tmp_path):
    proc = _run("--engine", "torch", "--device", "cuda", "--only", "phase_n2_m1", "--out", str(tmp_path))
    assert proc.returncode != 0
    assert "no CUDA GPU" in proc.stderr and "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    assert not list(tmp_path.iterdir())  # nothing was built


def test_bad_device_and_kernel_on_gpu_are_messages(tmp_path):
    for args, words in (
        (("--engine", "torch", "--device", "tpu"), "device must be one of"),
        (("--device", "cuda"), "kernel engine runs on the CPU only"),
    ):
        proc = _run(*args, "--out", str(tmp_path))
        assert proc.returncode != 0 and words in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
