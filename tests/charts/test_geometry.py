"""Chart builders of the geometry chapter, on hand-made arrays: the points, lines and colours they draw."""

from __future__ import annotations

import numpy as np
import pytest

from core.chapters.geometry_layout import GraphLayout, PolytopeView
from core.charts import geometry as geometry_charts
from core.charts import style
from tests.helpers import dataset_with, drawn_marks, encodings, feature_picks, mark_feature, spec_of, titles

KINDS = ("dedicated", "digon", "triangle", "tetrahedron", "pentagon", "square antiprism", "other", "not represented")


def test_dims_per_feature_one_line_per_model_levels_and_mark() -> None:
    series = [("small", np.array([1.0, 2.0, 4.0]), np.array([1.0, 0.5, np.nan])), ("big", np.array([2.0]), [0.4])]
    spec = geometry_charts.dims_per_feature_chart(series, {"1": 1.0, "1/2": 0.5}, marked=2.0).to_dict()
    points = dataset_with(spec, "run")
    assert [(r["run"], r["x"], r["y"]) for r in points] == [("small", 1.0, 1.0), ("small", 2.0, 0.5), ("big", 2.0, 0.4)]
    levels = dataset_with(spec, "name")
    assert {(r["name"], r["y"]) for r in levels} == {("1", 1.0), ("1/2", 0.5)}
    assert [{"x": 2.0}] in spec["datasets"].values()  # the inspected density
    log = [e["scale"] for e in encodings(spec, "x") if "scale" in e]
    assert (
        log and log[0]["type"] == "log" and log[0]["domain"] == pytest.approx([1 / 1.15, 2 * 1.15])
    )  # the nan point is left out
    colour = encodings(spec, "color")[0]
    assert colour["scale"]["domain"] == ["small", "big"] and colour["scale"]["range"] == ["#0072B2", "#009E73"]
    assert "Dimensions per feature" in titles(spec)


def test_dimensionality_chart_points_coloured_by_factor_kind() -> None:
    inv = np.array([1.0, 10.0])
    D = np.array([[1.0, 0.5], [0.4, 0.0]])
    kinds = np.array([["dedicated", "digon"], ["pentagon", "not represented"]])
    spec = geometry_charts.dimensionality_chart(inv, D, kinds, KINDS, {"1/2": 0.5}, np.array([1.0, 0.3])).to_dict()
    points = dataset_with(spec, "kind")
    assert [(r["kind"], r["D"]) for r in points] == [
        ("dedicated", 1.0),
        ("digon", 0.5),
        ("pentagon", 0.4),
        ("not represented", 0.0),
    ]
    xs = np.array([r["x"] for r in points])
    assert np.all(np.abs(np.log(xs / np.repeat(inv, 2))) <= 0.04)  # only a little jitter
    assert dataset_with(spec, "name") == [{"y": 0.5, "name": "1/2"}]
    colour = next(e for e in encodings(spec, "color") if "scale" in e)
    assert colour["scale"]["domain"] == list(KINDS)
    assert colour["scale"]["range"][:2] == [style.INK, "#0072B2"] and colour["scale"]["range"][-1] == "#BBBBBB"
    lines = [rows for rows in spec["datasets"].values() if rows and set(rows[0]) == {"x", "D"}]
    assert lines == [[{"x": 1.0, "D": 1.0}, {"x": 10.0, "D": 0.3}]]


def test_feature_graph_draws_nodes_where_told_and_edges_between_them() -> None:
    layout = GraphLayout(
        features=np.array([4, 7, 9]),
        xy=np.array([[0.0, 1.0], [0.0, -1.0], [3.0, 0.0]]),
        kinds=np.array(["digon", "digon", "dedicated"]),
        D=np.array([0.5, 0.5, 1.0]),
        edges=np.array([[0, 1]]),
        weights=np.array([0.8]),
    )
    spec = geometry_charts.feature_graph(layout, KINDS).to_dict()
    nodes = dataset_with(spec, "kind")
    assert [(r["feature"], r["x"], r["y"]) for r in nodes] == [(4, 0.0, 1.0), (7, 0.0, -1.0), (9, 3.0, 0.0)]
    edges = dataset_with(spec, "w")
    assert edges == [{"x": 0.0, "y": 1.0, "x2": 0.0, "y2": -1.0, "w": 0.8}]
    (width,) = encodings(spec, "strokeWidth")
    assert width["scale"]["domain"] == [0, 1]
    empty = GraphLayout(
        np.zeros(0, int), np.zeros((0, 2)), np.array([], str), np.zeros(0), np.zeros((0, 2), int), np.zeros(0)
    )
    assert dataset_with(geometry_charts.feature_graph(empty, KINDS).to_dict(), "w")[0]["w"] == 0.0


def test_polytope_gallery_one_panel_per_view_with_hull_and_title() -> None:
    ang = 2 * np.pi * np.arange(3) / 3
    triangle = PolytopeView(
        name="triangle",
        features=np.array([2, 5, 6]),
        xy=np.stack([np.cos(ang), np.sin(ang)], axis=1),
        depth=np.zeros(3),
        edges=np.array([[0, 1], [1, 2], [0, 2]]),
        rank=2,
        mean_D=0.66,
        ideal=(2, 3),
    )
    odd = PolytopeView(
        "other", np.array([0, 1]), np.array([[1.0, 0.0], [0.5, 0.5]]), np.zeros(2), np.zeros((0, 2), int), 2, 0.7, None
    )
    spec = geometry_charts.polytope_gallery([triangle, odd], KINDS).to_dict()
    assert len(spec["concat"]) == 2 and spec["columns"] == 3
    first = spec["concat"][0]
    assert first["title"]["text"] == "triangle" and first["title"]["subtitle"] == [
        "3 features in 2-D",
        "D = 2/3 (mean D = 0.66)",
    ]
    assert spec["concat"][1]["title"]["subtitle"][1] == "mean D = 0.70"
    hulls = [rows for rows in spec["datasets"].values() if rows and "x2" in rows[0]]
    assert sorted(len(rows) for rows in hulls) == [1, 3]  # no edges: one invisible placeholder
    tips = [rows for rows in spec["datasets"].values() if rows and "feature" in rows[0]]
    assert [r["feature"] for r in tips[0]] == ["2", "5", "6"]
    spokes = [d for d in first["layer"] if d.get("mark", {}).get("type") == "rule" and "color" in d["mark"]]
    assert {d["mark"]["color"] for d in spokes} == {style.GUIDE, "#E69F00"}  # grey hull, the triangle's own colour
    empty = geometry_charts.polytope_gallery([], KINDS).to_dict()
    assert dataset_with(empty, "text") == [{"text": "no polytopes at this density"}]


