"""The chapter predictions (phase change, privileged basis, geometry, learning dynamics, computation, privileged
superposition, undoing superposition, adversarial, superposition hypothesis, features as directions, experiment
setup): each result reader on hand-made weights (or scores) with a known answer, and each grade against hand-made
results (right, wrong, edge, bad input)."""

from __future__ import annotations

import numpy as np
import pytest

from core.chapters import adversarial_predict as av
from core.chapters import computation_predict as cp
from core.chapters import experiment_setup_predict as es
from core.chapters import features_as_directions_predict as fd
from core.chapters import geometry_predict as geo
from core.chapters import learning_dynamics_predict as ld
from core.chapters import phase_change_predict as pc
from core.chapters import privileged_basis_predict as pb
from core.chapters import privileged_superposition_predict as ps
from core.chapters import superposition_hypothesis_predict as sh
from core.chapters import undoing_superposition_predict as us
from core.chapters.adversarial import Vulnerability
from core.config import ToyConfig
from core.predictions import Grade, Problem, grade
from tests.helpers import octahedron

# ---- phase change: what the extra feature (the last) becomes in one cell ------------------------

PAIR = np.array([[1.0], [-1.0]])  # n = 2, m = 1: the extra feature antipodal to feature 0
OWN = np.array([[0.0], [1.0]])  # the extra feature has the dimension, feature 0 is dropped
DROPPED = np.array([[1.0], [0.0]])


@pytest.mark.parametrize(
    ("models", "expected"),
    [([PAIR, PAIR, PAIR], pc.SUPERPOSITION), ([OWN, OWN, OWN], pc.DEDICATED), ([DROPPED, DROPPED], pc.NOT_LEARNED)],
)
def test_cell_phase_of_uniform_cells(models, expected):
    assert pc.cell_phase(np.stack(models), np.arange(len(models), dtype=float)) == expected


def test_cell_phase_with_three_features():
    dedicated = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0]])  # the ordinary features pair up, the extra is alone
    paired = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])  # the extra is antipodal to feature 0
    assert pc.cell_phase(dedicated[None], [0.1]) == pc.DEDICATED
    assert pc.cell_phase(paired[None], [0.1]) == pc.SUPERPOSITION


def test_cell_phase_follows_the_reduction():
    # the worst model (highest loss) is dropped by the paper's reduction; "best" keeps only the lowest-loss one
    W = np.stack([PAIR, PAIR, OWN, DROPPED])
    losses = np.array([0.1, 0.2, 0.05, 0.9])
    assert pc.cell_phase(W, losses, "paper") == pc.SUPERPOSITION  # mean superposition 2/3 over the three kept
    assert pc.cell_phase(W, losses, "best") == pc.DEDICATED
    assert pc.cell_phase(W[[0, 3]], [0.1, 0.9], "paper") == pc.SUPERPOSITION  # 2 models: the bad one is dropped


@pytest.mark.parametrize(
    ("prediction", "result", "matched", "words"),
    [
        (pc.SUPERPOSITION, pc.SUPERPOSITION, True, "Right"),
        (pc.DEDICATED, pc.SUPERPOSITION, False, "seldom active together"),  # importance alone decides, they think
        (pc.DEDICATED, pc.SUPERPOSITION, False, "three features"),  # where training found the worse arrangement
        (pc.NOT_LEARNED, pc.SUPERPOSITION, False, "leaving a feature out costs"),
        (pc.SUPERPOSITION, pc.DEDICATED, False, "too dense"),
        (pc.NOT_LEARNED, pc.DEDICATED, False, "worth more"),
        (pc.SUPERPOSITION, pc.NOT_LEARNED, False, "predicts its average"),
        (pc.DEDICATED, pc.NOT_LEARNED, False, "counts less"),
    ],
)
def test_phase_change_grades(prediction, result, matched, words):
    g = grade("phase_change_cell", prediction, result)
    assert isinstance(g, Grade) and g.matched is matched and words in g.message, g
    assert result in g.message  # the result is named, right or wrong


# ---- privileged basis: whose loss changes under a 45° turn of neurons 0 and 1 --------------------


def _cfg(model: str) -> ToyConfig:
    return ToyConfig(model=model, n_features=3, n_hidden=2, feature_probability=0.5, importance=1.0)


