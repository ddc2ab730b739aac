"""Rendering for the "phase change" chapter: the two diagrams side by side, and one cell trained live."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from core.assets import Asset
from core.chapters import phase_change, phase_change_predict
from core.charts import common as charts
from core.charts import phase_change as phase_change_charts
from core.train import TrainResult
from ui import predict
from ui.assets import asset_or_none
from ui.export import show_chart
from ui.live import get_run, live_training
from ui.state import chart_scale

PAPER_GRID = 20  # cells per axis in the precomputed diagrams
LIVE_GRID, LIVE_SEEDS = 8, 3  # the coarse diagram a learner can train here
THEORY_GRID = 60
CLICK_KEY = "pc_click"  # the diagram's selection state
R_KEY, P_KEY = "pc_r", "pc_p"
AUTOPLAY_KEY = "pc_autoplay"  # set when the learner picks a cell: that cell's run starts by itself
REPAINT_KEY = "pc_repaint"
R_OPTIONS = [float(f"{x:.4g}") for x in phase_change.ratio_grid(PAPER_GRID)]
P_OPTIONS = [float(f"{x:.4g}") for x in phase_change.density_grid(PAPER_GRID)]
REDUCTION_WORDS = {"paper": "dropping the worst model and averaging the rest", "best": "keeping the lowest-loss model"}


@dataclass(frozen=True)
class Choice:
    """What the learner picked on the page."""

    n: int  # 2 or 3 features (m = n - 1)
    ratio: float
    density: float
    seeds: int
    steps: int
    seed: int
    reduction: str  # phase_change.REDUCTIONS

    @property
    def cell(self) -> tuple[float, float]:
        return (self.ratio, self.density)


def nearest(value: float, options: list[float]) -> float:
    """The option closest to ``value`` on a log scale."""
    return options[int(np.argmin(np.abs(np.log(np.asarray(options)) - np.log(value))))]


def request_autoplay() -> None:
    st.session_state[AUTOPLAY_KEY] = True


def _on_pick() -> None:
    """A click on a diagram cell: move the cell pickers there and train that cell."""
    points = (st.session_state.get(CLICK_KEY) or {}).get("selection", {}).get(phase_change_charts.SELECTION) or []
    if points and "r" in points[0] and "p" in points[0]:
        st.session_state[R_KEY] = nearest(float(points[0]["r"]), R_OPTIONS)
        st.session_state[P_KEY] = nearest(float(points[0]["p"]), P_OPTIONS)
        request_autoplay()
        st.session_state[REPAINT_KEY] = True


def _phase_counts(codes: np.ndarray) -> str:
    """'118 not learned, 40 dedicated, 242 superposition' for a grid of phase codes."""
    counts = np.bincount(np.asarray(codes).ravel().astype(np.int64), minlength=len(phase_change.PHASES))
    return ", ".join(f"{int(c)} {name}" for name, c in zip(phase_change.PHASES, counts))


def _diagram_alt(title: str, codes: np.ndarray, choice: Choice) -> str:
    return (
        f"{title}. Phase diagram: x = relative importance r of the extra feature (0.1 to 10, log scale), "
        f"y = feature density p (0.01 to 1, log scale); each cell coloured by what the extra feature is "
        f"({_phase_counts(codes)} cells); a black line marks the theory's border and a ring the chosen cell "
        f"r = {choice.ratio:.3g}, p = {choice.density:.3g}."
    )


def _show_diagram(
    diagram: phase_change.PhaseDiagram, choice: Choice, title: str, name: str, in_fragment: bool = False
) -> None:
    details = {
        "mean ‖Wₑ‖ (extra feature)": diagram.norm,
        "mean superposition": diagram.superposition,
        "share of models agreeing": diagram.agreement,
    }
    chart = phase_change_charts.phase_diagram(
        diagram.ratios,
        diagram.densities,
        diagram.phase,
        phase_change.PHASES,
        title,
        boundaries=phase_change.theory_boundaries(choice.n),
        details=details,
        selected=choice.cell,
        selectable=True,
        scale=chart_scale(),
    )
    show_chart(
        chart,
        name,
        "pc_diagram",
        alt_text=_diagram_alt(title, diagram.phase, choice),
        widget_key=CLICK_KEY,
        on_select=_on_pick,
        selection_mode=phase_change_charts.SELECTION,
    )
    if st.session_state.pop(REPAINT_KEY, False) and in_fragment:
        st.rerun()  # a click inside the live fragment reruns only the fragment: redraw the whole page


def precomputed_diagram(choice: Choice) -> Asset | None:
    """The paper-resolution diagram from assets/, labelled as such; None if the file is missing."""
    asset = asset_or_none(phase_change.ASSET_NAMES[choice.n], phase_change.ASSET_VERSION)
    if asset is None:
        return None
    grid = phase_change.grid_from_config(asset.config)
    diagram = phase_change.empirical_diagram(grid, asset.arrays["W"], asset.arrays["loss"], choice.reduction)
    st.badge("Precomputed", icon=":material/inventory_2:", color="blue")
    _show_diagram(
        diagram,
        choice,
        f"Trained: n = {choice.n}, m = {grid.n_hidden}",
        f"phase-diagram-n{choice.n}-m{grid.n_hidden}-precomputed",
    )
    c, toy = asset.config, asset.config["toy_config"]
    st.caption(
        f"Precomputed by `python -m core.precompute`: {len(grid.ratios)} × {len(grid.densities)} cells, "
        f"{c['seeds_per_cell']} models per cell (seed {toy['seed']}), {toy['steps']:,} steps, batch {toy['batch_size']}; "
        f"each cell's colour comes from {REDUCTION_WORDS[choice.reduction]}. Black line: the theory's border; "
        "black ring: the cell trained below."
    )
    return asset


def live_grid(n: int) -> phase_change.PhaseGrid:
    return phase_change.PhaseGrid(
        n, phase_change.ratio_grid(LIVE_GRID), phase_change.density_grid(LIVE_GRID), LIVE_SEEDS
    )


def live_diagram(choice: Choice) -> None:
    """A coarse diagram trained here, redrawn as it trains (models ranked by their recent training loss)."""
    grid = live_grid(choice.n)
    cfg = phase_change.phase_config(grid, steps=choice.steps, seed=choice.seed)
    st.badge("Trained live", icon=":material/bolt:", color="orange")

    def render(view: TrainResult) -> None:
        diagram = phase_change.empirical_diagram(grid, view.W, view.loss, choice.reduction)
        title = f"Trained here: n = {choice.n}, m = {grid.n_hidden}"
        name = f"phase-diagram-n{choice.n}-m{grid.n_hidden}-live"
        _show_diagram(diagram, choice, title, name, in_fragment=True)

    live_training("pc:grid", cfg, render)
    st.caption(
        f"Trained live just now: {LIVE_GRID} × {LIVE_GRID} cells × {LIVE_SEEDS} models = "
        f"{LIVE_SEEDS * LIVE_GRID**2} models in one run, {choice.steps:,} steps, seed {choice.seed}. Press Play."
    )


def theory_diagram(choice: Choice) -> None:
    r, p = phase_change.ratio_grid(THEORY_GRID), phase_change.density_grid(THEORY_GRID)
    rr, pp = np.meshgrid(r, p, indexing="ij")
    codes = phase_change.theory_codes(choice.n, rr, pp)
    title = "Theory: cheapest arrangement (closed forms)"
    chart = phase_change_charts.phase_diagram(
        r,
        p,
        codes,
        phase_change.PHASES,
        title,
        boundaries=phase_change.theory_boundaries(choice.n),
        selected=choice.cell,
        scale=chart_scale(),
    )
    st.badge("Closed form", icon=":material/functions:", color="green")
    show_chart(
        chart,
        f"phase-diagram-n{choice.n}-m{choice.n - 1}-theory",
        "pc_theory",
        alt_text=_diagram_alt(title, codes, choice),
    )


def prediction_context(choice: Choice) -> str:
    """The prediction is about one cell of one diagram, summarised one way: a new cell asks afresh."""
    return f"n{choice.n}_r{choice.ratio:.3g}_p{choice.density:.3g}_{choice.reduction}"


def cell_run(choice: Choice) -> None:
    """Train the chosen cell's models live; it starts by itself when the learner picks a cell."""
    grid = phase_change.cell_grid(choice.n, choice.ratio, choice.density, choice.seeds)
    cfg = phase_change.phase_config(grid, steps=choice.steps, seed=choice.seed)
    run, context = get_run("pc:cell", cfg), prediction_context(choice)
    # a picked cell trains by itself, unless its prediction question is still open: predict first, then Play
    asking = predict.enabled() and predict.locked("phase_change_cell", context) is None
    if st.session_state.pop(AUTOPLAY_KEY, False) and not asking:
        run.playing = not run.trainer.done
    if asking and run.trainer.step == 0:
        st.caption("A picked cell waits for your prediction: lock it below, then press Play to train the cell.")
    predict.ask("phase_change_cell", context, started=run.trainer.step > 0)
    live_training("pc:cell", cfg, lambda view: _cell_panel(choice, view))


