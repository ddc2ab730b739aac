"""Offline (issue 8), and every page opening cleanly (issue 7): with every request to a host other than
localhost blocked, each page renders its title without an exception or a console error, its live training
(if any) plays, and neither the page nor the server tried to reach the internet (usage statistics off)."""

from __future__ import annotations

import tomllib

import pytest

from rig.live import play_buttons, press_play, read_step, wait_for_step_above
from rig.pages import assert_no_exception, assert_no_page_not_found, button_name, discover_pages, goto_app, wait_for_app
from rig.procfs import external_peers
from rig.server import REPO_ROOT

PAGES = discover_pages()


def test_usage_statistics_are_off_in_the_app_config():
    """The browser tests run the server with the app's own config, so this is what they exercise."""
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config.get("browser", {}).get("gatherUsageStats") is False


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_page_works_offline(page, page_log, app_url, streamlit_server, path):
    goto_app(page, app_url + path)  # the page fixture blocks and records every non-localhost request
    page.wait_for_timeout(500)  # late requests (fonts, images, telemetry) and late elements show up
    wait_for_app(page)
    assert_no_page_not_found(page)
    assert_no_exception(page)
    title = page.locator('[data-testid="stMain"] h1').first
    assert title.is_visible() and title.inner_text().strip(), f"{path} has no visible page title"

    play = play_buttons(page)
    if play.count():
        assert play.first.is_enabled(), f"{path}: Play is disabled in a fresh session"
        before = read_step(page)
        press_play(page)
        wait_for_step_above(page, before)
        page.get_by_role("button", name=button_name("Pause")).first.click()
    wait_for_app(page)
    assert_no_exception(page)

    assert page_log.external_requests == [], f"{path} asked for {page_log.external_requests}"
    assert external_peers(streamlit_server.pid) == [], "the server holds connections to non-local hosts"
    page_log.assert_clean()
