"""W^T W grouped by tegum factor (Geometry chapter, 'Local almost-orthogonal bases')."""

from __future__ import annotations

import numpy as np
import pytest

from core.assets import load_asset
from core.chapters import geometry, geometry_bases
from ui.chapters.geometry_bases import ASSET, DEFAULT_INDEX, block_caption

POLYTOPE_RANK = {p.name: p.d for p in geometry.POLYTOPES}


def _model(index: int) -> np.ndarray:
    a = load_asset(ASSET, geometry.UNIFORM_VERSION)
    return a.arrays["W"].astype(np.float64)[list(a.arrays["w_index"]).index(index)]


@pytest.mark.parametrize("index", [5, 8, DEFAULT_INDEX, 11])
def test_blocks_interfere_inside_and_not_between(index: int) -> None:
    """Within-factor |W_i.W_j| is at least 2.5x the between-factor mean, at several densities of the asset."""
    view = geometry_bases.block_view(_model(index))
    assert len(view.names) > 1
    assert view.within > 2.5 * view.between
    assert view.between < 0.06


@pytest.mark.parametrize("index", [5, 8, DEFAULT_INDEX, 11])
def test_block_rank_equals_span(index: int) -> None:
    """Each factor's block of W^T W has rank = the dimensions its directions span; named polytopes have their d."""
    view = geometry_bases.block_view(_model(index))
    assert np.array_equal(view.ranks, view.spans)
    for name, rank in zip(view.names, view.ranks, strict=True):
        if name in POLYTOPE_RANK:
            assert rank == POLYTOPE_RANK[name]


def test_ideal_pentagon_block_is_rank_two() -> None:
    g = geometry_bases.ideal_polytope_gram(5, 2)
    assert g.shape == (5, 5) and geometry_bases.block_rank(g) == 2
    assert np.linalg.matrix_rank(g, tol=1e-9) == 2


def test_reordering_keeps_the_matrix() -> None:
    """The chart's matrix is W^T W permuted, not changed: same multiset of entries, diagonal = ||W_i||^2."""
    W = _model(DEFAULT_INDEX)
    view = geometry_bases.block_view(W)
    assert sorted(view.order) == list(range(W.shape[0]))
    assert np.allclose(np.diag(view.gram), (W**2).sum(axis=1)[view.order])


def test_default_caption_formats_the_measured_numbers() -> None:
    view = geometry_bases.block_view(_model(DEFAULT_INDEX))
    text = block_caption(view, 20)
    assert f"{view.within:.2f}" in text and f"{view.between:.3f}" in text
    assert f"add up to {int(view.ranks.sum())}" in text
    assert ("only almost orthogonal" in text) == (view.ranks.sum() > 20)
