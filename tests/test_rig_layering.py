"""The browser rig (rig/) is a neutral package: the browser tests and the benchmarks both import it, so
neither has to import the other. benchmarks/ must never reach into tests/ (a test refactor would break a
benchmark), and rig/ must import neither (that would bring the cycle back through the rig)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import ROOT, imported_modules

FORBIDDEN = {"benchmarks": ("tests",), "rig": ("tests", "benchmarks")}


def offending_imports(folder: str) -> list[str]:
    files = sorted((ROOT / folder).rglob("*.py"))
    assert files, f"{folder}/ has no Python files"
    return [
        f"{path.relative_to(ROOT)}: {name}"
        for path in files
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN[folder]
    ]


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_folder_does_not_import_the_layers_above_it(folder: str) -> None:
    assert offending_imports(folder) == []


def test_the_check_sees_absolute_relative_and_nested_imports(tmp_path: Path) -> None:
    """The checker finds every spelling: plain, from-import, relative (resolved from the package), in a function."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os, tests.browser.conftest\n"
        "from tests.helpers import ROOT\n"
        "from ..tests import helpers\n"
        "from .. import tests\n"
        "from . import first_paint\n"
        "def f():\n    import benchmarks.memory\n"
    )
    assert imported_modules(sample, package="benchmarks") == [
        "os",
        "tests.browser.conftest",
        "tests.helpers",
        "tests",
        "tests",
        "benchmarks.first_paint",
        "benchmarks.memory",
    ]
