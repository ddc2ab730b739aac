"""PCA views and orthogonal matching pursuit through scikit-learn equal the hand-written versions they replaced.

The references below are the implementations core/analysis.py and core/chapters/superposition_hypothesis.py
had before (numpy SVD and a textbook OMP loop), kept here verbatim so a change in sklearn or in how we call it
shows up as a difference. Signs are compared after the app's own sign rule (largest |entry| positive), which
both sides apply.
"""

from __future__ import annotations

import numpy as np
import pytest

from core import analysis
from core.chapters import superposition_hypothesis as sh


# ---- the replaced implementations --------------------------------------------------------------
def _ref_pca_of_features(W_k: np.ndarray, n_components: int):
    arr = np.asarray(W_k, dtype=np.float64)
    m = arr.shape[1]
    _, s, vt = np.linalg.svd(arr, full_matrices=True)
    components = analysis._flip_signs(vt[:n_components])
    energy = np.zeros(m)
    energy[: s.size] = s**2
    return arr @ components.T, components, energy[:n_components] / energy.sum()


def _ref_pca_of_hidden(H: np.ndarray, n_components: int):
    arr = np.asarray(H, dtype=np.float64)
    mean = arr.mean(axis=0)
    _, s, vt = np.linalg.svd(arr - mean, full_matrices=False)
    components = analysis._flip_signs(vt[:n_components])
    return (arr - mean) @ components.T, components, s[:n_components] ** 2 / float((s**2).sum()), mean


def _ref_omp(A: np.ndarray, y: np.ndarray, tol: float = 1e-10) -> np.ndarray:
    m, n = A.shape
    support: list[int] = []
    x = np.zeros(n)
    residual = y.copy()
    norms = np.linalg.norm(A, axis=0)
    while len(support) < min(m, n) and np.linalg.norm(residual) > tol * max(1.0, np.linalg.norm(y)):
        scores = np.abs(A.T @ residual) / norms
        scores[support] = -1.0
        support.append(int(np.argmax(scores)))
        coef, *_ = np.linalg.lstsq(A[:, support], y, rcond=None)
        residual = y - A[:, support] @ coef
    if support:
        x[support] = coef
    return x


# ---- comparisons ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("n", "m", "k"), [(5, 2, 2), (20, 5, 3), (400, 30, 2), (6, 3, 3), (3, 8, 2)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pca_of_features_equals_numpy_svd(n, m, k, seed):
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(n, m)) * rng.random(n)[:, None]  # features of different lengths, like a trained W
    res = analysis.pca_of_features(W, k)
    coords, comps, ratio = _ref_pca_of_features(W, k)
    np.testing.assert_allclose(res.components, comps, atol=1e-10)
    np.testing.assert_allclose(res.coords, coords, atol=1e-10)
    np.testing.assert_allclose(res.explained_variance_ratio, ratio, rtol=1e-10)
    assert not res.mean.any()


@pytest.mark.parametrize(("batch", "m", "k"), [(600, 2, 2), (300, 5, 2), (50, 20, 3)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pca_of_hidden_equals_numpy_svd(batch, m, k, seed):
    rng = np.random.default_rng(seed)
    H = np.maximum(rng.normal(size=(batch, m)) @ rng.normal(size=(m, m)), 0) + 0.3
    res = analysis.pca_of_hidden(H, k)
    coords, comps, ratio, mean = _ref_pca_of_hidden(H, k)
    np.testing.assert_allclose(res.components, comps, atol=1e-10)
    np.testing.assert_allclose(res.coords, coords, atol=1e-9)
    np.testing.assert_allclose(res.explained_variance_ratio, ratio, rtol=1e-10)
    np.testing.assert_allclose(res.mean, mean, rtol=1e-12)


@pytest.mark.parametrize(("n", "m", "k"), [(100, 40, 5), (200, 60, 20), (50, 10, 3), (80, 20, 15)])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_omp_equals_textbook_loop(n, m, k, seed):
    """Includes k too large to recover (80, 20, 15): both must then return the same wrong answer."""
    rng = np.random.default_rng(seed)
    A = sh.projection_matrix(m, n, rng) * rng.uniform(0.5, 2.0, n)  # unequal column norms: the scoring rule matters
    x = sh.sparse_vector(n, k, rng, signed=True)
    y = A @ x
    np.testing.assert_allclose(sh.recover_omp(A, y), _ref_omp(A, y), atol=1e-8)


def test_omp_recovers_a_sparse_vector_and_zero():
    rng = np.random.default_rng(7)
    A = sh.projection_matrix(40, 100, rng)
    x = sh.sparse_vector(100, 4, rng)
    np.testing.assert_allclose(sh.recover_omp(A, A @ x), x, atol=1e-8)
    assert not sh.recover_omp(A, np.zeros(40)).any()
