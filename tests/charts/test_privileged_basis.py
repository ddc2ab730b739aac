"""core.charts.privileged_basis on hand-made arrays."""

from __future__ import annotations

import numpy as np
import pytest
import vl_convert as vlc

from core.charts import common, style
from core.charts import privileged_basis as pb_charts
from tests.helpers import (
    axis_titles,
    dataset_with,
    datasets_with,
    drawn_marks,
    encodings,
    feature_picks,
    mark_feature,
    spec_of,
    subtitles,
    titles,
)


def test_basis_heatmaps_share_one_diverging_scale() -> None:
    neuron = np.array([[1.0, 0.0], [0.0, -2.0], [0.5, 0.5]])
    pca = np.array([[0.0, 1.0], [3.0, 0.0], [0.7, 0.0]])
    spec = spec_of(pb_charts.basis_heatmaps(neuron, pca, "Two ways"))
    left, right = (dataset_with(p, "w") for p in ({"datasets": {k: v}} for k, v in spec["datasets"].items()))
    np.testing.assert_allclose(sorted(r["w"] for r in left + right), sorted(np.r_[neuron.ravel(), pca.ravel()]))
    for c in encodings(spec, "color"):
        assert c["scale"] == {"scheme": style.DIVERGING, "domain": [-3.0, 3.0], "domainMid": 0}
    assert spec["resolve"]["scale"]["color"] == "shared"
    assert {"Neuron basis", "PCA basis", "Two ways"} <= set(titles(spec))
    assert axis_titles(spec, "x") == {"neuron j", "principal axis k"}


def test_alignment_bars_only_the_stored_features_and_an_even_rule() -> None:
    neuron, pca = np.array([1.0, 0.3, 0.9, 0.5]), np.array([0.4, 0.2, 0.6, 0.5])
    spec = spec_of(pb_charts.alignment_bars(neuron, pca, [0, 2], 4, "Aligned?"))
    rows = dataset_with(spec, "basis")
    assert {(r["feature"], r["basis"], r["share"]) for r in rows} == {
        (0, "neuron basis", 1.0),
        (2, "neuron basis", 0.9),
        (0, "PCA basis", 0.4),
        (2, "PCA basis", 0.6),
    }
    rule = next(rows for rows in spec["datasets"].values() if len(rows) == 1)
    assert rule[0]["share"] == pytest.approx(0.25)
    assert any("1/m = 0.25" in s for s in subtitles(spec))


def test_rotation_loss_curve_and_the_chosen_angle() -> None:
    angles = np.arange(0, 361, 90)
    losses = np.array([1.0, 2.0, 1.0, 2.0, 1.0])
    spec = spec_of(pb_charts.rotation_loss(angles, losses, 45.0, 1.5, "Loss"))
    line = next(rows for rows in datasets_with(spec, "loss") if len(rows) == 5)
    assert [r["angle"] for r in line] == [0, 90, 180, 270, 360]
    (dot,) = [rows for rows in datasets_with(spec, "loss") if len(rows) == 1]
    assert dot == [{"angle": 45.0, "loss": 1.5}]
    lo, hi = next(e["scale"]["domain"] for e in encodings(spec, "y") if "scale" in e)
    assert lo < 1.0 and hi > 2.0  # a little room above and below the curve
    assert any("θ = 45°" in s for s in subtitles(spec))


def test_plane_arrows_drop_tiny_ones_and_label_only_long_ones() -> None:
    W2 = np.array([[1.0, 0.0], [0.0, 0.2], [0.01, 0.0], [-0.6, 0.8]])
    spec = spec_of(pb_charts.plane_arrows(W2, ("neuron 0", "neuron 1"), "Plane"))
    arrows = dataset_with(spec, "angle")
    assert [r["feature"] for r in arrows] == ["0", "1", "3"]  # feature 2 (length 0.01) is not drawn
    labels = next(rows for rows in datasets_with(spec, "length") if "angle" not in rows[0])
    assert [r["feature"] for r in labels] == ["0", "3"]  # 0.2 is too short for a label
    assert all(e.get("legend", "x") is None for e in encodings(spec, "color") if "field" in e)
    assert {"value": common.LABEL_INK} in encodings(spec, "color")  # dark numbers: yellow text is unreadable
    assert axis_titles(spec, "x") == {"neuron 0"}


# ---- linked views: a picked feature is followed in the arrows on neurons 0 and 1 and both weight heatmaps -------


PLANE = np.array([[1.0, 0.0], [0.0, 0.6], [-0.6, 0.8], [0.7, -0.7]])  # four arrows, every one long enough for a number
NEURON = np.array([[1.0, 0.0], [0.0, -2.0], [0.5, 0.5], [0.2, 0.1]])
PCA = np.array([[0.0, 1.0], [3.0, 0.0], [0.7, 0.0], [-0.1, 0.3]])


@pytest.mark.parametrize("followed", [0, 3])
def test_privileged_charts_fade_every_feature_but_the_followed_one(followed: int) -> None:
    """Rendered to SVG: the followed feature's arrow (line, head, number) and its row in both heatmaps stay opaque;
    every other feature's marks fade to style.FADED."""
    arrows = drawn_marks(pb_charts.plane_arrows(PLANE, ("neuron 0", "neuron 1"), "Plane", followed=followed))
    per_feature = [mark_feature(label) for label, _ in arrows]
    assert all(per_feature.count(f) == 3 for f in range(4)) and len(per_feature) == 12  # line, head, number
    heat = drawn_marks(pb_charts.basis_heatmaps(NEURON, PCA, "Two ways", followed=followed))
    assert sorted(mark_feature(label) for label, _ in heat) == sorted(list(range(4)) * 4)  # 2 cells a row, twice
    for label, opacity in arrows + heat:
        assert opacity == (1.0 if mark_feature(label) == followed else style.FADED), label


def test_privileged_charts_are_opaque_unfollowed_and_offer_the_click_when_pickable() -> None:
    builders = {
        "plane": lambda **kw: pb_charts.plane_arrows(PLANE, ("neuron 0", "neuron 1"), "Plane", **kw),
        "heat": lambda **kw: pb_charts.basis_heatmaps(NEURON, PCA, "Two ways", **kw),
    }
    for name, build in builders.items():
        plain = build().to_dict()
        assert style.FEATURE_PICK not in str(plain) and "datum.feature ==" not in str(plain), name
        assert all(opacity == 1.0 for _, opacity in drawn_marks(build())), name
        spec = build(pickable=True).to_dict()
        picks = feature_picks(spec)
        assert len(picks) == 1 and picks[0]["select"]["on"] == "click", name
        assert picks[0]["select"]["fields"] == ["feature"], name
        vlc.vegalite_to_svg(build(pickable=True, followed=1).to_json())  # Vega accepts it (no clashing signals)
        # a click reports the mark's "feature": every feature's index, readable as a number by the page (int())
        rows = [r for rows in datasets_with(spec, "feature") for r in rows]
        assert {int(r["feature"]) for r in rows} == {0, 1, 2, 3}, name
    heat = builders["heat"](pickable=True).to_dict()
    (pick,) = feature_picks(heat)
    cells = [d for d in heat["hconcat"] if d.get("mark") in ("rect", {"type": "rect"})]
    assert len(cells) == 2 and sorted(pick["views"]) == sorted(d["name"] for d in cells)  # a click on either heatmap
