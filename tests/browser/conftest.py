"""Browser test rig: a real `streamlit run` server and headless Debian Chromium driven by Playwright.

Fixtures
    streamlit_server  session: starts the app on a free loopback port, waits for /_stcore/health, then
                      warms it up (see warm_up) so deep links work from the first test on.
    app_url           session: the server's base URL, e.g. "http://127.0.0.1:45123" (no trailing slash).
    browser           session: Chromium at /usr/bin/chromium (Playwright never downloads a browser).
    page_log          per test: what the page did wrong (console errors, failed/external requests).
    page              per test: a fresh context + page (fresh Streamlit session) that fills page_log and
                      blocks every request to a host other than 127.0.0.1/localhost.
    new_session       per test: a factory; new_session() -> (page, page_log) opens one more independent
                      session (own browser context, own log, same blocking), closed after the test.

Plain helpers (no pytest needed; benchmarks/ import them too)
    start_server(), launch_browser(), open_session(), warm_up(), discover_pages()
    wait_for_app(page), goto_app(page, url), click_button(page, label), main_text(page)
    read_readout(page), wait_for_step_above(page, n), wait_until_finished(page), set_speed(page, label),
    press_play(page), control_values(page, keys), five_in_two_reference(...), process memory and sockets.

Known Streamlit issue (streamlit/streamlit#9992): in the FIRST browser session after a server starts,
opening a deep link such as /five-in-two shows a "Page not found" modal over the right page, and the
page behind it ignores clicks. warm_up() loads "/" once in a throwaway session so tests never hit it.

The server runs with the app's own .streamlit/config.toml (usage statistics are switched off there, not
here), so the offline test checks the shipped configuration; the browser blocks external requests anyway.

Environment
    SPL_APP_PATH   run this script instead of <repo>/app.py (cwd = its folder); handy for rig work.
    SPL_CHROMIUM   Chromium executable (default /usr/bin/chromium).
On failure a screenshot and the page log go to <repo>/test-artifacts/.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
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
VIEWPORT = {"width": 1280, "height": 900}


# --------------------------------------------------------------------------- pages


def _app_path() -> Path:
    override = os.environ.get("SPL_APP_PATH")
    path = Path(override).expanduser() if override else REPO_ROOT / "app.py"
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path.resolve()


def discover_pages() -> list[str]:
    """URL paths of every page app.py routes: "/" (the home page) plus each chapter's url_path.

    Read from the chapter registry app.py builds its navigation from, so a new chapter is covered
    without touching the tests.
    """
    from ui.registry import CHAPTERS

    return ["/"] + ["/" + ch.url_path for ch in CHAPTERS]


# --------------------------------------------------------------------------- server


class ServerError(RuntimeError):
    """The app server did not start (the message holds its output)."""


@dataclass
class StreamlitServer:
    url: str
    process: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, n_chars: int = 6000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n_chars:]
        except OSError as exc:
            return f"<could not read {self.log_path}: {exc}>"

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def start_server(
    app: Path | None = None,
    log_path: Path | None = None,
    extra_env: dict[str, str] | None = None,
    timeout_s: float = SERVER_START_TIMEOUT_S,
) -> StreamlitServer:
    """`streamlit run` the app on a free loopback port and wait for its health endpoint.

    Raises ServerError (with the server's output) if it exits or does not answer in time.
    """
    app = app or _app_path()
    if not app.is_file():
        raise ServerError(f"app script not found: {app}")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    if log_path is None:
        log_path = Path(tempfile.mkdtemp(prefix="spl-server-")) / "server.log"
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
    ]
    # Usage statistics stay as the app's config sets them (the offline test checks that they are off).
    env = {k: v for k, v in os.environ.items() if k != "STREAMLIT_BROWSER_GATHER_USAGE_STATS"}
    env.update(PYTHONUNBUFFERED="1", **(extra_env or {}))
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=app.parent, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = StreamlitServer(url=url, process=proc, log_path=log_path)
    deadline = time.monotonic() + timeout_s
    while not health_ok(url):
        problem = None
        if proc.poll() is not None:
            problem = f"streamlit exited with code {proc.returncode} before answering health."
        elif time.monotonic() > deadline:
            problem = f"streamlit did not answer {url}/_stcore/health within {timeout_s:.0f} s."
        if problem:
            server.stop()
            raise ServerError(f"{problem}\ncommand: {' '.join(cmd)}\n--- server output ---\n{server.log_tail()}")
        time.sleep(0.25)
    return server


def warm_up(browser, url: str, paths: list[str] | None = None) -> None:
    """Load "/" (then any `paths`) once in a throwaway session, waiting for each to finish running.

    Works around streamlit/streamlit#9992: the first session after a server start that opens a deep
    link gets a "Page not found" modal and an inert page. Extra paths also fill the server's caches.
    """
    context, page = open_session(browser)
    try:
        for path in ["/", *(paths or [])]:
            goto_app(page, url + path, timeout_ms=120_000)
    finally:
        context.close()


# --------------------------------------------------------------------------- process facts (Linux /proc)


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{task}/children") as f:
                kids += [int(x) for x in f.read().split()]
    return kids


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += _children(p)
    return out


def status_kb(pid: int, field_name: str) -> int:
    """A "VmRSS"/"VmHWM"-style field of /proc/<pid>/status in kB (0 if the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _hex_addr(text: str) -> str:
    """An address from /proc/net/tcp{,6} (hex, kernel byte order) as text."""
    raw = bytes.fromhex(text)
    if len(raw) == 4:
        return str(ipaddress.IPv4Address(raw[::-1]))
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
    return str(ipaddress.IPv6Address(words))


def _is_loopback(addr: str) -> bool:
    ip = ipaddress.ip_address(addr)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_unspecified


def external_peers(pid: int) -> list[str]:
    """Non-loopback remote ends of the TCP sockets the process tree holds right now."""
    inodes = set()
    for p in process_tree(pid):
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{p}/fd"):
                with contextlib.suppress(OSError):
                    target = os.readlink(f"/proc/{p}/fd/{fd}")
                    if target.startswith("socket:["):
                        inodes.add(target[8:-1])
    peers = []
    for table in ("tcp", "tcp6"):
        with contextlib.suppress(OSError), open(f"/proc/{pid}/net/{table}") as f:
            for line in list(f)[1:]:
                cols = line.split()
                if cols[9] not in inodes:
                    continue
                host, port = cols[2].split(":")
                addr = _hex_addr(host)
                if not _is_loopback(addr):
                    peers.append(f"{addr}:{int(port, 16)}")
    return peers


# --------------------------------------------------------------------------- browser and sessions


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


def open_session(browser, log: PageLog | None = None):
    """A new browser context and page (so a new Streamlit session) that blocks, and logs into `log`,
    every request to a non-loopback host, and records console errors and failed requests."""
    log = log if log is not None else PageLog()
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)

    def route_handler(route):
        url = route.request.url
        if _is_local(url):
            route.continue_()
        else:
            log.external_requests.append(f"{route.request.method} {url}")
            route.abort()

    context.route("**/*", route_handler)
    page = context.new_page()

    def on_console(msg):
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if where and _is_base_path_probe(where) and "404" in msg.text:
            return
        if _is_upstream_chart_race(msg.text.removeprefix("Uncaught (in promise) ")):
            return
        log.console_errors.append(f"{msg.text} ({where})" if where else msg.text)

    def on_request_failed(req):
        if _is_local(req.url):  # external ones are already in external_requests
            log.failed_requests.append(f"{req.method} {req.url}: {req.failure}")

    def on_response(resp):
        if resp.status >= 400 and not (resp.status == 404 and _is_base_path_probe(resp.url)):
            log.failed_requests.append(f"{resp.request.method} {resp.url}: HTTP {resp.status}")

    def on_websocket(ws):
        if not _is_local(ws.url):
            log.external_requests.append(f"WEBSOCKET {ws.url}")

    page.on("console", on_console)

    def on_page_error(exc):
        if not _is_upstream_chart_race(str(exc)):
            log.page_errors.append(str(exc))

    page.on("pageerror", on_page_error)
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    page.on("websocket", on_websocket)
    return context, page


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def _playwright():
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright):
    try:
        browser = launch_browser(_playwright)
    except FileNotFoundError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory: pytest.TempPathFactory, browser) -> Iterator[StreamlitServer]:
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    try:
        server = start_server(log_path=log_path)
    except ServerError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        warm_up(browser, server.url)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def app_url(streamlit_server: StreamlitServer) -> str:
    return streamlit_server.url


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


