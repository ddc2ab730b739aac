"""Chapter: undoing superposition with sparse autoencoders, scored against the toy model's true features."""

import streamlit as st

from core.chapters import undoing_superposition as chapter
from core.chapters import undoing_superposition_baseline as baseline
from ui.chapters import undoing_superposition as widgets
from ui.layout import intro, settings_box
from ui.state import prose

st.title("Undoing superposition")
intro(
    """
A toy model squeezes many features into few dimensions. Can we take them back out? A **sparse autoencoder**
(SAE) learns a dictionary of directions d_j and, for each hidden vector h, a code f(h) ≥ 0 with few non-zero
entries, so that h ≈ Σ_j f_j d_j + b. If the features are sparse, the sparsest good explanation of h is
"these two or three features are on", and the dictionary should line up with the true feature directions.

In a real network nobody knows the true features. Here we do: the toy model's rows Wᵢ. So every SAE can be
*scored*: each true feature is matched to one latent (Hungarian matching on the cosine), and a feature counts
as recovered when its latent points within cos > 0.9 of it.
""",
    "An SAE looks for a sparse dictionary; on a toy model we can check it against the true features.",
)

BASELINE_PROSE = f"""
SAEs are not the first tool for this job. **Dictionary learning** (sparse coding) also looks for atoms d_j and
sparse codes u with h ≈ Σ_j u_j d_j. It alternates two steps: fix the atoms and find each code by minimising
the squared error plus a penalty on Σ_j |u_j| (a lasso), then fix the codes and refit the atoms. Here
scikit-learn's `MiniBatchDictionaryLearning` fits one atom per feature to the non-zero vectors among
{baseline.N_SAMPLES:,} fresh hidden vectors of the toy model, twice: once with codes that may be negative, once
with non-negative codes (`positive_code=True`), like the SAE's ReLU. Both are scored as the SAE is.

Before you run it: an atom with code −1 is the atom flipped. Which version do you expect to recover more
features, and what could a signed code do with two features the model stores as exact opposites?
"""

if not chapter.torch_available():
    st.warning(
        "This chapter trains sparse autoencoders with PyTorch, which is not installed on this server, so it "
        "shows no live training here. Install it (`pip install torch`) and reload the page to train "
        "them; the rest of the app works without it."
    )
    default_toy = widgets.toy_for(widgets.DEFAULT_TOY_NAME, 0)
    st.subheader("The trade-off: sparsity against reconstruction")
    widgets.tradeoff_chart(None, None, None, "")
    st.subheader("The classical baseline: dictionary learning")
    prose(BASELINE_PROSE)
    widgets.baseline_section(default_toy, 0)
    st.subheader("The SAE, in code")
    st.code(chapter.sae_source(), language="python")
    st.stop()

with settings_box("Settings and failure modes", border=False):  # the controls draw their own box
    toy_name, seed, cfg = widgets.controls()
    st.markdown(
        "**One click to each failure mode** (each sets the 40-in-10 toy model; hover a button to see what to look for):"
    )
    widgets.preset_row()
look = widgets.look_for(cfg)
if look and toy_name == widgets.DEFAULT_TOY_NAME:
    st.info("Look for: " + look)

toy = widgets.toy_for(toy_name, seed)
widgets.live_panel(toy, cfg)

with st.expander("How to read the scores"):
    st.markdown(
        """
- **Features recovered**: stored features (‖Wᵢ‖ > 0.5) whose matched latent has cosine above 0.9 with them.
- **Dead latents**: latents that never fire on 8,192 fresh samples; they cost parameters and explain nothing.
- **L0**: latents active per sample. The data has about 2 active features per sample (40 × 0.05), so a
  dictionary of single features should need about that many.
- **Variance explained**: 1 − (squared reconstruction error) / (variance of h).
- **Shrinkage**: ‖ĥ‖ / ‖h‖. The L1 penalty pays for every unit of code, so codes come out too small (about 0.5
  at the default penalty); TopK has no such pull.
- **Latents responding to 2+ features**: a latent that rebuilds at least 10% of two different features when
  each is on alone is a blend, the same polysemanticity the toy model itself shows.
"""
    )

st.subheader("The trade-off: sparsity against reconstruction")
prose(
    """
The L1 penalty buys sparsity with reconstruction. Too small, and the SAE reconstructs perfectly with a dense
code whose latents are blends of features; too large, and latents go silent and the rest shrink their codes
towards zero. The sweep trains one SAE per penalty on this toy model; its chart appears in the panel above,
with your run as a diamond that moves as it trains.
"""
)
widgets.sweep_button(toy, cfg)

st.subheader("The classical baseline: dictionary learning")
prose(BASELINE_PROSE)
widgets.baseline_section(toy, seed)

st.subheader("The SAE, in code")
prose(
    """
Everything the SAE is fits in one small class. The L1 penalty weights each latent by its decoder norm:
otherwise the SAE could shrink its codes and grow its decoder rows to make the penalty vanish.
"""
)
st.code(chapter.sae_source(), language="python")
