"""Alembic migrations of the SQL history store, shipped inside the package."""