def _save_failure_artifacts(request: pytest.FixtureRequest, pages: list[tuple[object, PageLog]], tag: str) -> None:
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
    for i, (page, log) in enumerate(pages):
        suffix = f"-{tag}{i + 1}" if tag else ""
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}{suffix}.png"), full_page=True)
        except Exception as exc:  # a screenshot is a courtesy; never mask the real failure
            print(f"could not save screenshot: {exc}")
        (ARTIFACTS / f"{name}{suffix}.log.txt").write_text("\n".join(log.problems()) or "(page log clean)\n")


@pytest.fixture
def page(browser, page_log: PageLog, request: pytest.FixtureRequest):
    context, page = open_session(browser, page_log)
    yield page
    _save_failure_artifacts(request, [(page, page_log)], "")
    context.close()


@pytest.fixture
def new_session(browser, request: pytest.FixtureRequest):
    opened: list[tuple[object, object, PageLog]] = []

    def make():
        log = PageLog()
        context, page = open_session(browser, log)
        opened.append((context, page, log))
        return page, log

    yield make
    _save_failure_artifacts(request, [(page, log) for _, page, log in opened], "session")
    for context, _, _ in opened:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --------------------------------------------------------------------------- app helpers

# True when Streamlit is connected and idle: no script (or fragment) run in progress,
# no "Running..." status widget, no stale elements left from a run, at least one element
# rendered in the main area (so the first run has happened), and the page quiet (no DOM change)
# for QUIET_MS. The quiet period matters: the frontend marks the run finished before it has
# committed every element of a big page (measured: up to 2 s later on a loaded machine), so
# readers below also wait for the very text they need.
QUIET_MS = 300
_APP_IDLE_JS = """(quietMs) => {
  if (!window.__splQuiet) {
    window.__splQuiet = {last: performance.now()};
    new MutationObserver(() => { window.__splQuiet.last = performance.now(); })
      .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  }
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = !!app
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')
    && !!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]');
  if (!idle) { window.__splQuiet.last = performance.now(); return false; }
  return performance.now() - window.__splQuiet.last >= quietMs;
}"""


