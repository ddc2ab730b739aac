"""Streamlit pieces that belong to one chapter (same name as its page)."""
