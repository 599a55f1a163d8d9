"""Event processors: what happens after a change, driven by its domain events."""
