"""ECO7xx: memory and caching."""
