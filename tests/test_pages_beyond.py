"""AppTests for three "Beyond the basics" chapters: learning dynamics, privileged basis, computation.

Each test moves a page's main controls and checks that the charts (or the numbers it reports) respond.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.assets import load_asset
from core.chapters import computation
from tests.test_pages import charts, open_page, progress_text

DYNAMICS = "pages/learning_dynamics.py"
PRIVILEGED = "pages/privileged_superposition.py"
COMPUTATION = "pages/computation.py"


def captions(at: AppTest) -> str:
    return " | ".join(c.value for c in at.caption)


def test_privileged_precomputed_view_follows_the_density() -> None:
    at = open_page(PRIVILEGED)
    assert "Precomputed" in captions(at)
    before = charts(at)
    at.select_slider(key="ps_paper_density").set_value("1").run()
    assert not at.exception
    assert "At p = 1: 5 monosemantic, 0 polysemantic" in captions(at)
    dense = charts(at)
    assert dense != before
    at.select_slider(key="ps_paper_density").set_value("0.001").run()
    assert "At p = 0.001: 0 monosemantic, 5 polysemantic" in captions(at)
    assert charts(at)[1:] != dense[1:]  # the weights and bars changed


def test_privileged_prose_reads_the_seed_count_from_the_asset() -> None:
    """The page once said "every one of our 32 seeds" while the asset had 31 of 32 aligned."""
    from core.chapters import privileged_superposition as ps

    a = load_asset("privileged_sweep").arrays
    aligned, total = ps.aligned_seeds(a["seed_mono"], a["densities"], a["W"].shape[-1])
    at = open_page(PRIVILEGED)
    text = " ".join(m.value for m in at.markdown)
    least = "" if ps.seed_counts_exact(a) else "at least "
    assert f"by then {least}{aligned} of our {total} seeds" in text
    assert "every one of our" not in text and "input *variance*" in text
    source = Path(PRIVILEGED).read_text()
    assert "paper's figure" not in source  # the paper gives no densities for it


def test_privileged_live_run_steps_restarts_and_restores_paper_settings() -> None:
    at = open_page(PRIVILEGED)
    assert progress_text(at).startswith("Step 0 of 20,000")
    untrained = charts(at)
    at.button(key="ps:run:step").click().run()
    assert progress_text(at).startswith("Step 1,000 of 20,000")
    assert charts(at)[-1] != untrained[-1]
    at.slider(key="ps_decay").set_value(0.6).run()
    assert progress_text(at).startswith("Step 0 of")  # a changed control starts a new model
    at.button(key="ps_paper").click().run()
    assert at.slider(key="ps_decay").value == 0.75


def test_computation_sweep_view_and_motif_picker_respond() -> None:
    at = open_page(COMPUTATION)
    assert "Feature 0: **h" in " ".join(m.value for m in at.markdown)  # the precomputed circuit is described
    before, text = charts(at), captions(at)
    at.select_slider(key="cs_density").set_value("1").run()
    assert not at.exception
    counts = computation.kind_counts(load_asset("computation_sweep").arrays["W1"][:1].astype(float))
    mono, poly = int(counts["monosemantic"][0]), int(counts["polysemantic"][0])
    assert f"At p = 1: {mono} monosemantic and {poly} polysemantic" in captions(at)
    assert charts(at) != before and captions(at) != text
    motifs = at.selectbox(key="cs_motif")
    assert len(motifs.options) >= 1
    shown = charts(at)
    if len(motifs.options) > 1:
        motifs.set_value(motifs.options[-1]).run()
        assert charts(at) != shown


def test_computation_live_modes() -> None:
    at = open_page(COMPUTATION)
    at.button(key="cs:run:step").click().run()
    assert progress_text(at).startswith("Step 500 of 10,000")
    assert not any("Neurons by kind in this run" in c for c in charts(at))
    at.radio(key="cs_mode").set_value("Sweep: n = 30, m = 12, 6 densities").run()
    assert progress_text(at).startswith("Step 0 of 10,000")
    assert any("Neurons by kind in this run" in c for c in charts(at))  # the live part now shows the n = 30 sweep


def test_dynamics_step_draws_curves_and_replay_moves_the_geometry() -> None:
    at = open_page(DYNAMICS)
    assert any("Press Play" in i.value for i in at.info)
    at.button(key="ld:run:step").click().run()
    assert not at.exception
    assert progress_text(at).startswith("Step 1,000 of 10,000")
    assert "In this run:" in captions(at)
    after = charts(at)
    at.slider(key="ld_replay").set_value(500).run()
    assert "Step 500:" in captions(at)
    assert charts(at) != after


def test_dynamics_controls_start_new_runs() -> None:
    at = open_page(DYNAMICS)
    at.button(key="ld:run:step").click().run()
    at.select_slider(key="ld_init").set_value(1.0).run()
    assert progress_text(at).startswith("Step 0 of")  # a new starting scale is a new run
    at.radio(key="ld_setting").set_value("Uniform superposition (n = 12, m = 4)").run()
    assert not at.exception
    at.button(key="ld:run:step").click().run()
    assert progress_text(at).startswith("Step 1,000 of 10,000")
    assert "antipodal pair" in captions(at)  # the uniform view explains its W^T W heatmap
