"""Every page through Streamlit's AppTest: it runs, its controls work, and its charts respond."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import numpy as np
import pytest
from altair.vegalite.v6.schema.core import Root
from streamlit.testing.v1 import AppTest

from core.chapters.undoing_superposition import torch_available
from tests.helpers import (
    APP_TIMEOUT_S,
    PAGES,
    ROOT,
    Chart,
    charts_with,
    markdown_text,
    open_page,
    page_charts,
    progress_text,
    step_live_panels,
)

F52 = "views/five_in_two.py"
SAE_PAGE = "views/undoing_superposition.py"  # trains with torch; without it, says so and shows its code


def arrows(at) -> Chart:
    """The 5-in-2 page's grid of feature arrows: one panel per density, one row per (panel, feature)."""
    return page_charts(at)[0]


def test_app_routes_every_page_file() -> None:
    """app.py builds its navigation from the chapter registry (HOME + every chapter), so every page file must
    be one of those; a page file the registry misses would never be reachable."""
    from ui.registry import CHAPTERS, HOME

    assert sorted([HOME, *(ch.page for ch in CHAPTERS)]) == PAGES
    source = (ROOT / "app.py").read_text()
    assert "st.Page(HOME" in source and "st.Page(ch.page" in source


def test_no_pages_folder_beside_the_entry_script() -> None:
    """A folder named pages/ beside app.py puts the first session after a server start in Streamlit's old
    folder-based navigation (until the first st.navigation call switches it off for the process): a deep link
    such as /five-in-two is then not found among the file-named pages and a "Page not found" box covers the
    page (streamlit#9992). The page files live in views/ for that reason; tests/browser/test_deep_link.py
    checks the real server."""
    assert not (ROOT / "pages").exists()
    assert all(p.startswith("views/") for p in PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_and_reruns_without_exception(page: str) -> None:
    at = open_page(page)
    at.run()
    assert not at.exception
    # The app sends charts without Altair's schema check (ui.export.unvalidated, for speed): check them here,
    # as drawn, against Vega-Lite's schema.
    for chart in page_charts(at):
        Root.validate(chart.spec)


def test_landing_page_explains_and_links() -> None:
    at = open_page("views/home.py")
    assert "superposition" in markdown_text(at).lower()
    assert at.title[0].value == "Superposition Lab"


def test_five_in_two_step_trains_and_redraws() -> None:
    at = open_page(F52)
    assert progress_text(at).startswith("Step 0 of 10,000")
    before, n_charts = arrows(at), len(page_charts(at))
    untrained = open_page(F52)  # kept at step 0 (the hidden-space view waits for training: no sklearn import)
    at.button(key="f52:run:step").click().run()
    assert not at.exception
    assert progress_text(at).startswith("Step 500 of 10,000")
    # the loss curve appears once there is a history, and the hidden-space view once the models have trained
    assert len(page_charts(at)) == n_charts + 2
    assert len(charts_with(at, "of variance")) == 1 and not charts_with(untrained, "of variance")
    assert any("Once the models train" in c.value for c in untrained.caption)
    after = arrows(at)
    assert after.rows() == before.rows() == [60]  # 12 densities x 5 features
    # training from a small start: the arrows grew (on average) and turned
    assert after.array("norm").mean() > before.array("norm").mean()
    assert not np.allclose(after.array("x"), before.array("x"))


def test_five_in_two_controls_start_a_new_run() -> None:
    at = open_page(F52)
    at.button(key="f52:run:step").click().run()
    trained = arrows(at)
    np.testing.assert_allclose(sorted(set(trained.column("importance"))), sorted(0.9 ** np.arange(5)))
    at.slider(key="f52_decay").set_value(0.7).run()
    assert progress_text(at).startswith("Step 0 of")  # a changed control means a fresh model
    np.testing.assert_allclose(sorted(set(arrows(at).column("importance"))), sorted(0.7 ** np.arange(5)))
    untrained = arrows(at)
    at.number_input(key="f52_seed").set_value(3).run()
    reseeded = arrows(at)
    assert reseeded.column("importance") == untrained.column("importance")
    assert not np.allclose(reseeded.array("x"), untrained.array("x"))  # another seed, other starting weights


def test_five_in_two_single_density_mode() -> None:
    at = open_page(F52)
    sweep = arrows(at)
    at.radio(key="f52_mode").set_value("One density").run()
    assert not at.exception
    single = arrows(at)
    assert sweep.rows() == [60] and single.rows() == [5]  # one panel of five arrows instead of twelve
    sweep_titles, single_titles = sweep.panel_titles(), single.panel_titles()
    assert len(sweep_titles) == 12 and any(t.startswith("p = 0.717") for t in sweep_titles)
    assert len(single_titles) == 1 and not single_titles[0].startswith("p = 0.717")


def test_five_in_two_description_lists_the_drawn_arrangements() -> None:
    from core import presets
    from core.chapters import five_in_two

    at = open_page(F52)
    text = " ".join(c.value for c in at.caption)
    assert "untrained" in text and "Features represented" not in text and "Arrangements" not in text
    titles = arrows(at).panel_titles()
    assert [t for t in titles if "paper:" in t] == [
        "p = 1  (1/(1−S) = 1) · paper: dense",
        "p = 0.2  (1/(1−S) = 5) · paper: 80% sparsity",
        "p = 0.1  (1/(1−S) = 10) · paper: 90% sparsity",
    ]
    at.button(key="f52:run:step").click().run()
    assert at.select_slider(key="f52_starts").value == presets.INTRO_5IN2_STARTS
    W = at.session_state["f52:run"].trainer.view().W
    assert W.shape[0] == 12
    text = " ".join(c.value for c in at.caption)
    assert "untrained" not in text and "at step 500" in text
    for p, W_k in zip(presets.intro_sweep_densities(), W):
        assert f"p = {p:.3g}: {five_in_two.describe(five_in_two.arrangement(W_k))}" in text


def test_reset_returns_to_step_zero_and_keeps_the_seed() -> None:
    at = open_page(F52)
    at.number_input(key="f52_seed").set_value(7).run()
    at.button(key="f52:run:step").click().run()
    stepped = arrows(at)
    at.button(key="f52:run:reset").click().run()
    assert progress_text(at).startswith("Step 0 of")
    assert at.number_input(key="f52_seed").value == 7
    at.button(key="f52:run:step").click().run()
    assert arrows(at) == stepped  # same seed, same steps: the same model again


@pytest.mark.parametrize(("page", "column"), [(F52, "x"), ("views/basic_results.py", "value")])
def test_new_seed_draws_another_seed_and_puts_it_in_the_link(page: str, column: str) -> None:
    at = open_page(page)
    seed_key = next(w.key for w in at.number_input if w.key.endswith("_seed"))
    before = page_charts(at)[0]  # the 5-in-2 arrows; the results page's first W^T W heatmap
    seeds = set()
    for _ in range(3):
        old = at.number_input(key=seed_key).value
        at.button(key=seed_key + "_new").click().run()
        assert not at.exception
        new = at.number_input(key=seed_key).value
        assert new != old and 1 <= new <= 99_999
        assert at.query_params[seed_key] == str(new)  # the shareable link follows
        seeds.add(new)
    assert len(seeds) >= 2
    after = page_charts(at)[0]
    assert after.rows() == before.rows()  # the same picture ...
    assert not np.allclose(after.array(column), before.array(column))  # ... of other weights: a new run


def axis_title_size(at) -> float:
    return page_charts(at)[0].spec["config"]["axis"]["titleFontSize"]


def test_presenter_mode_enlarges_chart_text() -> None:
    at = open_page(F52)
    normal = axis_title_size(at)
    at.toggle(key="presenter").set_value(True).run()
    assert axis_title_size(at) > 1.4 * normal


def _texts_after_a_step(at) -> set[str]:
    step_live_panels(at)
    return {m.value for m in at.markdown}


@pytest.mark.parametrize("page", [F52, "views/learning_dynamics.py", "views/computation.py", "views/geometry.py"])
def test_presenter_mode_keeps_key_sentences_and_drops_download_chrome(page: str) -> None:
    normal = open_page(page)
    normal_texts = _texts_after_a_step(normal)
    assert normal.get("download_button"), "downloads are offered normally"

    shown = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT_S)
    shown.query_params["presenter"] = "true"  # an instructor's link, opened in a new session
    shown.run()  # app.py's first run registers the pages (st.navigation): only then can a test switch
    shown.switch_page(page).run()
    shown_texts = _texts_after_a_step(shown)
    assert shown.get("download_button") == [], "no download buttons on a projector"
    assert shown.get("vega_lite_chart"), "the figures stay"
    gone = [t for t in normal_texts - shown_texts if len(t.split()) > 30]
    key_sentences = [t for t in shown_texts - normal_texts if t.startswith("**") and t.endswith("**")]
    assert gone and key_sentences, "long explanations give way to their key sentences"


