"""Undoing superposition: the toy models an SAE decomposes, and SAE settings that show each failure mode.

Toy models: importance 1 for every feature (so the model stores them all and the SAE has a full set of
true directions to find) and density 0.05 (sparse enough for heavy superposition). 5,000 steps: the
40-in-10 model stores all 40 features by then (||W_i|| near 1), checked on seeds 0-2.
SAE settings (SaeConfig objects from core.sae, which imports torch only when training): the default
recovers nearly every feature; each failure preset changes one thing and the comment says what breaks.
"""

from __future__ import annotations

from core.config import ToyConfig
from core.sae import SaeConfig


def toy_model(n: int = 40, m: int = 10, density: float = 0.05, seed: int = 0, steps: int = 5_000) -> ToyConfig:
    """A ReLU-output toy model with n equally important features in m dimensions."""
    return ToyConfig(
        model="relu_output",
        n_features=n,
        n_hidden=m,
        feature_probability=density,
        importance=1.0,
        steps=steps,
        seed=seed,
    )


DEFAULT_TOY = toy_model()  # 40 features in 10 dimensions
PENTAGON_TOY = toy_model(n=5, m=2)  # the pentagon: the one picture you can draw exactly
MEDIUM_TOY = toy_model(n=20, m=5)
TOYS = {"40 features in 10 dimensions": DEFAULT_TOY, "5 in 2 (pentagon)": PENTAGON_TOY, "20 in 5": MEDIUM_TOY}

# ReLU + L1, dictionary size = number of features, 2,000 steps: recovers 95-100% of features (seeds 0-2).
DEFAULT_SAE = SaeConfig()
# TopK (k = 2, about the mean number of active features): less shrinkage, slower to converge.
TOPK_SAE = SaeConfig(kind="topk", k=2, steps=4000)
# Penalty too small: the code is dense, reconstruction is near perfect, and few latents are single features.
TOO_SMALL_SAE = SaeConfig(coefficient=0.01)
# Penalty too large (dictionary twice the size): latents die and the survivors shrink their codes hard.
TOO_LARGE_SAE = SaeConfig(coefficient=3.0, n_latents=80)
# Dictionary of half the features: each latent has to cover several features at once.
TOO_FEW_SAE = SaeConfig(n_latents=20)

# JumpReLU: coefficient is the L0 weight. 0.1 recovered 90%, 70%, 88% of features on seeds 0, 1, 2, with
# 3-7 dead latents: less reliable than ReLU + L1 here.
JUMPRELU_SAE = SaeConfig(kind="jumprelu", coefficient=0.1)

FAILURES = {
    "Works: L1 0.3, 40 latents": DEFAULT_SAE,
    "Penalty too small (0.01)": TOO_SMALL_SAE,
    "Penalty too large (3, 80 latents)": TOO_LARGE_SAE,
    "Dictionary too small (20 latents)": TOO_FEW_SAE,
    "TopK, k = 2": TOPK_SAE,
    "JumpReLU, L0 0.1": JUMPRELU_SAE,
}
