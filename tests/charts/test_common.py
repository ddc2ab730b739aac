"""core.charts.common: the builders several chapters share, on hand-made arrays.

Each test checks what the chart carries (its rows, scales, titles), not only that it builds.
"""

from __future__ import annotations

import json
import re
import warnings

import altair as alt
import numpy as np
import pytest
import vl_convert as vlc

from core.charts import common as charts
from core.charts import style
from tests.helpers import dataset_with, encodings, feature_picks, panel_titles, pentagon, titles, walk


def test_feature_arrows_geometry_and_square_axes() -> None:
    W = pentagon(1.3)
    spec = charts.feature_arrows(W, title="Pentagon", importance=np.ones(5)).to_dict()
    rows = dataset_with(spec, "x")
    assert len(rows) == 5
    np.testing.assert_allclose([[r["x"], r["y"]] for r in rows], W)
    x_dom = {tuple(e["scale"]["domain"]) for e in encodings(spec, "x") if "scale" in e}
    y_dom = {tuple(e["scale"]["domain"]) for e in encodings(spec, "y") if "scale" in e}
    assert x_dom == y_dom and len(x_dom) == 1
    lo, hi = x_dom.pop()
    assert lo == -hi and hi >= 1.3
    assert spec["width"] == spec["height"]
    assert "Pentagon" in titles(spec)
    assert any(e.get("legend", {}).get("title") == "feature i" for e in encodings(spec, "color"))
    fields = [e for e in encodings(spec, "color") if "field" in e]
    assert fields and all(e["scale"]["range"] == charts.OKABE_ITO[:5] for e in fields)
    # the feature numbers are dark ink, not the palette (Okabe-Ito yellow text on white is unreadable)
    text = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert [t["encoding"]["color"] for t in text] == [{"value": charts.LABEL_INK}]


def test_many_features_fall_back_to_sequential_palette() -> None:
    W = np.random.default_rng(0).normal(size=(12, 2))
    spec = charts.feature_arrows(W).to_dict()
    fields = [e for e in encodings(spec, "color") if "field" in e]
    assert fields and all(e["scale"].get("scheme") == charts.SEQUENTIAL for e in fields)


def test_arrows_row_one_panel_per_instance_shared_axes() -> None:
    W = np.stack([pentagon(), pentagon(0.5), pentagon(2.0)])
    spec = charts.arrows_row(W, ["a", "b", "c"], columns=2).to_dict()
    assert spec["columns"] == 2
    assert spec["facet"]["field"] == "panel"  # one table, one facet per instance
    rows = next(iter(spec["datasets"].values()))
    assert sorted({r["panel"] for r in rows}) == [0, 1, 2] and len(rows) == 3 * 5
    assert panel_titles(spec) == ["a", "b", "c"]
    domains = {tuple(e["scale"]["domain"]) for e in encodings(spec, "x") if "scale" in e}
    assert len(domains) == 1 and domains.pop()[1] >= 2.0
    norms = {(r["panel"], r["feature"]): r["norm"] for r in rows}
    assert norms[(2, 0)] == pytest.approx(2.0) and norms[(1, 3)] == pytest.approx(0.5)
    with pytest.raises(ValueError):
        charts.arrows_row(W, ["only one"])


def test_arrows_row_names_each_panels_axes() -> None:
    W = np.stack([pentagon(), pentagon(0.5)])
    default = charts.arrows_row(W, ["a", "b"]).to_dict()
    assert {e["title"] for e in encodings(default, "x") if "title" in e} == {"hidden dimension 1"}
    named = charts.arrows_row(W, ["a", "b"], axes=[("PC 1", "PC 2"), ("PC 1", "PC 3")]).to_dict()
    assert {e["title"] for e in encodings(named, "y") if "title" in e} == {"PC 2", "PC 3"}
    with pytest.raises(ValueError):
        charts.arrows_row(W, ["a", "b"], axes=[("PC 1", "PC 2")])


