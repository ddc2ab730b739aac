"""Classroom load test (issue 8): N learners train at once on one server.

    python -m benchmarks.load_test [--sessions 10] [--steps 10000] [--one-density] [--url URL --pid PID]

Starts the app (or uses --url; give --pid for memory figures), warms it up, then opens N browser
sessions (separate contexts) on /five-in-two, each with a DIFFERENT seed in its URL (the paper's
10-density sweep by default), picks "Fast" playback and presses Play on all of them. While they train it
  - polls /_stcore/health every 0.2 s from a thread (latency of every answer; target: all < 1 s),
  - samples the server's resident memory every 0.2 s and reads its kernel high-water mark (VmHWM)
    at the end (process and children; target: peak < 1.5 GB),
  - notes which sessions were told "Queued" (the server's training-slot cap at work).
When all have finished (or --timeout), each session's final readout loss and "Features represented"
counts are compared with a solo reference: the same config trained here with core/, exactly as the
page does (training is deterministic given config and seed). Equal numbers for every session, each
showing its own seed, mean no session saw another's state.
Prints markdown tables; exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import threading
import time
import urllib.request

from playwright.sync_api import sync_playwright

from rig.browser import launch_browser, open_session, warm_up
from rig.live import (
    FINISHED_RE,
    QUEUED_TEXT,
    five_in_two_reference,
    parse_readout,
    press_play,
    read_readout,
    read_represented,
    set_speed,
)
from rig.pages import control_value, goto_app, main_text_content, wait_for_app
from rig.procfs import MemorySampler, mb_of
from rig.server import start_server

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


def session_url(base: str, seed: int, steps: int, one_density: bool) -> str:
    url = f"{base}/five-in-two?f52_seed={seed}&f52_steps={steps}"
    return url + ("&f52_mode=One+density&f52_density=0.05" if one_density else "")


def train_all(browser, base: str, seeds: list[int], args) -> tuple[dict, float]:
    """Open one session per seed, press Play on all, wait for all; {seed: result}, seconds to finish."""
    pages = {}
    for seed in seeds:
        _, page = open_session(browser)
        goto_app(page, session_url(base, seed, args.steps, args.one_density), timeout_ms=120_000)
        set_speed(page, "Fast")
        pages[seed] = page
    print(f"  {len(pages)} sessions open; pressing Play on all", file=sys.stderr)
    start = time.monotonic()
    for page in pages.values():
        press_play(page)
    results = {seed: {"queued": False, "finished_s": None, "first_step_s": None, "last_step": 0} for seed in seeds}
    while time.monotonic() - start < args.timeout:
        pending = [s for s in seeds if results[s]["finished_s"] is None]
        if not pending:
            break
        for seed in pending:
            text = main_text_content(pages[seed])
            results[seed]["queued"] |= QUEUED_TEXT in text
            readout = parse_readout(text)
            if readout and readout.step:
                results[seed]["last_step"] = readout.step
                if results[seed]["first_step_s"] is None:
                    results[seed]["first_step_s"] = time.monotonic() - start
            if FINISHED_RE.search(text):
                results[seed]["finished_s"] = time.monotonic() - start
                wait_for_app(pages[seed])
                results[seed].update(
                    loss=read_readout(pages[seed]).loss,
                    represented=read_represented(pages[seed]),
                    seed_shown=control_value(pages[seed], "f52_seed"),
                    error=pages[seed].locator('[data-testid="stException"]').count() > 0,
                )
                print(f"  seed {seed} finished after {results[seed]['finished_s']:.1f} s", file=sys.stderr)
        time.sleep(0.5)
    elapsed = time.monotonic() - start
    for page in pages.values():
        page.context.close()
    return results, elapsed


def report(results: dict, references: dict, health: dict, memory: dict, cpu: dict, elapsed: float, args) -> bool:
    print(
        "| session | seed | first step after (s) | finished after (s) | saw 'Queued' | loss (page) | loss (solo reference) "
        "| features represented (page = reference) | own result |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    good = 0
    for i, (seed, r) in enumerate(results.items(), start=1):
        ref_loss, ref_rep = references[seed]
        ok = (
            r["finished_s"] is not None
            and not r.get("error")
            and r.get("seed_shown") == str(seed)
            and (r.get("loss"), r.get("represented")) == (ref_loss, ref_rep)
        )
        good += ok
        fin = f"not finished (step {r['last_step']:,})" if r["finished_s"] is None else f"{r['finished_s']:.1f}"
        first = "—" if r["first_step_s"] is None else f"{r['first_step_s']:.1f}"
        rep = f"{r.get('represented', '—')} {'=' if r.get('represented') == ref_rep else '≠'} {ref_rep}"
        print(
            f"| {i} | {seed} | {first} | {fin} | {'yes' if r['queued'] else 'no'} | {r.get('loss', '—')} | {ref_loss} "
            f"| {rep} | {'yes' if ok else '**no**'} |"
        )
    n = len(results)
    distinct = len(set(references.values()))
    mem_ok = memory["peak"] < MEMORY_TARGET_MB if memory["peak"] is not None else None
    checks = [
        ("every session finished with its own correct result", f"{good}/{n}", f"{n}/{n}", good == n),
        ("results differ by seed (so a mix-up would show)", f"{distinct} distinct of {n}", f"{n}", distinct == n),
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
            mem_ok,
        ),
    ]
    print(
        f"\n{n} sessions, /five-in-two {'one density' if args.one_density else '10-density sweep'}, "
        f"{args.steps:,} steps each, Fast; all done in {elapsed:.1f} s; "
        f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n"
    )
    if cpu["server"] is not None:
        print(
            f"Server CPU time while the sessions opened and trained: {cpu['server']:.0f} s; the same {n} runs trained alone here (no page, "
            f"no charts): {cpu['training_only']:.0f} s of CPU.\n"
        )
    print("| criterion | measured | target | met |\n| --- | --- | --- | --- |")
    for name, measured, target, ok in checks:
        print(f"| {name} | {measured} | {target} | {'—' if ok is None else 'yes' if ok else '**no**'} |")
    return all(ok is not False for *_, ok in checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--steps", type=int, default=10_000, choices=[1_000, 2_000, 5_000, 10_000])
    parser.add_argument("--one-density", action="store_true", help="one model (p = 0.05) instead of the sweep")
    parser.add_argument("--first-seed", type=int, default=100, help="session i trains seed first_seed + i")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for all sessions")
    parser.add_argument("--url", help="use this running server instead of starting one")
    parser.add_argument("--pid", type=int, help="with --url: the server's process id, for memory figures")
    args = parser.parse_args(argv)

    server = None if args.url else start_server()
    base = (args.url or server.url).rstrip("/")
    pid = server.pid if server else args.pid
    seeds = [args.first_seed + i for i in range(args.sessions)]
    print(f"server {base} (pid {pid}); load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    try:
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            warm_up(browser, base, ["/five-in-two"])
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
    references = {s: five_in_two_reference(s, density=density, steps=args.steps) for s in seeds}
    cpu = {"server": cpu_used, "training_only": time.process_time() - start}
    return 0 if report(results, references, probe.summary(), memory, cpu, elapsed, args) else 1


if __name__ == "__main__":
    sys.exit(main())
