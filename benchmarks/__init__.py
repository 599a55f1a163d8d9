"""Benchmarks: each module's ``measure()`` returns rows of one table (``./dev bench``)."""
