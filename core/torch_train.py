"""The torch engine: train a ToyConfig with the nn.Modules of core/torch_models.py and torch.optim.AdamW.

``core.train.train(cfg, engine="torch", device=...)`` lands here. It is the plain PyTorch loop of
the paper, on any torch device (a GPU rebuilds the paper-scale assets quickly), and returns the
same TrainResult as the kernel engine from the same config:

- the same starting weights (core.models.init_params with cfg.seed);
- the same data distribution (each feature zero with probability 1 - p, else uniform on [0, 1],
  or on [-1, 1] for signed kinds; correlated and anticorrelated sets as core/data.py defines
  them), drawn from torch's generator, so the batches differ from the kernel's but not their law;
- the same optimiser (AdamW with the config's lr, betas, eps, weight decay and lr schedule);
- best-of-N seeds chosen by the lowest evaluation loss on a fresh batch, like core.train.Trainer.

Only this module and core/torch_models.py import torch.
"""

from __future__ import annotations

import copy

import numpy as np
import torch

from core import registry
from core.config import ToyConfig
from core.data import feature_groups
from core.models import init_params
from core.torch_models import load_params, loss_per_instance, make_model, target_of
from core.train import MAX_WEIGHT, DeviceUnavailableError, ProgressFn, StopFn, TrainResult, chunks, lr_at

DEVICE_TYPES = ("cpu", "cuda", "mps")
EVAL_CHUNK = 2048  # evaluation rows per pass: a paper-scale eval batch would not fit in memory at once


def resolve_device(device: str | torch.device) -> torch.device:
    """A torch.device for ``device``; ValueError for a bad name, DeviceUnavailableError if it is absent."""
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError):
        raise ValueError(f"device must be one of {DEVICE_TYPES} (or e.g. 'cuda:1'), got {device!r}") from None
    if dev.type not in DEVICE_TYPES:
        raise ValueError(f"device must be one of {DEVICE_TYPES} (or e.g. 'cuda:1'), got {device!r}")
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise DeviceUnavailableError(f"device {device!r} was asked for, but torch sees no CUDA GPU on this machine")
    if dev.type == "mps" and not torch.backends.mps.is_available():
        raise DeviceUnavailableError(f"device {device!r} was asked for, but torch sees no Apple GPU (MPS) here")
    return dev


def sample(
    p: torch.Tensor, groups: list[tuple[int, int, int]], signed: bool, batch: int, gen: torch.Generator
) -> torch.Tensor:
    """A batch [instances, batch, n] with densities p [instances, n]: core.data.sample_batch, in torch."""
    k, n = p.shape
    opts = {"generator": gen, "device": p.device}
    active = torch.rand((k, batch, n), **opts) < p[:, None, :]
    for start, size, kind in groups:
        if kind == 0:
            continue
        on = torch.rand((k, batch, 1), **opts) < p[:, None, start : start + 1]  # a set uses its first density
        if kind == 1:  # correlated: the whole set is on or off together
            active[:, :, start : start + size] = on
        else:  # anticorrelated: when on, exactly one member, chosen uniformly
            pick = torch.randint(0, size, (k, batch, 1), **opts)
            active[:, :, start : start + size] = (pick == torch.arange(size, device=p.device)) & on
    values = 1.0 - torch.rand((k, batch, n), **opts)  # in (0, 1]: an active feature is never exactly 0
    if signed:
        values = values * 2 - 1
    return torch.where(active, values, torch.zeros((), device=p.device))


def _generator(seed: int, salt: int, device: torch.device) -> torch.Generator:
    gen = torch.Generator(device=device)
    gen.manual_seed(int(np.random.SeedSequence([seed, salt]).generate_state(1, dtype=np.uint64)[0]))
    return gen


