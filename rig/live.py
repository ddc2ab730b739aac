"""The live training panel (ui/live.py) in the browser: its "Step N of M · loss L" readout, Play, speed,
and the numbers the 5-in-2 page must show for a given seed (computed here with core/)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from rig.pages import (
    APP_IDLE_TIMEOUT_MS,
    assert_no_exception,
    button_name,
    main_text,
    wait_for_app,
    wait_for_main_text,
    wait_for_rerun,
)

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
    wait_for_rerun(page, APP_IDLE_TIMEOUT_MS)


def play_buttons(page):
    return page.locator('[data-testid="stButton"]').get_by_role("button", name=button_name("Play"))


def press_play(page) -> None:
    """Press the first live panel's Play button (no wait: the page keeps rerunning while it plays)."""
    play_buttons(page).first.click()


# ---- reference results

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
    config finishes, computed here with core/ exactly as views/five_in_two.py and ui/live.py do
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
    view = trainer.view()  # the live panel's readout: the kept starts' recent training loss
    loss = float(view.loss.mean())
    counts = analysis.n_represented(view.W)
    return f"{loss:.4g}", ", ".join(str(int(c)) for c in counts)
