"""Small precomputed results for paper-scale sweeps, stored in assets/ as .npz files.

Each asset is one .npz holding named arrays plus a JSON header: the asset's name, a format
version, the code version of its builder, and ``config``: the exact ToyConfig that trained it
(``config["toy_config"]``, written by ``ToyConfig.to_dict()``, so ``ToyConfig.from_dict`` reads
any asset's back) beside the builder's own parameters (thresholds, which weights to keep...). A page shows an asset instantly and says so; if the file is
missing or stale it falls back to training live.

Rebuild everything with ``python -m core.precompute`` (see that module).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.config import ToyConfig

ASSET_DIR = Path(__file__).resolve().parent.parent / "assets"
# 2: the config holds the whole ToyConfig under "toy_config" (1 had each builder's own fields).
FORMAT_VERSION = 2


@dataclass(frozen=True)
class Asset:
    """A loaded asset: its header (name, builder version, config) and arrays."""

    name: str
    version: int
    config: dict[str, Any]
    arrays: dict[str, np.ndarray]
    built_with: dict[str, str] | None = None  # engine and device, for assets built since they were recorded

    @property
    def toy_config(self) -> ToyConfig:
        """The ToyConfig the asset was trained with."""
        return ToyConfig.from_dict(self.config["toy_config"])


class AssetError(Exception):
    """An asset is missing, unreadable, or does not match what the caller expects."""


def asset_config(cfg: ToyConfig, **params: Any) -> dict[str, Any]:
    """What an asset's header stores as its config: the ToyConfig, plus builder-only parameters."""
    if "toy_config" in params:
        raise AssetError("'toy_config' is reserved")
    return {"toy_config": cfg.to_dict(), **params}


def same_config(a: Any, b: Any, rel_tol: float = 1e-12) -> bool:
    """Whether two stored configurations are the same, floats compared to ``rel_tol``.

    Why not ``==``: a density grid computed on another CPU (or another numpy build) can differ
    in the last bit, which is not another configuration.
    """
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_config(a[k], b[k], rel_tol) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_config(x, y, rel_tol) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        both_numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b))
        return both_numbers and math.isclose(a, b, rel_tol=rel_tol, abs_tol=0.0)
    return type(a) is type(b) and a == b


def path_of(name: str, directory: Path | None = None) -> Path:
    if not name.replace("_", "").replace("-", "").isalnum():
        raise AssetError(f"asset names are letters, digits, '-' and '_': {name!r}")
    return (directory or ASSET_DIR) / f"{name}.npz"


def save_asset(
    name: str,
    config: dict[str, Any],
    arrays: dict[str, np.ndarray],
    version: int,
    directory: Path | None = None,
    built_with: dict[str, str] | None = None,
) -> Path:
    """Write an asset atomically (to a temporary file, then renamed).

    ``built_with`` (e.g. {"engine": "torch", "device": "cuda"}) goes into the header as a record of
    how the arrays were made; it is not part of the config, so it never makes an asset stale.
    """
    target = path_of(name, directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    header = {"name": name, "format": FORMAT_VERSION, "version": int(version), "config": config}
    if built_with is not None:
        header["built_with"] = dict(built_with)
    payload = {k: np.asarray(v) for k, v in arrays.items()}
    if "__header__" in payload:
        raise AssetError("'__header__' is reserved")
    tmp = target.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, __header__=np.array(json.dumps(header, sort_keys=True)), **payload)
    tmp.replace(target)
    return target


def load_asset(name: str, version: int | None = None, directory: Path | None = None) -> Asset:
    """Read an asset; raises AssetError if missing, corrupt, or of another builder version."""
    target = path_of(name, directory)
    if not target.exists():
        raise AssetError(f"asset {name!r} has not been built (run: python -m core.precompute --only {name})")
    try:
        with np.load(target, allow_pickle=False) as data:
            header = json.loads(str(data["__header__"]))
            arrays = {k: data[k] for k in data.files if k != "__header__"}
    except (OSError, ValueError, KeyError) as exc:
        raise AssetError(f"asset {name!r} could not be read: {exc}") from None
    if header.get("format") != FORMAT_VERSION or header.get("name") != name:
        raise AssetError(f"asset {name!r} has an unexpected header: {header}")
    if version is not None and header.get("version") != version:
        raise AssetError(f"asset {name!r} is version {header.get('version')}, the code expects {version}; rebuild it")
    return Asset(
        name=name,
        version=int(header["version"]),
        config=header["config"],
        arrays=arrays,
        built_with=header.get("built_with"),
    )
