"""AppTests of "predict, then train" on the phase-change, privileged-basis and computation pages: lock a prediction,
train (few steps), see the comparison. Each expected result is recomputed here from the trained weights, by hand,
not by the page's code. The geometry and learning-dynamics pages are only checked to ask (their runs, or redrawing
them once trained, take too long for this file)."""

from __future__ import annotations

import numpy as np

from core.chapters import phase_change_predict as pc
from core.chapters import privileged_basis_predict as pb
from tests.helpers import markdown_text, open_page, progress_texts, sample_x
from ui.chapters import phase_change as ph

PHASE = "views/phase_change.py"
PHASE_SHORT = {"pc_seeds": "3", "pc_steps": "2000"}
PHASE_BOX = "predict_phase_change_cell_n2_r2.98_p0.0336_paper"  # the page's default cell


def _finish(at, key: str) -> None:
    at.session_state[key].trainer.run()  # train to the end, as Play would
    at.run()
    assert not at.exception, at.exception


def _comparison(at) -> tuple[str, bool]:
    """The revealed comparison's text, and whether it is shown as a match (success) or not (warning)."""
    shown = [(e.value, True) for e in at.success if "You predicted" in e.value]
    shown += [(e.value, False) for e in at.warning if "You predicted" in e.value]
    assert len(shown) == 1, shown
    return shown[0]


def _n2_phase(W: np.ndarray, losses: np.ndarray) -> str:
    """n = 2, m = 1, the paper's reduction, by hand: drop the highest-loss model, average |W_extra| and
    (sign(W_extra) W_0)², then: norm ≤ 0.5 not learned, superposition > 0.5 superposition, else dedicated."""
    keep = np.arange(len(losses)) != np.argmax(losses)
    extra, other = W[keep, 1, 0], W[keep, 0, 0]
    if np.abs(extra).mean() <= 0.5:
        return "not learned"
    return "superposition" if ((np.sign(extra) * other) ** 2).mean() > 0.5 else "dedicated"


def test_phase_change_predict_train_compare():
    at = open_page(PHASE, PHASE_SHORT)
    at.radio(key=PHASE_BOX).set_value(pc.DEDICATED).run()
    at.button(key=f"{PHASE_BOX}_lock").click().run()
    assert f"Your prediction: **{pc.DEDICATED}** (locked)" in markdown_text(at)
    _finish(at, "pc:cell")
    view = at.session_state["pc:cell"].trainer.view()
    result = _n2_phase(view.W.astype(float), view.loss.astype(float))
    text, matched = _comparison(at)
    assert f"the trained model: **{result}**" in text and matched is (result == pc.DEDICATED), text


def test_a_picked_cell_waits_for_the_prediction():
    at = open_page(PHASE, PHASE_SHORT)
    at.select_slider(key="pc_p").set_value(ph.P_OPTIONS[2]).run()  # a new cell
    assert progress_texts(at)[0].startswith("Step 0 of")  # not started: its question is open
    assert any("waits for your prediction" in c.value for c in at.caption)
    at.query_params["predict"] = "off"
    at.select_slider(key="pc_p").set_value(ph.P_OPTIONS[3]).run()
    assert not progress_texts(at)[0].startswith("Step 0 of")  # with predictions off, picking a cell trains it


PRIVILEGED = "views/privileged_basis.py"
PB_BOX = "predict_privileged_basis_rotation_plane45"


def _relu_hidden_loss(W: np.ndarray, b: np.ndarray, x: np.ndarray, importance: np.ndarray) -> float:
    out = np.maximum(np.maximum(x @ W, 0) @ W.T + b, 0)
    return float((importance * (x - out) ** 2).mean())


def test_privileged_basis_predict_train_compare():
    at = open_page(PRIVILEGED, {"pb_steps": "5000", "pb_n": "4", "pb_m": "2"})  # small: cheap to train and draw
    at.radio(key=PB_BOX).set_value(pb.BOTH).run()
    at.button(key=f"{PB_BOX}_lock").click().run()
    _finish(at, "pb:linear")
    assert any("graded when training finishes" in c.value for c in at.caption)  # the ReLU model has not trained
    _finish(at, "pb:relu_hidden")
    view = at.session_state["pb:relu_hidden"].trainer.view()
    W, b = view.W[0].astype(float), view.b[0].astype(float)
    x = sample_x(np.random.default_rng(5), np.ones(4), 4096)  # dense features, importance 0.75^i (the defaults)
    c, s = np.cos(np.pi / 4), np.sin(np.pi / 4)
    M = np.array([[c, -s], [s, c]])
    importance = 0.75 ** np.arange(4)
    before, after = _relu_hidden_loss(W, b, x, importance), _relu_hidden_loss(W @ M, b, x, importance)
    # a linear model's loss cannot change (W M Mᵀ Wᵀ = W Wᵀ), so the answer hangs on the ReLU model alone
    expected = pb.RELU_ONLY if abs(after - before) / before > 1e-6 else pb.NEITHER
    text, matched = _comparison(at)
    assert f"the trained model: **{expected}**" in text and not matched, text


