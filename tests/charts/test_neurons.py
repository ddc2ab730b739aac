"""core.charts.neurons on hand-made arrays."""

from __future__ import annotations

import numpy as np
import pytest

from core.charts import neurons as neuron_charts
from core.charts import style
from tests.helpers import dataset_with, encodings, spec_of, titles


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
