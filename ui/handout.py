"""The "Download handout" button at the end of every chapter, and what it collects from the page.

While a page runs, ui.state.prose notes its key sentences and ui.export.show_chart its charts (live panels
too, tick after tick, so the handout has the figures as they are when the learner clicks). app.py starts a
fresh collection before the page runs and draws the button after it. The file is made only on click (a
deferred download, in Streamlit's download thread, where no st.* call works: everything it needs is
captured here first); core.handout assembles the HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.state.session_state_proxy import get_session_state

from core import handout

STATE_KEY = "_handout_collected"
FRAME_KEYS = {"presenter", "hide"}  # the frame's own parameters, not the chapter's settings


@dataclass
class Collected:
    sentences: list[str] = field(default_factory=list)
    charts: dict[str, tuple[object, str]] = field(default_factory=dict)  # key -> (chart, caption)
    settings: list[tuple[str, str]] = field(default_factory=list)  # filled when the page has run
    link: str = ""


def begin() -> None:
    """A new collection for the page about to run (app.py calls it before page.run())."""
    st.session_state[STATE_KEY] = Collected()


def _collected() -> Collected | None:
    found = st.session_state.get(STATE_KEY)
    return found if isinstance(found, Collected) else None


def note_sentence(text: str) -> None:
    found = _collected()
    if found is not None and text not in found.sentences:
        found.sentences.append(text)


def note_chart(key: str, chart: object, caption: str) -> None:
    found = _collected()
    if found is not None:
        found.charts[key] = (chart, caption)  # a live panel's next tick replaces its chart under the same key


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return str(value)


def page_settings() -> list[tuple[str, str]]:
    """(URL key, value) for every control of the page that is bound to the URL, defaults included."""
    with get_session_state().query_params() as params:
        keys = sorted(k for k in st.session_state if k not in FRAME_KEYS and params.is_bound(k))
    return [(k, _text(st.session_state[k])) for k in keys]


def share_link(url_path: str) -> str:
    """The page's address with the controls' current values: the link that reproduces what it shows."""
    base = st.context.url or f"/{url_path}"
    query = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
    return f"{base}?{query}" if query else base


def build(chapter, found: Collected) -> str:
    """The handout's HTML (runs on click, in the download thread)."""
    from ui.export import chart_svg  # ui.export notes charts here: import it late

    figures = [handout.Figure(caption, chart_svg(chart)) for chart, caption in list(found.charts.values())]
    return handout.render(
        handout.Handout(
            title=chapter.title,
            objective=chapter.objective,
            link=found.link,
            sentences=list(found.sentences),
            figures=figures,
            settings=list(found.settings),
            source_title=chapter.section_title,
            source_link=chapter.paper_section,
        )
    )


def handout_button(chapter) -> None:
    """The button at the end of a chapter page: its key sentences, current figures, settings and link.

    Presenter mode leaves it out, like every download button: a projected page shows the figure, not the chrome.
    """
    from ui.state import presenting  # ui.state notes key sentences here: import it late

    found = _collected()
    if found is None:
        found = Collected()
        st.session_state[STATE_KEY] = found
    found.settings, found.link = page_settings(), share_link(chapter.url_path)
    if presenting():
        return
    st.download_button(
        "Download handout",
        lambda: build(chapter, found),
        file_name=f"{chapter.url_path}-handout.html",
        mime="text/html",
        key="handout",
        on_click="ignore",
        icon=":material/description:",
        help="One HTML file to keep: this chapter's key points, its figures as they are now, "
        "the settings and the link that reproduces them.",
    )
