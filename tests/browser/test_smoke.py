"""Browser tests of what a learner and a teacher do (issue 7): Play makes the step count rise and Pause
stops it; a shared URL gives the same controls and the same numbers; presenter mode and ?hide= work;
figures and CSVs download with the right contents, also while training plays.

"Every page opens with no console errors" is test_offline.py::test_page_works_offline (one load per page
serves both issues: it opens each page with external requests blocked and checks the log is clean)."""

from __future__ import annotations

import math
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from rig.live import (
    five_in_two_reference,
    press_play,
    read_readout,
    read_represented,
    read_step,
    set_speed,
    wait_for_step_above,
    wait_until_finished,
)
from rig.pages import (
    assert_no_exception,
    assert_no_page_not_found,
    button_name,
    click_button,
    control_value,
    control_values,
    goto_app,
    reveal,
    wait_for_app,
    wait_for_control_value,
)

pytestmark = pytest.mark.browser

F52 = "/five-in-two"
F52_KEYS = ["f52_mode", "f52_density", "f52_decay", "f52_seed", "f52_steps"]
SHARED = F52 + "?f52_seed=3&f52_decay=0.8&f52_mode=One+density&f52_density=0.05&f52_steps=1000"
PAUSE_HOLD_MS = 3000  # after Pause, the step must not move for this long


def test_play_then_pause(page, page_log, app_url):
    goto_app(page, app_url + F52)
    assert read_step(page) == 0, "a fresh session should start at step 0"
    set_speed(page, "Slow")  # 1% of the run per tick: it cannot finish before we pause

    press_play(page)
    first = wait_for_step_above(page, 0)
    wait_for_step_above(page, first)  # it keeps rising, tick after tick

    click_button(page, "Pause")  # waits for the rerun; a chunk already under way lands before it ends
    paused = read_readout(page)
    assert paused.step < paused.total, "the run finished before Pause: Slow speed is not slow any more"
    page.wait_for_timeout(PAUSE_HOLD_MS)
    wait_for_app(page)
    assert read_step(page) == paused.step, "the step kept changing after Pause"
    assert page.get_by_role("button", name=button_name("Play")).is_enabled(), "Play is not available after Pause"

    assert_no_exception(page)
    page_log.assert_clean()


LINK_WARNING = '[data-testid="stAlert"]:has-text("This link asked")'


def _train_shared_link(page, url: str) -> tuple[dict[str, str], str, str]:
    """Open the shared link, train it to the end; (control values, final loss text, represented counts)."""
    goto_app(page, url)
    assert_no_page_not_found(page)
    values = control_values(page, F52_KEYS)
    assert page.locator(LINK_WARNING).count() == 0, "a link Streamlit wrote itself must not be refused"
    set_speed(page, "Fast")
    press_play(page)
    final = wait_until_finished(page)
    assert final.step == final.total and final.loss, f"unexpected final readout {final}"
    return values, final.loss, read_represented(page)


def test_shared_url_gives_same_controls_and_numbers(page, page_log, new_session, app_url):
    values, loss, represented = _train_shared_link(page, app_url + SHARED)
    assert values["f52_mode"] == "One density"
    assert float(values["f52_density"]) == 0.05
    assert float(values["f52_decay"]) == 0.8
    assert values["f52_seed"] == "3"
    assert int(values["f52_steps"].replace(",", "")) == 1000

    other, other_log = new_session()  # a second browser context: a different learner, same link
    other_values, other_loss, other_represented = _train_shared_link(other, app_url + SHARED)
    assert other_values == values, "the shared link set different controls in a new browser"
    assert (other_loss, other_represented) == (loss, represented), "the same link trained to different numbers"

    expected = five_in_two_reference(seed=3, decay=0.8, density=0.05, steps=1000)
    assert (loss, represented) == expected, "the page's numbers differ from core/ training the same config"
    assert_no_exception(page)
    assert_no_exception(other)
    page_log.assert_clean()
    other_log.assert_clean()


def _axis_title_px(page) -> float:
    """Font size of the first chart's first axis title (charts render as SVG)."""
    text = page.locator('[data-testid="stVegaLiteChart"] svg .role-axis-title text').first
    text.wait_for(state="attached", timeout=30_000)
    return float(text.get_attribute("font-size").removesuffix("px"))


