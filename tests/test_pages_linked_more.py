"""AppTests for the linked views of "Features as directions" and "Privileged basis": a feature picked in one chart
(an arrow, a bar segment, a row of the weights) is followed in every linked chart of the page, and "Stop
following" clears it."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from core.charts.style import FEATURE_PICK
from tests.helpers import Chart, captions, chart_with, charts_with, markdown_text, open_page
from ui.linked import picked_feature

DIRECTIONS = "views/features_as_directions.py"
SUM, NEURONS = "Your input: h", "The same h, neuron by neuron"

PRIVILEGED = "views/privileged_basis.py"
PLANE = "on neurons 0 and 1, turned by"  # each model's arrows on neurons 0 and 1
HEAT = "The (rotated) weights W, two ways"  # each model's neuron-basis and PCA-basis heatmaps


def reports_picks(at: AppTest) -> int:
    """How many charts on the page send a FEATURE_PICK click back to the app (on_select set for that selection)."""
    return sum(FEATURE_PICK in el.proto.selection_mode for el in at.get("vega_lite_chart"))


def fades(chart: Chart) -> bool:
    """Whether the chart fades features (an emphasis test on some feature)."""
    return "datum.feature == " in chart.text


def following(at: AppTest) -> bool:
    return "Following feature" in markdown_text(at)


def picks(chart: Chart) -> set[int]:
    """The features a click on the chart's marks can report, as the page reads a click (ui.linked.picked_feature)."""
    clicks = ({"selection": {FEATURE_PICK: [{"feature": value}]}} for value in chart.column("feature"))
    return {f for f in map(picked_feature, clicks) if f is not None}


def stops_and_drops(at: AppTest, page: str, beyond: int, linked: Callable[[AppTest], list[Chart]]) -> None:
    """*Stop following* clears the page's pick and every chart in ``linked(at)`` is drawn unfaded; then a pick of
    ``beyond``, a feature the model does not have (a pick kept from a bigger model), is dropped."""
    at.button(key=f"{page}_unfollow").click().run()
    assert not following(at)
    assert not any(fades(c) for c in linked(at))

    at.session_state[f"{page}_followed"] = beyond
    at.run()
    assert not at.exception
    assert not following(at) and not any(fades(c) for c in linked(at))


def test_directions_link_the_sum_of_directions_and_the_neuron_bars() -> None:
    at = open_page(DIRECTIONS)  # n = 2 features, both switched on
    linked = [chart_with(at, SUM), chart_with(at, NEURONS)]
    assert all(FEATURE_PICK in c.text and not fades(c) for c in linked), "pickable, nothing followed"
    assert reports_picks(at) == 2
    assert all(picks(c) == {0, 1} for c in linked)  # every feature's marks report that feature when clicked
    assert "Click a feature's arrow" in captions(at) and not following(at)

    at.session_state["fd_followed"] = 1  # what a click on feature 1's arrow or bar segment records
    at.run()
    assert not at.exception
    assert "Following feature 1" in markdown_text(at)
    assert all("datum.feature == 1" in chart_with(at, title).text for title in (SUM, NEURONS))

    stops_and_drops(at, "fd", 2, lambda at: [chart_with(at, SUM), chart_with(at, NEURONS)])  # n = 2


def test_privileged_links_both_models_arrows_and_heatmaps_to_one_followed_feature() -> None:
    """Two live panels, one pick: the follow bar is drawn once above them, and the feature is followed in each
    model's arrows on neurons 0 and 1 and in its heatmaps (neuron and PCA basis)."""
    at = open_page(PRIVILEGED)  # n = 10 features, m = 5
    at.button(key="pb:linear:step").click().run()
    linked = charts_with(at, PLANE) + charts_with(at, HEAT)
    assert len(linked) == 4
    assert all(FEATURE_PICK in c.text and not fades(c) for c in linked), "pickable, nothing followed"
    assert reports_picks(at) == 4
    assert all(picks(c) == set(range(10)) for c in charts_with(at, HEAT))  # a click on any row reports its feature
    assert all(picks(c) and picks(c) <= set(range(10)) for c in charts_with(at, PLANE))  # the arrows long enough
    assert captions(at).count("Click a feature's arrow on neurons 0 and 1") == 1 and not following(at)

    at.session_state["pb_followed"] = 7  # what a click on feature 7's arrow or row records, in either panel
    at.run()
    assert not at.exception
    assert markdown_text(at).count("Following feature 7") == 1  # one bar for both panels
    followed = charts_with(at, PLANE) + charts_with(at, HEAT)
    assert len(followed) == 4 and all("datum.feature == 7" in c.text for c in followed)

    at.button(key="pb_unfollow").click().run()
    assert not following(at)
    assert not any(fades(c) for c in charts_with(at, PLANE) + charts_with(at, HEAT))
