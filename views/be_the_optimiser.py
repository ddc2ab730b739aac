"""Chapter: be the optimiser. Place the five feature directions of a 5-in-2 model by hand and see its loss."""

import numpy as np
import streamlit as st

from core.chapters import be_the_optimiser as bto
from core.charts import be_the_optimiser as bto_charts
from ui.chapters import be_the_optimiser as bto_ui
from ui.export import gathered_downloads, show_chart
from ui.layout import intro
from ui.state import chart_scale, prose

st.title("Be the optimiser")
intro(
    """
You are gradient descent now. The model is the one from *5 features in 2 dimensions*, `x' = ReLU(Wᵀ W x + b)`:
each feature *i* gets a direction *W*ᵢ in the plane (an angle and a length) and a bias *b*ᵢ, and feature *i*
counts 0.9ⁱ in the loss. Set them by hand and try to beat the trained model at the density you choose.
""",
    "Place five feature directions in the plane by hand and try to beat training.",
)

figure_here = st.container()  # the arrows and the buttons first; the controls that set them are drawn below
st.subheader("Your directions")
p = bto_ui.density()
importance = 0.9 ** np.arange(bto.N_FEATURES)
W, b = bto_ui.controls()
with figure_here:
    bto_ui.snap_buttons(p)
scale = chart_scale()

mine = bto.expected_loss(W, b, p, importance)
if mine.problem:
    st.error(f"This model cannot be scored: {mine.problem}.")
    st.stop()
with gathered_downloads("be-the-optimiser"):  # both figures' downloads in one row under the readout
    found = bto_ui.trained_at(p)
    show_chart(
        bto_charts.arrangements(W, None if found is None else found[0], importance, scale=scale),
        "be-the-optimiser-arrows",
        "bto_arrows",
        alt_text="Your feature directions as lines from the origin"
        + ("" if found is None else ", beside the trained model's")
        + ".",
        where=figure_here,
    )
    if not np.any(np.linalg.norm(W, axis=1) > 0):
        st.info(
            "Every length is 0: this model stores nothing, and its loss is what the biases alone achieve "
            "(the best is each bias at the mean value p/2 of its feature)."
        )

    rows = bto.comparison(mine, p, importance, found)
    names, losses, errors = [r[0] for r in rows], [r[1].loss for r in rows], [r[1].standard_error for r in rows]
    show_chart(
        bto_charts.loss_bars(names, losses, errors, scale=scale),
        "be-the-optimiser-losses",
        "bto_losses",
        alt_text="Bars of the expected loss: " + "; ".join(f"{n} {v:.5f}" for n, v in zip(names, losses)) + ".",
    )
    verdict = ""
    if found is not None:
        gap = mine.loss - losses[-1]
        verdict = (
            " You beat the trained model."
            if gap < -2 * mine.standard_error
            else " You are level with the trained model."
            if gap <= 2 * mine.standard_error
            else f" The trained model is {gap:.2g} lower."
        )
    st.markdown(
        f"**Your expected loss at p = {p:g}: {mine.loss:.5f}** (± {mine.standard_error:.1g} standard error)." + verdict
    )
    st.caption(
        "How this is computed: the chance of every pattern of active features is summed exactly; given the other "
        "features' values, each feature's own value is integrated in closed form. Only the values of the other active "
        f"features are sampled, {bto.DRAWS:,} seeded draws, so the loss from inputs with at most one active feature is "
        "exact and the ± is the Monte-Carlo standard error of the rest. Loss in the app's units: importance-weighted "
        "squared error, averaged over the five features."
    )

st.subheader("What to try")
prose(
    """
- At **p = 1** every feature is always on. Put features 0 and 1 at right angles with length 1 and the rest at
  length 0 with bias ½: any overlap now costs in every example.
- At **p = 0.1** try the pentagon (72° apart). Then nudge one bias up, or one length down, and watch the loss.
- Between them (**p = 0.2**) try two antipodal pairs at right angles, leaving out feature 4.
""",
    "Dense: two orthogonal features. Sparse: a pentagon. In between: two antipodal pairs.",
)
