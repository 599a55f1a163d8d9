"""EcoBid's pure domain: rules, state machines and ports, with no I/O of its own."""
