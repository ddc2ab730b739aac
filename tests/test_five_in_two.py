"""core.chapters.five_in_two: naming the arrangement of a 2-D model, on hand-built weights."""

from __future__ import annotations

import numpy as np
import pytest

from core import presets
from core.chapters import five_in_two as f52
from core.train import Trainer


def at_angles(degrees, norms=1.0) -> np.ndarray:
    rad = np.radians(np.asarray(degrees, dtype=np.float64))
    return np.stack([np.cos(rad), np.sin(rad)], axis=1) * np.asarray(norms, dtype=np.float64)[..., None]


def with_dropped(W: np.ndarray, n: int = 5) -> np.ndarray:
    """Pad a [k, 2] arrangement with near-zero rows up to n features."""
    return np.vstack([W, np.full((n - len(W), 2), 0.01)])


def test_dense_stage_two_orthogonal_features() -> None:
    got = f52.arrangement(with_dropped(at_angles([10, 100])))
    assert got.name == f52.TWO_ORTHOGONAL
    assert got.represented == (0, 1) and got.dropped == (2, 3, 4)


def test_two_antipodal_pairs_name_the_dropped_feature() -> None:
    W = with_dropped(at_angles([0, 90, 180, 270], [1.1, 1.0, 1.05, 0.95]))
    got = f52.arrangement(W)
    assert got.name == f52.TWO_PAIRS
    assert set(got.pairs) == {(0, 2), (1, 3)} and got.dropped == (4,)


def test_pair_plus_one_orthogonal() -> None:
    got = f52.arrangement(with_dropped(at_angles([30, 210, 120])))
    assert got.name == f52.PAIR_PLUS_ONE and got.pairs == ((0, 1),)


def test_regular_pentagon_in_any_order_and_rotation() -> None:
    W = at_angles([17 + 72 * k for k in (3, 0, 4, 1, 2)], [1.2, 1.1, 1.0, 1.05, 1.15])
    got = f52.arrangement(W)
    assert got.name == f52.PENTAGON
    assert np.allclose(got.gaps_deg, 72.0)


@pytest.mark.parametrize(
    "angles",
    [
        [0, 60, 144, 216, 288],  # one gap 60 and one 84: beyond the 10 degree tolerance
        [0, 90, 180, 270, 45],  # five features, but a square plus one
    ],
)
def test_distorted_five_is_not_a_pentagon(angles) -> None:
    assert f52.arrangement(at_angles(angles)).name == "other (5 features represented)"


def test_near_misses_are_not_named() -> None:
    # 150 degrees apart: cos = -0.87, not an antipodal pair
    assert f52.arrangement(with_dropped(at_angles([0, 150]))).name.startswith("other")
    # two pairs that are 60 degrees apart, not orthogonal
    assert f52.arrangement(with_dropped(at_angles([0, 180, 60, 240]))).name.startswith("other")
    # one feature only
    assert f52.arrangement(with_dropped(at_angles([0]))).name == "other (1 feature represented)"


def test_rejects_weights_that_are_not_two_dimensional() -> None:
    with pytest.raises(ValueError, match=r"\[n, 2\]"):
        f52.arrangement(np.zeros((5, 3)))


# ---- the page's default sweep (issue 13): trained, then named from its weights ---------------------

SWEEP_SEEDS = (0, 2, 4)  # of the seeds the page names as matching the paper (0 is the default)


def live_sweep(seed: int, starts: int):
    """Train the page's default sweep and return what the page draws at the end (the live view's pick)."""
    cfg = presets.intro_5in2(densities=presets.intro_sweep_densities(), seed=seed, n_seeds=starts)
    trainer = Trainer(cfg, threads=1)
    trainer.advance(cfg.steps)
    return trainer.view()


@pytest.fixture(scope="module")
def default_sweeps():
    """The default sweep drawn after a crowded server's first run (f52.CROWDED_STEPS) and after 10,000 steps.

    One trainer per seed serves both: the learning rate is constant, so the shorter run is the longer one's start
    (test_a_shorter_run_is_the_start_of_the_longer_one)."""
    views = {}
    for seed in SWEEP_SEEDS:
        cfg = presets.intro_5in2(
            densities=presets.intro_sweep_densities(), seed=seed, n_seeds=presets.INTRO_5IN2_STARTS
        )
        trainer = Trainer(cfg, threads=1)
        for steps in (f52.CROWDED_STEPS, cfg.steps):
            trainer.advance(steps - trainer.step)
            views[seed, steps] = trainer.view()
    return views


def test_a_shorter_run_is_the_start_of_the_longer_one() -> None:
    cfg = presets.intro_5in2(densities=[1.0, 0.1], seed=3, n_seeds=2, steps=400)
    longer, shorter = Trainer(cfg, threads=1), Trainer(cfg.with_(steps=200), threads=1)
    longer.advance(200)
    shorter.advance(200)
    assert shorter.done and not longer.done
    np.testing.assert_array_equal(longer.view().W, shorter.view().W)
    np.testing.assert_array_equal(longer.view().b, shorter.view().b)


def test_default_grid_has_the_papers_panels() -> None:
    densities = presets.intro_sweep_densities()
    assert len(densities) == 12 and densities == sorted(densities, reverse=True)
    for p in presets.PAPER_5IN2_PANELS:
        assert f52.paper_stage(p) is not None and any(abs(d - p) < 1e-12 for d in densities)


def test_default_sweep_draws_the_papers_sequence(default_sweeps) -> None:
    assert set(SWEEP_SEEDS) <= set(f52.SEQUENCE_SEEDS_MATCHING)
    densities = presets.intro_sweep_densities()
    assert {steps for _, steps in default_sweeps} == {f52.CROWDED_STEPS, 10_000}
    for run, view in default_sweeps.items():  # run = (seed, steps)
        found = f52.sweep_arrangements(view.W)
        at = {round(p, 6): a for p, a in zip(densities, found)}
        assert at[1.0].name == f52.TWO_ORTHOGONAL and at[1.0].represented == (0, 1), run
        assert at[0.2].name == f52.TWO_PAIRS, (run, f52.describe(at[0.2]))
        assert at[0.1].name == f52.PENTAGON, (run, f52.describe(at[0.1]))
        assert f52.counts_monotone(found), (run, [len(a.represented) for a in found])


def test_one_start_can_reverse_the_papers_order() -> None:
    # Issue 13: with one start, seed 0 stored all five features at a denser setting than a 4-feature panel.
    found = f52.sweep_arrangements(live_sweep(0, 1).W)
    assert not f52.counts_monotone(found)


def test_describe_names_pairs_and_left_out_features() -> None:
    a = f52.arrangement(with_dropped(at_angles([0, 90, 180, 270])))
    assert f52.describe(a) == "2 antipodal pairs (0–2, 1–3; left out: 4)"
    assert f52.matches_paper(0.2, a) and f52.matches_paper(0.1, a) is False and f52.matches_paper(0.5, a) is None
