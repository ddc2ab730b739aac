"""AppTests for the opening chapters: features as directions, privileged basis, the superposition hypothesis.

Each test moves a page's main controls and checks that the charts (or the reported numbers) respond.
"""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.test_pages import charts, open_page, progress_text

DIRECTIONS = "pages/features_as_directions.py"
PRIVILEGED = "pages/privileged_basis.py"
HYPOTHESIS = "pages/superposition_hypothesis.py"


def mentions(spec: str, text: str) -> bool:
    """``text`` appears in a serialised spec, as written or with non-ASCII characters escaped."""
    return text in spec or json.dumps(text)[1:-1] in spec


def charts_with(at: AppTest, text: str) -> list[str]:
    """Every chart (spec and data) whose spec mentions ``text``, in page order."""
    return [c for c in charts(at) if mentions(c, text)]


def chart_with(at: AppTest, text: str) -> str:
    found = charts_with(at, text)
    assert len(found) == 1, f"expected one chart mentioning {text!r}, found {len(found)}"
    return found[0]


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def metric_values(at: AppTest, label: str) -> list[float]:
    return [float(m.value) for m in at.metric if m.label == label]


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
    assert chart_with(at, CLOUD) != cloud and chart_with(at, SUM) != total  # the directions moved
    assert charts_with(at, "Training loss")


def test_directions_input_controls_change_the_sum() -> None:
    at = open_page(DIRECTIONS)
    total, neurons, cloud = chart_with(at, SUM), chart_with(at, NEURONS), chart_with(at, CLOUD)
    at.toggle(key="fad_on1").set_value(False).run()
    assert chart_with(at, SUM) != total and chart_with(at, NEURONS) != neurons
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
    assert chart_with(at, CLOUD) != before
    assert at.toggle(key="fad_on2")  # a third feature to switch on
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
    assert chart_with(at, "Nearest to") != bars
    at.radio(key="fad_attr").set_value("plural").run()
    assert chart_with(at, "One direction") != strip
    at.slider(key="fad_noise").set_value(1.5).run()
    assert chart_with(at, "Word vectors") != word_map


# ---- Privileged basis ---------------------------------------------------------------------------

ROTATION = "Loss as you rotate"


def test_privileged_rotation_leaves_linear_loss_and_changes_relu_loss() -> None:
    at = open_page(PRIVILEGED)
    for model in ("linear", "relu_hidden"):
        for _ in range(4):
            at.button(key=f"pb:{model}:step").click().run()
    assert not at.exception
    at.slider(key="pb_angle").set_value(45).run()
    linear, relu = metric_values(at, "Relative change")
    assert linear < 1e-9
    assert relu > 1e-2
    at.radio(key="pb_mode").set_value("Turn all neurons (a random rotation)").run()
    linear, relu = metric_values(at, "Relative change")
    assert linear < 1e-9 and relu > 1e-2


def test_privileged_rotation_controls_change_the_charts() -> None:
    at = open_page(PRIVILEGED)
    at.button(key="pb:relu_hidden:step").click().run()
    curves = charts_with(at, ROTATION)
    weights = charts_with(at, "The (rotated) weights")
    assert len(curves) == 2 and len(weights) == 2
    at.slider(key="pb_angle").set_value(90).run()
    assert charts_with(at, ROTATION) != curves  # the marker moved
    assert charts_with(at, "The (rotated) weights") != weights  # and the weights turned
    before = charts_with(at, ROTATION)
    at.radio(key="pb_mode").set_value("Turn all neurons (a random rotation)").run()
    assert charts_with(at, ROTATION) != before
    before = charts_with(at, ROTATION)
    at.number_input(key="pb_rotseed").set_value(4).run()
    assert charts_with(at, ROTATION) != before


def test_privileged_model_controls_start_new_runs() -> None:
    at = open_page(PRIVILEGED)
    at.button(key="pb:linear:step").click().run()
    assert at.get("progress")[0].proto.text.startswith("Step 1,500 of 30,000")
    before = charts_with(at, "The (rotated) weights")
    at.select_slider(key="pb_density").set_value(0.1).run()
    assert all(p.proto.text.startswith("Step 0 of") for p in at.get("progress"))
    assert charts_with(at, "The (rotated) weights") != before
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
    assert chart_with(at, HIST) != hist and chart_with(at, COUNTS) == counts
    at.select_slider(key="sh_eps").set_value(0.5).run()
    assert chart_with(at, COUNTS) != counts
    assert "|cos| < 0.5" in captions(at)


def test_hypothesis_sensing_controls() -> None:
    at = open_page(HYPOTHESIS)
    assert "**recovered exactly**" in captions(at)
    stems, curve = chart_with(at, STEMS), chart_with(at, RECOVERY)
    at.slider(key="sh_k").set_value(80).run()
    assert "**not recovered**" in captions(at)
    assert chart_with(at, STEMS) != stems and chart_with(at, RECOVERY) != curve
    stems = chart_with(at, STEMS)
    at.radio(key="sh_method").set_value("Orthogonal matching pursuit").run()
    assert chart_with(at, STEMS) != stems
    curve = chart_with(at, RECOVERY)
    at.select_slider(key="sh_csm").set_value(20).run()
    assert chart_with(at, RECOVERY) != curve


def test_hypothesis_model_and_checklist() -> None:
    at = open_page(HYPOTHESIS)
    text = " ".join(m.value for m in at.markdown)
    assert "Basis-aligned" in text and "not applicable" in text
    gram = chart_with(at, "W^T W and bias b")
    at.button(key="sh:run:step").click().run()
    assert not at.exception
    assert progress_text(at).startswith("Step 500 of 10,000")
    assert chart_with(at, "W^T W and bias b") != gram
    assert charts_with(at, "Eigenvalues of W")
    at.radio(key="sh_model").set_value("ReLU hidden layer (privileged basis)").run()
    assert progress_text(at).startswith("Step 0 of")
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
