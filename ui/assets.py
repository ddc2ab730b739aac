"""Cached access to precomputed assets, with the fallback message pages show when one is missing."""

from __future__ import annotations

import streamlit as st

from core.assets import Asset, AssetError, load_asset, same_config
from core.precompute import all_builders


@st.cache_resource(max_entries=32, show_spinner=False)
def _load(name: str, version: int | None) -> Asset:
    asset = load_asset(name, version)
    builder = all_builders().get(name)
    if builder is not None and not same_config(asset.config, builder.config):
        raise AssetError(f"asset {name!r} was built from another configuration; rebuild it")
    return asset


def asset_or_none(name: str, version: int | None = None) -> Asset | None:
    """The asset, or None after telling the learner (in the page) that live training stands in for it.

    An asset counts only if its version and the exact configuration it was built from match
    the code's builder, so a page never shows a stale result as the paper's.
    """
    try:
        return _load(name, version)
    except AssetError as exc:
        st.info(f"The precomputed paper-scale result is not available ({exc}). Showing live training instead.")
        return None
