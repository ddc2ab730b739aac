"""AppTests for the "Experiment setup" and "Basic results" pages: the main controls change the charts."""

from __future__ import annotations

import numpy as np

from core.charts.style import FEATURE_PICK
from tests.helpers import Chart, chart_with, charts_with, moved, open_page, warnings
from tests.helpers import progress_texts as progress

SETUP = "views/experiment_setup.py"
RESULTS = "views/basic_results.py"


def dataset_rows(at, text: str) -> list[int]:
    return chart_with(at, text).rows()


def column_values(at, text: str, column: str) -> list:
    return chart_with(at, text).column(column)


def active_share(batch: Chart) -> float:
    """The share of non-zero cells in a batch heatmap: how many features fired."""
    return float(np.mean(batch.array("value") != 0))


def n_features(batch: Chart) -> int:
    return len(set(batch.column("feature")))


# ---- Experiment setup ------------------------------------------------------------------------


def test_setup_writes_out_the_data_models_and_loss() -> None:
    at = open_page(SETUP)
    formulas = " ".join(el.value for el in at.latex)
    assert "ReLU" in formulas and "W^\\top W x + b" in formulas and "I_i" in formulas and "1 - p" in formulas
    label = at.select_slider(key="es_density").label
    assert "density p = 1 − S" in label and "sparsity" in label
    for title in ("examples in one batch", "How often each feature fired", "Importance of each feature"):
        chart_with(at, title)
    assert progress(at) == ["Step 0 of 10,000 · press Play to train"]


def test_setup_density_changes_the_batch_and_the_frequency_chart() -> None:
    at = open_page(SETUP)
    batch, freq, imp = (chart_with(at, t) for t in ("in one batch", "each feature fired", "Importance of"))
    at.select_slider(key="es_density").set_value(0.01).run()
    assert not at.exception
    assert active_share(chart_with(at, "in one batch")) < active_share(batch)  # sparser inputs
    new_freq = chart_with(at, "each feature fired")
    assert new_freq.array("frequency").mean() < freq.array("frequency").mean()  # features fire less often
    assert new_freq.column("label") == ["chosen density p = 0.01"]
    assert chart_with(at, "Importance of") == imp  # importance does not depend on density


def test_setup_n_and_decay_change_the_importance_bars() -> None:
    at = open_page(SETUP)
    imp = chart_with(at, "Importance of")
    at.slider(key="es_decay").set_value(0.9).run()
    # importance I_i = decay^i, the paper's definition
    np.testing.assert_allclose(imp.array("importance"), 0.7 ** np.arange(20))
    np.testing.assert_allclose(chart_with(at, "Importance of").array("importance"), 0.9 ** np.arange(20))
    assert n_features(chart_with(at, "in one batch")) == 20
    at.slider(key="es_n").set_value(12).run()
    np.testing.assert_allclose(chart_with(at, "Importance of").array("importance"), 0.9 ** np.arange(12))
    assert n_features(chart_with(at, "in one batch")) == 12


def test_setup_draw_another_batch_resamples() -> None:
    at = open_page(SETUP)
    batch = chart_with(at, "in one batch")
    at.button(key="es_draw").click().run()
    assert moved(batch, chart_with(at, "in one batch"), "value")  # a new draw of the same-sized batch


def test_setup_trains_live_and_draws_the_loss_with_reference_levels() -> None:
    at = open_page(SETUP)
    rebuilt = chart_with(at, "output x'")
    assert not charts_with(at, "Training loss")
    at.button(key="es:run:step").click().run()
    assert not at.exception
    assert progress(at)[0].startswith("Step 500 of 10,000")
    levels = column_values(at, "Training loss", "name")
    assert levels == ["output 0 (untrained level, mean Iᵢ·p/3)", "best linear model (closed form)"]
    assert moved(rebuilt, chart_with(at, "output x'"), "value")  # the reconstructions x' changed
    at.radio(key="es_model").set_value("linear").run()
    assert progress(at)[0].startswith("Step 0 of")  # a new model, a new run


