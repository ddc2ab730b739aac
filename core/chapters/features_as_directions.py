"""Features as directions: linear representations of features in a hidden space.

The idea of the paper's opening section, as plain functions:

- A *linear representation*: feature i with value x_i adds x_i W_i to the hidden vector, so
  h = sum_i x_i W_i. ``feature_contributions`` and ``hidden_pca_view`` make that concrete for a
  trained toy model, and ``build_embeddings`` builds a tiny synthetic word-embedding table (no
  download) in which properties such as gender or plurality are directions.

Rotations of the hidden space and basis views (the privileged-basis chapter) are in
core.chapters.privileged_basis; ``fixed_batch`` and ``hidden_of`` here serve both chapters.

Layout as in core.models: W is [n_features, n_hidden] for one instance, row i = W_i.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import analysis
from core.config import ToyConfig
from core.data import sample_batch
from core.models import hidden
from core.presets.features_as_directions import directions_config  # noqa: F401 (re-exported)

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