def _css_px(page, selector: str, prop: str = "fontSize") -> float:
    return float(page.locator(selector).first.evaluate(f"e => getComputedStyle(e).{prop}").removesuffix("px"))


def _hidden_soon(locator, timeout_ms: int = 10_000) -> bool:
    """Whether `locator` is hidden within timeout_ms. The page's CSS (presenter mode, ?hide=) is style-only
    HTML, which Streamlit shows from its event container, sometimes a moment after the page's elements."""
    try:
        locator.wait_for(state="hidden", timeout=timeout_ms)
    except PlaywrightTimeoutError:
        return False
    return True


def test_presenter_toggle(page, page_log, app_url):
    goto_app(page, app_url + F52)
    h1_before, axis_before = _css_px(page, '[data-testid="stMain"] h1'), _axis_title_px(page)
    assert page.locator('[data-testid="stHeader"]').is_visible()

    page.locator(".st-key-presenter").get_by_text("Presenter mode").click()
    page.wait_for_url(re.compile(r"[?&]presenter=true\b"), timeout=30_000)
    wait_for_app(page)
    assert wait_for_control_value(page, "presenter", "true") == "true"
    assert _hidden_soon(page.locator('[data-testid="stHeader"]')), "presenter mode should hide the header"
    assert _css_px(page, '[data-testid="stMain"] h1') > h1_before, "the title did not get bigger"
    page.wait_for_function(
        "(before) => { const t = document.querySelector("
        "'[data-testid=\"stVegaLiteChart\"] svg .role-axis-title text');"
        " return t && parseFloat(t.getAttribute('font-size')) > before; }",
        arg=axis_before,
        timeout=30_000,
    )
    assert _axis_title_px(page) >= 1.5 * axis_before, "chart axis titles should be projector-sized"
    assert_no_exception(page)
    page_log.assert_clean()


def test_presenter_link_hides_chosen_control(page, page_log, app_url):
    goto_app(page, app_url + F52 + "?presenter=true&hide=f52_seed&f52_mode=One+density&f52_steps=1000")
    assert_no_page_not_found(page)
    assert wait_for_control_value(page, "presenter", "true") == "true", (
        "?presenter=true did not switch presenter mode on"
    )
    assert _hidden_soon(page.locator('[data-testid="stHeader"]')), "presenter mode should hide the header"
    seed = page.locator(".st-key-f52_seed")
    assert seed.count() == 1 and _hidden_soon(seed), "?hide=f52_seed should hide the seed control"
    assert page.locator(".st-key-f52_seed_new").is_hidden(), "the seed's New seed button goes with it"
    decay = page.locator(".st-key-f52_decay")
    reveal(page, decay)  # presenter mode folds the settings into a closed expander: open it
    assert decay.is_visible(), "only the named control should be hidden"
    assert seed.is_hidden(), "the hidden control stays hidden with its settings box open"

    click_button(page, "Step")  # the page still trains
    assert read_step(page) > 0
    assert_no_exception(page)
    page_log.assert_clean()


def test_mangled_link_says_what_it_refused_and_uses_defaults(page, page_log, app_url):
    mangled = F52 + "?f52_seed=-4&f52_decay=banana&f52_steps=1e309&f52_mode=%3Cb%3Ex%3C%2Fb%3E&hide=" + "a," * 3000
    goto_app(page, app_url + mangled)
    warning = page.locator(LINK_WARNING)
    warning.wait_for(timeout=30_000)
    text = warning.inner_text()
    for key in ("f52_seed", "f52_decay", "f52_steps", "f52_mode"):
        assert key in text, text
    assert control_values(page, ["f52_mode", "f52_decay", "f52_seed", "f52_steps"]) == {
        "f52_mode": "Sweep: 12 densities (the paper's figure)",
        "f52_decay": "0.90",
        "f52_seed": "0",
        "f52_steps": "10000",
    }
    click_button(page, "Step")  # and the page still works
    assert read_step(page) > 0
    assert_no_exception(page)
    page_log.assert_clean()


