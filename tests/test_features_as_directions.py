"""core.chapters.features_as_directions: linear representations, the hidden-space PCA view, and the embedding toy."""

from __future__ import annotations

import numpy as np
import pytest

from core.chapters import features_as_directions as rep

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
