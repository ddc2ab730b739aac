"""AppTests for the "Phase change" and "Geometry" chapters: they run, their controls work, their charts respond."""

from __future__ import annotations

import json

from tests.test_pages import charts, open_page
from ui.chapters import phase_change as ph


def progress_texts(at) -> list[str]:
    return [el.proto.text for el in at.get("progress")]


def spec(chart: str) -> dict:
    """The JSON spec part of a serialised chart from tests.test_pages.charts (datasets follow as hex)."""
    return json.JSONDecoder().raw_decode(chart)[0]


def test_phase_page_shows_both_diagrams_and_trains_a_cell() -> None:
    at = open_page("pages/phase_change.py")
    before = charts(at)
    assert len(before) == 3  # trained diagram, theory diagram, the chosen cell's models
    assert '"params": [{"name": "cell"' in before[0]  # the trained diagram is clickable
    assert all(b"theory boundary".hex() in c for c in before[:2])  # the border is drawn on both diagrams
    assert progress_texts(at) == ["Step 0 of 10,000 · press Play to train"]
    badges = " ".join(m.value for m in at.markdown)
    assert "Precomputed" in badges and "Trained live just now" in badges and "Closed form" in badges
    at.button(key="pc:cell:step").click().run()
    assert not at.exception
    assert progress_texts(at)[0].startswith("Step 500 of 10,000")
    after = charts(at)
    assert after[:2] == before[:2] and after[2] != before[2]  # only the cell's weights moved
    assert any("the theory for r = " in m.value for m in at.markdown)


def test_phase_page_controls_change_what_is_shown() -> None:
    at = open_page("pages/phase_change.py")
    first = charts(at)
    at.select_slider(key="pc_p").set_value(ph.P_OPTIONS[2]).run()  # a dense cell
    moved = charts(at)
    assert moved[0] != first[0] and moved[1] != first[1]  # the ring moved on both diagrams
    assert not progress_texts(at)[0].startswith("Step 0 of")  # choosing a cell starts training it
    at.radio(key="pc_reduction").set_value("The lowest-loss model only").run()
    best = charts(at)
    assert best[0] != moved[0] and best[1] == moved[1]  # the trained diagram changes, the theory does not
    at.radio(key="pc_model").set_value("n = 3 features, m = 2 dimensions").run()
    assert not at.exception
    three = charts(at)
    assert three[0] != best[0] and three[1] != best[1] and '"facet"' in three[2]  # 2-D arrows per model


def test_phase_page_live_diagram_and_paper_settings() -> None:
    at = open_page("pages/phase_change.py")
    at.radio(key="pc_source").set_value(at.radio(key="pc_source").options[1]).run()
    assert len(progress_texts(at)) == 2  # the coarse diagram and the cell each have a run
    untrained = charts(at)[0]
    at.button(key="pc:grid:step").click().run()
    assert not at.exception
    assert progress_texts(at)[0].startswith("Step 500 of")
    assert charts(at)[0] != untrained
    at.button(key="pc_paper").click().run()
    assert at.radio(key="pc_source").value.startswith("Precomputed")
    assert len(progress_texts(at)) == 1


def test_geometry_page_precomputed_sweeps() -> None:
    at = open_page("pages/geometry.py")
    paper = charts(at)
    # dimensions per feature, D_i, feature graph, polytope gallery; then the pentagon experiment's
    # arrows, arrow lengths and angles
    assert len(paper) == 7
    assert "Precomputed" in " ".join(m.value for m in at.markdown)
    # sticky levels and the D_i guide lines are labelled (chart data is Arrow, so search its bytes)
    assert b"1/2".hex() in paper[0] and b"3/8".hex() in paper[1] and b"2/5".hex() in paper[1]
    at.radio(key="geo_source").set_value("notebook").run()
    notebook = charts(at)
    assert notebook[0] != paper[0] and notebook[1] != paper[1]
    at.select_slider(key="geo_density_notebook").set_value(7).run()  # 1/(1-S) = 3: all antipodal pairs
    plateau = charts(at)
    assert plateau[2] != notebook[2] and plateau[3] != notebook[3]
    gallery = json.dumps(spec(plateau[3]))
    assert "digon" in gallery and "pentagon" not in gallery  # only antipodal pairs on the plateau
    assert any("19 tegum factors: 19 × digon" in m.value for m in at.markdown)


def test_geometry_page_live_sweep_and_nonuniform() -> None:
    at = open_page("pages/geometry.py")
    at.radio(key="geo_source").set_value("live").run()
    assert progress_texts(at)[0].startswith("Step 0 of 10,000")
    before = charts(at)
    at.button(key="geo:uniform:step").click().run()
    assert not at.exception and progress_texts(at)[0].startswith("Step 500 of")
    after = charts(at)
    assert after[0] != before[0] and after[1] != before[1]
    assert len(after) == 7
    at.radio(key="geo_nonuniform").set_value("anticorrelated").run()
    assert len(charts(at)) == 5  # the pairs experiment draws its arrows and a table instead of two line charts
    pairs = charts(at)[-1]
    assert pairs != after[4]
    at.button(key="geo:nonuniform:step").click().run()
    assert not at.exception and charts(at)[-1] != pairs
    assert at.dataframe  # the within-pair relations table