def test_gram_heatmap_data_and_diverging_scale() -> None:
    g = np.array([[1.0, 0.5, -0.25, 0.0], [0.5, 2.0, 0.0, 0.1], [-0.25, 0.0, 0.5, 0.0], [0.0, 0.1, 0.0, 1.5]])
    b = np.array([-0.2, 0.0, 0.1, -3.0])
    spec = charts.gram_heatmap(g, b, title="G").to_dict()
    rows = [r for table in spec["datasets"].values() for r in table]
    cells = [r for r in rows if r["col"] != "b"]
    bias = [r for r in rows if r["col"] == "b"]
    assert len(cells) == 16 and len(bias) == 4
    for r in cells:
        np.testing.assert_allclose(r["value"], g[r["row"], r["col"]])
    np.testing.assert_allclose(sorted(r["value"] for r in bias), sorted(b))
    colors = encodings(spec, "color")
    assert len(colors) == 2
    for c in colors:
        assert c["scale"]["domainMid"] == 0 and c["scale"]["scheme"] == style.DIVERGING
        lo, hi = c["scale"]["domain"]
        assert lo == -hi and hi == pytest.approx(max(np.abs(g).max(), 3.0))
        assert "0" in c["legend"]["title"]
    assert spec["resolve"]["scale"]["color"] == "shared"
    assert "tooltip" in spec["hconcat"][0]["encoding"]


def test_norm_bars_values_and_superposition_colour() -> None:
    # a regular pentagon of unit vectors shares 1.5 of each direction with the others; one feature is dropped
    norms, sup = np.array([1, 1, 1, 1, 1, 0.0]), np.array([1.5] * 5 + [0.0])
    spec = charts.norm_bars(norms, sup).to_dict()
    rows = dataset_with(spec, "norm")
    assert len(rows) == 6
    np.testing.assert_allclose([r["norm"] for r in rows], [1, 1, 1, 1, 1, 0], atol=1e-12)
    np.testing.assert_allclose([r["superposition"] for r in rows], [1.5] * 5 + [0.0], atol=1e-12)
    colours = [r["colour"] for r in rows]
    np.testing.assert_allclose(colours[:5], [1.0] * 5, atol=1e-12)  # clipped at 1
    assert [r["represented"] for r in rows] == [True] * 5 + [False]
    # Drawn: every feature has its bar, and the one not represented is grey (a NaN colour once made it vanish).
    fills = re.findall(r'aria-roledescription="bar"[^>]*fill="([^"]+)"', vlc.vegalite_to_svg(json.dumps(spec)))
    assert len(fills) == 6 and fills.count("#bbbbbb") == 1
    (color,) = encodings(spec, "color")
    assert color["condition"]["scale"]["domain"] == [0, 1] and "superposition" in color["condition"]["legend"]["title"]
    assert color["value"] == "#bbbbbb"


def test_loss_curve_rows_and_log_axis() -> None:
    steps = np.arange(0, 50, 10)
    losses = np.linspace(1.0, 0.1, 5)[:, None] * np.array([1.0, 0.5, 0.0])  # third run is all zero
    spec = charts.loss_curve(steps, losses, ["p=1", "p=0.1", "zero"]).to_dict()
    rows = dataset_with(spec, "loss")
    assert len(rows) == 10 and {r["run"] for r in rows} == {"p=1", "p=0.1"}
    (y,) = encodings(spec, "y")
    assert y["scale"]["type"] == "log" and "log" in y["title"]
    linear = charts.loss_curve(steps, losses, ["a", "b", "c"], log_y=False).to_dict()
    assert len(dataset_with(linear, "loss")) == 15
    (color,) = encodings(linear, "color")
    assert color["legend"]["title"] == "instance"
    with pytest.raises(ValueError):
        charts.loss_curve(steps, losses, ["a"])


def test_pca_scatter_axis_titles_show_variance() -> None:
    coords = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    spec = charts.pca_scatter(coords, ["a", "b", "c"], np.array([0.625, 0.25])).to_dict()
    assert len(dataset_with(spec, "label")) == 3
    x_titles = {e["title"] for e in encodings(spec, "x") if "title" in e}
    y_titles = {e["title"] for e in encodings(spec, "y") if "title" in e}
    assert x_titles == {"PC1 (62.5% of variance)"} and y_titles == {"PC2 (25.0% of variance)"}