def test_turning_a_linear_model_changes_nothing_for_any_weights():
    rng = np.random.default_rng(3)
    for _ in range(3):
        W, b = rng.normal(size=(3, 2)), rng.normal(size=3)
        assert pb.loss_changes(_cfg("linear"), W, b) < 1e-12


def test_turning_a_relu_layer_changes_its_loss():
    W = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])  # features 0 and 1 on neurons 0 and 1
    assert pb.loss_changes(_cfg("relu_hidden"), W, np.zeros(3)) > 1e-2
    assert pb.loss_changes(_cfg("relu_hidden"), W, np.zeros(3), angle=0.0) == 0.0  # no turn, no change
    trained = {"linear": (_cfg("linear"), W, np.zeros(3)), "relu_hidden": (_cfg("relu_hidden"), W, np.zeros(3))}
    assert pb.whose_loss_changes(trained) == pb.RELU_ONLY


@pytest.mark.parametrize(
    ("linear", "relu", "expected"),
    [(0.0, 0.3, pb.RELU_ONLY), (1e-15, 1e-9, pb.NEITHER), (0.2, 0.0, pb.LINEAR_ONLY), (0.2, 0.3, pb.BOTH)],
)
def test_rotation_verdict(linear, relu, expected):
    assert pb.verdict(linear, relu) == expected


@pytest.mark.parametrize(
    ("prediction", "matched", "words"),
    [
        (pb.RELU_ONLY, True, "W M Mᵀ Wᵀ"),
        (pb.NEITHER, False, "acts on each neuron separately"),
        (pb.BOTH, False, "W M Mᵀ Wᵀ"),
        (pb.LINEAR_ONLY, False, "other way round"),
    ],
)
def test_privileged_basis_grades(prediction, matched, words):
    g = grade("privileged_basis_rotation", prediction, pb.RELU_ONLY)
    assert isinstance(g, Grade) and g.matched is matched and words in g.message, g


def test_privileged_basis_odd_run_is_reported_as_such():
    g = grade("privileged_basis_rotation", pb.RELU_ONLY, pb.BOTH)
    assert not g.matched and "both changed" in g.message


# ---- geometry: how a correlated / anticorrelated pair sits -------------------------------------

SETS = (("correlated", 2), ("correlated", 2))
SQUARE = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])  # pairs orthogonal, pairs opposite each other
CROSS = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])  # each pair antipodal


def test_typical_relation():
    assert geo.typical_relation(np.stack([SQUARE, SQUARE]), SETS) == geo.ORTHOGONAL
    assert geo.typical_relation(np.stack([CROSS, CROSS, SQUARE]), SETS) == geo.ANTIPODAL  # the majority
    gone = SQUARE * np.array([[1.0], [0.0], [1.0], [0.0]])  # one member of each pair dropped
    assert geo.typical_relation(gone[None], SETS) == "one dropped"


@pytest.mark.parametrize(
    ("kind", "prediction", "result", "matched", "words"),
    [
        ("geometry_correlated_pair", geo.ORTHOGONAL, geo.ORTHOGONAL, True, "must not leak"),
        ("geometry_correlated_pair", geo.ANTIPODAL, geo.ORTHOGONAL, False, "cancel the other"),
        ("geometry_correlated_pair", geo.SIDE_BY_SIDE, geo.ORTHOGONAL, False, "every example"),
        ("geometry_correlated_pair", geo.COLLAPSED, geo.ORTHOGONAL, False, "three pairs"),
        ("geometry_correlated_pair", geo.ORTHOGONAL, "one dropped", False, "unusual"),
        ("geometry_anticorrelated_pair", geo.ANTIPODAL, geo.ANTIPODAL, True, "never fire together"),
        ("geometry_anticorrelated_pair", geo.ORTHOGONAL, geo.ANTIPODAL, False, "costs nothing"),
        ("geometry_anticorrelated_pair", geo.SIDE_BY_SIDE, geo.ANTIPODAL, False, "ReLU removes it"),
        ("geometry_anticorrelated_pair", geo.COLLAPSED, geo.ANTIPODAL, False, "which one fired"),
    ],
)
def test_geometry_grades(kind, prediction, result, matched, words):
    g = grade(kind, prediction, result)
    assert isinstance(g, Grade) and g.matched is matched and words in g.message, g


# ---- learning dynamics: where the D_i of two correlated triples settle ---------------------------


