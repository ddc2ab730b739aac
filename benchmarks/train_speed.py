"""Training speed: our fused kernel (core.train.train) against the paper's plain PyTorch loop.

Run from the repository root:

    python -m benchmarks.train_speed            # full run (a few minutes)
    python -m benchmarks.train_speed --quick    # smoke version (well under a minute)

    python -m benchmarks.train_speed --engines  # only the engine table (kernel vs torch engine)

It prints markdown tables: steps per second of both loops on the same configs in the same
run (as a ratio), steps per second of core.train's two engines (the kernel, and the torch engine
on the CPU and, when torch sees one, a GPU), peak memory of a training run, an equal-quality check at equal steps, and
the wall-clock time to train each figure. The reference runs with torch.set_num_threads(2);
ours with threads=2. Rounds alternate reference and ours, so load from other processes
hits both; ratios are medians over rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

import numpy as np
import torch

from benchmarks.reference import train_reference
from core import analysis, theory
from core.config import ToyConfig
from core.data import sample_batch
from core.models import loss_per_instance
from core.train import Trainer, train

THREADS = 2
INTRO_DENSITIES = list(20.0 ** -np.linspace(0, 1, 10))
BASIC_DENSITIES = [1.0, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001]
UNIFORM_DENSITIES = list(20.0 ** -np.linspace(0, 1, 20))


@dataclass(frozen=True)
class Spec:
    """One benchmark config: instances = densities x models (the reference runs them as one loop)."""

    name: str
    n: int
    m: int
    densities: list[float]
    importance: float
    models: tuple[str, ...]  # core model names; "relu_output" is the reference's "relu"
    target: float  # required speed-up

    def configs(self, steps: int) -> list[ToyConfig]:
        return [
            ToyConfig(
                model=model,
                n_features=self.n,
                n_hidden=self.m,
                feature_probability=self.densities,
                importance=self.importance,
                steps=steps,
            )
            for model in self.models
        ]

    def reference_args(self) -> dict:
        models = [("linear" if model == "linear" else "relu") for model in self.models for _ in self.densities]
        return dict(
            n=self.n, m=self.m, densities=self.densities * len(self.models), importance=self.importance, model=models
        )


SPECS = [
    Spec("n=5, m=2, 10 instances", 5, 2, INTRO_DENSITIES, 0.9, ("relu_output",), 20),
    Spec("n=20, m=5, 14 instances (linear + ReLU)", 20, 5, BASIC_DENSITIES, 0.7, ("linear", "relu_output"), 15),
    Spec("n=200, m=20, 20 instances", 200, 20, UNIFORM_DENSITIES, 1.0, ("relu_output",), 5),
]


def phase_config(steps: int = 10_000) -> ToyConfig:
    """n=2, m=1 phase diagram: 20 importances (0.1..10) x 20 densities (1..0.01) x best of 5 seeds."""
    r, d = np.meshgrid(np.logspace(-1, 1, 20), np.logspace(0, -2, 20), indexing="ij")
    imp = np.stack([np.ones(r.size), r.ravel()], axis=1)
    p = np.stack([d.ravel(), d.ravel()], axis=1)
    return ToyConfig(n_features=2, n_hidden=1, feature_probability=p, importance=imp, n_seeds=5, steps=steps)


def figure_configs(steps: int = 10_000) -> dict[str, list[ToyConfig]]:
    """The four figures of issue 3, each as the list of runs it needs."""
    basic = Spec("", 20, 5, BASIC_DENSITIES, 0.7, ("linear", "relu_output"), 0)
    return {
        "Intro (n=5, m=2, 10 densities)": SPECS[0].configs(steps),
        "Basic results (n=20, m=5, 7 densities, linear + ReLU)": basic.configs(steps),
        "Phase diagram (n=2, m=1, 20 x 20 cells x 5 seeds)": [phase_config(steps)],
        "Uniform superposition (n=200, m=20, 20 densities)": SPECS[2].configs(steps),
    }


# ---- timing -----------------------------------------------------------------------------------
def time_ours(spec: Spec, steps: int) -> float:
    start = time.perf_counter()
    for cfg in spec.configs(steps):
        train(cfg, threads=THREADS)
    return time.perf_counter() - start


def time_reference(spec: Spec, steps: int, threads: int = THREADS) -> float:
    torch.set_num_threads(threads)
    try:
        start = time.perf_counter()
        train_reference(**spec.reference_args(), steps=steps)
        return time.perf_counter() - start
    finally:
        torch.set_num_threads(THREADS)


def speed_rows(rounds: int, budget: float) -> list[dict]:
    """Steps/s per spec. Each round times the reference (2 threads, then 1), then ours, ~``budget`` s each.

    The pass mark uses the faster of the two reference settings (on tiny models one torch thread
    is often faster than two).
    """
    rows = []
    for spec in SPECS:
        time_reference(spec, 5), time_reference(spec, 5, 1), time_ours(spec, 5)  # warm up
        ref_steps = max(5, int(budget * 5 / time_reference(spec, 5)))
        our_steps = max(20, int(budget * 20 / time_ours(spec, 20)))
        rates = {"ref": [], "ref1": [], "ours": []}
        for _ in range(rounds):
            rates["ref"].append(ref_steps / time_reference(spec, ref_steps))
            rates["ref1"].append(ref_steps / time_reference(spec, ref_steps, 1))
            rates["ours"].append(our_steps / time_ours(spec, our_steps))
        ratios = [o / r for o, r in zip(rates["ours"], rates["ref"])]
        strict = [o / max(r, r1) for o, r, r1 in zip(rates["ours"], rates["ref"], rates["ref1"])]
        row = {key: statistics.median(values) for key, values in rates.items()}
        row.update(spec=spec, ratio=statistics.median(ratios), strict=statistics.median(strict))
        row.update(lo=min(ratios), hi=max(ratios), ok=row["strict"] >= spec.target)
        rows.append(row)
    return rows


def time_engine(spec: Spec, steps: int, engine: str, device: str) -> float:
    start = time.perf_counter()
    for cfg in spec.configs(steps):
        train(cfg, threads=THREADS, engine=engine, device=device)
    return time.perf_counter() - start


def engine_rows(steps: int) -> list[dict]:
    """Steps/s of core.train.train per engine and device; each timing is a second run (the first warms up).

    A run's time includes its evaluation pass. The torch engine runs with one torch thread: on
    these tiny models a second thread mostly waits (and spins badly on a shared machine).
    """
    targets = [("kernel", "cpu"), ("torch", "cpu")] + [("torch", "cuda")] * torch.cuda.is_available()
    rows = []
    torch.set_num_threads(1)
    try:
        for spec in SPECS:
            row = {"spec": spec}
            for engine, device in targets:
                time_engine(spec, 5, engine, device)
                row[f"{engine} {device}"] = steps / time_engine(spec, steps, engine, device)
            rows.append(row)
    finally:
        torch.set_num_threads(THREADS)
    return rows


def print_engines(rows: list[dict], steps: int) -> None:
    columns = [key for key in rows[0] if key != "spec"]
    print(f"core.train.train(cfg, engine=..., device=...), {steps} steps per run, batch 1024; torch: 1 thread.\n")
    print("| config | " + " | ".join(f"{c} steps/s" for c in columns) + " | kernel / torch cpu |")
    print("|---|" + "---:|" * (len(columns) + 1))
    for r in rows:
        cells = " | ".join(f"{r[c]:.0f}" for c in columns)
        print(f"| {r['spec'].name} | {cells} | {r['kernel cpu'] / r['torch cpu']:.1f}x |")


def figure_rows(repeats: int, steps: int) -> list[dict]:
    rows = []
    targets = [1.0, 3.0, 30.0, 60.0]
    for (name, cfgs), target in zip(figure_configs(steps).items(), targets):
        times, results = [], None
        for _ in range(repeats):
            start = time.perf_counter()
            results = [train(cfg, threads=THREADS) for cfg in cfgs]
            times.append(time.perf_counter() - start)
        med = statistics.median(times)
        ok = (med < target) if steps == 10_000 else None  # the targets are for the paper's schedule
        rows.append(dict(name=name, median=med, runs=times, target=target, ok=ok, results=results))
    return rows


def phase_agreement(result) -> float:
    """Fraction of phase-diagram cells whose learned phase is the one theory predicts."""
    cfg = result.config
    p, imp = cfg.broadcast()
    norms = analysis.feature_norms(result.W)  # [cells, 2]
    on = norms > 0.5
    learned = np.where(on[:, 0] & on[:, 1], theory.PHASES[1], np.where(on[:, 1], theory.PHASES[2], theory.PHASES[0]))
    return float(np.mean(learned == theory.theory_phase_n2m1(imp[:, 1], p[:, 0])))


# ---- memory and compile time (each in a fresh process, so the numbers are that run's own) --------
def _status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process in MB (10^6 bytes). (ru_maxrss would include
    the parent's memory: Linux keeps it across fork and exec.)"""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":")) * 1024 / 1e6


