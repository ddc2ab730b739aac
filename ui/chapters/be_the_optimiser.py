"""Widgets of "Be the optimiser": one column of controls per feature, snap buttons, the trained model.

Every control is bound to the URL (keys ``bto_…``), so a link carries the learner's arrangement.
The snap buttons work through on_click (ui.state.preset_button), which sets the controls before they
are drawn on the next run.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import presets
from core.chapters import be_the_optimiser as bto
from ui.cache import trained
from ui.state import preset_button

N = bto.N_FEATURES
DENSITIES = [1.0, 0.5, 0.3, 0.2, 0.1, 0.05, 0.03, 0.02, 0.01]
START_ANGLES = (0.0, 90.0, 180.0, 270.0, 45.0)  # a first guess to move from: four on the axes, one between
STARTS = 4
TRAINED_KEY = "bto:trained"  # session_state: {density: (W, b)} of models this learner asked to train


def _keys(i: int) -> tuple[str, str, str]:
    return f"bto_angle{i}", f"bto_length{i}", f"bto_bias{i}"


def values_for(W: np.ndarray, b: np.ndarray) -> dict[str, float]:
    """Control values that draw (W, b), rounded to the controls' steps."""
    angles, lengths = bto.polar_from_weights(W)
    out: dict[str, float] = {}
    for i in range(N):
        ka, kl, kb = _keys(i)
        out[ka] = int(round(float(angles[i]))) % 360
        out[kl] = float(np.clip(round(float(lengths[i]), 2), 0.0, 2.0))
        out[kb] = float(np.clip(round(float(b[i]), 2), -1.0, 1.0))
    return out


def density() -> float:
    return float(
        st.select_slider(
            "Feature density p = 1 − S (chance a feature is non-zero)",
            options=DENSITIES,
            value=0.1,
            key="bto_density",
            bind="query-params",
        )
    )


def controls() -> tuple[np.ndarray, np.ndarray]:
    """One column per feature: angle (degrees), length ||W_i|| and bias b_i. Returns (W [5, 2], b [5])."""
    angles, lengths, biases = [], [], []
    for i, column in enumerate(st.columns(N)):
        ka, kl, kb = _keys(i)
        column.markdown(f"**Feature {i}** (I = 0.9^{i})")
        angles.append(column.slider("angle °", 0, 359, int(START_ANGLES[i]), 1, key=ka, bind="query-params"))
        lengths.append(column.slider("length", 0.0, 2.0, 1.0, 0.01, key=kl, bind="query-params"))
        biases.append(column.slider("bias", -1.0, 1.0, 0.0, 0.01, key=kb, bind="query-params"))
    return bto.weights_from_polar(angles, lengths), np.asarray(biases, dtype=np.float64)


def trained_at(p: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The trained model at ``p`` if this learner has trained it (the server caches it for everyone)."""
    return st.session_state.get(TRAINED_KEY, {}).get(p)


def _train(p: float) -> None:
    result = trained(presets.intro_5in2(densities=[p], n_seeds=STARTS))
    st.session_state.setdefault(TRAINED_KEY, {})[p] = (
        np.asarray(result.W[0], dtype=np.float64),
        np.asarray(result.b[0], dtype=np.float64),
    )


def snap_buttons(p: float) -> None:
    """Train the real model; snap to it; snap to the regular pentagon (length 1.1, bias −0.1 as a start)."""
    row = st.container(horizontal=True)
    with row:
        st.button(
            "Train the model at this density",
            key="bto_train",
            on_click=_train,
            args=(p,),
            disabled=trained_at(p) is not None,
            help=f"10,000 steps, best of {STARTS} starts, the 5-in-2 recipe. Takes a few seconds; "
            "once trained on this server it is instant.",
        )
        found = trained_at(p)
        if found is not None:
            preset_button("Snap to the trained model", values_for(*found), key="bto_snap_trained")
        preset_button("Snap to the regular pentagon", values_for(*bto.pentagon(1.1, -0.1)), key="bto_snap_pentagon")
        preset_button("Snap to the dense solution", values_for(*bto.dense_solution()), key="bto_snap_dense")
