"""AppTest of the "Be the optimiser" page: the controls move the loss, the snap buttons set the controls."""

from __future__ import annotations

import pytest

from tests.helpers import markdown_text, open_page

PAGE = "views/be_the_optimiser.py"


def your_loss(at) -> float:
    text = markdown_text(at)
    return float(text.split("Your expected loss at p = ")[1].split(": ")[1].split("**")[0])


def test_controls_move_the_loss_and_pentagon_snap_sets_them():
    at = open_page(PAGE)
    start = your_loss(at)
    at.button(key="bto_snap_pentagon").click().run()
    assert not at.exception
    assert [at.slider(key=f"bto_angle{i}").value for i in range(5)] == [0, 72, 144, 216, 288]
    pentagon = your_loss(at)
    assert pentagon < start  # at p = 0.1 the pentagon beats the starting guess (two overlapping pairs)
    at.slider(key="bto_bias0").set_value(0.5).run()
    assert your_loss(at) > pentagon  # a positive bias leaks into every example


def test_all_lengths_zero_gets_an_explanation():
    at = open_page(PAGE, {f"bto_length{i}": "0.0" for i in range(5)})
    assert not at.exception
    assert any("stores nothing" in i.value for i in at.info)
    assert your_loss(at) == pytest.approx(0.1 / 3 * sum(0.9**i for i in range(5)) / 5, abs=1e-5)


def test_dense_snap_at_p1_gives_the_closed_form():
    at = open_page(PAGE, {"bto_density": "1.0"})
    at.button(key="bto_snap_dense").click().run()
    assert your_loss(at) == pytest.approx(sum(0.9**i for i in (2, 3, 4)) / 60, abs=1e-5)


def test_trained_model_is_compared_and_snap_copies_it():
    """A trained model in the session (as the Train button leaves it) adds a bar, a verdict and a snap button."""
    import numpy as np

    from core.chapters import be_the_optimiser as bto

    W, b = bto.pentagon(1.15, -0.08)
    W = W @ np.array([[np.cos(0.3), np.sin(0.3)], [-np.sin(0.3), np.cos(0.3)]])  # rotated: angles not on the grid
    at = open_page(PAGE)
    at.session_state["bto:trained"] = {0.1: (W, b)}
    at.run()
    assert "trained model" in markdown_text(at).lower()
    at.button(key="bto_snap_trained").click().run()
    assert not at.exception
    angles = [at.slider(key=f"bto_angle{i}").value for i in range(5)]
    assert angles == [round(np.degrees(0.3) + 72 * i) for i in range(5)]  # W @ R turns by +0.3 rad
    assert "level with the trained model" in markdown_text(at)
