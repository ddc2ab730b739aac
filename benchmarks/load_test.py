"""Classroom load test (issues 8, 15, 18): N learners train at once on one server.

    python -m benchmarks.load_test [--learners 10] [--steps 10000] [--one-density] [--url URL --pid PID]
    python -m benchmarks.load_test --learners 30 --stagger 2 --speed Normal --goal-seconds 20

Starts the app (or uses --url; give --pid for memory figures), warms it up, then opens N browser
sessions (separate contexts of one headless Chromium) on /five-in-two, each with a DIFFERENT seed in its
URL (the page's default sweep otherwise; without --steps, the page's default length, which is shorter on
a crowded server), picks the playback speed and presses Play on all of them: all at once after all have
opened, or with --stagger S, learner i opens the link and presses Play S seconds after learner i-1 (a
class arriving over a minute). Each page records in the browser when its first step and "Finished"
appeared, so times do not depend on how often this script polls. While they train it
  - polls /_stcore/health every 0.2 s from a thread (latency of every answer; target: all < 1 s),
  - samples the server's resident memory every 0.2 s and reads its kernel high-water mark (VmHWM)
    at the end (process and children; target: peak < 1.5 GB),
  - notes which sessions were told "Queued" (the server's training-slot cap at work).
When all have finished (or --timeout), each session's final readout loss and "Features represented"
counts are compared with a solo reference: the same config (the steps the page trained) trained here
with core/, exactly as the page does (training is deterministic given config and seed). Equal numbers
for every session, each showing its own seed, mean no session saw another's state. With --goal-seconds,
every learner must also see the finished figure within that many seconds of pressing Play.
Prints markdown tables; exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from rig.browser import launch_browser, open_session, warm_up
from rig.live import (
    five_in_two_reference,
    parse_readout,
    play_buttons,
    press_play,
    read_readout,
    read_represented,
    set_speed,
)
from rig.pages import control_value, goto_app, main_text_content, wait_for_app
from rig.procfs import MemorySampler, mb_of
from rig.server import start_server
from ui.warmup import READY_LINE

HEALTH_TARGET_S = 1.0
MEMORY_TARGET_MB = 1500.0  # 1.5 GB, MB = 10^6 bytes


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (threads included)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class HealthProbe:
    """GET /_stcore/health every `every_s` seconds in a thread; records each latency (None = failed)."""

    def __init__(self, url: str, every_s: float = 0.2, timeout_s: float = 10.0):
        self.url, self.every_s, self.timeout_s = f"{url}/_stcore/health", every_s, timeout_s
        self.latencies: list[float | None] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="health-probe", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(self.url, timeout=self.timeout_s) as resp:
                    ok = resp.status == 200 and resp.read().strip() == b"ok"
            except OSError:
                ok = False
            self.latencies.append(time.perf_counter() - start if ok else None)
            self._stop.wait(max(0.0, self.every_s - (time.perf_counter() - start)))

    def __enter__(self) -> HealthProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=self.timeout_s + 1)

    def summary(self) -> dict:
        ok = sorted(x for x in self.latencies if x is not None)
        return {
            "samples": len(self.latencies),
            "failed": sum(x is None for x in self.latencies),
            "max": ok[-1] if ok else float("nan"),
            "p95": ok[int(0.95 * (len(ok) - 1))] if ok else float("nan"),
            "median": statistics.median(ok) if ok else float("nan"),
            "over": sum(x > HEALTH_TARGET_S for x in ok),
        }


def session_url(base: str, seed: int, steps: int | None, one_density: bool) -> str:
    url = f"{base}/five-in-two?f52_seed={seed}" + (f"&f52_steps={steps}" if steps else "")
    return url + ("&f52_mode=One+density&f52_density=0.05" if one_density else "")


# Installed in each page: every 0.2 s, note (ms since the epoch) when the live panel first shows a step above 0,
# first says "Queued" and first says "Finished".
_TIMES_JS = """() => {
  if (window.__splTimes) return;
  const times = window.__splTimes = {};
  setInterval(() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const text = main ? main.textContent : '';
    const m = text.match(/Step ([\\d,]+) of/);
    if (!times.firstStep && m && parseInt(m[1].replace(/,/g, ''), 10) > 0) times.firstStep = Date.now();
    if (!times.queued && text.includes('Queued:')) times.queued = Date.now();
    if (!times.finished && /Finished: [\\d,]+ steps/.test(text)) times.finished = Date.now();
  }, 200);
}"""


def open_learner(browser, base: str, seed: int, args):
    """A new session on this learner's link, speed picked, timers installed; returns its page."""
    _, page = open_session(browser)
    page.add_init_script(f"({_TIMES_JS})()")
    goto_app(page, session_url(base, seed, args.steps, args.one_density), timeout_ms=120_000)
    if args.speed != "Normal":
        set_speed(page, args.speed)
    return page


