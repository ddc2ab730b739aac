"""Cached access to precomputed assets, with the fallback message pages show when one is missing."""

from __future__ import annotations

import streamlit as st

from core.assets import Asset, AssetError, load_asset


@st.cache_resource(max_entries=32, show_spinner=False)
def _load(name: str, version: int | None) -> Asset:
    return load_asset(name, version)


def asset_or_none(name: str, version: int | None = None) -> Asset | None:
    """The asset, or None after telling the learner (in the page) that live training stands in for it."""
    try:
        return _load(name, version)
    except AssetError as exc:
        st.info(f"The precomputed paper-scale result is not available ({exc}). Showing live training instead.")
        return None
