"""Predict, then train: a prediction the learner commits to before a run, graded when the run finishes.

A page calls ``ask`` above its training panel and ``reveal`` inside the panel's render. The prediction
locks on "Lock my prediction", or by itself when training starts (a prediction made after seeing the
run would teach nothing). Everything lives in st.session_state, per learner, under ``predict:<kind>:<context>``
(the context names the settings the question is about, e.g. the density, so a new setting asks afresh).
A link can switch predictions off or on for a class with ``?predict=off`` / ``?predict=on``; the choice then
holds for the rest of the session. The grading itself is ``core.predictions`` (pure functions).

Instructor view: in presenter mode a finished run's result stays hidden behind "Reveal the result", so a room
can vote (and the instructor lock the class's answer) while the model trains on the projector. ``withheld`` tells
a page to hold back its own readouts that give the answer away. The reveal covers one finished run of one
question and context: it lapses when the prediction is changed or a new run starts. ``?reveal=auto`` turns the
hiding off for the session, ``?reveal=click`` back on; any other value is refused with the app's link warning.
"""

from __future__ import annotations

import streamlit as st

from core import predictions
from core.predictions import Grade, Problem
from ui.state import presenting

PREFIX = "predict:"
MODE = "predict_mode"  # session_state: "on" or "off", from the link's ?predict=
REVEAL = "reveal"  # session_state and link key: "click" (presenter mode hides results) or "auto"
REVEAL_MODES = ("click", "auto")
REVEALED = "revealed:"  # session_state: revealed:<kind>:<context> = True once the instructor revealed it


def enabled() -> bool:
    """Predictions are on unless a link said ?predict=off (remembered for the session)."""
    asked = str(st.query_params.get("predict", "")).lower()
    if asked in ("on", "off"):
        st.session_state[MODE] = asked
    return st.session_state.get(MODE, "on") != "off"


def reveal_mode() -> str:
    """ "click" or "auto", from the link's ?reveal= (remembered for the session).

    A value it cannot use leaves the URL while the mode stays as it was, so ui.links names it in the
    app's "This link asked ..." warning, as for any refused control value.
    """
    asked = st.query_params.get(REVEAL)
    if asked is not None:
        if str(asked).lower() in REVEAL_MODES:
            st.session_state[REVEAL] = str(asked).lower()
        else:
            del st.query_params[REVEAL]
    return st.session_state.setdefault(REVEAL, REVEAL_MODES[0])


def _revealed_key(kind: str, context: str) -> str:
    return f"{REVEALED}{kind}:{context}"


def withheld(kind: str, context: str) -> bool:
    """Should results that answer this question stay hidden? Only in presenter mode, until the reveal."""
    if not (enabled() and presenting()) or reveal_mode() == "auto":
        return False
    return not st.session_state.get(_revealed_key(kind, context), False)


def _show(kind: str, context: str) -> None:
    st.session_state[_revealed_key(kind, context)] = True


def _key(kind: str, context: str) -> str:
    return f"{PREFIX}{kind}:{context}"


def _widget_key(kind: str, context: str) -> str:
    return f"predict_{kind}_{context}".replace(" ", "_")


def _lock(kind: str, context: str) -> None:
    value = predictions.check(kind, st.session_state.get(_widget_key(kind, context)))
    if isinstance(value, Problem):
        st.session_state[_key(kind, context) + ":problem"] = value.message
        return
    st.session_state.pop(_key(kind, context) + ":problem", None)
    st.session_state[_key(kind, context)] = {"kind": kind, "value": value, "grade": None}


def _reset(kind: str, context: str) -> None:
    st.session_state.pop(_key(kind, context), None)
    st.session_state.pop(_revealed_key(kind, context), None)
    st.session_state.pop(_widget_key(kind, context), None)


def locked(kind: str, context: str) -> dict | None:
    """The locked prediction {"kind", "value", "grade"} for this question and context, if any."""
    return st.session_state.get(_key(kind, context))


def _input(kind: str, context: str) -> None:
    q = predictions.QUESTIONS[kind]
    key = _widget_key(kind, context)
    if q.is_choice:
        st.radio(q.prompt, q.options, index=None, key=key)
    else:
        st.number_input(q.prompt, min_value=q.low, max_value=q.high, value=None, step=1, key=key)


