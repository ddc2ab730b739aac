"""Pytest fixtures for the browser tests; the rig itself (server, browser, page helpers) lives in rig/.

    streamlit_server  session: the app on a free loopback port, warmed up (rig.browser.warm_up) so the
                      first test does not pay for the server's imports, with its training kernel compiled.
    app_url           session: the server's base URL, e.g. "http://127.0.0.1:45123" (no trailing slash).
    browser           session: Chromium at /usr/bin/chromium (or $SPL_CHROMIUM).
    page_log          per test: what the page did wrong (console errors, failed/external requests).
    page              per test: a fresh context + page (fresh Streamlit session) that fills page_log and
                      blocks every request to a host other than 127.0.0.1/localhost.
    new_session       per test: a factory; new_session() -> (page, page_log) opens one more independent
                      session (own browser context, own log, same blocking), closed after the test.

On failure a screenshot and the page log go to <repo>/test-artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import sync_playwright

from rig.browser import PageLog, launch_browser, open_session, warm_up
from rig.server import REPO_ROOT, ServerError, StreamlitServer, start_server
from ui.warmup import READY_LINE

ARTIFACTS = REPO_ROOT / "test-artifacts"
KERNEL_READY_TIMEOUT_S = 300  # compiling from an empty numba cache on a busy 2-core machine


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
        # Until the kernel is compiled, live panels train with its numpy copy (equal to rounding): wait, so that
        # tests comparing a page's numbers with a kernel run of their own compare like with like.
        assert server.wait_for_log(READY_LINE, KERNEL_READY_TIMEOUT_S), "the training kernel never became ready"
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
