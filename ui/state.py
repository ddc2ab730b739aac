"""Session-state defaults, declared once, and the shared sidebar controls.

Every key that more than one page reads lives here, so a page never guesses a default.
"""

from __future__ import annotations

import re
import secrets

import streamlit as st

from ui import handout

# Keys bound to the URL (like "presenter") are not listed here: their default lives on the widget,
# and a value set here first would override the link a teacher shared.
DEFAULTS: dict[str, object] = {}

PRESENTER_SCALE = 1.6


def init_state() -> None:
    """Fill in any missing defaults (called by app.py before a page runs)."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)


def presenting() -> bool:
    """Presenter mode is on (from the toggle, or from ?presenter=true before the toggle has run)."""
    if "presenter" in st.session_state:
        return bool(st.session_state["presenter"])
    return str(st.query_params.get("presenter", "")).lower() == "true"


def chart_scale() -> float:
    """The scale every chart builder gets: 1.0 on a laptop, bigger in presenter mode."""
    return PRESENTER_SCALE if presenting() else 1.0


def sidebar_controls() -> None:
    """Controls every page shares."""
    with st.sidebar:
        st.toggle(
            "Presenter mode",
            key="presenter",
            bind="query-params",
            help="Bigger text and charts, less clutter, only the key sentences: readable from the back of a room.",
        )


KEY_PATTERN = re.compile(r"^[A-Za-z0-9_:-]{1,64}$")
MAX_HIDDEN = 50


def hidden_keys(raw: str | None) -> list[str]:
    """Widget keys an instructor hid with ?hide=key1,key2 (anything malformed is ignored)."""
    if not raw:
        return []
    keys = [k.strip() for k in str(raw)[:4000].split(",")]
    return [k for k in keys if KEY_PATTERN.match(k)][:MAX_HIDDEN]


def apply_url_chrome() -> None:
    """Hide the controls named in ?hide=..., and trim the chrome in presenter mode.

    A hidden control still exists (its value still comes from the URL or its default);
    it is just not drawn, so a class sees only what the instructor chose to show.
    """
    # Streamlit's CSS class for a widget key turns ":" into "-" (e.g. the live panel's "f52:run:play").
    keys = [k.replace(":", "-") for k in hidden_keys(st.query_params.get("hide"))]
    # A seed's "New seed" button goes with it.
    css = [f".st-key-{k}, .st-key-{k}{NEW_SEED_SUFFIX} {{display: none !important;}}" for k in keys]
    if presenting():
        css.append("[data-testid='stHeader'] {display: none;} .stMainBlockContainer {padding-top: 1rem;}")
        css.append("[data-testid='stMain'] p, [data-testid='stMain'] li {font-size: 1.35rem; line-height: 1.5;}")
        css.append("[data-testid='stMain'] h1 {font-size: 3rem;}")
    if css:
        st.html("<style>" + "\n".join(css) + "</style>")


def prose(text: str, key_sentence: str | None = None) -> None:
    """Explanatory text; in presenter mode only its key sentence (the room listens to the speaker instead).
    The key sentence also goes into the chapter's handout."""
    if key_sentence:
        handout.note_sentence(key_sentence)
    if presenting() and key_sentence:
        st.markdown(f"**{key_sentence}**")
    else:
        st.markdown(text)


def _apply(values: dict[str, object]) -> None:
    for key, value in values.items():
        st.session_state[key] = value


def preset_button(label: str, values: dict[str, object], key: str, help: str | None = None) -> None:
    """A button that sets several widgets (by key) at once, e.g. back to the paper's exact settings.

    It works through on_click, so the widgets show the new values on the very next run.
    """
    st.button(label, key=key, on_click=_apply, args=(values,), help=help, icon=":material/restart_alt:")


SEED_MAX = 2**31 - 1
NEW_SEED_MAX = 99_999  # drawn seeds stay short enough to read out to a room
NEW_SEED_SUFFIX = "_new"


def _draw_seed(key: str) -> None:
    """A fresh seed from the OS's entropy (no global RNG), different from the current one."""
    current = st.session_state.get(key)
    seed = current
    while seed == current:
        seed = secrets.randbelow(NEW_SEED_MAX) + 1
    st.session_state[key] = seed


def seed_input(where, key: str, label: str = "Seed") -> int:
    """The seed control every page shares: 0 to 2^31 - 1, default 0, kept in the URL under ``key``.

    Beside it, "New seed" draws another one; the URL follows, so the link still reproduces the run.
    (Reset on a live panel keeps the seed.) Hiding ``key`` with ?hide= hides both.
    """
    row = where.container(horizontal=True, vertical_alignment="bottom", gap="small")
    seed = row.number_input(label, 0, SEED_MAX, 0, 1, key=key, bind="query-params")
    row.button(
        "New seed",
        key=key + NEW_SEED_SUFFIX,
        on_click=_draw_seed,
        args=(key,),
        icon=":material/casino:",
        help="Draw a different random seed: new random starts and data, the same settings.",
    )
    return int(seed)
