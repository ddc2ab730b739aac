"""Every toy model kind, declared once.

A model kind is a small frozen record of what makes one toy model different from another:
which activation follows each layer, whether the decoder is the encoder's transpose, what
the model must reproduce and which inputs it sees. Every other module asks this registry
instead of comparing model names: config validation, the numpy models (core/models.py),
the sampler (core/data.py), the trainer and its kernel (which gets the same facts as
integer flags, ``ModelKind.kernel_flags``), the PyTorch modules (core/torch_models.py), and the pages.

    linear        x' = WᵀWx + b
    relu_output   x' = ReLU(WᵀWx + b)
    relu_hidden   x' = ReLU(WᵀReLU(Wx) + b)
    abs           y' = ReLU(W₂ReLU(W₁x) + b), target |x| on inputs uniform on [-1, 1]

Tests (and experiments) can add a kind with ``register`` / ``registered``; nothing else has to
change as long as it combines the activations below.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

# The activations the kernel can compute; the number is the kernel's code for it
# (core/kernel_math.py compiles these numbers in, so its cache fingerprint includes them).
ACTIVATIONS = {"none": 0, "relu": 1, "sigmoid": 2}
TARGETS = ("x", "abs")

# Positions in the kernel's flags array (ModelKind.kernel_flags): hidden activation code, output
# activation code, |x| target, signed inputs, trained output bias.
HIDDEN, OUTPUT, ABS_TARGET, SIGNED, BIAS = range(5)
KERNEL_ABI = (tuple(sorted(ACTIVATIONS.items())), (HIDDEN, OUTPUT, ABS_TARGET, SIGNED, BIAS))


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # The tanh form never overflows (1 / (1 + exp(-z)) warns for large negative z).
    return 0.5 * (1.0 + np.tanh(0.5 * z))


NUMPY_ACTIVATIONS = {"none": lambda z: z, "relu": _relu, "sigmoid": _sigmoid}
_FORMULA_NAMES = {"none": "", "relu": "ReLU", "sigmoid": "σ"}


@dataclass(frozen=True)
class ModelKind:
    """One kind of toy model: h = hidden(W₁x), x' = output(W₂h + b).

    hidden, output: activation names (keys of ACTIVATIONS).
    tied: the decoder is the encoder's transpose (W₂ = W₁ᵀ, one weight matrix W); untied
        models train a second matrix, returned as TrainResult.W2.
    target: "x" (reconstruct the input) or "abs" (reproduce |x|).
    signed: inputs are uniform on [-1, 1] when active instead of [0, 1]. Feature sets are
        sampled unsigned by the kernel, so signed kinds do not support them.
    bias: the output bias b is trained; without it b stays at zero.
    label: what pages and messages call the model.
    """

    name: str
    hidden: str = "none"
    output: str = "relu"
    tied: bool = True
    target: str = "x"
    signed: bool = False
    bias: bool = True
    label: str = ""

    def __post_init__(self) -> None:
        for attr in ("hidden", "output"):
            if getattr(self, attr) not in ACTIVATIONS:
                raise ValueError(f"{attr} activation must be one of {tuple(ACTIVATIONS)}, got {getattr(self, attr)!r}")
        if self.target not in TARGETS:
            raise ValueError(f"target must be one of {TARGETS}, got {self.target!r}")
        if not self.name or not isinstance(self.name, str):
            raise ValueError(f"a model kind needs a name, got {self.name!r}")
        for attr in ("tied", "signed", "bias"):
            if not isinstance(getattr(self, attr), bool):
                raise ValueError(f"{attr} must be True or False, got {getattr(self, attr)!r}")

    @property
    def is_linear(self) -> bool:
        """No activation anywhere and tied weights: x' = WᵀWx + b, the model the paper's linear theory covers."""
        return self.hidden == "none" and self.output == "none" and self.tied

    @property
    def formula(self) -> str:
        """The model as pages write it, e.g. "ReLU(WᵀWx + b)"."""
        first, second = ("W", "Wᵀ") if self.tied else ("W₁", "W₂")
        h = _apply(self.hidden, f"{first}x")
        out = _apply(self.output, f"{second}{h}" + (" + b" if self.bias else ""))
        return out if self.target == "x" else f"{out} ≈ |x|"

    def kernel_flags(self) -> np.ndarray:
        """The kind as the training kernel reads it: int64 [5] indexed by HIDDEN, OUTPUT, ABS_TARGET, SIGNED, BIAS."""
        flags = np.zeros(5, dtype=np.int64)
        flags[HIDDEN], flags[OUTPUT] = ACTIVATIONS[self.hidden], ACTIVATIONS[self.output]
        flags[ABS_TARGET], flags[SIGNED], flags[BIAS] = self.target == "abs", self.signed, self.bias
        return flags

    def activate(self, layer: str, z: np.ndarray) -> np.ndarray:
        """numpy activation of ``layer`` ("hidden" or "output") applied to z."""
        return NUMPY_ACTIVATIONS[getattr(self, layer)](z)


def _apply(activation: str, inner: str) -> str:
    name = _FORMULA_NAMES[activation]
    return f"{name}({inner})" if name else inner


PAPER_MODELS = (
    ModelKind("linear", hidden="none", output="none", label="linear"),
    ModelKind("relu_output", hidden="none", output="relu", label="ReLU-output"),
    ModelKind("relu_hidden", hidden="relu", output="relu", label="ReLU-hidden"),
    ModelKind("abs", hidden="relu", output="relu", tied=False, target="abs", signed=True, label="absolute-value"),
)
_SHIPPED = frozenset(kind.name for kind in PAPER_MODELS)
_KINDS: dict[str, ModelKind] = {kind.name: kind for kind in PAPER_MODELS}


def names() -> tuple[str, ...]:
    """Every registered model name, the paper's four first."""
    return tuple(_KINDS)


def entries() -> tuple[ModelKind, ...]:
    return tuple(_KINDS.values())


def get(name: str) -> ModelKind:
    """The kind called ``name``; a ValueError names the known ones."""
    try:
        return _KINDS[name]
    except (KeyError, TypeError):
        raise ValueError(f"model must be one of {names()}, got {name!r}") from None


def register(kind: ModelKind) -> ModelKind:
    """Add a kind (for tests and experiments). Names are unique; the paper's models cannot be replaced."""
    if not isinstance(kind, ModelKind):
        raise TypeError(f"register takes a ModelKind, got {type(kind).__name__}")
    if kind.name in _KINDS:
        raise ValueError(f"a model called {kind.name!r} is already registered")
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove a kind added with ``register``."""
    if name in _SHIPPED:
        raise ValueError(f"{name!r} is one of the paper's models and cannot be removed")
    get(name)
    del _KINDS[name]


@contextlib.contextmanager
def registered(kind: ModelKind) -> Iterator[ModelKind]:
    """``with registered(kind):`` the kind exists inside the block and is removed after it, even on error."""
    register(kind)
    try:
        yield kind
    finally:
        unregister(kind.name)
