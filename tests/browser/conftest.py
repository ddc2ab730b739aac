"""Browser test rig: a real `streamlit run` server and headless Debian Chromium driven by Playwright.

Fixtures
    streamlit_server  session: starts the app on a free loopback port, waits for /_stcore/health.
    app_url           session: the server's base URL, e.g. "http://127.0.0.1:45123" (no trailing slash).
    browser           session: Chromium at /usr/bin/chromium (Playwright never downloads a browser).
    page_log          per test: what the page did wrong (console errors, failed/external requests).
    page              per test: a fresh context + page (fresh Streamlit session) that fills page_log and
                      blocks every request to a host other than 127.0.0.1/localhost.

Helpers (import with `from .conftest import ...`)
    wait_for_app(page)         until Streamlit is connected and no script run is in progress.
    click_button(page, label)  click the st.button / st.form_submit_button with exactly this label.
    main_text(page)            the visible text of the main area (what a reader sees).

Environment
    SPL_APP_PATH   run this script instead of <repo>/app.py (cwd = its folder); handy for rig work.
    SPL_CHROMIUM   Chromium executable (default /usr/bin/chromium).
On failure a screenshot and the page log go to <repo>/test-artifacts/.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
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
SERVER_START_TIMEOUT_S = 60
APP_IDLE_TIMEOUT_MS = 60_000


# --------------------------------------------------------------------------- server


@dataclass
class StreamlitServer:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, n_chars: int = 6000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n_chars:]
        except OSError as exc:
            return f"<could not read {self.log_path}: {exc}>"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _app_path() -> Path:
    override = os.environ.get("SPL_APP_PATH")
    path = Path(override).expanduser() if override else REPO_ROOT / "app.py"
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path.resolve()


def _health_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    app = _app_path()
    if not app.is_file():
        pytest.fail(f"app script not found: {app}", pytrace=False)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",  # loopback only; also keeps Streamlit from looking up an external IP
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = dict(os.environ, PYTHONUNBUFFERED="1", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=app.parent, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = StreamlitServer(url=url, process=proc, log_path=log_path)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not _health_ok(url):
            if proc.poll() is not None:
                pytest.fail(
                    f"streamlit exited with code {proc.returncode} before answering health.\n"
                    f"command: {' '.join(cmd)}\n--- server output ---\n{server.log_tail()}",
                    pytrace=False,
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"streamlit did not answer {url}/_stcore/health within {SERVER_START_TIMEOUT_S} s.\n"
                    f"command: {' '.join(cmd)}\n--- server output ---\n{server.log_tail()}",
                    pytrace=False,
                )
            time.sleep(0.25)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture(scope="session")
def app_url(streamlit_server: StreamlitServer) -> str:
    return streamlit_server.url


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def _playwright():
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} not found: install Debian's chromium (bash scripts/test does) or set SPL_CHROMIUM.",
            pytrace=False,
        )
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# Streamlit's frontend, loaded at a page path such as /five-in-two, first probes
# <path>/_stcore/health and <path>/_stcore/host-config to find the server's base path
# and gets 404s before it tries /_stcore/... . Those two 404s (and only those) are expected.
_BASE_PATH_PROBE = re.compile(r"^/.+/_stcore/(health|host-config)$")


def _is_base_path_probe(url: str) -> bool:
    return bool(_BASE_PATH_PROBE.match(urlsplit(url).path))


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


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome", "chrome-extension"):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


@pytest.fixture
def page(browser, page_log: PageLog, request: pytest.FixtureRequest):
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def route_handler(route):
        url = route.request.url
        if _is_local(url):
            route.continue_()
        else:
            page_log.external_requests.append(f"{route.request.method} {url}")
            route.abort()

    context.route("**/*", route_handler)
    page = context.new_page()

    def on_console(msg):
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if where and _is_base_path_probe(where) and "404" in msg.text:
            return
        page_log.console_errors.append(f"{msg.text} ({where})" if where else msg.text)

    def on_request_failed(req):
        if _is_local(req.url):  # external ones are already in external_requests
            page_log.failed_requests.append(f"{req.method} {req.url}: {req.failure}")

    def on_response(resp):
        if resp.status >= 400 and not (resp.status == 404 and _is_base_path_probe(resp.url)):
            page_log.failed_requests.append(f"{resp.request.method} {resp.url}: HTTP {resp.status}")

    def on_websocket(ws):
        if not _is_local(ws.url):
            page_log.external_requests.append(f"WEBSOCKET {ws.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: page_log.page_errors.append(str(exc)))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    page.on("websocket", on_websocket)

    yield page

    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as exc:  # a screenshot is a courtesy; never mask the real failure
            print(f"could not save screenshot: {exc}")
        (ARTIFACTS / f"{name}.log.txt").write_text("\n".join(page_log.problems()) or "(page log clean)\n")
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --------------------------------------------------------------------------- helpers

# True when Streamlit is connected and idle: no script (or fragment) run in progress,
# no "Running..." status widget, no stale elements left from a run, and at least one
# element rendered in the main area (so the first run has happened).
_APP_IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  return !!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]');
}"""


def wait_for_app(page, timeout_ms: int = APP_IDLE_TIMEOUT_MS) -> None:
    """Wait until the Streamlit app is connected and has finished running (see _APP_IDLE_JS)."""
    page.wait_for_function(_APP_IDLE_JS, timeout=timeout_ms)


def goto_app(page, url: str, timeout_ms: int = APP_IDLE_TIMEOUT_MS) -> None:
    """Open url and wait for the app's first run to finish."""
    page.goto(url)
    wait_for_app(page, timeout_ms)


def click_button(page, label: str, *, wait: bool = True, timeout_ms: int = APP_IDLE_TIMEOUT_MS) -> None:
    """Click the one st.button / st.form_submit_button whose label is exactly `label`.

    Icons (material or emoji) don't count toward the label. With wait=True, waits for the
    rerun the click triggers to finish.
    """
    buttons = page.locator('[data-testid="stButton"], [data-testid="stFormSubmitButton"]')
    button = buttons.get_by_role("button", name=label, exact=True)
    button.click(timeout=timeout_ms)  # strict: fails if no or several buttons match
    if wait:
        # Give the frontend a moment to register the rerun, then wait for it to end.
        with contextlib.suppress(PlaywrightTimeoutError):  # the rerun may already be over: fine
            page.wait_for_function(
                "() => document.querySelector('[data-testid=\"stApp\"]')"
                "?.getAttribute('data-test-script-state') !== 'notRunning'",
                timeout=1000,
            )
        wait_for_app(page, timeout_ms)


def main_text(page) -> str:
    """The rendered text of the main area (the sidebar excluded), as a reader sees it."""
    return page.locator('[data-testid="stMain"]').inner_text()
