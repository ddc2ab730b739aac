"""Sparse autoencoders on the toy model, scored against the true feature directions (core/sae.py).

The toy model is the chapter's default (40 equally important features in 10 dimensions, density 0.05,
5,000 steps), which stores all 40 features. Seeds: toy models and SAEs on seeds 0, 1 and 2 for the
headline claim; the failure-mode presets on seed 0 (each fails by a wide margin, measured on seeds 0-2).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from core import sae
from core.config import ToyConfig
from core.presets import undoing_superposition as presets
from core.train import train

torch.set_num_threads(1)
SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def toys():
    cache = {}

    def get(seed: int):
        if seed not in cache:
            cache[seed] = train(presets.toy_model(seed=seed), threads=1)
        return cache[seed]

    return get


@pytest.fixture(scope="module")
def default_scores(toys):
    """Scores of the default SAE (seed s) on the default toy model (seed s), trained once per module."""
    cache = {}

    def get(seed: int):
        if seed not in cache:
            cache[seed] = sae.score(sae.train_sae(toys(seed), sae.SaeConfig(seed=seed)), toys(seed))
        return cache[seed]

    return get


@pytest.mark.parametrize("seed", SEEDS)
def test_default_sae_recovers_the_stored_features(toys, default_scores, seed: int) -> None:
    toy = toys(seed)
    assert (np.linalg.norm(toy.W[0], axis=1) > sae.STORED_NORM).sum() >= 38  # the toy really is in superposition
    scores = default_scores(seed)
    assert scores["recovered_fraction"] >= 0.9
    assert scores["dead"] == 0
    assert 1.5 < scores["l0"] < 4  # about the number of active features (2 on average)
    assert abs(scores["shrinkage"] - 0.5) < 0.1  # the page: "shrinkage about 0.5" (measured 0.52-0.53)


def test_topk_never_uses_more_than_k_latents(toys) -> None:
    toy = toys(0)
    cfg = sae.SaeConfig(kind="topk", k=3, steps=300)
    result = sae.train_sae(toy, cfg)
    h = sae.sample_hidden(toy, 4096, seed=7)
    active = (sae.encode(result, h) > 0).sum(1)
    # TopK keeps the k largest pre-activations and then applies ReLU (as Gao et al.), so a sample can use
    # fewer than k latents when some of its top k are negative, never more; most use all k.
    assert active.max() == 3
    assert (active == 3).mean() > 0.5
    assert sae.score(result, toy)["l0"] <= 3


def _unit_dirs(n: int, m: int, seed: int) -> np.ndarray:
    w = np.random.default_rng(seed).standard_normal((n, m))
    return w / np.linalg.norm(w, axis=1, keepdims=True)


def test_true_dictionary_scores_perfectly() -> None:
    W = _unit_dirs(40, 10, 0)
    scores = sae.match_dictionary(W.copy(), W)
    assert scores["recovered_fraction"] == 1.0
    assert scores["mean_matched_cos"] == pytest.approx(1.0)


def test_permuted_rescaled_dictionary_scores_perfectly() -> None:
    W = _unit_dirs(40, 10, 1)
    rng = np.random.default_rng(2)
    perm = rng.permutation(40)
    decoder = W[perm] * rng.uniform(0.05, 3.0, (40, 1))
    scores = sae.match_dictionary(decoder, W)
    assert scores["recovered_fraction"] == 1.0
    latents, features = scores["pairs"]
    assert np.array_equal(perm[latents], features)  # each latent is matched to the feature it holds


def test_random_dictionary_scores_low() -> None:
    W = _unit_dirs(40, 10, 3)
    scores = sae.match_dictionary(_unit_dirs(40, 10, 4), W)
    assert scores["recovered_fraction"] <= 0.1
    assert scores["mean_matched_cos"] < 0.85


def test_unstored_features_do_not_count() -> None:
    W = _unit_dirs(6, 3, 5)
    W[4:] *= 0.1  # two features the model dropped
    scores = sae.match_dictionary(W[:4], W)
    assert list(scores["stored"]) == [0, 1, 2, 3]
    assert scores["recovered_fraction"] == 1.0


@pytest.mark.parametrize(
    "kwargs",
    [{"n_latents": 0}, {"coefficient": -0.1}, {"k": 41}, {"kind": "gated"}, {"steps": 0}, {"lr": 0.0}],
)
def test_bad_configs_raise(kwargs) -> None:
    with pytest.raises(ValueError):
        sae.SaeConfig(**kwargs)


def test_one_dimensional_toy_model_raises() -> None:
    toy = train(ToyConfig(n_features=3, n_hidden=1, steps=1), threads=1)
    with pytest.raises(ValueError, match="m = 1"):
        sae.train_sae(toy, sae.SaeConfig(n_latents=3))


def test_penalty_too_large_kills_and_shrinks(toys, default_scores) -> None:
    toy = toys(0)
    scores = sae.score(sae.train_sae(toy, presets.TOO_LARGE_SAE), toy)
    good = default_scores(0)  # same steps, seed and toy model; penalty 0.3 and 40 latents
    assert presets.TOO_LARGE_SAE.steps == sae.SaeConfig().steps
    assert scores["dead"] >= 5 and good["dead"] == 0
    assert scores["shrinkage"] < 0.25 < good["shrinkage"]
    assert scores["recovered_fraction"] < 0.5


def test_penalty_too_small_gives_dense_codes(toys) -> None:
    toy = toys(0)
    scores = sae.score(sae.train_sae(toy, presets.TOO_SMALL_SAE), toy)
    assert scores["l0"] > 8  # versus about 2.5 at the default penalty
    assert scores["fve"] > 0.95
    assert scores["recovered_fraction"] < 0.2


def test_too_small_dictionary_mixes_features(toys) -> None:
    toy = toys(0)
    scores = sae.score(sae.train_sae(toy, presets.TOO_FEW_SAE), toy)
    assert scores["mixing"] >= 10  # of 20 latents
    assert scores["recovered_fraction"] < 0.2


def test_trainer_resumes_where_it_stopped(toys) -> None:
    toy = toys(0)
    cfg = sae.SaeConfig(steps=60)
    whole = sae.train_sae(toy, cfg)
    trainer = sae.SaeTrainer(toy, cfg)
    assert trainer.advance(25) == 25 and trainer.advance(100) == 35 and trainer.done
    assert trainer.advance(5) == 0
    np.testing.assert_allclose(trainer.result().decoder, whole.decoder, rtol=1e-5, atol=1e-6)


def test_page_steps_an_sae_and_draws_its_charts(monkeypatch) -> None:
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from ui import live

    # Step trains 200 steps or for STEP_SECONDS, whichever ends first; on a loaded machine the time bound
    # can end it early (seen: 183 steps). This test is about the step count, not the bound: lift it.
    monkeypatch.setattr(live, "STEP_SECONDS", 600.0)
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=240)
    at.run()
    at.switch_page("views/undoing_superposition.py").run()
    assert not at.exception
    before = len(at.get("vega_lite_chart"))
    assert before >= 2  # directions and matching matrix, before any training
    next(b for b in at.button if b.label == "Step").click().run()
    assert not at.exception
    assert at.get("progress")[0].proto.text.startswith("Step 200 of 2,000")
    assert len(at.get("vega_lite_chart")) == before + 1  # the loss curve appears once there is a history


def test_jumprelu_thresholds_learn_and_find_most_features(toys) -> None:
    """Measured: 90% recovered on seed 0, 70% on seed 1 (a few latents die): less reliable than ReLU + L1."""
    toy = toys(0)
    result = sae.train_sae(toy, presets.JUMPRELU_SAE)
    assert np.median(result.threshold) > 2 * sae.JUMP_INIT  # the straight-through estimator moved them
    scores = sae.score(result, toy)
    assert scores["recovered_fraction"] >= 0.6
    assert scores["l0"] < 2  # the L0 penalty keeps codes sparser than the ~2 active features


def test_resampling_revives_a_latent_that_never_fires(toys) -> None:
    toy = toys(0)
    cfg = sae.SaeConfig(steps=sae.RESAMPLE_EVERY * 2, resample_dead=True)
    trainer = sae.SaeTrainer(toy, cfg)
    with torch.no_grad():
        trainer.sae.b_enc[[3, 7]] = -100.0  # these two can never fire
    trainer.advance(sae.RESAMPLE_EVERY)
    assert trainer.resampled == 2
    trainer.advance(cfg.steps)
    h = sae.sample_hidden(toy, 8192, seed=3)
    active = sae.encode(trainer.result(), h) > 0
    assert active[:, [3, 7]].any(0).all()  # both fire again


@pytest.mark.parametrize("kind", ["relu_l1", "jumprelu"])
def test_hand_written_adam_matches_torch_optim_adam(toys, kind: str) -> None:
    """The SAE trainer's Adam (written out to keep torch._dynamo and sympy out of the server) gives the
    weights torch.optim.Adam gives, step for step, from the same start and the same batches."""
    import torch

    toy, cfg = toys(0), sae.SaeConfig(kind=kind, steps=30, seed=4)
    ours, theirs = sae.SaeTrainer(toy, cfg), sae.SaeTrainer(toy, cfg)
    theirs.opt = torch.optim.Adam(theirs.sae.parameters(), lr=cfg.lr)
    for _ in range(cfg.steps):
        ours.advance(1)
        theirs.advance(1)
    for mine, ref in zip(ours.sae.parameters(), theirs.sae.parameters(), strict=True):
        np.testing.assert_allclose(mine.detach().numpy(), ref.detach().numpy(), rtol=1e-5, atol=1e-6)
    moved = np.abs(ours.sae.W_dec.detach().numpy() - sae.SparseAutoencoder(10, cfg).W_dec.detach().numpy()).max()
    assert moved > 1e-3, "30 steps should move the decoder"
