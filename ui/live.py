"""Live training, reusable by every page: Play / Pause / Step / Reset and a panel that updates.

How it stays responsive: training never runs in one long call. A fragment reruns every
TICK_SECONDS while playing (longer when many learners play: ui.pacing), trains for at most
BUDGET_SECONDS, redraws only itself, and returns. Widgets elsewhere on the page keep working between ticks, and a changed control
simply starts a new run (the config is part of the run's identity).

The Trainer lives in st.session_state, so each learner has their own weights, step and controls. What
learners on one server share is work, never state: a stretch of a config that someone already trained is
copied into a later learner's own trainer instead of being trained again (core.shared_runs).

Any trainer with the same small protocol can be driven (the SAE chapter's trainer does): ``advance(n)``
returning the steps run, ``step``, ``done``, ``view()`` and a ``cfg`` with ``steps``. Pass ``make`` (config ->
trainer) to live_training; without it the panel trains a toy model with core.train.Trainer, as before.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import streamlit as st

from core.shared_runs import RunShare
from core.train import Trainer, TrainResult
from ui import export, keys
from ui.code import model_code
from ui.pacing import PlayerBoard, pace, tick_interval, tick_stretch

TICK_SECONDS = 0.35  # how often the panel reruns while playing
BUDGET_SECONDS = 0.25  # training time per rerun, at least ...
DRAW_RATIO = 3.0  # ... this many times the panel's last redraw, so a starved server still mostly trains
MAX_BUDGET_SECONDS = 1.5  # ... and at most this (a click waits for the tick's training to end)
THREADS = 2  # per run; the machines we target have two cores
# Training chunks that may run at once on this server; more learners wait their turn
# (a tick that finds no free slot just redraws and says so), so the server stays responsive.
MAX_CONCURRENT = max(1, int(os.environ.get("SPL_MAX_TRAINING", "2")))
QUEUE_WAIT_SECONDS = 0.5  # how long a tick waits for a training slot before redrawing as "Queued"
MAX_TICK_SECONDS = 4.0  # the longest a playing panel goes without an update, however crowded the server
PLAYER_TTL_SECONDS = 3 * MAX_TICK_SECONDS  # a run that stopped ticking unannounced (tab closed) stops counting

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
    token: str = field(default_factory=lambda: uuid.uuid4().hex)  # this run's key among the server's players
    pending_steps: int = 0  # Step pressed: the panel trains these on its next run
    draw_seconds: float = 0.0  # running estimate of one redraw of the panel (wall time)
    measured: bool = False  # sec_per_step has been measured (not just guessed)
    lighter: Callable[[], bool] | None = None  # the page's lighter first run for a crowded server (live_training)
    last_tick: float | None = None  # when the playing panel's last tick began (time.monotonic); None when paused

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
    trainer = make(cfg) if make is not None else Trainer(cfg, threads=THREADS, numpy_while_compiling=True)
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
        if isinstance(run, LiveRun):
            _players().leave(run.token)
        run = _fresh(cfg, make, identity)
        run.playing = bool(st.session_state.pop(f"{key}:autoplay", False))  # Play switched to a lighter run
        st.session_state[key] = run
    return run


# Share of the whole run trained per tick; None = as much as the time budget allows.
SPEEDS = {"Slow": 0.01, "Normal": 0.04, "Fast": None}


@st.cache_resource(show_spinner=False)
def training_slots() -> threading.BoundedSemaphore:
    """One semaphore per server process, shared by every session."""
    return threading.BoundedSemaphore(MAX_CONCURRENT)


@st.cache_resource(show_spinner=False)
def shared_runs() -> RunShare:
    """Checkpoints of the toy-model runs trained on this server, by config key, shared by every session."""
    return RunShare()


@st.cache_resource(show_spinner=False)
def _players() -> PlayerBoard:
    """Runs playing now (by run token), shared by every session of this server."""
    return PlayerBoard(ttl=PLAYER_TTL_SECONDS)


def tick_seconds(run: LiveRun, budget: float = BUDGET_SECONDS) -> float:
    """Seconds until this run's next tick, recomputed on every tick: longer when many learners play at once,
    since redrawing costs CPU too, and when a tick trains longer (``budget``), so the slots' demand holds.
    Counts this run as playing until it pauses, finishes or stops ticking."""
    base = TICK_SECONDS * budget / BUDGET_SECONDS
    players = _players().beat(run.token)
    return tick_interval(players, MAX_CONCURRENT, base, max(base, MAX_TICK_SECONDS), run.draw_seconds)


def advance_if_free(
    run: LiveRun,
    budget: float,
    max_steps: int | None,
    wait: float = QUEUE_WAIT_SECONDS,
    yield_point: Callable[[], None] | None = None,
) -> bool:
    """Train one tick once a training slot is free; False (nothing trained) if none frees up within ``wait``.

    Waits in short blocking slices (roughly in arrival order), calling ``yield_point`` between them so a click
    elsewhere can interrupt; a tick that waits rather than redrawing an unchanged panel saves the CPU.
    """
    taken, enough = _take_shared_tick(run, budget, max_steps)
    if enough:
        return True  # someone already trained most of this tick: no slot needed
    slots, deadline = training_slots(), time.monotonic() + wait
    while not slots.acquire(timeout=max(0.0, min(0.25, deadline - time.monotonic()))):
        if time.monotonic() >= deadline:
            return False
        if yield_point is not None:
            yield_point()
    try:
        _train_rest(run, budget, max_steps, taken)
    finally:
        slots.release()
    return True


def tick_budget(draw_seconds: float) -> float:
    """Seconds of training per tick: BUDGET_SECONDS, or DRAW_RATIO redraws' worth when redrawing is slow (a
    starved server redraws and trains slowly alike, so training keeps its share), capped at MAX_BUDGET_SECONDS."""
    return min(MAX_BUDGET_SECONDS, max(BUDGET_SECONDS, DRAW_RATIO * draw_seconds))


PROBE_STEPS = 20  # a run's first chunk: its speed is a guess until then (a big model could train for seconds)


def _wanted(run: LiveRun, budget: float, max_steps: int | None) -> int:
    steps = max(1, int(budget / run.sec_per_step))
    return steps if max_steps is None else min(steps, max(1, max_steps))


def _share(run: LiveRun) -> RunShare | None:
    """The server's shared checkpoints, for a toy-model run (keyed by its config); None for other trainers."""
    return shared_runs() if run.make is None and isinstance(run.identity, str) else None


