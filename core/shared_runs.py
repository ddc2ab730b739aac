"""Checkpoints of deterministic training runs, shared by every learner on one server.

Why: an instructor shares one link, so a class trains the *same* config with the same seed. Training is
deterministic given the config (the kernel draws each step's batch from the instance's key and the step
number, so how a run is cut into chunks changes nothing), so thirty learners would compute the same weights
thirty times. Instead, whoever trains a stretch first publishes a checkpoint at its end (weights, optimiser
state, loss history, snapshots), and a learner who gets there later copies it into their own trainer and
trains only what no one has trained yet.

What stays private: each learner's trainer owns its arrays (checkpoints are copied in and out, never shared
by reference), its step, and whether it plays; adopting a checkpoint gives exactly the numbers the learner's
own training would have produced. A trainer that trained any step with the numpy fallback (while the kernel
compiles: equal within float tolerance, not bit for bit) neither publishes nor adopts.

No Streamlit here: ui.live keeps one RunShare per server process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from core.train import Trainer

# All checkpoints of all configs, least recently used configs dropped first. Small: one learner visiting every
# page must stay under Community Cloud's memory limit (benchmarks/memory), and the default 5-in-2 sweep needs
# under 3 MB (10,000 steps x 48 models of loss history, and 64 checkpoints of 14 kB).
MAX_BYTES = 16 * 2**20
MAX_POINTS = 64  # checkpoints kept per config; beyond, every other older one is dropped


@dataclass
class _Point:
    We: np.ndarray
    Wd: np.ndarray | None  # None: tied weights (Wd is We)
    b: np.ndarray
    opt: np.ndarray

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.We, self.Wd, self.b, self.opt) if a is not None)


@dataclass
class _Entry:
    history: np.ndarray  # [steps trained so far, models]: grows as someone trains further
    points: dict[int, _Point] = field(default_factory=dict)  # step -> state at the end of that step
    snapshots: list = field(default_factory=list)  # (step, We, b), as Trainer keeps them; never mutated

    @property
    def nbytes(self) -> int:
        snaps = sum(we.nbytes + b.nbytes for _, we, b in self.snapshots)
        return self.history.nbytes + snaps + sum(p.nbytes for p in self.points.values())


def shareable(trainer: object) -> bool:
    """Only the toy-model Trainer on the kernel path is deterministic bit for bit."""
    return isinstance(trainer, Trainer) and not trainer.used_numpy and not trainer.diverged


class RunShare:
    """Checkpoints by config key (``ToyConfig.key()``). Thread-safe: every session's script thread calls it."""

    def __init__(self, max_bytes: int = MAX_BYTES, max_points: int = MAX_POINTS):
        self.max_bytes, self.max_points = max_bytes, max_points
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def publish(self, key: str, trainer: Trainer) -> bool:
        """Record ``trainer``'s state at its current step; False if it is not shareable or too big to keep."""
        step = trainer.step
        if not step or not shareable(trainer):
            return False
        point = _Point(
            trainer.We.copy(),
            None if trainer.Wd is trainer.We else trainer.Wd.copy(),
            trainer.b.copy(),
            trainer.opt.copy(),
        )
        if point.nbytes + trainer.history.nbytes > self.max_bytes // 4:  # a paper-scale run: not worth holding
            return False
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = _Entry(trainer.history[:0].copy())
            self._entries.move_to_end(key)
            if step in entry.points:
                return True
            filled = len(entry.history)
            if step > filled:
                entry.history = np.concatenate([entry.history, trainer.history[filled:step]])
            known = entry.snapshots[-1][0] if entry.snapshots else -1
            entry.snapshots += [s for s in trainer.snapshots if s[0] > known and s[0] <= step]
            entry.points[step] = point
            self._thin(entry)
            self._evict()
        return True

    def adopt(self, key: str, trainer: Trainer, upto: int) -> int:
        """Move ``trainer`` to the furthest checkpoint after its step and at most ``upto``; the steps skipped."""
        if not shareable(trainer):
            return 0
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return 0
            ahead = [s for s in entry.points if trainer.step < s <= upto]
            if not ahead:
                return 0
            self._entries.move_to_end(key)
            step = max(ahead)
            point = entry.points[step]
            start = trainer.step
            trainer.We[:] = point.We
            if point.Wd is not None:
                trainer.Wd[:] = point.Wd
            trainer.b[:] = point.b
            trainer.opt[:] = point.opt
            trainer.history[start:step] = entry.history[start:step]
            trainer.snapshots = [s for s in trainer.snapshots if s[0] <= start] + [
                (s, we.copy(), b.copy()) for s, we, b in entry.snapshots if start < s <= step
            ]
            trainer.step = step
        return step - start

    def nbytes(self) -> int:
        with self._lock:
            return sum(e.nbytes for e in self._entries.values())

    def _thin(self, entry: _Entry) -> None:
        """Keep at most max_points checkpoints: drop every other one but the latest."""
        if len(entry.points) > self.max_points:
            steps = sorted(entry.points)
            for s in steps[:-1][::2]:
                del entry.points[s]

    def _evict(self) -> None:
        while len(self._entries) > 1 and sum(e.nbytes for e in self._entries.values()) > self.max_bytes:
            self._entries.popitem(last=False)
