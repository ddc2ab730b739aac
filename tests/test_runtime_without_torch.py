"""Pages import torch only if they train with it: the app's own training runs on the numba kernel.

torch is a runtime requirement now (the torch engine, core/torch_train.py, and the model code
the pages show), but importing it costs seconds and hundreds of MB per server process, so no
page may pay that just to show the PyTorch definition: ui/code.py reads it as text. Here every
runtime module is imported and every page run through AppTest with torch blocked; scikit-learn
is allowed where it is used (it is imported lazily, inside the functions that need it).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ui.code import model_source

ROOT = Path(__file__).resolve().parents[1]
TORCH_MODULES = {"core.torch_models", "core.torch_train"}  # the only modules that need torch
RUNTIME_MODULES = sorted(
    name
    for name in (
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for folder in ("core", "ui")
        for p in (ROOT / folder).rglob("*.py")
    )
    if not name.endswith("__init__") and name not in TORCH_MODULES
)
BLOCKED = ("torch",)

# Block torch before anything imports it, then import every runtime module and run every page
# through AppTest: any import of torch raises ImportError. (Libraries that merely probe for
# torch, like scipy, see it as not installed.) Prints the pages that showed the PyTorch code.
PROBE = f"""
import importlib, json, sys

class Block:  # a finder that refuses the blocked packages, as if they were not installed
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {BLOCKED!r}:
            raise ImportError("blocked: " + name)

sys.meta_path.insert(0, Block())
for name in {RUNTIME_MODULES!r}:
    importlib.import_module(name)
from streamlit.testing.v1 import AppTest
pages = sorted(p.name for p in __import__("pathlib").Path("views").glob("*.py"))
shown = {{}}
for page in pages:
    at = AppTest.from_file("app.py", default_timeout=240)
    at.run()
    at.switch_page("views/" + page).run()
    assert not at.exception, (page, [e.message for e in at.exception])
    if any(e.label == "The model in PyTorch" for e in at.expander):
        shown[page] = [c.value for c in at.code if "nn.Module" in c.value]
assert not [m for m in sys.modules if m.split(".")[0] in {BLOCKED!r}]
print(json.dumps({{"pages": len(pages), "shown": shown}}))
"""


@pytest.fixture(scope="module")
def probe() -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=900, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    import json

    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_every_module_and_page_runs_without_torch(probe) -> None:
    assert probe["pages"] >= 13


def test_training_pages_show_the_model_code(probe) -> None:
    """The 5-in-2 page trains a ReLU-output model live: it shows that class, read without torch."""
    code = probe["shown"].get("five_in_two.py")
    assert code, sorted(probe["shown"])
    assert any(text.startswith("class ReLUOutputModel(nn.Module):") and "def forward" in text for text in code)
    assert len(probe["shown"]) >= 5  # every chapter with a live run, not just one


def test_model_source_is_each_kinds_class() -> None:
    assert model_source("linear").startswith("class LinearModel(nn.Module):")
    assert model_source("abs").startswith("class AbsModel(nn.Module):") and "self.W2" in model_source("abs")
    assert "torch.relu(torch.einsum" in model_source("relu_hidden")
    with pytest.raises(ValueError, match="model must be one of"):
        model_source("no_such_model")
