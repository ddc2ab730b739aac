"""The app runs without torch or scikit-learn installed: they are test and benchmark dependencies only.

Keeping them out of the runtime keeps a deployment small (a Linux torch wheel pulls several GB of
CUDA libraries) and one learner's server under the smallest Community Cloud memory tier.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_MODULES = sorted(
    f"{folder}.{p.stem}" for folder in ("core", "ui") for p in (ROOT / folder).glob("*.py") if p.stem != "__init__"
)
BLOCKED = ("torch", "sklearn")

# Block the packages before anything imports them, then import every runtime module and run
# every page through AppTest: any import of a blocked package raises ImportError. (Libraries
# that merely probe for torch, like scipy, see it as not installed.)
PROBE = f"""
import importlib, sys

class Block:  # a finder that refuses the blocked packages, as if they were not installed
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {BLOCKED!r}:
            raise ImportError("blocked: " + name)

sys.meta_path.insert(0, Block())
for name in {RUNTIME_MODULES!r}:
    importlib.import_module(name)
from streamlit.testing.v1 import AppTest
pages = sorted(p.name for p in __import__("pathlib").Path("pages").glob("*.py"))
for page in pages:
    at = AppTest.from_file("app.py", default_timeout=240)
    at.run()
    at.switch_page("pages/" + page).run()
    assert not at.exception, (page, [e.message for e in at.exception])
assert not [m for m in sys.modules if m.split(".")[0] in {BLOCKED!r}]
print("ok", len(pages))
"""


def test_requirements_leave_out_torch_and_sklearn() -> None:
    names = [line.split("==")[0].strip().lower() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    assert "torch" not in names and "scikit-learn" not in names
    assert "streamlit" in names  # the file was parsed


def test_every_module_and_page_runs_without_torch_or_sklearn() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split()[:1] == ["ok"] and int(proc.stdout.split()[1]) >= 13, proc.stdout