def wait_for_app(page, timeout_ms: int = APP_IDLE_TIMEOUT_MS) -> None:
    """Wait until the app is connected, has finished running and the page is quiet (see _APP_IDLE_JS).

    Not for a page that is playing: its panel redraws every tick, so it is never quiet.
    """
    page.wait_for_function(_APP_IDLE_JS, arg=QUIET_MS, timeout=timeout_ms, polling=100)


def goto_app(page, url: str, timeout_ms: int = APP_IDLE_TIMEOUT_MS) -> None:
    """Open url and wait for the app's first run to finish."""
    page.goto(url)
    wait_for_app(page, timeout_ms)


def _wait_for_rerun(page, timeout_ms: int) -> None:
    # Give the frontend a moment to register the rerun, then wait for it to end.
    with contextlib.suppress(PlaywrightTimeoutError):  # the rerun may already be over: fine
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stApp\"]')"
            "?.getAttribute('data-test-script-state') !== 'notRunning'",
            timeout=1000,
        )
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
        _wait_for_rerun(page, timeout_ms)


def main_text(page) -> str:
    """The rendered text of the main area (the sidebar excluded), as a reader sees it."""
    return page.locator('[data-testid="stMain"]').inner_text()


def main_text_content(page) -> str:
    """The main area's textContent: cheaper than main_text (no layout), for polling; no line breaks."""
    return page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.textContent || ''")


def assert_no_exception(page) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    if exceptions.count():
        raise AssertionError("the app shows an exception:\n" + "\n---\n".join(exceptions.all_inner_texts()))


