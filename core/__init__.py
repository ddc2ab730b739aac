"""Superposition Lab's library: data, toy models, training, analysis and plots.

Nothing in this package imports streamlit, so it can be tested, benchmarked and
used from a notebook on its own.
"""
