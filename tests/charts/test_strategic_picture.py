"""Chart builder of the strategic-picture chapter, on hand-made arrays: both counts, log axis, neuron line."""

from __future__ import annotations

import numpy as np

from core.charts import strategic_picture as strategic_charts
from core.charts import style
from tests.helpers import dataset_with, datasets_with, encodings, marks, spec_of, subtitles, titles


def test_readability_two_counts_against_inverse_density() -> None:
    spec = spec_of(
        strategic_charts.readability(np.array([0.5, 0.05]), np.array([5, 9]), np.array([5, 1]), 5, title="Read")
    )
    rows = dataset_with(spec, "count")
    assert [(r["measure"], r["inverse density"], r["count"]) for r in rows] == [
        (strategic_charts.STORED, 2.0, 5.0),
        (strategic_charts.STORED, 20.0, 9.0),
        (strategic_charts.MONO, 2.0, 5.0),
        (strategic_charts.MONO, 20.0, 1.0),
    ]
    assert datasets_with(spec, "y") == [[{"y": 5.0}]]  # dashed line at the number of neurons
    x = [e for e in encodings(spec, "x") if "scale" in e]
    assert len(x) == 1 and x[0]["scale"]["type"] == "log"
    colour = encodings(spec, "color")
    assert colour[0]["scale"]["domain"] == [strategic_charts.STORED, strategic_charts.MONO]
    assert colour[0]["scale"]["range"] == style.OKABE_ITO[:2]
    assert sorted(marks(spec)) == ["line", "rule"]
    assert "Read" in titles(spec)
    assert any("5 neurons (dashed)" in s for s in subtitles(spec))
