"""Superposition Lab: the entrypoint. It sets the frame and routes to one page per chapter."""

import streamlit as st

from ui.glossary import glossary_panel
from ui.handout import begin as begin_handout
from ui.handout import handout_button
from ui.keys import new_page_run
from ui.links import link_values, report_refused
from ui.registry import HOME, by_url_path, parts
from ui.state import apply_url_chrome, init_state, presenting, sidebar_controls
from ui.style import fit_charts
from ui.warmup import (
    hold_kernel,
    limit_blas_threads,
    limit_malloc_arenas,
    quick_charts,
    share_the_interpreter,
    start_warmup,
)

limit_malloc_arenas()  # once per server process, like the warm-up
limit_blas_threads()
quick_charts()
share_the_interpreter()

init_state()
st.set_page_config(
    page_title="Superposition Lab",
    page_icon="assets/icon.png",
    layout="wide",
    initial_sidebar_state="collapsed" if presenting() else "auto",
)
hold_kernel()  # live panels train with numpy until the kernel is compiled (started below)

PAGES = {"Start here": [st.Page(HOME, title="Welcome", icon=":material/home:", default=True)]}
for part, chapters in parts().items():
    PAGES[part] = [st.Page(ch.page, title=ch.title, icon=ch.icon, url_path=ch.url_path) for ch in chapters]

page = st.navigation(PAGES, expanded=True)
link = link_values(page.url_path)  # before any widget runs: what a freshly opened link asked for
sidebar_controls()
apply_url_chrome()
fit_charts()
chapter = by_url_path(page.url_path)
glossary_panel(chapter)  # notation at hand on every page, this page's symbols first
if chapter is not None and chapter.paper_section:  # one shared place: every chapter links its part of the paper
    st.caption(f":material/menu_book: Paper section: [{chapter.section_title}]({chapter.paper_section})")
notice = st.empty()  # at the top of the page, filled once the page has run
begin_handout()
new_page_run()  # the first live panel the page draws gets the keyboard shortcuts
try:
    page.run()
finally:  # after the page has drawn, also when it stopped early: the first paint does not share the CPU with numba
    start_warmup()
if chapter is not None:
    handout_button(chapter)
report_refused(notice, link)
