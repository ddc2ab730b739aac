"""Chart builders of "Undoing superposition", on hand-made tables: arrows, matching matrix, trade-off, losses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.charts import style
from core.charts import undoing_superposition as sae_charts
from tests.helpers import axis_titles, dataset_with, datasets_with, encodings, marks, spec_of, subtitles, titles


def test_directions_true_features_grey_latents_coloured_by_cosine() -> None:
    table = pd.DataFrame(
        {
            "kind": ["true feature", "true feature", "SAE latent", "SAE latent"],
            "index": [0, 1, 0, 1],
            "x": [1.0, 0.0, 0.8, -0.6],
            "y": [0.0, 1.0, 0.6, 0.0],
            "cos": [np.nan, np.nan, 0.9, np.nan],  # latent 1 matched nothing: drawn with cos 0
        }
    )
    spec = spec_of(sae_charts.directions(table, ("PC 1", "PC 2")))
    true = dataset_with(spec, "feature")
    assert [(r["feature"], r["x0"], r["y0"], r["x"], r["y"]) for r in true] == [
        (0, 0, 0, 1.0, 0.0),
        (1, 0, 0, 0.0, 1.0),
    ]
    latents = datasets_with(spec, "latent")
    assert latents and all(
        [(r["latent"], r["x"], r["y"], r["cos"]) for r in rows] == [(0, 0.8, 0.6, 0.9), (1, -0.6, 0.0, 0.0)]
        for rows in latents
    )
    cos = [e for e in encodings(spec, "color") if e.get("field") == "cos"]
    assert cos and all(e["scale"] == {"scheme": style.SEQUENTIAL, "domain": [0, 1]} for e in cos)
    assert axis_titles(spec, "x") == {"PC 1"} and axis_titles(spec, "y") == {"PC 2"}
    domains = {tuple(e["scale"]["domain"]) for e in encodings(spec, "x") if "scale" in e}
    assert domains == {(-1.1, 1.1)}  # unit circle kept in view, 10% margin
    assert "SAE directions over the true features" in titles(spec)


def test_matching_abs_cosine_per_latent_and_feature() -> None:
    table = pd.DataFrame(
        {"rank": [0, 0, 1, 1], "latent": [3, 3, 7, 7], "feature": [0, 1, 0, 1], "cos": [0.9, -0.1, 0.2, -0.8]}
    )
    spec = spec_of(sae_charts.matching(table))
    rows = dataset_with(spec, "abs_cos")
    assert [(r["rank"], r["latent"], r["feature"], r["cos"], r["abs_cos"]) for r in rows] == [
        (0, 3, 0, 0.9, 0.9),
        (0, 3, 1, -0.1, 0.1),
        (1, 7, 0, 0.2, 0.2),
        (1, 7, 1, -0.8, 0.8),
    ]
    assert spec["encoding"]["x"]["field"] == "feature" and spec["encoding"]["x"]["type"] == "ordinal"
    assert spec["encoding"]["y"]["field"] == "rank" and spec["encoding"]["y"]["axis"]["labels"] is True
    colour = spec["encoding"]["color"]
    assert colour["field"] == "abs_cos" and colour["scale"] == {"scheme": style.SEQUENTIAL, "domain": [0, 1]}
    assert marks(spec) == ["rect"]
    assert "Which latent found which feature" in titles(spec)
    assert spec["width"]["step"] == spec["height"]["step"] == 14.0  # 2 x 2 cells: the largest step


def test_matching_hides_latent_labels_when_many() -> None:
    table = pd.DataFrame({"rank": np.arange(50), "latent": np.arange(50), "feature": 0, "cos": 0.5})
    spec = spec_of(sae_charts.matching(table))
    assert spec["encoding"]["y"]["axis"]["labels"] is False


def test_tradeoff_sweep_points_on_log_l0_and_current_run() -> None:
    sweep = pd.DataFrame(
        {
            "coefficient": [0.01, 0.1, 1.0],
            "l0": [20.0, 5.0, 1.0],
            "fve": [0.99, 0.9, -0.2],
            "recovered_fraction": [0.2, 0.8, 0.1],
            "dead": [0, 2, 10],
        }
    )
    spec = spec_of(sae_charts.tradeoff(sweep, current={"l0": 4.0, "fve": 0.85}))
    rows = dataset_with(spec, "coefficient")
    assert [(r["coefficient"], r["l0"], r["fve"], r["recovered_fraction"], r["dead"]) for r in rows] == [
        (0.01, 20.0, 0.99, 0.2, 0),
        (0.1, 5.0, 0.9, 0.8, 2),
        (1.0, 1.0, -0.2, 0.1, 10),
    ]
    assert [{"l0": 4.0, "fve": 0.85, "l0_drawn": 4.0}] in spec["datasets"].values()
    assert sorted(marks(spec)) == ["circle", "line", "point", "text"]
    x = [e for e in encodings(spec, "x") if "scale" in e]
    assert x and all(e["field"] == "l0_drawn" and e["scale"]["type"] == "log" for e in x)
    y = [e for e in encodings(spec, "y") if "scale" in e]
    assert y and all(e["scale"]["domain"] == [-0.2, 1] for e in y)  # the axis reaches down to a negative fve
    colour = encodings(spec, "color")
    assert [c["field"] for c in colour] == ["recovered_fraction"]
    assert encodings(spec, "text")[0]["field"] == "coefficient"
    assert "Sparsity against reconstruction" in titles(spec)
    assert "diamond: your run" in subtitles(spec)


def test_tradeoff_without_current_run_and_with_positive_fve() -> None:
    sweep = pd.DataFrame({"coefficient": [0.1], "l0": [3.0], "fve": [0.5], "recovered_fraction": [1.0], "dead": [0]})
    spec = spec_of(sae_charts.tradeoff(sweep))
    assert sorted(marks(spec)) == ["circle", "line", "text"]
    assert all(e["scale"]["domain"] == [0.0, 1] for e in encodings(spec, "y") if "scale" in e)


def test_tradeoff_draws_an_all_dead_sweep_point_at_the_floor_of_the_log_axis() -> None:
    sweep = pd.DataFrame(
        {
            "coefficient": [0.3, 10.0],
            "l0": [2.5, 0.0],
            "fve": [0.8, 0.0],
            "recovered_fraction": [1.0, 0.0],
            "dead": [0, 40],
        }
    )
    spec = spec_of(sae_charts.tradeoff(sweep, current={"l0": 0.0, "fve": 0.0}, subtitle="precomputed"))
    rows = dataset_with(spec, "coefficient")
    assert [r["l0_drawn"] for r in rows] == [2.5, sae_charts.L0_FLOOR]
    assert [r["l0"] for r in rows] == [2.5, 0.0]  # the tooltip keeps the measured value
    assert [{"l0": 0.0, "fve": 0.0, "l0_drawn": sae_charts.L0_FLOOR}] in spec["datasets"].values()
    assert "precomputed" in subtitles(spec)


def test_matching_names_the_dictionary_rows() -> None:
    table = pd.DataFrame({"latent": [0, 1], "rank": [0, 1], "feature": [0, 0], "cos": [0.9, -0.95]})
    spec = spec_of(sae_charts.matching(table, title="Dictionary learning, signed codes", rows="atom"))
    assert "Dictionary learning, signed codes" in titles(spec)
    assert encodings(spec, "y")[0]["title"] == "atom (sorted by matched feature)"
    assert "a clean diagonal = one atom per feature" in subtitles(spec)


def test_losses_two_parts_per_step() -> None:
    steps = np.array([0, 100])
    history = np.array([[1.0, 0.1], [0.5, 0.2]])  # [points, (reconstruction, penalty)]
    spec = spec_of(sae_charts.losses(steps, history))
    rows = dataset_with(spec, "part")
    assert [(r["step"], r["part"], r["value"]) for r in rows] == [
        (0, "reconstruction", 1.0),
        (0, "penalty", 0.1),
        (100, "reconstruction", 0.5),
        (100, "penalty", 0.2),
    ]
    assert spec["encoding"]["color"]["field"] == "part"
    assert spec["encoding"]["color"]["scale"]["range"] == style.OKABE_ITO[:2]
    assert spec["title"]["text"] == "SAE loss" and marks(spec) == ["line"]
    with pytest.raises(ValueError):
        sae_charts.losses(steps, np.ones((3, 2)))
