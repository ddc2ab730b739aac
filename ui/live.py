"""Live training, reusable by every page: Play / Pause / Step / Reset and a panel that updates.

How it stays responsive: training never runs in one long call. A fragment reruns every
TICK_SECONDS while playing, trains for at most BUDGET_SECONDS, redraws only itself, and
returns. Widgets elsewhere on the page keep working between ticks, and a changed control
simply starts a new run (the config is part of the run's identity).

The Trainer lives in st.session_state, so each learner has their own weights and nothing
is shared between sessions.

Any trainer with the same small protocol can be driven (the SAE chapter's trainer does): ``advance(n)``
returning the steps run, ``step``, ``done``, ``view()`` and a ``cfg`` with ``steps``. Pass ``make`` (config ->
trainer) to live_training; without it the panel trains a toy model with core.train.Trainer, as before.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import streamlit as st

from core.train import Trainer, TrainResult
from ui import export
from ui.code import model_code

TICK_SECONDS = 0.35  # how often the panel reruns while playing
BUDGET_SECONDS = 0.25  # training time per rerun
THREADS = 2  # per run; the machines we target have two cores
# Training chunks that may run at once on this server; more learners wait their turn
# (a tick that finds no free slot just redraws and says so), so the server stays responsive.
MAX_CONCURRENT = max(1, int(os.environ.get("SPL_MAX_TRAINING", "2")))
QUEUE_WAIT_SECONDS = 0.5  # how long a tick waits for a training slot before redrawing as "Queued"

Render = Callable[[Any], None]


class Steppable(Protocol):
    """What the panel needs from a trainer."""

    step: int

    @property
    def done(self) -> bool: ...

    def advance(self, n_steps: int) -> int: ...

    def view(self) -> Any: ...


@dataclass
class LiveRun:
    """One learner's run on one page."""

    cfg: Any  # a ToyConfig for the default trainer; whatever ``make`` takes otherwise
    trainer: Steppable
    playing: bool = False
    sec_per_step: float = 1e-4  # running estimate, sizes each tick's chunk to the budget
    exports: dict = field(default_factory=dict)  # charts and results the page registered for download
    make: Callable[[Any], Steppable] | None = None  # builds the trainer; None = core.train.Trainer
    identity: Any = None  # a different identity starts a new run

    def status(self, view: Any) -> str:
        """Step and loss: the mean over instances of the kept seeds' recent training loss."""
        t = self.trainer
        text = f"Step {t.step:,} of {self.cfg.steps:,}"
        if not t.step:
            return text + " · press Play to train"
        loss = getattr(view, "loss", None)
        return text + (f" · loss {float(loss.mean()):.4g}" if loss is not None else "")


UNTRAINED_NOTE = (
    "**Untrained**: these are the random starting weights, not a result. Press Step or Play to train; "
    "counts, verdicts and losses appear once the model has trained."
)


def untrained(view: TrainResult) -> bool:
    """True before the first training step. Pages then draw the model as it is (random weights) but no
    counts, verdicts or result numbers: a learner would read them as what training found."""
    return view.steps_done == 0


def _fresh(cfg: Any, make: Callable[[Any], Steppable] | None = None, identity: Any = None) -> LiveRun:
    trainer = make(cfg) if make is not None else Trainer(cfg, threads=THREADS)
    run = LiveRun(cfg=cfg, trainer=trainer, make=make, identity=identity)
    # A slower trainer says how slow, so the first tick's chunk fits the time budget before any measurement.
    run.sec_per_step = getattr(trainer, "sec_per_step_hint", run.sec_per_step)
    return run


def get_run(key: str, cfg: Any, make: Callable[[Any], Steppable] | None = None, identity: Any = None) -> LiveRun:
    """This session's run for ``key``; a different config starts a new one.

    Toy configs are compared by ``ToyConfig.key()`` (every value), not ``repr``, which numpy
    shortens for arrays over 1,000 elements. With ``make``, runs are compared by ``identity``
    (default: the config itself, compared with ==).
    """
    if make is None:
        identity = cfg.key()
    elif identity is None:
        identity = cfg
    run = st.session_state.get(key)
    if not isinstance(run, LiveRun) or run.identity != identity:
        run = _fresh(cfg, make, identity)
        st.session_state[key] = run
    return run


# Share of the whole run trained per tick; None = as much as the time budget allows.
SPEEDS = {"Slow": 0.01, "Normal": 0.04, "Fast": None}


@st.cache_resource(show_spinner=False)
def training_slots() -> threading.BoundedSemaphore:
    """One semaphore per server process, shared by every session."""
    return threading.BoundedSemaphore(MAX_CONCURRENT)


@st.cache_resource(show_spinner=False)
def _players() -> dict[int, float]:
    """Runs that played recently (id -> last tick time), shared by every session of this server."""
    return {}


def tick_seconds(run: LiveRun) -> float:
    """Seconds between ticks: longer when many learners play at once, since redrawing costs CPU too."""
    now = time.monotonic()
    players = _players()
    players[id(run)] = now
    for rid, seen in list(players.items()):
        if now - seen > 5.0:
            players.pop(rid, None)
    return TICK_SECONDS * max(1.0, len(players) / MAX_CONCURRENT)


