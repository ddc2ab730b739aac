"""ToyConfig: everything that defines one training run of a batch of toy models.

Vocabulary follows the paper: n features, m hidden dimensions, feature probability
p = 1 - S (S is sparsity), importance I_i. A run trains many independent models at
once ("instances"); densities and importances may differ per instance, so a whole
sweep is one run.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from core import registry

SCHEDULES = ("constant", "linear", "cosine")
SET_KINDS = ("correlated", "anticorrelated")

ArrayLike = float | Sequence[float] | Sequence[Sequence[float]] | np.ndarray

# Limits keep one request from tying up a shared server; they are generous for
# anything the paper does (n=400, m=30 is the largest setting it uses).
MAX_FEATURES = 1000
MAX_HIDDEN = 1000
MAX_INSTANCES = 4096
MAX_STEPS = 1_000_000
MAX_BATCH = 65_536
MAX_IMPORTANCE = 1e6


@dataclass(frozen=True)
class ToyConfig:
    """One run. ``feature_probability`` and ``importance`` broadcast to [instances, n].

    feature_probability: a float (one instance), one value per instance, or an
        [instances, n_features] array. It is the density p = 1 - S, in (0, 1].
    importance: a float r (I_i = r**i), one value per feature, or an
        [instances, n_features] array; all >= 0.
    feature_sets: ((kind, size), ...) laid over features 0, 1, 2... in order;
        kind is "correlated" or "anticorrelated". Remaining features are independent.
        A set's activity uses the density of its first feature.
    n_seeds: best-of-N. Each instance is trained with N different initialisations
        and the lowest-loss one is kept.
    """

    model: str = "relu_output"
    n_features: int = 5
    n_hidden: int = 2
    feature_probability: ArrayLike = 1.0
    importance: ArrayLike = 1.0
    steps: int = 10_000
    batch_size: int = 1024
    lr: float = 1e-3
    weight_decay: float = 0.01
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    lr_schedule: str = "constant"
    seed: int = 0
    n_seeds: int = 1
    feature_sets: tuple[tuple[str, int], ...] = field(default_factory=tuple)
    snapshot_every: int = 0
    eval_batch_size: int = 16_384
    init_scale: float = 1.0  # multiplies the Xavier-normal starting weights (small starts separate learning stages)

    def __post_init__(self) -> None:
        self._check_ints()
        self._check_floats()
        kind = registry.get(self.model)  # a ValueError listing the registered models
        if self.lr_schedule not in SCHEDULES:
            raise ValueError(f"lr_schedule must be one of {SCHEDULES}, got {self.lr_schedule!r}")
        self._check_sets(kind)
        # Resolving the arrays validates shapes and ranges once, up front.
        if self.n_instances * self.n_seeds > MAX_INSTANCES:
            raise ValueError(
                f"instances x seeds must be at most {MAX_INSTANCES}, got {self.n_instances * self.n_seeds}"
            )

    # ---- validation -------------------------------------------------------
    def _check_ints(self) -> None:
        limits = {
            "n_features": (1, MAX_FEATURES),
            "n_hidden": (1, MAX_HIDDEN),
            "steps": (1, MAX_STEPS),
            "batch_size": (1, MAX_BATCH),
            "n_seeds": (1, 1000),
            "snapshot_every": (0, MAX_STEPS),
            "eval_batch_size": (1, 1_000_000),
            "seed": (0, 2**63 - 1),
        }
        for name, (lo, hi) in limits.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise ValueError(f"{name} must be an integer, got {value!r}")
            if not lo <= value <= hi:
                raise ValueError(f"{name} must be between {lo} and {hi}, got {value}")

    def _check_floats(self) -> None:
        betas = self.betas
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        checks = {
            "lr": (self.lr, 0.0, 10.0, False),
            "weight_decay": (self.weight_decay, 0.0, 10.0, True),
            "eps": (self.eps, 0.0, 1.0, False),
            "beta1": (self.betas[0], 0.0, 1.0, True),
            "beta2": (self.betas[1], 0.0, 1.0, True),
            "init_scale": (self.init_scale, 0.0, 100.0, False),
        }
        for name, (value, lo, hi, lo_ok) in checks.items():
            if not isinstance(value, (int, float, np.floating, np.integer)) or isinstance(value, bool):
                raise ValueError(f"{name} must be a number, got {value!r}")
            ok_lo = value >= lo if lo_ok else value > lo
            if not (math.isfinite(value) and ok_lo and value <= hi and not (name.startswith("beta") and value >= 1)):
                raise ValueError(f"{name} is out of range: {value!r}")

    def _check_sets(self, kind: registry.ModelKind) -> None:
        used = 0
        for item in self.feature_sets:
            if not isinstance(item, (tuple, list)) or len(item) != 2 or item[0] not in SET_KINDS:
                raise ValueError(f"feature_sets entries are (kind, size) with kind in {SET_KINDS}, got {item!r}")
            if not isinstance(item[1], (int, np.integer)) or item[1] < 2:
                raise ValueError(f"a feature set needs at least 2 features, got {item!r}")
            used += int(item[1])
        if used > self.n_features:
            raise ValueError(f"feature_sets cover {used} features but n_features is {self.n_features}")
        if kind.signed and self.feature_sets:
            # The kernel samples set members on [0, 1] only.
            raise ValueError(f"feature_sets are not supported for the {kind.label or kind.name} model (signed inputs)")

    # ---- resolved arrays --------------------------------------------------
    def probability_array(self) -> np.ndarray:
        """Density p as float64 [instances_p, n_features] (instances_p may be 1)."""
        p = _as_float_array(self.feature_probability, "feature_probability")
        if p.ndim == 0:
            p = np.full((1, self.n_features), float(p))
        elif p.ndim == 1:
            p = np.repeat(p[:, None], self.n_features, axis=1)
        elif p.ndim != 2 or p.shape[1] != self.n_features:
            raise ValueError(
                f"feature_probability must be a float, one value per instance or [instances, {self.n_features}];"
                f" got shape {p.shape}"
            )
        if p.size == 0 or np.any(p <= 0) or np.any(p > 1):
            raise ValueError("feature_probability (density p = 1 - S) must be in (0, 1]")
        return p

    def importance_array(self) -> np.ndarray:
        """Importance I as float64 [instances_i, n_features] (instances_i may be 1)."""
        r = _as_float_array(self.importance, "importance")
        if r.ndim == 0:
            if r < 0:
                raise ValueError(f"importance decay r must be >= 0, got {float(r)}")
            imp = float(r) ** np.arange(self.n_features, dtype=np.float64)[None, :]
        elif r.ndim == 1:
            if r.shape[0] != self.n_features:
                raise ValueError(
                    f"importance as a list needs one value per feature ({self.n_features}), got {r.shape[0]}"
                )
            imp = r[None, :]
        elif r.ndim == 2 and r.shape[1] == self.n_features and r.shape[0] > 0:
            imp = r
        else:
            raise ValueError(
                f"importance must be a float, [{self.n_features}] or [instances, {self.n_features}]; got {r.shape}"
            )
        if np.any(imp < 0):
            raise ValueError("importance must be >= 0")
        if np.any(imp > MAX_IMPORTANCE):
            raise ValueError(f"importance must be at most {MAX_IMPORTANCE:g} (larger values overflow float32 training)")
        return imp

    @property
    def n_instances(self) -> int:
        """Instances the caller asked for (before best-of-N seeds multiply them)."""
        a, b = self.probability_array().shape[0], self.importance_array().shape[0]
        if a != b and 1 not in (a, b):
            raise ValueError(f"feature_probability has {a} instances but importance has {b}")
        return max(a, b)

    def broadcast(self) -> tuple[np.ndarray, np.ndarray]:
        """(p, I), both float64 [n_instances, n_features]."""
        k = self.n_instances
        p = np.broadcast_to(self.probability_array(), (k, self.n_features)).copy()
        imp = np.broadcast_to(self.importance_array(), (k, self.n_features)).copy()
        return p, imp

    def with_(self, **changes) -> ToyConfig:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)


def _as_float_array(value: ArrayLike, name: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite numbers")
    return arr