COMPUTATION = "views/computation.py"
CS_BOX = "predict_computation_circuits_steps2000_best1_seed0"


def _clean_pairs(W1: np.ndarray, W2: np.ndarray) -> int:
    """Features with a ReLU(x) and a ReLU(-x) neuron of their own feeding their output equally, by hand: rescale
    each neuron to input weight ±1 on its main feature; it must read nothing else (< 0.2, the chapter's tolerance)
    and feed only that output (others ≤ 0.2 of it); the two sides' output weights must agree within 20 %."""
    found: dict[int, dict[bool, float]] = {}
    for k in range(W1.shape[1]):
        i = int(np.argmax(np.abs(W1[:, k])))
        scale = abs(W1[i, k])
        reads, feeds = np.abs(W1[:, k]) / scale, W2[:, k] * scale
        if np.delete(reads, i).max() < 0.2 and feeds[i] > 0 and np.delete(np.abs(feeds), i).max() <= 0.2 * feeds[i]:
            found.setdefault(i, {})[bool(W1[i, k] > 0)] = feeds[i]
    pairs = [sides for sides in found.values() if len(sides) == 2]
    return int(sum(abs(s[True] - s[False]) <= 0.2 * max(s.values()) for s in pairs))


def test_computation_predict_train_compare():
    at = open_page(COMPUTATION, {"cs_steps": "2000", "cs_seeds": "1"})
    at.number_input(key=CS_BOX).set_value(3).run()
    at.button(key=f"{CS_BOX}_lock").click().run()
    _finish(at, "cs:run")
    view = at.session_state["cs:run"].trainer.view()
    expected = _clean_pairs(view.W[0].astype(float), view.W2[0].astype(float))
    text, matched = _comparison(at)
    assert f"the trained model: **{expected}**" in text and matched is (expected == 3), text


def test_learning_dynamics_asks_only_about_the_triples():
    # (training this page to the end and redrawing it takes over 10 s, too long for this file)
    at = open_page("views/learning_dynamics.py")
    assert [r.key for r in at.radio if r.key and r.key.startswith("predict_")] == [
        "predict_learning_dynamics_final_share_p0.02_init0.1_seed0"
    ]
    at.radio(key="ld_setting").set_value("Uniform superposition (n = 12, m = 4)").run()
    assert not [r for r in at.radio if r.key and r.key.startswith("predict_")]


def test_geometry_asks_about_correlated_pairs():
    at = open_page("views/geometry.py")
    at.radio(key="geo_nonuniform").set_value("correlated").run()
    assert [r.key for r in at.radio if r.key and r.key.startswith("predict_")] == [
        "predict_geometry_correlated_pair_seed0"
    ]


DIRECTIONS = "views/features_as_directions.py"
FAD_BOX = "predict_features_as_directions_angle_n2_m3_p1_seed0_steps1000"


def test_features_as_directions_predict_train_compare():
    at = open_page(DIRECTIONS, {"fad_steps": "1000"})
    at.radio(key=FAD_BOX).set_value(at.radio(key=FAD_BOX).options[0]).run()  # "one shared direction"
    at.button(key=f"{FAD_BOX}_lock").click().run()
    _finish(at, "fad:run")
    W = at.session_state["fad:run"].trainer.view().W[0].astype(float)
    degrees = np.degrees(np.arccos(W[0] @ W[1] / np.linalg.norm(W[0]) / np.linalg.norm(W[1])))
    words = ["about 0°", "about 45°", "about 90°", "about 180°"][int(np.argmin(np.abs([0, 45, 90, 180] - degrees)))]
    text, matched = _comparison(at)
    assert f"the trained model: **{words}" in text and matched is (words == "about 0°"), (degrees, text)