def test_paper_settings_button_restores_the_paper_figure() -> None:
    at = open_page(F52)
    at.slider(key="f52_decay").set_value(0.6).run()
    at.radio(key="f52_mode").set_value("One density").run()
    at.button(key="f52_paper").click().run()
    assert at.slider(key="f52_decay").value == 0.9
    assert at.radio(key="f52_mode").value.startswith("Sweep")
    titles = arrows(at).panel_titles()
    assert len(titles) == 12 and any(t.startswith("p = 0.717") for t in titles)


def test_learning_path_covers_every_chapter_once() -> None:
    from ui.registry import CHAPTERS, HOME, parts

    listed = [ch.page for chapters in parts().values() for ch in chapters]
    assert len(listed) == len(set(listed)) == len(CHAPTERS)
    assert len({ch.url_path for ch in CHAPTERS}) == len(CHAPTERS)
    assert HOME not in listed
    assert sorted(listed) == sorted(p for p in PAGES if p != "views/home.py")


def test_no_page_draws_a_chart_around_show_chart() -> None:
    """Every chart goes through ui.export.show_chart, which gives it alt text and SVG / PNG downloads."""
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("views", "ui")
        for path in sorted((ROOT / folder).glob("*.py"))
        if path.name != "export.py"
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if "altair_chart(" in line or "vega_lite_chart(" in line
    ]
    assert offenders == []


