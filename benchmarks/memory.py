"""Server memory with one learner who visits every page (issue 8, Community Cloud's smallest tier).

    python -m benchmarks.memory [--play-seconds 5] [--budget-mb 690]

Starts a fresh server (so its high-water mark belongs to this scenario alone), then one browser
session opens "/" and moves through every page of app.py by the sidebar links (one Streamlit session,
as a learner would), pressing Play where there is a Play button and letting it train --play-seconds
before pausing. Reports the server's resident memory after each page and its peak: the kernel's
high-water mark VmHWM (process and children), next to the budget. Exits 1 if the peak is over it.
MB = 10^6 bytes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from playwright.sync_api import sync_playwright

from rig.browser import launch_browser, open_session
from rig.live import play_buttons, press_play, read_step, wait_for_step_above
from rig.pages import assert_no_exception, button_name, discover_pages, goto_app, wait_for_app
from rig.procfs import MemorySampler, mb_of
from rig.server import start_server


def visit(page, base: str, path: str, play_seconds: float) -> str:
    """Open `path` by its sidebar link, train a while if it can; a note on what happened."""
    if path != "/":
        page.locator(f'[data-testid="stSidebarNavLink"][href="{base}{path}"]').click()
        page.wait_for_url(f"{base}{path}*", timeout=60_000)
    wait_for_app(page, timeout_ms=120_000)
    try:
        assert_no_exception(page)
    except AssertionError:
        return "the page shows an exception"
    if not play_buttons(page).count():
        return "no live training"
    before = read_step(page)
    press_play(page)
    wait_for_step_above(page, before)
    time.sleep(play_seconds)
    pause = page.get_by_role("button", name=button_name("Pause")).first
    if pause.is_enabled():
        pause.click()
    wait_for_app(page, timeout_ms=120_000)
    return f"trained {before:,} -> {read_step(page):,} steps"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--play-seconds", type=float, default=5.0)
    parser.add_argument("--budget-mb", type=float, default=690.0)
    args = parser.parse_args(argv)

    server = start_server()
    base = server.url
    rows = [("(server started, no session yet)", mb_of(server.pid), mb_of(server.pid), "")]
    try:
        with sync_playwright() as pw, MemorySampler(server.pid) as sampler:
            browser = launch_browser(pw)
            context, page = open_session(browser)
            goto_app(page, base + "/", timeout_ms=120_000)
            for path in discover_pages():
                sampler.new_window()
                note = visit(page, base, path, args.play_seconds)
                rows.append((f"`{path}`", mb_of(server.pid), sampler.window_peak_mb, note))
                print(f"  {path}: {rows[-1][1]:.0f} MB (peak {rows[-1][2]:.0f}), {note}", file=sys.stderr)
            context.close()
            browser.close()
        peak = sampler.hwm_mb()
    finally:
        server.stop()

    print("| after visiting | server RSS after (MB) | peak during the visit (MB, sampled) | note |")
    print("| --- | --- | --- | --- |")
    for what, mb, window_peak, note in rows:
        print(f"| {what} | {mb:.0f} | {window_peak:.0f} | {note} |")
    ok = peak < args.budget_mb
    print(
        f"\npeak server memory (VmHWM): **{peak:.0f} MB** (sampled RSS peak {sampler.peak_mb:.0f} MB) "
        f"vs budget {args.budget_mb:.0f} MB: {'within' if ok else '**over**'}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