def arrive(browser, base: str, seed: int, args):
    """A learner follows the link (no waiting for the page: the script presses Play once it can)."""
    _, page = open_session(browser)
    page.add_init_script(f"({_TIMES_JS})()")
    page.goto(session_url(base, seed, args.steps, args.one_density), wait_until="commit", timeout=120_000)
    return page


def press_play_when_ready(page, args) -> bool:
    """Press Play if the page has drawn an enabled Play button (picking the speed first); False if not yet."""
    buttons = play_buttons(page)
    if not buttons.count() or not buttons.first.is_enabled():
        return False
    if args.speed != "Normal":
        set_speed(page, args.speed)
    press_play(page)
    return True


def read_finished(page, result: dict) -> None:
    """The finished page's numbers: loss, counts, seed shown, steps trained, any exception."""
    wait_for_app(page)
    readout = read_readout(page)
    result.update(
        loss=readout.loss,
        steps=readout.total,
        represented=read_represented(page),
        seed_shown=control_value(page, "f52_seed"),
        error=page.locator('[data-testid="stException"]').count() > 0,
    )


def train_all(browser, base: str, seeds: list[int], args) -> tuple[dict, float]:
    """Open one session per seed and press Play on each: all at once once all are open, or with --stagger one
    learner arriving every S seconds and pressing Play as soon as the page lets them. Wait for all.

    Returns {seed: result} (times in seconds from the first Play, or from the first arrival when staggered)
    and the seconds until the last one finished."""
    pages: dict[int, object] = {}
    results = {
        seed: {
            "open_s": None,
            "play_s": None,
            "finished_s": None,
            "first_step_s": None,
            "queued": False,
            "last_step": 0,
        }
        for seed in seeds
    }
    arriving = list(seeds) if args.stagger else []
    if not args.stagger:
        for seed in seeds:
            pages[seed] = open_learner(browser, base, seed, args)
        print(f"  {len(pages)} sessions open; pressing Play on all", file=sys.stderr)
    start = time.time()
    for seed, page in pages.items():
        press_play(page)
        results[seed]["play_s"] = time.time() - start
    while True:
        if arriving and time.time() - start >= args.stagger * (len(seeds) - len(arriving)):
            seed = arriving.pop(0)
            results[seed]["open_s"] = time.time() - start
            pages[seed] = arrive(browser, base, seed, args)
        for seed, page in pages.items():
            if results[seed]["play_s"] is None and press_play_when_ready(page, args):
                results[seed]["play_s"] = time.time() - start
                print(f"  seed {seed} pressed Play at {results[seed]['play_s']:.1f} s", file=sys.stderr)
        pending = [s for s in pages if results[s]["finished_s"] is None]
        if (not pending and not arriving) or time.time() - start > args.timeout:
            break
        for seed in pending:
            _poll(pages[seed], results[seed], start)
            if results[seed]["finished_s"] is not None:
                read_finished(pages[seed], results[seed])
                r = results[seed]
                print(f"  seed {seed} finished {r['finished_s'] - r['play_s']:.1f} s after its Play", file=sys.stderr)
        time.sleep(0.3)
    elapsed = time.time() - start
    for page in pages.values():
        page.context.close()
    return results, elapsed


