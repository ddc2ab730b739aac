"""core/ is a plain library: nothing in it may import streamlit, directly or through its imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import imported_modules

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "core"
CORE_FILES = sorted(CORE.rglob("*.py"))


def test_core_files_exist() -> None:
    names = {p.stem for p in CORE_FILES}
    assert {"__init__", "config", "data", "models", "train", "theory", "analysis"} <= names


def test_imported_modules_sees_streamlit(tmp_path: Path) -> None:
    """The checker itself finds every spelling of the import, even inside a function."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os, streamlit as st\nfrom streamlit.components import v1\ndef f():\n    import streamlit.runtime\n"
    )
    assert imported_modules(sample) == ["os", "streamlit", "streamlit.components", "streamlit.runtime"]


def test_no_core_file_imports_streamlit() -> None:
    offenders = {
        str(path.relative_to(ROOT)): mods
        for path in CORE_FILES
        if (mods := [m for m in imported_modules(path) if m == "streamlit" or m.startswith("streamlit.")])
    }
    assert offenders == {}


TORCH_MODULES = {"core.torch_models", "core.torch_train"}


def _torch_importable() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def test_importing_core_does_not_load_streamlit() -> None:
    modules = [".".join(p.relative_to(ROOT).with_suffix("").parts) for p in CORE_FILES if p.stem != "__init__"]
    if not _torch_importable():  # CI's Python 3.12 pass has no torch; these two modules need it at import
        modules = [m for m in modules if m not in TORCH_MODULES]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.'))\n"
        "print('core.train' in sys.modules, loaded)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=240, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "True []", proc.stdout
