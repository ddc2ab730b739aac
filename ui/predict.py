"""Predict, then train: a prediction the learner commits to before a run, graded when the run finishes.

A page calls ``ask`` above its training panel and ``reveal`` inside the panel's render. The prediction
locks on "Lock my prediction", or by itself when training starts (a prediction made after seeing the
run would teach nothing). Everything lives in st.session_state, per learner, under ``predict:<kind>:<context>``
(the context names the settings the question is about, e.g. the density, so a new setting asks afresh).
A link can switch predictions off or on for a class with ``?predict=off`` / ``?predict=on``; the choice then
holds for the rest of the session. The grading itself is ``core.predictions`` (pure functions).
"""

from __future__ import annotations

import streamlit as st

from core import predictions
from core.predictions import Grade, Problem

PREFIX = "predict:"
MODE = "predict_mode"  # session_state: "on" or "off", from the link's ?predict=


def enabled() -> bool:
    """Predictions are on unless a link said ?predict=off (remembered for the session)."""
    asked = str(st.query_params.get("predict", "")).lower()
    if asked in ("on", "off"):
        st.session_state[MODE] = asked
    return st.session_state.get(MODE, "on") != "off"


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
    if not enabled():
        return
    with st.container(border=True):
        st.markdown("**Predict before you train**")
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


def reveal(kind: str, context: str, result: object, finished: bool) -> Grade | None:
    """After training: the prediction beside the result, right or wrong, with the explanation."""
    entry = locked(kind, context)
    if not enabled() or entry is None:
        return None
    if not finished:
        st.caption(f"Your prediction ({entry['value']}) is locked; it is graded when training finishes.")
        return None
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
