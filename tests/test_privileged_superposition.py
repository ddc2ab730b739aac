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
    today = privileged_superposition.neuron_counts(a["W"])["monosemantic"]
    if privileged_superposition.seed_counts_exact(a):
        assert np.array_equal(kept, today)
    else:  # counted with the |W| share, which is never above the W^2 share: a lower bound
        assert (kept <= today).all()
    dense, sparsest = int(np.argmax(a["densities"])), int(np.argmin(a["densities"]))
    assert kept[dense] == spec["n_hidden"] and kept[sparsest] == 0
    assert a["W"].nbytes < 100_000


def test_one_neuron_rule_for_both_privileged_chapters() -> None:
    """A neuron is monosemantic by its share of input variance (sum W^2) here and in the computation chapter;
    the old |W| share called a neuron with one strong weight and a third-as-large second one polysemantic."""
    from core.chapters import computation

    W = _permutation_model()
    W[5, 3] = 0.3  # neuron 3: feature 0 at 1, feature 5 at 0.3 -> W^2 share 0.92, |W| share 0.77
    W[:, 2] = 0.0
    W[2, 2], W[5:, 2] = 1.0, 0.05  # neuron 2: one feature plus five small weights (|W| share 0.8)
    labels = privileged_superposition.neuron_labels(W)
    assert labels.monosemantic[3] and labels.monosemantic[2]
    np.testing.assert_array_equal(labels.monosemantic, computation.neuron_kinds(W).monosemantic)
    np.testing.assert_allclose(labels.top_share[3], 1 / 1.09)


def test_dead_rule_knows_whether_inputs_are_signed() -> None:
    """Only negative weights: silent for inputs >= 0 (this chapter), alive for signed inputs (abs model)."""
    from core.chapters import computation

    W = _permutation_model()
    W[:, 1] = -0.3
    assert privileged_superposition.neuron_labels(W).dead[1]
    assert not computation.neuron_kinds(W).dead[1]


def test_seed_and_mixed_sentences_read_the_counts() -> None:
    densities = np.array([1.0, 0.3, 0.1, 0.01])
    seed_mono = np.array([[5, 5, 1, 0], [4, 5, 2, 0], [5, 3, 2, 0]])
    assert privileged_superposition.aligned_seeds(seed_mono, densities, 5) == (2, 3)
    assert "by then 2 of our 3 seeds" in privileged_superposition.seeds_sentence(seed_mono, densities, 5)
    assert "at least 2 of our 3" in privileged_superposition.seeds_sentence(seed_mono, densities, 5, exact=False)
    counts = {"monosemantic": np.array([5, 3, 0, 0]), "polysemantic": np.array([0, 2, 5, 5])}
    assert privileged_superposition.mixed_sentence(densities, counts).endswith("p = 0.3.")


def test_dense_sweep_model_has_nothing_for_the_relu_to_cut() -> None:
    """Page: at p = 1, with inputs >= 0 and only positive weights, the hidden ReLU has nothing to cut off."""
    a = load_asset("privileged_sweep").arrays
    W = a["W"][int(np.argmax(a["densities"]))].astype(np.float64)
    assert (W.max(axis=0) > 0.5).all()  # every neuron's feature arrives with a large positive weight
    assert W.min() > -0.05  # and nothing negative worth clipping


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_variance_share_is_never_below_the_weight_share(seed: int) -> None:
    """Why a sweep counted with the old |W| share gives lower bounds of today's counts."""
    from core import analysis

    W = np.random.default_rng(seed).normal(size=(50, 10, 5))
    assert (analysis.input_variance_share(W).max(axis=-2) >= analysis.neuron_stack(W).share.max(axis=-2) - 1e-12).all()
