"""Issue 14: an order of ideas that holds. No chapter uses a term before the chapter that defines it.

ui/registry.py's TERMS names, for each term, the chapter that defines it and the regexes that find it. A
chapter's prose is the string literals of its page and its widget modules (docstrings left out): what the
learner reads in markdown, captions, labels, help texts and chart titles. A chapter before the defining one
may use a term only if it defines it itself, written as registry.defined_mark describes (``*term*: ...``).
"""

from __future__ import annotations

import ast
import re

import pytest

from tests.helpers import ROOT
from ui.registry import CHAPTERS, TERMS, defined_mark

ORDER = [ch.slug for ch in CHAPTERS]


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def literals(source: str) -> list[str]:
    """Every string a module could show: constants, and f-strings with their fields as "{}"."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            out.append("".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            out.append(node.value)
    return out


def chapter_prose(slug: str) -> str:
    files = [ROOT / "views" / f"{slug}.py", *sorted((ROOT / "ui" / "chapters").glob(f"{slug}*.py"))]
    return "\n".join(s for f in files if f.exists() for s in literals(f.read_text()))


def uses(text: str, term: str) -> bool:
    return any(re.search(p, text) for p in TERMS[term][1])


def defines(text: str, term: str) -> bool:
    return any(re.search(defined_mark(p), text) for p in TERMS[term][1])


def test_every_term_names_a_chapter_and_finds_itself() -> None:
    for term, (slug, patterns) in TERMS.items():
        assert slug in ORDER, term
        assert patterns, term


@pytest.mark.parametrize("term", list(TERMS))
def test_the_defining_chapter_defines_the_term(term: str) -> None:
    slug = TERMS[term][0]
    assert defines(chapter_prose(slug), term), f"{slug} should define {term!r} as *{term}*: ..."


@pytest.mark.parametrize("slug", ORDER)
def test_no_term_is_used_before_its_chapter(slug: str) -> None:
    text = chapter_prose(slug)
    early = [
        term
        for term, (home, _) in TERMS.items()
        if ORDER.index(slug) < ORDER.index(home) and uses(text, term) and not defines(text, term)
    ]
    assert not early, f"{slug} uses {early} before the chapter that defines them, without defining them"


def test_the_mark_is_recognised_and_a_bare_use_is_not() -> None:
    """The convention itself, on made-up text (so a broken regex cannot pass every page by accident)."""
    assert defines("the *density p*: the chance a feature is non-zero", "density p")
    assert not defines("density p = 1 − S", "density p")
    assert uses("density p = 1 − S", "density p") and uses("Keep the best of N starts", "best of N starts")
    assert defines("*Wᵀ W*: the matrix of dot products", "Wᵀ W")
    assert not defines("*tegum* factor: x", "tegum factor")
