"""core.charts.superposition_hypothesis on hand-made arrays."""

from __future__ import annotations

import numpy as np

from core.charts import style
from core.charts import superposition_hypothesis as sh_charts
from tests.helpers import dataset_with, datasets_with, encodings, spec_of, subtitles, titles


def test_cos_histogram_bars_curve_and_epsilon() -> None:
    edges, heights = np.array([0.0, 0.5, 1.0]), np.array([1.6, 0.4])
    t, density = np.array([0.0, 0.5, 0.9]), np.array([2.0, 1.0, 0.1])
    spec = spec_of(sh_charts.cos_histogram(edges, heights, 0.3, t, density, m=8))
    bars = dataset_with(spec, "hi")
    assert [(r["lo"], r["hi"], r["density"]) for r in bars] == [(0.0, 0.5, 1.6), (0.5, 1.0, 0.4)]
    curve = next(rows for rows in datasets_with(spec, "density") if "hi" not in rows[0])
    assert [r["density"] for r in curve] == [2.0, 1.0, 0.1]
    assert dataset_with(spec, "text") == [{"lo": 0.3, "text": "ε = 0.3"}]
    assert "m = 8: bars measured, line exact" in titles(spec)


def test_fit_counts_dots_capped_triangles_and_labelled_lines() -> None:
    ms = np.array([2, 4])
    counts = np.array([[1, 3], [10, 50]])  # 2 m values x 2 seeds
    capped = np.array([[False, False], [False, True]])
    spec = spec_of(sh_charts.fit_counts_chart(ms, counts, capped, np.array([2.0, 20.0]), np.array([1.5, 3.0]), 50, 0.5))
    dots = dataset_with(spec, "kind")
    assert [(r["m"], r["N"]) for r in dots] == [(2, 1), (2, 3), (4, 10), (4, 50)]
    assert [r["kind"] for r in dots].count("measured (hit the cap of 50)") == 1
    lines, ends = sorted(datasets_with(spec, "curve"), key=len, reverse=True)
    assert len(lines) == 6  # three curves, two m each, all under 10 x the cap
    assert [(r["curve"], r["m"]) for r in ends] == [
        ("exact-distribution estimate", 4),
        ("exp(m ε²/4)  (JL)", 4),
        ("N = m", 4),
    ]  # each line is labelled at its last point
    shape = next(e for e in encodings(spec, "shape"))
    assert shape["scale"]["range"] == ["circle", "triangle-up"]
    assert any(e.get("scale", {}).get("type") == "log" for e in encodings(spec, "y"))


def test_fit_counts_drop_curve_points_far_above_the_cap() -> None:
    ms = np.array([2, 4])
    spec = spec_of(
        sh_charts.fit_counts_chart(
            ms, np.ones((2, 1)), np.zeros((2, 1), bool), np.array([5.0, 1e6]), np.array([1.0, 2.0]), 10, 0.5
        )
    )
    curves = max(datasets_with(spec, "curve"), key=len)
    assert all(r["N"] <= 100 for r in curves) and len(curves) == 5


def test_sensing_stems_truth_recovery_and_least_norm() -> None:
    x = np.array([0.0, 1.5, 0.0, -1.0])
    spec = spec_of(sh_charts.sensing_stems(x, np.array([0.0, 1.4, 0.0, -1.0]), np.array([0.1, 0.5, 0.2, -0.3])))
    recovered, least_norm = sorted(datasets_with(spec, "what"), key=lambda rows: rows[0]["what"], reverse=True)
    assert [r["value"] for r in recovered] == [0.0, 1.4, 0.0, -1.0] and {r["what"] for r in recovered} == {"recovered"}
    assert [r["value"] for r in least_norm] == [0.1, 0.5, 0.2, -0.3]
    truth = next(rows for rows in datasets_with(spec, "value") if "what" not in rows[0])
    assert [(r["i"], r["value"]) for r in truth] == [(1, 1.5), (3, -1.0)]  # only the non-zeros get a stem
    color = next(e for e in encodings(spec, "color"))
    assert color["scale"]["range"] == [style.OKABE_ITO[1], style.GREY]


def test_recovery_chart_share_and_marks_at_m_and_k() -> None:
    spec = spec_of(sh_charts.recovery_chart(np.array([1, 5, 9]), np.array([1.0, 0.5, 0.0]), m=6, k=5))
    assert [r["share"] for r in dataset_with(spec, "share")] == [1.0, 0.5, 0.0]
    assert dataset_with(spec, "what") == [{"k": 6, "what": "k = m = 6"}, {"k": 5, "what": "your k = 5"}]
    assert next(e for e in encodings(spec, "y"))["scale"]["domain"] == [0, 1]


def test_eigen_bars_colour_those_beyond_m() -> None:
    spec = spec_of(sh_charts.eigen_bars(np.array([2.0, 1.0, 1e-9]), m=2, title="Eigen"))
    rows = dataset_with(spec, "eigenvalue")
    assert [(r["k"], r["kind"], r["label"]) for r in rows] == [
        (1, "first m = 2", "2.00"),
        (2, "first m = 2", "1.00"),
        (3, "beyond m (must be 0)", "1e-09"),
    ]
    assert "Eigen" in titles(spec) and subtitles(spec) == []
