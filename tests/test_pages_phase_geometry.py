"""AppTests for the "Phase change" and "Geometry" chapters: they run, their controls work, their charts respond."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from tests.helpers import Chart, markdown_text, moved, open_page, page_charts, progress_texts
from ui.chapters import phase_change as ph


def ring(chart: Chart) -> tuple[float, float]:
    """The (ratio r, density p) of the chosen cell, ringed on a phase diagram."""
    [cell] = [(t.column("r")[0].as_py(), t.column("p")[0].as_py()) for t in chart.tables if t.num_rows == 1]
    return cell


def dims_marker(chart: Chart) -> float:
    """Where the dimensions-per-feature chart marks the chosen density, as 1/(1-S)."""
    [x] = [t.column("x")[0].as_py() for t in chart.tables if t.column_names == ["x"]]
    return x


def phases(chart: Chart) -> Counter:
    """How many cells of a phase diagram show each phase."""
    return Counter(chart.column("phase"))


def test_phase_page_shows_both_diagrams_and_trains_a_cell() -> None:
    at = open_page("views/phase_change.py")
    before = page_charts(at)
    assert len(before) == 5  # trained diagram, theory diagram, the chosen cell's models, two candidate-loss charts
    assert before[0].spec["params"][0]["name"] == "cell"  # the trained diagram is clickable
    assert all("theory boundary" in c.column("line") for c in before[:2])  # the border is drawn on both diagrams
    assert progress_texts(at) == ["Step 0 of 10,000 · press Play to train"]
    badges = markdown_text(at)
    assert "Precomputed" in badges and "Trained live just now" in badges and "Closed form" in badges
    at.button(key="pc:cell:step").click().run()
    assert not at.exception
    assert progress_texts(at)[0].startswith("Step 500 of 10,000")
    after = page_charts(at)
    assert after[:2] == before[:2]  # the diagrams stay ...
    assert moved(before[2], after[2], "w", having=("seed",))  # ... only the cell's weights moved
    assert any("the theory for r = " in m.value for m in at.markdown)


def test_phase_page_controls_change_what_is_shown() -> None:
    at = open_page("views/phase_change.py", {"predict": "off"})  # with a prediction to make, a picked cell waits
    first = page_charts(at)
    at.select_slider(key="pc_p").set_value(ph.P_OPTIONS[2]).run()  # a dense cell
    dense = page_charts(at)
    assert ring(first[0]) == ring(first[1]) and ring(first[0])[1] != pytest.approx(ph.P_OPTIONS[2])
    assert ring(dense[0])[1] == ring(dense[1])[1] == pytest.approx(ph.P_OPTIONS[2])  # the ring moved on both
    assert not progress_texts(at)[0].startswith("Step 0 of")  # choosing a cell starts training it
    at.radio(key="pc_reduction").set_value("The lowest-loss model only").run()
    best = page_charts(at)
    assert phases(best[0]) != phases(dense[0]) and best[1] == dense[1]  # the trained diagram changes, not theory
    at.radio(key="pc_model").set_value("n = 3 features, m = 2 dimensions").run()
    assert not at.exception
    three = page_charts(at)
    assert three[0].title() == "Trained: n = 3, m = 2" and best[0].title() == "Trained: n = 2, m = 1"
    assert phases(three[1]) != phases(best[1])  # the n = 3 theory puts its arrangements elsewhere
    assert "facet" in three[2].spec  # 2-D arrows per model


def test_phase_page_live_diagram_and_paper_settings() -> None:
    at = open_page("views/phase_change.py")
    at.radio(key="pc_source").set_value(at.radio(key="pc_source").options[1]).run()
    assert len(progress_texts(at)) == 2  # the coarse diagram and the cell each have a run
    untrained = page_charts(at)[0]
    at.button(key="pc:grid:step").click().run()
    assert not at.exception
    assert progress_texts(at)[0].startswith("Step 500 of")
    trained = page_charts(at)[0]
    assert trained.rows() == untrained.rows()  # the same coarse grid ...
    assert moved(untrained, trained, "mean superposition")  # ... now coloured by what the models learned
    at.button(key="pc_paper").click().run()
    assert at.radio(key="pc_source").value.startswith("Precomputed")
    assert len(progress_texts(at)) == 1


def test_geometry_page_precomputed_sweeps() -> None:
    at = open_page("views/geometry.py")
    paper = page_charts(at)
    # dimensions per feature, D_i, feature graph, polytope gallery; then the pentagon experiment's
    # arrows, arrow lengths and angles; last, W^T W grouped by tegum factor
    assert len(paper) == 8
    assert "Precomputed" in markdown_text(at)
    # sticky levels and the D_i guide lines are labelled
    assert "1/2" in paper[0].column("name") and {"3/8", "2/5"} <= set(paper[1].column("name"))
    at.radio(key="geo_source").set_value("notebook").run()
    notebook = page_charts(at)
    assert set(notebook[0].column("run")) != set(paper[0].column("run"))  # another sweep's curve
    assert notebook[1].rows() != paper[1].rows()  # and its features' D_i
    at.select_slider(key="geo_density_notebook").set_value(7).run()  # 1/(1-S) = 3: all antipodal pairs
    plateau = page_charts(at)
    assert dims_marker(plateau[0]) == pytest.approx(3, rel=0.02) and dims_marker(notebook[0]) > 4
    # every stored feature in the graph now sits in an antipodal pair (a digon), with D_i = 1/2
    assert "other" in notebook[2].column("kind")
    nodes = plateau[2].column("kind")
    assert set(nodes) == {"digon"} and len(nodes) == 38
    np.testing.assert_allclose(plateau[2].array("D", having=("kind",)), 0.5, atol=0.05)
    assert "digon" in plateau[3].text and "pentagon" not in plateau[3].text  # only antipodal pairs
    assert any("19 tegum factors: 19 × digon" in m.value for m in at.markdown)


def test_geometry_page_live_sweep_and_nonuniform() -> None:
    at = open_page("views/geometry.py")
    at.radio(key="geo_source").set_value("live").run()
    assert progress_texts(at)[0].startswith("Step 0 of 10,000")
    before = page_charts(at)
    at.button(key="geo:uniform:step").click().run()
    assert not at.exception and progress_texts(at)[0].startswith("Step 500 of")
    after = page_charts(at)
    assert len(after) == 8  # the seven above plus W^T W grouped by tegum factor
    assert moved(before[0], after[0], "y", having=("run",))  # dimensions per feature, from the trained models
    assert moved(before[1], after[1], "D", having=("kind",))  # and every feature's D_i
    at.radio(key="geo_nonuniform").set_value("anticorrelated").run()
    assert len(page_charts(at)) == 6  # the pairs experiment draws its arrows and a table instead of two line charts
    pairs = page_charts(at)[-2]  # the last chart is W^T W grouped by tegum factor
    assert after[4].rows() == [35] and pairs.rows() == [16]  # the pentagon sweep's arrows gave way to the pairs'
    at.button(key="geo:nonuniform:step").click().run()
    trained = page_charts(at)[-2]
    assert not at.exception
    assert trained.array("norm").mean() > pairs.array("norm").mean()  # the pairs' arrows grew as they trained
    assert at.dataframe  # the within-pair relations table


def test_geometry_page_fine_sweep_shows_a_tetrahedron_and_says_where_shapes_appear() -> None:
    """Issue 13: the page names shapes in the order the fine sweep shows them, formatted from that asset."""
    from core.chapters import geometry, geometry_sweep_claims
    from ui.chapters import geometry as geo

    at = open_page("views/geometry.py")
    fine = geo.quiet_sweep("dense_end")
    text = markdown_text(at)
    assert geometry_sweep_claims.order_sentence(geometry_sweep_claims.shape_spans(fine.summary)) in text
    assert "come *before* the ½ plateau" in text and "Σ D_i is at most m" in text
    assert "tetrahedra (3/4) appear" not in text and "however the features are arranged" not in text
    at.radio(key="geo_source").set_value("dense_end").run()
    assert not at.exception
    charts = page_charts(at)
    assert {"tetrahedron (3/4)", "triangle (2/3)", "digon (1/2)"} <= set(charts[1].column("kind"))  # fractions
    inv = 1 / fine.summary.densities[fine.w_index]
    at.select_slider(key="geo_density_dense_end").set_value(int(np.argmin(np.abs(inv - 1.5)))).run()
    assert "tetrahedron" in page_charts(at)[3].text  # the gallery draws it
    assert geometry.EDGE_THRESHOLD == 0.2
