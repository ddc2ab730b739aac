"""Measures checked on configurations whose answers are known exactly from geometry."""

from __future__ import annotations

import numpy as np
import pytest

from core import analysis
from tests.helpers import octahedron, polygon, square_antiprism, tetrahedron


def rotation(d: int, seed: int = 0) -> np.ndarray:
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(d, d)))
    return q


def tegum(*blocks: np.ndarray) -> np.ndarray:
    """Place configurations in mutually orthogonal subspaces (the paper's tegum product)."""
    n, m = sum(b.shape[0] for b in blocks), sum(b.shape[1] for b in blocks)
    out, r, c = np.zeros((n, m)), 0, 0
    for b in blocks:
        out[r : r + b.shape[0], c : c + b.shape[1]] = b
        r, c = r + b.shape[0], c + b.shape[1]
    return out


REGULAR = [
    ("basis", np.eye(4), 1.0),
    ("digon", polygon(2), 1 / 2),
    ("digon_1d", np.array([[1.0], [-1.0]]), 1 / 2),
    ("triangle", polygon(3), 2 / 3),
    ("tetrahedron", tetrahedron(), 3 / 4),
    ("pentagon", polygon(5), 2 / 5),
    ("octahedron", octahedron(), 1 / 2),
    ("square_antiprism", square_antiprism(), 3 / 8),
]


@pytest.mark.parametrize("name,W,expected", REGULAR, ids=[r[0] for r in REGULAR])
def test_dimensionality_of_regular_configurations(name: str, W: np.ndarray, expected: float) -> None:
    D = analysis.feature_dimensionality(W)
    np.testing.assert_allclose(D, expected, atol=1e-12)
    # tight frames use the space they span fully: sum_i D_i = its dimension
    np.testing.assert_allclose(D.sum(), np.linalg.matrix_rank(W), atol=1e-12)


@pytest.mark.parametrize("name,W,expected", REGULAR, ids=[r[0] for r in REGULAR])
def test_dimensionality_invariant_to_rotation_embedding_and_scale(name: str, W: np.ndarray, expected: float) -> None:
    d = W.shape[1] + 3
    embedded = np.pad(W, ((0, 0), (0, 3))) @ rotation(d) * 1.7
    np.testing.assert_allclose(analysis.feature_dimensionality(embedded), expected, atol=1e-12)


def test_dimensionality_of_tegum_product_and_dropped_feature() -> None:
    W = tegum(polygon(5), polygon(3), np.zeros((1, 1)))
    D = analysis.feature_dimensionality(W)
    np.testing.assert_allclose(D, [0.4] * 5 + [2 / 3] * 3 + [0.0], atol=1e-12)
    assert np.all((D >= 0) & (D <= 1))


def test_dimensionality_batched_matches_single() -> None:
    Ws = np.random.default_rng(1).normal(size=(4, 7, 3))
    batched = analysis.feature_dimensionality(Ws)
    assert batched.shape == (4, 7)
    for k in range(4):
        np.testing.assert_allclose(batched[k], analysis.feature_dimensionality(Ws[k]))


def test_superposition_orthogonal_is_zero() -> None:
    W = np.diag([0.5, 1.0, 2.0]) @ rotation(3, seed=3)
    np.testing.assert_allclose(analysis.superposition(W), 0.0, atol=1e-12)


def test_superposition_of_pentagon_and_digon() -> None:
    # sum_{k=1..4} cos^2(2 pi k / 5) = 5/2 - 1 = 3/2; it scales with ||W_j||^2 but not with ||W_i||.
    np.testing.assert_allclose(analysis.superposition(polygon(5)), 1.5, atol=1e-12)
    np.testing.assert_allclose(analysis.superposition(polygon(5, radius=2.0)), 1.5 * 4, atol=1e-12)
    np.testing.assert_allclose(analysis.superposition(polygon(2)), 1.0, atol=1e-12)


def test_superposition_zero_norm_feature_gets_zero_and_adds_nothing() -> None:
    W = np.concatenate([polygon(3), np.zeros((1, 2))])
    s = analysis.superposition(W)
    assert s[3] == 0.0
    np.testing.assert_allclose(s[:3], 2 * np.cos(2 * np.pi / 3) ** 2, atol=1e-12)


def test_gram_and_norms() -> None:
    W = np.random.default_rng(2).normal(size=(3, 6, 2))
    g = analysis.gram(W)
    assert g.shape == (3, 6, 6)
    np.testing.assert_allclose(np.diagonal(g, axis1=-2, axis2=-1), analysis.feature_norms(W) ** 2)
    np.testing.assert_allclose(g, np.swapaxes(g, -1, -2))
    np.testing.assert_allclose(g[1, 2, 4], W[1, 2] @ W[1, 4])


def test_dimensions_per_feature() -> None:
    np.testing.assert_allclose(analysis.dimensions_per_feature(polygon(5)), 2 / 5)
    batch = np.stack([np.eye(3), np.eye(3) * np.sqrt(2), np.zeros((3, 3))])
    np.testing.assert_allclose(analysis.dimensions_per_feature(batch), [1.0, 0.5, np.inf])


