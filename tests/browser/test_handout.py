"""The chapter handout in the real app (issue 18, item 8): after a training step, "Download handout" gives one
HTML file with the chapter's title, its figures as inline SVG, and the link that reproduces the page."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from rig.live import read_readout
from rig.pages import assert_no_exception, click_button, goto_app
from ui.registry import by_url_path

pytestmark = pytest.mark.browser

SHARED = "/five-in-two?f52_mode=One+density&f52_steps=1000&f52_seed=5"


def test_handout_download_holds_title_figures_and_link(page, page_log, app_url):
    chapter = by_url_path("five-in-two")
    goto_app(page, app_url + SHARED)
    click_button(page, "Step")
    assert read_readout(page).step > 0

    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download handout", exact=True).click()
    download = info.value
    text = download.path().read_text(encoding="utf-8")

    assert download.suggested_filename.endswith(".html")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert f"<h1>{chapter.title}</h1>" in text
    assert text.count("<svg") >= 1 and "<script" not in text
    links = [unescape(h) for h in re.findall(r'<a href="([^"]+)"', text)]
    address = urlsplit(page.url)
    reproducing = [u for u in links if urlsplit(u).path == address.path]
    assert reproducing, f"no link to {address.path} in {links}"
    asked = parse_qs(urlsplit(SHARED).query)
    got = parse_qs(urlsplit(reproducing[0]).query)
    assert {k: got.get(k) for k in asked} == asked, "the link must carry the page's settings"
    assert urlsplit(reproducing[0]).netloc == address.netloc
    assert_no_exception(page)
    page_log.assert_clean()
