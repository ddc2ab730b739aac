"""Views for the learning-dynamics page: the live panel (D_i, loss, replay) and the precomputed paper-scale run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core import analysis
from core.chapters import learning_dynamics, learning_dynamics_terms
from core.charts import common as charts
from core.charts import learning_dynamics as learning_dynamics_charts
from core.config import ToyConfig
from core.train import TrainResult
from ui import linked
from ui.export import show_chart

PAIRS = ((0, 1), (0, 2), (1, 2))
LINKED = "ld"  # the page's linked views: the feature followed through the replayed geometry (linked.follow_bar)
TRIPLES_HINT = (
    "Click an arrow's tip or a row of Wᵀ W to follow that feature in the charts below; it stays followed while "
    "you replay."
)
UNIFORM_HINT = (
    "Click a row of Wᵀ W or a dot of the PCA plot to follow that feature in both charts; it stays followed while "
    "you replay."
)


def replay_index(steps: np.ndarray, wanted: int) -> int:
    """The last recorded snapshot at or before ``wanted`` (the run may not have got there yet)."""
    return int(max(0, np.searchsorted(steps, wanted, side="right") - 1))


def jump_caption(report: list[tuple[learning_dynamics.Jump, learning_dynamics.LossChange]]) -> str:
    if not report:
        return "No jumps detected yet: no D_i has moved quickly from one plateau to another."
    hits = sum(change.coincides for _, change in report)
    return (
        f"{len(report)} jump(s) detected (dashed orange lines): a D_i leaving one plateau for another. During {hits} "
        "of them the loss fell at least twice as fast as its average over the run (measured per doubling of the "
        "step count, the natural pace on a log time axis)."
    )


def jump_table(
    report: list[tuple[learning_dynamics.Jump, learning_dynamics.LossChange]],
    own: list[learning_dynamics.LossChange] | None = None,
) -> pd.DataFrame:
    """One row per jump; with ``own``, also whether the jumping feature's own loss term fell fast."""
    table = pd.DataFrame(
        [
            {
                "feature": j.feature,
                "from step": j.start,
                "to step": j.end,
                "D before": round(j.before, 3),
                "D after": round(j.after, 3),
                "log-loss fall per doubling": round(c.rate, 3),
                "run average per doubling": round(c.average, 3),
                "loss drop?": "yes" if c.coincides else "no",
            }
            for j, c in report
        ]
    )
    if own is not None:
        table["own loss term drop?"] = ["yes" if c.coincides else "no" for c in own]
    return table


def triple_geometry(W_t: np.ndarray, b_t: np.ndarray, i: int, step: int, scale: float) -> None:
    """The 6 features in 3-D at snapshot ``i``, drawn on the final model's principal axes, plus W^T W; a click on a
    feature in either chart follows it in both."""
    followed = linked.follow_bar(LINKED, W_t.shape[1], TRIPLES_HINT)
    frame = analysis.pca_of_features(W_t[-1], 3).components
    coords = W_t[i] @ frame.T
    panels = np.stack([coords[:, list(pair)] for pair in PAIRS])
    titles = [f"axes {a + 1} and {b + 1}" for a, b in PAIRS]
    show_chart(
        charts.arrows_row(
            panels,
            titles,
            scale=scale,
            columns=3,
            axes=[(f"principal axis {a + 1}", f"principal axis {b + 1}") for a, b in PAIRS],
            followed=followed,
            pickable=True,
        ),
        f"dynamics-triples-directions-step-{step}",
        "ld_tri_arrows",
        alt_text=f"Three arrow plots of the six feature directions Wᵢ at step {step:,}, seen on the final "
        "model's principal axes 1 and 2, 1 and 3, 2 and 3; features 0–2 form one triple, 3–5 the other.",
        **linked.link(LINKED, "tri_arrows"),
    )
    st.caption(
        f"Step {step:,}: the six directions Wᵢ seen from three sides (the final model's principal axes, so the "
        "frame stays put while you replay). Features 0–2 form one correlated triple, 3–5 the other."
    )
    _gram(W_t[i], b_t[i], step, scale, "ld_tri_gram", followed, linked_as="tri_gram")