def test_represented_threshold() -> None:
    W = np.array([[1.0, 0.0], [0.0, 0.4], [0.6, 0.0], [0.3, 0.4]])  # norms 1, 0.4, 0.6, 0.5
    np.testing.assert_array_equal(analysis.represented(W), [True, False, True, False])
    assert int(analysis.n_represented(W)) == 2
    np.testing.assert_array_equal(analysis.n_represented(np.stack([W, W * 2])), [2, 4])


def test_pca_of_features_keeps_geometry_uncentred() -> None:
    # Three features all in one quadrant of a plane inside R^5: centring would move the origin.
    plane = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [0.0, 0.0]])
    W = np.pad(plane, ((0, 0), (0, 3))) @ rotation(5, seed=4)
    res = analysis.pca_of_features(W, n_components=2)
    assert res.coords.shape == (4, 2) and res.components.shape == (2, 5)
    np.testing.assert_allclose(res.coords @ res.coords.T, W @ W.T, atol=1e-12)  # angles and norms kept
    np.testing.assert_allclose(res.coords[3], 0.0, atol=1e-12)  # the dropped feature stays at the origin
    np.testing.assert_allclose(res.components @ res.components.T, np.eye(2), atol=1e-12)
    np.testing.assert_allclose(res.explained_variance_ratio.sum(), 1.0)
    assert np.all(np.abs(res.components).max(axis=1) == res.components.max(axis=1))  # sign convention


def test_pca_of_features_tight_frame_equal_variance_and_antipodes() -> None:
    W = octahedron() @ rotation(3, seed=5)
    res = analysis.pca_of_features(W, n_components=3)
    np.testing.assert_allclose(res.explained_variance_ratio, [1 / 3] * 3, atol=1e-12)
    np.testing.assert_allclose(res.coords[:3], -res.coords[3:], atol=1e-12)
    with pytest.raises(ValueError):
        analysis.pca_of_features(W, n_components=4)


def test_pca_of_hidden_recovers_known_axes() -> None:
    u, v = rotation(3, seed=6)[:2]
    a, b = np.array([2.0, -2.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0, -1.0])
    H = np.array([5.0, -1.0, 2.0]) + a[:, None] * u + b[:, None] * v
    res = analysis.pca_of_hidden(H, n_components=2)
    np.testing.assert_allclose(res.explained_variance_ratio, [0.8, 0.2], atol=1e-12)
    np.testing.assert_allclose(np.abs(res.components @ u), [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(np.abs(res.coords[:, 0]), np.abs(a), atol=1e-12)
    np.testing.assert_allclose(res.mean, [5.0, -1.0, 2.0], atol=1e-12)


def test_project_directions() -> None:
    W = np.random.default_rng(7).normal(size=(5, 4))
    np.testing.assert_allclose(analysis.project_directions(np.eye(4)[[2, 0]], W), W[:, [2, 0]])


def test_feature_graph_edges_follow_tegum_factors() -> None:
    W = tegum(polygon(5), np.array([[1.0], [-1.0]]))
    edges = analysis.feature_graph_edges(W, min_weight=0.05)
    assert len(edges) == 10 + 1
    assert all(i < j and (j < 5) == (i < 5) for i, j, _ in edges)  # no edge crosses factors
    pent = sorted(round(w, 12) for i, j, w in edges if j < 5)
    expected = sorted([round(np.cos(2 * np.pi / 5), 12)] * 5 + [round(-np.cos(4 * np.pi / 5), 12)] * 5)
    assert pent == expected
    assert (5, 6, 1.0) in edges
    assert len(analysis.feature_graph_edges(W, min_weight=0.5)) == 5 + 1


def test_neuron_stack_and_monosemantic_count() -> None:
    W = np.array(
        [
            [2.0, 0.0, 0.5, 0.0],  # feature 0 owns neuron 0
            [0.0, 1.0, 0.5, 0.0],  # neuron 2 is shared equally
            [0.1, 0.0, 0.0, 0.0],  # neuron 3 is dead
        ]
    )
    st = analysis.neuron_stack(W)
    np.testing.assert_allclose(st.contributions, np.abs(W))
    np.testing.assert_allclose(st.share.sum(axis=0), [1, 1, 1, 0])
    np.testing.assert_allclose(st.share[:, 0], [2 / 2.1, 0, 0.1 / 2.1])
    np.testing.assert_array_equal(st.monosemantic, [True, True, False, False])
    np.testing.assert_array_equal(st.top_feature[:2], [0, 1])
    assert int(analysis.monosemantic_count(W)) == 2
    assert int(analysis.monosemantic_count(W, mono_threshold=0.96)) == 1


def test_basis_alignment() -> None:
    W = np.array([[0.0, -3.0], [1.0, 1.0], [3.0, 1.0], [0.0, 0.0]])
    np.testing.assert_allclose(analysis.basis_alignment(W), [1.0, 0.5, 0.75, 0.0])


@pytest.mark.parametrize(
    "W,expected",
    [
        (np.eye(3), False),
        (np.array([[1.0, 0.0, 0.0], [0.6, 0.8, 0.0]]), False),  # independent, not orthogonal
        (tegum(np.eye(2), np.array([[0.01]])), False),  # a dropped feature is not superposition
        (polygon(5), True),
        (polygon(2), True),
        (tetrahedron(), True),
    ],
)
def test_is_in_superposition(W: np.ndarray, expected: bool) -> None:
    assert analysis.is_in_superposition(W) is expected
