"""Non-uniform superposition: the pentagon (n = 5, m = 2, I = 1, p = 0.05) with one feature's density
changed, and sets of correlated or anticorrelated features (the paper's "non-uniform superposition").

Uniform superposition, tegum factors and polytopes are in ``core.chapters.geometry``.
"""

from __future__ import annotations

import numpy as np

from core import analysis
from core.chapters.geometry import NORM_THRESHOLD
from core.presets.geometry import (  # noqa: F401 (re-exported: the chapter's settings)
    PENTAGON_DENSITY,
    SET_EXPERIMENTS,
    SetExperiment,
    perturbed_pentagon_config,
)


def angle_gaps(W_k: np.ndarray) -> np.ndarray:
    """Angles (degrees) between neighbouring represented feature directions going round the circle (m = 2)."""
    W_k = np.asarray(W_k, dtype=np.float64)
    rep = W_k[analysis.feature_norms(W_k) > NORM_THRESHOLD]
    if rep.shape[0] < 2:
        return np.zeros(0)
    ang = np.sort(np.degrees(np.arctan2(rep[:, 1], rep[:, 0])) % 360)
    return np.diff(np.append(ang, ang[0] + 360))


def neighbour_gaps(W_k: np.ndarray, i: int = 0) -> np.ndarray:
    """Angles (degrees) from feature i to its nearest represented neighbour on each side (m = 2), [2].

    nan if feature i itself is not represented. In the regular pentagon both are 72 degrees.
    """
    W_k = np.asarray(W_k, dtype=np.float64)
    norms = analysis.feature_norms(W_k)
    others = [j for j in range(W_k.shape[0]) if j != i and norms[j] > NORM_THRESHOLD]
    if norms[i] <= NORM_THRESHOLD or not others:
        return np.full(2, np.nan)
    ang = np.degrees(np.arctan2(W_k[:, 1], W_k[:, 0]))
    rel = (ang[others] - ang[i]) % 360
    return np.array([rel.min(), 360 - rel.max()])


def pair_cosines(W_k: np.ndarray, sets: tuple[tuple[str, int], ...]) -> np.ndarray:
    """Cosine between the two members of each 2-feature set, [n_sets] (nan if a member is not represented)."""
    W_k = np.asarray(W_k, dtype=np.float64)
    norms = analysis.feature_norms(W_k)
    out, start = [], 0
    for _, size in sets:
        a, b = start, start + 1
        ok = norms[a] > NORM_THRESHOLD and norms[b] > NORM_THRESHOLD
        out.append(float(W_k[a] @ W_k[b] / (norms[a] * norms[b])) if ok else np.nan)
        start += size
    return np.array(out)


def pair_relation(cosine: float) -> str:
    """Words for a within-set cosine (thresholds from measured trained pairs, issue 13).

    Measured: orthogonal pairs |cos| <= 0.09; neighbours in a hexagon or pentagon ("side by side", 55-80
    degrees apart) 0.24-0.45 (up to 0.57 in a distorted hexagon); a pair stored as its sum 0.98-1.00.
    """
    if not np.isfinite(cosine):
        return "one dropped"
    if cosine < -0.8:
        return "antipodal"
    if abs(cosine) < 0.2:
        return "orthogonal"
    if 0.2 <= cosine <= 0.75:
        return "side by side"
    if cosine > 0.9:
        return "collapsed onto their sum"
    return "in between"


def is_hexagon(W_k: np.ndarray, sets: tuple[tuple[str, int], ...]) -> bool:
    """Three 2-feature sets in m = 2 stored as a hexagon: all six features represented, each pair side by side,
    and each pair's two members next to each other going round the circle."""
    W_k = np.asarray(W_k, dtype=np.float64)
    if W_k.shape[1] != 2 or np.any(analysis.feature_norms(W_k) <= NORM_THRESHOLD):
        return False
    if any(pair_relation(c) != "side by side" for c in pair_cosines(W_k, sets)):
        return False
    order = np.argsort(np.arctan2(W_k[:, 1], W_k[:, 0]))
    pair_of = np.repeat(np.arange(len(sets)), 2)[order]
    neighbours = pair_of == np.roll(pair_of, -1)
    return int(neighbours.sum()) == len(sets)


def shape_caption(densities, W: np.ndarray, sets: tuple[tuple[str, int], ...]) -> str:
    """What this run drew at each density, read from its weights: a hexagon, or how many pairs collapsed."""
    parts = []
    for p, W_k in zip(densities, W):
        words = [pair_relation(c) for c in pair_cosines(W_k, sets)]
        if is_hexagon(W_k, sets):
            gaps = angle_gaps(W_k)
            parts.append(f"p = {p:g}: a hexagon, pairs adjacent (gaps {gaps.min():.0f}°–{gaps.max():.0f}°)")
        else:
            counts = {w: words.count(w) for w in dict.fromkeys(words)}
            parts.append(f"p = {p:g}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return "In this run: " + "; ".join(parts) + "."
