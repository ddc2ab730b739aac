"""core.chapters.features_as_directions: linear representations, rotations of the hidden space, bases, and the embedding toy."""

from __future__ import annotations

import numpy as np
import pytest

from core import analysis
from core.chapters import features_as_directions as rep
from core.models import loss_per_instance
from core.train import train


@pytest.fixture(scope="module")
def trained_pair():
    """The paper's privileged-basis setting, dense, trained: {"linear": TrainResult, "relu_hidden": TrainResult}."""
    cfgs = rep.privileged_configs(seed=0)
    return {name: (cfg, train(cfg, threads=1)) for name, cfg in cfgs.items()}


def _parts(cfg, result):
    return result.W[0].astype(np.float64), result.b[0].astype(np.float64), cfg.broadcast()[1][0]


# ---- linear representation -------------------------------------------------------------


def test_hidden_vector_is_the_sum_of_scaled_directions() -> None:
    rng = np.random.default_rng(0)
    W = rng.normal(size=(3, 5))
    x = np.array([0.7, 0.0, 0.25])
    contribs = rep.feature_contributions(W, x)
    np.testing.assert_allclose(contribs[1], 0.0)
    np.testing.assert_allclose(contribs.sum(axis=0), 0.7 * W[0] + 0.25 * W[2])
    h = rep.hidden_of("relu_output", W, x[None])
    np.testing.assert_allclose(h[0], contribs.sum(axis=0), atol=1e-12)


def test_feature_contributions_rejects_the_wrong_length() -> None:
    with pytest.raises(ValueError):
        rep.feature_contributions(np.ones((3, 2)), np.ones(2))


def test_hidden_cloud_of_two_features_lies_in_a_plane() -> None:
    """h = x0 W0 + x1 W1 spans at most two dimensions, so two principal axes hold all the variance."""
    cfg = rep.directions_config(n=2, m=5)
    W = np.random.default_rng(1).normal(size=(2, 5))
    view = rep.hidden_pca_view("relu_output", W, rep.fixed_batch(cfg, 500, 0))
    assert view.ratio[:2].sum() == pytest.approx(1.0, abs=1e-9)
    # Uncentred projection: the origin stays the zero input, and W_i keeps its full length in the plane.
    np.testing.assert_allclose(np.linalg.norm(view.features, axis=1), np.linalg.norm(W, axis=1), rtol=1e-9)
    np.testing.assert_allclose(np.linalg.norm(view.components, axis=1), 1.0)


def test_directions_config_needs_room_for_every_feature() -> None:
    assert rep.directions_config(n=3, m=3).n_hidden == 3
    with pytest.raises(ValueError):
        rep.directions_config(n=4, m=3)


def test_direction_cosines() -> None:
    W = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    cos = rep.direction_cosines(W)
    np.testing.assert_allclose(np.diag(cos)[:2], 1.0)
    assert cos[0, 1] == pytest.approx(1 / np.sqrt(2))
    assert cos[2, 2] == 0.0


# ---- rotations ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["plane", "random"])
@pytest.mark.parametrize("angle", [0.0, 45.0, 137.0, 360.0])
def test_rotations_are_orthogonal_with_determinant_one(mode: str, angle: float) -> None:
    M = rep.rotation(5, angle, mode, seed=3)
    np.testing.assert_allclose(M @ M.T, np.eye(5), atol=1e-12)
    assert np.linalg.det(M) == pytest.approx(1.0)


def test_plane_rotation_turns_only_its_two_neurons() -> None:
    M = rep.plane_rotation(4, np.pi / 2, 0, 1)
    np.testing.assert_allclose(np.eye(4)[0] @ M, [0, -1, 0, 0], atol=1e-12)
    np.testing.assert_allclose(np.eye(4)[2] @ M, [0, 0, 1, 0], atol=1e-12)
    with pytest.raises(ValueError):
        rep.plane_rotation(3, 0.1, 1, 1)


def test_random_rotation_turns_no_plane_by_more_than_the_angle() -> None:
    angle = np.deg2rad(30.0)
    M = rep.random_rotation(6, angle, seed=5)
    turned = np.abs(np.angle(np.linalg.eigvals(M)))
    assert turned.max() == pytest.approx(angle)
    np.testing.assert_allclose(rep.random_rotation(6, 0.0, seed=5), np.eye(6), atol=1e-15)


def test_loss_helper_matches_the_model_functions(trained_pair) -> None:
    cfg, result = trained_pair["relu_hidden"]
    W, b, imp = _parts(cfg, result)
    x = rep.fixed_batch(cfg, 1000, 0)
    params = {"W": np.asarray(W)[None], "b": np.asarray(b)[None]}
    direct = loss_per_instance("relu_hidden", params, x, x, np.asarray(imp)[None])
    assert rep.losses_for("relu_hidden", W[None], b, imp, x)[0] == pytest.approx(float(direct[0]), rel=1e-12)