def take_shared(run: LiveRun, max_steps: int | None) -> int:
    """Copy in what another learner on this server already trained of this run's config, up to ``max_steps``
    ahead (all of it at Fast, ``None``): core.shared_runs, a class on one link trains one config once. Copying
    costs next to nothing, so only the playback speed bounds it, not the tick's time budget. Needs no slot."""
    share = _share(run)
    if share is None:
        return 0
    ahead = max_steps if max_steps is not None else run.cfg.steps
    return share.adopt(run.identity, run.trainer, run.trainer.step + ahead)


def _take_shared_tick(run: LiveRun, budget: float, max_steps: int | None) -> tuple[int, bool]:
    """(steps copied in, whether that is enough for this tick): at least half of what the tick would train."""
    target = max_steps if max_steps is not None else _wanted(run, budget, None)
    taken = take_shared(run, max_steps)
    return taken, taken > 0 and taken * 2 >= target


def advance(run: LiveRun, budget: float, max_steps: int | None = None) -> int:
    """Train for about ``budget`` seconds (at most ``max_steps``); returns the steps taken.

    A toy-model run first takes what someone already trained of the same config (take_shared), and trains
    only the rest itself, publishing it for the others."""
    taken, enough = _take_shared_tick(run, budget, max_steps)
    if enough:  # most of this tick was there already: stop on the checkpoint, in step with the others
        return taken
    return taken + _train_rest(run, budget, max_steps, taken)


