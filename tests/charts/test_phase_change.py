"""Chart builders of the phase-change chapter, on hand-made arrays: cells, colours, boundary, ring, seeds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.charts import phase_change as phase_change_charts
from tests.helpers import dataset_with, encodings

NAMES = ("not learned", "superposition", "dedicated")


def test_phase_diagram_one_cell_per_grid_point_with_log_edges() -> None:
    ratios, densities = np.array([0.1, 1.0, 10.0]), np.array([0.01, 0.1])
    phase = np.array([[0, 1], [1, 2], [2, 2]])  # [R, P]
    norm = np.arange(6, dtype=float).reshape(3, 2)
    chart = phase_change_charts.phase_diagram(ratios, densities, phase, NAMES, "Diagram", details={"norm": norm})
    cells = dataset_with(chart.to_dict(), "phase")
    assert len(cells) == 6
    at = {(r["r"], r["p"]): r for r in cells}
    assert at[(0.1, 0.01)]["phase"] == "not learned" and at[(1.0, 0.1)]["phase"] == "dedicated"
    assert at[(10.0, 0.01)]["norm"] == 4.0
    # edges halfway between centres on a log axis: 1 sits in [10^-0.5, 10^0.5]
    assert at[(1.0, 0.01)]["r0"] == pytest.approx(10**-0.5) and at[(1.0, 0.01)]["r1"] == pytest.approx(10**0.5)
    assert at[(0.1, 0.01)]["r0"] == pytest.approx(10**-1.5)  # extended by half a step at the ends
    (colour,) = encodings(chart.to_dict(), "color")
    assert colour["scale"]["domain"] == list(NAMES)
    assert colour["scale"]["range"] == ["#BBBBBB", "#E69F00", "#0072B2"]


def test_phase_diagram_boundary_ring_and_click_selection() -> None:
    r = np.array([0.5, 2.0])
    boundary = [(np.array([0.2, 0.4]), np.array([0.05, 0.1])), (np.array([1.0, 2.0]), np.array([0.5, 0.6]))]
    chart = phase_change_charts.phase_diagram(
        r, r / 4, np.zeros((2, 2), int), NAMES, "D", boundaries=boundary, selected=(2.0, 0.5), selectable=True
    )
    spec = chart.to_dict()
    line = dataset_with(spec, "segment")
    assert [(row["segment"], row["r"], row["p"]) for row in line] == [
        (0, 0.2, 0.05),
        (0, 0.4, 0.1),
        (1, 1.0, 0.5),
        (1, 2.0, 0.6),
    ]
    ring = [rows for rows in spec["datasets"].values() if rows == [{"r": 2.0, "p": 0.5}]]
    assert len(ring) == 1
    (param,) = spec["params"]
    assert param["name"] == phase_change_charts.SELECTION and param["select"]["fields"] == ["r", "p"]
    scales = [e["scale"] for e in encodings(spec, "x") if "scale" in e]
    assert all(s["type"] == "log" and s["domain"] == phase_change_charts.R_DOMAIN for s in scales)
    plain = phase_change_charts.phase_diagram(r, r, np.zeros((2, 2), int), NAMES, "D").to_dict()
    assert "params" not in plain and len(plain["layer"]) == 1


def test_seed_lines_one_row_per_seed_and_fades_left_out_models() -> None:
    W = np.array([[[1.0], [-1.0]], [[0.5], [0.0]], [[0.0], [2.0]]])  # [S = 3, n = 2, m = 1]
    losses, kept = np.array([0.01, 0.02, np.nan]), np.array([True, True, False])
    spec = phase_change_charts.seed_lines(W, losses, kept, ["a", "b"]).to_dict()
    rows = dataset_with(spec, "seed")
    assert len(rows) == 6
    got = {(r["seed"], r["feature"]): (r["w"], r["status"]) for r in rows}
    assert got[("seed 0 · loss 1.00e-02", "b")] == (-1.0, "used")
    assert got[("seed 2 · left out", "b")] == (2.0, "left out")  # no loss shown when it is not finite
    domains = {tuple(e["scale"]["domain"]) for e in encodings(spec, "x") if "scale" in e}
    assert domains == {(-2.2, 2.2)}  # symmetric, 10% beyond the largest weight
    opacity = encodings(spec, "opacity")
    assert opacity and opacity[0]["scale"]["range"] == [1.0, 0.3]
    colour = encodings(spec, "color")[0]
    assert colour["scale"]["domain"] == ["a", "b"] and colour["legend"]["title"] == "feature"


def test_candidate_curves_one_line_per_candidate_on_log_axis() -> None:
    x = np.array([0.1, 1.0, 10.0])
    curves = {"dedicated": np.array([0.3, 0.2, 0.1]), "antipodal": np.array([0.1, 0.2, 0.3])}
    chart = phase_change_charts.candidate_curves(x, curves, "ratio r", title="Candidates")
    spec = chart.to_dict()
    rows = dataset_with(spec, "candidate")
    assert [(r["candidate"], r["x"], r["loss"]) for r in rows] == [
        ("dedicated", 0.1, 0.3),
        ("dedicated", 1.0, 0.2),
        ("dedicated", 10.0, 0.1),
        ("antipodal", 0.1, 0.1),
        ("antipodal", 1.0, 0.2),
        ("antipodal", 10.0, 0.3),
    ]
    xs = encodings(spec, "x")
    assert all(e["scale"]["type"] == "log" and e["title"] == "ratio r" for e in xs)
    colour = encodings(spec, "color")
    assert len(colour) == 1 and colour[0]["scale"]["domain"] == ["dedicated", "antipodal"]
    assert spec["title"]["text"] == "Candidates"
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["line"]


def test_candidate_curves_optional_bands_points_and_crossover() -> None:
    x = np.array([1.0, 2.0])
    curves = {"a": np.array([1.0, 2.0]), "b": np.array([3.0, 4.0])}
    errors = {"a": np.array([0.1, 0.2]), "b": np.array([0.0, 0.5])}
    points = pd.DataFrame({"x": [1.5], "loss": [2.5], "label": ["seed 0"]})
    spec = phase_change_charts.candidate_curves(x, curves, "p", crossover=1.5, points=points, errors=errors).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["line", "area", "point", "rule"]
    band = dataset_with(spec, "lo")
    np.testing.assert_allclose([r["lo"] for r in band], [0.9, 1.8, 3.0, 3.5])
    np.testing.assert_allclose([r["hi"] for r in band], [1.1, 2.2, 3.0, 4.5])
    assert dataset_with(spec, "label") == [{"x": 1.5, "loss": 2.5, "label": "seed 0"}]
    assert [{"x": 1.5}] in spec["datasets"].values()  # where the optimum switches
    assert encodings(spec, "shape")[0]["field"] == "label"
    empty = phase_change_charts.candidate_curves(x, curves, "p", points=points.iloc[:0]).to_dict()
    assert [layer["mark"]["type"] for layer in empty["layer"]] == ["line"]  # no trained models, no point layer