def test_final_share_reads_known_shapes():
    assert ld.final_share(octahedron()) == ld.HALF  # three antipodal pairs on three axes
    collapsed = np.array([[1.0, 0, 0]] * 3 + [[0, 1.0, 0]] * 3)  # each triple on one direction
    assert ld.final_share(collapsed) == ld.THIRD
    one_each = np.vstack([np.eye(3), np.eye(3)[:1] * 0, np.zeros((2, 3))])  # three on axes, three dropped
    assert ld.final_share(one_each) == ld.NONE  # a tie between 1 and 0 goes to the option listed first
    assert ld.final_share(np.vstack([np.eye(3), [[0, 0, 0.0]]])) == ld.WHOLE  # three of four own an axis


@pytest.mark.parametrize(
    ("prediction", "result", "matched", "words"),
    [
        (ld.HALF, ld.HALF, True, "octahedron"),
        (ld.THIRD, ld.HALF, False, "stage, not the end"),
        (ld.WHOLE, ld.HALF, False, "at most m = 3"),
        (ld.NONE, ld.HALF, False, "storing every feature pays"),
        (ld.HALF, ld.THIRD, False, "try another seed"),
    ],
)
def test_learning_dynamics_grades(prediction, result, matched, words):
    g = grade("learning_dynamics_final_share", prediction, result)
    assert isinstance(g, Grade) and g.matched is matched and words in g.message, g


# ---- bad input: a message, never a grade ------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "phase_change_cell",
        "privileged_basis_rotation",
        "geometry_correlated_pair",
        "learning_dynamics_final_share",
        "undoing_superposition_recovered",
        "adversarial_peak",
        "superposition_hypothesis_gram",
        "features_as_directions_angle",
        "experiment_setup_versus_linear",
    ],
)
@pytest.mark.parametrize(
    ("prediction", "words"), [(None, "pick an answer"), ("", "pick an answer"), ("42", "Pick one")]
)
def test_choice_questions_refuse_bad_input(kind, prediction, words):
    g = grade(kind, prediction, "anything")
    assert isinstance(g, Problem) and words in g.message, g


# ---- computation: complete |x| circuits ---------------------------------------------------------


def _circuit(features: int, complete: int) -> tuple[np.ndarray, np.ndarray]:
    """W1, W2 [features, 2 * features]: neurons 2i, 2i+1 read +x_i and -x_i; ``complete`` features feed both to
    output i, the rest feed only the positive side (the negative neuron's output weight is 0)."""
    W1, W2 = np.zeros((features, 2 * features)), np.zeros((features, 2 * features))
    for i in range(features):
        W1[i, 2 * i], W1[i, 2 * i + 1] = 1.0, -1.0
        W2[i, 2 * i], W2[i, 2 * i + 1] = 1.0, 1.0 if i < complete else 0.0
    return W1, W2


@pytest.mark.parametrize("complete", [0, 1, 3])
def test_complete_circuits(complete):
    assert cp.complete_circuits(*_circuit(3, complete)) == complete


@pytest.mark.parametrize(
    ("prediction", "result", "matched", "words"),
    [
        (3, 3, True, "exactly two per feature"),
        (2, 2, True, "local minimum"),  # right about a run that got stuck
        (0, 3, False, "passes one sign only"),
        (1, 3, False, "finds the clean circuit"),
        (3, 1, False, "This run completed 1"),
    ],
)
def test_computation_grades(prediction, result, matched, words):
    g = grade("computation_circuits", prediction, result)
    assert isinstance(g, Grade) and g.matched is matched and words in g.message, g


# ---- privileged superposition: monosemantic neurons in the sparsest model -------------------------


def test_monosemantic_in_sparsest_reads_the_sparsest_instance():
    mono = np.vstack([np.eye(5), np.zeros((5, 5))])  # features 0-4 on one neuron each
    mixed = np.ones((10, 5))  # every feature on every neuron
    assert ps.monosemantic_in_sparsest(np.stack([mono, mixed]), [1.0, 0.001]) == 0
    assert ps.monosemantic_in_sparsest(np.stack([mixed, mono]), [0.001, 1.0]) == 0  # order does not matter
    assert ps.monosemantic_in_sparsest(np.stack([mono]), [0.3]) == 5


