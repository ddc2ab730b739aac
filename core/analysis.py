"""Measures of superposition computed from trained weights.

Layout: W is [..., n_features, n_hidden]; row i is feature i's direction W_i in R^m
(the paper stores W as m x n with W_i as a column, so our ``W @ W.T`` is its W^T W).
Most measures accept a single instance [n, m] or any batch [..., n, m] and broadcast;
functions whose name says "W_k" take one instance only. Everything is plain numpy
so it is deterministic and testable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EPS = 1e-8


def _weights(W: np.ndarray) -> np.ndarray:
    """Coerce to float64 with at least [n, m] so every measure sees the same layout."""
    arr = np.asarray(W, dtype=np.float64)
    if arr.ndim < 2:
        raise ValueError(f"W must be [..., n_features, n_hidden], got shape {arr.shape}")
    return arr


def _single(W_k: np.ndarray) -> np.ndarray:
    arr = _weights(W_k)
    if arr.ndim != 2:
        raise ValueError(f"expected one instance [n_features, n_hidden], got shape {arr.shape}")
    return arr


def feature_norms(W: np.ndarray) -> np.ndarray:
    """||W_i|| per feature, [..., n]: about 1 means represented, about 0 means dropped."""
    return np.linalg.norm(_weights(W), axis=-1)


def gram(W: np.ndarray) -> np.ndarray:
    """W W^T in our layout (the paper's W^T W), [..., n, n].

    The diagonal is ||W_i||^2; off-diagonal entries W_i . W_j are the interference
    feature j causes in feature i's output, which is what the heatmaps show.
    """
    arr = _weights(W)
    return arr @ np.swapaxes(arr, -1, -2)


def _unit_rows(W: np.ndarray, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """(W_hat, norms); rows with norm <= eps become zero so dropped features add nothing."""
    norms = np.linalg.norm(W, axis=-1)
    safe = np.where(norms > eps, norms, 1.0)
    return np.where((norms > eps)[..., None], W / safe[..., None], 0.0), norms


def _projections_sq(W: np.ndarray, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """((W_hat_i . W_j)^2 as [..., n, n], norms): the building block of both measures below."""
    arr = _weights(W)
    unit, norms = _unit_rows(arr, eps)
    return (unit @ np.swapaxes(arr, -1, -2)) ** 2, norms


def superposition(W: np.ndarray, eps: float = EPS) -> np.ndarray:
    """sum_{j != i} (W_hat_i . W_j)^2 per feature, [..., n].

    0 means feature i is orthogonal to every other feature; >= 1 means other features
    together can drive W_i's output as strongly as feature i itself. Zero-norm features get 0.
    """
    proj, _ = _projections_sq(W, eps)
    off_diagonal = 1.0 - np.eye(proj.shape[-1])
    return (proj * off_diagonal).sum(axis=-1)


def feature_dimensionality(W: np.ndarray, eps: float = EPS) -> np.ndarray:
    """D_i = ||W_i||^2 / sum_j (W_hat_i . W_j)^2 (j includes i), [..., n], in [0, 1].

    The fraction of a dimension feature i "owns": 1 for a dedicated direction, 1/2 for an
    antipodal pair, 2/5 in a pentagon. Zero-norm features get 0 (they own nothing).
    """
    proj, norms = _projections_sq(W, eps)
    denom = proj.sum(axis=-1)
    ok = norms > eps
    return np.where(ok, norms**2 / np.where(ok, denom, 1.0), 0.0)


def dimensions_per_feature(W: np.ndarray) -> np.ndarray:
    """m / ||W||_F^2, [...]: ||W||_F^2 roughly counts represented features.

    An all-zero W stores nothing, so it gets +inf (infinitely many dimensions per stored feature).
    """
    arr = _weights(W)
    fro = (arr**2).sum(axis=(-2, -1))
    with np.errstate(divide="ignore"):
        return np.where(fro > 0, arr.shape[-1] / np.where(fro > 0, fro, 1.0), np.inf)


def represented(W: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Boolean [..., n]: ||W_i|| > threshold (0.5 is the usual cut between ~0 and ~1)."""
    return feature_norms(W) > threshold


def n_represented(W: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """How many features clear ``threshold``, [...] (an int array; 0-d for one instance)."""
    return represented(W, threshold).sum(axis=-1)


@dataclass(frozen=True)
class PCAResult:
    """Projection of points onto their top principal axes.

    coords [n_points, k], components [k, m] (orthonormal rows), explained_variance_ratio [k],
    mean [m] (zeros when the PCA was uncentred).
    """

    coords: np.ndarray
    components: np.ndarray
    explained_variance_ratio: np.ndarray
    mean: np.ndarray


def _flip_signs(components: np.ndarray) -> np.ndarray:
    """Make each axis's largest-|.| entry positive so repeated calls draw the same picture."""
    idx = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(components.shape[0]), idx])
    return components * np.where(signs == 0, 1.0, signs)[:, None]


