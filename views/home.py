"""Landing page: what Superposition Lab is and how to walk through it."""

import streamlit as st

from ui import glossary
from ui.predict import progress_lines
from ui.registry import LECTURE_PATH, lecture_minutes, parts, total_minutes

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

st.subheader(f"Learning path (about {total_minutes() // 60} h {total_minutes() % 60:02d} min in all)")
st.markdown(
    "Take the chapters in order the first time: each one uses the ideas of the ones before. "
    "The first section gives the vocabulary, the second reproduces the paper's core experiments, "
    "the third follows the paper to its later results."
)
for section, chapters in parts().items():
    st.markdown(f"**{section}**")
    for chapter in chapters:
        st.page_link(chapter.page, label=f"{chapter.title} · {chapter.minutes} min")
        st.caption(f"You will be able to: {chapter.objective[0].lower()}{chapter.objective[1:]}")

st.subheader(f"Lecture path ({lecture_minutes()} min, for a room)")
st.markdown(
    "Teaching the paper in one session? These chapters, one figure each, make a lecture. "
    "Each link opens its chapter in **presenter mode** (large charts, key sentences only) in a new tab."
)
st.markdown(
    "\n".join(
        f"{i}. [{stop.chapter.title}]({stop.link}) · {stop.minutes} min: {stop.figure}"
        for i, stop in enumerate(LECTURE_PATH, 1)
    )
)

if lines := progress_lines():  # the predictions made in this session, per chapter
    st.markdown("\n".join(lines))

st.subheader("Words the lab uses")
st.markdown("Every page has this table at hand in the sidebar, under *Notation and glossary*, its own symbols first.")
st.markdown(glossary.table(glossary.ordered(None)[1]))
st.caption("All training runs on the server's CPU with a fixed random seed, so the same settings give the same result.")
