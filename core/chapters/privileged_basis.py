"""The privileged-basis chapter: rotations of the hidden space, and how basis-aligned features are.

- A *non-privileged basis*: rotate the hidden space by an orthogonal M (h -> h M) and apply M^T
  to the next weights. With tied weights that is W -> W M (rows W_i in R^m). The linear model's
  function, W M M^T W^T = W W^T, does not change; an elementwise ReLU on the hidden layer breaks the
  symmetry. ``loss_under_rotation`` evaluates both exactly, in float64, on one fixed batch.
- How basis-aligned features are, in the neuron basis and in the PCA basis of the activations
  (``basis_views``).

Layout as in core.models: W is [n_features, n_hidden] for one instance, row i = W_i.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import analysis
from core.chapters.features_as_directions import hidden_of
from core.models import loss_per_instance

# --------------------------------------------------------------------------------------------
# Rotations of the hidden space
# --------------------------------------------------------------------------------------------


def plane_rotation(m: int, angle: float, i: int = 0, j: int = 1) -> np.ndarray:
    """Orthogonal [m, m] turning the plane of neurons i and j by ``angle`` radians (others fixed)."""
    if m < 2 or not (0 <= i < m and 0 <= j < m) or i == j:
        raise ValueError(f"need two different neurons in 0..{m - 1}, got {i}, {j}")
    M = np.eye(m)
    c, s = np.cos(angle), np.sin(angle)
    M[i, i], M[j, j], M[i, j], M[j, i] = c, c, -s, s
    return M


def random_generator(m: int, seed: int) -> np.ndarray:
    """A random skew-symmetric A [m, m] scaled so its largest rotation rate is 1 (spectral norm 1)."""
    G = np.random.default_rng(seed).normal(size=(m, m))
    A = G - G.T
    return A / np.linalg.norm(A, 2)


def random_rotation(m: int, angle: float, seed: int) -> np.ndarray:
    """expm(angle * A) for the seeded random generator A: turns every neuron at once, at most ``angle`` per plane."""
    from scipy.linalg import expm  # imported here: every page loads this module (core.predictions); 0.18 s

    return expm(angle * random_generator(m, seed))


def rotation(m: int, angle_deg: float, mode: str = "plane", seed: int = 0, i: int = 0, j: int = 1) -> np.ndarray:
    """The page's rotation: ``mode`` "plane" (neurons i, j) or "random" (all neurons, seeded)."""
    angle = np.deg2rad(angle_deg)
    if mode == "plane":
        return plane_rotation(m, angle, i, j)
    if mode == "random":
        return random_rotation(m, angle, seed)
    raise ValueError(f"mode must be 'plane' or 'random', got {mode!r}")


def rotate(W_k: np.ndarray, M: np.ndarray) -> np.ndarray:
    """W M: M on the hidden space; with tied weights the decoder gets (W M)^T = M^T W^T."""
    return np.asarray(W_k, dtype=np.float64) @ np.asarray(M, dtype=np.float64)


def losses_for(model: str, Ws: np.ndarray, b_k: np.ndarray, importance: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Loss of several weight matrices Ws [R, n, m] sharing one bias, on one batch x [batch, n], float64: [R]."""
    Ws = np.asarray(Ws, dtype=np.float64)
    r, n = Ws.shape[0], Ws.shape[1]
    b = np.broadcast_to(np.asarray(b_k, dtype=np.float64), (r, n))
    imp = np.broadcast_to(np.asarray(importance, dtype=np.float64).reshape(1, -1), (r, n))
    xb = np.broadcast_to(np.asarray(x, dtype=np.float64).reshape(1, -1, n), (r, *np.shape(x)[-2:]))
    return loss_per_instance(model, {"W": Ws, "b": b}, xb, xb, imp)


def loss_under_rotation(
    model: str, W_k: np.ndarray, b_k: np.ndarray, importance: np.ndarray, x: np.ndarray, M: np.ndarray
) -> tuple[float, float]:
    """(loss as trained, loss after rotating the hidden space by M), same batch, float64."""
    both = np.stack([np.asarray(W_k, dtype=np.float64), rotate(W_k, M)])
    out = losses_for(model, both, b_k, importance, x)
    return float(out[0]), float(out[1])


def relative_change(before: float, after: float) -> float:
    """|after - before| / |before| (0 when both are 0)."""
    return abs(after - before) / abs(before) if before else abs(after - before)


def loss_vs_angle(
    model: str,
    W_k: np.ndarray,
    b_k: np.ndarray,
    importance: np.ndarray,
    x: np.ndarray,
    angles_deg: np.ndarray,
    mode: str = "plane",
    seed: int = 0,
    i: int = 0,
    j: int = 1,
) -> np.ndarray:
    """Loss after each rotation angle in ``angles_deg`` (one batched forward pass): [len(angles)]."""
    m = np.asarray(W_k).shape[1]
    Ws = np.stack([rotate(W_k, rotation(m, a, mode, seed, i, j)) for a in np.asarray(angles_deg, dtype=float)])
    return losses_for(model, Ws, b_k, importance, x)


# --------------------------------------------------------------------------------------------
# Neuron basis vs PCA basis
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BasisViews:
    """One model's features in two bases: neuron [n, m] and pca [n, m] (W_i . c_k for principal axis c_k),
    with each feature's basis alignment (largest |weight| share) in both, and the variance ratios."""

    neuron: np.ndarray
    pca: np.ndarray
    align_neuron: np.ndarray
    align_pca: np.ndarray
    ratio: np.ndarray


def basis_views(model: str, W_k: np.ndarray, x: np.ndarray) -> BasisViews:
    """W in the neuron basis and in the principal axes of the model's own hidden activations."""
    W_k = np.asarray(W_k, dtype=np.float64)
    H = hidden_of(model, W_k, x)
    k = min(H.shape)
    pca = analysis.pca_of_hidden(H, n_components=k)
    in_pca = analysis.project_directions(pca.components, W_k)
    return BasisViews(
        neuron=W_k,
        pca=in_pca,
        align_neuron=analysis.basis_alignment(W_k),
        align_pca=analysis.basis_alignment(in_pca),
        ratio=pca.explained_variance_ratio,
    )


# --------------------------------------------------------------------------------------------
# The chapter's model settings
# --------------------------------------------------------------------------------------------