def _train_rest(run: LiveRun, budget: float, max_steps: int | None, taken: int) -> int:
    """Train what the tick still wants after ``taken`` shared steps; publish it; the steps trained."""
    steps = _wanted(run, budget, None if max_steps is None else max(1, max_steps - taken))
    if not run.measured:
        steps = min(steps, PROBE_STEPS)
    start = time.perf_counter()
    done = run.trainer.advance(steps)
    if done:
        per_step = (time.perf_counter() - start) / done
        run.sec_per_step = 0.5 * run.sec_per_step + 0.5 * per_step if run.measured else per_step
        run.measured = True
        share = _share(run)
        if share is not None:
            share.publish(run.identity, run.trainer)
    return done


def _play(key: str) -> None:
    run = st.session_state[key]
    run.playing = True
    playing = _players().beat(run.token)  # counted from the click, before its first tick
    # More learners playing than training slots, counting this one: the page may make a first run lighter.
    if run.lighter and not run.trainer.step and playing > MAX_CONCURRENT and run.lighter():
        st.session_state[f"{key}:autoplay"] = True  # the run its changed settings start plays at once


def _pause(key: str) -> None:
    st.session_state[key].playing = False
    _players().leave(st.session_state[key].token)


STEP_SECONDS = 1.5  # the Step button trains at most this long, even on a big model
STEP_WAIT_SECONDS = 3.0  # ... after waiting at most this long for a training slot
WAITING_FOR_SLOT = "Waiting for a training slot…"
BUSY_NOTE = (
    "The server is busy: other learners are using every training slot, so this Step did not train. "
    "Nothing was lost: press Step again in a moment."
)


def _step(key: str, n_steps: int) -> None:
    run = st.session_state[key]
    run.playing = False
    _players().leave(run.token)
    run.pending_steps = n_steps
    slots = training_slots()
    if slots.acquire(blocking=False):  # a slot is free: train now, so all the page draws sees the new step
        try:
            _train_pending(run)
        finally:
            slots.release()
    # Otherwise the panel waits for a slot, where the page can show the wait (a callback draws nothing).


def _train_pending(run: LiveRun) -> None:
    """Train the pending Step (the caller holds a training slot)."""
    n_steps, run.pending_steps = run.pending_steps, 0
    target = min(run.cfg.steps, run.trainer.step + n_steps)
    deadline = time.perf_counter() + STEP_SECONDS
    while run.trainer.step < target and not run.trainer.done and time.perf_counter() < deadline:
        advance(run, BUDGET_SECONDS, target - run.trainer.step)


def step_now(run: LiveRun) -> bool:
    """Train a pending Step once a slot frees up, waiting at most STEP_WAIT_SECONDS under a spinner.

    False if none freed up: the Step is dropped (the weights are as they were) and the learner is told."""
    slots, got = training_slots(), False
    try:
        with st.spinner(WAITING_FOR_SLOT):
            got = slots.acquire(timeout=STEP_WAIT_SECONDS)
        if got:
            _train_pending(run)
        else:
            run.pending_steps = 0
    finally:
        if got:  # also when a click elsewhere interrupted the run after the slot was taken
            slots.release()
    return got


def _reset(key: str) -> None:
    run = st.session_state[key]
    _players().leave(run.token)
    st.session_state[key] = _fresh(run.cfg, run.make, run.identity)


def _controls(key: str, run: LiveRun, step_size: int) -> None:
    done = run.trainer.done
    main = keys.claim(key)  # only a page's main panel gets keyboard shortcuts (one binding per key per page)
    short = {"play": keys.PLAY_PAUSE, "step": keys.STEP, "reset": keys.RESET} if main else {}
    # A horizontal container sizes buttons to their labels and wraps on narrow panels.
    row = st.container(horizontal=True, vertical_alignment="bottom")
    cols = [row] * 5
    cols[0].button(
        "Play",
        key=f"{key}:play",
        on_click=_play,
        args=(key,),
        disabled=run.playing or done,
        type="primary",
        shortcut=short.get("play"),
    )
    cols[1].button(
        "Pause", key=f"{key}:pause", on_click=_pause, args=(key,), disabled=not run.playing, shortcut=short.get("play")
    )
    cols[2].button(
        "Step",
        key=f"{key}:step",
        on_click=_step,
        args=(key, step_size),
        disabled=done,
        help=f"Train {step_size:,} more steps, then stop.",
        shortcut=short.get("step"),
    )
    cols[3].button(
        "Reset",
        key=f"{key}:reset",
        on_click=_reset,
        args=(key,),
        help="Start again from the same seed.",
        shortcut=short.get("reset"),
    )
    cols[4].segmented_control(
        "Playback speed",
        list(SPEEDS),
        default="Normal",
        required=True,
        key=f"{key}:speed",
        help="Slow lets you watch each change; Fast trains as quickly as the server allows.",
    )
    if main:
        with row:
            keys.shortcuts_help()


