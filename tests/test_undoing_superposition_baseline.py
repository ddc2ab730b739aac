"""The classical baseline of "Undoing superposition": sklearn's dictionary learning on the toy model's
activations, scored like the SAE (core/chapters/undoing_superposition_baseline.py; no torch).

Seeds: toy models and fits on seeds 0, 1 and 2, for the 20-in-5 model (no antipodal pairs) and the 10-in-5
model (five antipodal pairs). Measured on seeds 0-3 when the module was written: non-negative codes recovered
19-20 of 19-20 stored features of 20-in-5, signed codes 8-15; on 10-in-5 one signed atom served both members
of 1-4 of the 5 pairs.
"""

from __future__ import annotations

import numpy as np
import pytest

from core import sae
from core.chapters import undoing_superposition_baseline as baseline
from core.presets.undoing_superposition import toy_model
from core.train import train

SEEDS = (0, 1, 2)


def _units(n: int, m: int, seed: int) -> np.ndarray:
    w = np.random.default_rng(seed).standard_normal((n, m))
    return w / np.linalg.norm(w, axis=1, keepdims=True)


@pytest.mark.parametrize("seed", SEEDS)
def test_non_negative_codes_recover_the_features_signed_codes_fewer(seed: int) -> None:
    toy = train(toy_model(n=20, m=5, seed=seed), threads=1)
    result = baseline.run_baseline(toy, seed)
    pos, sig = result["non-negative"], result["signed"]
    n_stored = len(pos["stored"])
    assert n_stored >= 19  # the toy model stores (nearly) all 20
    assert pos["recovered"] >= n_stored - 1  # nearly every stored feature
    assert sig["recovered"] <= pos["recovered"] - 3
    # Signed atoms still find the features' lines: the shortfall is the sign, not the line.
    assert sig["found_up_to_sign"] > sig["recovered"]
    assert pos["backwards"] == 0


@pytest.mark.parametrize("seed", SEEDS)
def test_one_signed_atom_serves_both_members_of_an_antipodal_pair(seed: int) -> None:
    from sklearn.decomposition import sparse_encode

    toy = train(baseline.antipodal_toy(seed), threads=1)
    W = toy.W[0].astype(np.float64)
    pairs = baseline.antipodal_pairs(W)
    assert len(pairs) >= 4  # this model really stores antipodal pairs
    result = baseline.run_baseline(toy, seed, n_samples=1_000)
    sig, pos = result["signed"], result["non-negative"]
    assert len(sig["shared_antipodal"]) >= 1
    assert len(sig["shared_antipodal"]) > len(pos["shared_antipodal"])
    # The shared atom has high |cos| with both members, and encodes one with a positive code, the other negative.
    i, j = sig["shared_antipodal"][0]
    col = {int(f): c for c, f in enumerate(sig["stored"])}
    atom = int(np.argmax(np.abs(sig["cos"][:, col[i]])))
    assert np.abs(sig["cos"][atom, [col[i], col[j]]]).min() > sae.RECOVERED_COS
    codes = sparse_encode(W[[i, j]], sig["atoms"], algorithm="lasso_cd", alpha=0.01)
    assert codes[0, atom] * codes[1, atom] < 0


def test_atom_report_counts_backwards_atoms_and_shared_pairs() -> None:
    W = _units(4, 3, 0)
    W = np.vstack([W, -W[0]])  # features 0 and 4 form an antipodal pair
    atoms = np.vstack([W[0], -W[1], W[2], W[3]])  # one atom for the pair, one backwards atom
    report = baseline.atom_report(atoms, W)
    assert report["antipodal"] == [(0, 4)]
    assert report["shared_antipodal"] == [(0, 4)]
    assert report["backwards"] == 1
    assert report["found_up_to_sign"] == 5  # every line has an atom (feature 4 shares feature 0's)
    assert report["recovered"] == 3  # but only 0, 2 and 3 have one pointing their way
    two = baseline.atom_report(np.vstack([atoms, W[4]]), W)
    assert two["shared_antipodal"] == []  # a second atom on the pair's line: not shared any more


def test_sentence_quotes_the_run() -> None:
    W = np.vstack([_units(3, 3, 1), -_units(3, 3, 1)[:1]])  # features 0 and 3 antipodal
    sig = baseline.atom_report(np.vstack([W[0], -W[1], W[2]]), W)
    pos = baseline.atom_report(W.copy(), W)
    text = baseline.baseline_sentence({"non-negative": pos, "signed": sig})
    assert f"recovered {pos['recovered']} of 4 stored features, signed codes {sig['recovered']}" in text
    assert f"{sig['backwards']} signed atoms point backwards" in text
    assert "1 antipodal pairs" in text and "it did for 1 of the 1" in text and "(0 of 1 pairs shared one)" in text
    no_pairs = _units(4, 3, 2)
    rep = baseline.atom_report(no_pairs, no_pairs)
    text = baseline.baseline_sentence({"non-negative": rep, "signed": rep})
    assert (
        "no antipodal pairs" in text
        and f"{rep['min_cos']:.2f}".replace("-", "−") in text
        and "no signed atom pointed backwards" in text
    )


def test_page_without_torch_shows_the_precomputed_curve_and_runs_the_baseline(monkeypatch) -> None:
    """The torch-free path (CI's Python 3.12 pass, or a server without torch) still teaches both new parts."""
    import json

    from core.chapters import undoing_superposition as chapter
    from tests.helpers import markdown_text, open_page

    monkeypatch.setattr(chapter, "torch_available", lambda: False)
    at = open_page("views/undoing_superposition.py")
    titles = [json.dumps(json.loads(c.proto.spec).get("title")) for c in at.get("vega_lite_chart")]
    assert any("Sparsity against reconstruction" in t and "precomputed" in t for t in titles)
    assert "Non-negative codes recovered" not in markdown_text(at)  # no result before the run
    next(b for b in at.button if b.label.startswith("Fit both dictionaries")).click().run()
    assert not at.exception
    assert "Non-negative codes recovered" in markdown_text(at)
    table = at.dataframe[0].value
    assert list(table["codes"]) == ["non-negative", "signed"]
    titles = [json.dumps(json.loads(c.proto.spec).get("title")) for c in at.get("vega_lite_chart")]
    assert sum("Dictionary learning" in t for t in titles) == 2
