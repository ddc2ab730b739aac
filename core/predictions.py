"""Predict, then train: the questions a learner answers before a run, and how the answer is graded.

Committing to a number before seeing the result makes the result stick, and a wrong guess is the best
moment to explain why. Each question knows the range of sensible answers, how close counts as right,
and what to say to the answers learners most often give. Pure functions, no Streamlit: ``ui/predict.py``
draws the widget and keeps the state.

``grade(kind, prediction, result)`` returns a ``Grade`` (matched, message), or a ``Problem`` when the
prediction cannot be graded (empty, not a number, out of range, not one of the choices).

Chapter-specific questions keep their result readers and explanations in ``core/chapters/<slug>_predict.py``;
the QUESTIONS table here assembles them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.chapters import (
    adversarial_predict,
    computation_predict,
    experiment_setup_predict,
    features_as_directions_predict,
    five_in_two,
    geometry_predict,
    learning_dynamics_predict,
    math_understanding_predict,
    phase_change_predict,
    privileged_basis_predict,
    privileged_superposition_predict,
    superposition_hypothesis_predict,
    undoing_superposition_predict,
)


@dataclass(frozen=True)
class Grade:
    matched: bool
    message: str


@dataclass(frozen=True)
class Problem:
    """A prediction that cannot be graded, and what to do about it."""

    message: str


@dataclass(frozen=True)
class Question:
    chapter: str  # the registry slug, for the progress summary on the home page
    prompt: str
    low: int = 0  # count questions: the range of answers
    high: int = 0
    tolerance: int = 0  # count questions: |prediction - result| <= tolerance counts as right
    options: tuple[str, ...] = ()  # choice questions: the answers offered (a non-empty tuple makes it a choice)
    explain: Callable[[object, object], str] = lambda prediction, result: ""

    @property
    def is_choice(self) -> bool:
        return bool(self.options)


def _five_in_two(prediction: int, result: int) -> str:
    """Why the sparsest 5-in-2 model stored ``result`` features, addressed to someone who said ``prediction``."""
    shape = {
        2: "two orthogonal features, as PCA would",
        4: "two antipodal pairs, one feature left out",
        5: "all five, as a pentagon",
    }.get(result, f"{result} features")
    if prediction == result:
        return f"Right: it stored {shape}."
    if prediction <= 2 < result:
        return (
            f"It stored {shape}. Two dimensions hold only two orthogonal directions, but when features are rare two "
            "of them are seldom active together: sharing directions then costs little, because the ReLU and a "
            "negative bias cut away most of the interference one feature leaks onto another."
        )
    if result <= 2 < prediction:
        return (
            f"It stored {shape}. At this density features are active together in most examples, so any overlap "
            "between directions costs in most examples; the model keeps the two most important features at right "
            "angles and covers the others with their mean through the bias."
        )
    if prediction == 5 and result == 4:
        return (
            f"Close: it stored {shape}. The least important feature counts so little that storing it is not worth "
            "the interference it would add at this density; at rarer densities it joins as the pentagon's fifth corner."
        )
    more = "more" if result > prediction else "fewer"
    return f"It stored {shape}: {more} than you predicted. Try a rarer and a denser setting to see where it changes."


def _basic_results(prediction: int, result: int) -> str:
    """Why the ReLU model at p = 0.01 kept ``result`` of 20 features, for someone who said ``prediction``."""
    if abs(prediction - result) <= 1:
        return f"Right: it kept {result}, far more than its 5 dimensions, in superposition."
    if prediction <= 5:
        return (
            f"It kept {result}. You gave the linear model's answer: 5 dimensions, at most 5 features. With a ReLU "
            "and features active only 1% of the time, features are almost never active together, so many can share "
            "the 5 dimensions; the ReLU and negative biases cut away the interference when only one is active."
        )
    if prediction > result:
        return (
            f"It kept {result}, fewer than you predicted. The least important features (importance 0.7ⁱ falls to "
            "about 0.001 by feature 19) gain too little from being stored to pay even for rare interference."
        )
    return (
        f"It kept {result}, more than you predicted: at p = 0.01 interference is so rare that even quite unimportant "
        "features are worth a shared direction."
    )


def _arrangement(prediction: str, result: str) -> str:
    """Why the 5-in-2 model at p = 0.1 drew ``result``, for someone who chose ``prediction``."""
    if prediction == result:
        return f"Right: it drew {result}."
    if prediction == five_in_two.TWO_ORTHOGONAL:
        return (
            f"It drew {result}. Keeping two features at right angles is the dense answer; at p = 0.1 features are "
            "rarely active together, so sharing directions costs little and the model stores more."
        )
    if result == five_in_two.PENTAGON:
        return (
            "It drew a pentagon: five directions 72° apart, each with a small negative bias. At 90% sparsity even the "
            "least important feature is worth storing, because interference happens in few examples."
        )
    return f"It drew {result}: this run stopped in another arrangement; try more starts."


def _choice(module) -> Question:
    """A choice question whose prompt, options and explanations live in a chapter's ``<slug>_predict`` module."""
    return Question(chapter=_slug(module), prompt=module.PROMPT, options=module.OPTIONS, explain=module.explain)


