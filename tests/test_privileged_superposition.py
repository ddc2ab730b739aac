"""Superposition in a privileged basis: neuron labels, and the paper's dense/sparse claims for n=10, m=5."""

from __future__ import annotations

import numpy as np
import pytest

from core.assets import load_asset, same_config
from core.chapters import privileged_superposition
from core.train import train


def _permutation_model() -> np.ndarray:
    """Features 0..4 each on their own neuron (in shuffled order), features 5..9 dropped."""
    W = np.zeros((10, 5))
    for feature, neuron in enumerate([3, 0, 4, 1, 2]):
        W[feature, neuron] = 1.0
    return W


def test_labels_of_a_permutation_model_are_all_monosemantic() -> None:
    labels = privileged_superposition.neuron_labels(_permutation_model())
    assert labels.monosemantic.all() and not labels.polysemantic.any() and not labels.dead.any()
    order = privileged_superposition.neuron_order(_permutation_model())
    assert list(labels.top_feature[order]) == [0, 1, 2, 3, 4]


def test_shared_and_silent_neurons_are_labelled() -> None:
    W = _permutation_model()
    W[5, 0] = 0.5  # neuron 0 now also reads feature 5 with a third of its |weight| mass
    W[:, 1] = -0.3  # neuron 1: only negative weights, so with inputs >= 0 it never fires
    labels = privileged_superposition.neuron_labels(W)
    assert labels.polysemantic[0] and not labels.monosemantic[0]
    assert labels.dead[1] and not labels.monosemantic[1] and not labels.polysemantic[1]
    counts = privileged_superposition.neuron_counts(W)
    assert counts["monosemantic"] + counts["polysemantic"] + counts["dead"] == 5
    assert privileged_superposition.features_per_neuron(W)[0] == 2


def test_neurons_per_feature_counts_spread() -> None:
    W = np.zeros((2, 4))
    W[0] = [1.0, 0.0, 0.0, 0.0]
    W[1] = [0.5, 0.5, -0.5, 0.5]
    assert list(privileged_superposition.neurons_per_feature(W)) == [1, 4]


@pytest.fixture(scope="module")
def dense_and_sparse():
    """Best of 4 seeds at p = 1 and p = 0.001 (the paper's extremes), 20k steps as on the page."""
    cfg = privileged_superposition.privileged_config(
        [1.0, 0.001], steps=privileged_superposition.PAPER_STEPS, seed=0, n_seeds=4
    )
    return train(cfg, threads=2)


def test_dense_model_gives_each_of_the_top_five_features_its_own_neuron(dense_and_sparse) -> None:
    W = dense_and_sparse.W[0]
    labels = privileged_superposition.neuron_labels(W)
    assert labels.monosemantic.all(), labels.top_share
    assert sorted(labels.top_feature) == [0, 1, 2, 3, 4]  # W is a permutation of the five most important features


def test_very_sparse_model_has_no_monosemantic_neuron(dense_and_sparse) -> None:
    counts = privileged_superposition.neuron_counts(dense_and_sparse.W[1])
    assert counts["monosemantic"] == 0
    assert counts["polysemantic"] == privileged_superposition.N_HIDDEN  # all alive, all shared


def test_privileged_asset_matches_its_config_and_the_claims() -> None:
    builder = privileged_superposition.BUILDERS["privileged_sweep"]
    asset = load_asset("privileged_sweep", builder.version)
    assert same_config(asset.config, builder.config)
    spec = asset.config["toy_config"]
    a = asset.arrays
    k = len(spec["feature_probability"])
    np.testing.assert_allclose(a["densities"], spec["feature_probability"], rtol=1e-6)
    assert a["W"].shape == (k, spec["n_features"], spec["n_hidden"])
    assert a["seed_losses"].shape == a["seed_mono"].shape == (spec["n_seeds"], k)
    assert np.array_equal(a["seed_losses"][a["best_seed"], np.arange(k)], a["loss"])
    kept = a["seed_mono"][a["best_seed"], np.arange(k)]
    assert np.array_equal(kept, privileged_superposition.neuron_counts(a["W"])["monosemantic"])
    dense, sparsest = int(np.argmax(a["densities"])), int(np.argmin(a["densities"]))
    assert kept[dense] == spec["n_hidden"] and kept[sparsest] == 0
    assert a["W"].nbytes < 100_000
