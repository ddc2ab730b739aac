"""Shared pytest setup for the whole suite. Kept deliberately small."""

import os

# Streamlit must never phone home from a test run (the browser tests start real servers).
os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")

# Paper-scale checks: tests that train models to the paper's results on several seeds. Their numerics do not
# depend on the Python version, so CI runs them once, on 3.11, and leaves them out of its Python 3.12 pass
# (-m "not slow") to stay within its time budget. A test is slow when it is listed here, or when it uses
# one of the listed module's shared training fixtures (the fixture is where the time goes).
SLOW_TESTS = (
    "tests/test_geometry.py::test_three_correlated_pairs_form_a_hexagon_when_sparse",
    "tests/test_geometry.py::test_correlated_and_anticorrelated_pairs",
    "tests/test_five_in_two.py::test_default_sweep_draws_the_papers_sequence",
    "tests/test_superposition_hypothesis.py::test_relu_hidden_model_reads_as_the_page_says",
    "tests/test_superposition_hypothesis.py::test_abs_cos_probability_against_closed_forms_and_sampling",
    "tests/test_phase_change.py::test_trained_n2m1_diagram_matches_theory_away_from_the_border",
)
SLOW_FIXTURES = {
    "tests/test_basic_results.py": {"runs"},
    "tests/test_learning_dynamics.py": {"triple_runs", "uniform_runs"},
    "tests/test_privileged_superposition.py": {"dense_and_sparse"},
}


def pytest_collection_modifyitems(config, items):
    import pytest

    for item in items:
        path = item.nodeid.split("::")[0]
        heavy = SLOW_FIXTURES.get(path, set()) & set(getattr(item, "fixturenames", ()))
        if heavy or item.nodeid.startswith(SLOW_TESTS):
            item.add_marker(pytest.mark.slow)
