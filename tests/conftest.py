"""Shared pytest setup for the whole suite. Kept deliberately small."""

import os

# Streamlit must never phone home from a test run (the browser tests start real servers).
os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
