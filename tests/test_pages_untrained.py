"""Issue 14: before its run, a page shows the untrained model as what it is and no result-like numbers.

At step 0 the weights are random. A count of represented features, a superposition total, a verdict or a
loss read off them is not something training found, and a learner would read it as one. So every chapter
page with a live panel must, before any Step or Play: say "untrained", and show none of the texts in
FORBIDDEN (markdown, captions, metrics, info boxes, chart titles). One Step later, AFTER's result text is there.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers import open_page, page_charts, step_live_panels, titles

# Texts that are results of a run, per page (regexes). Shared ones apply to every page.
SHARED = (r"features? represented", r"\d+ of \d+ features", r"(?i)total superposition", r"(?i)decomposable: yes")
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "features_as_directions": (),
    "privileged_basis": (r"(?i)monosemantic neurons", r"Loss as trained", r"Relative change", r"Mean share"),
    "superposition_hypothesis": (
        r"features are stored \(",
        r"has rank \d",
        r"checked on this model",
        r"Eigenvalues of",
    ),
    "experiment_setup": (r"What it learned",),
    "five_in_two": (r"Arrangements", r"(?i)pentagon at"),
    "basic_results": (r"loss \d", r"best linear model: \d"),
    "math_understanding": (
        r"Measured training loss",
        r"Explained by the",
        r"Exact expected loss",
        r"Reading the geometry",
    ),
    "phase_change": (),
    "geometry": (),
    "learning_dynamics": (r"jumps? detected in this run",),
    "privileged_superposition": (r"This run at p", r"Neurons by kind in this run"),
    "computation": (r"Neurons by kind in this run",),
    "adversarial": (r"Live models",),
}
# Pages that also show precomputed runs (finished before the page opened): their counts are results, so only
# the page's own live-panel patterns apply there.
PRECOMPUTED = {
    "geometry",
    "learning_dynamics",
    "phase_change",
    "privileged_superposition",
    "computation",
    "adversarial",
}
# Text that shows the run's results once it has trained (one Step).
AFTER: dict[str, str] = {
    "privileged_basis": r"Relative change",
    "superposition_hypothesis": r"features are stored \(",
    "experiment_setup": r"What it learned",
    "five_in_two": r"at step \d",
    "basic_results": r"\d+ of 20 features represented",
    "math_understanding": r"Explained by the",
    "privileged_superposition": r"This run at p",
    "adversarial": r"Live models",
}


def page_text(at) -> str:
    """Everything a learner reads on the page (the main area: the sidebar's glossary defines terms, it reports
    no run): prose, captions, metrics, notes and chart titles."""
    main = at.main
    parts = [m.value for m in main.markdown] + [c.value for c in main.caption] + [i.value for i in main.info]
    parts += [f"{m.label} {m.value}" for m in main.metric]
    parts += [t for chart in page_charts(at) for t in titles(chart.spec)]
    return "\n".join(parts)


@pytest.mark.parametrize("slug", list(FORBIDDEN))
def test_untrained_page_shows_no_results_and_one_step_shows_them(slug: str) -> None:
    at = open_page(f"views/{slug}.py")
    before = page_text(at)
    assert "untrained" in before.lower()
    shared = () if slug in PRECOMPUTED else SHARED
    shown = [p for p in shared + FORBIDDEN[slug] if re.search(p, before)]
    assert not shown, f"{slug} at step 0 shows result text matching {shown}"
    step_live_panels(at)
    after = page_text(at)
    if slug in AFTER:
        assert re.search(AFTER[slug], after), f"{slug}: no {AFTER[slug]!r} after one Step"
