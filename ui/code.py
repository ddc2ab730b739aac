"""The model's PyTorch code on the pages, read from core/torch_models.py as text.

Why text and not ``inspect.getsource``: inspecting the class would import torch, which the app
does not need to run (and which costs seconds and hundreds of MB per server). The file is parsed
with ``ast``, so the code shown is exactly the definition the torch engine trains and the tests
check against the kernel.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import streamlit as st

from core import registry

SOURCE = Path(__file__).resolve().parent.parent / "core" / "torch_models.py"
GENERIC_CLASS = "ToyModel"  # the class that builds any registered kind from its registry record


@functools.cache
def _classes() -> tuple[dict[str, str], dict[str, str]]:
    """(source text of every top-level class by class name, class name of each paper model by kind name)."""
    text = SOURCE.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text)
    sources: dict[str, str] = {}
    by_kind: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            sources[node.name] = "\n".join(lines[node.lineno - 1 : node.end_lineno])
        elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "MODEL_CLASSES" for t in node.targets):
            value = node.value
            if isinstance(value, ast.Dict):
                for key, cls in zip(value.keys, value.values):
                    if isinstance(key, ast.Constant) and isinstance(cls, ast.Name):
                        by_kind[key.value] = cls.id
    return sources, by_kind


def model_source(kind: str) -> str:
    """The PyTorch class of model kind ``kind`` as source text (the generic class for kinds without their own)."""
    registry.get(kind)  # a ValueError naming the known kinds
    sources, by_kind = _classes()
    return sources[by_kind.get(kind, GENERIC_CLASS)]


def model_code(kind: str) -> None:
    """An expander with the model's PyTorch definition, for every page that trains one."""
    with st.expander("The model in PyTorch"):
        st.caption(
            "The same model in plain PyTorch (core/torch_models.py). The app trains it with a faster "
            "hand-written kernel; the tests check both compute the same outputs and gradients."
        )
        st.code(model_source(kind), language="python")
