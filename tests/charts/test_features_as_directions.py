"""core.charts.features_as_directions on hand-made arrays: what each chart draws, where, and in which colours."""

from __future__ import annotations

import numpy as np
import pytest
import vl_convert as vlc

from core.charts import features_as_directions as fad_charts
from core.charts import style
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
    walk,
)


def test_sum_of_directions_chains_the_pieces_tip_to_tail() -> None:
    directions = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])
    pieces = np.array([[0.5, 0.0], [0.0, 0.0], [-2.0, -2.0]])  # x = (0.5, 0, 2): feature 1 is off
    spec = spec_of(fad_charts.sum_of_directions(directions, pieces, axis_names=("PC1", "PC2")))
    arrows = datasets_with(spec, "x0")
    full = next(rows for rows in arrows if len(rows) == 3)  # the dashed W_i from the origin
    np.testing.assert_allclose([[r["x"], r["y"]] for r in full], directions)
    assert all(r["x0"] == 0 and r["y0"] == 0 for r in full)
    chain = next(rows for rows in arrows if len(rows) == 2)  # the active pieces, tip to tail
    assert [r["feature"] for r in chain] == ["0", "2"]
    np.testing.assert_allclose(
        [[r["x0"], r["y0"], r["x"], r["y"]] for r in chain], [[0, 0, 0.5, 0], [0.5, 0, -1.5, -2]]
    )
    (h,) = [rows for rows in arrows if len(rows) == 1]  # the sum h from the origin
    assert (h[0]["x"], h[0]["y"]) == pytest.approx((-1.5, -2.0))
    lo, hi = next(e["scale"]["domain"] for e in encodings(spec, "x") if "scale" in e)
    assert lo == -hi and hi >= 2.0  # the sum's tip is inside the square
    assert axis_titles(spec, "x") == {"PC1"} and any("grey: the sum h" in s for s in subtitles(spec))


def test_sum_of_directions_with_nothing_on_draws_only_the_directions() -> None:
    directions = np.array([[1.0, 0.0], [0.0, 1.0]])
    spec = spec_of(fad_charts.sum_of_directions(directions, np.zeros((2, 2))))
    assert [len(rows) for rows in datasets_with(spec, "x0")] == [2]


def test_neuron_contributions_stacks_pieces_and_ticks_h() -> None:
    contribs = np.array([[0.5, -0.25], [1.0, 0.0], [0.0, 2.0]])  # 3 features, 2 neurons
    h = np.array([1.5, 1.75])
    spec = spec_of(fad_charts.neuron_contributions(contribs, h))
    bars = dataset_with(spec, "value")
    assert len(bars) == 6
    got = {(r["feature"], r["neuron"]): r["value"] for r in bars}
    assert got[("0", 1)] == -0.25 and got[("2", 1)] == 2.0
    ticks = dataset_with(spec, "h")
    assert [(r["neuron"], r["h"]) for r in ticks] == [(0, 1.5), (1, 1.75)]
    (color,) = encodings(spec, "color")
    assert color["scale"]["domain"] == ["0", "1", "2"] and color["scale"]["range"] == style.OKABE_ITO[:3]


def test_hidden_cloud_points_features_and_neuron_axes() -> None:
    points = np.array([[0.1, 0.2], [0.3, -0.4], [2.5, 0.0]])
    features = np.array([[1.0, 0.0], [0.0, 1.0]])
    neurons = np.array([[0.6, 0.8], [-0.8, 0.6], [0.0, 0.0]])
    spec = spec_of(fad_charts.hidden_cloud(points, features, neurons, np.array([0.75, 0.2])))
    dots = next(rows for rows in spec["datasets"].values() if rows and set(rows[0]) == {"x", "y"})
    np.testing.assert_allclose([[r["x"], r["y"]] for r in dots], points)
    for axes in datasets_with(spec, "label"):  # the dashed arrows and their labels
        assert [r["label"] for r in axes] == ["neuron 0", "neuron 1", "neuron 2"]
        np.testing.assert_allclose([[r["x"], r["y"]] for r in axes], neurons)
    feature_arrows = next(rows for rows in datasets_with(spec, "feature"))
    np.testing.assert_allclose([[r["x"], r["y"]] for r in feature_arrows], features)
    assert {"PC1 (75% of variance)"} == axis_titles(spec, "x")
    lo, hi = next(e["scale"]["domain"] for e in encodings(spec, "x") if "scale" in e)
    assert hi >= 2.5 and lo == -hi


def test_analogy_bars_highlight_the_first_word() -> None:
    spec = spec_of(fad_charts.analogy_bars(["queen", "king", "apple"], [0.9, 0.4, -0.1], "Nearest"))
    rows = dataset_with(spec, "cos")
    assert [(r["word"], r["rank"]) for r in rows] == [
        ("queen", "nearest word"),
        ("king", "other words"),
        ("apple", "other words"),
    ]
    (color,) = encodings(spec, "color")
    assert color["scale"]["range"] == [style.OKABE_ITO[1], style.GREY]
    assert next(e for e in encodings(spec, "x"))["scale"]["domain"] == [-1, 1]
    assert "Nearest" in titles(spec)


