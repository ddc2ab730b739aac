"""AppTests for the opening chapters: features as directions, privileged basis, the superposition hypothesis.

Each test moves a page's main controls and checks that the charts (or the reported numbers) respond.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.charts.style import FEATURE_PICK
from tests.helpers import (
    Chart,
    captions,
    chart_with,
    charts_with,
    moved,
    open_page,
    progress_text,
    progress_texts,
)
from ui.chapters.privileged_basis import percent

DIRECTIONS = "views/features_as_directions.py"
PRIVILEGED = "views/privileged_basis.py"
HYPOTHESIS = "views/superposition_hypothesis.py"


def arrow_lengths(chart: Chart) -> np.ndarray:
    """Lengths of the feature arrows W_i drawn in a chart (the rows that name a feature)."""
    return np.hypot(chart.array("x", having=("feature",)), chart.array("y", having=("feature",)))


def h_tip(chart: Chart) -> np.ndarray:
    """Where the arrow of your input's sum h ends."""
    xs, ys = chart.column("x", having=("feature",)), chart.column("y", having=("feature",))
    tips = [(x, y) for x, y, f in zip(xs, ys, chart.column("feature")) if f == "h"]
    assert len(tips) == 1, tips
    return np.array(tips[0])


def contributions(chart: Chart, feature: str) -> list[float]:
    """What one feature adds to each neuron in the neuron-by-neuron bars."""
    values = chart.column("value", having=("feature",))
    return [v for f, v in zip(chart.column("feature", having=("value",)), values) if f == feature]


def nearest_word(chart: Chart) -> str:
    [word] = [w for w, r in zip(chart.column("word"), chart.column("rank")) if r == "nearest word"]
    return word


def marker_angle(chart: Chart) -> float:
    """The rotation curve's marker: the one (angle, loss) row drawn as a point."""
    [angle] = [t.column("angle")[0].as_py() for t in chart.tables if t.num_rows == 1]
    return angle


def relu_curve(curves: list[Chart]) -> Chart:
    """Of the two rotation curves, the ReLU model's: the linear model's loss is flat under rotation."""
    [relu] = [c for c in curves if np.ptp(c.array("loss")) > 1e-6 * c.array("loss").max()]
    return relu


def exact_counts(chart: Chart) -> dict[int, float]:
    """How many directions fit, per m, from the exact-distribution curve."""
    rows = zip(chart.column("m", having=("curve",)), chart.column("N", having=("curve",)), chart.column("curve"))
    return {m: n for m, n, curve in rows if curve == "exact-distribution estimate"}


def true_entries(chart: Chart) -> list[int]:
    """Positions of the sparse vector's non-zero entries (the stems with no 'what' label)."""
    return sorted(t.column("i").to_pylist() for t in chart.tables if "what" not in t.column_names)[0]


def diagonal(chart: Chart) -> np.ndarray:
    """The diagonal of a W^T W heatmap: each feature's squared length."""
    cells = zip(chart.column("row"), chart.column("col"), chart.column("value"))
    return np.array([v for r, c, v in cells if r == c])


# ---- Features as directions -------------------------------------------------------------------

CLOUD = "Real inputs in hidden space"
SUM = "Your input: h"
NEURONS = "The same h, neuron by neuron"


def test_directions_step_trains_and_redraws() -> None:
    at = open_page(DIRECTIONS)
    assert progress_text(at).startswith("Step 0 of 10,000")
    cloud, total = chart_with(at, CLOUD), chart_with(at, SUM)
    assert not charts_with(at, "Training loss")
    at.button(key="fad:run:step").click().run()
    assert not at.exception
    assert progress_text(at).startswith("Step 500 of 10,000")
    # the feature directions W_i moved and grew, and with them your input's sum h
    new_cloud = chart_with(at, CLOUD)
    assert moved(cloud, new_cloud, "angle", having=("feature",))
    assert arrow_lengths(new_cloud).mean() > arrow_lengths(cloud).mean()
    assert not np.allclose(h_tip(chart_with(at, SUM)), h_tip(total))
    assert max(chart_with(at, "Training loss").column("step")) == 500


