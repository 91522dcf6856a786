"""Command-line interface: one module per command, options defined once in ``options``."""
