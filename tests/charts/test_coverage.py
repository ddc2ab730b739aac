"""Every public chart builder has a unit test: each top-level public function of core/charts/*.py is called
by name (``name(``) in some file under tests/charts/."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHARTS = ROOT / "core" / "charts"
TESTS = Path(__file__).resolve().parent


def public_functions(path: Path) -> list[str]:
    """The top-level functions of a module whose names do not start with an underscore."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]


def uncalled(modules: list[Path], tests: list[Path]) -> list[str]:
    """``module.function`` for every public function no test file calls by name."""
    text = "\n".join(t.read_text(encoding="utf-8") for t in tests)
    return [
        f"{m.stem}.{name}"
        for m in modules
        for name in public_functions(m)
        if not re.search(rf"(?<![\w]){re.escape(name)}\(", text)
    ]


def test_every_public_chart_builder_is_called_in_a_chart_test() -> None:
    modules = sorted(CHARTS.glob("*.py"))
    assert sum(len(public_functions(m)) for m in modules) > 20  # the walk found the builders
    assert uncalled(modules, sorted(TESTS.glob("*.py"))) == []


def test_the_checker_finds_an_uncalled_function(tmp_path: Path) -> None:
    module = tmp_path / "fake.py"
    module.write_text(
        "def drawn(x):\n    def inner(): pass\n    return x\n\n"
        "def forgotten(x):\n    return x\n\n"
        "def _private(x):\n    return x\n\n"
        "class Thing:\n    def method(self): pass\n",
        encoding="utf-8",
    )
    assert public_functions(module) == ["drawn", "forgotten"]
    test = tmp_path / "test_fake.py"
    test.write_text("def test_it():\n    fake.drawn(1)\n    # forgotten is only named, not called\n    redrawn(2)\n")
    assert uncalled([module], [test]) == ["fake.forgotten"]
    test.write_text("def test_it():\n    fake.drawn(1)\n    fake.forgotten(2)\n")
    assert uncalled([module], [test]) == []
