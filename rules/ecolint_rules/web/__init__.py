"""ECO8xx: web and assets."""
