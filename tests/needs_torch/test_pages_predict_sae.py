"""AppTest of "predict, then train" on the undoing-superposition page: lock a prediction, train a short SAE on the
pentagon toy model, see the comparison. The recovered share is recomputed here from the decoder, by hand."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from core.chapters import undoing_superposition_predict as us
from tests.helpers import open_page

SHORT = {"sae_toy": "5 in 2 (pentagon)", "sae_steps": "500", "sae_latents": "10"}
BOX = "predict_undoing_superposition_recovered_5in2_relu_l1_L10_c0.3_k2_s500_seed0"


def _recovered_share(decoder: np.ndarray, W: np.ndarray) -> float:
    """Stored features (||W_i|| > 0.5) whose one-to-one matched latent (largest total cosine) has cos > 0.9."""
    stored = W[np.linalg.norm(W, axis=1) > 0.5]
    d = decoder / np.maximum(np.linalg.norm(decoder, axis=1, keepdims=True), 1e-12)
    cos = d @ (stored / np.linalg.norm(stored, axis=1, keepdims=True)).T
    rows, cols = linear_sum_assignment(-cos)
    return float((cos[rows, cols] > 0.9).sum() / len(stored))


def test_sae_predict_train_compare():
    at = open_page("views/undoing_superposition.py", SHORT)
    at.radio(key=BOX).set_value(us.MOST).run()
    at.button(key=f"{BOX}_lock").click().run()
    run = at.session_state["sae:run"]
    run.trainer.advance(run.cfg.steps)  # train to the end, as Play would
    at.run()
    assert not at.exception, at.exception
    share = _recovered_share(run.trainer.view().decoder.astype(float), run.trainer.toy.W[0].astype(float))
    expected = us.NONE if share < 0.25 else us.SOME if share <= 0.75 else us.MOST
    shown = [e.value for e in [*at.success, *at.warning] if "You predicted" in e.value]
    assert len(shown) == 1 and f"the trained model: **{expected}**" in shown[0], (share, shown)