def pca_of_features(W_k: np.ndarray, n_components: int = 2) -> PCAResult:
    """Uncentred PCA (a truncated SVD, sklearn's TruncatedSVD) of one instance's feature directions.

    Uncentred on purpose: the origin is meaningful (a dropped feature sits at 0) and
    centring would move it, so antipodal pairs would stop looking antipodal.
    ``explained_variance_ratio`` is each axis's share of ||W||_F^2 (sum of squared singular values),
    not TruncatedSVD's own ratio, which measures variance about the mean.
    """
    from sklearn.decomposition import TruncatedSVD  # imported here: pages without PCA views never load sklearn

    arr = _single(W_k)
    n, m = arr.shape
    if not 1 <= n_components <= m:
        raise ValueError(f"n_components must be between 1 and n_hidden={m}, got {n_components}")
    total = float((arr**2).sum())
    if total == 0:  # all features dropped: any orthonormal axes will do
        return PCAResult(np.zeros((n, n_components)), np.eye(m)[:n_components], np.zeros(n_components), np.zeros(m))
    # The randomized solver's sketch has n_components + n_oversamples >= m columns, so it spans the
    # whole row space of W and the decomposition is exact (not an approximation) for any n, m.
    svd = TruncatedSVD(n_components, algorithm="randomized", n_oversamples=max(10, m), random_state=0)
    svd.fit(arr)
    components = _flip_signs(svd.components_)  # the app's sign rule, so repeated calls draw the same picture
    ratio = svd.singular_values_**2 / total
    return PCAResult(arr @ components.T, components, ratio, np.zeros(m))


def pca_of_hidden(H: np.ndarray, n_components: int = 2) -> PCAResult:
    """Ordinary (centred) PCA of hidden activations H [batch, m] (sklearn's PCA), to see how data lands in h-space."""
    from sklearn.decomposition import PCA  # imported here: pages without PCA views never load sklearn

    arr = np.asarray(H, dtype=np.float64)
    if arr.ndim != 2 or not 1 <= n_components <= min(arr.shape):
        raise ValueError(f"H must be [batch, m] with n_components <= min(batch, m); got {arr.shape}, {n_components}")
    pca = PCA(n_components, svd_solver="full").fit(arr)
    components = _flip_signs(pca.components_)
    ratio = np.nan_to_num(pca.explained_variance_ratio_)  # 0/0 for constant H: no axis explains anything
    return PCAResult((arr - pca.mean_) @ components.T, components, ratio, pca.mean_)


def project_directions(components: np.ndarray, W_k: np.ndarray) -> np.ndarray:
    """Feature directions W_i in a PCA basis, [n, k]. Directions are not shifted by the mean."""
    return _single(W_k) @ np.asarray(components, dtype=np.float64).T


def feature_graph_edges(W_k: np.ndarray, min_weight: float = 0.05) -> list[tuple[int, int, float]]:
    """(i, j, |W_i . W_j|) for i < j with weight >= min_weight: the paper's tegum-factor graph.

    Features in different tegum factors are orthogonal, so the graph's connected pieces are the factors.
    """
    g = np.abs(gram(_single(W_k)))
    rows, cols = np.triu_indices(g.shape[0], k=1)
    keep = g[rows, cols] >= min_weight
    return [(int(i), int(j), float(g[i, j])) for i, j in zip(rows[keep], cols[keep], strict=True)]


@dataclass(frozen=True)
class NeuronStack:
    """Per-neuron |weight| contributions for the privileged-basis stacked bars.

    contributions [..., n, m] = |W_ij|; share [..., n, m] = each feature's fraction of neuron j's mass;
    top_feature [..., m]; monosemantic [..., m] bool.
    """

    contributions: np.ndarray
    share: np.ndarray
    top_feature: np.ndarray
    monosemantic: np.ndarray


