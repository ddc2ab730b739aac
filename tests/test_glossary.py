"""Notation and glossary (issue 18): one list, covering the term-order registry, shown on every page with the
page's own symbols first, and on the home page in full."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT
from ui import glossary
from ui.registry import CHAPTERS, TERMS, by_slug

PANEL = "Notation and glossary"
SLUGS = {ch.slug for ch in CHAPTERS}


def test_every_registry_term_has_one_entry_and_every_entry_a_chapter() -> None:
    terms = [e.term for e in glossary.GLOSSARY if e.term]
    assert sorted(terms) == sorted(TERMS)
    for entry in glossary.GLOSSARY:
        assert entry.chapter in SLUGS, entry.symbol
        assert entry.patterns and entry.meaning.endswith("."), entry.symbol
    symbols = [e.symbol for e in glossary.GLOSSARY]
    assert len(set(symbols)) == len(symbols)
    for wanted in ["S", "p = 1 − S", "Iᵢ", "Wᵢ", "Wᵀ W", "‖Wᵢ‖", "Dᵢ", "tegum product", "Thomson problem"]:
        assert wanted in symbols, wanted


def test_a_page_lists_what_it_introduces_then_what_it_uses_then_the_rest() -> None:
    for chapter in CHAPTERS:
        own, others = glossary.ordered(chapter)
        assert own, chapter.slug  # every chapter speaks some of the lab's language
        assert sorted(e.symbol for e in own + others) == sorted(e.symbol for e in glossary.GLOSSARY)
        introduced = [e.chapter == chapter.slug for e in own]
        assert introduced == sorted(introduced, reverse=True), chapter.slug
    # Read off the chapters' own prose, not from the code under test:
    assert [e.symbol for e in glossary.ordered(by_slug("geometry"))[0][:2]] == ["Dᵢ", "tegum product"]
    assert "Thomson problem" in [e.symbol for e in glossary.ordered(by_slug("math_understanding"))[0]]
    assert "antipodal pair" in [e.symbol for e in glossary.ordered(by_slug("five_in_two"))[0]]
    assert "Thomson problem" not in [e.symbol for e in glossary.ordered(by_slug("five_in_two"))[0]]


def _panel_text(at: AppTest) -> list[str]:
    (panel,) = [e for e in at.sidebar.expander if e.label == PANEL]
    return [m.value for m in panel.markdown]


def test_every_page_has_the_panel_with_its_own_symbols_first() -> None:
    """app.py draws the panel before it runs the page, so every page has it; home and two chapters checked."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    home = _panel_text(at)
    assert "On this page" not in " ".join(home)
    assert all(e.symbol in home[-1] for e in glossary.GLOSSARY)
    assert sum(glossary.GLOSSARY[0].meaning in m.value for m in at.main.markdown) == 1  # home's table: the same rows
    for slug, first in [("five_in_two", "- **antipodal pair**:"), ("math_understanding", "- **Thomson problem**:")]:
        at.switch_page(by_slug(slug).page).run()
        assert not at.exception, at.exception
        text = _panel_text(at)
        assert text[0] == "**On this page**" and text[2] == "**Elsewhere in the lab**"
        own_rows = text[1].splitlines()
        assert first in own_rows[0], own_rows  # introduced on this page: listed first
        assert not any(first in r for r in text[3].splitlines()), slug
