"""Computation in superposition: rescaling, the |x| circuit, neuron kinds, the asymmetric motif, and the assets."""

from __future__ import annotations

import numpy as np
import pytest

from core.assets import load_asset, same_config
from core.chapters import computation
from core.train import train


def _ideal_circuit(scales: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """n = 3, m = 6: neuron 2i = ReLU(s x_i), neuron 2i+1 = ReLU(-s x_i), both read back with 1/s into output i."""
    W1, W2 = np.zeros((3, 6)), np.zeros((3, 6))
    for i in range(3):
        W1[i, 2 * i], W1[i, 2 * i + 1] = scales[2 * i], -scales[2 * i + 1]
        W2[i, 2 * i], W2[i, 2 * i + 1] = 1 / scales[2 * i], 1 / scales[2 * i + 1]
    return W1, W2


def test_rescaling_keeps_the_function_and_normalises_inputs() -> None:
    rng = np.random.default_rng(0)
    W1, W2, b = rng.normal(size=(7, 4)), rng.normal(size=(7, 4)), rng.normal(size=7) * 0.1
    x = rng.uniform(-1, 1, size=(256, 7))
    V1, V2 = computation.rescale_neurons(W1, W2)
    np.testing.assert_allclose(np.abs(V1).max(axis=0), 1.0)
    np.testing.assert_allclose(computation.forward(V1, V2, b, x), computation.forward(W1, W2, b, x), atol=1e-12)


def test_ideal_circuit_computes_abs_and_is_recognised() -> None:
    W1, W2 = _ideal_circuit(np.array([0.5, 2.0, 1.3, 0.7, 3.0, 1.0]))
    x = np.diag(np.linspace(-1, 1, 3)) @ np.ones((3, 3)) * np.array([1.0, -0.4, 0.8])
    np.testing.assert_allclose(computation.forward(W1, W2, np.zeros(3), x), np.abs(x), atol=1e-12)
    check = computation.abs_circuit(W1, W2)
    assert check.complete
    assert list(check.positive) == [0, 2, 4] and list(check.negative) == [1, 3, 5]


def test_a_broken_circuit_is_not_complete() -> None:
    W1, W2 = _ideal_circuit(np.ones(6))
    W1[1, 0] = 0.6  # neuron 0 now also reads feature 1
    assert not computation.abs_circuit(W1, W2).clean[0]
    W1, W2 = _ideal_circuit(np.ones(6))
    W2[2, 5] = 0.3  # the negative side of feature 2 adds only 0.3 |x|: the sum is not |x| up to a scale
    assert not computation.abs_circuit(W1, W2).clean[2]


def test_best_of_eight_seeds_finds_two_neurons_per_feature() -> None:
    result = train(computation.circuit_config(seed=0, n_seeds=8), threads=2)
    check = computation.abs_circuit(result.W[0], result.W2[0])
    assert check.complete, check
    t = np.linspace(-1, 1, 41)
    x = np.zeros((41 * 3, 3))
    for i in range(3):
        x[41 * i : 41 * (i + 1), i] = t
    y = computation.forward(result.W[0], result.W2[0], result.b[0], x)
    assert np.abs(y - np.abs(x)).max() < 0.05  # one feature at a time: the model outputs |x|


def test_neuron_kinds_use_input_variance() -> None:
    W1 = np.zeros((100, 3))
    W1[0, 0] = 1.0
    W1[1:, 0] = 0.004  # 99 leftover weights: a third of the |weight| mass but a negligible share of variance
    W1[1, 1], W1[2, 1] = 1.0, 0.8  # two real features
    W1[:, 2] = 0.001  # never moves
    kinds = computation.neuron_kinds(W1)
    assert list(kinds.monosemantic) == [True, False, False]
    assert list(kinds.polysemantic) == [False, True, False]
    assert list(kinds.dead) == [False, False, True]
    assert kinds.top_share[0] > 0.99


def _motif_model(with_inhibitor: bool, symmetric: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Features a = 0 and b = 1 share neuron 0; neuron 1 is the inhibitor; neurons 2, 3 serve other features."""
    W1, W2 = np.zeros((4, 4)), np.zeros((4, 4))
    if symmetric:
        W1[0, 0], W1[1, 0], W2[0, 0], W2[1, 0] = 1.0, -1.0, 1.0, 1.0
    else:
        W1[0, 0], W1[1, 0], W2[0, 0], W2[1, 0] = 2.0, -0.5, 0.5, 2.0  # the paper's example
    if with_inhibitor:
        W1[0, 1], W2[1, 1] = 1.0, -5.0  # fires with x_a > 0 and pushes y_b down
    W1[2, 2], W2[2, 2], W1[3, 3], W2[3, 3] = 1.0, 1.0, 1.0, 1.0
    return W1, W2


def test_asymmetric_motif_is_found_only_with_unequal_scales_and_an_inhibitor() -> None:
    found = computation.asymmetric_motifs(*_motif_model(with_inhibitor=True))
    assert len(found) == 1
    motif = found[0]
    assert (motif.neuron, motif.inhibitor, motif.big, motif.small) == (0, 1, 0, 1)
    assert motif.input_ratio == 0.25 and motif.output_ratio == 4.0 and motif.cancelled == 1.0
    assert computation.asymmetric_motifs(*_motif_model(with_inhibitor=False)) == []
    assert computation.asymmetric_motifs(*_motif_model(with_inhibitor=True, symmetric=True)) == []


def test_motif_inhibitor_must_fire_on_the_same_side() -> None:
    W1, W2 = _motif_model(with_inhibitor=True)
    W1[0, 1] = -1.0  # now the inhibitor fires for x_a < 0, when the shared neuron is silent
    assert computation.asymmetric_motifs(W1, W2) == []


def test_computation_assets_match_their_configs_and_the_claims() -> None:
    for name, builder in computation.BUILDERS.items():
        asset = load_asset(name, builder.version)
        spec, a = asset.config["toy_config"], asset.arrays
        assert same_config(asset.config, builder.config)
        shape = (len(spec["feature_probability"]), spec["n_features"], spec["n_hidden"])
        assert a["W1"].shape == a["W2"].shape == shape
        assert a["seed_losses"].shape == (spec["n_seeds"], len(spec["feature_probability"]))
        np.testing.assert_allclose(a["loss"], a["seed_losses"].min(axis=0), rtol=1e-6)
        assert sum(v.nbytes for v in a.values()) < 400_000
    circuit = load_asset("computation_circuit").arrays
    assert computation.abs_circuit(circuit["W1"][0].astype(float), circuit["W2"][0].astype(float)).complete
    sweep = load_asset("computation_sweep").arrays
    counts = computation.kind_counts(sweep["W1"].astype(float))
    dense, sparsest = int(np.argmax(sweep["densities"])), int(np.argmin(sweep["densities"]))
    # Dense: (nearly) every neuron reads one feature. The lowest-loss start may let a pair of neurons share two
    # features (seen: 38 of 40 monosemantic at p = 1, 40 of 40 at the next two densities).
    assert counts["monosemantic"][dense] >= 0.9 * sweep["W1"].shape[-1]
    assert counts["monosemantic"][sparsest] == 0  # very sparse: all neurons shared


def test_small_weights_hold_little_variance_but_some_weight_mass() -> None:
    """The page's reason for the W^2 rule, on a hand-built neuron and on the sweep (p = 1 and p = 0.0215)."""
    W1 = np.zeros((100, 1))
    W1[0, 0], W1[1:, 0] = 1.0, 0.003
    abs_share, sq_share = computation.small_weight_mass(W1)
    assert abs_share == pytest.approx(0.297 / 1.297) and sq_share == pytest.approx(99 * 9e-6 / (1 + 99 * 9e-6))
    sweep = load_asset("computation_sweep").arrays
    for k in (0, 5):
        abs_share, sq_share = computation.small_weight_mass(sweep["W1"][k].astype(float))
        assert abs_share > 10 * sq_share and sq_share < 0.01