def test_new_seed_updates_the_link_and_reset_keeps_it(page, page_log, app_url):
    goto_app(page, app_url + F52 + "?f52_mode=One+density&f52_steps=1000&f52_seed=4")
    click_button(page, "New seed")
    page.wait_for_url(lambda url: "f52_seed=" in url and not re.search(r"[?&]f52_seed=4(&|$)", url), timeout=30_000)
    drawn = re.search(r"[?&]f52_seed=(\d+)", page.url).group(1)
    assert drawn != "4" and control_value(page, "f52_seed") == drawn, "the control and the link disagree"
    click_button(page, "Step")
    first = read_readout(page)
    click_button(page, "Reset")
    assert read_step(page) == 0 and control_value(page, "f52_seed") == drawn, "Reset must keep the seed"
    click_button(page, "Step")
    assert read_readout(page) == first, "same seed after Reset, same numbers"
    assert_no_exception(page)
    page_log.assert_clean()


def _download(page, button, timeout_ms: int = 30_000) -> tuple[str, str]:
    """Click a download button; (suggested file name, text content)."""
    with page.expect_download(timeout=timeout_ms) as info:
        button.click()
    download = info.value
    return download.suggested_filename, download.path().read_text(encoding="utf-8")


def _check_svg(name: str, text: str) -> None:
    assert name.endswith(".svg"), name
    assert text.lstrip().startswith("<svg") and text.rstrip().endswith("</svg>"), text[:200]


def _check_loss_csv(name: str, text: str, steps: int) -> list[list[float]]:
    assert name.endswith(".csv"), name
    lines = text.strip().splitlines()
    assert lines[0].startswith("step,"), lines[0]
    rows = [[float(v) for v in line.split(",")] for line in lines[1:]]
    assert [int(r[0]) for r in rows] == list(range(1, steps + 1)), "one row per step done, numbered from 1"
    assert all(math.isfinite(v) and v >= 0 for r in rows for v in r[1:]), "losses must be finite and >= 0"
    return rows


ARROWS_SVG = "Five in two arrows (SVG)"


def test_downloads_figure_and_csvs(page, page_log, app_url):
    goto_app(page, app_url + F52 + "?f52_mode=One+density&f52_steps=1000&f52_seed=5")
    click_button(page, "Step")
    readout = read_readout(page)
    assert readout.step > 0 and readout.loss

    # Charts drawn inside a live panel get labelled buttons in the panel's download row.
    _check_svg(*_download(page, page.get_by_role("button", name=ARROWS_SVG, exact=True)))

    name, text = _download(page, page.get_by_role("button", name="Loss history (.csv)"))
    rows = _check_loss_csv(name, text, readout.step)
    last = [r[1] for r in rows[-50:]]
    assert sum(last) / len(last) == pytest.approx(float(readout.loss), rel=1e-3), "CSV disagrees with the readout"

    name, text = _download(page, page.get_by_role("button", name="Feature measures (.csv)"))
    lines = text.strip().splitlines()
    assert lines[0] == "instance,feature,norm,superposition,dimensionality,bias"
    assert len(lines) == 1 + 5, "one row per feature of the single model"
    assert_no_exception(page)
    page_log.assert_clean()


def test_download_while_playing_keeps_training(page, page_log, app_url, streamlit_server):
    goto_app(page, app_url + F52 + "?f52_mode=One+density&f52_steps=10000")
    set_speed(page, "Slow")
    press_play(page)
    wait_for_step_above(page, 0)
    # Pressing Play reruns the whole page, which replaces the download buttons; a second rise of the
    # step count comes from a fragment tick, so that rerun has finished and the buttons are the live ones.
    wait_for_step_above(page, read_step(page))

    failures = []
    for label, check in [(ARROWS_SVG, _check_svg), ("Loss history (.csv)", None)] * 2:
        button = page.get_by_role("button", name=label, exact=True).first
        try:
            name, text = _download(page, button, timeout_ms=10_000)
        except Exception as exc:  # record and go on: training must continue either way
            failures.append(f"{label}: no file within 10 s ({type(exc).__name__})")
            continue
        if check:
            check(name, text)
        else:
            assert text.startswith("step,") and len(text.splitlines()) > 1, text[:200]

    after = read_step(page)
    wait_for_step_above(page, after)  # still training after the downloads
    assert page.get_by_role("button", name=button_name("Pause")).is_enabled(), "the run stopped playing"
    if failures:
        server_errors = streamlit_server.log_tail(200_000).count("MediaFileStorageError: Deferred file")
        failures.append(f"server log: {server_errors} x 'MediaFileStorageError: Deferred file <id> not found'")
    assert not failures, "downloads clicked while training plays did not arrive:\n  " + "\n  ".join(failures)
    assert_no_exception(page)
    page_log.assert_clean()
