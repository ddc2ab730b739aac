"""Predict, then train, on the mathematical-understanding page: the overlap-sign reader on hand-made weights, the
grades, and an AppTest that locks a prediction, trains and sees the comparison (the expected answer worked out
here by hand from the trained weights)."""

from __future__ import annotations

import numpy as np
import pytest

from core.chapters import math_understanding_predict as mu
from core.predictions import Grade, Problem, grade
from tests.helpers import markdown_text, open_page

KIND = "math_understanding_overlaps"

ORTHOGONAL = np.array([[1.0, 0.0], [0.0, 1.0], [0.1, 0.0]])  # the third is not stored (norm 0.1)
ANTIPODAL = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])  # two antipodal pairs
PENTAGON = np.array([[np.cos(a), np.sin(a)] for a in 2 * np.pi * np.arange(5) / 5])  # cos 72° > 0, cos 144° < 0


@pytest.mark.parametrize(("W", "expected"), [(ORTHOGONAL, mu.NONE), (ANTIPODAL, mu.NEGATIVE), (PENTAGON, mu.BOTH)])
def test_overlap_signs_of_hand_made_weights(W, expected):
    assert mu.overlap_signs(W) == expected


def test_small_overlaps_and_unstored_features_do_not_count():
    W = np.array([[1.0, 0.0], [0.05, 1.0], [0.3, 0.0]])  # overlap 0.05 < 0.1; the third (norm 0.3) is not stored
    assert mu.overlap_signs(W) == mu.NONE


def test_a_triangle_overlaps_only_negatively_and_a_pentagon_both_ways():
    triangle = np.array([[np.cos(a), np.sin(a)] for a in 2 * np.pi * np.arange(3) / 3])  # cos 120° = -0.5
    assert mu.overlap_signs(triangle) == mu.NEGATIVE
    # The pentagon: 5 neighbours at cos 72° = +0.31 and 5 at cos 144° = -0.81, half negative: both signs.
    assert mu.overlap_signs(PENTAGON) == mu.BOTH


@pytest.mark.parametrize(
    ("prediction", "result", "matched", "words"),
    [
        (mu.NEGATIVE, mu.NEGATIVE, True, "Right"),
        (mu.NONE, mu.NEGATIVE, False, "ReLU cuts it off"),
        (mu.NEGATIVE, mu.BOTH, False, "seldom on together"),
        (mu.BOTH, mu.NONE, False, "each on its own axis"),
    ],
)
def test_grades(prediction, result, matched, words):
    g = grade(KIND, prediction, result)
    assert isinstance(g, Grade) and g.matched is matched and words in g.message


@pytest.mark.parametrize("bad", [None, "", "  ", "Mostly positive", 3])
def test_bad_predictions_get_a_message_not_a_grade(bad):
    assert isinstance(grade(KIND, bad, mu.NONE), Problem)


def test_math_understanding_predict_train_compare():
    at = open_page("views/math_understanding.py", {"mu_model": "Linear: x' = WᵀWx + b", "mu_steps": "1000"})
    [box] = [r.key for r in at.radio if r.key and r.key.startswith("predict_math_understanding_overlaps")]
    at.radio(key=box).set_value(mu.NEGATIVE).run()
    at.button(key=f"{box}_lock").click().run()
    assert f"Your prediction: **{mu.NEGATIVE}** (locked)" in markdown_text(at)
    at.session_state["mu:run"].trainer.run()
    at.run()
    assert not at.exception, at.exception
    W = at.session_state["mu:run"].trainer.view().W[0].astype(float)
    stored = W[np.sqrt((W**2).sum(1)) > 0.5]
    cross = [stored[i] @ stored[j] for i in range(len(stored)) for j in range(i + 1, len(stored))]
    signs = [c < 0 for c in cross if abs(c) > 0.1]
    expected = mu.NONE if not signs else mu.NEGATIVE if sum(signs) >= 0.8 * len(signs) else mu.BOTH
    shown = [e.value for e in [*at.success, *at.warning] if "You predicted" in e.value]
    assert len(shown) == 1 and f"the trained model: **{expected}**" in shown[0], shown
