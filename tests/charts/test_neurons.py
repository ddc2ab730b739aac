"""core.charts.neurons on hand-made arrays."""

from __future__ import annotations

import re

import numpy as np
import pytest
import vl_convert as vlc

from core.charts import neurons as neuron_charts
from core.charts import style
from tests.helpers import (
    dataset_with,
    datasets_with,
    drawn_marks,
    encodings,
    feature_picks,
    mark_feature,
    spec_of,
    titles,
)


def test_weight_heatmap_cells_order_rows_and_diverging_limit() -> None:
    W = np.array([[1.0, -2.0, 0.0], [0.5, 0.0, 0.25]])
    spec = spec_of(neuron_charts.weight_heatmap(W, order=[2, 0, 1], rows=[1]))
    rows = dataset_with(spec, "weight")
    assert [(r["feature"], r["neuron"], r["weight"]) for r in rows] == [(1, 0, 0.5), (1, 1, 0.0), (1, 2, 0.25)]
    assert spec["encoding"]["x"]["sort"] == [2, 0, 1]
    (color,) = encodings(spec, "color")
    assert color["scale"] == {"scheme": style.DIVERGING, "domain": [-2.0, 2.0], "domainMid": 0}
    fixed = spec_of(neuron_charts.weight_heatmap(W, limit=1.0))
    assert encodings(fixed, "color")[0]["scale"]["domain"] == [-1.0, 1.0]


def test_neuron_stack_drops_tiny_weights_and_marks_kinds() -> None:
    W = np.array([[1.0, 0.0], [-0.5, 1e-4], [0.0, 0.0]])
    spec = spec_of(neuron_charts.neuron_stack(W, ["polysemantic", "dead"]))
    bars = dataset_with(spec, "w")
    assert [(r["feature"], r["neuron"], r["w"]) for r in bars] == [(0, 0, 1.0), (1, 0, -0.5)]
    kinds = dataset_with(spec, "kind")
    assert [r["kind"] for r in kinds] == ["polysemantic", "dead"]
    kind_color = next(e for e in encodings(spec, "color") if e["field"] == "kind")
    assert kind_color["scale"]["range"] == [neuron_charts.KIND_COLORS[k] for k in neuron_charts.KIND_COLORS]
    with pytest.raises(ValueError):
        neuron_charts.neuron_stack(W, ["dead"])


def test_neuron_stack_colour_bar_for_many_features() -> None:
    spec = spec_of(neuron_charts.neuron_stack(np.ones((30, 2)), ["polysemantic"] * 2))
    feature_color = next(e for e in encodings(spec, "color") if e["field"] == "feature")
    assert feature_color["type"] == "quantitative" and feature_color["scale"]["domain"] == [0, 29]


def test_neuron_counts_lines_seed_dots_and_marker() -> None:
    dens = np.array([1.0, 0.1])
    counts = {"monosemantic": np.array([2, 0]), "dead": np.array([0, 1])}
    seeds = np.array([[2, 0], [2, 1], [1, 0]])
    spec = spec_of(neuron_charts.neuron_counts_chart(dens, counts, seed_counts=seeds, n_neurons=3, marker=0.1))
    lines = dataset_with(spec, "kind")
    assert [(r["kind"], r["inv"], r["count"]) for r in lines] == [
        ("monosemantic", 1.0, 2.0),
        ("monosemantic", 10.0, 0.0),
        ("dead", 1.0, 0.0),
        ("dead", 10.0, 1.0),
    ]
    dots = {(r["inv"], r["count"]): r["seeds"] for r in dataset_with(spec, "seeds")}
    assert dots == {(1.0, 1): 1, (1.0, 2): 2, (10.0, 0): 2, (10.0, 1): 1}
    marker = next(rows for rows in spec["datasets"].values() if len(rows) == 1 and set(rows[0]) == {"inv"})
    assert marker == [{"inv": 10.0}]
    y = next(e for e in encodings(spec, "y") if "scale" in e)
    assert y["scale"]["domain"] == [0, 3.3]


