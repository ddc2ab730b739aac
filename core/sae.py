"""Sparse autoencoders (SAEs) trained on a toy model's hidden activations, and scored against its true features.

A toy model in superposition stores n features as n directions W_i in m < n dimensions. An SAE tries to
undo that: it learns a dictionary of directions d_j (decoder rows) and a sparse code f(h) >= 0 with
h ≈ sum_j f_j(h) d_j + b_dec. Because the toy model's true directions are known, we can check whether
the dictionary found them, something real models never allow.

Three kinds of sparsity:
- ``relu_l1``: f = ReLU(W_enc (h - b_dec) + b_enc), loss = reconstruction + coefficient * sum_j f_j ||d_j||;
- ``topk``: keep only the k largest pre-activations (then ReLU); no penalty, sparsity is fixed at k;
- ``jumprelu``: f_j = z_j if z_j > theta_j else 0, loss = reconstruction + coefficient * (number of active
  latents), with a straight-through estimator so the thresholds theta_j learn.

torch is imported only inside the functions that train (``_torch()``): the app must import this module,
score results and draw charts on a server without torch. Trained weights come back as numpy arrays, and
encoding / scoring below is numpy, so a page can show a result without touching torch again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from core.data import sample_batch
from core.models import hidden
from core.train import TrainResult

KINDS = ("relu_l1", "topk", "jumprelu")
MAX_LATENTS = 4096
MAX_STEPS = 200_000
# JumpReLU: the window (in pre-activation units) in which a threshold gets a pseudo-gradient, and where
# thresholds start. Pre-activations here are O(0.1-1); measured on the default toy model (seed 0), a
# starting threshold of 0.3 left every latent dead, and a window of 0.01 recovered fewer features than 0.05.
JUMP_BANDWIDTH = 0.05
JUMP_INIT = 0.1


@dataclass(frozen=True)
class SaeConfig:
    """One SAE run. Defaults work on the default toy model (40 features in 10 dimensions, density 0.05).

    coefficient: the L1 weight for ``relu_l1``, the L0 weight for ``jumprelu``; unused by ``topk``.
    k: active latents per sample for ``topk`` (must fit in the dictionary for every kind).
    resample_dead: every RESAMPLE_EVERY steps, re-aim latents that never fired at badly reconstructed inputs.
    """

    kind: str = "relu_l1"
    n_latents: int = 40
    coefficient: float = 0.3
    k: int = 2
    steps: int = 2000
    batch_size: int = 1024
    lr: float = 3e-3
    seed: int = 0
    resample_dead: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        ints = {"n_latents": MAX_LATENTS, "k": MAX_LATENTS, "steps": MAX_STEPS, "batch_size": 65_536}
        for name, hi in ints.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 1 <= value <= hi:
                raise ValueError(f"{name} must be an integer from 1 to {hi}, got {value!r}")
        if self.k > self.n_latents:
            raise ValueError(f"k ({self.k}) cannot be larger than the dictionary ({self.n_latents} latents)")
        if not (isinstance(self.coefficient, (int, float)) and math.isfinite(self.coefficient)):
            raise ValueError(f"coefficient must be a finite number, got {self.coefficient!r}")
        if self.coefficient < 0:
            raise ValueError(
                f"coefficient must be >= 0 (a negative penalty rewards dense codes), got {self.coefficient}"
            )
        if not (isinstance(self.lr, (int, float)) and 0 < self.lr <= 1):
            raise ValueError(f"lr must be in (0, 1], got {self.lr!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)) or self.seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {self.seed!r}")


@dataclass
class SaeResult:
    """A trained SAE as numpy arrays: decoder [L, m] (row j = latent j's direction), encoder [m, L]."""

    config: SaeConfig
    decoder: np.ndarray
    encoder: np.ndarray
    b_enc: np.ndarray  # [L]
    b_dec: np.ndarray  # [m]
    threshold: np.ndarray | None  # [L] for jumprelu
    loss_history: np.ndarray  # [steps_done, 2]: reconstruction, penalty
    steps_done: int
    resampled: int = 0  # latents re-initialised by dead-latent resampling
    extra: dict = field(default_factory=dict)

    @property
    def loss(self) -> np.ndarray:
        """Mean training loss (reconstruction + coefficient x penalty) over the last 50 steps, as a [1] array
        (the shape the live panel's status line reads)."""
        recent = self.loss_history[-50:]
        if not len(recent):
            return np.full(1, np.nan)
        return np.array([float((recent[:, 0] + self.config.coefficient * recent[:, 1]).mean())])


def toy_hidden(toy: TrainResult, x: np.ndarray, instance: int = 0) -> np.ndarray:
    """The toy model's hidden activations h for inputs x [batch, n]: [batch, m] float32."""
    params = {"W": toy.W[instance : instance + 1]}
    return hidden(toy.config.model, params, x[None])[0].astype(np.float32)


def sample_hidden(toy: TrainResult, batch: int, seed: int, instance: int = 0) -> np.ndarray:
    """A fresh batch from the toy model's data distribution, pushed through its hidden layer: [batch, m]."""
    p = toy.config.broadcast()[0][instance : instance + 1]
    x = sample_batch(toy.config, batch, seed, p=p)[0]
    return toy_hidden(toy, x, instance)


def _torch():
    import torch  # here, not at the top: the app runs without torch, and only training needs it

    # Tiny matrices (10 x 40): threads cost more than they save, and the server is shared.
    torch.set_num_threads(1)
    return torch


def _check_toy(toy: TrainResult, instance: int) -> None:
    m = toy.W.shape[2]
    if m < 2:
        raise ValueError("the toy model has m = 1: in one dimension every direction is ±1, there is nothing to undo")
    if not 0 <= instance < toy.W.shape[0]:
        raise ValueError(f"instance must be in 0..{toy.W.shape[0] - 1}, got {instance}")


class SparseAutoencoder:
    """The SAE itself: encoder, decoder, biases and (for JumpReLU) thresholds, as plain torch tensors."""

    def __init__(self, m: int, cfg: SaeConfig):
        torch = _torch()
        self.cfg = cfg
        gen = torch.Generator().manual_seed(cfg.seed)
        # Decoder rows start as random directions of norm 0.1 and the encoder as their transpose, so each
        # latent starts out detecting the direction it writes: small, so no latent dominates the first steps.
        d = torch.randn(cfg.n_latents, m, generator=gen)
        d = 0.1 * d / d.norm(dim=1, keepdim=True)
        self.W_dec = d.clone().requires_grad_()
        self.W_enc = d.T.clone().requires_grad_()
        self.b_enc = torch.zeros(cfg.n_latents, requires_grad=True)
        self.b_dec = torch.zeros(m, requires_grad=True)
        self.log_threshold = torch.full((cfg.n_latents,), math.log(JUMP_INIT), requires_grad=True)

    def parameters(self) -> list:
        extra = [self.log_threshold] if self.cfg.kind == "jumprelu" else []
        return [self.W_enc, self.W_dec, self.b_enc, self.b_dec, *extra]

    def encode(self, h):
        torch = _torch()
        z = (h - self.b_dec) @ self.W_enc + self.b_enc
        if self.cfg.kind == "relu_l1":
            return torch.relu(z), None
        if self.cfg.kind == "topk":
            top = torch.topk(z, self.cfg.k, dim=-1)
            return torch.zeros_like(z).scatter(-1, top.indices, torch.relu(top.values)), None
        # JumpReLU: the step H(z - theta) has zero gradient almost everywhere, so theta could never learn.
        # A straight-through estimator keeps the forward pass exact and, inside a window of width
        # JUMP_BANDWIDTH around the threshold, hands theta the gradient of a smoothed step.
        theta = self.log_threshold.exp()
        on = (z > theta).float()
        near = ((z - theta).abs() < JUMP_BANDWIDTH / 2).float().detach() / JUMP_BANDWIDTH
        shift = theta - theta.detach()  # zero in value; carries d/dtheta
        gate = on.detach() - shift * near  # value H(z - theta); d gate / d theta = -window / bandwidth
        f = z * on.detach() - shift * near * theta.detach()
        return f, gate

    def decode(self, f):
        return f @ self.W_dec + self.b_dec

    def loss(self, h):
        """(reconstruction, penalty): squared error summed over dimensions, each averaged over the batch."""
        f, gate = self.encode(h)
        recon = ((self.decode(f) - h) ** 2).sum(-1).mean()
        if self.cfg.kind == "relu_l1":
            # Weighting each latent's L1 by its decoder norm closes a loophole: otherwise the SAE could shrink
            # f_j and grow d_j by the same factor, keep the reconstruction and make the penalty vanish.
            penalty = (f * self.W_dec.norm(dim=1)).sum(-1).mean()
        elif self.cfg.kind == "jumprelu":
            penalty = gate.sum(-1).mean()
        else:
            penalty = recon * 0.0
        return recon, penalty, f


class Adam:
    """Adam as torch.optim.Adam computes it with its defaults (betas 0.9 / 0.999, eps 1e-8, no weight decay).

    Written out because building any torch.optim optimiser imports torch._dynamo, and with it sympy: 74 MB of
    the server's memory for a 10 x 40 problem, where the whole app must fit Community Cloud's 690 MB.
    ``tests/needs_torch/test_sae.py`` checks it step for step against torch.optim.Adam.
    """

    def __init__(self, params, lr: float, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):
        torch = _torch()
        self.params, self.lr, self.betas, self.eps = list(params), lr, betas, eps
        # The same layout as torch.optim's state, so _resample can reset a latent's moments the same way.
        self.state = {
            p: {"step": 0, "exp_avg": torch.zeros_like(p), "exp_avg_sq": torch.zeros_like(p)} for p in self.params
        }

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        torch = _torch()
        b1, b2 = self.betas
        with torch.no_grad():
            for p in self.params:
                if p.grad is None:
                    continue
                s = self.state[p]
                s["step"] += 1
                s["exp_avg"].mul_(b1).add_(p.grad, alpha=1 - b1)  # running mean of the gradient
                s["exp_avg_sq"].mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)  # ... and of its square
                # Both averages start at zero, so early on they are too small: divide by 1 - beta^t.
                denom = (s["exp_avg_sq"].sqrt() / math.sqrt(1 - b2 ** s["step"])).add_(self.eps)
                p.addcdiv_(s["exp_avg"], denom, value=-self.lr / (1 - b1 ** s["step"]))


