"""core.presets: the paper's settings live in one package that the chapters import (never the reverse)."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import core.presets
from core.config import ToyConfig
from core.precompute import all_builders

PRESET_MODULES = ["core.presets", *(f"core.presets.{m.name}" for m in pkgutil.iter_modules(core.presets.__path__))]


@pytest.mark.parametrize("name", PRESET_MODULES)
def test_presets_import_nothing_from_the_chapters(name: str) -> None:
    """Chapters import their settings from here; an import back would be a cycle."""
    tree = ast.parse(Path(importlib.import_module(name).__file__).read_text())
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in imported if m.startswith(("core.chapters", "core.charts", "ui", "streamlit"))]


@pytest.mark.parametrize("name", [m for m in PRESET_MODULES if m != "core.presets"])
def test_chapters_use_the_presets_themselves(name: str) -> None:
    """A chapter module that exposes a setting exposes the preset itself (one definition, not a copy)."""
    preset = importlib.import_module(name)
    chapter = importlib.import_module(name.replace("core.presets", "core.chapters"))
    public = [k for k, v in vars(preset).items() if _defined_here(k, v, name)]
    assert public
    for key in public:
        if hasattr(chapter, key):
            assert getattr(chapter, key) is getattr(preset, key), f"{chapter.__name__}.{key} is not the preset"


def _defined_here(key: str, value: object, module: str) -> bool:
    """Functions and classes defined in ``module``, and its constants (not what it imported)."""
    if key.startswith("_") or key == "annotations" or inspect.ismodule(value):
        return False
    if inspect.isfunction(value) or inspect.isclass(value):
        return value.__module__ == module
    return True


def test_every_asset_trains_a_named_preset() -> None:
    named = {
        id(value)
        for name in PRESET_MODULES
        for value in vars(importlib.import_module(name)).values()
        if isinstance(value, ToyConfig)
    }
    phase = importlib.import_module("core.presets.phase_change")
    for name, builder in all_builders().items():
        if name.startswith("phase_"):  # one preset function per diagram size
            n = builder.toy_config.n_features
            assert builder.toy_config.key() == phase.asset_run(n).key()
        else:
            assert id(builder.toy_config) in named, f"{name} trains a config that is not a named preset"


def test_no_chapter_module_defines_a_config_builder_of_its_own() -> None:
    """Functions that build a ToyConfig live in core.presets; chapter modules only use them."""
    offenders = []
    for path in sorted((Path(core.presets.__file__).parents[1] / "chapters").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            returns = ast.unparse(node.returns) if isinstance(node, ast.FunctionDef) and node.returns else ""
            if returns in ("ToyConfig", "dict[str, ToyConfig]"):
                offenders.append(f"{path.name}:{node.name}")
    assert offenders == []