def _child_memory(which: str, index: int) -> dict:
    """Peak RSS of a process that trains one spec; ours allocates the full 10k-step history, runs 300 steps."""
    spec = SPECS[index]
    before = _status_mb("VmRSS")
    if which == "ours":
        for cfg in spec.configs(10_000):
            trainer = Trainer(cfg, threads=THREADS)
            trainer.advance(300)
            trainer.result()
    else:
        train_reference(**spec.reference_args(), steps=300)
    return dict(before=before, peak=_status_mb("VmHWM"))


def _child_compile() -> dict:
    """Seconds for the first and the second tiny training run in this process."""
    cfg = ToyConfig(n_features=5, n_hidden=2, steps=10)
    times = []
    for _ in range(2):
        start = time.perf_counter()
        train(cfg)
        times.append(time.perf_counter() - start)
    return dict(first=times[0], second=times[1])


def _run_child(args: list[str], env: dict | None = None) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.train_speed", "--child", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env={**os.environ, **(env or {})})
    return json.loads(out.stdout.strip().splitlines()[-1])


def memory_rows() -> list[dict]:
    rows = []
    for i, spec in enumerate(SPECS):
        ours, ref = _run_child(["memory", "ours", str(i)]), _run_child(["memory", "ref", str(i)])
        rows.append(dict(spec=spec, ours=ours, ref=ref))
    return rows