def assert_no_page_not_found(page) -> None:
    """The streamlit#9992 modal ("Page not found") must not be up: the page behind it would be inert."""
    dialogs = page.locator('[role="dialog"]').filter(has_text="Page not found")
    assert dialogs.count() == 0, "a 'Page not found' modal covers the page (streamlit#9992; warm-up missing?)"


# --------------------------------------------------------------------------- live training (ui/live.py)

READOUT_RE = re.compile(r"Step ([\d,]+) of ([\d,]+)(?: · loss (\S+))?")
FINISHED_RE = re.compile(r"Finished: [\d,]+ steps")
QUEUED_TEXT = "Queued:"


@dataclass(frozen=True)
class Readout:
    """The live panel's progress text, "Step 1,200 of 10,000 · loss 0.0123"."""

    step: int
    total: int
    loss: str | None  # exactly as shown (4 significant digits); None before the first step


def parse_readout(text: str) -> Readout | None:
    m = READOUT_RE.search(text)
    if not m:
        return None
    return Readout(int(m.group(1).replace(",", "")), int(m.group(2).replace(",", "")), m.group(3))


def wait_for_main_text(page, pattern: str, timeout_ms: int = 30_000) -> bool:
    """Wait until the main area's text matches the JS regex `pattern`; False if it never does."""
    try:
        page.wait_for_function(
            "(p) => new RegExp(p).test(document.querySelector('[data-testid=\"stMain\"]')?.textContent || '')",
            arg=pattern,
            timeout=timeout_ms,
            polling=200,
        )
    except PlaywrightTimeoutError:
        return False
    return True


def read_readout(page) -> Readout:
    """The first live panel's readout (waits for it to be drawn: it can lag the end of the run)."""
    wait_for_main_text(page, r"Step [\d,]+ of [\d,]+")
    text = main_text(page)
    readout = parse_readout(text)
    assert readout, f"no 'Step N of M' readout on the page; main area text:\n{text[:3000]}"
    return readout


def read_step(page) -> int:
    return read_readout(page).step


_STEP_ABOVE_JS = """(min) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const m = main && main.textContent.match(/Step ([\\d,]+) of/);
  return !!m && parseInt(m[1].replace(/,/g, ''), 10) > min;
}"""


def wait_for_step_above(page, minimum: int, timeout_ms: int = 60_000) -> int:
    """Wait until the readout shows a step above `minimum`; returns it."""
    try:
        page.wait_for_function(_STEP_ABOVE_JS, arg=minimum, timeout=timeout_ms, polling=200)
    except PlaywrightTimeoutError:
        assert_no_exception(page)
        raise AssertionError(
            f"the step did not rise above {minimum:,} within {timeout_ms / 1000:.0f} s "
            f"(readout now: {read_readout(page)})"
        ) from None
    return read_step(page)


def wait_until_finished(page, timeout_ms: int = 120_000) -> Readout:
    """Wait for the live panel's "Finished: N steps." and the rerun after it; returns the readout."""
    page.locator('[data-testid="stMain"]').get_by_text(FINISHED_RE).first.wait_for(timeout=timeout_ms)
    wait_for_app(page)
    return read_readout(page)


def set_speed(page, label: str) -> None:
    """Pick a Playback speed ("Slow", "Normal", "Fast") on the first live panel and wait for the rerun."""
    group = page.get_by_role("radiogroup", name="Playback speed").first
    group.get_by_role("radio", name=label, exact=True).click()
    group.get_by_role("radio", name=label, exact=True, checked=True).wait_for(timeout=30_000)
    _wait_for_rerun(page, APP_IDLE_TIMEOUT_MS)


def play_buttons(page):
    return page.locator('[data-testid="stButton"]').get_by_role("button", name="Play", exact=True)


def press_play(page) -> None:
    """Press the first live panel's Play button (no wait: the page keeps rerunning while it plays)."""
    play_buttons(page).first.click()