RESAMPLE_EVERY = 500  # steps between dead-latent checks (when resample_dead is on)


class SaeTrainer:
    """Trains an SAE a few steps at a time (for live pages); ``result()`` gives numpy weights at any point.

    Every step draws a fresh batch from the toy model's data distribution (seed = cfg.seed and the step),
    so the SAE never sees the same activations twice and cannot memorise a fixed set.
    """

    sec_per_step_hint = 3e-3  # one step at batch 1024 on one thread, so a live panel sizes its first chunk

    def __init__(self, toy: TrainResult, cfg: SaeConfig, instance: int = 0):
        _check_toy(toy, instance)
        self.toy, self.cfg, self.instance = toy, cfg, instance
        self.sae = SparseAutoencoder(toy.W.shape[2], cfg)
        self.opt = Adam(self.sae.parameters(), lr=cfg.lr)
        self.step = 0
        self.history = np.full((cfg.steps, 2), np.nan, dtype=np.float32)
        self.fired = np.zeros(cfg.n_latents, dtype=bool)  # active at least once since the last resampling
        self.resampled = 0

    @property
    def done(self) -> bool:
        return self.step >= self.cfg.steps

    def batch(self, step: int) -> np.ndarray:
        return sample_hidden(
            self.toy, self.cfg.batch_size, seed=self.cfg.seed * 1_000_003 + step, instance=self.instance
        )

    def advance(self, n_steps: int) -> int:
        """Train up to ``n_steps`` more steps (not past cfg.steps); returns how many ran."""
        torch = _torch()
        n_steps = int(min(n_steps, self.cfg.steps - self.step))
        for _ in range(max(0, n_steps)):
            h = torch.from_numpy(self.batch(self.step))
            recon, penalty, f = self.sae.loss(h)
            loss = recon + self.cfg.coefficient * penalty
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
            self.history[self.step] = (recon.item(), penalty.item())
            self.fired |= (f.detach() > 0).any(0).numpy()
            self.step += 1
            if self.cfg.resample_dead and self.step % RESAMPLE_EVERY == 0 and self.step <= 0.8 * self.cfg.steps:
                self._resample()
        return max(0, n_steps)

    def _resample(self) -> None:
        """Point each latent that never fired since the last check at an input the SAE reconstructs badly."""
        torch = _torch()
        dead = np.flatnonzero(~self.fired)
        self.fired[:] = False
        if not len(dead):
            return
        h = torch.from_numpy(self.batch(10_000_000 + self.step))
        with torch.no_grad():
            f, _ = self.sae.encode(h)
            err = ((self.sae.decode(f) - h) ** 2).sum(-1)
            gen = torch.Generator().manual_seed(self.cfg.seed + self.step)
            pick = torch.multinomial(err + 1e-12, len(dead), replacement=True, generator=gen)
            resid = h[pick] - self.sae.decode(f[pick])
            d = 0.1 * resid / resid.norm(dim=1, keepdim=True).clamp_min(1e-8)
            idx = torch.from_numpy(dead)
            self.sae.W_dec[idx] = d
            self.sae.W_enc[:, idx] = d.T
            self.sae.b_enc[idx] = 0.0
        for p in self.sae.parameters():  # fresh Adam moments for the re-aimed latents
            state = self.opt.state.get(p, {})
            for name in ("exp_avg", "exp_avg_sq"):
                if name in state and p is self.sae.W_enc:
                    state[name][:, idx] = 0.0
                elif name in state and p is not self.sae.b_dec:
                    state[name][idx] = 0.0
        self.resampled += len(dead)

    def result(self) -> SaeResult:
        s = self.sae
        jump = self.cfg.kind == "jumprelu"
        return SaeResult(
            config=self.cfg,
            decoder=s.W_dec.detach().numpy().copy(),
            encoder=s.W_enc.detach().numpy().copy(),
            b_enc=s.b_enc.detach().numpy().copy(),
            b_dec=s.b_dec.detach().numpy().copy(),
            threshold=s.log_threshold.detach().exp().numpy().copy() if jump else None,
            loss_history=self.history[: self.step].copy(),
            steps_done=self.step,
            resampled=self.resampled,
        )

    view = result  # live pages call view(); an SAE result is cheap, so both are the same


