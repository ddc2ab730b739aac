"""The Geometry page's perturbed-pentagon claim: where feature 0 is dropped (issue 13 said "about 0.4x")."""

from __future__ import annotations

import numpy as np
import pytest

from core.chapters import geometry_claims, geometry_nonuniform
from core.train import Trainer
from ui.chapters.geometry import PENTAGON_RATIOS


def sweep(norms0) -> np.ndarray:
    """A fake sweep W [I, 5, 2]: features 1-4 stored, feature 0 with the given lengths."""
    W = np.tile(np.eye(2)[[0, 1, 0, 1, 0]], (len(norms0), 1, 1)).astype(float)
    W[:, 0, 0] = norms0
    return W


def test_drop_switch_reads_a_clean_switch() -> None:
    s = geometry_claims.drop_switch([0.1, 0.2, 0.3, 0.4], sweep([0.0, 0.1, 0.9, 1.0]))
    assert (s.highest_dropped, s.kept_from, s.monotone) == (0.2, 0.3, True)


def test_drop_switch_flags_a_flip_back() -> None:
    s = geometry_claims.drop_switch([0.1, 0.2, 0.3, 0.4], sweep([0.0, 0.9, 0.1, 1.0]))
    assert (s.highest_dropped, s.kept_from, s.monotone) == (0.3, 0.4, False)


def test_drop_switch_when_never_dropped() -> None:
    s = geometry_claims.drop_switch([0.1, 0.2], sweep([0.9, 1.0]))
    assert s.highest_dropped is None and s.kept_from == 0.1 and s.monotone


def test_fine_scan_says_about_a_quarter_not_0_4() -> None:
    scan = geometry_claims.FINE_SCAN
    assert len(scan.highest_dropped) == len(scan.kept_from) == len(scan.seeds) >= 2
    assert all(d < k for d, k in zip(scan.highest_dropped, scan.kept_from))
    assert 0.2 <= np.median(scan.highest_dropped) <= 0.3  # "about a quarter"
    assert max(scan.kept_from) < 0.4  # the old "about 0.4x" is beyond every measured switch


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_page_run_agrees_with_the_fine_scan(seed: int) -> None:
    # The page's own run (7 ratios, best of 3, the live view's pick): feature 0 dropped at x0.1, stored
    # from x0.46 on (beyond every measured switch); at x0.22, just below the switch, it goes either way:
    # the page says seeds 0 and 2 drop it and seed 1 keeps it.
    cfg = geometry_nonuniform.perturbed_pentagon_config(PENTAGON_RATIOS, seed=seed)
    trainer = Trainer(cfg, threads=1)
    trainer.advance(cfg.steps)
    kept = np.linalg.norm(trainer.view().W[:, 0], axis=1) > geometry_claims.STORED
    scan = geometry_claims.FINE_SCAN
    assert not kept[PENTAGON_RATIOS < 0.2].any()
    assert kept[max(scan.kept_from) < PENTAGON_RATIOS].all()
    near = int(np.argmin(np.abs(PENTAGON_RATIOS - 0.215)))
    assert kept[near] == (seed == 1)