def test_circuit_graph_edges_above_the_cut_and_three_node_columns() -> None:
    W1 = np.array([[1.0, 0.01], [0.0, -0.5]])
    W2 = np.array([[0.8, 0.0], [0.0, 0.3]])
    spec = spec_of(neuron_charts.circuit_graph(W1, W2, min_weight=0.05, features=[4, 7], title="Circuit"))
    edges = dataset_with(spec, "edge")
    assert sorted((r["edge"], r["sign"]) for r in edges) == [
        ("h0 → y4", "positive"),
        ("h1 → y7", "positive"),
        ("x4 → h0", "positive"),
        ("x7 → h1", "negative"),
    ]
    nodes = dataset_with(spec, "label")
    assert [r["label"] for r in nodes] == ["x4", "x7", "h0", "h1", "y4", "y7"]
    assert [r["x"] for r in nodes] == [0.0, 0.0, 1.0, 1.0, 2.0, 2.0]
    width = next(e for e in encodings(spec, "strokeWidth"))
    assert width["scale"]["domain"] == [0, 1.0]
    assert "Circuit" in titles(spec)


def test_neuron_stack_puts_its_legends_below_the_bars() -> None:
    """Beside a wide stack the feature legend ran past the page's edge; below it, it has the whole width."""
    W = np.random.default_rng(0).normal(size=(6, 20))
    spec = neuron_charts.neuron_stack(W, ["polysemantic"] * 20, scale=1.6).to_dict()
    assert spec["config"]["legend"]["orient"] == "bottom"
    assert spec["config"]["legend"]["labelFontSize"] == 11 * 1.6  # the shared presenter sizes are kept


def test_weight_heatmap_big_grid_keeps_its_width_in_presenter_mode() -> None:
    # A 30 x 40 grid is as wide at 1.6x text as at 1x (it must fit the same column); a 2 x 3 grid grows with the text.
    big = np.ones((30, 40))
    for scale in (1.0, 1.6):
        spec = spec_of(neuron_charts.weight_heatmap(big, scale=scale))
        assert spec["width"]["step"] * 40 <= neuron_charts.GRID_PX
        assert spec["encoding"]["color"]["legend"]["orient"] == "bottom"
    small = [spec_of(neuron_charts.weight_heatmap(np.ones((2, 3)), scale=s))["width"]["step"] for s in (1.0, 1.6)]
    assert small[1] > small[0]


# ---- linked views: a followed feature stays opaque in the weight grid, the neuron stack and the circuit graph -----


GRID = np.array([[1.0, -0.5, 0.0], [0.3, 0.8, -0.2], [0.0, 0.1, 0.9], [-0.4, 0.0, 0.6]])  # 4 features, 3 neurons


@pytest.mark.parametrize("followed", [0, 2])
def test_weight_heatmap_fades_every_row_but_the_followed_one(followed: int) -> None:
    cells = drawn_marks(neuron_charts.weight_heatmap(GRID, followed=followed))
    assert sorted(mark_feature(label) for label, _ in cells) == sorted(list(range(4)) * 3)  # every cell drawn
    for label, opacity in cells:
        assert opacity == (1.0 if mark_feature(label) == followed else style.FADED), label
    some_rows = drawn_marks(neuron_charts.weight_heatmap(GRID, rows=[1, 3], followed=3))  # rows keep their index
    assert {(mark_feature(label), opacity) for label, opacity in some_rows} == {(1, style.FADED), (3, 1.0)}


