"""One notation (issue 14): what a learner reads writes the weights in Unicode (Wᵀ W, ‖Wᵢ‖, Wᵢ), never in the
ASCII forms W^T, ||W_ or W_i that drifted into chart titles and prose.

Two checks: every string literal that reaches a reader (views/, ui/chapters/, core/charts/; docstrings and
LaTeX left out, since LaTeX renders its own symbols), and the specs of the shared charts built with their
default titles."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import numpy as np

from core.charts import common
from tests.helpers import spec_of

ROOT = Path(__file__).resolve().parents[1]
READER_FACING = ["views", "ui/chapters", "core/charts"]
ASCII_FORMS = re.compile(r"W\^T|\|\|W|W_(?:[ij0-9]|extra)")
LATEX_COMMAND = re.compile(r"\\[A-Za-z|]")
INLINE_MATH = re.compile(r"\$[^$]*\$")


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def ascii_notation(source: str) -> list[tuple[int, str]]:
    """(line, text) of each reader-facing string literal in `source` that uses an ASCII form."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in skip:
            continue
        if LATEX_COMMAND.search(node.value):
            continue  # st.latex source: rendered as mathematics
        match = ASCII_FORMS.search(INLINE_MATH.sub("", node.value))
        if match:
            found.append((node.lineno, match.group(0)))
    return found


def test_the_scanner_finds_ascii_forms_and_spares_docstrings_and_latex() -> None:
    source = (
        '"""Module docstring about W^T W."""\n'
        'TITLE = "Feature norms ||W_i||"\n'
        "def f():\n"
        '    """W_i in a docstring."""\n'
        '    return f"W^T W of {3} features", "‖Wᵢ‖ and Wᵀ W", r"\\|W_i\\|^2", "norm $W_i$ inline", "W_0 dropped"\n'
    )
    assert sorted(ascii_notation(source)) == [(2, "||W"), (5, "W^T"), (5, "W_0")]


def test_reader_facing_strings_use_unicode_notation() -> None:
    files = sorted(p for folder in READER_FACING for p in (ROOT / folder).glob("*.py"))
    assert len(files) > 30  # the walk found the pages, widgets and chart builders
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in files
        for line, text in ascii_notation(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_shared_chart_specs_use_unicode_notation() -> None:
    rng = np.random.default_rng(0)
    W = rng.normal(size=(5, 2))
    gram = W @ W.T
    charts = [
        common.feature_arrows(W),
        common.gram_heatmap(gram, np.zeros(5)),
        common.norm_bars(np.linalg.norm(W, axis=1), np.abs(gram).sum(axis=1)),
    ]
    for chart in charts:
        text = json.dumps(spec_of(chart), ensure_ascii=False)
        assert not ASCII_FORMS.search(text), ASCII_FORMS.search(text).group(0)
    assert "Wᵀ W" in json.dumps(spec_of(charts[1]), ensure_ascii=False)