def train_sae(toy: TrainResult, cfg: SaeConfig | None = None, instance: int = 0) -> SaeResult:
    """Train an SAE on instance ``instance`` of a trained toy model, to the end."""
    trainer = SaeTrainer(toy, cfg or SaeConfig(), instance)
    trainer.advance(trainer.cfg.steps)
    return trainer.result()


# ---- encoding and scoring, in numpy (no torch needed) ----------------------------------------------

STORED_NORM = 0.5  # a feature counts as stored when ||W_i|| > 0.5 (the paper's features are 0 or about 1)
RECOVERED_COS = 0.9
RESPONDS = 0.1  # latent j responds to feature i when it rebuilds >= 10% of ||h_i|| from that feature alone


def encode(sae: SaeResult, h: np.ndarray) -> np.ndarray:
    """Codes f(h) [batch, L] for hidden activations h [batch, m], the same maths as SparseAutoencoder.encode."""
    z = (h - sae.b_dec) @ sae.encoder + sae.b_enc
    kind = sae.config.kind
    if kind == "relu_l1":
        return np.maximum(z, 0)
    if kind == "topk":
        keep = np.argpartition(-z, sae.config.k - 1, axis=-1)[:, : sae.config.k]
        out = np.zeros_like(z)
        np.put_along_axis(out, keep, np.maximum(np.take_along_axis(z, keep, -1), 0), -1)
        return out
    return np.where(z > sae.threshold, z, 0.0)


