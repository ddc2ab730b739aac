"""Time to first paint and to a finished default figure, for every page (issue 7).

    python -m benchmarks.first_paint [--loads 5] [--url http://127.0.0.1:8501] [--pages / /five-in-two]

Starts the app (or uses --url), warms the server up by visiting every page once, then loads each page
--loads times, each in a fresh browser context (a new visitor: empty browser cache, new Streamlit session),
and reports the median (and range) of, measured from navigation start in the browser:
  title    the page's h1 is in the DOM with text: the first meaningful paint;
  figure   the first chart is drawn (a Vega-Lite chart's SVG or canvas);
  figures  the last chart of the page's first run is drawn (the default view complete).
Pages are found in app.py like the browser tests do. Target: title under 1.5 s on every page.
The machine's load average is printed: on a shared machine the numbers are noisy.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import sync_playwright

from rig.browser import launch_browser, open_session, warm_up
from rig.pages import discover_pages, wait_for_app
from rig.server import start_server

TARGET_S = 1.5

# Records performance.now() (ms since navigation start) when the title and the charts appear.
MARKS_JS = """(() => {
  const marks = window.__splMarks = {title: null, figure: null, figures: null, charts: 0};
  const check = () => {
    const main = document.querySelector('[data-testid="stMain"]');
    if (!main) return;
    if (marks.title === null) {
      const h1 = main.querySelector('h1');
      if (h1 && h1.textContent.trim()) marks.title = performance.now();
    }
    const charts = main.querySelectorAll(
      '[data-testid="stVegaLiteChart"] svg.marks, [data-testid="stVegaLiteChart"] canvas').length;
    if (charts > marks.charts) {
      marks.charts = charts;
      marks.figures = performance.now();
      if (marks.figure === null) marks.figure = marks.figures;
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true});
})();"""


# Every chart container of the page holds a drawn chart.
CHARTS_DRAWN_JS = """() => {
  const boxes = document.querySelectorAll('[data-testid="stMain"] [data-testid="stVegaLiteChart"]');
  return [...boxes].every(b => b.querySelector('svg.marks, canvas'));
}"""


def measure(browser, url: str) -> dict:
    context, page = open_session(browser)
    try:
        context.add_init_script(MARKS_JS)
        page.goto(url)
        wait_for_app(page, timeout_ms=120_000)
        with contextlib.suppress(PlaywrightTimeoutError):  # charts are drawn after the run ends
            page.wait_for_function(CHARTS_DRAWN_JS, timeout=30_000, polling=100)
        marks = page.evaluate("window.__splMarks")
        marks["error"] = page.locator('[data-testid="stException"]').count() > 0
        return marks
    finally:
        context.close()


def _fmt(values: list[float | None]) -> str:
    got = [v for v in values if v is not None]
    if not got:
        return "–"
    if len(got) < len(values):
        return f"{statistics.median(got):.2f} ({len(got)}/{len(values)} loads)"
    return f"{statistics.median(got):.2f} ({min(got):.2f}–{max(got):.2f})"


def run(browser, base: str, pages: list[str], loads: int) -> list[dict]:
    warm_up(browser, base, pages)
    rows = []
    for path in pages:
        samples = [measure(browser, base + path) for _ in range(loads)]
        secs = {k: [None if s[k] is None else s[k] / 1000 for s in samples] for k in ("title", "figure", "figures")}
        charts = max(s["charts"] for s in samples)
        rows.append({"page": path, "charts": charts, "error": any(s["error"] for s in samples), **secs})
        print(f"  {path}: title {_fmt(secs['title'])} s", file=sys.stderr)
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| page | first paint: title (s) | first figure (s) | all figures (s) | charts | title < 1.5 s |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        titles = [t for t in r["title"] if t is not None]
        ok = bool(titles) and len(titles) == len(r["title"]) and statistics.median(titles) < TARGET_S
        lines.append(
            f"| `{r['page']}` | {_fmt(r['title'])} | {_fmt(r['figure'])} | {_fmt(r['figures'])} | {r['charts']} "
            f"| {'yes' if ok else '**no**'}{' (the page showed an exception)' if r['error'] else ''} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loads", type=int, default=5, help="loads per page (median reported)")
    parser.add_argument("--url", help="use this running server instead of starting one")
    parser.add_argument("--pages", nargs="*", help="URL paths (default: every page in app.py)")
    args = parser.parse_args(argv)

    pages = args.pages or discover_pages()
    server = None if args.url else start_server()
    base = (args.url or server.url).rstrip("/")
    load_before = os.getloadavg()[0]
    try:
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            rows = run(browser, base, pages, args.loads)
            browser.close()
    finally:
        if server:
            server.stop()
    print(table(rows))
    print(
        f"\nmedian of {args.loads} loads per page, fresh browser context each, server warm; "
        f"seconds from navigation start; load average {load_before:.1f} -> {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs"
    )
    worst = max((statistics.median([t for t in r["title"] if t is not None] or [99]) for r in rows), default=0)
    return 0 if worst < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
