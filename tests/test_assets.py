"""Asset files: round trip, version checks, and clear errors for missing or broken files."""

from __future__ import annotations

import numpy as np
import pytest

from core import assets, precompute
from core.assets import AssetError, asset_config, load_asset, same_config, save_asset
from core.config import ToyConfig


def test_round_trip_keeps_arrays_and_config(tmp_path) -> None:
    arrays = {"W": np.arange(12, dtype=np.float32).reshape(2, 3, 2), "loss": np.array([0.5, 0.25])}
    config = {"n_features": 3, "densities": [1.0, 0.1], "seed": 7}
    save_asset("demo", config, arrays, version=3, directory=tmp_path)
    asset = load_asset("demo", version=3, directory=tmp_path)
    assert asset.config == config and asset.version == 3
    np.testing.assert_array_equal(asset.arrays["W"], arrays["W"])
    assert asset.arrays["W"].dtype == np.float32


def test_version_mismatch_and_missing_file_raise(tmp_path) -> None:
    save_asset("demo", {}, {"x": np.zeros(1)}, version=1, directory=tmp_path)
    with pytest.raises(AssetError, match="rebuild"):
        load_asset("demo", version=2, directory=tmp_path)
    with pytest.raises(AssetError, match="has not been built"):
        load_asset("absent", directory=tmp_path)


def test_corrupt_file_and_bad_names_raise(tmp_path) -> None:
    (tmp_path / "broken.npz").write_bytes(b"not a zip file")
    with pytest.raises(AssetError, match="could not be read"):
        load_asset("broken", directory=tmp_path)
    with pytest.raises(AssetError):
        load_asset("../etc/passwd", directory=tmp_path)


def test_every_registered_asset_is_built_and_matches_its_config() -> None:
    builders = precompute.all_builders()
    for name, builder in builders.items():
        asset = load_asset(name, version=builder.version)
        assert same_config(asset.config, builder.config), f"{name} was built from another config; rebuild it"
        assert asset.arrays, f"{name} holds no arrays"


def test_pages_fall_back_to_live_training_when_assets_are_missing(tmp_path, monkeypatch) -> None:
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    import core.assets
    from ui import assets as ui_assets

    monkeypatch.setattr(core.assets, "ASSET_DIR", tmp_path)  # an empty assets folder
    ui_assets._load.clear()
    root = Path(__file__).resolve().parents[1]
    at = AppTest.from_file(str(root / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("views/privileged_superposition.py").run()
    ui_assets._load.clear()
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "not available" in notes and "live training" in notes


def test_same_config_ignores_last_bit_float_noise_but_not_real_changes() -> None:
    stored = {"densities": [1.0, 0.3, 0.1], "n": 5, "model": "relu_output", "sets": [["correlated", 2]]}
    ulp = {**stored, "densities": [1.0, 0.3 + 5.5e-17, 0.1 - 1.4e-17]}
    assert same_config(stored, ulp)
    assert not same_config(stored, {**stored, "densities": [1.0, 0.3, 0.11]})
    assert not same_config(stored, {**stored, "n": 6})
    assert not same_config(stored, {**stored, "model": "linear"})
    assert not same_config(stored, {**stored, "densities": [1.0, 0.3]})
    assert not same_config(stored, {k: v for k, v in stored.items() if k != "n"})
    assert not same_config({"flag": True}, {"flag": 1})


def test_every_asset_stores_its_toy_config_and_builds_from_the_header_alone() -> None:
    """One ToyConfig.from_dict reads any asset's run back, and it is the run the builder would train."""
    for name, builder in precompute.all_builders().items():
        asset = load_asset(name, version=builder.version)
        cfg = asset.toy_config
        assert isinstance(cfg, ToyConfig)
        assert same_config(cfg.to_dict(), builder.toy_config.to_dict()), name
        assert set(asset.config) == {"toy_config", *builder.params}, name
        p_stored, imp_stored = cfg.broadcast()
        p_builder, imp_builder = builder.toy_config.broadcast()
        np.testing.assert_allclose(p_stored, p_builder, rtol=1e-12, atol=0)
        np.testing.assert_allclose(imp_stored, imp_builder, rtol=1e-12, atol=0)


def test_toy_config_round_trips_through_an_asset_header(tmp_path) -> None:
    rng = np.random.default_rng(0)
    cfg = ToyConfig(n_features=3, feature_probability=rng.uniform(0.01, 1, (40, 3)), importance=[1.0, 0.5, 0.2])
    save_asset("demo", asset_config(cfg, keep=[0, 2]), {"x": np.zeros(1)}, version=1, directory=tmp_path)
    asset = load_asset("demo", directory=tmp_path)
    assert asset.toy_config.key() == cfg.key() and asset.config["keep"] == [0, 2]
    with pytest.raises(AssetError, match="reserved"):
        asset_config(cfg, toy_config={})


def test_an_older_header_format_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(assets, "FORMAT_VERSION", 1)
    save_asset("old", {"densities": [1.0]}, {"x": np.zeros(1)}, version=1, directory=tmp_path)
    monkeypatch.undo()
    with pytest.raises(AssetError, match="unexpected header"):
        load_asset("old", directory=tmp_path)
