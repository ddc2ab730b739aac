"""Linear representations, and the symmetry that makes a hidden basis privileged or not.

Three ideas from the paper's opening sections, as plain functions:

- A *linear representation*: feature i with value x_i adds x_i W_i to the hidden vector, so
  h = sum_i x_i W_i. ``feature_contributions`` and ``hidden_pca_view`` make that concrete for a
  trained toy model, and ``build_embeddings`` builds a tiny synthetic word-embedding table (no
  download) in which properties such as gender or plurality are directions.
- A *non-privileged basis*: rotate the hidden space by an orthogonal M (h -> h M) and apply M^T
  to the next weights. With tied weights that is W -> W M (rows W_i in R^m). The linear model's
  function, W M M^T W^T = W W^T, does not change; an elementwise ReLU on the hidden layer breaks the
  symmetry. ``loss_under_rotation`` evaluates both exactly, in float64, on one fixed batch.
- How basis-aligned features are, in the neuron basis and in the PCA basis of the activations.

Layout as in core.models: W is [n_features, n_hidden] for one instance, row i = W_i.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import expm

from core import analysis
from core.config import ToyConfig
from core.data import sample_batch
from core.models import hidden, loss_per_instance
from core.presets.features_as_directions import directions_config, privileged_configs  # noqa: F401 (re-exported)

# --------------------------------------------------------------------------------------------
# Linear representation of one input
# --------------------------------------------------------------------------------------------


def feature_contributions(W_k: np.ndarray, x: np.ndarray) -> np.ndarray:
    """x_i W_i for every feature, [n, m]; their sum (over rows) is the hidden vector h."""
    W_k = np.asarray(W_k, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if x.shape != (W_k.shape[0],):
        raise ValueError(f"x needs one value per feature ({W_k.shape[0]}), got shape {x.shape}")
    return x[:, None] * W_k


def fixed_batch(cfg: ToyConfig, batch_size: int, seed: int) -> np.ndarray:
    """One float64 batch [instances, batch, n] from the config's data, the same for a given seed."""
    return sample_batch(cfg, batch_size, int(seed)).astype(np.float64)