@pytest.mark.parametrize(
    ("prediction", "result", "matched", "words"),
    [
        (0, 0, True, "Right"),
        (5, 0, False, "meaningful, not monosemantic"),
        (3, 1, False, "meaningful, not monosemantic"),
        (2, 5, False, "no superposition"),
        (1, 3, False, "more than you predicted"),
        (5, 3, False, "fewer than you predicted"),
    ],
)
def test_privileged_superposition_grades(prediction, result, matched, words):
    g = grade("privileged_superposition_mono", prediction, result)
    assert isinstance(g, Grade) and g.matched is matched and words in g.message, g


@pytest.mark.parametrize(
    ("kind", "prediction", "words"),
    [
        ("computation_circuits", 4, "from 0 to 3"),
        ("computation_circuits", -1, "from 0 to 3"),
        ("computation_circuits", "", "enter a number"),
        ("privileged_superposition_mono", 6, "from 0 to 5"),
        ("privileged_superposition_mono", 2.5, "whole number"),
        ("privileged_superposition_mono", None, "enter a number"),
    ],
)
def test_count_questions_refuse_bad_input(kind, prediction, words):
    g = grade(kind, prediction, 0)
    assert isinstance(g, Problem) and words in g.message, g


def test_count_questions_accept_their_range_edges():
    for kind, high in (("computation_circuits", 3), ("privileged_superposition_mono", 5)):
        assert isinstance(grade(kind, 0, 0), Grade) and isinstance(grade(kind, high, high), Grade)


# ---- undoing superposition: the share of stored features an SAE recovers -------------------------


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [(0.0, us.NONE), (0.24, us.NONE), (0.25, us.SOME), (0.75, us.SOME), (0.76, us.MOST), (1.0, us.MOST)],
)
def test_recovery_band_edges(fraction, expected):
    assert us.recovery_band({"recovered_fraction": fraction, "dead": 3}) == expected


@pytest.mark.parametrize(
    ("prediction", "result", "matched", "words"),
    [
        (us.MOST, us.MOST, True, "rarely active together"),
        (us.NONE, us.MOST, False, "hides features from the neurons, not from a sparse code"),
        (us.SOME, us.MOST, False, "pushed onto those directions"),
        (us.MOST, us.NONE, False, "penalty is too small"),
        (us.MOST, us.SOME, False, "fewer latents than stored features"),
        (us.NONE, us.NONE, True, "scores table"),
    ],
)
def test_undoing_superposition_grades(prediction, result, matched, words):
    g = grade("undoing_superposition_recovered", prediction, result)
    assert isinstance(g, Grade) and g.matched is matched and words in g.message, g


# ---- adversarial: how much more vulnerable the most vulnerable model is than the densest ------------


def _vulnerable(density: float, strongest: float) -> Vulnerability:
    return Vulnerability(density, 0.1, np.array([strongest / 2, strongest, np.nan]), 1.0)


@pytest.mark.parametrize(
    ("strongest", "expected"),
    [
        ((1.0, 1.2, 1.4), av.SAME),
        ((1.0, 2.5, 1.8), av.SOME),  # the peak, not the sparsest model, counts
        ((1.0, 1.5), av.SOME),  # edges: 1.5 and 4 are in the middle band
        ((1.0, 4.0), av.SOME),
        ((1.0, 4.1), av.MUCH),
        ((2.0, 1.0), av.SAME),  # the densest model the worst: a ratio of 1
    ],
)
def test_peak_rise(strongest, expected):
    assert av.peak_rise([_vulnerable(1.0 / (i + 1), s) for i, s in enumerate(strongest)]) == expected


@pytest.mark.parametrize(
    ("prediction", "result", "matched", "words"),
    [
        (av.SOME, av.SOME, True, "swallows much of the push"),
        (av.SAME, av.SOME, False, "same small push does more harm"),
        (av.MUCH, av.SOME, False, "does not keep up with features per dimension"),
        (av.SOME, av.MUCH, False, "try another seed"),
    ],
)
def test_adversarial_grades(prediction, result, matched, words):
    g = grade("adversarial_peak", prediction, result)
    assert isinstance(g, Grade) and g.matched is matched and words in g.message, g


# ---- superposition hypothesis: is the stored features' Gram matrix invertible? ------------------