def test_directions_input_controls_change_the_sum() -> None:
    at = open_page(DIRECTIONS)
    total, neurons, cloud = chart_with(at, SUM), chart_with(at, NEURONS), chart_with(at, CLOUD)
    at.toggle(key="fad_on1").set_value(False).run()
    assert any(contributions(neurons, "1"))
    assert not any(contributions(chart_with(at, NEURONS), "1"))  # feature 1 no longer adds to any neuron
    assert contributions(chart_with(at, NEURONS), "0") == contributions(neurons, "0")
    assert not np.allclose(h_tip(chart_with(at, SUM)), h_tip(total))  # the sum h moved
    assert chart_with(at, CLOUD) == cloud  # the model and its data did not change, only your input
    assert "x = (+0.80, +0.00)" in captions(at)
    at.slider(key="fad_x0").set_value(0.3).run()
    assert "x = (+0.30, +0.00)" in captions(at)


def test_directions_model_controls_start_a_new_run() -> None:
    at = open_page(DIRECTIONS)
    at.button(key="fad:run:step").click().run()
    before = chart_with(at, CLOUD)
    at.select_slider(key="fad_n").set_value(3).run()
    assert progress_text(at).startswith("Step 0 of")
    assert set(before.column("feature")) == {"0", "1"}
    assert set(chart_with(at, CLOUD).column("feature")) == {"0", "1", "2"}  # a third direction is drawn
    assert at.toggle(key="fad_on2")  # and a third feature to switch on
    at.select_slider(key="fad_density").set_value(0.2).run()
    assert progress_text(at).startswith("Step 0 of")
    at.button(key="fad_paper").click().run()
    assert at.select_slider(key="fad_n").value == 2 and at.select_slider(key="fad_density").value == 1.0


def test_directions_embedding_controls() -> None:
    at = open_page(DIRECTIONS)
    assert "lands nearest to **queen**" in captions(at)
    bars, word_map, strip = (chart_with(at, t) for t in ("Nearest to", "Word vectors", "One direction"))
    at.selectbox(key="fad_a").set_value("kings").run()
    at.selectbox(key="fad_b").set_value("king").run()
    at.selectbox(key="fad_c").set_value("apple").run()
    assert "lands nearest to **apples**" in captions(at)  # the plural direction is shared by people and objects
    assert nearest_word(bars) == "queen" and nearest_word(chart_with(at, "Nearest to")) == "apples"
    at.radio(key="fad_attr").set_value("plural").run()
    assert {h.split(":")[0] for h in strip.column("has")} == {"gender"}
    assert {h.split(":")[0] for h in chart_with(at, "One direction").column("has")} == {"plural"}
    at.slider(key="fad_noise").set_value(1.5).run()
    noisy = chart_with(at, "Word vectors")
    assert noisy.column("word") == word_map.column("word")  # the same words ...
    assert moved(word_map, noisy, "x", having=("word",))  # ... at other places once noise is added


# ---- Privileged basis ---------------------------------------------------------------------------

ROTATION = "Loss as you rotate"


def test_privileged_rotation_leaves_linear_loss_and_changes_relu_loss() -> None:
    at = open_page(PRIVILEGED)
    for model in ("linear", "relu_hidden"):
        for _ in range(4):
            at.button(key=f"pb:{model}:step").click().run()
    assert not at.exception
    at.slider(key="pb_angle").set_value(45).run()
    linear, relu = percents(at, "Relative change")
    assert linear < 1e-7  # percent: a relative change below 1e-9
    assert relu > 1
    at.radio(key="pb_mode").set_value("Turn all neurons (a random rotation)").run()
    linear, relu = percents(at, "Relative change")
    assert linear < 1e-7 and relu > 1


def percents(at, label: str) -> list[float]:
    """The metrics called ``label``, which must read as percentages ("587%"), as numbers of percent."""
    values = [m.value for m in at.metric if m.label == label]
    assert values and all(v.endswith("%") for v in values), values
    return [float(v[:-1]) for v in values]


def test_privileged_relative_change_reads_as_a_percentage() -> None:
    assert percent(5.87) == "587%"  # the 5.87e+00
    assert percent(0.0123) == "1.23%"
    assert percent(0.0) == "0%"
    assert float(percent(1.4e-16)[:-1]) == pytest.approx(1.4e-14)  # float64 rounding keeps its exponent