@pytest.mark.parametrize("page", [p for p in PAGES if p != "views/home.py"])
def test_every_chart_has_alt_text_and_image_downloads(page: str) -> None:
    at = open_page(page)
    if page == SAE_PAGE and not torch_available():  # CI's Python 3.12 pass has no torch
        assert any("PyTorch" in w.value for w in at.warning) and any(
            "class SparseAutoencoder" in c.value for c in at.code
        )
        return
    step_live_panels(at)  # live panels draw their charts once trained a little
    shown = at.get("vega_lite_chart")
    assert shown, "every chapter shows at least one chart"
    missing = [json.loads(c.proto.spec).get("title", "?") for c in shown if not c.proto.alt.strip()]
    assert missing == []
    labels = [d.proto.label for d in at.get("download_button")]
    assert sum(label.endswith("SVG") or label.endswith("(SVG)") for label in labels) >= len(shown), labels
    assert sum(label.endswith("PNG") or label.endswith("(PNG)") for label in labels) >= len(shown), labels


def test_blas_thread_limit_is_set_once_per_process(monkeypatch) -> None:
    """The one-BLAS-thread limit is process-wide: set at the first run, not again on every rerun or session."""
    from ui import warmup

    calls = []
    monkeypatch.setattr(warmup, "threadpool_limits", lambda limits: calls.append(limits))
    warmup.limit_blas_threads.clear()
    first = open_page(F52)
    first.run()  # a rerun of the same session
    open_page(F52)  # another learner's session
    assert calls == [1], f"threadpool_limits calls: {calls}"
    warmup.limit_blas_threads.clear()  # the next app run applies the real limit again


BLAS_IN_THREADS = """
import threading, threadpoolctl
from ui import warmup
seen = []
def read():
    seen.extend(i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas")
script = threading.Thread(target=warmup.limit_blas_threads, name="ScriptRunner.scriptThread")
script.start(); script.join()
other = threading.Thread(target=read)  # another session's script thread, later
other.start(); other.join()
print(sorted(set(seen)))
"""