def test_gram_verdict():
    assert sh.gram_verdict(np.vstack([np.eye(5), np.zeros((15, 5))])) == sh.INVERTIBLE  # 5 features, 5 axes
    six = np.vstack([np.eye(5), np.full((1, 5), 0.5), np.zeros((14, 5))])  # a sixth stored feature (norm 1.1)
    assert sh.gram_verdict(six) == sh.SINGULAR
    weak = np.vstack([np.eye(5), np.full((1, 5), 0.2), np.zeros((14, 5))])  # the sixth is not stored (norm 0.45)
    assert sh.gram_verdict(weak) == sh.INVERTIBLE


@pytest.mark.parametrize(
    ("prediction", "result", "matched", "words"),
    [
        (sh.SINGULAR, sh.SINGULAR, True, "always linearly dependent"),
        (sh.INVERTIBLE, sh.SINGULAR, False, "always linearly dependent"),
        (sh.INVERTIBLE, sh.INVERTIBLE, True, "linearly independent"),
        (sh.SINGULAR, sh.INVERTIBLE, False, "seldom active together"),
    ],
)
def test_superposition_hypothesis_grades(prediction, result, matched, words):
    g = grade("superposition_hypothesis_gram", prediction, result)
    assert isinstance(g, Grade) and g.matched is matched and words in g.message, g
    assert g.message.startswith("Right") is matched


# ---- features as directions: the angle between W_0 and W_1 ---------------------------------------


@pytest.mark.parametrize(
    ("degrees", "expected"),
    [(0, fd.SAME), (20, fd.SAME), (30, fd.TILTED), (60, fd.TILTED), (70, fd.RIGHT), (90, fd.RIGHT), (170, fd.OPPOSITE)],
)
def test_angle_option(degrees, expected):
    a = np.radians(degrees)
    W = np.array([[1.0, 0.0, 0.0], [np.cos(a), np.sin(a), 0.0], [0.0, 0.0, 1.0]]) * 1.2
    assert fd.angle_option(W) == expected


def test_angle_option_needs_both_features_stored():
    assert fd.angle_option(np.array([[1.0, 0.0], [0.0, 0.3]])) == fd.DROPPED


@pytest.mark.parametrize(
    ("prediction", "result", "matched", "words"),
    [
        (fd.RIGHT, fd.RIGHT, True, "no leak"),
        (fd.SAME, fd.RIGHT, False, "could not be told apart"),
        (fd.TILTED, fd.RIGHT, False, "overlap is gone"),
        (fd.OPPOSITE, fd.RIGHT, False, "rare features"),
        (fd.RIGHT, fd.DROPPED, False, "not the usual outcome"),
    ],
)
def test_features_as_directions_grades(prediction, result, matched, words):
    g = grade("features_as_directions_angle", prediction, result)
    assert isinstance(g, Grade) and g.matched is matched and words in g.message, g


# ---- experiment setup: the trained loss against the best linear loss ------------------------------


def test_versus_linear_against_the_closed_form():
    # n = 2, m = 1, decay 0.5, p = 1: the best linear model keeps feature 0 and predicts the mean 1/2 for feature 1,
    # whose error is then Var(U[0, 1]) = 1/12, weighted 0.5 and averaged over the 2 features: 0.5 / 12 / 2 = 1/48
    best = 1 / 48
    assert es.versus_linear(best, 1.0, 2, 1, 0.5) == es.ON
    assert es.versus_linear(best * 1.029, 1.0, 2, 1, 0.5) == es.ON  # within 3% counts as on the line
    assert es.versus_linear(best * 0.96, 1.0, 2, 1, 0.5) == es.BELOW
    assert es.versus_linear(best * 1.05, 1.0, 2, 1, 0.5) == es.ABOVE


@pytest.mark.parametrize(
    ("prediction", "result", "matched", "words"),
    [
        (es.BELOW, es.BELOW, True, "superposition"),
        (es.ON, es.BELOW, False, "clips the interference"),
        (es.ABOVE, es.BELOW, False, "best a linear model can do"),
        (es.BELOW, es.ON, False, "cannot beat the line"),
        (es.ON, es.ON, True, "dense features"),
        (es.ON, es.ABOVE, False, "more steps"),
    ],
)
def test_experiment_setup_grades(prediction, result, matched, words):
    g = grade("experiment_setup_versus_linear", prediction, result)
    assert isinstance(g, Grade) and g.matched is matched and words in g.message, g