def test_setup_links_its_gram_norm_and_direction_charts() -> None:
    """Linked views (issue 18): the trained model's Wᵀ W, norm bars and feature directions follow one feature."""
    at = open_page(SETUP)
    at.button(key="es:run:step").click().run()
    linked = [chart_with(at, "What it learned"), chart_with(at, "Feature norms"), chart_with(at, "Feature directions")]
    assert all(FEATURE_PICK in c.text and "datum.feature == " not in c.text for c in linked), "pickable, none followed"
    at.session_state["es_followed"] = 5  # what a click on feature 5's bar, dot or Wᵀ W row records
    at.run()
    assert "Following feature 5" in " ".join(m.value for m in at.markdown)
    assert "datum.row == 5" in chart_with(at, "What it learned").text
    assert all("datum.feature == 5" in chart_with(at, t).text for t in ("Feature norms", "Feature directions"))
    at.button(key="es_unfollow").click().run()
    assert "Following feature" not in " ".join(m.value for m in at.markdown)
    assert "datum.feature == 5" not in chart_with(at, "Feature norms").text


def test_setup_warns_instead_of_training_when_m_is_not_below_n() -> None:
    at = open_page(SETUP)
    at.slider(key="es_n").set_value(4).run()
    at.slider(key="es_m").set_value(6).run()
    assert not at.exception
    assert "m < n" in warnings(at)
    assert progress(at) == []
    chart_with(at, "in one batch")  # the data pictures still work


def test_setup_paper_settings_restore_the_paper() -> None:
    at = open_page(SETUP)
    at.slider(key="es_n").set_value(8).run()
    at.select_slider(key="es_density").set_value(0.5).run()
    at.radio(key="es_model").set_value("linear").run()
    at.button(key="es_paper").click().run()
    assert at.slider(key="es_n").value == 20 and at.slider(key="es_m").value == 5
    assert at.slider(key="es_decay").value == 0.7 and at.select_slider(key="es_density").value == 0.1
    assert at.radio(key="es_model").value == "relu_output"


# ---- Basic results -----------------------------------------------------------------------------


def step_both(at) -> None:
    for model in ("linear", "relu_output"):
        at.button(key=f"br:{model}:step").click().run()
        assert not at.exception


def test_results_trains_both_models_side_by_side() -> None:
    at = open_page(RESULTS)
    assert progress(at) == ["Step 0 of 10,000 · press Play to train"] * 2
    names = ("Linear model", "ReLU-output model")
    before = [chart_with(at, f"Wᵀ W and b: {name}, p = 0.1") for name in names]
    assert not charts_with(at, "features represented")  # no overview before training
    step_both(at)
    assert all(p.startswith("Step 500 of 10,000") for p in progress(at))
    after = [chart_with(at, f"Wᵀ W and b: {name}, p = 0.1") for name in names]
    assert all(moved(b, a, "value") for b, a in zip(before, after))  # both models' W^T W and b changed
    models = set(column_values(at, "features represented", "model"))
    assert models == {"Linear model (500 steps)", "ReLU-output model (500 steps)"}


def test_results_train_both_button_starts_both_runs() -> None:
    at = open_page(RESULTS)
    at.button(key="br_play_both").click().run()
    assert not at.exception
    assert all(not p.startswith("Step 0 of") for p in progress(at)), progress(at)


def test_results_inspected_density_changes_the_detail_charts() -> None:
    at = open_page(RESULTS)
    step_both(at)
    at.select_slider(key="br_inspect").set_value(0.001).run()
    assert not at.exception
    for name in ("Linear model", "ReLU-output model"):
        chart_with(at, f"Wᵀ W and b: {name}, p = 0.001")
        chart_with(at, f"Feature directions: {name}, p = 0.001")
    assert not charts_with(at, "Wᵀ W and b: Linear model, p = 0.1")


def test_results_free_settings_start_new_runs() -> None:
    at = open_page(RESULTS)
    step_both(at)
    assert dataset_rows(at, "Wᵀ W and b: ReLU-output model, p = 0.1") == [20, 20 * 20]
    at.slider(key="br_decay").set_value(0.9).run()
    assert progress(at) == ["Step 0 of 10,000 · press Play to train"] * 2
    at.number_input(key="br_n").set_value(12).run()
    at.number_input(key="br_m").set_value(3).run()
    at.multiselect(key="br_densities").set_value([1.0, 0.05]).run()
    assert not at.exception
    assert at.select_slider(key="br_inspect").value == 0.05  # a stale choice falls back to the nearest to 0.1
    assert dataset_rows(at, "Wᵀ W and b: ReLU-output model, p = 0.05") == [12, 12 * 12]  # bias column, W^T W


def test_results_bad_settings_warn_without_a_traceback() -> None:
    at = open_page(RESULTS)
    at.multiselect(key="br_densities").set_value([]).run()
    assert not at.exception
    assert "at least one feature density" in warnings(at)
    assert progress(at) == []
    at.multiselect(key="br_densities").set_value([0.1]).run()
    at.number_input(key="br_m").set_value(25).run()
    assert not at.exception
    assert "m < n" in warnings(at) and progress(at) == []