@pytest.mark.parametrize("followed", [1, 3])
def test_neuron_stack_fades_every_features_segments_but_the_followed_ones(followed: int) -> None:
    marks = drawn_marks(neuron_charts.neuron_stack(GRID, ["polysemantic"] * 3, followed=followed))
    strip = [(label, o) for label, o in marks if "kind: " in label]
    segments = [(label, o) for label, o in marks if "kind: " not in label]
    assert len(strip) == 3 and all(o == 1.0 for _, o in strip)  # the neurons' kinds belong to no feature
    assert sorted(mark_feature(label) for label, _ in segments) == [0, 0, 1, 1, 1, 2, 2, 3, 3]  # |w| > 1e-3 only
    for label, opacity in segments:
        assert opacity == (1.0 if mark_feature(label) == followed else style.FADED), label


W1 = np.array([[1.0, -1.0, 0.0], [0.0, 0.3, 1.0]])  # 2 features, 3 neurons
W2 = np.array([[0.8, 0.8, 0.0], [0.0, 0.0, 1.0]])


def _circuit_owner(label: str) -> int | None:
    """The feature a circuit mark belongs to (None for a neuron or a column heading): an edge out of x_i or into
    y_i, or the node x_i / y_i (its disc is found by its position: inputs at x = 0, outputs at x = 2)."""
    edge = re.search(r"edge: (?:x(\d+) → h\d+|h\d+ → y(\d+))", label)
    if edge:
        return int(edge.group(1) or edge.group(2))
    node = re.fullmatch(r"x: ([02]); y: ([\d.]+)(?:; label: [xy]\d+)?", label)
    if node:
        return round(float(node.group(2)) * (W1.shape[0] - 1))  # y = i / (n - 1)
    return None


@pytest.mark.parametrize("followed", [0, 1])
def test_circuit_graph_fades_every_features_nodes_and_edges_but_the_followed_ones(followed: int) -> None:
    marks = drawn_marks(neuron_charts.circuit_graph(W1, W2, followed=followed))
    owners = [_circuit_owner(label) for label, _ in marks]
    # 7 edges (4 of feature 0, 3 of feature 1; the 0.0 weights are below the cut), x0 x1 y0 y1 as disc and name;
    # h0 h1 h2 as disc and name and the 3 column headings belong to no feature
    assert sorted(o for o in owners if o is not None) == [0] * 8 + [1] * 7
    assert owners.count(None) == 3 * 2 + 3
    for (label, opacity), owner in zip(marks, owners):
        expected = 1.0 if owner is None or owner == followed else style.FADED
        assert opacity == expected, label


def test_linked_neuron_charts_are_unchanged_unfollowed_and_offer_the_click_when_pickable() -> None:
    builders = {
        "grid": lambda **kw: neuron_charts.weight_heatmap(GRID, **kw),
        "stack": lambda **kw: neuron_charts.neuron_stack(GRID, ["polysemantic"] * 3, **kw),
        "circuit": lambda **kw: neuron_charts.circuit_graph(W1, W2, **kw),
    }
    for name, build in builders.items():
        plain = build().to_dict()
        assert style.FEATURE_PICK not in str(plain) and "datum.feature ==" not in str(plain), name
        assert build(followed=None, pickable=False).to_dict() == plain, name  # the defaults
        unfollowed = [o for _, o in drawn_marks(build())]
        assert all(o == (0.8 if name == "circuit" and i < 7 else 1.0) for i, o in enumerate(unfollowed)), name
        spec = build(pickable=True).to_dict()
        picks = feature_picks(spec)
        assert len(picks) == 1 and picks[0]["select"]["on"] == "click", name
        assert picks[0]["select"]["fields"] == ["feature"], name
        vlc.vegalite_to_svg(build(pickable=True, followed=1).to_json())  # Vega accepts it (no clashing signals)
        # a click reports the mark's "feature", readable as a number by the page (int()); a neuron node reports none
        rows = [r for rows in datasets_with(spec, "feature") for r in rows]
        expected = set(range(W1.shape[0] if name == "circuit" else GRID.shape[0]))
        assert {int(r["feature"]) for r in rows if r["feature"] is not None} == expected, name
