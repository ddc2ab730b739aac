"""Training: a resumable Trainer for live pages, and train() for a whole run.

Conventions follow the paper's reference notebook: AdamW (lr 1e-3, weight decay 0.01,
betas 0.9/0.999) on every parameter, batch 1024, 10,000 steps, a fresh batch each step,
loss = importance-weighted squared error averaged over batch and features, summed over
instances (so each instance receives exactly its own gradient).

Best-of-N seeds: instances are repeated N times with different initialisations and,
at the end, each keeps the seed with the lowest evaluation loss.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import ModuleType

import numpy as np

from core import numpy_steps, registry
from core.config import ToyConfig
from core.data import feature_groups
from core.models import init_params

ProgressFn = Callable[["Trainer"], None]
StopFn = Callable[[], bool]

MAX_WEIGHT = 1e4  # trained toy weights are O(1); far beyond this the run has diverged

# "kernel": the fused numba kernel (core/kernels.py), CPU only, the app's default and fastest on a
# CPU. "torch": the plain PyTorch loop over core/torch_models.py (core/torch_train.py), on any
# torch device; it needs torch installed and is what rebuilds paper-scale assets on a GPU.
ENGINES = ("kernel", "torch")
# What train() uses when the caller names no engine or device; ``python -m core.precompute
# --engine torch --device cuda`` sets it so that every asset builder trains on the GPU.
DEFAULT_ENGINE = {"engine": "kernel", "device": "cpu"}


# Set while the server compiles the kernel in the background (ui/warmup.py). A Trainer made with
# numpy_while_compiling=True (the live panels') then takes its steps with the same step written in numpy
# (core/numpy_steps.py) instead of waiting seconds for numba, and switches to the kernel once it is ready.
KERNEL_COMPILING = threading.Event()


def _kernels() -> ModuleType:
    """core.kernels, imported on first use: it imports numba (0.4 s), which a first page run and the numpy
    steps do without (the app's warm-up imports it after the first page, to compile)."""
    from core import kernels

    return kernels


KERNEL_SEC_PER_STEP = 1e-4  # a first guess for the kernel; live panels refine it from the chunks they time


class DeviceUnavailableError(RuntimeError):
    """A valid device name whose hardware this machine does not have (e.g. "cuda" without a GPU)."""


def check_engine(engine: str, device: str) -> None:
    """ValueError, with the accepted names, for an unknown engine or a device the engine cannot use."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")
    if not isinstance(device, str) or not device:
        raise ValueError(f"device must be a name such as 'cpu' or 'cuda', got {device!r}")
    if engine == "kernel" and device != "cpu":
        raise ValueError(f"the kernel engine runs on the CPU only (device 'cpu'), got {device!r}; use engine='torch'")


def set_default_engine(engine: str, device: str = "cpu") -> None:
    """Make ``train`` use this engine and device when its caller does not say (precompute sets it)."""
    check_engine(engine, device)
    DEFAULT_ENGINE.update(engine=engine, device=device)


@dataclass
class TrainResult:
    """What a run learned; arrays are numpy, instances first (best seed per instance)."""

    config: ToyConfig
    W: np.ndarray  # [I, n, m]; for untied models (the absolute-value model) the first layer
    b: np.ndarray  # [I, n] (zero for models without an output bias)
    loss: np.ndarray  # [I] evaluation loss on a fresh batch of cfg.eval_batch_size
    steps_done: int
    loss_history: np.ndarray  # [steps_done, I] training-batch loss at every step
    W2: np.ndarray | None = None  # [I, n, m] second layer of untied models (row j: output j's weights)
    seed_losses: np.ndarray | None = None  # [n_seeds, I] evaluation loss of every seed
    best_seed: np.ndarray | None = None  # [I] index of the kept seed
    snapshots: list[tuple[int, np.ndarray, np.ndarray]] = field(default_factory=list)  # (step, W, b)
    diverged: bool = False
    stopped: bool = False


def lr_at(cfg: ToyConfig, steps: np.ndarray) -> np.ndarray:
    """Learning rate at 0-based ``steps`` under the config's schedule."""
    frac = steps / cfg.steps
    if cfg.lr_schedule == "linear":
        return cfg.lr * (1.0 - frac)
    if cfg.lr_schedule == "cosine":
        return cfg.lr * 0.5 * (1.0 + np.cos(np.pi * frac))
    return np.full(steps.shape, cfg.lr)


def chunks(start: int, n_steps: int, every: int):
    """(first, stop) step ranges covering start .. start + n_steps, cut at each multiple of ``every`` (the
    snapshot steps; every = 0: one range). Both engines train chunk by chunk and snapshot at a chunk's end."""
    step, end = start, start + n_steps
    while step < end:
        stop = min(end, (step // every + 1) * every) if every else end
        yield step, stop
        step = stop


class Trainer:
    """Holds the weights and optimiser state of a run so it can advance a few steps at a time."""

    def __init__(self, cfg: ToyConfig, threads: int | None = None, numpy_while_compiling: bool = False):
        self.cfg = cfg
        self.numpy_while_compiling = numpy_while_compiling
        self.kind = registry.get(cfg.model)
        self.threads = max(1, min(threads or 2, os.cpu_count() or 1))
        p, imp = cfg.broadcast()
        self.k = cfg.n_instances
        total = self.k * cfg.n_seeds
        params = init_params(cfg, total, cfg.seed)
        self.We = params["W"]
        self.Wd = self.We if self.kind.tied else params["W2"]
        self.b = params["b"]
        starts, sizes, kinds = feature_groups(cfg)
        self.groups = np.stack([starts, sizes, kinds]).astype(np.int64)
        self.p_group = np.tile(p, (cfg.n_seeds, 1))[:, starts].astype(np.float64)
        self.imp = np.tile(imp, (cfg.n_seeds, 1)).astype(np.float32)
        self.flags = self.kind.kernel_flags()
        self.keys = _keys(cfg.seed, total, salt=0)
        n, m = cfg.n_features, cfg.n_hidden
        self.opt = np.zeros((total, 6, max(n * m, n)), dtype=np.float32)
        self.hyper = np.array([cfg.weight_decay, cfg.betas[0], cfg.betas[1], cfg.eps], dtype=np.float64)
        self.step = 0
        self.history = np.full((cfg.steps, total), np.nan, dtype=np.float32)
        self.snapshots: list[tuple[int, np.ndarray, np.ndarray]] = []
        self.diverged = False
        self.used_numpy = False  # trained a step with the numpy fallback (equal within tolerance, not bitwise)
        if cfg.snapshot_every:
            self._snapshot()

    @property
    def done(self) -> bool:
        return self.step >= self.cfg.steps or self.diverged

    @property
    def sec_per_step_hint(self) -> float:
        """A first guess of one step's time, so a live panel's first chunk fits its time budget (ui/live.py)."""
        if self.numpy_while_compiling and KERNEL_COMPILING.is_set():
            entries = self.We.shape[0] * self.cfg.batch_size * self.cfg.n_features
            return numpy_steps.SECONDS_PER_ENTRY * entries
        return KERNEL_SEC_PER_STEP

    def advance(self, n_steps: int) -> int:
        """Train up to ``n_steps`` more steps (not past cfg.steps); returns how many ran.

        If a step's loss is not finite, the weights go back to where this call began
        and ``diverged`` is set: the last good weights are kept.
        """
        n_steps = int(min(n_steps, self.cfg.steps - self.step))
        if n_steps <= 0 or self.diverged:
            return 0
        backup = (self.We.copy(), self.Wd.copy(), self.b.copy(), self.opt.copy())
        start, every = self.step, self.cfg.snapshot_every
        for first, stop in chunks(start, n_steps, every):
            lrs = lr_at(self.cfg, np.arange(first, stop)).astype(np.float64)
            losses = self.history[first:stop]
            self._run_parallel(lrs, losses)
            if not (np.all(np.isfinite(losses)) and self._weights_sane()):
                self._restore(backup, start)
                return 0
            self.step = stop
            if every and self.step % every == 0:
                self._snapshot()
        return n_steps

    def _weights_sane(self) -> bool:
        """Finite and not exploding. A loss is measured before its step's update, so a run can
        blow up in the last update of a chunk with every recorded loss still finite."""
        return all(np.isfinite(a).all() and np.abs(a).max(initial=0) < MAX_WEIGHT for a in (self.We, self.Wd, self.b))

    def _run_parallel(self, lrs: np.ndarray, losses: np.ndarray) -> None:
        total = self.We.shape[0]
        tied = self.Wd is self.We
        args = (self.step, lrs, self.hyper, self.We, self.Wd, self.b, self.opt, self.imp, self.p_group)
        rest = (self.groups, self.keys, self.flags, self.cfg.batch_size, tied, losses)
        if self.numpy_while_compiling and KERNEL_COMPILING.is_set():
            self.used_numpy = True
            numpy_steps.run_steps(0, total, *args, *rest)
            return
        bounds = np.linspace(0, total, min(self.threads, total) + 1).astype(int)
        if len(bounds) == 2:
            _kernels().run_steps(0, total, *args, *rest)
            return
        with ThreadPoolExecutor(len(bounds) - 1) as pool:
            jobs = [pool.submit(_kernels().run_steps, lo, hi, *args, *rest) for lo, hi in zip(bounds[:-1], bounds[1:])]
            for job in jobs:
                job.result()

    def _restore(self, backup, step: int) -> None:
        self.We[:], self.Wd[:], self.b[:], self.opt[:] = backup
        self.history[step:] = np.nan
        self.snapshots = [snap for snap in self.snapshots if snap[0] <= step]
        self.step = step
        self.diverged = True

    def _snapshot(self) -> None:
        self.snapshots.append((self.step, self.We.copy(), self.b.copy()))

    def run(self, progress: ProgressFn | None = None, should_stop: StopFn | None = None, chunk: int = 250) -> None:
        """Train to the end in chunks, calling ``progress`` after each and stopping if asked."""
        while not self.done:
            if should_stop is not None and should_stop():
                return
            self.advance(chunk)
            if progress is not None:
                progress(self)

    def evaluate(self, batch_size: int | None = None) -> np.ndarray:
        """Loss of every trained instance (all seeds) on a fresh batch: [n_seeds * I]."""
        out = np.empty(self.We.shape[0], dtype=np.float64)
        keys = _keys(self.cfg.seed, self.We.shape[0], salt=1)
        bs = batch_size or self.cfg.eval_batch_size
        _kernels().evaluate(self.We, self.Wd, self.b, self.imp, self.p_group, self.groups, keys, self.flags, bs, out)
        return out

    def view(self, window: int = 50) -> TrainResult:
        """A cheap look at the run so far, for live plots: no evaluation pass.

        ``loss`` is each instance's mean training loss over the last ``window`` steps, and
        best-of-N picks the seed by that same number.
        """
        k, s = self.k, self.cfg.n_seeds
        recent = self.history[max(0, self.step - window) : self.step]
        loss = recent.mean(axis=0) if len(recent) else np.full(k * s, np.nan)
        seed_losses = loss.reshape(s, k)
        best = np.argmin(np.where(np.isfinite(seed_losses), seed_losses, np.inf), axis=0)
        return self._pack(best, seed_losses)

    def result(self, stopped: bool = False) -> TrainResult:
        """The best seed of each instance, as numpy arrays."""
        seed_losses = self.evaluate().reshape(self.cfg.n_seeds, self.k)
        best = np.argmin(np.where(np.isfinite(seed_losses), seed_losses, np.inf), axis=0)
        return self._pack(best, seed_losses, stopped)

    def _pack(self, best: np.ndarray, seed_losses: np.ndarray, stopped: bool = False) -> TrainResult:
        k = self.k
        pick = best * k + np.arange(k)
        snaps = [(st, W[pick], b[pick]) for st, W, b in self.snapshots]
        return TrainResult(
            config=self.cfg,
            W=self.We[pick].copy(),
            b=self.b[pick].copy(),
            loss=seed_losses[best, np.arange(k)],
            steps_done=self.step,
            loss_history=self.history[: self.step, pick].copy(),
            W2=None if self.kind.tied else self.Wd[pick].copy(),
            seed_losses=seed_losses,
            best_seed=best,
            snapshots=snaps,
            diverged=self.diverged,
            stopped=stopped,
        )


def history_points(history: np.ndarray, max_points: int = 300) -> tuple[np.ndarray, np.ndarray]:
    """(steps, losses) of a loss history thinned to about ``max_points`` rows by block means.

    Block means (not every k-th point) keep the curve's level honest: a single batch's
    loss is noisy, especially for sparse features.
    """
    t = history.shape[0]
    if t == 0:
        return np.zeros(0), history.reshape(0, *history.shape[1:])
    block = max(1, int(np.ceil(t / max_points)))
    usable = (t // block) * block
    blocks = history[:usable].reshape(-1, block, *history.shape[1:]).mean(axis=1)
    steps = np.arange(blocks.shape[0]) * block + block
    if usable < t:
        blocks = np.concatenate([blocks, history[usable:].mean(axis=0, keepdims=True)])
        steps = np.append(steps, t)
    return steps, blocks


def train(
    cfg: ToyConfig,
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
    threads: int | None = None,
    engine: str | None = None,
    device: str | None = None,
) -> TrainResult:
    """Train every instance of ``cfg`` and return the result (best seed per instance).

    progress(trainer) is called every few hundred steps; should_stop() returning True
    ends training early (the result then holds the weights reached so far).
    engine ("kernel" or "torch") and device (e.g. "cpu", "cuda") default to DEFAULT_ENGINE;
    the kernel runs on the CPU only. A device the machine lacks raises DeviceUnavailableError.
    """
    engine = DEFAULT_ENGINE["engine"] if engine is None else engine
    device = DEFAULT_ENGINE["device"] if device is None else device
    check_engine(engine, device)
    if engine == "torch":
        from core.torch_train import train_torch  # imports torch: only when asked for

        return train_torch(cfg, progress, should_stop, device=device)
    trainer = Trainer(cfg, threads=threads)
    trainer.run(progress, should_stop)
    return trainer.result(stopped=not trainer.done)


def kernel_batch(cfg: ToyConfig, batch_size: int, step: int = 0) -> np.ndarray:
    """The batch the training kernel draws at ``step`` for each instance: [I, batch, n] float32.

    Same distribution as core.data.sample_batch, but from the kernel's own generator, so
    tests can check the data that training really sees.
    """
    trainer = Trainer(cfg)
    signed = trainer.flags[registry.SIGNED]
    return np.stack(
        [
            _kernels().sample_dense(key, step, trainer.p_group[k], trainer.groups, signed, cfg.n_features, batch_size)
            for k, key in enumerate(trainer.keys[: trainer.k])
        ]
    )


def _keys(seed: int, count: int, salt: int) -> np.ndarray:
    """One independent 64-bit random key per instance, derived from the seed."""
    return np.random.SeedSequence([seed, salt]).generate_state(count, dtype=np.uint64)