def test_dimensionality_scatter_points_and_guides() -> None:
    x = np.array([1.0, 3.0, 10.0])
    D = np.array([[1.0, 0.5], [0.75, 0.4], [0.375, 0.0]])
    spec = charts.dimensionality_scatter(x, D).to_dict()
    points = dataset_with(spec, "feature")
    assert len(points) == 6
    np.testing.assert_allclose(sorted(r["D"] for r in points), sorted(D.ravel()))
    guides = dataset_with(spec, "name")
    np.testing.assert_allclose(sorted(r["D"] for r in guides), sorted([1, 3 / 4, 2 / 3, 1 / 2, 2 / 5, 3 / 8]))
    assert any(e.get("scale", {}).get("type") == "log" for e in encodings(spec, "x"))
    with pytest.raises(ValueError):
        charts.dimensionality_scatter(np.array([0.0, 1.0, 2.0]), D)


def test_presenter_scale_enlarges_fonts_and_charts() -> None:
    small = charts.feature_arrows(pentagon()).to_dict()
    big = charts.feature_arrows(pentagon(), scale=2.0).to_dict()
    assert big["config"]["axis"]["labelFontSize"] == 2 * small["config"]["axis"]["labelFontSize"]
    assert big["config"]["title"]["fontSize"] == 2 * small["config"]["title"]["fontSize"]
    assert big["width"] == 2 * small["width"]


def test_all_builders_are_top_level_and_have_titles() -> None:
    W = pentagon()
    built = [
        charts.feature_arrows(W),
        charts.arrows_row(np.stack([W, W]), ["a", "b"]),
        charts.gram_heatmap(np.eye(5), np.zeros(5)),
        charts.norm_bars(np.ones(5), np.zeros(5)),
        charts.loss_curve(np.arange(3), np.ones((3, 2)), ["a", "b"]),
        charts.pca_scatter(W, list("abcde"), np.array([0.5, 0.5])),
        charts.dimensionality_scatter(np.array([1.0, 2.0]), np.ones((2, 5))),
    ]
    for chart in built:
        assert isinstance(chart, alt.TopLevelMixin)
        spec = chart.to_dict()
        assert titles(spec), f"{type(chart).__name__} has no title"
        for channel in ("x", "y"):  # every positional field has a title (None only where deliberately hidden)
            assert all("title" in e for e in encodings(spec, channel) if "field" in e)
            assert any(e.get("title") for e in encodings(spec, channel))


@pytest.mark.parametrize("builder", ["gram", "arrows"])
def test_renders_to_svg_offline(builder: str) -> None:
    W = pentagon()
    gram = W @ W.T
    chart = (
        charts.gram_heatmap(gram, -0.1 * np.ones(5), title="Heat") if builder == "gram" else charts.feature_arrows(W)
    )
    svg = vlc.vegalite_to_svg(chart.to_dict())
    assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert ("Heat" if builder == "gram" else "Feature directions") in svg
    assert svg.count("<path") >= 5


def test_labelled_marks_drop_a_long_legend_but_keep_a_short_one() -> None:
    def legends(chart) -> list:
        return [e.get("legend", "default") for e in encodings(chart.to_dict(), "color")]

    few, many = np.random.default_rng(0).normal(size=(5, 2)), np.random.default_rng(1).normal(size=(30, 2))
    assert None not in legends(charts.pca_scatter(few, [str(i) for i in range(5)], np.array([0.6, 0.4])))
    assert None in legends(charts.pca_scatter(many, [str(i) for i in range(30)], np.array([0.6, 0.4])))
    assert None in legends(charts.feature_arrows(many))


def test_arrows_row_puts_fewer_bigger_panels_per_row_when_scaled_up() -> None:
    W = np.stack([pentagon()] * 10)
    titles = [str(k) for k in range(10)]
    assert charts.arrows_row(W, titles, columns=5).to_dict()["columns"] == 5
    assert charts.arrows_row(W, titles, columns=5, scale=0.85).to_dict()["columns"] == 5
    assert charts.arrows_row(W, titles, columns=5, scale=1.6).to_dict()["columns"] == 3


