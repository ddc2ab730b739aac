"""AppTests of "predict, then train": predict on 5 in 2, train to the end, see the comparison; links; progress."""

from __future__ import annotations

import numpy as np

from tests.helpers import markdown_text, open_page

FIVE = "views/five_in_two.py"
RESULTS = "views/basic_results.py"
SHORT = {"f52_mode": "One density", "f52_density": "0.05", "f52_steps": "1000", "f52_starts": "1"}
BOX = "predict_five_in_two_count_p0.05"


def _finish(at, key: str) -> None:
    at.session_state[key].trainer.run()  # train to the end, as Play would, without twenty reruns
    at.run()
    assert not at.exception, at.exception


def _kept(at) -> int:
    """Features of the trained model with ||W_i|| > 0.5, from its weights (not from the page's text)."""
    W = at.session_state["f52:run"].trainer.view().W[-1]
    return int((np.linalg.norm(W, axis=1) > 0.5).sum())


def test_predict_lock_train_and_compare():
    at = open_page(FIVE, SHORT)
    at.number_input(key=BOX).set_value(2).run()
    at.button(key=f"{BOX}_lock").click().run()
    assert "Your prediction: **2** (locked)" in markdown_text(at)
    _finish(at, "f52:run")
    kept = _kept(at)
    shown = [e.value for e in (at.success if kept == 2 else at.warning) if "You predicted" in e.value]
    assert shown and f"the trained model: **{kept}**" in shown[0], (kept, [w.value for w in at.warning])
    at.switch_page("views/home.py").run()
    assert "5 features in 2 dimensions: 1 prediction, 1 graded, " + ("1" if kept == 2 else "0") + " matched" in (
        markdown_text(at)
    )


def test_training_locks_an_unlocked_prediction():
    at = open_page(FIVE, SHORT)
    at.number_input(key=BOX).set_value(5).run()
    at.button(key="f52:run:step").click().run()  # training starts: the answer given so far is locked
    assert "Your prediction: **5** (locked)" in markdown_text(at)


def test_lock_without_a_prediction_says_so():
    at = open_page(FIVE, SHORT)
    at.button(key=f"{BOX}_lock").click().run()
    assert any("Make a prediction first" in w.value for w in at.warning)


def test_a_link_switches_predictions_off():
    at = open_page(FIVE, {**SHORT, "predict": "off"})
    assert not [n for n in at.number_input if n.key == BOX]


def test_basic_results_asks_at_the_paper_settings():
    at = open_page(RESULTS)
    assert any(n.key and n.key.startswith("predict_basic_results_relu_kept") for n in at.number_input)
