"""Chapter: undoing superposition with sparse autoencoders, scored against the toy model's true features."""

import streamlit as st

from core.chapters import undoing_superposition as chapter
from ui.chapters import undoing_superposition as widgets
from ui.state import prose

st.title("Undoing superposition")
prose(
    """
A toy model squeezes many features into few dimensions. Can we take them back out? A **sparse autoencoder**
(SAE) learns a dictionary of directions d_j and, for each hidden vector h, a code f(h) ≥ 0 with few non-zero
entries, so that h ≈ Σ_j f_j d_j + b. If the features are sparse, the sparsest good explanation of h is
"these two or three features are on", and the dictionary should line up with the true feature directions.

In a real network nobody knows the true features. Here we do: the toy model's rows W_i. So every SAE can be
*scored*: each true feature is matched to one latent (Hungarian matching on the cosine), and a feature counts
as recovered when its latent points within cos > 0.9 of it.
""",
    "An SAE looks for a sparse dictionary; on a toy model we can check it against the true features.",
)

if not chapter.torch_available():
    st.warning(
        "This chapter trains sparse autoencoders with PyTorch, which is not installed on this server, so it "
        "shows no live training or charts here. Install it (`pip install torch`) and reload the page to train "
        "them; the rest of the app works without it."
    )
    st.subheader("The SAE, in code")
    st.code(chapter.sae_source(), language="python")
    st.stop()

toy_name, seed, cfg = widgets.controls()
st.markdown(
    "**One click to each failure mode** (each sets the 40-in-10 toy model; hover a button to see what to look for):"
)
widgets.preset_row()
look = widgets.LOOK_FOR.get(next((k for k, v in chapter.FAILURES.items() if v == cfg), ""), None)
if look and toy_name == widgets.DEFAULT_TOY_NAME:
    st.info("Look for: " + look)

toy = widgets.toy_for(toy_name, seed)
widgets.live_panel(toy, cfg)

st.subheader("The trade-off: sparsity against reconstruction")
prose(
    """
The L1 penalty buys sparsity with reconstruction. Too small, and the SAE reconstructs perfectly with a dense
code whose latents are blends of features; too large, and latents go silent and the rest shrink their codes
towards zero. The sweep trains one SAE per penalty on this toy model; your run appears as a diamond.
"""
)
widgets.sweep_button(toy, cfg)

st.subheader("The SAE, in code")
prose(
    """
Everything the SAE is fits in one small class. The L1 penalty weights each latent by its decoder norm:
otherwise the SAE could shrink its codes and grow its decoder rows to make the penalty vanish.
"""
)
st.code(chapter.sae_source(), language="python")
