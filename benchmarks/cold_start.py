"""Cold start: from `streamlit run` to the first trained 5-in-2 figure on a machine that never compiled the kernel.

    python -m benchmarks.cold_start [--runs 3] [--app path/to/app.py] [--finish] [--floor]

Each run starts the app with an empty numba cache (NUMBA_CACHE_DIR set to a new temporary folder, so the
kernel compiles from scratch, as on a fresh Community Cloud container or a new laptop), opens /five-in-two
(the default sweep: 12 densities, best of 4 starts, 10,000 steps) as soon as the server answers, presses
Play as soon as it can, and records seconds since the `streamlit run` command started:
  health    the server answers /_stcore/health
  page      the page has run (its Play button can be pressed)
  trained   the readout shows a step above 0: the first trained figure is drawn
  finished  (with --finish) the run's 10,000 steps are done
and, from the server's log, how long the background compile took. --app runs another checkout's app.py
(e.g. one from before the numpy fallback) for a before/after comparison. --floor serves
benchmarks/floor_app.py instead: a Play button, a readout and one chart, nothing of this app, so the same marks
show what Streamlit and the browser alone take on this machine. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from rig.browser import launch_browser, open_session
from rig.live import press_play, wait_for_step_above, wait_until_finished
from rig.pages import goto_app
from rig.server import start_server

PAGE = "/five-in-two"
FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"
READY = re.compile(r"training kernel ready \(([\d.]+) s\)")


def server_app(app: Path | None) -> Path:
    """The folder of the app being served."""
    return (app or Path(__file__).resolve().parents[1] / "app.py").resolve().parent


def one_run(browser, app: Path | None, finish: bool, path: str = PAGE) -> dict:
    with tempfile.TemporaryDirectory(prefix="spl-numba-") as cache:
        t0 = time.perf_counter()
        server = start_server(app=app, extra_env={"NUMBA_CACHE_DIR": cache})
        marks = {"health": time.perf_counter() - t0}
        context, page = open_session(browser)
        try:
            goto_app(page, server.url + path, timeout_ms=180_000)
            if page.locator('[role="dialog"]').filter(has_text="Page not found").count():
                page.keyboard.press("Escape")  # an older checkout's streamlit#9992 box: close it, as a learner would
            marks["page"] = time.perf_counter() - t0
            press_play(page)
            wait_for_step_above(page, 0, timeout_ms=180_000)
            marks["trained"] = time.perf_counter() - t0
            if finish:
                wait_until_finished(page, timeout_ms=600_000)
                marks["finished"] = time.perf_counter() - t0
            found = None
            warmup = server_app(app) / "ui" / "warmup.py"
            if warmup.is_file() and "kernel ready" in warmup.read_text():  # older checkouts say nothing
                server.wait_for_log("kernel ready", 300)
                found = READY.search(server.log_tail(1_000_000))
            marks["compile"] = float(found.group(1)) if found else None
        finally:
            context.close()
            server.stop()
    return marks


def _fmt(values: list) -> str:
    got = [v for v in values if v is not None]
    if not got:
        return "–"
    return f"{statistics.median(got):.1f} ({min(got):.1f}–{max(got):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--app", type=Path, default=None, help="app.py to serve (default: this checkout's)")
    parser.add_argument("--finish", action="store_true", help="also wait for the run's 10,000 steps")
    parser.add_argument("--floor", action="store_true", help="serve benchmarks/floor_app.py: Streamlit's own cost")
    args = parser.parse_args()
    if args.floor and (args.app or args.finish):
        parser.error("--floor serves its own app and has no 10,000-step run: leave out --app and --finish")
    app, path = (FLOOR_APP, "/") if args.floor else (args.app, PAGE)
    print(f"load average at start: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    rows = []
    with sync_playwright() as pw:
        browser = launch_browser(pw)
        for i in range(args.runs):
            marks = one_run(browser, app, args.finish, path)
            print(f"run {i + 1}: " + ", ".join(f"{k} {v:.1f} s" for k, v in marks.items() if v is not None))
            rows.append(marks)
        browser.close()
    print(f"load average at end: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    for key in ("health", "page", "trained", "finished", "compile"):
        print(f"{key:>9}: {_fmt([r.get(key) for r in rows])} s (median, min–max of {len(rows)})")


if __name__ == "__main__":
    main()