@pytest.mark.parametrize(("mode", "angle"), [("plane", 45.0), ("random", 45.0), ("random", 137.0), ("plane", 90.0)])
def test_linear_bottleneck_loss_is_rotation_invariant(trained_pair, mode: str, angle: float) -> None:
    cfg, result = trained_pair["linear"]
    W, b, imp = _parts(cfg, result)
    x = rep.fixed_batch(cfg, 8192, 11)
    M = rep.rotation(W.shape[1], angle, mode, seed=2)
    before, after = rep.loss_under_rotation("linear", W, b, imp, x, M)
    assert rep.relative_change(before, after) < 1e-5
    assert not np.allclose(rep.rotate(W, M), W)  # the weights did change


def test_relu_hidden_loss_changes_under_a_45_degree_rotation(trained_pair) -> None:
    cfg, result = trained_pair["relu_hidden"]
    W, b, imp = _parts(cfg, result)
    x = rep.fixed_batch(cfg, 8192, 11)
    for mode in ("plane", "random"):
        before, after = rep.loss_under_rotation("relu_hidden", W, b, imp, x, rep.rotation(W.shape[1], 45.0, mode))
        assert rep.relative_change(before, after) > 0.01, mode


def test_loss_vs_angle_flat_for_linear_not_for_relu(trained_pair) -> None:
    angles = np.arange(0, 361, 30)
    curves = {}
    for name, (cfg, result) in trained_pair.items():
        W, b, imp = _parts(cfg, result)
        curves[name] = rep.loss_vs_angle(name, W, b, imp, rep.fixed_batch(cfg, 4096, 1), angles)
    lin, relu = curves["linear"], curves["relu_hidden"]
    assert (lin.max() - lin.min()) / lin[0] < 1e-5
    assert relu[angles.tolist().index(0)] == pytest.approx(relu[-1], rel=1e-9)  # a full turn is the identity
    assert relu.max() > 1.5 * relu[0]


# ---- neuron basis vs PCA basis -------------------------------------------------------------


def test_dense_relu_hidden_features_align_with_neurons(trained_pair) -> None:
    """The paper's privileged-basis result: dense features give monosemantic neurons in the ReLU model only."""
    shares = {}
    for name, (cfg, result) in trained_pair.items():
        W = result.W[0].astype(np.float64)
        views = rep.basis_views(name, W, rep.fixed_batch(cfg, 2048, 3))
        stored = analysis.represented(W)
        assert stored.sum() == cfg.n_hidden
        shares[name] = views.align_neuron[stored].mean()
    assert shares["relu_hidden"] > 0.9
    assert shares["relu_hidden"] > shares["linear"] + 0.2


def test_pca_basis_is_an_orthonormal_change_of_basis() -> None:
    cfg = rep.privileged_configs(n=6, m=4)["linear"]
    W = np.random.default_rng(4).normal(size=(6, 4))
    views = rep.basis_views("linear", W, rep.fixed_batch(cfg, 600, 0))
    np.testing.assert_allclose(np.linalg.norm(views.pca, axis=1), np.linalg.norm(W, axis=1), rtol=1e-9)
    np.testing.assert_allclose(views.pca @ views.pca.T, W @ W.T, atol=1e-9)
    assert views.ratio.sum() == pytest.approx(1.0)


# ---- embedding arithmetic -------------------------------------------------------------------


def test_attribute_pairs_differ_in_exactly_one_property() -> None:
    for k, attribute in enumerate(rep.ATTRIBUTES, start=1):
        pairs = rep.attribute_pairs(attribute)
        assert pairs
        for w, v in pairs:
            a, b = rep.VOCAB[w], rep.VOCAB[v]
            diff = [i for i in range(len(a)) if a[i] != b[i]]
            assert diff == [k] and a[k] == 0 and b[k] == 1


def test_without_noise_the_analogy_is_exact() -> None:
    emb = rep.build_embeddings(dim=16, noise=0.0, seed=0)
    target, ranked = rep.analogy(emb, "king", "man", "woman")
    np.testing.assert_allclose(target, emb.vec("queen"), atol=1e-12)
    assert ranked[0][0] == "queen" and ranked[0][1] == pytest.approx(1.0)
    assert "king" not in [w for w, _ in ranked]
    assert rep.analogy(emb, "kings", "king", "apple")[1][0][0] == "apples"


def test_estimated_directions_recover_the_built_ones() -> None:
    emb = rep.build_embeddings(dim=64, noise=0.2, seed=1)
    for k, attribute in enumerate(rep.ATTRIBUTES):
        d = rep.estimated_direction(emb, attribute)
        assert d @ emb.directions[k] > 0.9
        proj = rep.projections(emb, d)
        has = emb.values[:, k] > 0
        assert proj[has].min() > proj[~has].max()  # the direction separates the words with the property


def test_analogy_breaks_down_as_noise_swamps_the_directions() -> None:
    def hit_rate(noise: float, dim: int) -> float:
        hits = [
            rep.analogy(rep.build_embeddings(dim, noise, s), "king", "man", "woman")[1][0][0] == "queen"
            for s in range(20)
        ]
        return float(np.mean(hits))

    assert hit_rate(0.2, 64) == 1.0
    assert hit_rate(3.0, 8) < 0.5
