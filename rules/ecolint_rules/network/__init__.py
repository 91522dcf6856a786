"""ECO3xx: network and HTTP."""
