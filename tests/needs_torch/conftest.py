"""Model kinds the app does not ship, registered only while a test uses them.

They exercise what the registry promises: a new combination of activations, tied or untied
weights, signed inputs and output bias trains and differentiates correctly with no change
anywhere but core/registry.py. ``model`` runs a test on the paper's models and on these.
"""

from __future__ import annotations

import pytest
import torch

from core import registry
from core.registry import ModelKind

# The machine is shared: one thread keeps torch from spinning OpenMP workers on busy cores.
torch.set_num_threads(1)

EXTRA_KINDS = (
    ModelKind("test_relu_output_no_bias", hidden="none", output="relu", bias=False, label="bias-free ReLU-output"),
    ModelKind("test_sigmoid_output", hidden="none", output="sigmoid", label="sigmoid-output"),
    ModelKind("test_sigmoid_hidden_untied", hidden="sigmoid", output="none", tied=False, label="untied sigmoid-hidden"),
    # Signed inputs but target x, so a linear output (a ReLU output could not reproduce negative targets).
    ModelKind(
        "test_signed_untied", hidden="relu", output="none", tied=False, signed=True, bias=False, label="signed untied"
    ),
)
EXTRA = {kind.name: kind for kind in EXTRA_KINDS}
ALL_MODELS = registry.names() + tuple(EXTRA)


@pytest.fixture(params=ALL_MODELS)
def model(request):
    """A model name, registered for the test if the app does not ship it (and removed after it)."""
    kind = EXTRA.get(request.param)
    if kind is None:
        yield request.param
        return
    with registry.registered(kind):
        yield kind.name


@pytest.fixture(params=tuple(EXTRA))
def extra_model(request):
    """Only the kinds the app does not ship."""
    with registry.registered(EXTRA[request.param]) as kind:
        yield kind.name
