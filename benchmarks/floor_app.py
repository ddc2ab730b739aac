"""The smallest app that does what the cold-start benchmark times: a Play button, a "Step N of M" readout and
one Altair chart. `python -m benchmarks.cold_start --floor` serves it, to measure what Streamlit itself (server
start, the frontend, one run, one chart) costs on this machine before any of Superposition Lab's work."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

if st.button("Play"):
    st.session_state["step"] = 100
step = st.session_state.get("step", 0)
st.progress(step / 100, text=f"Step {step} of 100")
x = np.linspace(0, 1, 50)
st.altair_chart(alt.Chart(pd.DataFrame({"x": x, "y": x * (1 - x) * step})).mark_line().encode(x="x", y="y"))
