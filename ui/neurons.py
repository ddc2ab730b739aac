"""Shared views for models with neurons: W as a grid beside per-neuron stacked bars, and neuron counts."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import plots_neurons
from core.privileged import NeuronLabels

KIND_NAMES = ("monosemantic", "polysemantic", "dead")


def kinds_of(mono: np.ndarray, dead: np.ndarray) -> list[str]:
    """One label per neuron, from boolean arrays [m]."""
    return ["dead" if d else "monosemantic" if m else "polysemantic" for m, d in zip(mono, dead)]


def neuron_views(
    W_k: np.ndarray,
    kinds: list[str],
    order: np.ndarray,
    scale: float,
    title: str,
    value_title: str = "weight W_ij",
    rows: np.ndarray | None = None,
) -> None:
    """The weight grid (left) and the stacked bars (right) of one model, neurons in the same order."""
    left, right = st.columns([2, 3])
    with left:
        chart = plots_neurons.weight_heatmap(W_k, order, title=title, value_title=value_title, rows=rows, scale=scale)
        st.altair_chart(chart, width="content")
    with right:
        st.altair_chart(plots_neurons.neuron_stack(W_k, kinds, order, scale=scale), width="content")


def describe_labels(labels: NeuronLabels, k: int | None = None) -> str:
    """'3 monosemantic, 2 polysemantic, 0 dead' for one model (index ``k`` of a batch, or a single model)."""
    pick = (lambda a: a[k]) if k is not None else (lambda a: a)
    parts = [
        f"{int(pick(labels.monosemantic).sum())} monosemantic",
        f"{int(pick(labels.polysemantic).sum())} polysemantic",
        f"{int(pick(labels.dead).sum())} dead",
    ]
    return ", ".join(parts)
