"""Compile the training kernel in the background when the server starts.

numba compiles (or loads from its on-disk cache) on first use, which takes seconds.
Doing it in a thread at start-up means the first learner's Play button is not the one
that waits, and the first paint never does.
"""

from __future__ import annotations

import threading

import streamlit as st
from threadpoolctl import threadpool_limits

from core import registry
from core.config import ToyConfig
from core.train import train


def _compile_all() -> None:
    for model in registry.names():  # tied and untied kernels (activations are run-time codes)
        cfg = ToyConfig(model=model, n_features=3, n_hidden=2, steps=2, batch_size=64, eval_batch_size=64)
        train(cfg, threads=1)


@st.cache_resource(show_spinner=False)
def start_warmup() -> threading.Thread:
    """Start the warm-up once per server process (cache_resource makes it a singleton)."""
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
