"""The strategic-picture chapter: its figure's counts, its links, and the paper-section link on every chapter."""

from __future__ import annotations

import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.assets import load_asset
from core.chapters import strategic_picture
from tests.helpers import open_page
from tests.test_pages import ROOT
from ui.registry import BEYOND, CHAPTERS, PAPER, UNDOING, WHERE_NEXT, by_url_path

LINK = re.compile(r"\]\((https?://[^)\s]+)\)")


def test_readability_counts_match_an_independent_count_on_the_asset() -> None:
    a = load_asset("privileged_sweep").arrays
    W = a["W"].astype(np.float64)
    counts = strategic_picture.readability(W, a["densities"])
    share = W**2 / (W**2).sum(axis=1, keepdims=True)  # each neuron's input variance split over features
    alive = W.max(axis=1) >= 0.05  # inputs are >= 0: only a positive weight can make a neuron fire
    np.testing.assert_array_equal(counts.monosemantic, ((share.max(axis=1) >= 0.9) & alive).sum(axis=1))
    np.testing.assert_array_equal(counts.stored, (np.linalg.norm(W, axis=2) > 0.5).sum(axis=1))
    # what the caption says: all 5 neurons monosemantic when dense, none from some density on, 10 stored at the end
    assert counts.stored[0] == counts.monosemantic[0] == counts.n_neurons == 5
    gone = counts.first_without_monosemantic()
    assert gone is not None and np.all(counts.monosemantic[gone:] == 0)
    assert counts.stored[-1] == counts.n_features == 10


def test_first_without_monosemantic_on_hand_made_counts() -> None:
    make = lambda mono: strategic_picture.Readability(np.ones(3), np.ones(3), np.array(mono), 3, 2)  # noqa: E731
    assert make([2, 0, 0]).first_without_monosemantic() == 1
    assert make([2, 1, 1]).first_without_monosemantic() is None
    assert make([2, 0, 1]).first_without_monosemantic() is None  # one comes back at the sparsest model


def test_strategic_page_shows_its_figure_links_and_questions() -> None:
    at = open_page("views/strategic_picture.py")
    assert len(at.get("vega_lite_chart")) == 1
    caption = next(c.value for c in at.caption if "privileged-basis" in c.value)
    assert "stores 5 of 10 features and 5 of its 5 neurons" in caption
    text = " ".join(m.value for m in at.markdown)
    links = LINK.findall(text)
    assert len(links) >= 5
    assert all(u.startswith(("https://transformer-circuits.pub/", "https://arxiv.org/abs/")) for u in links), links
    for phrase in ("sparse autoencoder", "dictionary learning", "overcomplete", "Three ways out"):
        assert phrase.lower() in (text + " ".join(h.value for h in at.header)).lower()
    assert at.expander, "self-check questions"


def test_every_chapter_links_its_paper_section() -> None:
    for chapter in CHAPTERS:
        assert chapter.paper_section.startswith(PAPER), chapter.slug
        assert chapter.section_title, chapter.slug
        anchor = chapter.paper_section.removeprefix(PAPER)
        assert anchor == "" or re.fullmatch(r"#[a-z-]+", anchor), chapter.slug
    # the chapters that follow the paper section by section link distinct sections; the closing parts
    # (undoing superposition, the strategic picture) both follow the paper's strategic-picture section
    following = [c for c in CHAPTERS if c.part not in (UNDOING, WHERE_NEXT)]
    anchors = [c.paper_section for c in following if c.paper_section != PAPER]
    assert len(anchors) == len(set(anchors))


def test_new_chapters_sit_where_they_belong() -> None:
    slugs = [c.slug for c in CHAPTERS]
    assert slugs.index("adversarial") == slugs.index("computation") + 1
    assert CHAPTERS[slugs.index("adversarial")].part == BEYOND
    assert slugs[-1] == "strategic_picture" and CHAPTERS[-1].part == WHERE_NEXT
    assert by_url_path(CHAPTERS[-1].url_path) is CHAPTERS[-1] and by_url_path("") is None


@pytest.mark.parametrize("slug", ["strategic_picture", "five_in_two"])
def test_app_shows_the_paper_section_link_on_a_chapter(slug: str) -> None:
    chapter = next(c for c in CHAPTERS if c.slug == slug)
    at = open_page(chapter.page)
    shown = [c.value for c in at.caption if c.value.startswith(":material/menu_book: Paper section:")]
    assert shown == [f":material/menu_book: Paper section: [{chapter.section_title}]({chapter.paper_section})"]


def test_home_page_has_no_paper_section_link() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    assert not at.exception
    assert not [c for c in at.caption if "Paper section" in c.value]


@pytest.mark.parametrize("page", ["views/strategic_picture.py", "views/adversarial.py"])
def test_presenter_mode_keeps_figures_and_key_sentences(page: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["presenter"] = "true"
    at.run()  # app.py's first run registers the pages (st.navigation): only then can a test switch
    at.switch_page(page).run()
    assert not at.exception
    assert at.get("vega_lite_chart") and at.get("download_button") == []
    bold = [m.value for m in at.markdown if m.value.startswith("**") and m.value.endswith("**")]
    assert len(bold) >= 4
    long_prose = ("The paper tries the attack on every feature", "Leave the model alone and look for more directions")
    assert not [m.value for m in at.markdown if any(p in m.value for p in long_prose)]
