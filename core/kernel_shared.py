"""The numbers the training kernel (core/kernels.py, core/kernel_math.py) and its numpy twin (core/numpy_steps.py)
share: the kinds of feature group, the counter-based generator's constants and the sample block sizes.

Kept apart from the kernel modules because those import numba (0.4 s here): a first page run, and the numpy
steps live panels train with while the kernel compiles, need these numbers but not numba.
"""

from __future__ import annotations

import numpy as np

# Kinds of feature group (core.data.feature_groups).
INDEPENDENT, CORRELATED, ANTICORRELATED = 0, 1, 2

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
TWO31 = 2147483648.0
LOW31 = np.uint64(0x7FFFFFFF)
CHUNK = 64  # samples per register block of _combine (4 x 64 floats = 16 AVX-512 registers); tiles are multiples
PAIR = 32  # one hash gives the entries at positions q and q + PAIR of each block of 2 PAIR samples
assert CHUNK % (2 * PAIR) == 0  # tiles (multiples of CHUNK) start and end on whole blocks
