"""No page scrolls sideways on a phone (issue 18, item 5): at a 390 x 844 viewport (a common phone's CSS
size), every page's scrolling area is no wider than the screen after its first run.

Streamlit scrolls the page inside its main area (stMain, overflow auto), not the document, so both are
checked; an element that scrolls itself (a code block, a table) may be wider, as it does not move the page.
Charts fit by ui/style.py's CSS. One page load per page, no training.
"""

from __future__ import annotations

import pytest

from rig.browser import PageLog, open_session
from rig.pages import assert_no_exception, discover_pages, goto_app

PHONE = {"width": 390, "height": 844}
SLACK_PX = 1  # sub-pixel rounding

# Scroll width and visible width of the document and of the main area, plus what sticks out past the
# screen's right edge (outside any element that scrolls by itself), to name the culprit on failure.
_WIDTHS_JS = """() => {
  const doc = document.scrollingElement, main = document.querySelector('[data-testid="stMain"]');
  const scrollsItself = (e) => { for (let a = e.parentElement; a && a !== main; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
    return false; };
  const wide = [...main.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > innerWidth + 1
      && !scrollsItself(e)).slice(0, 5)
    .map((e) => `${e.getAttribute('data-testid') || e.tagName.toLowerCase()} to ${Math.round(e.getBoundingClientRect().right)}px`
       + ` (${(e.textContent || '').trim().slice(0, 40)})`);
  return {document: [doc.scrollWidth, doc.clientWidth], main: [main.scrollWidth, main.clientWidth], wide};
}"""


@pytest.fixture
def phone_page(browser):
    context, page = open_session(browser, PageLog(), viewport=PHONE)
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", discover_pages())
def test_no_page_scrolls_sideways_on_a_phone(phone_page, app_url, path):
    goto_app(phone_page, app_url + path)
    assert_no_exception(phone_page)
    # A page at rest, not a frame of its drawing: charts arrive (and live panels redraw) after the app reports
    # idle, so look a few times over up to 10 s and judge the first fitting layout, or the last one seen.
    for _ in range(20):
        widths = phone_page.evaluate(_WIDTHS_JS)
        if all(widths[a][0] <= widths[a][1] + SLACK_PX for a in ("document", "main")):
            break
        phone_page.wait_for_timeout(500)
    for area in ("document", "main"):
        scroll, client = widths[area]
        assert client <= PHONE["width"], f"{path}: the {area} is {client}px wide on a {PHONE['width']}px screen"
        assert scroll <= client + SLACK_PX, (
            f"{path}: the {area} scrolls sideways at {PHONE['width']}px ({scroll}px of content in {client}px); "
            f"sticking out: {widths['wide']}"
        )