def test_hidden_pca_points_groups_and_direction_lines() -> None:
    coords = np.array([[1.0, 0.0], [0.0, 2.0], [0.1, 0.1]])
    groups = ["feature 0", "feature 1", "none"]
    directions = np.array([[3.0, 0.0], [0.0, -1.0]])
    spec = charts.hidden_pca(coords, groups, np.array([0.7, 0.2]), directions).to_dict()
    points = dataset_with(spec, "active")
    assert [r["active"] for r in points] == groups
    np.testing.assert_allclose([[r["x"], r["y"]] for r in points], coords)
    lines = dataset_with(spec, "feature")
    assert sorted({r["feature"] for r in lines}) == ["W_0", "W_1"] and len(lines) == 4
    tips = [(r["x"], r["y"]) for r in lines if (r["x"], r["y"]) != (0.0, 0.0)]
    assert sorted(tips) == [(0.0, -1.0), (3.0, 0.0)]
    (domain,) = {tuple(e["scale"]["domain"]) for e in encodings(spec, "x") if "scale" in e}
    assert domain[1] >= 3.0  # the longest direction fits
    (color,) = encodings(spec, "color")
    assert color["scale"]["domain"] == ["feature 0", "feature 1", "none"]  # features first, then the rest


def test_gram_frames_cells_bias_and_limit() -> None:
    g = np.array([[1.0, -2.0], [-2.0, 4.0]])
    cells, bias, limit = charts.gram_frames(g, np.array([0.5, -5.0]))
    assert list(zip(cells["row"], cells["col"], cells["value"])) == [
        (0, 0, 1.0),
        (0, 1, -2.0),
        (1, 0, -2.0),
        (1, 1, 4.0),
    ]
    assert list(bias["value"]) == [0.5, -5.0] and set(bias["col"]) == {"b"}
    assert limit == 5.0
    assert charts.gram_frames(np.zeros((2, 2)), np.zeros(2))[2] > 0  # an all-zero picture still has a colour scale


def test_segments_and_headed_arrows_point_from_start_to_end() -> None:
    df = charts.segments(np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[0.0, 2.0], [2.0, 1.0]]), feature=["a", "b"])
    assert list(df.columns) == ["x0", "y0", "x", "y", "feature"]
    x, y = style.square_axes(3.0, ("x", "y"))
    spec = charts.headed_arrows(df, x, y, style.INK, 2.0, dash=[4, 3]).to_dict()
    rows = dataset_with(spec, "angle")
    # Vega's angle is clockwise from up: an arrow pointing up has angle 0, one pointing right 90
    assert [r["angle"] for r in rows] == pytest.approx([0.0, 90.0])
    kinds = [layer["mark"]["type"] for layer in spec["layer"]]
    assert kinds == ["rule", "point"]
    assert spec["layer"][0]["mark"]["strokeDash"] == [4, 3] and spec["layer"][1]["mark"]["shape"] == "triangle"


def _text_baselines(svg: str) -> dict[str, float]:
    """The y of each text mark's baseline in a rendered SVG, by its text."""
    found = re.finditer(r'<text[^>]*transform="translate\([-\d.]+,([-\d.]+)\)"[^>]*>([^<]+)</text>', svg)
    return {m.group(2): float(m.group(1)) for m in found}


@pytest.mark.parametrize("scale", [1.0, 1.6])
def test_close_dimensionality_guides_get_labels_a_line_apart(scale: float) -> None:
    """2/5 and 3/8 are 0.025 apart (under 7 px on a 280 px axis): centred on their rules, the names overlap."""
    x, D = np.array([1.0, 3.0, 10.0]), np.array([[1.0, 0.5], [0.75, 0.4], [0.375, 0.0]])
    y = _text_baselines(vlc.vegalite_to_svg(charts.dimensionality_scatter(x, D, scale=scale).to_dict()))
    font = 10 * scale
    assert y["3/8"] - y["2/5"] >= font  # 3/8 sits lower on screen, a whole line below 2/5
    assert y["2/5"] - y["1/2"] >= font


