"""Migration scripts, applied in order (0001, 0002, ...)."""