def test_privileged_train_both_starts_both_runs() -> None:
    at = open_page(PRIVILEGED)
    assert all(p.startswith("Step 0 of") for p in progress_texts(at))
    at.button(key="pb_play_both").click().run()
    assert not at.exception
    texts = progress_texts(at)
    assert len(texts) == 2 and all(not p.startswith("Step 0 of") for p in texts), texts


def test_privileged_rotation_controls_change_the_charts() -> None:
    at = open_page(PRIVILEGED)
    at.button(key="pb:relu_hidden:step").click().run()
    curves = charts_with(at, ROTATION)
    weights = charts_with(at, "The (rotated) weights")
    assert len(curves) == 2 and len(weights) == 2
    at.slider(key="pb_angle").set_value(90).run()
    assert [marker_angle(c) for c in curves] == [0, 0]
    assert [marker_angle(c) for c in charts_with(at, ROTATION)] == [90, 90]  # the marker moved to 90 degrees
    turned = charts_with(at, "The (rotated) weights")
    assert all(moved(w, t, "w") for w, t in zip(weights, turned))  # and the weights turned
    relu = relu_curve(charts_with(at, ROTATION))
    at.radio(key="pb_mode").set_value("Turn all neurons (a random rotation)").run()
    assert moved(relu, relu_curve(charts_with(at, ROTATION)), "loss", having=("angle",))
    relu = relu_curve(charts_with(at, ROTATION))
    at.number_input(key="pb_rotseed").set_value(4).run()
    assert moved(relu, relu_curve(charts_with(at, ROTATION)), "loss", having=("angle",))  # another rotation


def test_privileged_model_controls_start_new_runs() -> None:
    at = open_page(PRIVILEGED)
    at.button(key="pb:linear:step").click().run()
    assert at.get("progress")[0].proto.text.startswith("Step 1,500 of 30,000")
    before = charts_with(at, "The (rotated) weights")
    at.select_slider(key="pb_density").set_value(0.1).run()
    assert all(p.proto.text.startswith("Step 0 of") for p in at.get("progress"))
    after = charts_with(at, "The (rotated) weights")
    assert all(moved(b, a, "w") for b, a in zip(before, after))  # new runs, new weights
    at.select_slider(key="pb_m").set_value(2).run()
    assert not at.exception
    at.button(key="pb_paper").click().run()
    assert at.select_slider(key="pb_m").value == 5 and at.select_slider(key="pb_density").value == 1.0


# ---- The superposition hypothesis --------------------------------------------------------------

HIST = "bars measured, line exact"
COUNTS = "How many random directions fit"
STEMS = "The sparse vector and what comes back"
RECOVERY = "Recovery fails"


def test_hypothesis_vector_controls() -> None:
    at = open_page(HYPOTHESIS)
    hist, counts = chart_with(at, HIST), chart_with(at, COUNTS)
    at.select_slider(key="sh_m").set_value(10).run()
    assert hist.title().startswith("m = 100") and chart_with(at, HIST).title().startswith("m = 10:")
    assert moved(hist, chart_with(at, HIST), "density", having=("hi",))  # |cos| spreads out in fewer dimensions
    assert chart_with(at, COUNTS) == counts
    at.select_slider(key="sh_eps").set_value(0.5).run()
    looser, tighter = exact_counts(chart_with(at, COUNTS)), exact_counts(counts)
    shared = sorted(set(looser) & set(tighter))
    assert shared and all(looser[m] > tighter[m] for m in shared)  # a looser bound fits more directions
    assert chart_with(at, COUNTS).title().endswith("|cos| < 0.5")
    assert "|cos| < 0.5" in captions(at)


def test_hypothesis_sensing_controls() -> None:
    at = open_page(HYPOTHESIS)
    assert "**recovered exactly**" in captions(at)
    stems = chart_with(at, STEMS)
    at.slider(key="sh_k").set_value(80).run()
    assert "**not recovered**" in captions(at)
    assert len(true_entries(chart_with(at, STEMS))) == 80 > len(true_entries(stems))  # k non-zero entries
    assert 80 in chart_with(at, RECOVERY).column("k", having=("what",))  # the chosen k is marked on the curve
    stems = chart_with(at, STEMS)
    at.radio(key="sh_method").set_value("Orthogonal matching pursuit").run()
    assert true_entries(chart_with(at, STEMS)) == true_entries(stems)  # the same x ...
    assert moved(stems, chart_with(at, STEMS), "value", having=("what",))  # ... comes back differently
    at.select_slider(key="sh_csm").set_value(20).run()
    assert "k = m = 20" in chart_with(at, RECOVERY).column("what")


