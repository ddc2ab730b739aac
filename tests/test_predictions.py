"""Grading of predictions against hand-made results: right, wrong, the edges of "close enough", and bad input."""

from __future__ import annotations

import pytest

from core import predictions
from core.chapters import five_in_two
from core.predictions import Grade, Problem, grade


@pytest.mark.parametrize(
    ("prediction", "result", "matched", "words"),
    [
        (5, 5, True, "pentagon"),
        (2, 2, True, "PCA"),
        (4, 4, True, "antipodal pairs"),
        (2, 5, False, "seldom active together"),  # the PCA answer at a sparse density
        (5, 2, False, "right angles"),  # superposition expected where features are dense
        (5, 4, False, "least important"),  # close: the fifth feature is not worth it yet
        (3, 4, False, "more than you predicted"),
        (0, 5, False, "seldom active together"),
    ],
)
def test_five_in_two_count(prediction, result, matched, words):
    g = grade("five_in_two_count", prediction, result)
    assert isinstance(g, Grade) and g.matched is matched and words in g.message, g


@pytest.mark.parametrize(
    ("prediction", "result", "matched", "words"),
    [
        (16, 16, True, "Right"),
        (15, 16, True, "Right"),  # within one counts: the count moves by one between seeds
        (17, 16, True, "Right"),
        (14, 16, False, "more than you predicted"),
        (5, 16, False, "linear model's answer"),
        (20, 16, False, "fewer than you predicted"),
        (0, 16, False, "linear model's answer"),
    ],
)
def test_basic_results_count(prediction, result, matched, words):
    g = grade("basic_results_relu_kept", prediction, result)
    assert isinstance(g, Grade) and g.matched is matched and words in g.message, g


def test_arrangement_choice():
    right = grade("five_in_two_arrangement", five_in_two.PENTAGON, five_in_two.PENTAGON)
    assert right == Grade(True, f"Right: it drew {five_in_two.PENTAGON}.")
    dense = grade("five_in_two_arrangement", five_in_two.TWO_ORTHOGONAL, five_in_two.PENTAGON)
    assert not dense.matched and "dense answer" in dense.message
    pairs = grade("five_in_two_arrangement", five_in_two.TWO_PAIRS, five_in_two.PENTAGON)
    assert not pairs.matched and "72°" in pairs.message


@pytest.mark.parametrize(
    ("kind", "prediction", "words"),
    [
        ("five_in_two_count", None, "enter a number"),
        ("five_in_two_count", "", "enter a number"),
        ("five_in_two_count", "   ", "enter a number"),
        ("five_in_two_count", 6, "from 0 to 5"),
        ("five_in_two_count", -1, "from 0 to 5"),
        ("five_in_two_count", 2.5, "whole number"),
        ("five_in_two_count", "many", "whole number"),
        ("basic_results_relu_kept", 21, "from 0 to 20"),
        ("five_in_two_arrangement", "a hexagon", "Pick one of"),
        ("five_in_two_arrangement", None, "pick an answer"),
        ("no_such_question", 3, "no question"),
    ],
)
def test_bad_input_gets_a_message_not_a_grade(kind, prediction, words):
    g = grade(kind, prediction, 3)
    assert isinstance(g, Problem) and words in g.message, g


def test_numbers_given_as_text_are_read():
    assert grade("five_in_two_count", "5", 5) == grade("five_in_two_count", 5, 5)
    assert predictions.check("five_in_two_count", 4.0) == 4


def test_range_edges_are_allowed():
    assert isinstance(grade("five_in_two_count", 0, 0), Grade)
    assert isinstance(grade("basic_results_relu_kept", 20, 20), Grade)


def test_every_question_belongs_to_a_registered_chapter():
    from ui.registry import CHAPTERS

    slugs = {c.slug for c in CHAPTERS}
    assert {q.chapter for q in predictions.QUESTIONS.values()} <= slugs
    assert all(kind.startswith(q.chapter + "_") for kind, q in predictions.QUESTIONS.items())  # named by chapter