def neuron_stack(W: np.ndarray, mono_threshold: float = 0.9, eps: float = EPS) -> NeuronStack:
    """How each neuron's |weight| mass splits over features.

    Criterion: neuron j is monosemantic when one feature carries >= ``mono_threshold`` of
    sum_i |W_ij| and the neuron is alive (mass > eps). Dead neurons are neither mono- nor polysemantic.
    """
    contrib = np.abs(_weights(W))
    mass = contrib.sum(axis=-2, keepdims=True)
    share = np.where(mass > eps, contrib / np.where(mass > eps, mass, 1.0), 0.0)
    top_share = share.max(axis=-2)
    mono = (top_share >= mono_threshold) & (mass[..., 0, :] > eps)
    return NeuronStack(contrib, share, np.argmax(contrib, axis=-2), mono)


# One neuron-labelling rule for every chapter with a privileged hidden layer (privileged_superposition, computation).
MONO_SHARE = 0.9  # share of a neuron's input variance one feature must drive to call the neuron monosemantic
SILENT_WEIGHT = 0.05  # a neuron whose inputs can move it by less than this (at |x| <= 1) counts as dead


def input_variance_share(W: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    """[..., n, m]: feature i's share of neuron j's input variance, W_ij^2 / sum_i W_ij^2.

    Under uniform sparsity every active feature has the same variance, so this is the fraction of what the
    neuron responds to that comes from each feature. Unlike a share of sum |W_ij| it hardly notices the many
    near-zero weights a large model keeps (a hundred weights of 0.003 hold 0.1 % of W^2 but a quarter of |W|).
    """
    sq = _weights(W) ** 2
    total = sq.sum(axis=-2, keepdims=True)
    return np.where(total > eps, sq / np.where(total > eps, total, 1.0), 0.0)


def silent_neurons(W: np.ndarray, signed_inputs: bool, min_weight: float = SILENT_WEIGHT) -> np.ndarray:
    """[..., m] True where no input can move neuron j by ``min_weight``: dead neurons.

    With inputs >= 0 only positive weights can make ReLU(W x) fire, so the test is max_i W_ij; with signed
    inputs a negative weight fires it too (on negative x_i), so the test is max_i |W_ij|.
    """
    arr = _weights(W)
    return (np.abs(arr) if signed_inputs else arr).max(axis=-2) < min_weight


def monosemantic_count(W: np.ndarray, mono_threshold: float = 0.9) -> np.ndarray:
    """Number of monosemantic neurons per instance, [...] (see ``neuron_stack`` for the criterion)."""
    return neuron_stack(W, mono_threshold).monosemantic.sum(axis=-1)


def basis_alignment(W: np.ndarray, eps: float = EPS) -> np.ndarray:
    """max_j |W_ij| / sum_j |W_ij| per feature, [..., n]: 1 = on a single neuron, 1/m = spread evenly.

    Only meaningful with a privileged basis (ReLU hidden layer). Zero-norm features get 0.
    """
    a = np.abs(_weights(W))
    total = a.sum(axis=-1)
    return np.where(total > eps, a.max(axis=-1) / np.where(total > eps, total, 1.0), 0.0)


def is_in_superposition(W_k: np.ndarray, tol: float = 1e-6, threshold: float = 0.5) -> bool:
    """True when the represented features' Gram matrix is singular (the paper's criterion).

    Only features with ||W_i|| > ``threshold`` count: a dropped feature makes W^T W singular
    without being in superposition. Rank uses eigenvalues of the Gram matrix relative to the
    largest (``tol``), so tiny numerical noise does not count as an extra dimension.
    """
    arr = _single(W_k)
    rep = arr[feature_norms(arr) > threshold]
    if rep.shape[0] < 2:
        return False
    ev = np.linalg.eigvalsh(gram(rep))
    rank = int((ev > tol * ev.max()).sum())
    return rank < rep.shape[0]


def hidden_cloud(W_k: np.ndarray, x: np.ndarray, relu: bool = False) -> np.ndarray:
    """Hidden activations h = x W_k (ReLU'd for a privileged hidden layer) for a batch x [B, n]: [B, m]."""
    h = np.asarray(x, dtype=np.float64) @ np.asarray(W_k, dtype=np.float64)
    return np.maximum(h, 0.0) if relu else h


def active_label(x: np.ndarray) -> np.ndarray:
    """Per example: "none", "feature i" when exactly feature i is on, or "several" (for colouring clouds)."""
    on = np.asarray(x) != 0
    count = on.sum(axis=1)
    labels = np.where(count == 0, "none", "several").astype(object)
    single = count == 1
    labels[single] = [f"feature {i}" for i in on[single].argmax(axis=1)]
    return labels.astype(str)
