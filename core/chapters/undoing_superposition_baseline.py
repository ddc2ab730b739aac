"""The classical baseline for "Undoing superposition": scikit-learn's dictionary learning, no torch.

Long before sparse autoencoders, dictionary learning (Olshausen and Field's sparse coding; Mairal et al.'s
online algorithm, sklearn's ``MiniBatchDictionaryLearning``) solved the same problem: find atoms d_j (unit
rows of ``components_``) and sparse codes u with h ≈ sum_j u_j d_j, minimising
0.5 ||h - u D||^2 + alpha ||u||_1. Fitted to samples of the toy model's hidden activations and scored with
the SAE's own scoring (core.sae.match_dictionary), it shows what the sign of the code does:

- With non-negative codes (``positive_code=True``, as the SAE's ReLU), an atom can only be added, so it must
  point the way the feature points: every recovered atom is a feature direction.
- With signed codes, d_j with code +c and -d_j with code -c are the same explanation, so an atom's sign is
  arbitrary. It finds the feature's *line* but may point backwards (cos near -1), which the scoring rejects:
  the toy's features are never negative, so -W_i is not a feature. And when the model stores two features as
  an antipodal pair (W_j = -W_i), one signed atom explains both (code > 0 for one, < 0 for the other), where
  non-negative codes need one atom per feature.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd

from core import sae
from core.presets.undoing_superposition import toy_model
from core.train import TrainResult

# Measured on the 20-in-5 and 40-in-10 toy models (seeds 0-3): alpha 0.2 on 2,000 samples for 3 passes
# recovered every stored feature of 20-in-5 with non-negative codes (alpha 0.05 and 0.1 recovered 55-100%),
# in about 1-2 s per fit on one core. Atoms start as random Gaussian directions (seeded): sklearn's default
# start (an SVD of the data) has only m directions for n > m atoms, and recovered fewer features.
ALPHA = 0.2
N_SAMPLES = 2_000
EPOCHS = 3
BATCH = 256
ANTIPODAL_COS = -0.95  # two stored features with cos below this form an antipodal pair


def antipodal_toy(seed: int = 0):
    """A toy model that stores its features as antipodal pairs (10 features in 5 dimensions: 5 pairs on seeds
    0-3), for the point the page's other toy models cannot show (their most opposite features have cos about
    -0.6 on seeds 0-3)."""
    return toy_model(n=10, m=5, seed=seed)


def training_samples(toy: TrainResult, seed: int, n_samples: int = N_SAMPLES) -> np.ndarray:
    """Hidden activations h of fresh inputs, without the all-zero ones (no feature on: nothing to explain)."""
    h = sae.sample_hidden(toy, n_samples, seed=seed).astype(np.float64)
    return h[np.linalg.norm(h, axis=1) > 1e-9]


def fit_dictionary(h: np.ndarray, n_atoms: int, positive: bool, seed: int) -> np.ndarray:
    """sklearn's MiniBatchDictionaryLearning on samples h [batch, m]: the atoms [n_atoms, m] (unit rows).

    Coordinate descent ('cd') is the fit algorithm sklearn accepts with ``positive_code``; it is used for
    both kinds so they differ only in the sign constraint. Early stopping is off (tol 0), so every fit runs
    EPOCHS passes and a seed gives the same atoms every time.
    """
    from sklearn.decomposition import MiniBatchDictionaryLearning  # imported here: only this section needs it

    start = np.random.default_rng(seed).standard_normal((n_atoms, h.shape[1]))
    start /= np.linalg.norm(start, axis=1, keepdims=True)
    model = MiniBatchDictionaryLearning(
        n_components=n_atoms,
        alpha=ALPHA,
        max_iter=EPOCHS,
        fit_algorithm="cd",
        batch_size=BATCH,
        dict_init=start,
        positive_code=positive,
        random_state=seed,
        tol=0.0,
        max_no_improvement=None,
    )
    with warnings.catch_warnings():  # a few coordinate-descent sub-problems stop at their iteration cap
        warnings.simplefilter("ignore")
        model.fit(h)
    return model.components_


def antipodal_pairs(W: np.ndarray) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of stored features whose directions are opposite (cos < ANTIPODAL_COS)."""
    stored = np.flatnonzero(np.linalg.norm(W, axis=1) > sae.STORED_NORM)
    units = sae.unit_rows(W[stored])
    cos = units @ units.T
    return [(int(stored[a]), int(stored[b])) for a, b in zip(*np.nonzero(np.triu(cos < ANTIPODAL_COS, 1)))]


