"""Streamlit helpers shared by the "Experiment setup" and "Basic results" pages."""

from __future__ import annotations

import streamlit as st

from core.chapters import basic_results
from ui.live import LiveRun

MODEL_LATEX = {
    "linear": r"h = W x, \qquad x' = W^\top h + b = W^\top W x + b",
    "relu_output": r"h = W x, \qquad x' = \mathrm{ReLU}\!\left(W^\top W x + b\right)",
}
DATA_LATEX = r"x_i = \begin{cases} 0 & \text{with probability } S = 1 - p \\ \text{uniform on } [0, 1] & \text{with probability } p \end{cases}"
# The paper's loss: summed over features, averaged over the batch. The app trains on it divided by n (the reference
# notebook's mean over features); both are written out so the page can say which is which.
LOSS_LATEX = (
    r"L = \frac{1}{B} \sum_{b=1}^{B} \sum_{i=1}^{n} I_i \left(x^{(b)}_i - x'^{(b)}_i\right)^2, \qquad I_i = r^{\,i}"
)
TRAINING_LOSS_LATEX = r"L_{\text{app}} = \frac{L}{n} \quad \text{(mean over features, as in the reference notebook)}"


def density_option(p: float) -> str:
    """How a density option reads in a widget (and in the URL): the plain number; the widget label names it p."""
    return f"{p:g}"


def sparsity_note(densities: list[float]) -> str:
    """The sparsities that go with the chosen densities, so neither is ever shown without the other."""
    pairs = ", ".join(f"p = {p:g} ↔ S = {1 - p:.4g}" for p in densities)
    return f"Density p is the chance a feature is non-zero; sparsity S = 1 − p is the chance it is zero. Here: {pairs}."


def model_label(model: str) -> str:
    return basic_results.MODEL_NAMES[model]


def _play_all(keys: list[str]) -> None:
    for key in keys:
        run = st.session_state.get(key)
        if isinstance(run, LiveRun) and not run.trainer.done:
            run.playing = True


def play_all_button(keys: list[str], key: str, label: str = "Train both") -> None:
    """One button that presses Play on several live runs at once (each keeps its own Pause)."""
    st.button(
        label,
        key=key,
        on_click=_play_all,
        args=(keys,),
        type="primary",
        icon=":material/play_arrow:",
        help="Start (or continue) training every model on this page; each panel still has its own Pause.",
    )


def keep_choice(key: str, options: list, default) -> None:
    """Before a widget with changing options is drawn, replace a stale stored choice by ``default``."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


def warn(problems: list[str]) -> bool:
    """Show each problem as a warning; True when there were none."""
    for text in problems:
        st.warning(text, icon=":material/warning:")
    return not problems
