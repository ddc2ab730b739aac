"""Rebuild the paper-scale results in assets/: ``python -m core.precompute [--only NAME ...] [--list]``.

``--engine torch --device cuda`` trains with the PyTorch engine on a GPU (``--device cpu`` works
anywhere torch is installed); the default is the numba kernel on the CPU. Every asset's header
records the engine and device that built it. ``--out DIR`` writes somewhere other than assets/.

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
from pathlib import Path
from typing import Any

import numpy as np

from core import train as training
from core.assets import asset_config, save_asset
from core.config import ToyConfig

# Topic modules that own assets; each defines BUILDERS = {name: AssetBuilder}.
BUILDER_MODULES = (
    "core.chapters.phase_change",
    "core.chapters.geometry",
    "core.chapters.learning_dynamics",
    "core.chapters.privileged_superposition",
    "core.chapters.computation",
    "core.chapters.undoing_superposition",
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


def build(
    names: list[str] | None = None,
    out=sys.stdout,
    directory: Path | None = None,
    engine: str = "kernel",
    device: str = "cpu",
) -> list[str]:
    """Build the named assets (all by default) with ``engine`` on ``device``; returns the names built.

    The builders call core.train.train without naming an engine, so the choice is set as train's
    default for the duration of the build (and restored after it).
    """
    builders = all_builders()
    unknown = sorted(set(names or []) - set(builders))
    if unknown:
        raise SystemExit(f"unknown asset(s): {', '.join(unknown)}; known: {', '.join(sorted(builders))}")
    todo = names or sorted(builders)
    before = dict(training.DEFAULT_ENGINE)
    training.set_default_engine(engine, device)
    try:
        for done, name in enumerate(todo, start=1):
            _build_one(name, builders[name], f"[{done}/{len(todo)}]", out, directory)
    finally:
        training.DEFAULT_ENGINE.update(before)
    return list(todo)


def _build_one(name: str, builder: AssetBuilder, counter: str, out, directory: Path | None) -> None:
    engine, device = training.DEFAULT_ENGINE["engine"], training.DEFAULT_ENGINE["device"]
    print(f"{counter} {name} ({engine} on {device}): {builder.about} ...", end="", flush=True, file=out)
    start = time.perf_counter()
    config = builder.config
    arrays = builder.build(config)
    built_with = {"engine": engine, "device": device}
    path = save_asset(name, config, arrays, builder.version, directory=directory, built_with=built_with)
    size = path.stat().st_size / 1024
    print(f" done in {time.perf_counter() - start:.1f} s ({size:.0f} KiB)", file=out)


def check_device(engine: str, device: str) -> str | None:
    """None if ``engine`` can train on ``device`` here, else a one-line reason (no torch, no GPU, bad name)."""
    try:
        training.check_engine(engine, device)
        if engine == "torch":
            from core.torch_train import resolve_device  # imports torch

            resolve_device(device)
    except ImportError:
        return "the torch engine needs PyTorch: pip install torch"
    except (ValueError, training.DeviceUnavailableError) as exc:
        return str(exc)
    return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="build just these assets")
    parser.add_argument("--list", action="store_true", help="list the assets and exit")
    parser.add_argument("--engine", choices=training.ENGINES, default="kernel", help="training engine (default kernel)")
    parser.add_argument("--device", default="cpu", help="torch device for --engine torch: cpu, cuda, cuda:1, mps")
    parser.add_argument("--out", type=Path, default=None, help="write the assets here instead of assets/")
    args = parser.parse_args(argv)
    if args.list:
        for name, builder in sorted(all_builders().items()):
            print(f"{name} (v{builder.version}): {builder.about}")
        return
    problem = check_device(args.engine, args.device)
    if problem:  # a message, not a traceback: this is the usual outcome on a machine without a GPU
        print(
            f"core.precompute: cannot train with --engine {args.engine} --device {args.device}: {problem}",
            file=sys.stderr,
        )
        raise SystemExit(2)
    build(args.only, directory=args.out, engine=args.engine, device=args.device)


if __name__ == "__main__":
    main()
