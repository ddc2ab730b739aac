"""Chapter "Undoing superposition": sparse autoencoders on a toy model, scored against its true features.

Science/UI glue: tables for the charts and a coefficient sweep. Training lives in core.sae, which imports
torch only when it trains; everything here is numpy, so the page can explain itself without torch.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core import sae
from core.config import ToyConfig
from core.precompute import AssetBuilder
from core.presets.undoing_superposition import (
    DEFAULT_SAE,
    DEFAULT_TOY,
    FAILURES,
    JUMPRELU_SAE,
    MEDIUM_TOY,
    PENTAGON_TOY,
    TOO_FEW_SAE,
    TOO_LARGE_SAE,
    TOO_SMALL_SAE,
    TOPK_SAE,
    TOYS,
    toy_model,
)
from core.train import TrainResult

__all__ = [
    "DEFAULT_SAE",
    "DEFAULT_TOY",
    "FAILURES",
    "JUMPRELU_SAE",
    "MEDIUM_TOY",
    "PENTAGON_TOY",
    "TOO_FEW_SAE",
    "TOO_LARGE_SAE",
    "TOO_SMALL_SAE",
    "TOPK_SAE",
    "TOYS",
    "toy_model",
]

TRADEOFF_ASSET = "sae_tradeoff"
TRADEOFF_VERSION = 1
# The precomputed curve: one ReLU + L1 SAE per coefficient on the default toy model (seed 0), each trained as
# long as the page's default run (2,000 steps), so the live default run should land on the curve.
TRADEOFF_COEFFICIENTS = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
TRADEOFF_COLUMNS = ("coefficient", *sae.SUMMARY_KEYS)

SWEEP_COEFFICIENTS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
SWEEP_STEPS = 1000  # half the default run: enough to place each point on the L0-reconstruction trade-off


def torch_available() -> bool:
    """True if torch can be imported (the SAE chapter trains with it; the rest of the app does not need it)."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def sae_source() -> str:
    """The source of core.sae's SparseAutoencoder class, read from the file (no torch import needed)."""
    text = Path(inspect.getfile(sae)).read_text()
    start = text.index("class SparseAutoencoder")
    end = text.index("\nRESAMPLE_EVERY", start)
    return text[start:end].rstrip() + "\n"


def projection_basis(W_true: np.ndarray) -> tuple[np.ndarray, tuple[str, str]]:
    """A [m, 2] basis to draw directions in: the plane itself when m = 2, else the top two principal axes of
    the stored true directions (unit rows), which spread the features out as far as a flat picture can."""
    m = W_true.shape[1]
    if m == 2:
        return np.eye(2), ("hidden dimension 1", "hidden dimension 2")
    units = sae.unit_rows(W_true)
    _, s, vt = np.linalg.svd(units, full_matrices=False)
    share = s**2 / (s**2).sum()
    return vt[:2].T, (f"PC1 ({100 * share[0]:.0f}% of the directions)", f"PC2 ({100 * share[1]:.0f}%)")


def direction_table(decoder: np.ndarray, W_true: np.ndarray, basis: np.ndarray, scores: dict) -> pd.DataFrame:
    """One row per arrow (unit directions projected onto ``basis``): true features, then SAE latents.

    Latents carry the cosine with the feature they were matched to (NaN when unmatched)."""
    stored = scores["stored"]
    true = sae.unit_rows(W_true[stored]) @ basis
    lat = sae.unit_rows(decoder) @ basis
    matched = np.full(len(decoder), np.nan)
    feature = np.full(len(decoder), -1)
    latents, features = scores["pairs"]
    matched[latents] = scores["matched_cos"]
    feature[latents] = features
    rows = [
        pd.DataFrame({"kind": "true feature", "index": stored, "x": true[:, 0], "y": true[:, 1], "cos": 1.0}),
        pd.DataFrame(
            {"kind": "SAE latent", "index": np.arange(len(decoder)), "x": lat[:, 0], "y": lat[:, 1], "cos": matched}
        ).assign(feature=feature),
    ]
    return pd.concat(rows, ignore_index=True)


