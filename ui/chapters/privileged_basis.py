"""Rendering for the "Privileged basis" chapter: one model's panel under a rotation of its hidden space."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from core import analysis
from core.chapters import features_as_directions as rep
from core.chapters import privileged_basis
from core.charts import privileged_basis as privileged_basis_charts
from core.config import ToyConfig
from core.train import TrainResult
from ui import linked
from ui.export import show_chart
from ui.live import untrained
from ui.state import presenting

EVAL_BATCH = 2048  # fixed batch the rotated losses are compared on
EVAL_SEED = 2024
PCA_ROWS = 1024
ANGLES = np.arange(0, 361, 15)
LINKED = "pb"  # one followed feature for both models' arrows on neurons 0 and 1 and weight heatmaps
FOLLOW_HINT = (
    "Click a feature's arrow on neurons 0 and 1, or its row of the weights, to follow it through both models' charts."
)


@dataclass(frozen=True)
class Rotation:
    """What the learner chose: mode "plane" (neurons 0 and 1) or "random" (all neurons), angle in degrees, seed."""

    mode: str
    angle: float
    seed: int


def model_panel(view: TrainResult, cfg: ToyConfig, rot: Rotation, scale: float) -> None:
    """Loss under rotation, the rotated weights in the neuron and PCA bases, and how basis-aligned they are.

    The page draws the follow bar (``linked.follow_bar(LINKED, ...)``) above both panels."""
    linked.catch_up(LINKED)  # a pick in this panel shows in the other model's panel and the follow bar too
    followed = linked.followed(LINKED)
    W = view.W[0].astype(np.float64)
    b = view.b[0].astype(np.float64)
    importance = cfg.broadcast()[1][0]
    m = W.shape[1]
    x = rep.fixed_batch(cfg, EVAL_BATCH, EVAL_SEED)
    M = privileged_basis.rotation(m, rot.angle, rot.mode, rot.seed)
    before, after = privileged_basis.loss_under_rotation(cfg.model, W, b, importance, x, M)
    curve = privileged_basis.loss_vs_angle(cfg.model, W, b, importance, x, ANGLES, rot.mode, rot.seed)
    Wr = privileged_basis.rotate(W, M)
    tag = cfg.model.replace("_", "-")
    # On a projector the two models share the width, so each one's charts stack instead of sitting three abreast
    # (three columns of a half-width panel shrank the 1.6x charts to a third of their size).
    c1, c2, c3 = (st.container(), st.container(), st.container()) if presenting() else st.columns([1, 1.3, 0.8])
    with c1:
        title = f"Wᵢ on neurons 0 and 1, turned by {rot.angle:g}°"
        show_chart(
            privileged_basis_charts.plane_arrows(
                Wr[:, :2], ("neuron 0", "neuron 1"), title, scale=scale, followed=followed, pickable=True
            ),
            f"{tag}-neurons-0-1-arrows",
            f"pb_{cfg.model}_plane",
            alt_text=f"Arrow diagram of each feature's weights on neurons 0 and 1 after turning the hidden space by "
            f"{rot.angle:g}°, one labelled arrow per feature (x: neuron 0, y: neuron 1).",
            **linked.link(LINKED, f"{cfg.model}_plane"),
        )
    with c2:
        show_chart(
            privileged_basis_charts.rotation_loss(ANGLES, curve, rot.angle, after, "Loss as you rotate", scale=scale),
            f"{tag}-loss-vs-rotation",
            f"pb_{cfg.model}_rotloss",
            alt_text=f"Line chart of the loss on a fixed batch against the rotation angle from 0° to 360°, ranging "
            f"from {curve.min():.6g} to {curve.max():.6g}; a dot marks your angle {rot.angle:g}° (loss {after:.6g}).",
        )
    with c3:
        if untrained(view):  # a loss of random weights is no result; the curve above still shows the symmetry
            st.caption("Untrained: the losses appear once the model has trained.")
        else:
            _loss_metrics(before, after, rot.angle)
    if presenting():  # on a projector the loss under rotation is the comparison; the bases are a click away
        with st.expander("The weights in the neuron and PCA bases"):
            _bases(cfg.model, Wr, x, scale, untrained(view), followed)
    else:
        _bases(cfg.model, Wr, x, scale, untrained(view), followed)


def _loss_metrics(before: float, after: float, angle: float) -> None:
    change = privileged_basis.relative_change(before, after)
    st.metric("Loss as trained", f"{before:.6g}")
    st.metric(f"Loss after turning {angle:g}°", f"{after:.6g}")
    st.metric("Relative change", percent(change), help="|after − before| / before, same batch, float64")


def percent(change: float) -> str:
    """A relative change as a percentage: 5.87 reads "587%", 0.0123 "1.23%"; rounding-size ones keep their exponent."""
    pct = 100 * change
    if pct == 0:
        return "0%"
    return f"{pct:.3g}%" if pct >= 0.01 else f"{pct:.1e}%"


def _bases(model: str, Wr: np.ndarray, x, scale: float, fresh: bool = False, followed: int | None = None) -> None:
    views = privileged_basis.basis_views(model, Wr, x[:, :PCA_ROWS])
    stored = np.flatnonzero(analysis.represented(Wr))
    tag = model.replace("_", "-")
    left, right = (st.container(), st.container()) if presenting() else st.columns([1.3, 1])
    with left:
        title = "The (rotated) weights W, two ways"
        show_chart(
            privileged_basis_charts.basis_heatmaps(
                views.neuron, views.pca, title, scale=scale, followed=followed, pickable=True
            ),
            f"{tag}-weights-neuron-and-pca-basis",
            f"pb_{model}_heat",
            alt_text=f"Two heatmaps of the weights W, {Wr.shape[0]} features down by {Wr.shape[1]} columns: on the "
            "left in the neuron basis, on the right in the PCA basis of the hidden activations; colour is the "
            "weight, blue below 0, orange above.",
            **linked.link(LINKED, f"{model}_heat"),
        )
    with right:
        if fresh:
            st.caption("Untrained: which features are stored, and how basis-aligned, shows once it has trained.")
        elif stored.size:
            _alignment(model, views, stored, Wr, scale)
        else:
            st.caption("No feature is stored yet (every ‖Wᵢ‖ ≤ 0.5): train a little longer.")


def _alignment(model: str, views, stored: np.ndarray, Wr: np.ndarray, scale: float) -> None:
    chart = privileged_basis_charts.alignment_bars(
        views.align_neuron, views.align_pca, stored, Wr.shape[1], "How basis-aligned is each feature?", scale
    )
    neuron_mean, pca_mean = views.align_neuron[stored].mean(), views.align_pca[stored].mean()
    show_chart(
        chart,
        f"{model.replace('_', '-')}-basis-alignment",
        f"pb_{model}_align",
        alt_text=f"Grouped horizontal bar chart: for each of the {stored.size} stored features, its largest share "
        f"of |weight| on one axis, in the neuron basis and in the PCA basis; mean {neuron_mean:.2f} for neurons, "
        f"{pca_mean:.2f} for PCA.",
    )
    mono = int(analysis.monosemantic_count(Wr))
    st.caption(
        f"Mean share, stored features: neuron basis {neuron_mean:.2f}, PCA basis "
        f"{pca_mean:.2f} (dashed line: 1/m, spread evenly). Monosemantic neurons "
        f"(one feature ≥ 90% of the neuron's |weight|): {mono} of {Wr.shape[1]}."
    )
