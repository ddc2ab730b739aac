"""Landing page: what Superposition Lab is and how to walk through it."""

import streamlit as st

st.title("Superposition Lab")
st.markdown(
    """
Neural networks often seem to store **more features than they have neurons**. Anthropic's paper
*Toy Models of Superposition* (Elhage et al., 2022) shows when and how this happens, using networks so small
that every weight can be drawn on the screen. In this lab you train those networks yourself, live in the
browser, and look at what they learned.

**How to use it.** Each chapter states one idea, gives you a few controls, and trains a model while you watch.
Press **Play** to train, **Pause** to stop and look, **Step** to move forward a little at a time, and **Reset**
to start over from the same random seed. Change a control and a new model starts training.
"""
)

st.subheader("Learning path")
st.page_link(
    "pages/five_in_two.py",
    label="5 features in 2 dimensions: the paper's first picture (about 10 minutes)",
    icon=":material/pentagon:",
)
st.markdown(
    """
- *You will see* a model with 2 hidden dimensions squeeze in 5 features once the features become rare enough.
- *You will be able to explain* why a dense model keeps only its two most important features, like PCA would,
  and why a sparse model packs all five as the corners of a pentagon.
"""
)

st.subheader("Words the lab uses")
st.markdown(
    """
| term | meaning |
| --- | --- |
| *n* features, *m* hidden dimensions | the input has *n* numbers; the model must pass them through *m* < *n* |
| density *p* | the probability that a feature is non-zero in an example |
| sparsity *S* = 1 − *p* | the probability that it is zero; the paper's axes use 1/(1−*S*) = 1/*p* |
| importance *I*ᵢ | how much feature *i*'s reconstruction error counts in the loss |
| *W*ᵢ | the direction in hidden space that feature *i* is written to |
| superposition | more features represented than there are dimensions, as non-orthogonal directions |
"""
)
st.caption("All training runs on the server's CPU with a fixed random seed, so the same settings give the same result.")
