"""Reading and driving a Streamlit page in the browser: which pages exist, when a run has finished,
clicking buttons, the main area's text and the values controls show."""

from __future__ import annotations

import contextlib
import re

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

APP_IDLE_TIMEOUT_MS = 60_000


def button_name(label: str) -> re.Pattern:
    """A button's accessible name: its label, then " Shortcut <key>" when it has a keyboard shortcut (the main
    live panel's Play, Pause, Step and Reset do: ui/keys.py). Match buttons by this, not by the exact label."""
    return re.compile(rf"^{re.escape(label)}( Shortcut \S+)?$")


def discover_pages() -> list[str]:
    """URL paths of every page app.py routes: "/" (the home page) plus each chapter's url_path.

    Read from the chapter registry (ui.registry.CHAPTERS) app.py builds its navigation from, so a new
    chapter is covered without touching the tests or the benchmarks.
    """
    from ui.registry import CHAPTERS

    return ["/"] + ["/" + ch.url_path for ch in CHAPTERS]


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


def wait_for_rerun(page, timeout_ms: int) -> None:
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
    button = buttons.get_by_role("button", name=button_name(label))
    # A chapter's settings sit in a closed expander. Its buttons are in the page but hidden, and get_by_role
    # skips hidden elements, so find the button by its text (hidden ones too), wait until it is drawn, and
    # open the expander holding it. (CI once looked before the settings were drawn, found no expander to
    # open, and waited 60 s.)
    label_text = page.locator('[data-testid="stMarkdownContainer"]', has_text=re.compile("^" + re.escape(label) + "$"))
    drawn = buttons.locator("button").filter(has=label_text)
    drawn.first.wait_for(state="attached", timeout=timeout_ms)
    if button.count() == 0:
        reveal(page, drawn.first, timeout_ms)
    button.click(timeout=timeout_ms)  # strict: fails if no or several buttons match
    if wait:
        wait_for_rerun(page, timeout_ms)


def reveal(page, locator, timeout_ms: int = 30_000) -> None:
    """Make `locator` visible: open the closed expander that holds it, if any (a chapter's settings and its
    prediction box sit in closed expanders, so its figure comes first; their widgets are in the page but hidden).
    Waits for the element first: right after a load it may not be drawn yet, which is not the same as folded."""
    locator.wait_for(state="attached", timeout=timeout_ms)
    expanders = page.locator('[data-testid="stExpander"]').filter(has=locator)
    if not locator.is_visible() and expanders.count():
        expanders.last.locator("summary").first.click()  # the innermost expander holding it
    locator.wait_for(state="visible", timeout=timeout_ms)


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
    assert dialogs.count() == 0, (
        "a 'Page not found' modal covers the page (streamlit#9992: a pages/ folder beside app.py?)"
    )


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


def wait_for_control_value(page, key: str, expected: str, timeout_ms: int = 15_000) -> str:
    """control_value of key once it equals expected (or what it shows when timeout_ms runs out).

    A widget in the sidebar can be drawn a moment after the run that made it has ended (its element is
    there but empty), so a single read right after the page loads can see ''.
    """
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            f"([k, want]) => {{ const el = document.querySelector('.st-key-' + k);"
            f" return el && ({_CONTROL_VALUE_JS})(el) === want; }}",
            arg=[key, expected],
            timeout=timeout_ms,
        )
    return control_value(page, key)


def control_values(page, keys: list[str], timeout_ms: int = 10_000) -> dict[str, str]:
    """control_value of each key, once every one of them shows something (slider values render late).
    Controls folded into a closed expander (a chapter's settings) are revealed first: a folded slider shows no value."""
    for key in keys:
        reveal(page, page.locator(f".st-key-{key}").first)
    page.wait_for_function(
        f"(keys) => keys.every(k => {{ const el = document.querySelector('.st-key-' + k);"
        f" return el && ({_CONTROL_VALUE_JS})(el) !== ''; }})",
        arg=keys,
        timeout=timeout_ms,
    )
    return {key: control_value(page, key) for key in keys}


def _channels(colour: str) -> tuple[float, float, float]:
    """'#rrggbb' or 'rgb(r, g, b)' / 'rgba(r, g, b, a)' as three numbers from 0 to 255."""
    colour = colour.strip()
    if colour.startswith("#"):
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    parts = colour[colour.index("(") + 1 : colour.index(")")].replace(",", " ").split()
    return tuple(float(v) for v in parts[:3])


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours: 1 (same) to 21 (black on white)."""

    def luminance(colour: str) -> float:
        lin = [
            (c / 255) / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in _channels(colour)
        ]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