def _gram(
    W: np.ndarray,
    b: np.ndarray,
    step: int,
    scale: float,
    key: str,
    followed: int | None = None,
    linked_as: str | None = None,
) -> None:
    """W^T W and b at ``step``; with ``linked_as`` (its name among the page's linked charts) a click on a row
    follows that feature."""
    show_chart(
        charts.gram_heatmap(
            analysis.gram(W),
            b,
            title=f"WᵀW and b at step {step:,}",
            scale=scale,
            followed=followed,
            pickable=linked_as is not None,
        ),
        f"dynamics-gram-step-{step}",
        key,
        alt_text=f"Heatmap of WᵀW, the {W.shape[0]} features' dot products with each other (blue negative, "
        f"orange positive), beside the biases b, at step {step:,}.",
        **(linked.link(LINKED, linked_as) if linked_as is not None else {}),
    )


def uniform_geometry(W_t: np.ndarray, b_t: np.ndarray, i: int, step: int, scale: float) -> None:
    """W^T W and the features' PCA at snapshot ``i``; a click on a feature in either chart follows it in both."""
    followed = linked.follow_bar(LINKED, W_t.shape[1], UNIFORM_HINT)
    left, right = st.columns(2)
    with left:
        _gram(W_t[i], b_t[i], step, scale, "ld_uni_gram", followed, linked_as="uni_gram")
    with right:
        pca = analysis.pca_of_features(W_t[i], 2)
        labels = [str(f) for f in range(W_t.shape[1])]
        show_chart(
            charts.pca_scatter(
                pca.coords,
                labels,
                pca.explained_variance_ratio,
                title=f"Step {step:,}",
                scale=scale,
                followed=followed,
                pickable=True,
            ),
            f"dynamics-feature-pca-step-{step}",
            "ld_uni_pca",
            alt_text=f"Scatter plot of the {len(labels)} feature directions Wᵢ on their first two principal "
            f"components at step {step:,}, one labelled point per feature.",
            **linked.link(LINKED, "uni_pca"),
        )
    st.caption(
        "An antipodal pair (a digon) shows as a −1 off the diagonal of WᵀW: two features on one line, opposite ways."
    )


def stage_caption(steps: np.ndarray, W_t: np.ndarray) -> str:
    m = learning_dynamics.triple_measures(W_t)
    collapsed = m["within"] > 0.9
    parts = []
    if collapsed.any():
        idx = np.flatnonzero(collapsed)
        parts.append(
            f"each triple was collapsed onto one direction (its members nearly parallel) from step {steps[idx[0]]:,} "
            f"to {steps[idx[-1]]:,}"
        )
    octa = learning_dynamics.first_step(steps, [learning_dynamics.is_octahedron(w) for w in W_t])
    parts.append(f"an octahedron from step {octa:,} on" if octa is not None else "no octahedron (yet)")
    return "In this run: " + "; ".join(parts) + "."