def hidden_of(model: str, W_k: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Hidden activations of one instance for inputs x [batch, n] (or [1, batch, n]): [batch, m]."""
    W = np.asarray(W_k, dtype=np.float64)[None]
    xb = np.asarray(x, dtype=np.float64).reshape(1, -1, W.shape[1])
    return hidden(model, {"W": W}, xb)[0]


@dataclass(frozen=True)
class HiddenPCAView:
    """Hidden activations seen in the top-2 principal axes of their own cloud.

    points [batch, 2]: activations projected (not shifted) onto the axes, so the origin is the zero input.
    features [n, 2]: each W_i projected the same way. neurons [m, 2]: each neuron's unit axis e_j projected.
    ratio [k]: share of variance on every principal axis (k = min(batch, m)).
    """

    points: np.ndarray
    features: np.ndarray
    neurons: np.ndarray
    ratio: np.ndarray
    components: np.ndarray


def hidden_pca_view(model: str, W_k: np.ndarray, x: np.ndarray) -> HiddenPCAView:
    """PCA of a batch's hidden activations, with the feature directions and neuron axes drawn in it."""
    H = hidden_of(model, W_k, x)
    k = min(H.shape)
    full = analysis.pca_of_hidden(H, n_components=k)
    comps = full.components[:2]
    return HiddenPCAView(
        points=H @ comps.T,
        features=analysis.project_directions(comps, W_k),
        neurons=np.eye(H.shape[1]) @ comps.T,
        ratio=full.explained_variance_ratio,
        components=comps,
    )


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
# A synthetic word-embedding table: properties as directions
# --------------------------------------------------------------------------------------------

ATTRIBUTES = ("gender", "royalty", "plural")
# word: (concept, gender (1 = female), royalty, plural)
VOCAB: dict[str, tuple[str, int, int, int]] = {
    "man": ("person", 0, 0, 0),
    "woman": ("person", 1, 0, 0),
    "king": ("person", 0, 1, 0),
    "queen": ("person", 1, 1, 0),
    "men": ("person", 0, 0, 1),
    "women": ("person", 1, 0, 1),
    "kings": ("person", 0, 1, 1),
    "queens": ("person", 1, 1, 1),
    "apple": ("apple", 0, 0, 0),
    "apples": ("apple", 0, 0, 1),
    "river": ("river", 0, 0, 0),
    "rivers": ("river", 0, 0, 1),
    "table": ("table", 0, 0, 0),
    "tables": ("table", 0, 0, 1),
}


@dataclass(frozen=True)
class Embeddings:
    """words [w]; vectors [w, d]; values [w, a] (0/1 per attribute); directions [a, d] used to build them."""

    words: list[str]
    vectors: np.ndarray
    values: np.ndarray
    directions: np.ndarray

    def vec(self, word: str) -> np.ndarray:
        return self.vectors[self.words.index(word)]


def build_embeddings(dim: int = 32, noise: float = 0.3, seed: int = 0) -> Embeddings:
    """Word vectors = concept vector + one unit direction per attribute the word has + noise.

    Concepts (person, apple, river, table) and the attribute directions are random unit vectors in R^dim
    (so only almost orthogonal); each word adds its own Gaussian noise of expected length about ``noise``.
    """
    if dim < 2:
        raise ValueError(f"dim must be at least 2, got {dim}")
    rng = np.random.default_rng(seed)
    concepts = sorted({c for c, *_ in VOCAB.values()})
    unit = rng.normal(size=(len(concepts) + len(ATTRIBUTES), dim))
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    concept_vec = dict(zip(concepts, unit[: len(concepts)]))
    directions = unit[len(concepts) :]
    words = list(VOCAB)
    values = np.array([VOCAB[w][1:] for w in words], dtype=np.float64)
    base = np.stack([concept_vec[VOCAB[w][0]] for w in words])
    vectors = base + values @ directions + noise * rng.normal(size=(len(words), dim)) / np.sqrt(dim)
    return Embeddings(words, vectors, values, directions)


def cosine(a: np.ndarray, B: np.ndarray) -> np.ndarray:
    """cos(a, B_r) for every row of B."""
    B = np.atleast_2d(B)
    return B @ a / (np.linalg.norm(B, axis=1) * np.linalg.norm(a) + 1e-12)


def analogy(emb: Embeddings, a: str, b: str, c: str) -> tuple[np.ndarray, list[tuple[str, float]]]:
    """a - b + c and the other words ranked by cosine to it (a, b and c themselves left out, as is usual)."""
    target = emb.vec(a) - emb.vec(b) + emb.vec(c)
    sims = cosine(target, emb.vectors)
    ranked = sorted(
        ((w, float(s)) for w, s in zip(emb.words, sims) if w not in {a, b, c}), key=lambda t: t[1], reverse=True
    )
    return target, ranked


def attribute_pairs(attribute: str) -> list[tuple[str, str]]:
    """(without, with) word pairs that differ in ``attribute`` and nothing else."""
    k = ATTRIBUTES.index(attribute) + 1
    pairs = []
    for w, props in VOCAB.items():
        if props[k] == 0:
            flipped = props[:k] + (1,) + props[k + 1 :]
            pairs += [(w, v) for v, p in VOCAB.items() if p == flipped]
    return pairs


def estimated_direction(emb: Embeddings, attribute: str) -> np.ndarray:
    """The mean difference vector over all word pairs differing only in ``attribute`` (unit length)."""
    diffs = np.stack([emb.vec(v) - emb.vec(w) for w, v in attribute_pairs(attribute)])
    d = diffs.mean(axis=0)
    return d / np.linalg.norm(d)


def projections(emb: Embeddings, direction: np.ndarray) -> np.ndarray:
    """Each word's coordinate along a unit ``direction``, after removing the mean word: [w]."""
    centred = emb.vectors - emb.vectors.mean(axis=0)
    return centred @ direction


# --------------------------------------------------------------------------------------------
# The chapters' model settings
# --------------------------------------------------------------------------------------------


def direction_cosines(W_k: np.ndarray) -> np.ndarray:
    """cos of the angle between every pair of feature directions, [n, n] (0 for a zero-length direction)."""
    W_k = np.asarray(W_k, dtype=np.float64)
    norms = analysis.feature_norms(W_k)
    unit = np.where((norms > analysis.EPS)[:, None], W_k / np.where(norms > analysis.EPS, norms, 1.0)[:, None], 0.0)
    return unit @ unit.T