def compile_times() -> dict:
    with tempfile.TemporaryDirectory() as cache_dir:
        cold = _run_child(["compile"], env={"NUMBA_CACHE_DIR": cache_dir})
    warm = _run_child(["compile"])
    return dict(compile=cold["first"] - cold["second"], cached_load=warm["first"] - warm["second"])


# ---- equal quality ---------------------------------------------------------------------------
def eval_losses(cfg: ToyConfig, W: np.ndarray, b: np.ndarray, samples: int) -> np.ndarray:
    """Loss of each instance on one fixed large batch (the same batch for every set of weights)."""
    x = sample_batch(cfg, samples, 1234)
    _, imp = cfg.broadcast()
    params = {"W": np.asarray(W, dtype=np.float32), "b": np.asarray(b, dtype=np.float32)}
    return loss_per_instance(cfg.model, params, x, x, imp.astype(np.float32))


def pentagon_gaps(W_k: np.ndarray) -> np.ndarray:
    """Angles in degrees between neighbouring feature directions of a 2-D model, sorted."""
    angles = np.sort(np.degrees(np.arctan2(W_k[:, 1], W_k[:, 0])) % 360)
    return np.diff(np.append(angles, angles[0] + 360))


def quality_relu(steps: int) -> dict:
    """5-in-2 across the intro densities plus 0.02: same initial weights, same steps, both loops."""
    dens = INTRO_DENSITIES + [0.02]
    cfg = ToyConfig(n_features=5, n_hidden=2, feature_probability=dens, importance=0.9, steps=steps)
    W0 = Trainer(cfg).We.copy()
    ours = train(cfg, threads=THREADS)
    ref = train_reference(5, 2, dens, 0.9, "relu", steps=steps, W0=W0)
    l_ours, l_ref = eval_losses(cfg, ours.W, ours.b, 1 << 18), eval_losses(cfg, ref.W, ref.b, 1 << 18)
    _, imp = cfg.broadcast()
    return dict(
        densities=dens,
        ours=l_ours,
        ref=l_ref,
        ratio=l_ours / l_ref,
        rep_ours=analysis.n_represented(ours.W),
        rep_ref=analysis.n_represented(ref.W),
        gaps_ours=pentagon_gaps(ours.W[-1]),
        gaps_ref=pentagon_gaps(ref.W[-1]),
        dense_theory=float(theory.dense_relu_loss(imp[0], 2)),
    )