def live_panel(view: TrainResult, cfg: ToyConfig, triples: bool, log_x: bool, wanted: int, scale: float) -> None:
    """Everything the live run shows: D_i and loss on one time axis, the jumps, and the replayed geometry."""
    if len(view.snapshots) < 3:  # no curves yet: the starting weights, so the first screen has its figure
        _gram(view.W[0], view.b[0], view.steps_done, scale, "ld_start_gram")
        st.caption("Press Play (or Step) to train; the curves appear after a few recorded snapshots.")
        return
    steps, W_t, b_t = learning_dynamics.snapshot_stack(view)
    D = learning_dynamics.dimensionality_history(W_t)
    losses = learning_dynamics.snapshot_losses(cfg, W_t, b_t, batch_size=8192 if triples else 4096)
    report = learning_dynamics.jump_report(steps, D, losses)
    i = replay_index(steps, wanted)
    chart = learning_dynamics_charts.dynamics_panel(
        steps, D, losses, jump_steps=[j.step for j, _ in report], marker=float(steps[i]), log_x=log_x, scale=scale
    )
    show_chart(
        chart,
        f"dynamics-n{cfg.n_features}-m{cfg.n_hidden}-dimensionality-and-loss",
        "ld_panel",
        alt_text=panel_alt(steps, D.shape[1], len(report), int(steps[i]), log_x, float(losses[i])),
    )
    st.caption(jump_caption(report) + " The grey line is the replay step.")
    if report:
        terms = learning_dynamics_terms.feature_loss_terms(cfg, W_t, b_t, batch_size=8192 if triples else 4096)
        own = learning_dynamics_terms.own_loss_changes(steps, terms, [j for j, _ in report])
        st.caption(
            f"The same test on each jumping feature's own share of the loss: {sum(c.coincides for c in own)} of "
            f"{len(own)} jumps came with a fast fall of that feature's term (table below)."
        )
        with st.expander("The jumps, one by one"):
            st.dataframe(jump_table(report, own), hide_index=True)
    if triples:
        st.caption(stage_caption(steps, W_t))
        triple_measures(steps, W_t, i, log_x, scale)
        triple_geometry(W_t, b_t, i, int(steps[i]), scale)
    else:
        st.caption(stored_caption(int(steps[-1]), W_t[-1], cfg.steps))
        uniform_geometry(W_t, b_t, i, int(steps[i]), scale)


def stored_caption(step: int, W_k: np.ndarray, total_steps: int) -> str:
    """Where the stored features' D_i are at the last snapshot, read from the weights."""
    stored, D = learning_dynamics.stored_dimensionalities(W_k)
    when = "At the end of training" if step >= total_steps else f"At step {step:,} (latest snapshot)"
    if not len(stored):
        return f"{when} no feature is stored yet (‖Wᵢ‖ > 0.5)."
    at_half = int(np.sum(np.abs(D - 0.5) < 0.05))
    values = ", ".join(f"{d:.2f}" for d in np.sort(D)[::-1])
    return (
        f"{when}: {len(stored)} of {W_k.shape[0]} features stored (‖Wᵢ‖ > 0.5), with Dᵢ = {values}; "
        f"{at_half} of them within 0.05 of ½ (one half of an antipodal pair)."
    )


def panel_alt(steps: np.ndarray, n_drawn: int, n_jumps: int, step: int, log_x: bool, loss: float) -> str:
    """Alt text of a dynamics panel (D_i lines over the loss curve)."""
    return (
        f"Two line charts sharing a time axis (training step, {'log' if log_x else 'linear'} scale, up to step "
        f"{int(steps[-1]):,}): on top each of the {n_drawn} drawn features' dimensionality D_i (0 to 1, dashed "
        "guides at 1, 3/4, 2/3, 1/2, 2/5, 3/8), below the loss on a log scale. "
        f"{n_jumps} detected jumps are marked by dashed orange lines, the replay step {step:,} by a grey line "
        f"(loss there {loss:.3g})."
    )


def triple_measures(steps: np.ndarray, W_t: np.ndarray, i: int, log_x: bool, scale: float) -> None:
    """Length, within-triple alignment and cross-triple antipodality of the directions over training."""
    ms = learning_dynamics.triple_measures(W_t)
    named = {
        "mean length ‖Wᵢ‖": ms["norm"],
        "same triple: mean |cos|": ms["within"],
        "other triple: best antipode (−min cos)": ms["antipodal"],
    }
    now = "; ".join(f"{name} {values[i]:.2f}" for name, values in named.items())
    show_chart(
        learning_dynamics_charts.measures_lines(steps, named, marker=float(steps[i]), log_x=log_x, scale=scale),
        "dynamics-triples-shape-measures",
        "ld_measures",
        alt_text="Line chart of three shape measures against training step, one colour each. "
        f"At the replay step {int(steps[i]):,}: {now}.",
    )


@st.cache_data(max_entries=4, show_spinner=False)
def paper_jumps(version: int, steps: np.ndarray, D: np.ndarray, losses: np.ndarray) -> pd.DataFrame:
    """Jumps of the precomputed run (cached: the data only change when the asset is rebuilt)."""
    return jump_table(learning_dynamics.jump_report(steps, D, losses))