def _poll(page, result: dict, start: float) -> None:
    times = page.evaluate("() => window.__splTimes || {}")
    for name, field in (("firstStep", "first_step_s"), ("finished", "finished_s")):
        if times.get(name) and result[field] is None:
            result[field] = times[name] / 1000 - start
    result["queued"] |= bool(times.get("queued"))
    readout = parse_readout(main_text_content(page))
    if readout:
        result["last_step"], result["total"] = readout.step, readout.total


def _after_play(r: dict, field: str) -> str:
    return "—" if r[field] is None or r["play_s"] is None else f"{r[field] - r['play_s']:.1f}"


def _session_row(i: int, seed: int, r: dict, ref: tuple[str, str]) -> tuple[str, bool]:
    ref_loss, ref_rep = ref
    ok = (
        r["finished_s"] is not None
        and not r.get("error")
        and r.get("seed_shown") == str(seed)
        and (r.get("loss"), r.get("represented")) == (ref_loss, ref_rep)
    )
    fin = _after_play(r, "finished_s") if r["finished_s"] is not None else f"not finished (step {r['last_step']:,})"
    rep = f"{r.get('represented', '—')} {'=' if r.get('represented') == ref_rep else '≠'} {ref_rep}"
    play = "—" if r["play_s"] is None else f"{r['play_s']:.1f}"
    steps = r.get("steps") or r.get("total")
    row = (
        f"| {i} | {seed} | {play} | {_after_play(r, 'first_step_s')} | {fin} | {f'{steps:,}' if steps else '—'} "
        f"| {'yes' if r['queued'] else 'no'} | {r.get('loss', '—')} | {ref_loss} | {rep} | {'yes' if ok else '**no**'} |"
    )
    return row, ok


