"""``ecobid cost``: what running EcoBid costs per month, every line traced to a price row.

Three inputs, each in one place: ``prices.toml`` (a row per price and free allowance,
with its source page), ``measured.json`` (what each operation does on DynamoDB, made
by ``python -m benchmarks.operations --write`` and checked against the code by a test),
and a usage profile (``usage.py``: per-user monthly actions; ``--profile FILE``).
"""
