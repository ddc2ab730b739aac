"""Benchmarks: the paper's plain PyTorch training loop, and our kernel measured against it."""