def quality_linear(steps: int) -> dict:
    """Linear 20-in-5 at the basic-results densities: exact expected loss against the closed form."""
    cfg = ToyConfig(
        model="linear", n_features=20, n_hidden=5, feature_probability=BASIC_DENSITIES, importance=0.7, steps=steps
    )
    W0 = Trainer(cfg).We.copy()
    ours = train(cfg, threads=THREADS)
    ref = train_reference(20, 5, BASIC_DENSITIES, 0.7, "linear", steps=steps, W0=W0)
    p, imp = cfg.broadcast()
    best = theory.linear_optimal_loss(p, imp, 5)
    return dict(
        densities=BASIC_DENSITIES,
        theory=best,
        ours=theory.linear_expected_loss(ours.W, ours.b, p, imp) / best,
        ref=theory.linear_expected_loss(ref.W, ref.b, p, imp) / best,
    )


# ---- report ----------------------------------------------------------------------------------
def machine() -> dict:
    import numba

    with open("/proc/cpuinfo") as f:
        cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), platform.processor())
    return dict(
        cpu=cpu,
        cores=os.cpu_count(),
        python=platform.python_version(),
        torch=torch.__version__,
        numba=numba.__version__,
        numpy=np.__version__,
        load=os.getloadavg(),
    )


def print_speed(rows: list[dict]) -> None:
    print(
        "| config | reference steps/s (2 threads) | reference, 1 thread | ours steps/s "
        "| ratio vs 2-thread reference (min-max) | ratio vs faster reference | target | pass |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|:---:|")
    for r in rows:
        print(
            f"| {r['spec'].name} | {r['ref']:.0f} | {r['ref1']:.0f} | {r['ours']:.0f} "
            f"| **{r['ratio']:.1f}x** ({r['lo']:.1f}-{r['hi']:.1f}) | {r['strict']:.1f}x "
            f"| {r['spec'].target}x | {'yes' if r['ok'] else 'NO'} |"
        )


def print_memory(rows: list[dict], compile_info: dict) -> None:
    print(
        "| config | ours: peak RSS (MB) | ours: training adds (MB) | reference: peak RSS (MB) | reference: training adds (MB) |"
    )
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        o, f = r["ours"], r["ref"]
        print(
            f"| {r['spec'].name} | {o['peak']:.0f} | {o['peak'] - o['before']:.0f} | {f['peak']:.0f} "
            f"| {f['peak'] - f['before']:.0f} |"
        )
    print(
        f"\nNumba compile from scratch (excluded from all timings): {compile_info['compile']:.1f} s; "
        f"loading the compiled cache in a new process: {compile_info['cached_load']:.2f} s."
    )