def test_blas_limit_set_in_a_script_thread_holds_for_other_threads() -> None:
    """Streamlit runs each session's script in a thread of its own: the limit one session's thread sets once
    must hold in the threads of later sessions. A fresh interpreter, because a thread that once set a limit
    itself keeps its own (OpenBLAS 0.3.31: after the main thread set 2, other threads' settings no longer
    showed there), so a pytest process that set limits before cannot tell. Also seen in a real server: the
    second session's script thread found 1 thread before setting anything (2026-12-04)."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", BLAS_IN_THREADS], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "[1]", out.stdout + out.stderr


FIRST_RUN_IMPORTS = """
import sys
from streamlit.testing.v1 import AppTest
from ui import warmup
warmup.WARMUP_DELAY_S = 1e9  # the warm-up thread (which imports numba to compile) never gets going here
HEAVY = ("numba", "scipy", "sklearn", "torch")
at = AppTest.from_file("app.py", default_timeout=120)
at.run()
at.switch_page("views/five_in_two.py").run()
assert not at.exception, at.exception
print("first run:", sorted(m for m in HEAVY if m in sys.modules))
at.button(key="f52:run:step").click().run()
assert not at.exception, at.exception
print("after Step:", sorted(m for m in HEAVY if m in sys.modules))
print("readout:", at.get("progress")[0].proto.text)
"""


def test_a_cold_servers_first_page_and_first_step_import_no_numba() -> None:
    """Cold start (issue 18): the home page and 5 in 2 run, and the first Step trains (in numpy, while the kernel
    would compile), without importing numba, scipy, scikit-learn or torch; the hidden-space view (scikit-learn's
    PCA) comes with the first trained figure. A fresh interpreter, because this one has imported them all."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", FIRST_RUN_IMPORTS], cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    lines = out.stdout.strip().splitlines()
    assert "first run: []" in lines, out.stdout + out.stderr
    assert "after Step: ['scipy', 'sklearn']" in lines, out.stdout + out.stderr
    readout = next(line for line in lines if line.startswith("readout:"))
    assert re.match(r"readout: Step [1-9][\d,]* of 10,000", readout), readout  # trained (numpy's steps are time-capped)


def test_server_caps_malloc_arenas_once_on_glibc(monkeypatch) -> None:
    """On glibc the app asks for two malloc arenas, once per process (the memory benchmark's finding)."""
    from ui import warmup

    calls = []

    class FakeLibc:
        def mallopt(self, param, value):
            calls.append((param, value))
            return 1

    monkeypatch.setattr(warmup, "_libc", FakeLibc)  # not ctypes.CDLL: threadpoolctl loads BLAS with it
    warmup.limit_malloc_arenas.clear()
    open_page(F52).run()
    open_page(F52)
    assert calls == [(-8, 2)], calls  # M_ARENA_MAX is -8 in glibc's malloc.h
    warmup.limit_malloc_arenas.clear()


def test_kernel_warmup_starts_once_after_the_first_page_has_run(monkeypatch) -> None:
    """Compiling holds the GIL, so the warm-up waits for the first page to draw; live panels are told to train
    with numpy from the start (KERNEL_COMPILING), so a Play in between never waits for numba."""
    from streamlit.navigation.page import StreamlitPage

    from core import train
    from ui import warmup

    events = []
    page_run = StreamlitPage.run

    def run_page(self):
        events.append(("page starts", train.KERNEL_COMPILING.is_set()))
        page_run(self)
        events.append(("page ran", None))

    class FakeThread:
        def __init__(self, target, name, daemon):
            self.name = name

        def start(self):
            events.append(("warm-up starts", train.KERNEL_COMPILING.is_set()))

    monkeypatch.setattr(StreamlitPage, "run", run_page)
    monkeypatch.setattr(warmup, "threading", SimpleNamespace(Thread=FakeThread))  # only warmup's view of it
    warmup.start_warmup.clear()
    warmup.hold_kernel.clear()
    train.KERNEL_COMPILING.clear()
    try:
        open_page(F52).run()  # the home page, then 5 in 2 twice
        open_page(F52)  # another session
        assert events[:3] == [("page starts", True), ("page ran", None), ("warm-up starts", True)], events
        assert [e for e, _ in events].count("warm-up starts") == 1, events
    finally:
        train.KERNEL_COMPILING.clear()  # no real warm-up ran: the kernel is compiled in tests
        warmup.start_warmup.clear()
        warmup.hold_kernel.clear()


def test_the_warmup_pauses_before_compiling_and_releases_the_numpy_steps_after(monkeypatch) -> None:
    """The compile waits WARMUP_DELAY_S after the first page (the browser drawing that page, and the first Play's
    numpy steps, get the CPU first); once compiled, live panels switch to the kernel."""
    from core import train
    from ui import warmup

    events = []
    monkeypatch.setattr(warmup.time, "sleep", lambda s: events.append(("pause", s)))
    monkeypatch.setattr(warmup, "train", lambda cfg, threads: events.append(("compile", cfg.model)))
    train.KERNEL_COMPILING.set()
    try:
        warmup._compile_all()
        assert events[0] == ("pause", warmup.WARMUP_DELAY_S) and warmup.WARMUP_DELAY_S > 0
        assert {kind for kind, _ in events[1:]} == {"compile"} and len(events) > 1
        assert not train.KERNEL_COMPILING.is_set()
    finally:
        train.KERNEL_COMPILING.clear()
