"""A deep link as the very first request to a freshly started server (issue 18, item 6).

Community Cloud waking an app from sleep, or a laptop server started just before class, meets its first
visitor cold. With the page files in a folder named pages/, Streamlit ran that first session with its old
file-based routing and answered /five-in-two with a "Page not found" box over the right page, which
blocked clicks until closed (streamlit#9992). The page files now live in views/. This test starts a
server of its own (the shared one is warmed up through "/" first, so it cannot see the problem), opens
the deep link before anything else, and checks there is no box, the chapter's title is shown, and the
page takes a click.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rig.browser import PageLog, open_session
from rig.pages import assert_no_exception, assert_no_page_not_found, goto_app, wait_for_rerun
from rig.server import ServerError, StreamlitServer, start_server
from ui.registry import CHAPTERS

pytestmark = pytest.mark.browser

FIRST_PAGE_TIMEOUT_MS = 120_000  # a cold server imports everything on this first run


@pytest.fixture
def fresh_server(tmp_path) -> Iterator[StreamlitServer]:
    try:
        server = start_server(log_path=tmp_path / "server.log")
    except ServerError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


def test_deep_link_is_the_first_request_to_a_new_server(browser, fresh_server):
    chapter = next(ch for ch in CHAPTERS if ch.url_path == "five-in-two")
    log = PageLog()
    context, page = open_session(browser, log)
    try:
        goto_app(page, f"{fresh_server.url}/{chapter.url_path}", timeout_ms=FIRST_PAGE_TIMEOUT_MS)
        assert_no_page_not_found(page)
        assert_no_exception(page)
        heading = page.locator('[data-testid="stMain"] h1').first
        assert heading.inner_text().strip() == chapter.title
        assert page.url.rstrip("/").endswith("/" + chapter.url_path)

        # The box, when up, swallowed clicks: the sidebar's link home must work at once.
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Welcome", exact=True).click(timeout=10_000)
        wait_for_rerun(page, FIRST_PAGE_TIMEOUT_MS)
        assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == "Superposition Lab"
        assert_no_page_not_found(page)
        log.assert_clean()
    finally:
        context.close()