def test_embedding_map_words_groups_and_arrows() -> None:
    coords = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 3.0]])
    arrows = np.array([[[0.0, 0.0], [1.0, 0.0]]])
    chart = fad_charts.embedding_map(
        coords,
        ["man", "woman", "x"],
        ["no", "yes", "a − b + c"],
        np.array([0.5, 0.3]),
        arrows,
        "word",
        domain=["no", "yes", "a − b + c"],
    )
    spec = spec_of(chart)
    words = dataset_with(spec, "word")
    assert [(r["word"], r["group"]) for r in words] == [("man", "no"), ("woman", "yes"), ("x", "a − b + c")]
    (arrow,) = datasets_with(spec, "x0")
    assert (arrow[0]["x0"], arrow[0]["x"]) == (0.0, 1.0)
    color = next(e for e in encodings(spec, "color") if "scale" in e)
    assert color["scale"]["domain"] == ["no", "yes", "a − b + c"]
    assert axis_titles(spec, "y") == {"PC2 (30% of variance)"}


def test_embedding_map_without_arrows_has_no_key() -> None:
    spec = spec_of(
        fad_charts.embedding_map(np.eye(2), ["a", "b"], ["g", "g"], np.array([0.5, 0.5]), np.zeros((0, 2, 2)), "w")
    )
    assert datasets_with(spec, "x0") == [] and subtitles(spec) == [""]


def test_direction_strip_positions_and_property_colours() -> None:
    spec = spec_of(fad_charts.direction_strip(["king", "queen"], np.array([-0.5, 0.7]), [False, True], "gender"))
    rows = dataset_with(spec, "proj")
    assert [(r["word"], r["proj"], r["has"]) for r in rows] == [
        ("king", -0.5, "gender: no"),
        ("queen", 0.7, "gender: yes"),
    ]
    (color,) = encodings(spec, "color")
    assert color["scale"]["domain"] == ["gender: no", "gender: yes"]
    assert "One direction, one property: gender" in titles(spec)


# ---- linked views: a picked feature is followed in the sum of directions and the neuron bars ----------------


def _directions_and_pieces() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    directions = np.array([[1.0, 0.0], [0.0, 1.0], [-0.6, -0.8]])
    x = np.array([0.5, 0.4, 1.0])  # every feature on: each one has a dashed arrow, a piece and a number
    contribs = np.array([[0.5, 0.0, -0.25], [0.0, 0.4, 0.1], [0.3, -0.2, 0.6]])  # 3 features, 3 neurons
    return directions, x[:, None] * directions, contribs


@pytest.mark.parametrize("followed", [0, 2])
def test_directions_charts_fade_every_feature_but_the_followed_one(followed: int) -> None:
    """Rendered to SVG: the followed feature's dashed arrow, piece, number and bar segments stay opaque, every
    other feature's fade to style.FADED; the sum h and the ticks hⱼ (no feature's) look as they do unfollowed."""
    directions, pieces, contribs = _directions_and_pieces()
    builders = {
        "sum": lambda **kw: fad_charts.sum_of_directions(directions, pieces, **kw),
        "neurons": lambda **kw: fad_charts.neuron_contributions(contribs, contribs.sum(axis=0), **kw),
    }
    for name, build in builders.items():
        plain, faded = drawn_marks(build()), drawn_marks(build(followed=followed, pickable=True))
        assert [label for label, _ in plain] == [label for label, _ in faded], name  # the same marks are drawn
        features = [mark_feature(label, optional=True) for label, _ in faded]
        assert {f for f in features if f is not None} == {0, 1, 2}, name
        for (label, before), (_, after), feature in zip(plain, faded, features):
            if feature is None:
                assert after == before, (name, label)  # the sum h, a tick: not a feature, not faded
            else:
                assert before == 1.0 and after == (1.0 if feature == followed else style.FADED), (name, label)
    # per feature, the sum chart draws the dashed arrow (line, head), the piece (line, head) and the number
    sum_marks = [mark_feature(label, optional=True) for label, _ in drawn_marks(builders["sum"](followed=followed))]
    assert all(sum_marks.count(f) == 5 for f in range(3)) and sum_marks.count(None) == 2  # and h: line, head


def test_directions_charts_are_opaque_unfollowed_and_offer_the_click_when_pickable() -> None:
    directions, pieces, contribs = _directions_and_pieces()
    builders = {
        "sum": lambda **kw: fad_charts.sum_of_directions(directions, pieces, **kw),
        "sum, nothing on": lambda **kw: fad_charts.sum_of_directions(directions, np.zeros((3, 2)), **kw),
        "neurons": lambda **kw: fad_charts.neuron_contributions(contribs, contribs.sum(axis=0), **kw),
    }
    for name, build in builders.items():
        plain = build().to_dict()
        assert style.FEATURE_PICK not in str(plain) and "datum.feature ==" not in str(plain), name
        spec = build(pickable=True).to_dict()
        picks = feature_picks(spec)
        assert len(picks) == 1 and picks[0]["select"]["on"] == "click", name
        assert picks[0]["select"]["fields"] == ["feature"], name
        units = {d["name"] for d in walk(spec) if "mark" in d and "name" in d}
        assert set(picks[0].get("views", [])) <= units, name  # placed on a mark of this chart
        vlc.vegalite_to_svg(build(pickable=True, followed=1).to_json())  # Vega accepts it (no clashing signals)
        # a click reports the mark's "feature": the index as text, which the page reads as a number (int())
        rows = [r for rows in datasets_with(spec, "feature") for r in rows if r["feature"] != "h"]
        assert {int(r["feature"]) for r in rows} == {0, 1, 2}, name
