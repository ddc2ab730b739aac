"""AppTests for the linked views of the two pages with neurons: "Computation in superposition" (the circuit's W1, W2
and graph, precomputed and live) and "Superposition in a privileged basis" (the weight grids and neuron stacks,
precomputed and live). A feature picked in one chart is followed in every linked chart of the page; the charts
not per feature (neuron counts by density) and the computation page's sweep are left alone."""

from __future__ import annotations

from core.charts.style import FEATURE_PICK
from tests.helpers import captions, charts_with, markdown_text, open_page
from tests.test_pages_linked_more import fades, following, picks, reports_picks, stops_and_drops

COMPUTATION = "views/computation.py"
CIRCUIT = ("W1 (input → neuron), rescaled", "W2 (neuron → output), rescaled", "Inputs → neurons → outputs")

PRIVILEGED = "views/privileged_superposition.py"
NEURONS = ("W at p = ", "Each neuron's input weights")  # the weight grids and the neuron stacks


def _linked(at, titles: tuple[str, ...]) -> list:
    return [c for title in titles for c in charts_with(at, title)]


def test_computation_links_both_circuits_w1_w2_and_graph_to_one_followed_feature() -> None:
    at = open_page(COMPUTATION)  # the precomputed circuit (n = 3, m = 6) and the untrained live one
    linked = _linked(at, CIRCUIT)
    assert len(linked) == 6  # each title twice: the first circuit and the live circuit
    assert all(FEATURE_PICK in c.text and not fades(c) for c in linked), "pickable, nothing followed"
    assert reports_picks(at) == 6
    assert all(picks(c) == {0, 1, 2} for c in linked)  # rows and x / y nodes report their feature; neurons none
    assert captions(at).count("Click a feature's row of W1 or W2") == 1 and not following(at)
    assert not any(fades(c) for c in charts_with(at, "W1 at p = "))  # the sweep's grid is not linked

    at.session_state["cs_followed"] = 2  # what a click on feature 2's row or node records, in either circuit
    at.run()
    assert not at.exception
    assert markdown_text(at).count("Following feature 2") == 1  # one bar for both circuits
    followed = _linked(at, CIRCUIT)
    assert len(followed) == 6 and all("datum.feature == 2" in c.text for c in followed)
    assert not any(fades(c) for c in charts_with(at, "W1 at p = ") + charts_with(at, "Neurons by kind"))

    at.button(key="cs:run:step").click().run()  # the live circuit trains on, still following
    assert not at.exception
    assert all("datum.feature == 2" in c.text for c in _linked(at, CIRCUIT))

    at.radio(key="cs_mode").set_value("Sweep: n = 30, m = 12, 6 densities").run()  # no live circuit: nothing breaks
    assert not at.exception and following(at)
    assert len(_linked(at, CIRCUIT)) == 3 and not any(fades(c) for c in charts_with(at, "W1 at p = "))

    stops_and_drops(at, "cs", 3, lambda at: _linked(at, CIRCUIT))  # a 3-feature circuit


def test_privileged_superposition_links_every_weight_grid_and_neuron_stack() -> None:
    at = open_page(PRIVILEGED)  # the paper's sweep (n = 10, m = 5) and the untrained live run
    linked = _linked(at, NEURONS)
    assert len(linked) == 4  # a grid and a stack each for the precomputed model and the live one
    assert all(FEATURE_PICK in c.text and not fades(c) for c in linked), "pickable, nothing followed"
    assert reports_picks(at) == 4
    assert all(picks(c) == set(range(10)) for c in charts_with(at, "W at p = "))  # every row reports its feature
    assert all(picks(c) and picks(c) <= set(range(10)) for c in charts_with(at, NEURONS[1]))  # |w| > 1e-3 only
    assert captions(at).count("Click a feature's row of W or its piece of a neuron's bar") == 1
    assert not following(at)

    at.session_state["ps_followed"] = 7  # what a click on feature 7's row or segment records, in either model
    at.run()
    assert not at.exception
    assert markdown_text(at).count("Following feature 7") == 1
    followed = _linked(at, NEURONS)
    assert len(followed) == 4 and all("datum.feature == 7" in c.text for c in followed)
    assert not any(fades(c) for c in charts_with(at, "Neurons by kind"))  # counts by density: not per feature

    at.button(key="ps:run:step").click().run()  # trained a little: the live counts chart appears, still unlinked
    assert not at.exception
    assert all("datum.feature == 7" in c.text for c in _linked(at, NEURONS))
    assert len(charts_with(at, "Neurons by kind")) == 2 and not any(fades(c) for c in charts_with(at, "Neurons by"))

    stops_and_drops(at, "ps", 10, lambda at: _linked(at, NEURONS))  # 10-feature models


def test_a_click_on_a_neuron_node_or_a_heading_of_the_circuit_picks_nothing() -> None:
    """In the circuit graph the click selection listens on the whole view: a neuron node (feature null) or a column
    heading (no feature) reports no feature, and the page keeps what it followed."""
    from ui.linked import picked_feature

    for point in ({"feature": None}, {}, {"label": "h3"}):
        assert picked_feature({"selection": {FEATURE_PICK: [point]}}) is None, point
    assert picked_feature({"selection": {FEATURE_PICK: [{"feature": 2}]}}) == 2
