"""The SAE chapter's numpy side (no torch): matching tables, projections, the code shown on the page."""

from __future__ import annotations

import numpy as np
import pytest

from core import sae
from core.assets import load_asset, same_config
from core.chapters import undoing_superposition as chapter


def _units(n: int, m: int, seed: int) -> np.ndarray:
    w = np.random.default_rng(seed).standard_normal((n, m))
    return w / np.linalg.norm(w, axis=1, keepdims=True)


def test_matching_table_puts_each_latent_on_its_feature_row() -> None:
    W = _units(6, 3, 0)
    perm = np.array([3, 0, 5, 1, 4, 2])
    table = chapter.matching_table(sae.match_dictionary(W[perm] * 2.0, W))
    best = table.loc[table.groupby("rank")["cos"].idxmax()]
    assert list(best["feature"]) == list(range(6))  # a diagonal once sorted
    assert list(best["latent"]) == [int(np.flatnonzero(perm == i)[0]) for i in range(6)]
    assert best["cos"].to_numpy() == pytest.approx(1.0)


def test_projection_basis_is_the_plane_for_two_dimensions_and_orthonormal_otherwise() -> None:
    basis, _ = chapter.projection_basis(_units(5, 2, 1))
    assert np.array_equal(basis, np.eye(2))
    basis, names = chapter.projection_basis(_units(40, 10, 2))
    assert basis.shape == (10, 2)
    np.testing.assert_allclose(basis.T @ basis, np.eye(2), atol=1e-10)
    assert names[0].startswith("PC1")


def test_direction_table_has_one_arrow_per_stored_feature_and_latent() -> None:
    W = _units(5, 2, 3)
    W[4] *= 0.1  # not stored
    decoder = _units(7, 2, 4)
    table = chapter.direction_table(decoder, W, np.eye(2), sae.match_dictionary(decoder, W))
    assert (table["kind"] == "true feature").sum() == 4
    assert (table["kind"] == "SAE latent").sum() == 7
    assert table["cos"].isna().sum() == 3  # 7 latents, 4 features: 3 unmatched


def test_page_shows_the_sae_class_source() -> None:
    text = chapter.sae_source()
    assert text.startswith("class SparseAutoencoder")
    assert "def encode" in text and "RESAMPLE_EVERY" not in text


def test_topk_encoding_keeps_at_most_k() -> None:
    cfg = sae.SaeConfig(kind="topk", n_latents=6, k=2)
    rng = np.random.default_rng(5)
    res = sae.SaeResult(
        cfg,
        rng.standard_normal((6, 3)),
        rng.standard_normal((3, 6)),
        np.zeros(6),
        np.zeros(3),
        None,
        np.zeros((0, 2)),
        0,
    )
    h = rng.standard_normal((100, 3))
    f = sae.encode(res, h)
    assert ((f > 0).sum(1) <= 2).all() and ((f > 0).sum(1) == 2).mean() > 0.5
    z = h @ res.encoder  # zero biases
    top = np.sort(z, axis=1)[:, -2:]
    np.testing.assert_allclose(np.sort(f, axis=1)[:, -2:], np.maximum(top, 0))


def test_tradeoff_asset_matches_its_config() -> None:
    builder = chapter.BUILDERS[chapter.TRADEOFF_ASSET]
    asset = load_asset(chapter.TRADEOFF_ASSET, builder.version)
    assert same_config(asset.config, builder.config)
    assert asset.toy_config.key() == chapter.DEFAULT_TOY.key()  # the page's default toy model, seed 0
    assert (asset.config["n_latents"], asset.config["steps"]) == (
        chapter.DEFAULT_SAE.n_latents,
        chapter.DEFAULT_SAE.steps,
    )
    curve = chapter.tradeoff_frame(asset.arrays)
    assert list(curve["coefficient"]) == asset.config["coefficients"]


def test_tradeoff_curve_trades_sparsity_for_reconstruction() -> None:
    """More penalty: fewer active latents and worse reconstruction; features are found only in between."""
    asset = load_asset(chapter.TRADEOFF_ASSET, chapter.TRADEOFF_VERSION)
    curve = chapter.tradeoff_frame(asset.arrays).sort_values("coefficient")
    l0, fve, found = curve["l0"].to_numpy(), curve["fve"].to_numpy(), curve["recovered_fraction"].to_numpy()
    assert (np.diff(l0) <= 0.05 * l0[:-1] + 1e-9).all()  # L0 falls (5% slack for training noise)
    assert (np.diff(fve) <= 0.01).all()  # reconstruction never improves by more than noise
    assert l0[0] > 10 * max(l0[-1], 1e-3) and fve[0] - fve[-1] > 0.5  # and both move a long way across it
    assert 0 < int(np.argmax(found)) < len(found) - 1  # the best dictionary is neither the densest nor the sparsest
    assert found.max() > 2 * max(found[0], found[-1])