class TorchTrainer:
    """Weights, optimiser and generator of one run; advances a chunk of steps at a time."""

    def __init__(self, cfg: ToyConfig, device: str | torch.device = "cpu"):
        self.cfg, self.kind, self.device = cfg, registry.get(cfg.model), resolve_device(device)
        self.k, seeds = cfg.n_instances, cfg.n_seeds
        p, imp = cfg.broadcast()
        params = init_params(cfg, self.k * seeds, cfg.seed)
        model = make_model(cfg.model, self.k * seeds, cfg.n_features, cfg.n_hidden)
        self.model = load_params(model, params).to(self.device)
        as_tensor = lambda a: torch.tensor(np.tile(a, (seeds, 1)), dtype=torch.float32, device=self.device)  # noqa: E731
        self.p, self.imp = as_tensor(p), as_tensor(imp)
        self.groups = [tuple(int(v) for v in g) for g in zip(*feature_groups(cfg))]
        self.opt = torch.optim.AdamW(
            self.model.parameters(), lr=cfg.lr, betas=cfg.betas, eps=cfg.eps, weight_decay=cfg.weight_decay
        )
        self.gen = _generator(cfg.seed, 2, self.device)  # salts 0 and 1 are the kernel's keys
        self.step, self.diverged = 0, False
        self.history = np.full((cfg.steps, self.k * seeds), np.nan, dtype=np.float32)
        self.snapshots: list[tuple[int, np.ndarray, np.ndarray]] = []
        if cfg.snapshot_every:
            self._snapshot()

    @property
    def done(self) -> bool:
        return self.step >= self.cfg.steps or self.diverged

    def _numpy(self, name: str) -> np.ndarray:
        return getattr(self.model, name).detach().cpu().numpy().copy()

    def _snapshot(self) -> None:
        self.snapshots.append((self.step, self._numpy("W"), self._numpy("b")))

    def _one_step(self, lr: float) -> torch.Tensor:
        for group in self.opt.param_groups:
            group["lr"] = lr
        x = sample(self.p, self.groups, self.kind.signed, self.cfg.batch_size, self.gen)
        loss = loss_per_instance(self.model, x, target_of(self.cfg.model, x), self.imp)
        self.opt.zero_grad(set_to_none=True)
        loss.sum().backward()  # each instance's loss depends only on its own weights
        self.opt.step()
        return loss.detach()

    def advance(self, n_steps: int) -> int:
        """Up to ``n_steps`` more steps; a non-finite loss or exploding weights restore this call's start."""
        n_steps = int(min(n_steps, self.cfg.steps - self.step))
        if n_steps <= 0 or self.diverged:
            return 0
        backup = (copy.deepcopy(self.model.state_dict()), copy.deepcopy(self.opt.state_dict()))
        start, every = self.step, self.cfg.snapshot_every
        for first, stop in chunks(start, n_steps, every):
            lrs = lr_at(self.cfg, np.arange(first, stop))
            losses = torch.stack([self._one_step(float(lr)) for lr in lrs])  # one device sync per chunk
            self.history[first:stop] = losses.cpu().numpy()
            if not (np.isfinite(self.history[first:stop]).all() and self._weights_sane()):
                self._restore(backup, start)
                return 0
            self.step = stop
            if every and self.step % every == 0:
                self._snapshot()
        return n_steps

    def _weights_sane(self) -> bool:
        return all(
            bool(torch.isfinite(t).all()) and float(t.abs().max()) < MAX_WEIGHT
            for t in (p.detach() for p in self.model.parameters())
        )

    def _restore(self, backup, step: int) -> None:
        self.model.load_state_dict(backup[0])
        self.opt.load_state_dict(backup[1])
        self.history[step:] = np.nan
        self.snapshots = [snap for snap in self.snapshots if snap[0] <= step]
        self.step, self.diverged = step, True

    def run(self, progress: ProgressFn | None = None, should_stop: StopFn | None = None, chunk: int = 250) -> None:
        while not self.done:
            if should_stop is not None and should_stop():
                return
            self.advance(chunk)
            if progress is not None:
                progress(self)

    @torch.no_grad()
    def evaluate(self, batch_size: int | None = None) -> np.ndarray:
        """Loss of every trained instance (all seeds) on a fresh batch: [n_seeds * I], float64."""
        gen = _generator(self.cfg.seed, 3, self.device)
        total = torch.zeros(self.p.shape[0], dtype=torch.float64, device=self.device)
        rows = left = batch_size or self.cfg.eval_batch_size
        while left > 0:
            b = min(EVAL_CHUNK, left)
            x = sample(self.p, self.groups, self.kind.signed, b, gen)
            total += loss_per_instance(self.model, x, target_of(self.cfg.model, x), self.imp).double() * b
            left -= b
        return (total / rows).cpu().numpy()

    def result(self, stopped: bool = False) -> TrainResult:
        """The best seed of each instance (lowest evaluation loss), as numpy arrays."""
        k = self.k
        seed_losses = self.evaluate().reshape(self.cfg.n_seeds, k)
        best = np.argmin(np.where(np.isfinite(seed_losses), seed_losses, np.inf), axis=0)
        pick = best * k + np.arange(k)
        return TrainResult(
            config=self.cfg,
            W=self._numpy("W")[pick],
            b=self._numpy("b")[pick],
            loss=seed_losses[best, np.arange(k)],
            steps_done=self.step,
            loss_history=self.history[: self.step, pick].copy(),
            W2=None if self.kind.tied else self._numpy("W2")[pick],
            seed_losses=seed_losses,
            best_seed=best,
            snapshots=[(st, W[pick], b[pick]) for st, W, b in self.snapshots],
            diverged=self.diverged,
            stopped=stopped,
        )


def train_torch(
    cfg: ToyConfig,
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
    device: str | torch.device = "cpu",
) -> TrainResult:
    """core.train.train with engine="torch": same arguments, same result type."""
    trainer = TorchTrainer(cfg, device)
    trainer.run(progress, should_stop)
    return trainer.result(stopped=not trainer.done)
