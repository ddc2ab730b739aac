"""AppTests for three "Beyond the basics" chapters: learning dynamics, privileged basis, computation.

Each test moves a page's main controls and checks that the charts (or the numbers it reports) respond.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.assets import load_asset
from core.chapters import computation
from tests.helpers import Chart, captions, chart_with, moved, open_page, page_charts, progress_text

DYNAMICS = "views/learning_dynamics.py"
PRIVILEGED = "views/privileged_superposition.py"
COMPUTATION = "views/computation.py"


def marker(chart: Chart) -> float:
    """Where the density marker (a lone 1/(1-S) value) sits on a neurons-by-kind chart."""
    [inv] = [t.column("inv")[0].as_py() for t in chart.tables if t.column_names == ["inv"]]
    return inv


def neuron_kinds(chart: Chart) -> list[str]:
    """The kind of each neuron in a neuron-stack chart."""
    return chart.column("kind", having=("neuron",))


def replay_step(chart: Chart) -> float:
    [step] = [
        s for s, what in zip(chart.column("step", having=("what",)), chart.column("what")) if what == "replay step"
    ]
    return step


def test_privileged_precomputed_view_follows_the_density() -> None:
    at = open_page(PRIVILEGED)
    assert "Precomputed" in captions(at)
    at.select_slider(key="ps_paper_density").set_value("1").run()
    assert not at.exception
    assert "At p = 1: 5 monosemantic, 0 polysemantic" in captions(at)
    kinds, weights, stack = page_charts(at)[:3]  # the precomputed sweep comes first
    assert marker(kinds) == 1.0  # the marker sits at 1/(1-S) = 1/p = 1
    assert weights.title().startswith("W at p = 1 ")
    assert neuron_kinds(stack).count("monosemantic") == 5
    at.select_slider(key="ps_paper_density").set_value("0.001").run()
    assert "At p = 0.001: 0 monosemantic, 5 polysemantic" in captions(at)
    kinds, weights, stack = page_charts(at)[:3]
    assert marker(kinds) == pytest.approx(1000.0)
    assert weights.title().startswith("W at p = 0.001 ")
    assert neuron_kinds(stack).count("polysemantic") == 5 and "monosemantic" not in neuron_kinds(stack)


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
    untrained = page_charts(at)[-1]  # the live run's weights, neuron by neuron
    at.button(key="ps:run:step").click().run()
    assert progress_text(at).startswith("Step 1,000 of 20,000")
    assert moved(untrained, page_charts(at)[-1], "w", having=("neuron",))
    at.slider(key="ps_decay").set_value(0.6).run()
    assert progress_text(at).startswith("Step 0 of")  # a changed control starts a new model
    at.button(key="ps_paper").click().run()
    assert at.slider(key="ps_decay").value == 0.75


def test_computation_sweep_view_and_motif_picker_respond() -> None:
    at = open_page(COMPUTATION)
    assert "Feature 0: **h" in " ".join(m.value for m in at.markdown)  # the precomputed circuit is described
    text = captions(at)
    at.select_slider(key="cs_density").set_value("1").run()
    assert not at.exception
    counts = computation.kind_counts(load_asset("computation_sweep").arrays["W1"][:1].astype(float))
    mono, poly = int(counts["monosemantic"][0]), int(counts["polysemantic"][0])
    assert f"At p = 1: {mono} monosemantic and {poly} polysemantic" in captions(at) and captions(at) != text
    assert marker(chart_with(at, "Neurons by kind, from dense")) == 1.0
    assert chart_with(at, "W1 at p = ").title().startswith("W1 at p = 1 ")
    [stack] = [c for c in page_charts(at) if neuron_kinds(c)][:1]
    assert (neuron_kinds(stack).count("monosemantic"), neuron_kinds(stack).count("polysemantic")) == (mono, poly)
    motifs = at.selectbox(key="cs_motif")
    assert len(motifs.options) >= 1
    edges = chart_with(at, "The motif").column("edge")
    if len(motifs.options) > 1:
        motifs.set_value(motifs.options[-1]).run()
        assert chart_with(at, "The motif").column("edge") != edges  # other inputs and neurons are wired


def test_computation_live_modes() -> None:
    at = open_page(COMPUTATION)
    at.button(key="cs:run:step").click().run()
    assert progress_text(at).startswith("Step 500 of 10,000")
    assert not [c for c in page_charts(at) if c.mentions("Neurons by kind in this run")]
    at.radio(key="cs_mode").set_value("Sweep: n = 30, m = 12, 6 densities").run()
    assert progress_text(at).startswith("Step 0 of 10,000")
    # untrained: the sweep's weights are drawn, but neuron-kind counts of random weights are no result
    assert not [c for c in page_charts(at) if c.mentions("Neurons by kind in this run")]
    at.button(key="cs:run:step").click().run()
    assert chart_with(at, "Neurons by kind in this run")  # the live part now shows the n = 30 sweep


def test_dynamics_step_draws_curves_and_replay_moves_the_geometry() -> None:
    at = open_page(DYNAMICS)
    assert "Press Play (or Step) to train" in captions(at)
    assert chart_with(at, "WᵀW and b at step 0")  # before training, the starting weights are the first figure
    at.button(key="ld:run:step").click().run()
    assert not at.exception
    assert progress_text(at).startswith("Step 1,000 of 10,000")
    assert "In this run:" in captions(at)
    assert replay_step(page_charts(at)[0]) == 1000
    assert chart_with(at, "WᵀW and b at step 1,000")
    at.slider(key="ld_replay").set_value(500).run()
    assert "Step 500:" in captions(at)
    assert replay_step(page_charts(at)[0]) == 500  # the replay marker moved back ...
    assert chart_with(at, "WᵀW and b at step 500")  # ... and the geometry shows that step


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
    assert at.select_slider(key="ld_uni_starts").value == 4  # best of 4 by default (issue 13)
    assert "At step 1,000 (latest snapshot)" in captions(at)  # where the stored D_i are, read from the run