def matching_table(scores: dict) -> pd.DataFrame:
    """Long table of |cos| between every latent and stored feature, latents sorted by their matched feature
    (so a good dictionary shows a diagonal); ``rank`` is the latent's position in that order."""
    cos = scores["cos"]
    stored = scores["stored"]
    latents, features = scores["pairs"]
    col_of = {f: c for c, f in enumerate(stored)}
    order = list(latents[np.argsort([col_of[f] for f in features])])
    order += [j for j in range(cos.shape[0]) if j not in set(order)]
    rank = np.empty(cos.shape[0], dtype=int)
    rank[order] = np.arange(cos.shape[0])
    jj, ii = np.meshgrid(np.arange(cos.shape[0]), np.arange(len(stored)), indexing="ij")
    return pd.DataFrame(
        {"latent": jj.ravel(), "rank": rank[jj.ravel()], "feature": stored[ii.ravel()], "cos": cos.ravel()}
    )


def scores_table(scores: dict) -> pd.DataFrame:
    """The headline numbers, labelled for a table on the page."""
    s = sae.summary(scores)
    labels = {
        "recovered_fraction": "features recovered (cos > 0.9)",
        "mean_matched_cos": "mean matched cosine",
        "dead": "dead latents",
        "l0": "L0 (active latents per sample)",
        "fve": "variance explained",
        "shrinkage": "shrinkage (‖ĥ‖ / ‖h‖)",
        "mixing": "latents responding to 2+ features",
    }
    return pd.DataFrame({"measure": [labels[k] for k in s], "value": [float(v) for v in s.values()]})


def sweep(toy: TrainResult, base: sae.SaeConfig, coefficients=SWEEP_COEFFICIENTS, steps: int = SWEEP_STEPS):
    """Train one ReLU + L1 SAE per coefficient (otherwise ``base``) and yield a row of scores for each."""
    for c in coefficients:
        cfg = sae.SaeConfig(kind="relu_l1", n_latents=base.n_latents, coefficient=float(c), steps=steps, seed=base.seed)
        s = sae.summary(sae.score(sae.train_sae(toy, cfg), toy))
        yield {"coefficient": float(c), **{k: float(v) for k, v in s.items()}}


# ---- the precomputed trade-off curve -----------------------------------------------------------------


def build_tradeoff(spec: dict[str, Any]) -> dict[str, np.ndarray]:
    """Train the default toy model, then one SAE per coefficient of ``spec`` (needs torch): one array per column."""
    from core.train import train

    toy = train(ToyConfig.from_dict(spec["toy_config"]), threads=2)
    base = sae.SaeConfig(n_latents=spec["n_latents"], seed=spec["sae_seed"])
    rows = list(sweep(toy, base, spec["coefficients"], spec["steps"]))
    return {k: np.array([r[k] for r in rows], dtype=np.float64) for k in TRADEOFF_COLUMNS}


def tradeoff_frame(arrays: dict[str, np.ndarray]) -> pd.DataFrame:
    """The asset's arrays as the table the trade-off chart reads (one row per coefficient)."""
    return pd.DataFrame({k: np.asarray(arrays[k], dtype=np.float64) for k in TRADEOFF_COLUMNS})


BUILDERS = {
    TRADEOFF_ASSET: AssetBuilder(
        version=TRADEOFF_VERSION,
        toy_config=DEFAULT_TOY,
        params={
            "coefficients": list(TRADEOFF_COEFFICIENTS),
            "steps": DEFAULT_SAE.steps,
            "n_latents": DEFAULT_SAE.n_latents,
            "sae_seed": DEFAULT_SAE.seed,
        },
        build=build_tradeoff,
        about="ReLU + L1 SAEs (40 latents, 2,000 steps) on the 40-in-10 toy model, 9 L1 coefficients 0.001..10",
    )
}
