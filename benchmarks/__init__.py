"""Benchmarks: each section module has ``measure() -> list[row]``."""
