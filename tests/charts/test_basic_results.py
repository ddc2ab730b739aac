"""core.charts.basic_results on hand-made arrays and tables."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import vl_convert as vlc

from core.charts import basic_results as br_charts
from core.charts import style
from tests.helpers import axis_titles, dataset_with, encodings, feature_picks, spec_of, subtitles, titles


def features() -> pd.DataFrame:
    """Three features: one alone, one shared beyond 1 (colour clipped), one dropped."""
    return pd.DataFrame(
        {
            "feature": [0, 1, 2],
            "norm": [1.0, 0.9, 0.1],
            "superposition": [0.0, 1.7, 0.0],
            "represented": [True, True, False],
        }
    )


def test_norm_bars_superposition_grey_for_dropped_and_a_threshold_rule() -> None:
    spec = spec_of(br_charts.norm_bars_superposition(features(), 0.5))
    rows = dataset_with(spec, "norm")
    assert [(r["norm"], r["represented"], r["sup_clipped"]) for r in rows] == [
        (1.0, True, 0.0),
        (0.9, True, 1.0),
        (0.1, False, 0.0),
    ]
    assert [r["superposition"] for r in rows] == [0.0, 1.7, 0.0]  # the tooltip keeps the true value
    assert dataset_with(spec, "x") == [{"x": 0.5}]
    (color,) = encodings(spec, "color")
    assert color["value"] == br_charts.DROPPED_GREY and color["condition"]["scale"]["domain"] == [0, 1]
    assert any("≤ 0.5" in s for s in subtitles(spec))


def test_norm_bars_superposition_needs_the_feature_columns() -> None:
    with pytest.raises(ValueError, match="represented"):
        br_charts.norm_bars_superposition(features().drop(columns="represented"), 0.5)


def test_pca_features_places_arrows_and_labels_only_represented() -> None:
    coords = np.array([[1.0, 0.0], [-2.0, 0.5], [0.0, 0.05]])
    spec = spec_of(br_charts.pca_features(features(), coords, np.array([0.8, 0.15]), "Directions"))
    rows = dataset_with(spec, "label")
    np.testing.assert_allclose([[r["x"], r["y"]] for r in rows], coords)
    assert [r["label"] for r in rows] == ["0", "1", ""]
    assert all(r["x0"] == 0 and r["y0"] == 0 for r in rows)
    assert axis_titles(spec, "x") == {"PC1 (80% of ‖W‖²)"}
    lo, hi = next(e["scale"]["domain"] for e in encodings(spec, "x") if "scale" in e)
    assert lo == -hi and hi == pytest.approx(2.0 * 1.15)
    assert "Directions" in titles(spec)


def overview() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "model": ["Linear", "Linear", "ReLU", "ReLU"],
            "density": [1.0, 0.1, 1.0, 0.1],
            "represented": [5, 5, 5, 9],
            "superposition": [0.0, 0.0, 0.0, 3.5],
            "relative loss": [1.0, 1.0, 1.0, 0.6],
        }
    )


def test_sweep_overview_three_panels_against_inverse_density() -> None:
    spec = spec_of(br_charts.sweep_overview(overview(), m=5))
    assert len(spec["hconcat"]) == 3
    rows = dataset_with(spec, "inverse")
    assert [(r["model"], r["inverse"], r["represented"]) for r in rows] == [
        ("Linear", 1.0, 5),
        ("Linear", 10.0, 5),
        ("ReLU", 1.0, 5),
        ("ReLU", 10.0, 9),
    ]
    refs = [rows for rows in spec["datasets"].values() if rows and "name" in rows[0]]
    assert sorted(r[0]["name"] for r in refs) == ["best linear model", "m = 5 dimensions"]
    assert {e["field"] for e in encodings(spec, "y") if "field" in e} >= {
        "represented",
        "superposition",
        "relative loss",
    }
    color = next(e for e in encodings(spec, "color"))
    assert color["scale"]["domain"] == ["Linear", "ReLU"] and color["scale"]["range"] == style.OKABE_ITO[:2]
    with pytest.raises(ValueError):
        br_charts.sweep_overview(overview().drop(columns="relative loss"), m=5)


def test_gram_panel_cells_bias_and_compact_ticks() -> None:
    n = 30
    g = np.diag(np.arange(n, dtype=float))
    g[0, 1] = g[1, 0] = -40.0
    spec = spec_of(br_charts.gram_panel(g, np.full(n, 0.5), "Gram"))
    cells = next(rows for rows in spec["datasets"].values() if rows[0]["col"] != "b")
    assert len(cells) == n * n and {(r["row"], r["col"]): r["value"] for r in cells}[(0, 1)] == -40.0
    colors = encodings(spec, "color")
    assert all(c["scale"]["domain"] == [-40.0, 40.0] and c["scale"]["domainMid"] == 0 for c in colors)
    x_axis = spec["hconcat"][0]["encoding"]["x"]["axis"]
    assert x_axis["values"] == list(range(0, n, 2))  # every other feature labelled when n = 30
    assert "Gram" in titles(spec)


def test_loss_by_density_one_line_per_density() -> None:
    steps = np.array([0, 100])
    losses = np.array([[0.3, 0.2], [0.1, 0.0]])
    spec = spec_of(br_charts.loss_by_density(steps, losses, [1.0, 0.03]))
    rows = dataset_with(spec, "run")
    assert [(r["step"], r["run"], r["loss"]) for r in rows] == [
        (0, "p = 1", 0.3),
        (0, "p = 0.03", 0.2),
        (100, "p = 1", 0.1),
    ]
    (color,) = encodings(spec, "color")
    assert color["legend"] == {"title": "density", "orient": "bottom", "columns": 4}
    assert color["scale"]["domain"] == ["p = 1", "p = 0.03"]


def _opacities(svg: str, pattern: str) -> list[tuple[tuple[str, ...], float]]:
    """(the groups ``pattern`` finds in a mark's aria-label, its drawn opacity) for every SVG mark that has them."""
    found = []
    for mark in re.findall(r"<(?:path|circle|line)\b[^>]*>", svg):
        label = re.search(r'aria-label="([^"]*)"', mark)
        hit = re.search(pattern, label.group(1)) if label else None
        if hit:
            opacity = re.search(r'\sopacity="([0-9.]+)"', mark)
            found.append((hit.groups(), float(opacity.group(1)) if opacity else 1.0))
    return found


@pytest.mark.parametrize("followed", [0, 2])
def test_basic_results_charts_fade_every_feature_but_the_followed_one(followed: int) -> None:
    """Linked views on Basic results: rendered to SVG (vl-convert), the followed feature's bar, dot and line, and its
    row and column of Wᵀ W (and its bias cell), stay opaque; every other mark of a feature fades."""
    table = features()
    coords = np.array([[1.0, 0.0], [-0.9, 0.1], [0.05, 0.0]])
    for chart in (
        br_charts.norm_bars_superposition(table, 0.5, followed=followed),
        br_charts.pca_features(table, coords, np.array([0.8, 0.15]), "Directions", followed=followed),
    ):
        marks = _opacities(vlc.vegalite_to_svg(chart.to_json()), r"\bfeature: (\d+)(?:;|$)")
        assert {int(f) for (f,), _ in marks} == {0, 1, 2}
        for (feature,), opacity in marks:
            assert opacity == (1.0 if int(feature) == followed else style.FADED), (feature, opacity)
    W = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    heat = vlc.vegalite_to_svg(br_charts.gram_panel(W @ W.T, np.zeros(3), "Gram", followed=followed).to_json())
    cells = _opacities(heat, r"\bi: (\d+); j: ([0-9b]+)")
    assert len(cells) == 9 + 3  # every cell of Wᵀ W and of b
    for (i, j), opacity in cells:
        assert opacity == (1.0 if followed in (int(i), None if j == "b" else int(j)) else style.FADED), (i, j)


def test_basic_results_charts_are_opaque_unfollowed_and_offer_the_click_when_pickable() -> None:
    table, coords = features(), np.array([[1.0, 0.0], [-0.9, 0.1], [0.05, 0.0]])
    W = np.eye(3)
    builders = {
        "norms": lambda **kw: br_charts.norm_bars_superposition(table, 0.5, **kw),
        "pca": lambda **kw: br_charts.pca_features(table, coords, np.array([0.8, 0.15]), "D", **kw),
        "gram": lambda **kw: br_charts.gram_panel(W, np.zeros(3), "Gram", **kw),
    }
    for name, build in builders.items():
        plain = build().to_dict()
        assert style.FEATURE_PICK not in str(plain) and "datum.feature ==" not in str(plain), name
        picks = feature_picks(build(pickable=True).to_dict())
        assert len(picks) == 1 and picks[0]["select"]["on"] == "click", name
        assert picks[0]["select"]["fields"] == (["row"] if name == "gram" else ["feature"]), name
