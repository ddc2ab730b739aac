"""Cached wrappers around core/, shared by every session on a server.

Results are keyed by ``cfg.key()``, a digest of every value of the config, and bounded in
number and age so memory stays flat under load. Why not let Streamlit hash the ToyConfig:
it hashes a dataclass field by field as given, so a density list and an equal ndarray (or
1 and 1.0) would miss each other's entries, and it samples arrays of 500,000 or more
elements; ``repr`` is worse (numpy shortens any array over 1,000 elements).
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
    return _cached(cfg.key(), cfg)
