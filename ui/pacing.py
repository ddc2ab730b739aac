"""How often a playing live panel trains and redraws, given how many learners play at once.

No Streamlit here, so the logic is testable with plain calls. ui.live keeps one PlayerBoard per server
process (shared by every session) and asks it, on every tick, how long this run should wait before its
next one.

Why the interval stretches: every tick redraws the panel's charts in Python, holding the GIL, and
trains for up to a fixed budget while holding a training slot. With ``n`` players and ``slots`` slots,
ticking every ``base * n / slots`` seconds keeps the slots' demand and the server-wide redraw rate
constant however many learners play; each learner's view just updates less often.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

REDRAW_SHARE = 0.5  # at most this share of the interpreter's time goes to playing panels' redraws


def tick_interval(players: int, slots: int, base: float, cap: float, draw: float = 0.0) -> float:
    """Seconds between one run's ticks: ``base`` while players fit the slots, longer in proportion beyond; and
    long enough that ``players`` redraws of ``draw`` seconds each fill at most REDRAW_SHARE of it (redrawing is
    Python holding the GIL, so all sessions' redraws share one core however many the machine has)."""
    return min(cap, max(base * max(1.0, players / max(1, slots)), players * draw / REDRAW_SHARE))


def tick_stretch(interval: float, since: float | None, base: float, cap: float) -> float:
    """How many ``base``-second ticks' worth of steps a tick trains at Slow or Normal, so the speed per second
    holds: the time since the run's last tick began (``since``: its interval plus its redraw and any wait for
    the server), or the interval on the first tick after Play; at least 1, and at most ``cap`` seconds' worth
    (a tick that comes very late does not leap)."""
    period = interval if since is None else since
    return max(1.0, min(period, cap) / base)


class PlayerBoard:
    """Runs that are playing now, keyed by a stable run token, each with the time of its last tick.

    Thread-safe (every session's script thread calls it). A run that stops ticking without saying so
    (its tab was closed) drops out after ``ttl`` seconds; ``ttl`` must exceed the longest interval.
    """

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic):
        self.ttl, self.clock = ttl, clock
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def beat(self, token: str) -> int:
        """Record that ``token`` ticked now; returns how many runs are playing, this one included."""
        now = self.clock()
        with self._lock:
            self._seen[token] = now
            for other, seen in list(self._seen.items()):
                if now - seen > self.ttl:
                    del self._seen[other]
            return len(self._seen)

    def leave(self, token: str) -> None:
        """``token`` paused or finished: stop counting it at once."""
        with self._lock:
            self._seen.pop(token, None)

    def count(self) -> int:
        """Runs seen within ``ttl`` (nothing recorded)."""
        now = self.clock()
        with self._lock:
            return sum(now - seen <= self.ttl for seen in self._seen.values())


def pace(
    until: float,
    yield_point: Callable[[], None],
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    slice_s: float = 0.2,
) -> int:
    """Wait until ``until`` in short sleeps, calling ``yield_point`` between them; returns the sleeps taken.

    In a Streamlit script any element write is a point where a pending rerun (a click elsewhere on the
    page) interrupts the run, so a waiting tick never delays a learner's click by more than ``slice_s``.
    """
    sleeps = 0
    while (left := until - clock()) > 0:
        sleep(min(slice_s, left))
        sleeps += 1
        yield_point()
    return sleeps
