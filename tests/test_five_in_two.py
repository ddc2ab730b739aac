"""core.chapters.five_in_two: naming the arrangement of a 2-D model, on hand-built weights."""

from __future__ import annotations

import numpy as np
import pytest

from core.chapters import five_in_two as f52


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