def test_pca_scatter_labels_only_points_away_from_the_origin() -> None:
    coords = np.array([[1.0, 0.0], [0.0, -0.8], [0.05, 0.02], [-0.01, 0.0], [0.0, 0.0]])
    spec = charts.pca_scatter(coords, list("abcde"), np.array([0.6, 0.4])).to_dict()
    rows = dataset_with(spec, "label")
    assert [r["shown"] for r in rows] == ["a", "b", "", "", ""]  # 0.05 and less is near the origin next to 1.0
    assert [r["label"] for r in rows] == list("abcde")  # the tooltip still names every point


def test_norm_bars_legend_sits_below_so_the_chart_fits_a_half_column() -> None:
    """Beside the bars, the superposition legend's long title made the chart ~560 px wide: over half a page."""
    spec = charts.norm_bars(np.array([1.0, 0.2, 0.9]), np.array([0.0, 0.5, 2.0])).to_dict()
    legends = [node["legend"] for node in walk(spec) if "field" in node and isinstance(node.get("legend"), dict)]
    assert legends and all(leg["orient"] == "bottom" for leg in legends)
    assert spec["width"] <= 260


def test_labels_off_origin_blanks_points_within_a_fifth_of_the_farthest() -> None:
    coords = np.array([[0.0, 2.0], [0.2, 0.2], [0.5, 0.0], [0.0, 0.0]])  # reaches 2, 0.28, 0.5, 0; cut at 0.4
    assert charts.labels_off_origin(coords, list("abcd")) == ["a", "", "c", ""]


def _opacity_by_feature(svg: str, label: str) -> dict[int, set[float]]:
    """{feature: opacities drawn} for the SVG's marks whose aria-label names ``label: k``."""
    found: dict[int, set[float]] = {}
    for mark in re.findall(r"<(?:path|circle|line)\b[^>]*>", svg):
        number = re.search(rf"\b{label}: (\d+)[;\"]", mark)
        if number:
            opacity = re.search(r'\sopacity="([0-9.]+)"', mark)
            found.setdefault(int(number.group(1)), set()).add(float(opacity.group(1)) if opacity else 1.0)
    return found


@pytest.mark.parametrize("followed", [0, 3])
def test_linked_views_fade_every_feature_but_the_followed_one(followed: int) -> None:
    W = pentagon(1.0)
    norms, sup = np.array([1.0, 0.9, 0.8, 0.3, 0.7]), np.zeros(5)  # feature 3 is grey (not represented)
    drawn = {
        "bars": _opacity_by_feature(
            vlc.vegalite_to_svg(charts.norm_bars(norms, sup, followed=followed).to_json()), "feature"
        ),
        "arrows": _opacity_by_feature(
            vlc.vegalite_to_svg(charts.arrows_row(W[None], ["one"], followed=followed).to_json()), "feature"
        ),
    }
    for name, found in drawn.items():
        assert sorted(found) == [0, 1, 2, 3, 4], name
        assert found[followed] == {1.0}, name
        assert all(found[i] == {style.FADED} for i in found if i != followed), name
    heat = vlc.vegalite_to_svg(charts.gram_heatmap(W @ W.T, np.zeros(5), followed=followed).to_json())
    cells = re.findall(r'aria-label="[^"]*\bi: (\d+); j: ([0-9b]+)"[^>]*?\sopacity="([0-9.]+)"', heat)
    assert len(cells) == 25 + 5  # every cell of W^T W and of b drawn with an opacity
    for i, j, opacity in cells:
        kept = int(i) == followed or j == str(followed)
        assert float(opacity) == (1.0 if kept else style.FADED), (i, j)


