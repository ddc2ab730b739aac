"""Light and dark (issue 18): the app follows the browser's colour-scheme preference, and chart text stays
readable on either page: on "The geometry of superposition" (eight charts), every text colour drawn in an SVG
chart has a contrast ratio of at least 3 with the page background. The expected backgrounds are the ones
.streamlit/config.toml gives [theme.light] and [theme.dark]."""

from __future__ import annotations

import tomllib

import pytest

from rig.browser import open_session
from rig.pages import contrast_ratio, goto_app
from rig.server import REPO_ROOT

pytestmark = pytest.mark.browser

PAGE = "/geometry"
MIN_CONTRAST = 3.0
MIN_CHARTS = 4  # SVG charts with text on the page: enough that the check means something

_READ_JS = """() => {
  const background = getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor;
  const fills = {};
  for (const chart of document.querySelectorAll('[data-testid="stVegaLiteChart"] svg')) {
    for (const t of chart.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const fill = getComputedStyle(t).fill;
      if (!fill.startsWith('rgb')) continue;
      fills[fill] = fills[fill] || t.textContent.slice(0, 40);
    }
  }
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg')].filter(s => s.querySelector('text')).length;
  return {background, fills, charts};
}"""


def _theme_background(scheme: str) -> str:
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    return config["theme"][scheme]["backgroundColor"]


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_app_follows_the_colour_scheme_and_chart_text_contrasts(browser, app_url, scheme):
    context, page = open_session(browser, color_scheme=scheme)
    try:
        goto_app(page, app_url + PAGE)
        page.wait_for_function(
            "(n) => [...document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] svg')]"
            ".filter(s => s.querySelector('text')).length >= n",
            arg=MIN_CHARTS,
            timeout=60_000,
        )
        seen = page.evaluate(_READ_JS)
    finally:
        context.close()
    assert contrast_ratio(seen["background"], _theme_background(scheme)) == pytest.approx(1.0), seen["background"]
    assert seen["fills"], "no chart text found"
    low = {
        fill: (round(contrast_ratio(fill, seen["background"]), 2), text)
        for fill, text in seen["fills"].items()
        if contrast_ratio(fill, seen["background"]) < MIN_CONTRAST
    }
    assert not low, f"{scheme}: chart text too close to the page background {seen['background']}: {low}"
