"""Cached wrappers around core/, shared by every session on a server.

Results are keyed by the config's repr (a ToyConfig holds lists, which st.cache_data
cannot hash directly), bounded in number and age so memory stays flat under load.
"""

from __future__ import annotations

import streamlit as st

from core.config import ToyConfig
from core.train import TrainResult, train


@st.cache_data(max_entries=64, ttl=6 * 3600, show_spinner="Training…")
def _cached(cfg_key: str, _cfg: ToyConfig) -> TrainResult:
    return train(_cfg, threads=2)


def trained(cfg: ToyConfig) -> TrainResult:
    """The finished result of ``cfg``, trained once per server and then served from the cache."""
    return _cached(repr(cfg), cfg)