def test_no_followed_feature_draws_everything_opaque_and_pickable_adds_the_click() -> None:
    W = pentagon(1.0)
    plain = charts.norm_bars(np.ones(5), np.zeros(5)).to_dict()
    drawn = _opacity_by_feature(vlc.vegalite_to_svg(json.dumps(plain)), "feature")
    assert sorted(drawn) == [0, 1, 2, 3, 4] and all(found == {1.0} for found in drawn.values())
    assert style.FEATURE_PICK not in str(plain)
    picks = {
        "bars": charts.norm_bars(np.ones(5), np.zeros(5), pickable=True).to_dict(),
        "arrows": charts.arrows_row(W[None], ["one"], pickable=True).to_dict(),
        "gram": charts.gram_heatmap(W @ W.T, np.zeros(5), pickable=True).to_dict(),
    }
    fields = {"bars": ["feature"], "arrows": ["feature"], "gram": ["row"]}
    for name, spec in picks.items():
        params = feature_picks(spec)
        assert len(params) == 1, name
        assert params[0]["select"]["fields"] == fields[name] and params[0]["select"]["on"] == "click", name
    arrows_param = feature_picks(picks["arrows"])
    assert arrows_param[0]["bind"] == "legend"  # five features: the grid has a legend to click


def test_pca_scatter_follows_a_feature_by_its_row_and_picks_it_by_a_click() -> None:
    coords = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [0.7, 0.7]])
    labels = ["10", "11", "12", "13", "14"]  # not the row numbers: the pick is the row (feature i), not its text

    def point_opacity(chart: alt.TopLevelMixin) -> dict[str, float]:
        """{label: opacity} of the drawn dots (text marks are not paths)."""
        found = {}
        for mark in re.findall(r"<path\b[^>]*>", vlc.vegalite_to_svg(chart.to_json())):
            label = re.search(r"\blabel: (\d+);", mark)
            if label:
                opacity = re.search(r'\sopacity="([0-9.]+)"', mark)
                found[label.group(1)] = float(opacity.group(1)) if opacity else 1.0
        return found

    plain = charts.pca_scatter(coords, labels, np.array([0.6, 0.4]))
    assert point_opacity(plain) == {label: 0.9 for label in labels}  # nothing followed: as before
    assert style.FEATURE_PICK not in json.dumps(plain.to_dict())
    followed = point_opacity(charts.pca_scatter(coords, labels, np.array([0.6, 0.4]), followed=3))
    assert followed == {"10": style.FADED, "11": style.FADED, "12": style.FADED, "13": 1.0, "14": style.FADED}

    spec = charts.pca_scatter(coords, labels, np.array([0.6, 0.4]), pickable=True).to_dict()
    params = feature_picks(spec)
    assert len(params) == 1 and params[0]["select"]["fields"] == ["feature"] and params[0]["select"]["on"] == "click"
    rows = dataset_with(spec, "feature")
    assert [(r["feature"], r["label"]) for r in rows] == [(0, "10"), (1, "11"), (2, "12"), (3, "13"), (4, "14")]


def test_arrows_on_named_axes_are_linked_like_the_grid() -> None:
    """The concatenated panels (principal axes instead of hidden dimensions) fade and pick like the faceted grid."""
    W = np.stack([pentagon(1.0), pentagon(0.5)])
    axes = [("PC 1", "PC 2"), ("PC 1", "PC 3")]
    svg = vlc.vegalite_to_svg(charts.arrows_row(W, ["a", "b"], axes=axes, followed=2).to_json())
    found = _opacity_by_feature(svg, "feature")
    assert sorted(found) == [0, 1, 2, 3, 4]
    assert found[2] == {1.0} and all(found[i] == {style.FADED} for i in (0, 1, 3, 4))
    plain = charts.arrows_row(W, ["a", "b"], axes=axes).to_dict()
    assert style.FEATURE_PICK not in json.dumps(plain) and "datum.feature ==" not in json.dumps(plain)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Altair warns when it has to merge copies of one selection itself
        spec = charts.arrows_row(W, ["a", "b"], axes=axes, pickable=True).to_dict()
    params = feature_picks(spec)
    assert len(params) == 1 and params[0]["select"]["fields"] == ["feature"] and params[0]["bind"] == "legend"
    # placed on each panel's tips (the dots), and on views that exist
    tips = {d["name"]: d["mark"] for d in walk(spec) if "mark" in d and "name" in d}
    assert len(params[0]["views"]) == 2 and all(
        tips.get(view, {}).get("type") == "circle" for view in params[0]["views"]
    )
    vega = vlc.vegalite_to_vega(spec)
    assert sum(s["name"] == style.FEATURE_PICK + "_tuple" for s in walk(vega) if "name" in s) == 2  # a click per panel
