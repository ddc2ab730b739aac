"""The model registry: the paper's four models as the paper defines them, and a registration API that
cannot leave the registry in a broken state."""

from __future__ import annotations

import pytest

from core import registry
from core.config import ToyConfig
from core.registry import ModelKind


def test_paper_models_are_the_papers_definitions():
    """The paper's equations (its "Demonstrating Superposition" and "Computation" sections), as pages print them."""
    formulas = {kind.name: kind.formula for kind in registry.entries()}
    assert formulas == {
        "linear": "WᵀWx + b",
        "relu_output": "ReLU(WᵀWx + b)",
        "relu_hidden": "ReLU(WᵀReLU(Wx) + b)",
        "abs": "ReLU(W₂ReLU(W₁x) + b) ≈ |x|",
    }
    assert [kind.name for kind in registry.entries() if kind.signed] == ["abs"]  # inputs uniform on [-1, 1]
    assert [kind.name for kind in registry.entries() if kind.is_linear] == ["linear"]
    assert all(kind.bias for kind in registry.entries())


def test_kernel_flags_keep_the_kernels_old_per_model_codes():
    """Before the registry the kernel took (hidden ReLU, output ReLU, |x| target) per model; the same facts
    must reach it now, or the four models would train differently."""
    old = {"linear": (0, 0, 0), "relu_output": (0, 1, 0), "relu_hidden": (1, 1, 0), "abs": (1, 1, 1)}
    relu = registry.ACTIVATIONS["relu"]
    for name, (hidden_relu, output_relu, abs_target) in old.items():
        flags = registry.get(name).kernel_flags()
        assert (flags[registry.HIDDEN] == relu) == bool(hidden_relu)
        assert (flags[registry.OUTPUT] == relu) == bool(output_relu)
        assert flags[registry.ABS_TARGET] == abs_target == flags[registry.SIGNED]
        assert flags[registry.BIAS] == 1


def test_unknown_model_names_list_the_known_ones():
    with pytest.raises(ValueError, match=r"model must be one of \('linear', 'relu_output', 'relu_hidden', 'abs'"):
        registry.get("Linear")
    with pytest.raises(ValueError, match="model must be one of"):
        registry.get(["linear"])  # unhashable: still a ValueError, not a TypeError


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        (dict(hidden="gelu"), "hidden activation must be one of"),
        (dict(output="tanh"), "output activation must be one of"),
        (dict(target="x2"), "target must be one of"),
        (dict(tied=1), "tied must be True or False"),
        (dict(name=""), "needs a name"),
    ],
)
def test_bad_kinds_are_refused(fields, words):
    with pytest.raises(ValueError, match=words):
        ModelKind(**{"name": "bad", **fields})


def test_register_is_undone_even_when_the_block_fails():
    kind = ModelKind("test_kind", hidden="relu", output="none", bias=False)
    before = registry.names()
    with pytest.raises(RuntimeError), registry.registered(kind):
        assert registry.get("test_kind") is kind and ToyConfig(model="test_kind").model == "test_kind"
        raise RuntimeError
    assert registry.names() == before
    with pytest.raises(ValueError, match="model must be one of"):
        ToyConfig(model="test_kind")


def test_names_cannot_be_taken_twice_and_the_papers_models_stay():
    with pytest.raises(ValueError, match="already registered"):
        registry.register(ModelKind("linear", output="relu"))
    with pytest.raises(ValueError, match="cannot be removed"):
        registry.unregister("abs")
    with pytest.raises(ValueError, match="model must be one of"):
        registry.unregister("never_registered")
    assert registry.get("linear").output == "none"


def test_signed_inputs_rule_out_feature_sets():
    """The kernel samples set members on [0, 1] only, so any kind with signed inputs refuses sets."""
    kind = ModelKind("test_signed", hidden="relu", output="none", signed=True, label="signed test")
    with registry.registered(kind):
        with pytest.raises(ValueError, match="signed test model"):
            ToyConfig(model=kind.name, n_features=4, feature_sets=(("correlated", 2),))
        assert ToyConfig(model=kind.name, n_features=4).feature_sets == ()
