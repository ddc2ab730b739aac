"""Notation and glossary: every symbol and word the lab uses, at hand on every page.

One list, GLOSSARY, written in the app's notation (Unicode subscripts, as the charts write them). An entry that
is one of ui/registry.py's TERMS (the term-order registry) takes its chapter and its regexes from there, so
the two cannot drift; the other entries (symbols the order test does not track) carry their own. app.py
shows the panel in the shared sidebar; the home page shows the whole table.

A page's own entries, listed first, are the ones its prose uses: the string literals of views/<slug>.py and
ui/chapters/<slug>*.py (read once per server), searched with each entry's regexes.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from ui.registry import CHAPTERS, TERMS, Chapter

ROOT = Path(__file__).resolve().parents[1]
ORDER = {ch.slug: i for i, ch in enumerate(CHAPTERS)}


@dataclass(frozen=True)
class Entry:
    symbol: str  # as the lab writes it
    meaning: str
    term: str = ""  # a key of registry.TERMS, or "" for a symbol the order test does not track
    own_chapter: str = ""  # the chapter that introduces it (entries without a term only)
    own_patterns: tuple[str, ...] = ()

    @property
    def chapter(self) -> str:
        return TERMS[self.term][0] if self.term else self.own_chapter

    @property
    def patterns(self) -> tuple[str, ...]:
        return TERMS[self.term][1] if self.term else self.own_patterns


GLOSSARY: tuple[Entry, ...] = (
    Entry(
        "n, m",
        "n features go in; the model must squeeze them through m hidden dimensions, usually m < n.",
        own_chapter="experiment_setup",
        own_patterns=(r"\bn features\b", r"\bm hidden\b", r"\bm = \d"),
    ),
    Entry("S", "sparsity: the chance that a feature is zero in an example.", "sparsity S"),
    Entry(
        "p = 1 − S",
        "density: the chance that a feature is non-zero. The paper's axes use 1/(1 − S) = 1/p.",
        "density p",
    ),
    Entry(
        "Iᵢ",
        "importance of feature i: how much its squared error counts in the loss; often Iᵢ = rⁱ for a decay r.",
        "importance",
    ),
    Entry(
        "Wᵢ",
        "column i of W: the direction in hidden space that feature i is written to (h = W x).",
        own_chapter="features_as_directions",
        own_patterns=(r"Wᵢ(?!‖)", r"\bW₀\b"),
    ),
    Entry(
        "Wᵀ W",
        "the n × n table of dot products Wᵢ · Wⱼ: squared lengths on the diagonal, interference off it.",
        "Wᵀ W",
    ),
    Entry(
        "‖Wᵢ‖",
        "the length of feature i's direction. The lab counts a feature as represented when it is above 0.5.",
        own_chapter="experiment_setup",
        own_patterns=(r"‖Wᵢ‖", r"(?i)\brepresented\b"),
    ),
    Entry(
        "x′ = ReLU(Wᵀ W x + b)",
        "the ReLU-output model: project down with W, back up with Wᵀ, add a bias b, clip negatives to 0.",
        "ReLU-output model",
    ),
    Entry("best of N starts", "train N random starts of the same model and keep the lowest loss.", "best of N starts"),
    Entry(
        "superposition",
        "more features represented than there are dimensions, so some directions cannot be orthogonal.",
        "superposition",
    ),
    Entry(
        "Σⱼ≠ᵢ (Ŵᵢ · Wⱼ)²",
        "the superposition sum: how much the other features lie along feature i's unit direction Ŵᵢ = Wᵢ/‖Wᵢ‖; "
        "0 when feature i has a direction to itself.",
        own_chapter="basic_results",
        own_patterns=(r"Σⱼ≠ᵢ", r"(?i)\bsuperposition sum\b"),
    ),
    Entry("monosemantic", "a neuron that responds to one feature only.", "monosemantic"),
    Entry("polysemantic", "a neuron that responds to several unrelated features.", "polysemantic"),
    Entry(
        "antipodal pair",
        "two features on one line, pointing opposite ways (W₁ = −W₀): each gets half a dimension.",
        "antipodal pair",
    ),
    Entry(
        "Dᵢ",
        "feature dimensionality, Dᵢ = ‖Wᵢ‖² / Σⱼ (Ŵᵢ · Wⱼ)² (j over every feature, i too): the share of a "
        "dimension feature i has. "
        "1 = a dimension of its own, 1/2 = an antipodal pair, 0 = not represented.",
        "feature dimensionality",
    ),
    Entry(
        "tegum product",
        "a shape built from smaller shapes (its tegum factors) in orthogonal subspaces; features in different "
        "factors do not interfere.",
        "tegum factor",
    ),
    Entry(
        "Thomson problem",
        "where to put k points on a sphere so that they repel each other least; "
        "features of equal importance often settle into its answers.",
        own_chapter="math_understanding",
        own_patterns=(r"(?i)\bThomson\b",),
    ),
)


def _literals(source: str) -> list[str]:
    """The strings a module can show (docstrings included: a regex miss costs only the order)."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append(node.value)
    return out


@functools.cache
def chapter_prose(slug: str) -> str:
    # every chapter has its view (a missing one is an error, not an empty text); ui/chapters modules are optional
    files = [ROOT / "views" / f"{slug}.py", *sorted((ROOT / "ui" / "chapters").glob(f"{slug}*.py"))]
    return "\n".join(s for f in files for s in _literals(f.read_text(encoding="utf-8")))


def uses(slug: str, entry: Entry) -> bool:
    text = chapter_prose(slug)
    return any(re.search(p, text) for p in entry.patterns)


def ordered(chapter: Chapter | None) -> tuple[list[Entry], list[Entry]]:
    """(this page's entries, the others), each in the order the chapters introduce them."""
    by_order = sorted(GLOSSARY, key=lambda e: ORDER[e.chapter])
    if chapter is None:
        return [], by_order
    own = [e for e in by_order if e.chapter == chapter.slug or uses(chapter.slug, e)]
    own.sort(key=lambda e: e.chapter != chapter.slug)  # what the page introduces, then what it reuses
    return own, [e for e in by_order if e not in own]


def table(entries: list[Entry]) -> str:
    rows = "\n".join(f"| {e.symbol} | {e.meaning} |" for e in entries)
    return "| symbol | meaning |\n| --- | --- |\n" + rows


def listing(entries: list[Entry]) -> str:
    """One line per entry: fits the narrow sidebar better than a table."""
    return "\n".join(f"- **{e.symbol}**: {e.meaning}" for e in entries)


def glossary_panel(chapter: Chapter | None) -> None:
    """The sidebar's "Notation and glossary": the page's own symbols first, then the rest of the lab's."""
    own, others = ordered(chapter)
    with st.sidebar.expander("Notation and glossary", icon=":material/menu_book:"):
        if own:
            st.markdown("**On this page**")
            st.markdown(listing(own))
            st.markdown("**Elsewhere in the lab**")
        st.markdown(listing(others))
