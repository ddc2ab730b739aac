"""Chart modules take numbers: they import only altair, numpy, pandas, the standard library and core.charts.*.

Anything else from core (analysis, theory, chapters, models, ...) would let a chart builder compute science
itself; the science belongs in core.chapters / core.analysis, and callers pass the results in.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHARTS = ROOT / "core" / "charts"
THIRD_PARTY = {"altair", "numpy", "pandas"}


def imports(path: Path) -> list[str]:
    """Every module an import statement names, at any depth; ``from core import x`` counts as ``core.x``,
    and a relative import as ``.`` plus its module."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                names.append("." * node.level + (node.module or ""))
            elif node.module == "core":
                names.extend(f"core.{alias.name}" for alias in node.names)
            else:
                names.append(node.module or "")
    return names


def allowed(module: str) -> bool:
    top = module.split(".")[0]
    if module == "core.charts" or module.startswith("core.charts."):
        return True
    if top == "core" or not top:  # other core modules, or a relative import
        return False
    return top in THIRD_PARTY or top in sys.stdlib_module_names


def test_the_checker_catches_every_spelling(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import json\nimport altair as alt\nfrom core import analysis, charts\nfrom core.chapters import geometry\n"
        "from core.charts.style import GREY\nfrom . import common\nimport scipy\n"
        "def f():\n    import core.theory\n"
    )
    found = imports(sample)
    assert [m for m in found if not allowed(m)] == ["core.analysis", "core.chapters", ".", "scipy", "core.theory"]


def test_chart_modules_import_only_plotting_libraries_and_core_charts() -> None:
    files = sorted(CHARTS.glob("*.py"))
    assert {"common.py", "style.py", "neurons.py"} <= {p.name for p in files}
    offenders = {p.name: bad for p in files if (bad := [m for m in imports(p) if not allowed(m)])}
    assert offenders == {}
