"""Page-wide CSS the app injects once per run (from app.py).

Charts fit their column: Vega draws each chart as an SVG of a fixed pixel size with a viewBox, so a
chart wider than the column it sits in (a fixed-width figure in a narrow column, or a presenter-mode
chart with 1.6x fonts) is scaled down to the column's width, keeping its aspect ratio, instead of
being clipped. A chart that fits is left at its own size. Clicks and legend selections still work:
Vega's SVG renderer finds the mark from the event's DOM target, not from pixel coordinates. Streamlit
draws a chart with more than 2,000 rows per dataset on a canvas instead, whose hit-testing uses pixel
coordinates that ignore CSS scaling: such a chart must fit its column unscaled (the chart-bounds browser
test checks it); the canvas rule below only keeps a misfit from being clipped.

Timing: Streamlit sends style-only HTML to its event container, and the browser sometimes applies it a
moment after the page's first elements (0.3-0.8 s on a fresh load, seen with a MutationObserver), so a
wide chart can show unscaled for that moment. Moving the rules into the page as an element (st.html with
a marker, or st.markdown) did not help: those rendered late too. Browser tests wait for the rule to apply
before they measure.
"""

from __future__ import annotations

import streamlit as st

FIT_CHARTS_CSS = """
[data-testid="stVegaLiteChart"] { max-width: 100% !important; }
[data-testid="stVegaLiteChart"] svg.marks { max-width: 100%; height: auto; }
[data-testid="stVegaLiteChart"] canvas.marks { max-width: 100%; height: auto !important; }
"""


def fit_charts() -> None:
    """Scale every chart wider than its column down to the column (see the module docstring)."""
    st.html(f"<style>{FIT_CHARTS_CSS}</style>")