def _count(module, high: int) -> Question:
    """A count question (0..high) whose prompt and explanations live in a chapter's ``<slug>_predict`` module."""
    return Question(chapter=_slug(module), prompt=module.PROMPT, low=0, high=high, explain=module.explain)


def _slug(module) -> str:
    return module.__name__.rsplit(".", 1)[-1].removesuffix("_predict")


QUESTIONS: dict[str, Question] = {
    "five_in_two_arrangement": Question(
        chapter="five_in_two",
        prompt="Which arrangement will the model at p = 0.1 draw?",
        options=(five_in_two.TWO_ORTHOGONAL, five_in_two.PAIR_PLUS_ONE, five_in_two.TWO_PAIRS, five_in_two.PENTAGON),
        explain=_arrangement,
    ),
    "five_in_two_count": Question(
        chapter="five_in_two",
        prompt="How many of the 5 features will the sparsest model you train represent (length above 0.5)?",
        low=0,
        high=5,
        explain=_five_in_two,
    ),
    "basic_results_relu_kept": Question(
        chapter="basic_results",
        prompt="How many of the 20 features will the ReLU-output model keep (length above 0.5) at p = 0.01?",
        low=0,
        high=20,
        tolerance=1,
        explain=_basic_results,
    ),
    "phase_change_cell": _choice(phase_change_predict),
    "privileged_basis_rotation": _choice(privileged_basis_predict),
    "geometry_correlated_pair": Question(
        chapter="geometry",
        prompt=geometry_predict.PROMPTS["correlated"],
        options=geometry_predict.OPTIONS,
        explain=geometry_predict.explain_correlated,
    ),
    "geometry_anticorrelated_pair": Question(
        chapter="geometry",
        prompt=geometry_predict.PROMPTS["anticorrelated"],
        options=geometry_predict.OPTIONS,
        explain=geometry_predict.explain_anticorrelated,
    ),
    "learning_dynamics_final_share": _choice(learning_dynamics_predict),
    "computation_circuits": _count(computation_predict, high=3),
    "privileged_superposition_mono": _count(privileged_superposition_predict, high=5),
    "undoing_superposition_recovered": _choice(undoing_superposition_predict),
    "adversarial_peak": _choice(adversarial_predict),
    "superposition_hypothesis_gram": _choice(superposition_hypothesis_predict),
    "features_as_directions_angle": _choice(features_as_directions_predict),
    "math_understanding_overlaps": _choice(math_understanding_predict),
    "experiment_setup_versus_linear": _choice(experiment_setup_predict),
}


def check(kind: str, prediction: object) -> Problem | int | str:
    """The prediction in its graded form (an int, or one of the options), or a Problem saying what is wrong."""
    q = QUESTIONS.get(kind)
    if q is None:
        return Problem(f"There is no question called {kind!r}.")
    if prediction is None or (isinstance(prediction, str) and not prediction.strip()):
        return Problem("Make a prediction first: " + ("pick an answer." if q.is_choice else "enter a number."))
    if q.is_choice:
        return prediction if prediction in q.options else Problem("Pick one of: " + ", ".join(q.options) + ".")
    try:
        value = float(prediction)
    except (TypeError, ValueError):
        return Problem(f"Enter a whole number from {q.low} to {q.high}.")
    if value != int(value) or not q.low <= value <= q.high:
        return Problem(f"Enter a whole number from {q.low} to {q.high}; {prediction} is not one.")
    return int(value)


def grade(kind: str, prediction: object, result: object) -> Grade | Problem:
    """Compare a prediction with what training produced, and explain the result to this prediction."""
    value = check(kind, prediction)
    if isinstance(value, Problem):
        return value
    q = QUESTIONS[kind]
    matched = value == result if q.is_choice else abs(value - int(result)) <= q.tolerance
    return Grade(bool(matched), q.explain(value, result))
