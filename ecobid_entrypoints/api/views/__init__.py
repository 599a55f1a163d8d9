"""One small function per operation: parse, call the use case, present."""
