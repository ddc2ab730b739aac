"""Compile the training kernel in the background when the server starts.

numba compiles (or loads from its on-disk cache) on first use, which takes seconds.
Doing it in a thread at start-up means the first learner's Play button is not the one
that waits, and the first paint never does.
"""

from __future__ import annotations

import ctypes
import sys
import threading
import time

import streamlit as st
from threadpoolctl import threadpool_limits

from core import registry
from core.config import ToyConfig
from core.train import KERNEL_COMPILING, train

READY_LINE = "Superposition Lab: training kernel ready"  # in the server log once compiled (the test rig waits for it)


# Seconds between the first page's run and the compile. numba's compile keeps a core busy for about 25 s; on a
# laptop that serves its own browser, and on this 2-core machine, that core was the one the browser needed to
# draw the first page's charts and the first Play's training (in numpy until the kernel is ready).
# benchmarks/cold_start.py: without the pause the page was idle at 5.8 s and trained at 8.1 s (medians of 3).
WARMUP_DELAY_S = 4.0


def _compile_all() -> None:
    time.sleep(WARMUP_DELAY_S)
    start = time.perf_counter()
    try:
        for model in registry.names():  # tied and untied kernels (activations are run-time codes)
            cfg = ToyConfig(model=model, n_features=3, n_hidden=2, steps=2, batch_size=64, eval_batch_size=64)
            train(cfg, threads=1)  # train()'s Trainer always uses the kernel: this call compiles it
    finally:
        KERNEL_COMPILING.clear()  # live panels switch to the kernel at their next chunk
    print(f"{READY_LINE} ({time.perf_counter() - start:.1f} s)", file=sys.stderr, flush=True)


@st.cache_resource(show_spinner=False)
def quick_charts() -> bool:
    """Once per server process: Altair stops validating each chart part against Vega-Lite's schema as it is
    built (its "debug mode", for better tracebacks while writing charts). Every builder's charts are validated
    whole by their tests; in the app it cost about a tenth of every live redraw (ui.export.unvalidated skips
    the other, larger check)."""
    import altair as alt

    alt.utils.schemapi.disable_debug_mode()
    return True


SWITCH_INTERVAL_S = 0.001  # Python's default is 0.005


@st.cache_resource(show_spinner=False)
def share_the_interpreter() -> float:
    """Once per server process: threads holding the GIL hand it over every millisecond instead of every five.

    Every session's script runs in a thread of its own, and the server's event loop (which answers the health
    check and moves every websocket message) needs the GIL between them; with many learners redrawing at
    once it waited its turn behind each of them. Returns the interval it replaced."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    return before


@st.cache_resource(show_spinner=False)
def hold_kernel() -> bool:
    """Once per server process, before any page runs: until the warm-up has compiled the kernel, live panels
    train with the numpy version of its step (core/numpy_steps.py), so on a machine that has never compiled
    it the first figure does not wait the seconds numba takes."""
    KERNEL_COMPILING.set()
    return True


@st.cache_resource(show_spinner=False)
def start_warmup() -> threading.Thread:
    """Start the warm-up once per server process (cache_resource makes it a singleton).

    The app starts it after the first page has run: compiling holds the GIL most of the time, and the first
    page's imports and drawing would otherwise share the CPU with it (benchmarks/cold_start.py)."""
    hold_kernel()
    thread = threading.Thread(target=_compile_all, name="kernel-warmup", daemon=True)
    thread.start()
    return thread


@st.cache_resource(show_spinner=False)
def limit_blas_threads() -> object:
    """One BLAS thread for the whole server process, set once at start (the limit is process-wide).

    numpy's BLAS would otherwise start a thread per core for every request's matrix products; the training
    kernel manages its own threads, and one BLAS thread keeps concurrent learners from starving each other.
    """
    return threadpool_limits(limits=1)


M_ARENA_MAX = -8  # glibc's mallopt parameter number for the arena cap (malloc.h)
MALLOC_ARENAS = 2


@st.cache_resource(show_spinner=False)
def limit_malloc_arenas() -> bool:
    """Cap glibc's malloc arenas for the server process, once at start; True if the cap was set.

    glibc gives a thread that allocates while another holds the lock an arena of its own, up to 8 per core,
    and keeps what each arena once held. Streamlit runs every session's script in its own thread, so a
    server's memory grew with the sessions it had seen. With two arenas one learner visiting every page
    peaked at 710 MB instead of 804 MB (benchmarks/memory, MALLOC_ARENA_MAX=2). Elsewhere (macOS, musl)
    there is nothing to cap.
    """
    try:
        libc = _libc()
    except OSError:
        return False
    return bool(libc.mallopt(M_ARENA_MAX, MALLOC_ARENAS))


def _libc() -> ctypes.CDLL:
    """glibc, for mallopt (its own function, so a test can stand in for it without touching ctypes.CDLL)."""
    return ctypes.CDLL("libc.so.6")
