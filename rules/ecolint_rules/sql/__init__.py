"""ECO4xx: SQL and ORM."""