def test_norms_and_gaps_against_relative_density() -> None:
    ratios = np.array([0.1, 1.0])
    norms = np.array([[0.0, 1.0, 1.0], [1.2, 1.0, 0.9]])
    spec = geometry_charts.norms_vs_density(ratios, norms).to_dict()
    rows = dataset_with(spec, "norm")
    assert len(rows) == 6
    got = {(r["ratio"], r["feature"]): r["norm"] for r in rows}
    assert got[(0.1, 0)] == 0.0 and got[(1.0, 2)] == 0.9
    assert any(e.get("scale", {}).get("type") == "log" for e in encodings(spec, "x"))
    gaps = np.array([[np.nan, np.nan], [72.0, 80.0]])
    gspec = geometry_charts.gaps_vs_density(ratios, gaps).to_dict()
    rows = dataset_with(gspec, "side")
    assert [(r["ratio"], r["gap"]) for r in rows] == [(1.0, 72.0), (1.0, 80.0)]  # blank where feature 0 is dropped
    assert dataset_with(gspec, "name") == [{"gap": 72.0, "name": "72° (regular pentagon)"}]


def test_norms_follow_one_feature_and_offer_the_click_when_pickable() -> None:
    """The pentagon panel's lengths chart is linked to its arrows (ui/chapters/geometry.py): the followed
    feature's line and dots stay opaque, the others fade; pickable adds the click (and legend) selection."""
    ratios = np.array([0.1, 1.0, 10.0])
    norms = np.array([[0.0, 1.0, 1.0, 0.9], [1.2, 1.0, 0.9, 1.0], [1.1, 0.8, 0.9, 1.0]])  # 3 ratios, 4 features
    plain = drawn_marks(geometry_charts.norms_vs_density(ratios, norms))
    faded = drawn_marks(geometry_charts.norms_vs_density(ratios, norms, followed=2, pickable=True))
    assert [label for label, _ in plain] == [label for label, _ in faded]  # the same marks are drawn
    features = [mark_feature(label) for label, _ in faded]
    assert sorted(set(features)) == [0, 1, 2, 3] and len(faded) == 4 + 3 * 4  # a line per feature, a dot per point
    assert all(opacity == 1.0 for _, opacity in plain)
    for feature, (_, opacity) in zip(features, faded):
        assert opacity == (1.0 if feature == 2 else style.FADED), feature
    picks = feature_picks(spec_of(geometry_charts.norms_vs_density(ratios, norms, pickable=True)))
    assert len(picks) == 1 and picks[0]["select"]["fields"] == ["feature"] and picks[0]["bind"] == "legend"
    assert not feature_picks(spec_of(geometry_charts.norms_vs_density(ratios, norms)))


def test_factor_colours_fixed_colour_per_factor_in_order() -> None:
    colours = geometry_charts.factor_colours(KINDS)
    assert list(colours) == list(KINDS)
    assert colours["dedicated"] == style.INK
    assert [colours[k] for k in KINDS[1:7]] == ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9"]
    assert colours["not represented"] == "#BBBBBB"
    assert geometry_charts.factor_colours(["a", "b"]) == {"a": style.INK, "b": "#0072B2"}


def test_factor_blocks_drops_unrepresented_and_boxes_each_factor() -> None:
    gram = np.array(
        [
            [1.0, -0.5, 0.0, 0.2],
            [-0.5, 1.0, 9.0, 0.0],
            [0.0, 9.0, 9.0, 0.0],
            [0.2, 0.0, 0.0, 0.8],
        ]
    )
    block = np.array([0, 0, -1, 1])  # position 2 is unrepresented: its row and column are left out
    spec = geometry_charts.factor_blocks(gram, block, title="Blocks").to_dict()
    cells = dataset_with(spec, "value")
    assert len(cells) == 9
    kept = [[1.0, -0.5, 0.2], [-0.5, 1.0, 0.0], [0.2, 0.0, 0.8]]
    for r in cells:
        assert r["value"] == kept[r["row"]][r["col"]]
        assert (r["row1"], r["col1"]) == (r["row"] + 1, r["col"] + 1)
    boxes = dataset_with(spec, "lo")
    assert [(r["lo"], r["hi"]) for r in boxes] == [(0, 2), (2, 3)]
    colour = [e for e in encodings(spec, "color") if e.get("field") == "value"]
    assert len(colour) == 1
    assert colour[0]["scale"]["domain"] == [-1.0, 1.0] and colour[0]["scale"]["domainMid"] == 0
    x_domains = [e["scale"]["domain"] for e in encodings(spec, "x") if "scale" in e]
    y_domains = [e["scale"]["domain"] for e in encodings(spec, "y") if "scale" in e]
    assert x_domains == [[0, 3]] and y_domains == [[3, 0]]  # row 0 at the top
    assert "Blocks" in titles(spec)