def print_quality(relu: dict, linear: dict, steps: int) -> None:
    print(f"5-in-2, I = 0.9^i, {steps} steps each, same initial weights; losses on one fixed batch of 262,144:\n")
    print("| density | reference loss | ours loss | ours / ref | represented (ref / ours) |")
    print("|---:|---:|---:|---:|:---:|")
    for i, d in enumerate(relu["densities"]):
        print(
            f"| {d:.3f} | {relu['ref'][i]:.5f} | {relu['ours'][i]:.5f} | {relu['ratio'][i]:.3f} "
            f"| {relu['rep_ref'][i]} / {relu['rep_ours'][i]} |"
        )
    print(
        f"\nDense loss: theory {relu['dense_theory']:.5f}, reference {relu['ref'][0]:.5f}, ours {relu['ours'][0]:.5f}."
    )
    fmt = ", ".join
    print(
        f"Density 0.02, angles between neighbouring features (pentagon = 72 each): "
        f"reference {fmt(f'{g:.0f}' for g in relu['gaps_ref'])}; ours {fmt(f'{g:.0f}' for g in relu['gaps_ours'])}."
    )
    worst = np.max(np.abs(relu["ratio"] - 1))
    print(f"Largest loss difference: {100 * worst:.1f}% (target: within 2%).\n")
    print("Linear 20-in-5, I = 0.7^i: exact expected loss / closed-form optimum (1.00 = optimal):\n")
    print("| density | " + " | ".join(f"{d:g}" for d in linear["densities"]) + " |")
    print("|---|" + "---:|" * len(linear["densities"]))
    for who in ("ref", "ours"):
        label = "reference" if who == "ref" else "ours"
        print(f"| {label} | " + " | ".join(f"{v:.3f}" for v in linear[who]) + " |")


def print_figures(rows: list[dict], steps: int, repeats: int) -> None:
    schedule = "the paper's schedule" if steps == 10_000 else "shorter than the paper's: no pass mark"
    print(f"{steps} steps, batch 1024, AdamW lr 1e-3 ({schedule}); median of {repeats} run(s), threads={THREADS}.\n")
    print("| figure | median wall clock | runs | target | pass |")
    print("|---|---:|---|---:|:---:|")
    for r in rows:
        runs = ", ".join(f"{t:.2f}" for t in r["runs"])
        verdict = "n/a" if r["ok"] is None else ("yes" if r["ok"] else "NO")
        print(f"| {r['name']} | **{r['median']:.2f} s** | {runs} | < {r['target']:.0f} s | {verdict} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run: fewer rounds and steps")
    parser.add_argument("--engines", action="store_true", help="only the kernel vs torch-engine table")
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    torch.set_num_threads(THREADS)
    if args.child:
        kind = args.child[0]
        print(json.dumps(_child_memory(args.child[1], int(args.child[2])) if kind == "memory" else _child_compile()))
        return
    quick = args.quick
    e_steps = 100 if quick else 500
    if args.engines:
        print_engines(engine_rows(e_steps), e_steps)
        return
    info = machine()
    print(f"# Training speed: ours vs the reference PyTorch loop{' (--quick)' if quick else ''}\n")
    print(
        f"CPU: {info['cpu']}, {info['cores']} cores; Python {info['python']}, torch {info['torch']} "
        f"(set_num_threads({THREADS})), numba {info['numba']}, numpy {info['numpy']}; ours: threads={THREADS}. "
        f"Load average at start: {', '.join(f'{x:.1f}' for x in info['load'])}.\n"
    )
    print("## Steps per second (batch 1024, same configs, same run)\n")
    print_speed(speed_rows(rounds=2 if quick else 5, budget=0.3 if quick else 1.0))
    print("\n## Engines: the kernel and the torch engine (core/torch_train.py)\n")
    print_engines(engine_rows(e_steps), e_steps)
    print("\n## Peak memory of a training run (fresh process per run)\n")
    print_memory(memory_rows(), compile_times())
    q_steps = 2000 if quick else 10_000
    print("\n## Equal quality at equal steps\n")
    print_quality(quality_relu(q_steps), quality_linear(q_steps), q_steps)
    f_steps, repeats = (1000, 1) if quick else (10_000, 3)
    print("\n## Time to a finished figure\n")
    rows = figure_rows(repeats, f_steps)
    print_figures(rows, f_steps, repeats)
    agree = phase_agreement(rows[2]["results"][0])
    print(f"\nPhase diagram: learned phase agrees with the closed-form theory in {100 * agree:.0f}% of the 400 cells.")
    print(f"\nLoad average at end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}.")


if __name__ == "__main__":
    main()
