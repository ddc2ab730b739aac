"""Shared views for models with neurons: W as a grid beside per-neuron stacked bars, and neuron counts."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.chapters.privileged_superposition import NeuronLabels
from core.charts import neurons as neuron_charts
from ui import linked
from ui.export import show_chart

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
    key: str,
    name: str,
    value_title: str = "weight W_ij",
    rows: np.ndarray | None = None,
    page: str | None = None,
) -> None:
    """The weight grid (left) and the stacked bars (right) of one model, neurons in the same order.

    ``key`` and ``name`` (unique on the page) get "_weights" / "_bars" and "-weights" / "-bars" appended.
    ``page``: the page's linked-views key (``ui.linked``): a click on a row of the grid or a segment of the bars
    then follows that feature, and the feature the page follows stays opaque in both (the others fade).
    """
    n_rows = W_k.shape[0] if rows is None else len(rows)
    summary = kinds_summary(kinds)
    followed = linked.followed(page, W_k.shape[0]) if page is not None else None
    pick = {"followed": followed, "pickable": page is not None}
    left, right = st.columns([2, 3])
    with left:
        chart = neuron_charts.weight_heatmap(
            W_k, order, title=title, value_title=value_title, rows=rows, scale=scale, **pick
        )
        show_chart(
            chart,
            f"{name}-weights",
            f"{key}_weights",
            alt_text=f"{title}. Heatmap with {n_rows} features as rows and {W_k.shape[1]} neurons as columns; "
            f"colour is the {value_title}, blue negative, pale near zero, orange positive. The neurons are {summary}.",
            **(linked.link(page, f"{key}_weights") if page is not None else {}),
        )
    with right:
        show_chart(
            neuron_charts.neuron_stack(W_k, kinds, order, scale=scale, **pick),
            f"{name}-bars",
            f"{key}_bars",
            alt_text=f"Stacked bar chart, one bar per neuron ({W_k.shape[1]}): each segment is one input weight, "
            "its height |W_ij| and its colour the feature, negative weights below zero; a strip above marks "
            f"each neuron's kind ({summary}).",
            **(linked.link(page, f"{key}_bars") if page is not None else {}),
        )


def counts_alt(
    densities: np.ndarray, counts: dict[str, np.ndarray], n_neurons: int, k: int, seeds: bool = False
) -> str:
    """Alt text of a neuron-counts chart whose dashed marker is at density index ``k``."""
    p = np.asarray(densities, dtype=np.float64)
    at_k = ", ".join(f"{int(counts[kind][k])} {kind}" for kind in KIND_NAMES if kind in counts)
    return (
        f"Line chart: how many of the {n_neurons} neurons are monosemantic, polysemantic or dead (one colour each) "
        f"against inverse density 1/p on a log axis, {p.size} densities from p = {p[0]:.3g} to {p[-1]:.3g}"
        + ("; faint dots, sized by seed count, show every seed's monosemantic count" if seeds else "")
        + f". A dashed line marks p = {p[k]:.3g}: {at_k}."
    )


def kinds_summary(kinds: list[str]) -> str:
    """'3 monosemantic, 2 polysemantic, 0 dead' from one kind per neuron."""
    return ", ".join(f"{kinds.count(kind)} {kind}" for kind in KIND_NAMES)


def describe_labels(labels: NeuronLabels, k: int | None = None) -> str:
    """'3 monosemantic, 2 polysemantic, 0 dead' for one model (index ``k`` of a batch, or a single model)."""
    pick = (lambda a: a[k]) if k is not None else (lambda a: a)
    parts = [
        f"{int(pick(labels.monosemantic).sum())} monosemantic",
        f"{int(pick(labels.polysemantic).sum())} polysemantic",
        f"{int(pick(labels.dead).sum())} dead",
    ]
    return ", ".join(parts)
