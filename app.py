"""Superposition Lab: the entrypoint. It sets the frame and routes to one page per chapter."""

import streamlit as st
from threadpoolctl import threadpool_limits

from ui.links import link_values, report_refused
from ui.state import apply_url_chrome, init_state, presenting, sidebar_controls
from ui.warmup import start_warmup

# numpy's BLAS may use one thread per request; the training kernel manages its own two.
# One thread here keeps concurrent learners from starving each other.
threadpool_limits(limits=1)

init_state()
st.set_page_config(
    page_title="Superposition Lab",
    page_icon="assets/icon.png",
    layout="wide",
    initial_sidebar_state="collapsed" if presenting() else "auto",
)
start_warmup()

PAGES = {
    "Start here": [
        st.Page("pages/home.py", title="Welcome", icon=":material/home:", default=True),
    ],
    "Definitions and motivation": [
        st.Page(
            "pages/features_as_directions.py",
            title="Features as directions",
            icon=":material/arrow_outward:",
            url_path="features-as-directions",
        ),
        st.Page(
            "pages/privileged_basis.py",
            title="Privileged basis",
            icon=":material/grid_on:",
            url_path="privileged-basis",
        ),
        st.Page(
            "pages/superposition_hypothesis.py",
            title="The superposition hypothesis",
            icon=":material/hub:",
            url_path="superposition-hypothesis",
        ),
    ],
    "Demonstrating superposition": [
        st.Page(
            "pages/experiment_setup.py",
            title="Experiment setup",
            icon=":material/science:",
            url_path="experiment-setup",
        ),
        st.Page(
            "pages/five_in_two.py",
            title="5 features in 2 dimensions",
            icon=":material/pentagon:",
            url_path="five-in-two",
        ),
        st.Page(
            "pages/basic_results.py",
            title="Basic results",
            icon=":material/compare:",
            url_path="basic-results",
        ),
        st.Page(
            "pages/math_understanding.py",
            title="Mathematical understanding",
            icon=":material/functions:",
            url_path="mathematical-understanding",
        ),
    ],
    "Beyond the basics": [
        st.Page(
            "pages/phase_change.py",
            title="Phase change",
            icon=":material/thermostat:",
            url_path="phase-change",
        ),
        st.Page(
            "pages/geometry.py",
            title="Geometry",
            icon=":material/hexagon:",
            url_path="geometry",
        ),
        st.Page(
            "pages/learning_dynamics.py",
            title="Learning dynamics",
            icon=":material/timeline:",
            url_path="learning-dynamics",
        ),
        st.Page(
            "pages/privileged_superposition.py",
            title="Superposition in a privileged basis",
            icon=":material/view_column:",
            url_path="privileged-superposition",
        ),
        st.Page(
            "pages/computation.py",
            title="Computation in superposition",
            icon=":material/calculate:",
            url_path="computation-in-superposition",
        ),
    ],
}

page = st.navigation(PAGES, expanded=True)
link = link_values(page.url_path)  # before any widget runs: what a freshly opened link asked for
sidebar_controls()
apply_url_chrome()
notice = st.empty()  # at the top of the page, filled once the page has run
page.run()
report_refused(notice, link)
