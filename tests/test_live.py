"""The live panel under load (issue 18): a tick interval that follows the number of players on every tick,
players counted while they keep playing, and a Step that waits for a training slot only so long."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest

from core.chapters import five_in_two as f52
from tests.helpers import open_page
from ui import live
from ui.pacing import REDRAW_SHARE, PlayerBoard, pace, tick_interval, tick_stretch

FIVE = "views/five_in_two.py"
SHORT = {"f52_mode": "One density", "f52_density": "0.05", "f52_steps": "1000", "f52_starts": "1"}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_interval_is_the_base_while_players_fit_the_slots_then_grows_in_proportion() -> None:
    assert tick_interval(1, 2, 0.35, 4.0) == 0.35
    assert tick_interval(2, 2, 0.35, 4.0) == 0.35
    assert tick_interval(10, 2, 0.35, 4.0) == pytest.approx(1.75)
    assert tick_interval(6, 3, 0.5, 4.0) == pytest.approx(1.0)
    assert tick_interval(100, 2, 0.35, 4.0) == 4.0  # capped: a crowded panel still updates


def test_the_interval_leaves_room_for_everyone_elses_redraws() -> None:
    """Redraws hold the GIL: n players redrawing for d seconds each need n * d of one core per round."""
    assert tick_interval(1, 2, 0.35, 4.0, draw=0.05) == 0.35  # alone and quick: the base
    assert tick_interval(6, 2, 0.35, 4.0, draw=0.2) == pytest.approx(6 * 0.2 / REDRAW_SHARE)  # above 6 / 2 * 0.35
    assert tick_interval(10, 2, 0.35, 4.0, draw=0.01) == pytest.approx(1.75)  # cheap redraws: the slots decide
    assert tick_interval(30, 2, 0.35, 4.0, draw=0.2) == 4.0  # still capped


def test_a_run_that_keeps_playing_keeps_counting_past_the_ttl() -> None:
    clock = Clock()
    board = PlayerBoard(ttl=5.0, clock=clock)
    assert board.beat("a") == 1 and board.beat("b") == 2
    for _ in range(6):  # "a" ticks every 3 s for 18 s; "b" never ticks again
        clock.now += 3.0
        playing = board.beat("a")
    assert playing == 1 and board.count() == 1  # "b" dropped out, "a" never did
    assert board.beat("a") == 1  # a second beat from the same run is not a second player


def test_the_interval_follows_players_joining_and_leaving_between_ticks(monkeypatch) -> None:
    """No page rerun in between: each call is one tick of the same run, as the fragment makes them."""
    clock = Clock()
    board = PlayerBoard(ttl=live.PLAYER_TTL_SECONDS, clock=clock)
    monkeypatch.setattr(live, "_players", lambda: board)
    run = live.LiveRun(cfg=None, trainer=None)
    assert live.tick_seconds(run) == live.TICK_SECONDS
    assert live.tick_seconds(run, 2 * live.BUDGET_SECONDS) == 2 * live.TICK_SECONDS  # a longer tick, as rare
    others = [f"other{i}" for i in range(7)]
    for token in others:
        board.beat(token)
    assert live.tick_seconds(run) == pytest.approx(live.TICK_SECONDS * 8 / live.MAX_CONCURRENT)
    for token in others:
        board.leave(token)  # they paused
    assert live.tick_seconds(run) == live.TICK_SECONDS


def test_runs_are_keyed_by_their_own_token() -> None:
    a, b = live.LiveRun(cfg=None, trainer=None), live.LiveRun(cfg=None, trainer=None)
    assert a.token != b.token
    board = PlayerBoard(ttl=10.0)
    board.beat(a.token)
    board.beat(b.token)
    board.leave(a.token)
    assert board.count() == 1


def test_pace_sleeps_in_slices_with_a_yield_point_between_them() -> None:
    clock, yields = Clock(), []
    sleeps = pace(1.0, lambda: yields.append(clock.now), clock=clock, sleep=clock.sleep, slice_s=0.25)
    assert sleeps == 4 and clock.now == pytest.approx(1.0) and yields == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert pace(0.5, yields.append, clock=clock, sleep=clock.sleep) == 0  # already past: no wait


def test_a_yield_point_that_interrupts_ends_the_wait() -> None:
    clock = Clock()

    class Rerun(Exception):
        pass

    def click_elsewhere() -> None:
        if clock.now >= 0.4:
            raise Rerun

    with pytest.raises(Rerun):
        pace(5.0, click_elsewhere, clock=clock, sleep=clock.sleep, slice_s=0.2)
    assert clock.now == pytest.approx(0.4)


def test_step_on_a_full_server_waits_then_says_so_and_trains_once_a_slot_is_free(monkeypatch) -> None:
    slots = threading.BoundedSemaphore(2)
    monkeypatch.setattr(live, "training_slots", lambda: slots)
    monkeypatch.setattr(live, "STEP_WAIT_SECONDS", 0.3)
    at = open_page(FIVE, SHORT)
    for _ in range(2):
        slots.acquire()  # other learners hold every slot
    at.button(key="f52:run:step").click().run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning if w.value == live.BUSY_NOTE]
    assert at.session_state["f52:run"].trainer.step == 0 and at.session_state["f52:run"].pending_steps == 0
    slots.release()
    slots.release()
    at.button(key="f52:run:step").click().run()
    assert at.session_state["f52:run"].trainer.step > 0
    assert not [w for w in at.warning if w.value == live.BUSY_NOTE]
    assert slots.acquire(blocking=False) and slots.acquire(blocking=False)  # both slots were given back


def test_step_waits_for_a_slot_that_frees_up_within_the_bound(monkeypatch) -> None:
    slots = threading.BoundedSemaphore(1)
    monkeypatch.setattr(live, "training_slots", lambda: slots)
    monkeypatch.setattr(live, "STEP_WAIT_SECONDS", 30.0)
    at = open_page(FIVE, SHORT)
    slots.acquire()
    threading.Timer(0.5, slots.release).start()  # another learner's tick ends
    at.button(key="f52:run:step").click().run()
    assert at.session_state["f52:run"].trainer.step > 0
    assert not [w for w in at.warning if w.value == live.BUSY_NOTE]


def crowd(monkeypatch, others: int) -> PlayerBoard:
    board = PlayerBoard(ttl=60.0)
    for i in range(others):
        board.beat(f"other{i}")
    monkeypatch.setattr(live, "_players", lambda: board)
    return board


def crowded_notes(at) -> list[str]:
    return [i.value for i in at.info if i.value.startswith("Many learners")]


def test_play_on_a_crowded_server_starts_a_shorter_first_run_and_says_so(monkeypatch) -> None:
    crowd(monkeypatch, live.MAX_CONCURRENT)  # with this learner, more players than training slots
    at = open_page(FIVE)
    assert at.select_slider(key="f52_steps").value == 10_000 and not crowded_notes(at)
    at.button(key="f52:run:play").click().run()
    run = at.session_state["f52:run"]
    assert at.select_slider(key="f52_steps").value == f52.CROWDED_STEPS < 10_000
    assert run.cfg.steps == f52.CROWDED_STEPS and run.playing and run.trainer.step > 0  # it plays at once
    notes = crowded_notes(at)
    assert len(notes) == 1 and f"trains {f52.CROWDED_STEPS:,} steps rather than the paper's 10,000" in notes[0]
    assert f"({', '.join(map(str, f52.SEQUENCE_SEEDS_MATCHING))}) already draw it" in notes[0]
    at.button(key="f52:run:pause").click().run()
    at.select_slider(key="f52_steps").set_value(10_000).run()  # the learner asks for the full run: only once lighter
    at.button(key="f52:run:play").click().run()
    assert at.session_state["f52:run"].cfg.steps == 10_000 and not crowded_notes(at)


def test_play_with_players_that_fit_the_slots_keeps_the_papers_steps(monkeypatch) -> None:
    crowd(monkeypatch, live.MAX_CONCURRENT - 1)
    at = open_page(FIVE, {"f52_mode": "One density"})
    at.button(key="f52:run:play").click().run()
    assert at.session_state["f52:run"].cfg.steps == 10_000 and at.session_state["f52:run"].playing
    assert not crowded_notes(at)


def test_a_stretched_tick_trains_more_steps_so_the_speed_per_second_holds(monkeypatch) -> None:
    monkeypatch.setattr(live.st, "session_state", {"k:speed": "Normal"})
    cfg = SimpleNamespace(steps=10_000)
    normal = live._max_steps("k", cfg)
    assert normal == int(10_000 * live.SPEEDS["Normal"])
    assert live._max_steps("k", cfg, stretch=5.0) == 5 * normal
    live.st.session_state["k:speed"] = "Fast"
    assert live._max_steps("k", cfg, stretch=5.0) is None  # only the time budget bounds Fast


def test_a_tick_that_comes_late_trains_for_the_time_that_really_passed() -> None:
    """Normal speed means a share of the run per second of the learner's wall clock: a tick stretched by a slow
    redraw or a busy server trains for the time since the last tick, not for the interval it was meant to wait."""
    assert tick_stretch(0.35, None, 0.35, 8.0) == 1.0  # first tick after Play, a quiet server
    assert tick_stretch(1.4, None, 0.35, 8.0) == pytest.approx(4.0)  # first tick, a crowded server: its interval
    assert tick_stretch(1.4, 2.1, 0.35, 8.0) == pytest.approx(6.0)  # it came 0.7 s late: 6 ticks' worth
    assert tick_stretch(0.35, 0.1, 0.35, 8.0) == 1.0  # never less than one tick's worth
    assert tick_stretch(4.0, 60.0, 0.35, 8.0) == pytest.approx(8.0 / 0.35)  # back after a minute: no leap


class Counting:
    """A trainer that counts the steps it is asked for."""

    def __init__(self) -> None:
        self.step = 0

    def advance(self, n: int) -> int:
        self.step += n
        return n


def test_a_tick_waits_for_a_slot_with_yield_points_and_trains_once_one_frees(monkeypatch) -> None:
    slots = threading.BoundedSemaphore(1)
    monkeypatch.setattr(live, "training_slots", lambda: slots)
    run, yields = live.LiveRun(cfg=None, trainer=Counting()), []
    slots.acquire()
    assert not live.advance_if_free(run, 0.01, 5, wait=0.6, yield_point=lambda: yields.append(1))
    assert run.trainer.step == 0 and len(yields) >= 1  # waited in slices, a click could have interrupted
    threading.Timer(0.3, slots.release).start()
    assert live.advance_if_free(run, 0.01, 5, wait=5.0, yield_point=lambda: None)
    assert run.trainer.step == 5 and slots.acquire(blocking=False)  # trained, and gave the slot back


def test_the_training_budget_follows_a_slow_redraw_within_bounds() -> None:
    assert live.tick_budget(0.0) == live.BUDGET_SECONDS
    assert live.DRAW_RATIO * 0.2 > live.BUDGET_SECONDS
    assert live.tick_budget(0.2) == pytest.approx(live.DRAW_RATIO * 0.2)
    assert live.tick_budget(10.0) == live.MAX_BUDGET_SECONDS


def test_a_runs_first_chunk_is_a_short_probe_then_the_budget_is_sized_from_it() -> None:
    run = live.LiveRun(cfg=None, trainer=Counting())  # its speed is the default guess
    assert live.advance(run, budget=10.0) == live.PROBE_STEPS  # not 10 s / the guess
    assert run.measured and run.sec_per_step > 0
    assert live.advance(run, budget=10.0, max_steps=7) == 7