_CONTROL_VALUE_JS = """(el) => {
  const radios = [...el.querySelectorAll('input[type=radio]:checked')]
      .map(i => (i.closest('label') || i.parentElement).innerText.trim());
  if (radios.length) return radios.join('|');
  const thumbs = [...el.querySelectorAll('[data-testid="stSliderThumbValue"]')].map(x => x.innerText.trim());
  if (thumbs.length) return thumbs.join('|');
  const box = el.querySelector('input[type=checkbox]');
  if (box) return String(box.checked);
  const input = el.querySelector('input, textarea');
  if (input) return input.value;
  return el.innerText.trim();
}"""


def control_value(page, key: str) -> str:
    """What the widget with this key shows: chosen radio label, slider value(s), input text or checkbox."""
    return page.locator(f".st-key-{key}").first.evaluate(_CONTROL_VALUE_JS)


def control_values(page, keys: list[str], timeout_ms: int = 10_000) -> dict[str, str]:
    """control_value of each key, once every one of them shows something (slider values render late)."""
    page.wait_for_function(
        f"(keys) => keys.every(k => {{ const el = document.querySelector('.st-key-' + k);"
        f" return el && ({_CONTROL_VALUE_JS})(el) !== ''; }})",
        arg=keys,
        timeout=timeout_ms,
    )
    return {key: control_value(page, key) for key in keys}


# --------------------------------------------------------------------------- reference results

REPRESENTED_RE = re.compile(r"from densest to sparsest: ([\d, ]+)\.")


def read_represented(page) -> str:
    """The 5-in-2 page's "Features represented ..." counts, e.g. "2, 2, 3, 4, 5"."""
    wait_for_main_text(page, REPRESENTED_RE.pattern)
    text = main_text(page)
    m = REPRESENTED_RE.search(text)
    assert m, "no 'Features represented ... from densest to sparsest: ...' caption on the page"
    return m.group(1).strip()


def five_in_two_reference(
    seed: int, decay: float = 0.9, density: float | None = None, steps: int = 10_000
) -> tuple[str, str]:
    """(readout loss text, represented counts text) the /five-in-two page must show when a run of this
    config finishes, computed here with core/ exactly as pages/five_in_two.py and ui/live.py do
    (training is deterministic given the config and seed, whatever the chunking)."""
    from core import analysis, presets
    from core.train import Trainer

    densities = presets.intro_sweep_densities() if density is None else [float(density)]
    cfg = presets.intro_5in2(
        densities=densities,
        decay=float(decay),
        seed=int(seed),
        steps=int(steps),
        n_seeds=presets.INTRO_5IN2_STARTS,
    )
    trainer = Trainer(cfg, threads=2)
    trainer.advance(cfg.steps)
    loss = trainer.history[max(0, trainer.step - 50) : trainer.step].mean()
    counts = analysis.n_represented(trainer.view().W)
    return f"{loss:.4g}", ", ".join(str(int(c)) for c in counts)


class MemorySampler:
    """Samples the resident memory of a process tree in a background thread; keeps the peak.

    peak_mb is the largest sampled sum of VmRSS (MB = 10^6 bytes); hwm_mb() sums the kernel's own
    high-water marks (VmHWM), which also catch peaks between samples.
    """

    def __init__(self, pid: int, every_s: float = 0.2):
        self.pid, self.every_s = pid, every_s
        self.peak_mb = 0.0
        self.window_peak_mb = 0.0  # peak since the last new_window(): e.g. per page visited
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            now = mb_of(self.pid, "VmRSS")
            self.peak_mb, self.window_peak_mb = max(self.peak_mb, now), max(self.window_peak_mb, now)
            self._stop.wait(self.every_s)

    def new_window(self) -> None:
        self.window_peak_mb = mb_of(self.pid, "VmRSS")

    def hwm_mb(self) -> float:
        return mb_of(self.pid, "VmHWM")

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.peak_mb = max(self.peak_mb, mb_of(self.pid, "VmRSS"))


def mb_of(pid: int, field_name: str = "VmRSS") -> float:
    """A /proc memory field summed over the process tree, in MB (10^6 bytes)."""
    return sum(status_kb(p, field_name) for p in process_tree(pid)) * 1024 / 1e6
