"""Headless Debian Chromium driven by Playwright: launch it, open logged, offline sessions, warm a server up.

Every session blocks requests to hosts other than loopback and records what a clean app never does
(console errors, failed or external requests) in a PageLog.

Environment: SPL_CHROMIUM is the Chromium executable (default /usr/bin/chromium; Playwright never
downloads a browser).

warm_up() loads "/" (and any extra paths) once in a throwaway session, so the server has imported everything
and filled its caches before a measured or tested session starts. (It was once also the workaround for
streamlit#9992, a "Page not found" box over a first deep link; the page files' folder is no longer named
pages/, which caused it, and tests/browser/test_deep_link.py checks a cold server.)
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rig.pages import goto_app

CHROMIUM = os.environ.get("SPL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
VIEWPORT = {"width": 1280, "height": 900}


def launch_browser(pw):
    if not os.access(CHROMIUM, os.X_OK):
        raise FileNotFoundError(
            f"{CHROMIUM} not found: install Debian's chromium (bash scripts/test does) or set SPL_CHROMIUM."
        )
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# Streamlit's frontend, loaded at a page path such as /five-in-two, first probes
# <path>/_stcore/health and <path>/_stcore/host-config to find the server's base path
# and gets 404s before it tries /_stcore/... . Those two 404s (and only those) are expected.
_BASE_PATH_PROBE = re.compile(r"^/.+/_stcore/(health|host-config)$")


def _is_base_path_probe(url: str) -> bool:
    return bool(_BASE_PATH_PROBE.match(urlsplit(url).path))


# Streamlit's Vega frontend can throw this when a chart is redrawn while its previous data is
# still arriving (streamlit/streamlit#11342, #11906). It is transient (the next redraw shows the
# chart) and comes from the frontend, not from this app. Only this exact message is tolerated.
_UPSTREAM_CHART_RACE = re.compile(r"^(Error: )?Unrecognized data set: [0-9a-f]+$")


def _is_upstream_chart_race(text: str) -> bool:
    return bool(_UPSTREAM_CHART_RACE.match(text.strip()))


@dataclass
class PageLog:
    """What a page did that a clean app never does. Each entry is a readable string."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)  # uncaught JS exceptions
    failed_requests: list[str] = field(default_factory=list)  # network failures and HTTP >= 400
    external_requests: list[str] = field(default_factory=list)  # blocked: host not loopback

    def problems(self) -> list[str]:
        return (
            [f"console error: {e}" for e in self.console_errors]
            + [f"page error: {e}" for e in self.page_errors]
            + [f"failed request: {e}" for e in self.failed_requests]
            + [f"external request (blocked): {e}" for e in self.external_requests]
        )

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "the page was not clean:\n  " + "\n  ".join(problems)


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome", "chrome-extension"):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


def open_session(browser, log: PageLog | None = None, color_scheme: str | None = None, viewport: dict | None = None):
    """A new browser context and page (so a new Streamlit session) that blocks, and logs into `log`,
    every request to a non-loopback host, and records console errors and failed requests.
    ``viewport`` (width, height) defaults to VIEWPORT, a laptop screen."""
    log = log if log is not None else PageLog()
    scheme = {"color_scheme": color_scheme} if color_scheme else {}  # "dark" / "light": the OS preference to fake
    context = browser.new_context(viewport=viewport or VIEWPORT, accept_downloads=True, **scheme)
    context.route("**/*", lambda route: _local_only(route, log))
    page = context.new_page()
    page.on("console", lambda msg: _on_console(msg, log))
    page.on("pageerror", lambda exc: _on_page_error(exc, log))
    page.on("requestfailed", lambda req: _on_request_failed(req, log))
    page.on("response", lambda resp: _on_response(resp, log))
    page.on("websocket", lambda ws: _on_websocket(ws, log))
    return context, page


def _local_only(route, log: PageLog) -> None:
    """Let loopback requests through; abort (and log) any other: the app must work offline."""
    url = route.request.url
    if _is_local(url):
        route.continue_()
    else:
        log.external_requests.append(f"{route.request.method} {url}")
        route.abort()


def _on_console(msg, log: PageLog) -> None:
    if msg.type != "error":
        return
    where = (msg.location or {}).get("url", "")
    if where and _is_base_path_probe(where) and "404" in msg.text:
        return
    if _is_upstream_chart_race(msg.text.removeprefix("Uncaught (in promise) ")):
        return
    log.console_errors.append(f"{msg.text} ({where})" if where else msg.text)


def _on_page_error(exc, log: PageLog) -> None:
    if not _is_upstream_chart_race(str(exc)):
        log.page_errors.append(str(exc))


def _on_request_failed(req, log: PageLog) -> None:
    if _is_local(req.url):  # external ones are already in external_requests
        log.failed_requests.append(f"{req.method} {req.url}: {req.failure}")


def _on_response(resp, log: PageLog) -> None:
    if resp.status >= 400 and not (resp.status == 404 and _is_base_path_probe(resp.url)):
        log.failed_requests.append(f"{resp.request.method} {resp.url}: HTTP {resp.status}")


def _on_websocket(ws, log: PageLog) -> None:
    if not _is_local(ws.url):
        log.external_requests.append(f"WEBSOCKET {ws.url}")


def warm_up(browser, url: str, paths: list[str] | None = None) -> None:
    """Load "/" (then any `paths`) once in a throwaway session, waiting for each to finish running.

    Measurements and tests then start on a server that has done its imports and filled its caches.
    """
    context, page = open_session(browser)
    try:
        for path in ["/", *(paths or [])]:
            goto_app(page, url + path, timeout_ms=120_000)
    finally:
        context.close()