def test_results_presets_switch_between_the_papers_two_sizes() -> None:
    at = open_page(RESULTS)
    small = chart_with(at, "Wᵀ W and b: Linear model, p = 0.1")
    at.button(key="br_large").click().run()
    assert not at.exception
    assert (at.number_input(key="br_n").value, at.number_input(key="br_m").value) == (80, 20)
    assert at.slider(key="br_decay").value == 0.9
    assert small.rows() == [20, 20 * 20]
    assert dataset_rows(at, "Wᵀ W and b: Linear model, p = 0.1") == [80, 80 * 80]  # the large model's W^T W
    at.multiselect(key="br_densities").set_value([0.5]).run()
    at.button(key="br_paper").click().run()
    assert (at.number_input(key="br_n").value, at.number_input(key="br_m").value) == (20, 5)
    assert at.slider(key="br_decay").value == 0.7
    assert at.multiselect(key="br_densities").value == [1.0, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001]
    assert chart_with(at, "Wᵀ W and b: Linear model, p = 0.1") == small


def test_setup_shows_the_papers_loss_and_the_training_units() -> None:
    """The page once showed the loss as a mean over features; the paper sums over features. It must show the
    paper's sum, and say the app trains on that divided by n, which is what core.models computes."""
    import numpy as np

    from core import models
    from core.presets import experiment_setup as experiment_setup_presets

    at = open_page(SETUP)
    formulas = [el.value for el in at.latex]
    paper = next(f for f in formulas if f.strip("$\n ").startswith("L ="))
    assert "\\sum_{i=1}^{n} I_i" in paper and "\\frac{1}{n}" not in paper and "\\frac{1}{B}" in paper
    assert any("L_{\\text{app}} = \\frac{L}{n}" in f for f in formulas)
    text = " ".join(m.value for m in at.markdown)
    assert "summed over the features" in text and "divided by *n*" in text
    # The engine's loss is the paper's (sum over features, mean over batch) divided by n.
    cfg = experiment_setup_presets.setup_config("relu_output", 20, 5, 0.1, 0.7, 0)
    rng = np.random.default_rng(0)
    params = models.init_params(cfg, 1, 0)
    x = np.where(rng.random((1, 64, 20)) < 0.3, rng.random((1, 64, 20)), 0.0)
    imp = 0.7 ** np.arange(20)[None]
    out = models.forward("relu_output", params, x)
    paper_loss = (imp[:, None, :] * (x - out) ** 2).sum(axis=2).mean(axis=1)
    np.testing.assert_allclose(models.loss_per_instance("relu_output", params, x, x, imp), paper_loss / 20)


def test_results_link_both_models_charts_to_one_followed_feature() -> None:
    """Linked views (issue 18): a feature picked in any of the six detail charts (each model's Wᵀ W, norm bars and
    directions) is followed in all six, and "Stop following" clears it."""
    at = open_page(RESULTS)
    step_both(at)
    titles = [
        f"{chart}: {name}, p = 0.1"
        for name in ("Linear model", "ReLU-output model")
        for chart in ("Wᵀ W and b", "Feature directions")
    ]
    linked = [chart_with(at, t) for t in titles] + charts_with(at, "Feature norms")
    assert len(linked) == 6
    assert all(FEATURE_PICK in c.text and "datum.feature == " not in c.text for c in linked), "pickable, none followed"
    assert "Following feature" not in " ".join(m.value for m in at.markdown)
    at.session_state["br_followed"] = 7  # what a click on feature 7's bar, dot or Wᵀ W row records
    at.run()
    assert not at.exception
    assert "Following feature 7" in " ".join(m.value for m in at.markdown)
    grams = [chart_with(at, t) for t in titles if t.startswith("Wᵀ W")]
    rest = [chart_with(at, t) for t in titles if t.startswith("Feature directions")] + charts_with(at, "Feature norms")
    assert all("datum.row == 7" in g.text and "datum.col == 7" in g.text for g in grams)
    assert len(rest) == 4 and all("datum.feature == 7" in c.text for c in rest)
    at.button(key="br_unfollow").click().run()
    assert "Following feature" not in " ".join(m.value for m in at.markdown)
    assert not any("datum.feature == 7" in c.text for c in charts_with(at, "Feature norms"))
