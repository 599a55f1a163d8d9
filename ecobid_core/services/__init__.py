"""Use cases: one function per operation, taking the ports it needs as arguments."""
