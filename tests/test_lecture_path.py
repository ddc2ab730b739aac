"""The home page's lecture path (issue 14): every link names a real chapter page, opens it in presenter mode,
and the figure the path promises is on that page's first screen."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from core.chapters.undoing_superposition import torch_available
from tests.helpers import APP_TIMEOUT_S, ROOT, charts_with, open_page, page_charts
from ui.registry import HOME, LECTURE_PATH, by_url_path

LINK = re.compile(r"\]\((/[^)?]+)\?presenter=true\)")


def test_home_lists_the_lecture_path_with_presenter_links() -> None:
    at = open_page(HOME)
    text = "\n".join(m.value for m in at.markdown)
    paths = LINK.findall(text)
    assert len(paths) == len(LECTURE_PATH) and 5 <= len(paths) <= 6, paths
    chapters = [by_url_path(path.lstrip("/")) for path in paths]
    assert all(chapters), paths  # every link routes to a chapter
    assert [ch.slug for ch in chapters] == [stop.slug for stop in LECTURE_PATH]
    assert all((ROOT / ch.page).is_file() for ch in chapters)
    assert sum(stop.minutes for stop in LECTURE_PATH) == 50  # a 50-minute lecture


def opened_from_link(page: str, presenter: str) -> AppTest:
    """The page as a link opens it: a new session (a new tab) with ?presenter=... in its address.

    (AppTest draws no sidebar on a session's first run, so presenter mode is read off the charts: it scales
    every chart's text.)"""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT_S)
    at.query_params["presenter"] = presenter
    at.run()  # app.py's first run registers the pages (st.navigation): only then can a test switch
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def title_size(chart) -> float:
    return chart.spec["config"]["axis"]["titleFontSize"]


@pytest.fixture(scope="module")
def normal_title_size() -> float:
    """Chart axis-title size outside presenter mode (the five-in-two page, the cheapest to open)."""
    return title_size(page_charts(opened_from_link("views/five_in_two.py", "false"))[0])


@pytest.mark.parametrize("stop", LECTURE_PATH, ids=lambda stop: stop.slug)
def test_each_lecture_link_opens_its_chapter_in_presenter_mode_with_its_figure(stop, normal_title_size) -> None:
    at = opened_from_link(stop.chapter.page, "true")
    if stop.slug == "undoing_superposition" and not torch_available():  # CI's Python 3.12 pass has no torch
        assert any("PyTorch" in w.value for w in at.warning), "without torch the SAE page must say it needs it"
        return
    figures = charts_with(at, stop.chart)
    assert figures, f"{stop.slug}: no chart with {stop.chart!r}"
    assert title_size(figures[0]) > 1.4 * normal_title_size  # presenter mode's bigger chart text


def test_presenter_five_in_two_shows_densest_beside_sparsest_and_tucks_controls_away() -> None:
    """Figure first on a projector: the controls and the prediction sit in closed expanders, the first figure
    is the densest and the sparsest panel side by side, and every density is one click away."""
    at = opened_from_link("views/five_in_two.py", "true")
    closed = {e.label: e for e in at.expander}
    assert {"Settings", "Predict before you train", "All 12 densities"} <= set(closed), list(closed)
    assert at.slider(key="f52_decay").value == 0.9  # the controls still run inside the closed box
    first, *rest = page_charts(at)
    assert first.panel_titles()[0].startswith("p = 1 ") and first.panel_titles()[1].startswith("p = 0.05 ")
    assert len(first.panel_titles()) == 2
    assert any(len(c.panel_titles()) == 12 for c in rest if "facet" in c.spec)
    normal = opened_from_link("views/five_in_two.py", "false")
    assert "Settings" in {e.label for e in normal.expander}  # a laptop's first screen shows the figure too
    assert len(page_charts(normal)[0].panel_titles()) == 12  # normally the whole row, as the paper draws it
