"""One-off: rewrite the headers of assets/*.npz from format 1 to format 2, arrays untouched.

Format 1 stored each builder's own description of its run (``densities``, ``decay``, ...); format 2
stores the whole ToyConfig under ``config["toy_config"]`` (``ToyConfig.to_dict()``) beside the
builder-only parameters. Rebuilding every asset takes ~12 minutes of two cores; this rewrite takes
seconds. Each format-1 header is read here by its own rule, written out independently of the
chapter code, and the result must equal what today's builder would use (``same_config``), so a
header is only rewritten when the old and new descriptions name the same training run.

    python scripts/migrate_asset_headers.py [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import assets  # noqa: E402
from core.config import ToyConfig  # noqa: E402
from core.precompute import all_builders  # noqa: E402


def _abs(c: dict) -> tuple[ToyConfig, set[str]]:
    cfg = ToyConfig(
        model=c["model"],
        n_features=c["n_features"],
        n_hidden=c["n_hidden"],
        feature_probability=c["densities"],
        importance=c["decay"],
        steps=c["steps"],
        seed=c["seed"],
        n_seeds=c["n_seeds"],
    )
    return cfg, {"model", "n_features", "n_hidden", "densities", "decay", "steps", "seed", "n_seeds"}


def _dynamics(c: dict) -> tuple[ToyConfig, set[str]]:
    used = {"model", "n_features", "n_hidden", "density", "steps", "snapshot_every", "seed", "init_scale"}
    cfg = ToyConfig(
        model=c["model"],
        n_features=c["n_features"],
        n_hidden=c["n_hidden"],
        feature_probability=c["density"],
        importance=1.0,
        steps=c["steps"],
        snapshot_every=c["snapshot_every"],
        seed=c["seed"],
        init_scale=c["init_scale"],
    )
    return cfg, used


def _phase(c: dict) -> tuple[ToyConfig, set[str]]:
    """Instances are [seed, ratio, density] in that order; the last feature's importance is the ratio."""
    n = c["n_features"]
    rows_p, rows_i = [], []
    for _ in range(c["seeds_per_cell"]):
        for r in c["ratios"]:
            for p in c["densities"]:
                rows_p.append([p] * n)
                rows_i.append([1.0] * (n - 1) + [r])
    cfg = ToyConfig(
        model=c["model"],
        n_features=n,
        n_hidden=c["n_hidden"],
        feature_probability=rows_p,
        importance=rows_i,
        steps=c["steps"],
        batch_size=c["batch_size"],
        eval_batch_size=c["eval_batch_size"],
        lr=c["lr"],
        weight_decay=c["weight_decay"],
        seed=c["seed"],
    )
    used = {"model", "n_features", "n_hidden", "steps", "batch_size", "eval_batch_size", "lr", "weight_decay", "seed"}
    return cfg, used  # ratios, densities and seeds_per_cell stay: they are the grid's layout


def _uniform(c: dict) -> tuple[ToyConfig, set[str]]:
    assert c["importance"] == "uniform (I_i = 1)", c["importance"]
    cfg = ToyConfig(
        model=c["model"],
        n_features=c["n_features"],
        n_hidden=c["n_hidden"],
        feature_probability=c["densities"],
        importance=1.0,
        steps=c["steps"],
        batch_size=c["batch_size"],
        lr=c["lr"],
        weight_decay=c["weight_decay"],
        seed=c["seed"],
        n_seeds=c["n_seeds"],
    )
    used = {"model", "n_features", "n_hidden", "densities", "importance", "steps", "batch_size", "lr"}
    return cfg, used | {"weight_decay", "seed", "n_seeds"}


RULES = {
    "computation_circuit": _abs,
    "computation_sweep": _abs,
    "dynamics_uniform": _dynamics,
    "phase_n2_m1": _phase,
    "phase_n3_m2": _phase,
    "privileged_sweep": _abs,  # the same fields, with model "relu_hidden"
    "uniform_n200_m20": _uniform,
    "uniform_n400_m30": _uniform,
}


def read_raw(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    with np.load(path, allow_pickle=False) as data:
        header = json.loads(str(data["__header__"]))
        arrays = {k: data[k] for k in data.files if k != "__header__"}
    return header, arrays


def new_config(name: str, old: dict) -> dict:
    cfg, used = RULES[name](old)
    missing = used - set(old)
    assert not missing, f"{name}: old header lacks {missing}"
    return assets.asset_config(cfg, **{k: v for k, v in old.items() if k not in used})


def migrate(name: str, check_only: bool) -> str:
    path = assets.path_of(name)
    header, arrays = read_raw(path)
    if header["format"] == assets.FORMAT_VERSION:
        return "already format 2"
    assert header["format"] == 1 and header["name"] == name, header
    config = new_config(name, header["config"])
    builder = all_builders()[name]
    if not assets.same_config(config, builder.config):
        raise SystemExit(f"{name}: the stored run differs from today's builder; rebuild it instead")
    if check_only:
        return "would rewrite"
    assets.save_asset(name, config, arrays, header["version"])
    again = assets.load_asset(name, builder.version)
    assert assets.same_config(again.config, builder.config)
    assert again.arrays.keys() == arrays.keys()
    assert all(np.array_equal(again.arrays[k], v) and again.arrays[k].dtype == v.dtype for k, v in arrays.items())
    return "rewritten, arrays identical"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args()
    unknown = set(all_builders()) - set(RULES)
    assert not unknown, f"no migration rule for {unknown}"
    for name in sorted(RULES):
        print(f"{name}: {migrate(name, args.check)}")


if __name__ == "__main__":
    main()
