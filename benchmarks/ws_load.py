"""Classroom load test without browsers (issue 18 item 10): N learners as websocket clients in one process.

    python -m benchmarks.ws_load --learners 10 --same-link
    python -m benchmarks.ws_load --learners 30 --stagger 2 --same-link --goal-seconds 20 [--url URL --pid PID]

benchmarks/load_test.py drives one Chromium context per learner; on a 2-core machine 30 of them starve the
server, and it measures the rig. Here each learner is a rig.ws_client.Learner: it speaks Streamlit's websocket
protocol as the browser frontend does (first run by page name and query string, button clicks as trigger
values, the live panel's run_every ticks as fragment auto-reruns), so the server does a browser's work per
learner while this process only parses protobufs (its own CPU time is reported).

Starts the app (or uses --url; give --pid for memory figures), warms it up (one learner opens / and
/five-in-two), waits for the training kernel (ui.warmup.READY_LINE), then runs the learners as asyncio tasks:
learner i opens the link at i * stagger s, presses Play once it is drawn (picking --speed), and waits for
"Finished" and the final caption. With --same-link every learner opens the instructor's link (the page's
default config and seed); otherwise learner i's link carries seed first_seed + i. Meanwhile the health
endpoint and the server's memory are sampled (load_test's HealthProbe, rig.procfs). Each learner's final
loss and "Features represented" are compared with a solo run of the same config computed here with core/
(training is deterministic). Prints markdown tables; exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import websockets

from benchmarks.load_test import HealthProbe, cpu_seconds, goal_row, print_checks, server_rows
from rig.live import five_in_two_reference
from rig.procfs import MemorySampler, mb_of
from rig.server import start_server
from rig.ws_client import Learner, visit
from ui.warmup import READY_LINE

PAGE = "/five-in-two"
PAGE_DEFAULT_SEED = 0  # the seed an instructor's plain link trains (ui.state.seed_input's default)
FINAL_CAPTION = "after training, from densest to sparsest"  # drawn by the full rerun after the last step


@dataclass
class Result:
    """One learner's run; times in seconds from the start of the class."""

    seed: int
    open_s: float | None = None
    drawn_s: float | None = None  # the live panel first drawn
    play_s: float | None = None
    first_step_s: float | None = None
    finished_s: float | None = None
    queued: bool = False
    steps: int | None = None
    loss: str | None = None
    represented: str | None = None
    seed_shown: int | None = None
    errors: tuple[str, ...] = ()

    def after_play(self, t: float | None) -> float | None:
        return None if t is None or self.play_s is None else t - self.play_s


def link(base: str, seed: int | None, args) -> str:
    """The learner's URL: the instructor's (seed None) or one with its own seed."""
    params = [] if seed is None else [f"f52_seed={seed}"]
    params += [f"f52_steps={args.steps}"] if args.steps else []
    params += ["f52_mode=One+density", "f52_density=0.05"] if args.one_density else []
    return f"{base}{PAGE}" + ("?" + "&".join(params) if params else "")


async def learner_run(i: int, base: str, args, start: float) -> Result:
    """Learner i arrives at i * stagger s, presses Play as soon as it can, and waits for the final figure."""
    seed = PAGE_DEFAULT_SEED if args.same_link else args.first_seed + i
    await asyncio.sleep(max(0.0, start + i * args.stagger - time.time()))
    learner = Learner(link(base, None if args.same_link else seed, args))
    problem = ()

    def left() -> float:
        return start + args.timeout - time.time()

    try:
        await learner.open()
        speed = None if args.speed == "Normal" else args.speed
        if await learner.wait_for(lambda: ready_to_play(learner, speed), left()):
            await learner.press("Play", speed=speed)
            # "Finished" (cheap to check) comes with the final caption, both drawn by the full rerun after the last step
            await learner.wait_for(lambda: learner.times.finished and FINAL_CAPTION in learner.main_text(), left())
    except (OSError, websockets.WebSocketException) as exc:
        problem = (f"connection: {exc!r}",)
    finally:
        await learner.close()
    result = collect(learner, seed, start)
    result.errors += problem
    finished = _fmt(result.after_play(result.finished_s))
    print(f"  learner {i + 1} done: finished {finished} s after Play", file=sys.stderr)
    return result


def ready_to_play(learner: Learner, speed: str | None) -> bool:
    """Play is drawn and enabled (and, to pick a speed, so is the speed control: the row arrives element by element)."""
    return learner.can_press("Play") and (speed is None or learner.widget("button_group", "Playback speed") is not None)


def collect(learner: Learner, seed: int, start: float) -> Result:
    """What the learner saw, with times relative to the class's start."""
    t, readout, shown = learner.times, learner.readout(), learner.number("Seed")
    return Result(
        seed,
        *(_rel(x, start) for x in (t.opened, t.first_paint, t.play, t.first_step, t.finished)),
        queued=t.queued,
        steps=readout.total if readout else None,
        loss=readout.loss if readout else None,
        represented=learner.represented(),
        seed_shown=None if shown is None else int(shown),
        errors=tuple(learner.exceptions),
    )


def _rel(t: float | None, start: float) -> float | None:
    return None if t is None else t - start


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"


async def warm_up(base: str) -> None:
    """Open / and the page once, so the measured learners find the server's imports and caches done."""
    for path in ("", PAGE):
        await visit(base + path)


