"""ECO1xx: loops and algorithms (work repeated per iteration, or a worse complexity class)."""
