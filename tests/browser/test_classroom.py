"""A small classroom (issue 8, the quick version of benchmarks/load_test.py): several learners train at
once on one server; each gets its own, correct result and never sees another learner's state."""

from __future__ import annotations

import time

import pytest

from rig.live import (
    FINISHED_RE,
    QUEUED_TEXT,
    five_in_two_reference,
    press_play,
    read_readout,
    read_represented,
    set_speed,
)
from rig.pages import assert_no_exception, control_value, goto_app, main_text_content, wait_for_app

pytestmark = pytest.mark.browser

SEEDS = (11, 12, 13)
STEPS = 2000  # the paper's 12-density sweep; several ticks each, so the three runs overlap
URL = "/five-in-two?f52_seed={seed}&f52_steps=" + str(STEPS)
FINISH_TIMEOUT_S = 150


def test_three_sessions_train_independently(new_session, app_url, capsys):
    sessions = {}
    for seed in SEEDS:
        page, log = new_session()
        goto_app(page, app_url + URL.format(seed=seed))
        set_speed(page, "Fast")
        sessions[seed] = (page, log)
    for page, _ in sessions.values():
        press_play(page)

    results, queued = {}, set()
    deadline = time.monotonic() + FINISH_TIMEOUT_S
    while len(results) < len(SEEDS):
        assert time.monotonic() < deadline, f"not finished within {FINISH_TIMEOUT_S} s: {set(SEEDS) - set(results)}"
        for seed, (page, _) in sessions.items():
            if seed in results:
                continue
            text = main_text_content(page)
            queued |= {seed} if QUEUED_TEXT in text else set()
            if FINISHED_RE.search(text):
                wait_for_app(page)
                readout = read_readout(page)
                assert readout.step == STEPS, readout
                results[seed] = (readout.loss, read_represented(page), control_value(page, "f52_seed"))
        sessions[SEEDS[0]][0].wait_for_timeout(500)

    expected = {seed: five_in_two_reference(seed, steps=STEPS) for seed in SEEDS}
    assert len(set(expected.values())) == len(SEEDS), "these seeds give equal results: pick others for the test"
    for seed in SEEDS:
        loss, represented, seed_shown = results[seed]
        assert seed_shown == str(seed), f"session {seed} shows another learner's seed {seed_shown}"
        assert (loss, represented) == expected[seed], f"session {seed} did not get its own seed's result"
    for page, log in sessions.values():
        assert_no_exception(page)
        log.assert_clean()
    with capsys.disabled():
        print(f"\n  sessions that saw 'Queued' at some point: {sorted(queued) or 'none'}")