def _max_steps(key: str, cfg: Any, stretch: float = 1.0) -> int | None:
    """Steps one tick may train at the chosen speed; ``stretch`` = this tick's interval over TICK_SECONDS, so a
    slower tick trains more and Slow and Normal keep their pace per second (the time budget still bounds it)."""
    share = SPEEDS.get(st.session_state.get(f"{key}:speed") or "Normal")
    return None if share is None else max(1, int(cfg.steps * share * stretch))


def live_training(
    key: str,
    cfg: Any,
    render: Render,
    step_size: int | None = None,
    make: Callable[[Any], Steppable] | None = None,
    identity: Any = None,
    lighter: Callable[[], bool] | None = None,
) -> LiveRun:
    """Controls plus a self-updating panel that calls ``render(view)`` with the run so far.

    ``make(cfg)`` builds another kind of trainer (see Steppable); ``identity`` says when it is a new run.
    Such runs get figure downloads only: the data buttons expect a toy model's TrainResult.
    ``lighter()`` is called when Play starts an untrained run while more learners play than there are
    training slots: it may change the page's settings (session state) to a lighter run and return True.
    """
    run = get_run(key, cfg, make, identity)
    run.lighter = lighter
    step_size = step_size or max(1, cfg.steps // 20)
    _controls(key, run, step_size)

    inline = [True]  # the panel's run inside a full page run, which must not wait for the next tick

    # The browser asks for a tick every TICK_SECONDS while playing (run_every is fixed when the page runs);
    # each tick then waits out the rest of its load-dependent interval, recomputed every tick (tick_seconds).
    @st.fragment(run_every=TICK_SECONDS if run.playing else None)
    def panel() -> None:
        start = time.monotonic()
        current = st.session_state.get(key)
        if not isinstance(current, LiveRun):
            return
        if current.pending_steps and not step_now(current):
            st.warning(BUSY_NOTE)
        busy = current.playing and not current.trainer.done
        budget = tick_budget(current.draw_seconds)
        fast = _max_steps(key, current.cfg) is None  # only Fast uses the whole budget; the others stay brisk
        interval = tick_seconds(current, budget if fast else BUDGET_SECONDS) if busy else 0.0
        since = start - current.last_tick if busy and current.last_tick is not None else None
        current.last_tick = start if busy else None
        max_steps = _max_steps(key, current.cfg, tick_stretch(interval, since, TICK_SECONDS, 2 * MAX_TICK_SECONDS))
        wait = QUEUE_WAIT_SECONDS if inline[0] else max(QUEUE_WAIT_SECONDS, interval)  # the page waits less
        if busy and not advance_if_free(current, budget, max_steps, wait, st.empty().empty):
            st.info("Queued: other learners are training on this server right now. Yours resumes in a moment.")
        if current.playing and current.trainer.done:
            current.playing = False
            _players().leave(current.token)
            st.rerun()  # the whole page, so the buttons and the tick timer update
        drawing = time.monotonic()
        view = current.trainer.view()
        _report(current, view)
        token = export.LIVE_EXPORTS.set(current.exports)
        try:
            render(view)
        finally:
            export.LIVE_EXPORTS.reset(token)
        if untrained(view):  # under the figures, so the first screen shows them (the status line says step 0)
            st.info(UNTRAINED_NOTE)
        current.draw_seconds = 0.5 * current.draw_seconds + 0.5 * (time.monotonic() - drawing)
        if interval and not inline[0]:
            pace(start + interval, st.empty().empty)  # each write lets a click elsewhere interrupt the wait

    panel()
    inline[0] = False
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