def advance_if_free(run: LiveRun, budget: float, max_steps: int | None) -> bool:
    """Train one tick once a training slot is free; False (nothing trained) if none frees up soon.

    A blocking wait with a timeout serves waiting learners roughly in arrival order.
    """
    slots = training_slots()
    if not slots.acquire(timeout=QUEUE_WAIT_SECONDS):
        return False
    try:
        advance(run, budget, max_steps)
    finally:
        slots.release()
    return True


def advance(run: LiveRun, budget: float, max_steps: int | None = None) -> int:
    """Train for about ``budget`` seconds (at most ``max_steps``); returns the steps taken."""
    steps = max(1, int(budget / run.sec_per_step))
    if max_steps is not None:
        steps = min(steps, max(1, max_steps))
    start = time.perf_counter()
    done = run.trainer.advance(steps)
    if done:
        per_step = (time.perf_counter() - start) / done
        run.sec_per_step = 0.5 * run.sec_per_step + 0.5 * per_step
    return done


def _play(key: str) -> None:
    st.session_state[key].playing = True


def _pause(key: str) -> None:
    st.session_state[key].playing = False


STEP_SECONDS = 1.5  # the Step button trains at most this long, even on a big model


def _step(key: str, n_steps: int) -> None:
    run = st.session_state[key]
    run.playing = False
    target = min(run.cfg.steps, run.trainer.step + n_steps)
    deadline = time.perf_counter() + STEP_SECONDS
    with training_slots():  # waits for a free slot: a click is a deliberate, bounded request
        while run.trainer.step < target and not run.trainer.done and time.perf_counter() < deadline:
            advance(run, BUDGET_SECONDS, target - run.trainer.step)


def _reset(key: str) -> None:
    run = st.session_state[key]
    st.session_state[key] = _fresh(run.cfg, run.make, run.identity)


def _controls(key: str, run: LiveRun, step_size: int) -> None:
    done = run.trainer.done
    # A horizontal container sizes buttons to their labels and wraps on narrow panels.
    row = st.container(horizontal=True, vertical_alignment="bottom")
    cols = [row] * 5
    cols[0].button("Play", key=f"{key}:play", on_click=_play, args=(key,), disabled=run.playing or done, type="primary")
    cols[1].button("Pause", key=f"{key}:pause", on_click=_pause, args=(key,), disabled=not run.playing)
    cols[2].button(
        "Step",
        key=f"{key}:step",
        on_click=_step,
        args=(key, step_size),
        disabled=done,
        help=f"Train {step_size:,} more steps, then stop.",
    )
    cols[3].button("Reset", key=f"{key}:reset", on_click=_reset, args=(key,), help="Start again from the same seed.")
    cols[4].segmented_control(
        "Playback speed",
        list(SPEEDS),
        default="Normal",
        required=True,
        key=f"{key}:speed",
        help="Slow lets you watch each change; Fast trains as quickly as the server allows.",
    )


def _max_steps(key: str, cfg: Any) -> int | None:
    share = SPEEDS.get(st.session_state.get(f"{key}:speed") or "Normal")
    return None if share is None else max(1, int(cfg.steps * share))


def live_training(
    key: str,
    cfg: Any,
    render: Render,
    step_size: int | None = None,
    make: Callable[[Any], Steppable] | None = None,
    identity: Any = None,
) -> LiveRun:
    """Controls plus a self-updating panel that calls ``render(view)`` with the run so far.

    ``make(cfg)`` builds another kind of trainer (see Steppable); ``identity`` says when it is a new run.
    Such runs get figure downloads only: the data buttons expect a toy model's TrainResult.
    """
    run = get_run(key, cfg, make, identity)
    step_size = step_size or max(1, cfg.steps // 20)
    _controls(key, run, step_size)

    @st.fragment(run_every=tick_seconds(run) if run.playing else None)
    def panel() -> None:
        current = st.session_state.get(key)
        if not isinstance(current, LiveRun):
            return
        busy = current.playing and not current.trainer.done
        if busy and not advance_if_free(current, BUDGET_SECONDS, _max_steps(key, current.cfg)):
            st.info("Queued: other learners are training on this server right now. Yours resumes in a moment.")
        if current.playing and current.trainer.done:
            current.playing = False
            st.rerun()  # the whole page, so the buttons and the tick timer update
        view = current.trainer.view()
        _report(current, view)
        token = export.LIVE_EXPORTS.set(current.exports)
        try:
            render(view)
        finally:
            export.LIVE_EXPORTS.reset(token)
        if untrained(view):  # under the figures, so the first screen shows them (the status line says step 0)
            st.info(UNTRAINED_NOTE)

    panel()
    if make is None:  # every page that trains a toy model shows its PyTorch definition (others show their own)
        model_code(cfg.model)
    current = st.session_state.get(key)
    if isinstance(current, LiveRun):
        get = current.trainer.view if current.make is None else None
        export.live_download_row(current.exports, get, key.replace(":", "-"), key)
    return run


def _report(run: LiveRun, view: Any) -> None:
    t = run.trainer
    st.progress(t.step / run.cfg.steps, text=run.status(view))
    if getattr(t, "diverged", False):
        st.error(
            f"Training diverged at step {t.step:,}: the loss stopped being a finite number. "
            "The plots show the last good weights. Lower the learning rate, then press Reset."
        )
    elif t.done:
        st.success(f"Finished: {t.step:,} steps.")