async def run_class(base: str, args) -> tuple[list[Result], float]:
    start = time.time()
    results = await asyncio.gather(*(learner_run(i, base, args, start) for i in range(args.learners)))
    return list(results), time.time() - start


def own_result(r: Result, ref: tuple[str, str]) -> bool:
    return r.finished_s is not None and not r.errors and r.seed_shown == r.seed and (r.loss, r.represented) == ref


def report(results: list[Result], refs: dict, health: dict, memory: dict, cpu: dict, elapsed: float, args) -> bool:
    print(
        "| learner | seed | opened at (s) | panel drawn after opening (s) | pressed Play at (s) "
        "| first step after Play (s) | finished after Play (s) | steps | saw 'Queued' | loss (page) "
        "| loss (solo reference) | features represented (page / reference) | own result |"
    )
    print("| --- " * 13 + "|")
    good = 0
    for i, r in enumerate(results, start=1):
        ref = refs[(r.seed, r.steps)]
        ok = own_result(r, ref)
        good += ok
        drawn = None if r.drawn_s is None or r.open_s is None else r.drawn_s - r.open_s
        print(
            f"| {i} | {r.seed} | {_fmt(r.open_s)} | {_fmt(drawn)} | {_fmt(r.play_s)} "
            f"| {_fmt(r.after_play(r.first_step_s))} | {_fmt(r.after_play(r.finished_s))} "
            f"| {f'{r.steps:,}' if r.steps else '—'} | {'yes' if r.queued else 'no'} | {r.loss or '—'} | {ref[0]} "
            f"| {r.represented or '—'} / {ref[1]} | {'yes' if ok else '**no**'} |"
        )
    n = len(results)
    checks = [
        ("every learner finished with its own correct result", f"{good}/{n}", f"{n}/{n}", good == n),
        (
            "distinct results among the learners' configs (how well a mix-up would show)",
            f"{len(set(refs.values()))}",
            "—",
            None,
        ),
        *server_rows(health, memory),
    ]
    if args.goal_seconds:
        waits = [w for r in results if (w := r.after_play(r.finished_s)) is not None]
        checks.insert(0, goal_row(waits, n, args.goal_seconds))
    how = f"one every {args.stagger:g} s" if args.stagger else "all at once"
    which = "the same link (the page's default config and seed)" if args.same_link else "each its own seed"
    print(
        f"\n{n} websocket learners on {PAGE} ({which}; {'one density' if args.one_density else 'default sweep'}, "
        f"{f'{args.steps:,} steps' if args.steps else 'the page default steps'}, {args.speed}), arriving {how}; "
        f"all done {elapsed:.1f} s after the first arrived; load average now {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs\n"
    )
    server_cpu = "—" if cpu["server"] is None else f"{cpu['server']:.0f} s"
    print(
        f"CPU time during the class: server {server_cpu}; this client (all learners, probes) {cpu['client']:.1f} s.\n"
    )
    return print_checks(checks)


def parse_args(argv: list[str] | None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=10)
    parser.add_argument("--same-link", action="store_true", help="every learner opens the same plain link")
    parser.add_argument(
        "--first-seed", type=int, default=100, help="without --same-link: learner i trains first_seed + i"
    )
    parser.add_argument("--steps", type=int, choices=[1_000, 2_000, 5_000, 10_000], help="put in every link")
    parser.add_argument("--one-density", action="store_true", help="one model (p = 0.05) instead of the sweep")
    parser.add_argument("--speed", default="Normal", choices=["Slow", "Normal", "Fast"], help="playback speed")
    parser.add_argument("--stagger", type=float, default=0.0, help="seconds between learners arriving")
    parser.add_argument("--goal-seconds", type=float, help="each learner's figure must finish within this after Play")
    parser.add_argument("--timeout", type=float, default=300, help="seconds from the first arrival to give up")
    parser.add_argument("--url", help="use this running server instead of starting one")
    parser.add_argument("--pid", type=int, help="with --url: the server's process id, for memory and CPU figures")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    server = None if args.url else start_server(log_path=Path(tempfile.mkdtemp(prefix="spl-ws-load-")) / "server.log")
    base = (args.url or server.url).rstrip("/")
    pid = server.pid if server else args.pid
    print(f"server {base} (pid {pid}); load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    try:
        asyncio.run(warm_up(base))
        if server is not None and not server.wait_for_log(READY_LINE, 300):  # as load_test: measure a warm server
            print("the training kernel never became ready", file=sys.stderr)
        idle_mb = mb_of(pid) if pid else None
        sampler = MemorySampler(pid) if pid else None
        server_before, client_before = (cpu_seconds(pid) if pid else None), time.process_time()
        with HealthProbe(base) as probe, sampler or contextlib.nullcontext():
            results, elapsed = asyncio.run(run_class(base, args))
        cpu = {
            "server": cpu_seconds(pid) - server_before if pid else None,
            "client": time.process_time() - client_before,
        }
        memory = {
            "peak": sampler.hwm_mb() if sampler else None,
            "sampled": sampler and sampler.peak_mb,
            "idle": idle_mb,
        }
    finally:
        if server:
            server.stop()
    print("  computing solo references with core/ ...", file=sys.stderr)
    density = 0.05 if args.one_density else None
    configs = {(r.seed, r.steps) for r in results}
    refs = {(s, n): five_in_two_reference(s, density=density, steps=n or args.steps or 10_000) for s, n in configs}
    return 0 if report(results, refs, probe.summary(), memory, cpu, elapsed, args) else 1


if __name__ == "__main__":
    sys.exit(main())