def _cell_panel(choice: Choice, view: TrainResult) -> None:
    scale = chart_scale()
    losses = view.loss.astype(np.float64)
    table = phase_change.seed_table(view.W, losses, choice.reduction)
    kept = table["kept"] if view.steps_done else np.ones(len(losses), dtype=bool)
    if choice.n == 2:
        names = ["feature 0 (importance 1)", f"extra feature (importance {choice.ratio:.3g})"]
        show_chart(
            phase_change_charts.seed_lines(view.W, losses, kept, names, scale=scale),
            f"phase-cell-weights-n2-m1-r{choice.ratio:.3g}-p{choice.density:.3g}",
            "pc_cell_weights",
            alt_text=f"Bar chart, one row per model ({len(losses)} models, {int(np.sum(kept))} used): each "
            "feature's weight Wᵢ on the single hidden dimension, feature 0 and the extra feature in two "
            "colours; faded rows are left out of the cell's summary.",
        )
    else:
        titles = [f"seed {k}" + ("" if kept[k] else " (left out)") for k in range(len(losses))]
        # slightly smaller panels so five fit across the page
        show_chart(
            charts.arrows_row(view.W, titles, scale=0.85 * scale, columns=5),
            f"phase-cell-arrows-n3-m2-r{choice.ratio:.3g}-p{choice.density:.3g}",
            "pc_cell_arrows",
            alt_text=f"{len(losses)} small arrow plots, one per model: the three features' directions Wᵢ in the "
            "2-D hidden space; feature 2 is the extra feature.",
        )
        st.caption("Feature 2 is the extra feature; features 0 and 1 have importance 1.")
    if view.steps_done == 0:
        st.caption("These are the random starting weights. Press Play (or click a cell in the diagram) to train.")
    else:
        _verdict(choice, view.W, losses)
        got = phase_change_predict.cell_phase(view.W, losses, choice.reduction)
        predict.reveal("phase_change_cell", prediction_context(choice), got, view.steps_done >= choice.steps)
    with st.expander("Every model of this cell"):
        st.dataframe(pd.DataFrame(table), hide_index=True, width="content")


def _verdict(choice: Choice, W: np.ndarray, losses: np.ndarray) -> None:
    norm, sup = phase_change.extra_feature_stats(W)
    mean_norm = float(phase_change.reduce_seeds(norm, losses, choice.reduction))
    mean_sup = float(phase_change.reduce_seeds(sup, losses, choice.reduction))
    got = phase_change.PHASES[int(phase_change.classify(mean_norm, mean_sup))]
    expected = phase_change.PHASES[int(phase_change.theory_codes(choice.n, choice.ratio, choice.density))]
    agree = "agrees with" if got == expected else "differs from"
    st.markdown(
        f"After {REDUCTION_WORDS[choice.reduction]}: the extra feature's length ‖Wₑ‖ = **{mean_norm:.2f}**, superposition = "
        f"**{mean_sup:.2f}**, so the extra feature is **{got}**. This {agree} the theory for "
        f"r = {choice.ratio:.3g}, p = {choice.density:.3g}: **{expected}**."
    )