def atom_report(atoms: np.ndarray, W: np.ndarray) -> dict:
    """The SAE scoring of a dictionary, plus what the sign of its atoms does.

    found_up_to_sign: stored features with some atom of |cos| > RECOVERED_COS (the line is found).
    backwards: atoms within RECOVERED_COS of minus a stored feature but of no stored feature itself.
    antipodal / shared_antipodal: antipodal pairs, and those served by a single atom (every atom near the pair's
    line is one atom): one code sign per member.
    """
    scores = sae.match_dictionary(atoms, W)
    cos = scores["cos"]  # [atoms, stored]
    near = np.abs(cos) > sae.RECOVERED_COS
    col = {int(f): c for c, f in enumerate(scores["stored"])}
    pairs = antipodal_pairs(W)
    shared = [(i, j) for i, j in pairs if (near[:, col[i]] | near[:, col[j]]).sum() == 1]
    return {
        **scores,
        "found_up_to_sign": int(near.any(0).sum()),
        "backwards": int(((cos < -sae.RECOVERED_COS).any(1) & ~(cos > sae.RECOVERED_COS).any(1)).sum()),
        "antipodal": pairs,
        "shared_antipodal": shared,
        "min_cos": float(np.min(sae.unit_rows(W[scores["stored"]]) @ sae.unit_rows(W[scores["stored"]]).T)),
    }


def run_baseline(toy: TrainResult, seed: int, n_samples: int = N_SAMPLES) -> dict:
    """Fit both dictionaries (n atoms for n features, as the SAE's default) on the same samples and score them.

    Returns {"non-negative": report, "signed": report} (see atom_report), each with the fit's seconds."""
    W = toy.W[0]
    h = training_samples(toy, seed=seed + 1_000, n_samples=n_samples)
    out = {}
    for label, positive in (("non-negative", True), ("signed", False)):
        start = time.perf_counter()
        atoms = fit_dictionary(h, W.shape[0], positive, seed)
        out[label] = {**atom_report(atoms, W), "atoms": atoms, "seconds": time.perf_counter() - start}
    return out


def baseline_table(result: dict) -> pd.DataFrame:
    """One row per kind of code: the numbers the page shows."""
    rows = []
    for label, r in result.items():
        n = len(r["stored"])
        rows.append(
            {
                "codes": label,
                "features recovered (cos > 0.9)": f"{r['recovered']} of {n}",
                "lines found (|cos| > 0.9)": f"{r['found_up_to_sign']} of {n}",
                "backwards atoms": r["backwards"],
                "antipodal pairs on one atom": f"{len(r['shared_antipodal'])} of {len(r['antipodal'])}",
                "fit time (s)": round(r["seconds"], 1),
            }
        )
    return pd.DataFrame(rows)


def baseline_sentence(result: dict) -> str:
    """What the run shows about signed codes, with its own numbers."""
    pos, sig = result["non-negative"], result["signed"]
    n = len(pos["stored"])
    text = (
        f"Non-negative codes recovered {pos['recovered']} of {n} stored features, signed codes "
        f"{sig['recovered']}, although signed atoms lie on the lines of {sig['found_up_to_sign']}. With a signed "
        "code, an atom d and its opposite −d explain the same data (flip the code's sign), so each atom's sign "
        "is arbitrary"
    )
    if sig["backwards"]:
        text += (
            f": {sig['backwards']} signed atoms point backwards, at −W_i, a direction this model never "
            "produces because its features are never negative."
        )
    else:
        text += "; in this run no signed atom pointed backwards."
    n_pairs = len(sig["antipodal"])
    if not n_pairs:
        return text + (
            f" This model stores no antipodal pairs (its two most opposite features have cos {sig['min_cos']:.2f})".replace(
                "-", "−"
            )
            + ";"
            " the 10-in-5 model stores its features as antipodal pairs."
        )
    return text + (
        f" This model stores {n_pairs} antipodal pairs (W_j = −W_i). One signed atom can serve both members of a "
        f"pair, +c for one and −c for the other: it did for {len(sig['shared_antipodal'])} of the {n_pairs} "
        "pairs. Non-negative codes cannot subtract, so each member "
        f"needs its own atom ({len(pos['shared_antipodal'])} of {n_pairs} pairs shared one)."
    )
