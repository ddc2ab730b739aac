"""Views for the computation-in-superposition page: the |x| circuit, the sweep's neurons, the motif."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core.chapters import computation
from core.charts import neurons as neuron_charts
from ui import linked
from ui.export import show_chart
from ui.neurons import kinds_of, neuron_views

LINKED = "cs"  # the page's linked views: one feature followed in the circuit's W1, W2 and graph, first and live
FOLLOW_HINT = (
    "Click a feature's row of W1 or W2, or its input or output node in the circuit graph, to follow it in these "
    "circuit charts and in the circuit you can train below."
)


def circuit_order(V1: np.ndarray) -> np.ndarray:
    """Neurons grouped by their main feature, positive side first."""
    top = np.abs(V1).argmax(axis=0)
    sign = np.sign(V1[top, np.arange(V1.shape[1])])
    return np.lexsort((-sign, top))


def circuit_views(W1: np.ndarray, W2: np.ndarray, scale: float, key: str, name: str) -> computation.CircuitCheck:
    """Rescaled W1 and W2 as grids, the circuit graph, and a sentence per feature saying what was found.

    ``key`` and ``name`` (unique on the page) prefix the three charts' download keys and file names. The three
    charts are linked views (page key ``LINKED``; the page draws the follow bar): a click on a feature in one
    follows it in all of them, and in the page's other circuit.
    """
    V1, V2 = computation.rescale_neurons(W1, W2)
    order = circuit_order(V1)
    check = computation.abs_circuit(W1, W2)
    n, m = V1.shape
    pick = {"followed": linked.followed(LINKED, n), "pickable": True}
    grid = f"{n} features as rows, {m} neurons as columns, blue negative, orange positive"
    left, right = st.columns([3, 4])
    with left:
        show_chart(
            neuron_charts.weight_heatmap(
                V1, order, title="W1 (input → neuron), rescaled", limit=1.0, scale=scale, **pick
            ),
            f"{name}-w1",
            f"{key}_w1",
            alt_text=f"Heatmap of the rescaled input weights W1: {grid}.",
            **linked.link(LINKED, f"{key}_w1"),
        )
        show_chart(
            neuron_charts.weight_heatmap(
                V2, order, title="W2 (neuron → output), rescaled", value_title="weight", scale=scale, **pick
            ),
            f"{name}-w2",
            f"{key}_w2",
            alt_text=f"Heatmap of the rescaled output weights W2: {grid}.",
            **linked.link(LINKED, f"{key}_w2"),
        )
    with right:
        show_chart(
            neuron_charts.circuit_graph(V1, V2, title="Inputs → neurons → outputs", scale=scale, **pick),
            f"{name}-graph",
            f"{key}_graph",
            alt_text=f"Circuit graph: {n} inputs, {m} neurons and {n} outputs in three columns, joined by lines "
            "coloured by weight sign (orange positive, blue negative) and as thick as the weight; "
            f"{int(np.sum(check.clean))} of {n} features have the full two-neuron |x| circuit.",
            **linked.link(LINKED, f"{key}_graph"),
        )
    st.markdown("\n".join(_circuit_lines(check, n)))
    return check


def _circuit_lines(check: computation.CircuitCheck, n: int) -> list[str]:
    lines = []
    for i in range(n):
        p, q = int(check.positive[i]), int(check.negative[i])
        if check.clean[i]:
            lines.append(f"- Feature {i}: **h{p} = ReLU(x{i})** and **h{q} = ReLU(−x{i})**, both added into y{i}. ✓")
        else:
            found = [f"positive side h{p}" if p >= 0 else "", f"negative side h{q}" if q >= 0 else ""]
            have = " and ".join(s for s in found if s) or "no clean neuron"
            lines.append(f"- Feature {i}: {have} — not the full two-neuron circuit.")
    return lines


ROW_MIN_WEIGHT = 0.05


def sweep_neurons(W1: np.ndarray, scale: float, title: str, key: str, name: str) -> computation.NeuronKinds:
    """The first layer as a grid (features with a weight >= 0.05 only) and as stacked bars, neurons by main feature."""
    kinds = computation.neuron_kinds(W1)
    order = computation.neuron_display_order(W1)
    rows = np.flatnonzero(np.abs(W1).max(axis=1) >= ROW_MIN_WEIGHT)
    kind_list = kinds_of(kinds.monosemantic, kinds.dead)
    neuron_views(W1, kind_list, order, scale, title=title, key=key, name=name, rows=rows)
    left_out = W1.shape[0] - rows.size
    if left_out:
        st.caption(
            f"The grid leaves out the {left_out} features with no weight of {ROW_MIN_WEIGHT} or more (they are effectively not stored)."
        )
    return kinds


def importance_split(kinds: computation.NeuronKinds, top: int = 8) -> str:
    """How monosemantic the neurons of the most important features are, compared with the rest."""
    lead = kinds.top_feature < top
    parts = []
    for name, mask in ((f"features 0–{top - 1}", lead), (f"features {top} and up", ~lead)):
        total = int((mask & ~kinds.dead).sum())
        mono = int((mask & kinds.monosemantic).sum())
        parts.append(f"{mono} of {total} neurons whose main input is one of {name} are monosemantic")
    return "; ".join(parts) + "."


def motif_table(found: list[tuple[float, computation.Motif]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "density p": f"{p:.3g}",
                "shared neuron": f"h{m.neuron}",
                "inhibitor": f"h{m.inhibitor}",
                "big feature a": m.big,
                "small feature b": m.small,
                "|W1[b]| / |W1[a]|": round(m.input_ratio, 2),
                "W2[b] / W2[a]": round(m.output_ratio, 2),
                "leak cancelled": f"{min(m.cancelled, 1.0):.0%}",
            }
            for p, m in found
        ]
    )


def motif_view(W1: np.ndarray, W2: np.ndarray, motif: computation.Motif, scale: float) -> None:
    """The two neurons and two features of one motif, rescaled, as a small graph plus the numbers."""
    V1, V2 = computation.rescale_neurons(W1, W2)
    feats, neurons = [motif.big, motif.small], [motif.neuron, motif.inhibitor]
    sub1 = V1[np.ix_(feats, neurons)]
    sub2 = V2[np.ix_(feats, neurons)]
    left, right = st.columns([3, 2])
    with left:
        show_chart(
            neuron_charts.circuit_graph(
                sub1, sub2, min_weight=0.01, title="The motif", features=feats, neurons=neurons, scale=scale
            ),
            f"asymmetric-motif-h{motif.neuron}-h{motif.inhibitor}",
            "cs_motif_graph",
            alt_text=f"Circuit graph of the motif: inputs x{motif.big} and x{motif.small}, neurons h{motif.neuron} "
            f"(shared) and h{motif.inhibitor} (inhibitor), outputs y{motif.big} and y{motif.small}; lines coloured "
            "by weight sign (orange positive, blue negative) and as thick as the rescaled weight.",
        )
    with right:
        a, b, k, j = motif.big, motif.small, motif.neuron, motif.inhibitor
        net = sub2[1, 0] * abs(sub1[0, 0]) + sub2[1, 1] * abs(sub1[0, 1])
        verdict = (
            "pushed down, and the output ReLU clips a negative push to 0, so the interference costs nothing."
            if net <= 0
            else "still a small positive leak, but much less than the shared neuron alone would cause."
        )
        st.markdown(
            f"""
**Shared neuron h{k}** reads x{a} with weight {sub1[0, 0]:+.2f} and x{b} with {sub1[1, 0]:+.2f}
(unequal scales), and writes {sub2[0, 0]:+.2f} to y{a} and {sub2[1, 0]:+.2f} to y{b} (reciprocal).
So it helps compute both |x{a}| and |x{b}|, but when x{a} fires it pushes y{b} up by
{sub2[1, 0] * abs(sub1[0, 0]):.2f} × |x{a}|: a large false signal.

**Inhibitor h{j}** fires on the same side of x{a} (weight {sub1[0, 1]:+.2f}) and writes {sub2[1, 1]:+.2f}
to y{b}. Together the two neurons move y{b} by {net:+.2f} × |x{a}| when x{a} is active: {verdict}
"""
        )
    st.caption(
        "Weights rescaled per neuron so its largest input weight is ±1 (the full model's other inputs to these "
        "neurons are left out of the picture; their weights are small)."
    )
