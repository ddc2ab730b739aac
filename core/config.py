"""ToyConfig: everything that defines one training run of a batch of toy models.

Vocabulary follows the paper: n features, m hidden dimensions, feature probability
p = 1 - S (S is sparsity), importance I_i. A run trains many independent models at
once ("instances"); densities and importances may differ per instance, so a whole
sweep is one run.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

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

    # ---- identity and serialisation ----------------------------------------
    def key(self) -> str:
        """A sha256 hex digest of every value of the config: the key for caches and live runs.

        Why not ``repr``: numpy shortens the repr of arrays over 1,000 elements, so two density
        grids differing in one middle value would print (and cache) alike. The digest covers
        arrays by shape and float64 bytes. Values are compared as the numbers they mean:
        1, 1.0 and np.float64(1.0) give one key, and so do a list and an equal ndarray (and -0.0
        and 0.0). The shape is part of the value, though: a density 0.5 and a density [0.5] are
        different configs (one scalar instance vs one listed instance) and get different keys,
        like ToyConfig(feature_probability=0.5) != ToyConfig(feature_probability=[0.5]).
        """
        parts = {f.name: _canonical(f.name, f.type, getattr(self, f.name)) for f in fields(self)}
        text = json.dumps(parts, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON-safe values (arrays as nested lists of floats, tuples as lists).

        ``ToyConfig.from_dict(cfg.to_dict())`` gives back a config with the same ``key()``.
        """
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _ARRAY_FIELDS:
                out[f.name] = _plain_array(value).tolist()
            elif f.name == "betas":
                out[f.name] = [float(b) for b in value]
            elif f.name == "feature_sets":
                out[f.name] = [[str(kind), int(size)] for kind, size in value]
            else:
                out[f.name] = _scalar(f.type, value, exact=False)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ToyConfig:
        """Read back what ``to_dict`` wrote. Array fields come back as float64 ndarrays (or floats).

        Unknown keys raise (a stored config from other code should not be half read); a
        missing field takes its default, so a header written before a field existed still loads.
        """
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - names)
        if unknown:
            raise ValueError(f"unknown ToyConfig fields: {unknown}")
        values = dict(d)
        for name in _ARRAY_FIELDS & set(values):
            arr = _plain_array(values[name])
            values[name] = float(arr) if arr.ndim == 0 else arr
        if "betas" in values:
            values["betas"] = tuple(float(b) for b in values["betas"])
        if "feature_sets" in values:
            values["feature_sets"] = tuple((str(kind), int(size)) for kind, size in values["feature_sets"])
        return cls(**values)


def _as_float_array(value: ArrayLike, name: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite numbers")
    return arr


_ARRAY_FIELDS = frozenset({"feature_probability", "importance"})


def _plain_array(value: ArrayLike) -> np.ndarray:
    """float64, C order, with -0.0 made 0.0 (adding 0.0 does that), so equal numbers have equal bytes."""
    return np.array(np.asarray(value, dtype=np.float64) + 0.0, dtype=np.float64, order="C")  # keeps 0-d as 0-d


def _exact(x: float) -> str:
    """A float as exact text (hex), with 1 and 1.0 alike."""
    return (float(x) + 0.0).hex()


def _canonical(name: str, field_type: str, value: Any) -> Any:
    """One field as JSON text that is equal exactly when the values are equal."""
    if name in _ARRAY_FIELDS:
        arr = _plain_array(value)
        return {"shape": list(arr.shape), "float64": arr.astype("<f8").tobytes().hex()}  # little-endian everywhere
    if name == "betas":
        return [_exact(b) for b in value]
    if name == "feature_sets":
        return [[str(kind), int(size)] for kind, size in value]
    return _scalar(field_type, value, exact=True)


def _scalar(field_type: str, value: Any, exact: bool) -> Any:
    """A str, int or float field as JSON: floats by their declared type (so 1 and 1.0 agree), exactly.

    Any other kind of field (one added later) must be taught here rather than guessed at.
    """
    if field_type == "float":
        return _exact(value) if exact else float(value)
    if field_type == "int":
        return int(value)
    if field_type == "str":
        return str(value)
    raise TypeError(f"ToyConfig.key/to_dict do not know how to write a {field_type!r} field")