def ask(kind: str, context: str = "", started: bool = False) -> None:
    """The prediction box: open until locked (by the button, or by training starting), then shown as locked."""
    reveal_mode()  # reads ?reveal= on the page's first run, so a bad value is reported with the link's others
    if not enabled():
        return
    with st.container(border=True):
        st.markdown("**Predict before you train**")
        if withheld(kind, context) and not started:
            st.caption(PRESENTER_NOTE)
        entry = locked(kind, context)
        if entry is None and started and st.session_state.get(_widget_key(kind, context)) is not None:
            _lock(kind, context)  # training started: the answer given so far is the prediction
            entry = locked(kind, context)
        if entry is not None:
            st.markdown(f"{predictions.QUESTIONS[kind].prompt} Your prediction: **{entry['value']}** (locked).")
            st.button(
                "Change my prediction",
                key=f"{_widget_key(kind, context)}_reset",
                on_click=_reset,
                args=(kind, context),
                help="Clears it. For a fair test, also press Reset on the training panel.",
            )
            return
        if started:
            st.caption(
                "Training has started, so this question is closed. Press Reset on the training panel to predict first."
            )
            return
        _input(kind, context)
        st.button("Lock my prediction", key=f"{_widget_key(kind, context)}_lock", on_click=_lock, args=(kind, context))
        problem = st.session_state.get(_key(kind, context) + ":problem")
        if problem:
            st.warning(problem)


PRESENTER_NOTE = (
    "Presenter mode: when training ends, the result stays hidden until you press **Reveal the result**, "
    "so the room can vote while it trains."
)
HIDDEN_NOTE = "Training has finished. The result is hidden: take the room's answers, then reveal it."


def reveal(kind: str, context: str, result: object, finished: bool) -> Grade | None:
    """After training: the prediction beside the result, right or wrong, with the explanation.

    In presenter mode the result first waits behind a "Reveal the result" button (see ``withheld``).
    """
    if not enabled():
        return None
    entry = locked(kind, context)
    if not finished:
        st.session_state.pop(_revealed_key(kind, context), None)  # a new run is revealed afresh
        if entry is not None:
            st.caption(f"Your prediction ({entry['value']}) is locked; it is graded when training finishes.")
        return None
    if withheld(kind, context):
        st.info(HIDDEN_NOTE, icon=":material/visibility_off:")
        st.button(
            "Reveal the result",
            key=f"{_widget_key(kind, context)}_reveal",
            on_click=_show,
            args=(kind, context),
            type="primary",
            icon=":material/visibility:",
            help="Shows what the trained model did and grades the prediction. A link with ?reveal=auto shows it at once.",
        )
        return None
    if entry is None:
        if presenting() and reveal_mode() == "click":  # revealed to a room that voted without locking an answer
            st.info(f"The trained model: **{result}**.")
        return None
    return _compare(kind, entry, result)


def _compare(kind: str, entry: dict, result: object) -> Grade | None:
    grade = predictions.grade(kind, entry["value"], result)
    if isinstance(grade, Problem):  # the locked value was checked, so only a changed question gets here
        st.warning(grade.message)
        return None
    entry["grade"] = grade
    text = f"You predicted **{entry['value']}**; the trained model: **{result}**. {grade.message}"
    (st.success if grade.matched else st.warning)(text)
    return grade


def progress() -> dict[str, tuple[int, int, int]]:
    """Per chapter slug: (predictions made, graded, matched) in this session."""
    out: dict[str, tuple[int, int, int]] = {}
    for key, entry in st.session_state.items():
        if not (isinstance(key, str) and key.startswith(PREFIX) and isinstance(entry, dict)):
            continue
        chapter = predictions.QUESTIONS[entry["kind"]].chapter
        made, graded, matched = out.get(chapter, (0, 0, 0))
        grade = entry.get("grade")
        out[chapter] = (made + 1, graded + (grade is not None), matched + bool(grade is not None and grade.matched))
    return out


def run_started(key: str) -> bool:
    """Has this session's live run under ``key`` (ui.live) taken a training step?"""
    run = st.session_state.get(key)
    trainer = getattr(run, "trainer", None)
    return trainer is not None and trainer.step > 0


def progress_lines() -> list[str]:
    """The home page's summary of this session's predictions, one line per chapter (none: no lines)."""
    from ui.registry import CHAPTERS  # here, not at the top: the registry is only needed for titles

    made = progress()
    if not made:
        return []
    lines = ["**Your predictions this session**"]
    for chapter in CHAPTERS:
        if chapter.slug in made:
            n, graded, matched = made[chapter.slug]
            lines.append(f"- {chapter.title}: {n} prediction{'s' * (n != 1)}, {graded} graded, {matched} matched")
    return lines