def report(results: dict, references: dict, health: dict, memory: dict, cpu: dict, elapsed: float, args) -> bool:
    print(
        "| learner | seed | pressed Play at (s) | first step after Play (s) | finished after Play (s) | steps "
        "| saw 'Queued' | loss (page) | loss (solo reference) | features represented (page = reference) | own result |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    good = 0
    for i, (seed, r) in enumerate(results.items(), start=1):
        row, ok = _session_row(i, seed, r, references[seed])
        good += ok
        print(row)
    n = len(results)
    distinct = len(set(references.values()))
    checks = [
        ("every session finished with its own correct result", f"{good}/{n}", f"{n}/{n}", good == n),
        # How sensitive the check above is: two seeds whose references agree (to the digits a page shows) could
        # be swapped unseen. Not a target: it depends on the seeds, not on the server.
        ("seeds with distinct results (how well a mix-up would show)", f"{distinct} distinct of {n}", "—", None),
        *server_rows(health, memory),
    ]
    if args.goal_seconds:
        waits = [r["finished_s"] - r["play_s"] for r in results.values() if r["finished_s"] is not None]
        checks.insert(0, goal_row(waits, n, args.goal_seconds))
    steps = f"{args.steps:,} steps" if args.steps else "the page's default steps"
    how = f"one every {args.stagger:g} s" if args.stagger else "all at once"
    print(
        f"\n{n} learners, /five-in-two {'one density' if args.one_density else 'default sweep'}, {steps}, "
        f"{args.speed}, Play pressed {how}; last finished {elapsed:.1f} s after the first Play; "
        f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n"
    )
    if cpu["server"] is not None:
        print(
            f"Server CPU time while the sessions opened and trained: {cpu['server']:.0f} s; the same {n} runs trained "
            f"alone here (no page, no charts): {cpu['training_only']:.0f} s of CPU.\n"
        )
    return print_checks(checks)


Check = tuple[str, str, str, "bool | None"]  # criterion, measured, target, met (None: information only)


def server_rows(health: dict, memory: dict) -> list[Check]:
    """The health and memory rows every classroom benchmark reports."""
    return [
        (
            "health endpoint: slowest answer",
            f"{health['max']:.3f} s (p95 {health['p95']:.3f} s, median "
            f"{health['median']:.3f} s, {health['samples']} probes, {health['over']} over 1 s, "
            f"{health['failed']} failed)",
            "< 1 s",
            health["max"] < HEALTH_TARGET_S and not health["failed"],
        ),
        (
            "peak server memory (VmHWM, process tree)",
            "—"
            if memory["peak"] is None
            else f"{memory['peak']:.0f} MB (sampled RSS peak {memory['sampled']:.0f} MB; idle after warm-up "
            f"{memory['idle']:.0f} MB)",
            "< 1500 MB",
            None if memory["peak"] is None else memory["peak"] < MEMORY_TARGET_MB,
        ),
    ]


def goal_row(waits: list[float], n: int, goal_seconds: float) -> Check:
    """How many of ``n`` learners saw the finished figure within ``goal_seconds`` of Play (``waits``: the ones
    that finished)."""
    within = sum(w < goal_seconds for w in waits)
    slowest = f"slowest {max(waits):.1f} s, median {statistics.median(waits):.1f} s" if waits else "none finished"
    return (f"trained figure within {goal_seconds:g} s of Play", f"{within}/{n} ({slowest})", f"{n}/{n}", within == n)


def print_checks(checks: list[Check]) -> bool:
    """Print the criteria as a markdown table; True if none is missed."""
    print("| criterion | measured | target | met |\n| --- | --- | --- | --- |")
    for name, measured, target, ok in checks:
        print(f"| {name} | {measured} | {target} | {'—' if ok is None else 'yes' if ok else '**no**'} |")
    return all(ok is not False for *_, ok in checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", "--sessions", dest="sessions", type=int, default=10)
    parser.add_argument(
        "--steps", type=int, choices=[1_000, 2_000, 5_000, 10_000], help="put in every link (default: the page's)"
    )
    parser.add_argument("--one-density", action="store_true", help="one model (p = 0.05) instead of the sweep")
    parser.add_argument("--first-seed", type=int, default=100, help="session i trains seed first_seed + i")
    parser.add_argument("--speed", default="Fast", choices=["Slow", "Normal", "Fast"], help="playback speed")
    parser.add_argument("--stagger", type=float, default=0.0, help="seconds between learners opening and pressing Play")
    parser.add_argument("--goal-seconds", type=float, help="each learner's figure must finish within this after Play")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for all sessions")
    parser.add_argument("--url", help="use this running server instead of starting one")
    parser.add_argument("--pid", type=int, help="with --url: the server's process id, for memory figures")
    args = parser.parse_args(argv)

    log_path = Path(tempfile.mkdtemp(prefix="spl-load-")) / "server.log"
    server = None if args.url else start_server(log_path=log_path)
    base = (args.url or server.url).rstrip("/")
    pid = server.pid if server else args.pid
    seeds = [args.first_seed + i for i in range(args.sessions)]
    print(f"server {base} (pid {pid}); load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    try:
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            warm_up(browser, base, ["/five-in-two"])
            # A class arrives at a warm server: numba's compile holds the GIL for seconds (health answers wait),
            # and until it ends panels train with the slower numpy step. Measure after it, as before the numpy start.
            if server is not None and not server.wait_for_log(READY_LINE, 300):
                print("the training kernel never became ready", file=sys.stderr)
            idle_mb = mb_of(pid) if pid else None
            sampler = MemorySampler(pid) if pid else None
            cpu_before = cpu_seconds(pid) if pid else None
            with HealthProbe(base) as probe, sampler or contextlib.nullcontext():
                results, elapsed = train_all(browser, base, seeds, args)
            cpu_used = cpu_seconds(pid) - cpu_before if pid else None
            browser.close()
        memory = {
            "peak": sampler.hwm_mb() if sampler else None,
            "sampled": sampler.peak_mb if sampler else None,
            "idle": idle_mb,
        }
    finally:
        if server:
            server.stop()
    print("  computing solo references with core/ ...", file=sys.stderr)
    density = 0.05 if args.one_density else None
    start = time.process_time()
    references = {
        s: five_in_two_reference(s, density=density, steps=results[s].get("total") or args.steps or 10_000)
        for s in seeds
    }
    cpu = {"server": cpu_used, "training_only": time.process_time() - start}
    return 0 if report(results, references, probe.summary(), memory, cpu, elapsed, args) else 1


if __name__ == "__main__":
    sys.exit(main())
