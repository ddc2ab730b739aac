"""core.shared_runs and the live panel's use of it: learners on one link share the work of training one
config, never its state, and what a learner adopts is exactly what their own training would have given."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core import presets
from core.shared_runs import RunShare
from core.train import Trainer
from ui import live


def small(seed: int, steps: int = 300, **extra) -> object:
    cfg = presets.intro_5in2(densities=[1.0, 0.2, 0.05], seed=seed, steps=steps, n_seeds=2)
    return dataclasses.replace(cfg, **extra) if extra else cfg


def state(t: Trainer) -> dict:
    return {
        "step": t.step,
        "We": t.We.copy(),
        "Wd": t.Wd.copy(),
        "b": t.b.copy(),
        "opt": t.opt.copy(),
        "history": t.history[: t.step].copy(),
        "snapshots": [(s, we.copy(), b.copy()) for s, we, b in t.snapshots],
    }


def assert_same(a: Trainer, b: Trainer) -> None:
    sa, sb = state(a), state(b)
    assert sa["step"] == sb["step"]
    for name in ("We", "Wd", "b", "opt", "history"):
        assert np.array_equal(sa[name], sb[name], equal_nan=True), name  # bit for bit, not within a tolerance
    assert [s for s, *_ in sa["snapshots"]] == [s for s, *_ in sb["snapshots"]]
    for (_, we1, b1), (_, we2, b2) in zip(sa["snapshots"], sb["snapshots"]):
        assert np.array_equal(we1, we2) and np.array_equal(b1, b2)


def solo(cfg, steps: int) -> Trainer:
    t = Trainer(cfg, threads=1)
    t.advance(steps)
    return t


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_follower_gets_exactly_what_training_alone_gives_then_trains_on_alike(seed: int) -> None:
    cfg, share = small(seed), RunShare()
    leader = Trainer(cfg, threads=2)
    while leader.step < 200:  # the leader's chunks are not the follower's
        leader.advance(37)
        share.publish(cfg.key(), leader)
    follower = Trainer(cfg, threads=1)
    assert share.adopt(cfg.key(), follower, upto=150) == 148  # the last checkpoint at or before 150 is 4 x 37
    assert_same(follower, solo(cfg, 148))
    assert share.adopt(cfg.key(), follower, upto=1000) == 222 - 148  # as far as anyone trained
    follower.advance(300 - 222)  # then on by itself to the end
    assert_same(follower, solo(cfg, 300))


def test_snapshots_come_along_with_the_checkpoint() -> None:
    cfg, share = small(3, snapshot_every=25), RunShare()
    leader = Trainer(cfg)
    for _ in range(4):
        leader.advance(40)
        share.publish(cfg.key(), leader)
    follower = Trainer(cfg)
    follower.advance(10)  # a few steps of its own first
    assert share.adopt(cfg.key(), follower, upto=130) == 120 - 10
    assert [s for s, *_ in follower.snapshots] == [0, 25, 50, 75, 100]
    assert_same(follower, solo(cfg, 120))


def test_nothing_moves_backwards_past_upto_or_across_configs() -> None:
    share = RunShare()
    a, other_seed = small(4), small(5)
    leader = Trainer(a)
    leader.advance(100)
    share.publish(a.key(), leader)
    assert share.adopt(a.key(), Trainer(a), upto=99) == 0  # the only checkpoint is past upto
    assert share.adopt(other_seed.key(), Trainer(other_seed), upto=1000) == 0  # another seed: another run
    ahead = Trainer(a)
    ahead.advance(120)
    assert share.adopt(a.key(), ahead, upto=1000) == 0 and ahead.step == 120


def test_a_learner_changing_their_weights_does_not_change_what_the_next_one_gets() -> None:
    cfg, share = small(6), RunShare()
    leader = Trainer(cfg)
    leader.advance(80)
    share.publish(cfg.key(), leader)
    first, second = Trainer(cfg), Trainer(cfg)
    share.adopt(cfg.key(), first, upto=80)
    first.We[:] = 7.0
    first.history[:80] = 0.0
    leader.We[:] = -7.0  # nor does the leader's own later change
    share.adopt(cfg.key(), second, upto=80)
    assert_same(second, solo(cfg, 80))


def test_runs_trained_with_the_numpy_fallback_neither_publish_nor_adopt() -> None:
    cfg, share = small(7), RunShare()
    leader = Trainer(cfg)
    leader.advance(50)
    leader.used_numpy = True  # what Trainer records when a step ran while the kernel compiled
    assert not share.publish(cfg.key(), leader)
    clean = Trainer(cfg)
    clean.advance(50)
    share.publish(cfg.key(), clean)
    fallback = Trainer(cfg)
    fallback.used_numpy = True
    assert share.adopt(cfg.key(), fallback, upto=50) == 0


def trained(cfg, steps: int = 300) -> Trainer:  # the whole run: its loss history at full length
    t = Trainer(cfg)
    t.advance(steps)
    return t


def test_memory_is_bounded_by_dropping_the_least_recently_used_config() -> None:
    cfgs = [small(s) for s in range(10, 15)]
    probe = RunShare()
    probe.publish(cfgs[0].key(), trained(cfgs[0]))
    size = probe.nbytes()  # one finished config with one checkpoint: its whole loss history and its state

    tight = RunShare(max_bytes=int(2.5 * size))  # a quarter of it is less than one config
    assert not tight.publish(cfgs[0].key(), trained(cfgs[0])) and tight.nbytes() == 0

    share = RunShare(max_bytes=int(4.5 * size))  # four configs fit, five do not
    for cfg in cfgs[:4]:
        assert share.publish(cfg.key(), trained(cfg))
    assert share.adopt(cfgs[0].key(), Trainer(cfgs[0]), upto=300) == 300  # config 0 used last: config 1 is oldest
    assert share.publish(cfgs[4].key(), trained(cfgs[4]))
    assert share.nbytes() <= share.max_bytes
    kept = [share.adopt(cfg.key(), Trainer(cfg), upto=300) for cfg in cfgs]
    assert kept == [300, 0, 300, 300, 300]


def test_checkpoints_per_config_are_thinned_keeping_the_latest() -> None:
    cfg, share = small(13), RunShare(max_points=8)
    t = Trainer(cfg)
    for _ in range(20):
        t.advance(5)
        share.publish(cfg.key(), t)
    follower = Trainer(cfg)
    assert share.adopt(cfg.key(), follower, upto=1000) == 100  # the latest is always kept
    assert_same(follower, solo(cfg, 100))


def test_the_panel_takes_a_checkpoint_instead_of_training(monkeypatch) -> None:
    share = RunShare()
    monkeypatch.setattr(live, "shared_runs", lambda: share)
    cfg = small(14)
    first, second = live._fresh(cfg, identity=cfg.key()), live._fresh(cfg, identity=cfg.key())
    assert first.identity == second.identity == cfg.key()
    for _ in range(3):
        live.advance(first, budget=1.0, max_steps=60)
    trained = []
    real = second.trainer.advance
    monkeypatch.setattr(second.trainer, "advance", lambda n: trained.append(n) or real(n))
    assert live.advance(second, budget=1.0, max_steps=first.trainer.step) == first.trainer.step
    assert trained == [], "all of it was there: nothing trained again"
    assert_same(second.trainer, first.trainer)
    live.advance(second, budget=1.0, max_steps=200)  # past what anyone trained: trains the rest itself
    assert trained and second.trainer.step > first.trainer.step
    assert_same(second.trainer, solo(cfg, second.trainer.step))


def test_a_tick_that_finds_its_steps_trained_needs_no_training_slot(monkeypatch) -> None:
    share = RunShare()
    monkeypatch.setattr(live, "shared_runs", lambda: share)
    cfg = small(15)
    first, second = live._fresh(cfg, identity=cfg.key()), live._fresh(cfg, identity=cfg.key())
    live.advance(first, budget=1.0, max_steps=100)
    live.advance(first, budget=1.0, max_steps=100)
    full = live.threading.BoundedSemaphore(1)
    full.acquire()  # every slot taken by other learners
    monkeypatch.setattr(live, "training_slots", lambda: full)
    assert live.advance_if_free(second, budget=1.0, max_steps=first.trainer.step, wait=0.05)
    assert second.trainer.step == first.trainer.step
    assert not live.advance_if_free(second, budget=1.0, max_steps=50, wait=0.05)  # nothing shared left: it queues
    assert second.trainer.step == first.trainer.step


def test_copying_is_bounded_by_the_playback_speed_not_by_the_time_budget(monkeypatch) -> None:
    """A follower that measured its own training as slow still copies a whole tick's worth: copying is free."""
    share = RunShare()
    monkeypatch.setattr(live, "shared_runs", lambda: share)
    cfg = small(16)
    leader, follower = Trainer(cfg), live._fresh(cfg, identity=cfg.key())
    for _ in range(2):
        leader.advance(60)
        share.publish(cfg.key(), leader)
    follower.sec_per_step, follower.measured = 1.0, True  # its time budget would train a single step
    assert live.advance(follower, budget=0.25, max_steps=150) == 120  # the leader's last checkpoint within 150
    leader.advance(80)
    share.publish(cfg.key(), leader)
    assert live.advance(follower, budget=0.25, max_steps=None) == 80  # Fast: all there is, in one tick
    assert_same(follower.trainer, leader)
