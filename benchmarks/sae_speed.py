"""How fast the default sparse autoencoder trains (issue 16): time to its loss plateau, and a full sweep.

Run from the repository root (torch needed):

    python -m benchmarks.sae_speed              # 3 seeds, plus the asset's coefficient sweep
    python -m benchmarks.sae_speed --no-sweep   # the plateau only

The default SAE (core.sae.SaeConfig()) trains on the default toy model of the "Undoing superposition"
page (40 features in 10 dimensions, density 0.05), exactly as the page's panel does: SaeTrainer,
fresh samples every step, torch on one thread. The plateau is the first step from which the loss,
averaged over 50 steps, stays within 5% of its mean over the last 200 steps. The sweep is the
trade-off asset's build (`core.chapters.undoing_superposition.build_tradeoff`), timed end to end.
Prints markdown; exits 1 when the plateau takes 5 s or more, or the sweep 2 minutes or more.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

from core import sae
from core.chapters import undoing_superposition as chapter
from core.presets import undoing_superposition as presets
from core.train import train

PLATEAU_TARGET_S = 5.0
SWEEP_TARGET_S = 120.0
WINDOW = 50  # steps averaged when looking for the plateau
TAIL = 200  # the final level: mean loss over the last TAIL steps
WITHIN = 0.05  # "on the plateau": within 5% of the final level


def plateau_step(loss: np.ndarray) -> int:
    """First step from which the WINDOW-step running mean stays within WITHIN of the final level."""
    smooth = np.convolve(loss, np.ones(WINDOW) / WINDOW, mode="valid")  # smooth[i] = mean of loss[i : i + WINDOW]
    final = loss[-TAIL:].mean()
    outside = np.nonzero(np.abs(smooth - final) > WITHIN * final)[0]
    return int(outside[-1] + 1 + WINDOW) if len(outside) else WINDOW


def time_one(seed: int) -> dict:
    toy = train(presets.toy_model(seed=seed), threads=1)
    cfg = sae.SaeConfig(seed=seed)
    trainer = sae.SaeTrainer(toy, cfg)
    stamps = np.zeros(cfg.steps + 1)
    start = time.perf_counter()
    for step in range(cfg.steps):
        trainer.advance(1)
        stamps[step + 1] = time.perf_counter() - start
    history = trainer.history
    loss = history[:, 0] + cfg.coefficient * history[:, 1]
    at = plateau_step(loss)
    scores = sae.score(trainer.result(), toy)
    return {"seed": seed, "plateau_step": at, "plateau_s": stamps[at], "all_s": stamps[-1], **scores}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--no-sweep", action="store_true")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}\n")
    print("| seed | plateau at step | plateau after (s) | all 2,000 steps (s) | recovered | dead | L0 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    rows = [time_one(seed) for seed in range(args.seeds)]
    for r in rows:
        print(
            f"| {r['seed']} | {r['plateau_step']:,} | {r['plateau_s']:.2f} | {r['all_s']:.2f} | "
            f"{r['recovered_fraction']:.0%} | {r['dead']} | {r['l0']:.2f} |"
        )
    worst = max(r["plateau_s"] for r in rows)
    ok = worst < PLATEAU_TARGET_S
    print(f"\nslowest plateau: {worst:.2f} s (target < {PLATEAU_TARGET_S:g} s): {'met' if ok else 'missed'}")
    if not args.no_sweep:
        spec = chapter.BUILDERS[chapter.TRADEOFF_ASSET]
        start = time.perf_counter()
        chapter.build_tradeoff({"toy_config": spec.toy_config.to_dict(), **spec.params})
        took = time.perf_counter() - start
        swept = took < SWEEP_TARGET_S
        n = len(spec.params["coefficients"])
        print(
            f"coefficient sweep ({n} SAEs, toy model included): {took:.1f} s (target < {SWEEP_TARGET_S:g} s): "
            f"{'met' if swept else 'missed'}"
        )
        ok = ok and swept
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