def decode(sae: SaeResult, f: np.ndarray) -> np.ndarray:
    return f @ sae.decoder + sae.b_dec


def unit_rows(a: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(a, axis=1, keepdims=True)
    return np.divide(a, norms, out=np.zeros_like(a, dtype=np.float64), where=norms > 0)


def match_dictionary(decoder: np.ndarray, W_true: np.ndarray) -> dict:
    """Hungarian matching of decoder rows [L, m] to the stored true directions (rows of W_true [n, m]).

    Each stored feature gets at most one latent and each latent at most one feature, maximising the total
    cosine. Scale and order do not matter: only directions are compared.
    """
    from scipy.optimize import linear_sum_assignment

    stored = np.flatnonzero(np.linalg.norm(W_true, axis=1) > STORED_NORM)
    cos = unit_rows(np.asarray(decoder, dtype=np.float64)) @ unit_rows(np.asarray(W_true, dtype=np.float64)[stored]).T
    rows, cols = linear_sum_assignment(cos, maximize=True)
    matched = cos[rows, cols]
    recovered = int((matched > RECOVERED_COS).sum())
    return {
        "stored": stored,
        "cos": cos,  # [L, n_stored]
        "pairs": (rows, stored[cols]),  # (latent, feature) of each matched pair
        "matched_cos": matched,
        "mean_matched_cos": float(matched.mean()) if len(matched) else 0.0,
        "recovered": recovered,
        "recovered_fraction": recovered / len(stored) if len(stored) else 0.0,
    }


def score(sae: SaeResult, toy: TrainResult, instance: int = 0, n_samples: int = 16_384, seed: int = 12_345) -> dict:
    """Everything the chapter reports about an SAE, measured on a large fresh sample of the toy's data.

    matching (see match_dictionary), plus: dead latents (never active on the sample), L0 (mean active
    latents per sample), fraction of variance explained, shrinkage (mean ||h_hat|| / ||h|| over non-zero h;
    below 1 when the penalty pulls codes towards zero), and latents responding to two or more features.
    """
    W_true = toy.W[instance]
    out = match_dictionary(sae.decoder, W_true)
    h = sample_hidden(toy, n_samples, seed, instance).astype(np.float64)
    f = encode(sae, h)
    h_hat = decode(sae, f)
    active = f > 0
    norms = np.linalg.norm(h, axis=1)
    nz = norms > 1e-6
    out["dead"] = int((~active.any(0)).sum())
    out["l0"] = float(active.sum(1).mean())
    out["fve"] = float(1 - ((h - h_hat) ** 2).sum() / ((h - h.mean(0)) ** 2).sum())
    out["shrinkage"] = float((np.linalg.norm(h_hat, axis=1)[nz] / norms[nz]).mean()) if nz.any() else float("nan")
    out["responses"] = responses(sae, toy, instance)
    out["mixing"] = int(((out["responses"] > 0).sum(1) >= 2).sum())
    return out


def responses(sae: SaeResult, toy: TrainResult, instance: int = 0) -> np.ndarray:
    """[L, n_stored]: how much of each stored feature's hidden vector latent j rebuilds, relative to its norm,
    when that feature alone is on (value 1); entries below RESPONDS are set to 0."""
    W = toy.W[instance]
    stored = np.flatnonzero(np.linalg.norm(W, axis=1) > STORED_NORM)
    x = np.eye(W.shape[0], dtype=np.float32)[stored]
    h = toy_hidden(toy, x, instance).astype(np.float64)  # [n_stored, m]
    f = encode(sae, h)  # [n_stored, L]
    part = f * np.linalg.norm(sae.decoder, axis=1) / np.linalg.norm(h, axis=1, keepdims=True).clip(1e-12)
    return np.where(part >= RESPONDS, part, 0.0).T


SUMMARY_KEYS = ("recovered_fraction", "mean_matched_cos", "dead", "l0", "fve", "shrinkage", "mixing")


def summary(scores: dict) -> dict:
    """The scalar scores only (for tables and sweeps)."""
    return {k: scores[k] for k in SUMMARY_KEYS}
