"""AppTest for the linked views of the Geometry page's perturbed-pentagon panel: a feature picked in the arrows
(one small panel per density of feature 0) or in the chart of each feature's length is followed in both."""

from __future__ import annotations

from core.charts.style import FEATURE_PICK
from tests.helpers import captions, chart_with, markdown_text, open_page
from tests.test_pages_linked_more import fades, following, picks, reports_picks, stops_and_drops

GEOMETRY = "views/geometry.py"
ARROWS = "u2080 = "  # the pentagon's arrows, one panel per density p₀ of feature 0 (titles JSON-escaped in a labelExpr)
LENGTHS = "How long each feature's arrow is"


def test_pentagon_links_the_arrows_and_the_lengths_to_one_followed_feature() -> None:
    at = open_page(GEOMETRY)  # the non-uniform experiment opens on the perturbed pentagon: n = 5 features
    at.button(key="geo:nonuniform:step").click().run()
    linked = [chart_with(at, ARROWS), chart_with(at, LENGTHS)]
    assert all(FEATURE_PICK in c.text and not fades(c) for c in linked), "pickable, nothing followed"
    assert reports_picks(at) == 2
    assert picks(linked[1]) == set(range(5))  # a click on any feature's dot reports that feature
    assert picks(linked[0]) and picks(linked[0]) <= set(range(5))
    assert "Click a feature's arrow tip" in captions(at) and not following(at)

    at.session_state["geo_followed"] = 3  # what a click on feature 3's arrow tip or dot records
    at.run()
    assert not at.exception
    assert markdown_text(at).count("Following feature 3") == 1
    assert all("datum.feature == 3" in chart_with(at, title).text for title in (ARROWS, LENGTHS))

    stops_and_drops(at, "geo", 5, lambda at: [chart_with(at, ARROWS), chart_with(at, LENGTHS)])  # features 0 to 4