def test_hypothesis_model_and_checklist() -> None:
    at = open_page(HYPOTHESIS)
    assert "checked on this model" not in " ".join(m.value for m in at.markdown)  # untrained: no verdicts yet
    gram = chart_with(at, "Wᵀ W and bias b")
    at.button(key="sh:run:step").click().run()
    assert not at.exception
    assert progress_text(at).startswith("Step 500 of 10,000")
    text = " ".join(m.value for m in at.markdown)
    assert "Basis-aligned" in text and "not applicable" in text
    trained = chart_with(at, "Wᵀ W and bias b")
    assert diagonal(trained).mean() > diagonal(gram).mean()  # features gained length: ||W_i||^2 grew
    assert charts_with(at, "Eigenvalues of W")
    at.radio(key="sh_model").set_value("ReLU hidden layer (privileged basis)").run()
    assert progress_text(at).startswith("Step 0 of")
    at.button(key="sh:run:step").click().run()
    text = " ".join(m.value for m in at.markdown)
    assert "largest-|weight| share" in text  # basis alignment is now a question with an answer
    at.button(key="sh_paper").click().run()
    assert at.radio(key="sh_model").value.startswith("ReLU output")


def test_hypothesis_sensing_prose_comes_from_the_curve() -> None:
    """The 'what to notice' numbers are the page's own recovery curve at its defaults (m = 40, L1, seed 0), not
    remembered ones (the old text said recovery falls to zero past about 15-20; L1 still recovers many at 20)."""
    from core.chapters import superposition_hypothesis as hyp
    from ui.chapters.superposition_hypothesis import sensing_ks

    at = open_page(HYPOTHESIS)
    text = " ".join(m.value for m in at.markdown)
    ks = sensing_ks(40)
    rate = hyp.recovery_curve(100, 40, ks, trials=8, method="l1", seed=0)
    last_perfect = max(int(k) for i, k in enumerate(ks) if (rate[: i + 1] == 1).all())
    first_none = min(int(k) for i, k in enumerate(ks) if (rate[i:] == 0).all())
    assert f"up to {last_perfect} non-zeros came back exactly" in text
    assert f"none did from k = {first_none} on" in text
    assert 20 < first_none <= 40  # recovery lasts well past k = 20 with 40 measurements
    assert "15 to 20" not in text


def test_hypothesis_relu_hidden_trains_long_enough_by_default() -> None:
    at = open_page(HYPOTHESIS)
    at.radio(key="sh_model").set_value("ReLU hidden layer (privileged basis)").run()
    assert progress_text(at).startswith("Step 0 of 20,000")
    assert "not decomposable" in " ".join(m.value for m in at.markdown)


def test_hypothesis_links_its_gram_and_norm_charts() -> None:
    """Linked views (issue 18): a feature picked in Wᵀ W or the norm bars is followed in both charts."""
    at = open_page(HYPOTHESIS)
    at.button(key="sh:run:step").click().run()
    linked = [chart_with(at, "Wᵀ W and bias b"), chart_with(at, "Feature norms")]
    assert all(FEATURE_PICK in c.text and "datum.feature == " not in c.text for c in linked), "pickable, none followed"
    at.session_state["sh_followed"] = 2  # what a click on feature 2's bar records
    at.run()
    assert "Following feature 2" in " ".join(m.value for m in at.markdown)
    gram, norms = chart_with(at, "Wᵀ W and bias b"), chart_with(at, "Feature norms")
    assert "datum.feature == 2" in norms.text and "datum.row == 2" in gram.text
    at.button(key="sh_unfollow").click().run()
    assert "Following feature" not in " ".join(m.value for m in at.markdown)
    assert "datum.feature == 2" not in chart_with(at, "Feature norms").text
