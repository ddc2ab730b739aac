"""Rebuild the paper-scale results in assets/: ``python -m core.precompute [--only NAME ...] [--list]``.

Each topic module listed in BUILDER_MODULES defines ``BUILDERS``: a dict mapping an asset
name to an ``AssetBuilder`` (a version number, the ToyConfig it trains, any builder-only
parameters, and a function that trains and returns the arrays). Builders are seeded, so a rebuild reproduces the same files on
the same machine. A progress line per asset reports what is being built and how long it took.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.assets import asset_config, save_asset
from core.config import ToyConfig

# Topic modules that own assets; each defines BUILDERS = {name: AssetBuilder}.
BUILDER_MODULES = (
    "core.chapters.phase_change",
    "core.chapters.geometry",
    "core.chapters.learning_dynamics",
    "core.chapters.privileged_superposition",
    "core.chapters.computation",
)


@dataclass(frozen=True)
class AssetBuilder:
    """How to make one asset. ``build(config)`` returns the arrays to store.

    ``config`` is what the asset's header stores and what ``build`` reads: the ToyConfig as
    ``config["toy_config"]`` plus ``params``. Building from that dict (not from the objects)
    means a header alone is enough to rebuild its asset.
    """

    version: int
    toy_config: ToyConfig
    build: Callable[[dict[str, Any]], dict[str, np.ndarray]]
    about: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def config(self) -> dict[str, Any]:
        return asset_config(self.toy_config, **self.params)


def all_builders() -> dict[str, AssetBuilder]:
    """Every registered builder, by asset name (modules not yet written are skipped)."""
    found: dict[str, AssetBuilder] = {}
    for module_name in BUILDER_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        found.update(getattr(module, "BUILDERS", {}))
    return found


def build(names: list[str] | None = None, out=sys.stdout) -> list[str]:
    """Build the named assets (all by default); returns the names built."""
    builders = all_builders()
    unknown = sorted(set(names or []) - set(builders))
    if unknown:
        raise SystemExit(f"unknown asset(s): {', '.join(unknown)}; known: {', '.join(sorted(builders))}")
    todo = names or sorted(builders)
    for done, name in enumerate(todo, start=1):
        builder = builders[name]
        print(f"[{done}/{len(todo)}] {name}: {builder.about} ...", end="", flush=True, file=out)
        start = time.perf_counter()
        config = builder.config
        arrays = builder.build(config)
        path = save_asset(name, config, arrays, builder.version)
        size = path.stat().st_size / 1024
        print(f" done in {time.perf_counter() - start:.1f} s ({size:.0f} KiB)", file=out)
    return list(todo)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="build just these assets")
    parser.add_argument("--list", action="store_true", help="list the assets and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name, builder in sorted(all_builders().items()):
            print(f"{name} (v{builder.version}): {builder.about}")
        return
    build(args.only)


if __name__ == "__main__":
    main()
